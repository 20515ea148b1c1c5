// `mcpbridge import`: exit codes, what is written (and what is not), options reaching the import.

#include "core/bridge/documentio.h"
#include "core/cli/commands.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;

namespace {

QString fixture(const QString &name)
{
    return qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR") + u"/tests/fixtures/openapi/"_s + name;
}

int run(const QStringList &options)
{
    return cli::runImport(QStringList{u"mcpbridge"_s, u"import"_s} + options);
}

} // namespace

class TestImportCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("MCPBRIDGE_SOURCE_DIR"))
            QSKIP("MCPBRIDGE_SOURCE_DIR is not set (run through ctest)");
        QVERIFY(m_dir.isValid());
    }

    void writesAValidBridge()
    {
        const QString out = m_dir.filePath(u"pet.mcpbridge.json"_s);
        QCOMPARE(run({fixture(u"petstore-swagger2.json"_s), u"-o"_s, out, u"--method"_s, u"GET"_s,
                      u"--base-url"_s, u"http://127.0.0.1:9/v2"_s}),
                 int(cli::ExitOk));
        const bridge::LoadReport loaded = bridge::loadDocument(out);
        QVERIFY(!loaded.hasErrors());
        QCOMPARE(loaded.document->tools.size(), 3);
        QCOMPARE(loaded.document->upstream.baseUrl, u"http://127.0.0.1:9/v2"_s);

        // No silent overwrite; --force replaces.
        QCOMPARE(run({fixture(u"petstore-swagger2.json"_s), u"-o"_s, out}), int(cli::ExitProblems));
        QCOMPARE(bridge::loadDocument(out).document->tools.size(), 3);
        QCOMPARE(run({fixture(u"petstore-swagger2.json"_s), u"-o"_s, out, u"--force"_s}),
                 int(cli::ExitOk));
        QCOMPARE(bridge::loadDocument(out).document->tools.size(), 8);
    }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("syntax error")
            << QStringList{fixture(u"broken.yaml"_s)} << int(cli::ExitProblems);
        QTest::newRow("not a spec")
            << QStringList{fixture(u"not-openapi.json"_s)} << int(cli::ExitProblems);
        QTest::newRow("no base url")
            << QStringList{fixture(u"clashes.yaml"_s)} << int(cli::ExitProblems);
        QTest::newRow("no spec") << QStringList{} << int(cli::ExitProblems);
        QTest::newRow("unknown option") << QStringList{u"--frobnicate"_s} << int(cli::ExitProblems);
        QTest::newRow("help") << QStringList{u"--help"_s} << int(cli::ExitOk);
    }
    void refusals()
    {
        QFETCH(QStringList, options);
        QFETCH(int, exitCode);
        const QString out = m_dir.filePath(u"refused.mcpbridge.json"_s);
        QCOMPARE(run(options + QStringList{u"-o"_s, out}), exitCode);
        QVERIFY(!QFile::exists(out)); // nothing written on a refusal
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestImportCommand)
#include "tst_importcommand.moc"
