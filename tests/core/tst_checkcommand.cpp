// `mcpbridge check`, run in-process with its stdout and stderr captured: exit codes, every
// problem printed, the summary line, options, and that the demo bridge is clean.

#include "core/bridge/documentio.h"
#include "core/cli/commands.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace mcpbridge;

namespace {

struct Run
{
    int exitCode = -1;
    QStringList out; // lines
    QString err;
};

QString sourceDir()
{
    const QString dir = qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR");
    return dir.isEmpty() ? u"../../.."_s : dir;
}

QString fixture(const QString &name)
{
    return sourceDir() + u"/tests/fixtures/documents/"_s + name;
}

// Runs `mcpbridge check ARGS` in this process, with fds 1 and 2 pointed at temporary files.
Run runCheck(const QStringList &args)
{
    Run run;
    QTemporaryFile outFile;
    QTemporaryFile errFile;
    if (!outFile.open() || !errFile.open())
        return run;
    fflush(stdout);
    fflush(stderr);
    const int savedOut = dup(1);
    const int savedErr = dup(2);
    dup2(outFile.handle(), 1);
    dup2(errFile.handle(), 2);
    run.exitCode = cli::runCheck(QStringList{u"mcpbridge"_s, u"check"_s} + args);
    fflush(stdout);
    fflush(stderr);
    dup2(savedOut, 1);
    dup2(savedErr, 2);
    close(savedOut);
    close(savedErr);

    QFile readOut(outFile.fileName());
    QFile readErr(errFile.fileName());
    if (readOut.open(QIODevice::ReadOnly))
        run.out = QString::fromUtf8(readOut.readAll()).split(u'\n', Qt::SkipEmptyParts);
    if (readErr.open(QIODevice::ReadOnly))
        run.err = QString::fromUtf8(readErr.readAll());
    return run;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(text);
    return path;
}

QByteArray validWith(void (*change)(QJsonObject &))
{
    QFile f(fixture(u"valid.mcpbridge.json"_s));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    change(root);
    return QJsonDocument(root).toJson();
}

} // namespace

class TestCheckCommand : public QObject
{
    Q_OBJECT

private slots:
    void demoBridgeIsClean()
    {
        const QString path = sourceDir() + u"/resources/demo/pantry.mcpbridge.json"_s;
        const Run run = runCheck({path});
        QCOMPARE(run.exitCode, int(cli::ExitOk));
        QCOMPARE(run.out.size(), 1); // only the summary: no problems at all
        const bridge::LoadReport report = bridge::loadDocument(path);
        QVERIFY(report.document);
        QVERIFY(run.out.first().startsWith(
            u"%1: %2 tools, "_s.arg(path).arg(report.document->tools.size())));
        QVERIFY(run.out.first().contains(u"1 resource template, 1 prompt"_s));
        QVERIFY2(run.out.first().endsWith(u" — no problems"_s), qPrintable(run.out.first()));
        QVERIFY(report.document->tools.size() >= 7 && report.document->tools.size() <= 10);
    }

    void validFixture()
    {
        const Run run = runCheck({fixture(u"valid.mcpbridge.json"_s)});
        QCOMPARE(run.exitCode, int(cli::ExitOk));
        QCOMPARE(run.out,
                 QStringList{
                     fixture(u"valid.mcpbridge.json"_s)
                     + u": 2 tools, 2 resources, 1 resource template, 2 prompts — no problems"_s});
        QVERIFY(run.err.isEmpty());
    }

    void everyProblemIsPrinted()
    {
        const QString path = fixture(u"broken-semantics.mcpbridge.json"_s);
        const Run run = runCheck({path});
        QCOMPARE(run.exitCode, int(cli::ExitProblems));
        const bridge::LoadReport report = bridge::loadDocument(path);
        QCOMPARE(run.out.size(), report.problems.size() + 1);
        int errors = 0;
        int warnings = 0;
        for (qsizetype i = 0; i < report.problems.size(); ++i) {
            QCOMPARE(run.out.at(i), report.problems.at(i).toString());
            (report.problems.at(i).severity == bridge::Problem::Severity::Error ? errors
                                                                                : warnings)++;
        }
        QVERIFY(errors >= 4);
        QVERIFY(warnings >= 2);
        QVERIFY(run.out.contains(path
                                 + u": error at /tools/0/method: \"FETCH\" is not an HTTP "
                                   "method McpBridge can call; use one of \"GET\", \"POST\", "
                                   "\"PUT\", \"PATCH\", \"DELETE\", \"HEAD\""_s));
        QVERIFY(
            run.out.contains(path + u": warning at /tools/0/colour: unknown member, ignored"_s));
        QCOMPARE(run.out.last(),
                 u"%1: 1 tool — %2 errors, %3 warnings"_s.arg(path).arg(errors).arg(warnings));
    }

    void syntaxError()
    {
        const QString path = fixture(u"broken-syntax.mcpbridge.json"_s);
        const Run run = runCheck({path});
        QCOMPARE(run.exitCode, int(cli::ExitProblems));
        QCOMPARE(run.out.size(), 2);
        QVERIFY2(run.out.first().startsWith(path + u":5:5: error: a \",\" is missing"_s),
                 qPrintable(run.out.first()));
        QCOMPARE(run.out.last(), path + u": could not be read — 1 error"_s);
    }

    void warningsAndStrict()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, u"w.mcpbridge.json"_s, validWith([](QJsonObject &root) {
                                           QJsonArray tools = root[u"tools"_s].toArray();
                                           QJsonObject tool = tools[0].toObject();
                                           tool.remove(u"description"_s);
                                           tools[0] = tool;
                                           root[u"tools"_s] = tools;
                                       }));
        const Run run = runCheck({path});
        QCOMPARE(run.exitCode, int(cli::ExitOk));
        QCOMPARE(run.out.size(), 2);
        QVERIFY(run.out.first().contains(u"warning at /tools/0/description"_s));
        QVERIFY(run.out.last().endsWith(u" — 1 warning"_s));

        QCOMPARE(runCheck({u"--strict"_s, path}).exitCode, int(cli::ExitProblems));
    }

    void missingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"absent.mcpbridge.json"_s);
        const Run run = runCheck({path});
        QCOMPARE(run.exitCode, int(cli::ExitProblems));
        QCOMPARE(run.out, (QStringList{path + u": error: the file does not exist"_s,
                                       path + u": could not be read — 1 error"_s}));
    }

    void severalFiles()
    {
        const QString good = fixture(u"valid.mcpbridge.json"_s);
        const QString newer = fixture(u"newer-format.mcpbridge.json"_s);
        const Run run = runCheck({good, newer});
        QCOMPARE(run.exitCode, int(cli::ExitProblems));
        QCOMPARE(run.out.size(), 3);
        QVERIFY(run.out.at(0).startsWith(good + u": "_s));
        QVERIFY2(run.out.at(1).contains(u"error at /format: this document uses format 7"_s),
                 qPrintable(run.out.at(1)));
        QCOMPARE(run.out.at(2), newer + u": could not be read — 1 error"_s);
    }

    void usage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stdoutHas");
        QTest::addColumn<QString>("stderrHas");
        QTest::newRow("help") << QStringList{u"--help"_s} << int(cli::ExitOk)
                              << u"Usage: mcpbridge check [--strict] FILE..."_s << QString();
        QTest::newRow("no files") << QStringList{} << int(cli::ExitProblems) << QString()
                                  << u"name at least one bridge document"_s;
        QTest::newRow("unknown option")
            << QStringList{u"--colour"_s, u"x.json"_s} << int(cli::ExitProblems) << QString()
            << u"Unknown option 'colour'"_s;
    }

    void usage()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, stdoutHas);
        QFETCH(QString, stderrHas);
        const Run run = runCheck(args);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.out.join(u'\n').contains(stdoutHas), qPrintable(run.out.join(u'\n')));
        QVERIFY2(run.err.contains(stderrHas), qPrintable(run.err));
        if (stdoutHas.isEmpty())
            QVERIFY(run.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCheckCommand)
#include "tst_checkcommand.moc"
