// Installing a bridge into a client's config file: the plan shows the change without writing,
// applying keeps a backup and writes atomically, a broken or changed file is never overwritten.

#include "core/exporters/configinstaller.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge::exporters;

namespace {
QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}
LaunchSpec spec()
{
    LaunchSpec s;
    s.serverName = u"pantry"_s;
    s.command = u"/usr/bin/mcpbridge"_s;
    s.configPath = u"/home/me/pantry.mcpbridge.json"_s;
    return s;
}
} // namespace

class TestConfigInstaller : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void planDoesNotWrite()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(u"a/mcp.json"_s);
        const auto plan = planInstall(Client::Cursor, target, spec());
        QVERIFY(plan);
        QVERIFY(plan->before.isEmpty());
        QVERIFY(plan->changes());
        QCOMPARE(plan->diff, lineDiff({}, plan->after));
        QVERIFY(!QFile::exists(target));
    }

    void applyKeepsBackupAndOthers()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(u"claude_desktop_config.json"_s);
        const QByteArray before = R"({"mcpServers":{"other":{"command":"x"}}})";
        QVERIFY(writeFile(target, before));
        const auto plan = planInstall(Client::ClaudeDesktop, target, spec());
        QVERIFY(plan);
        const QDateTime when(QDate(2026, 1, 2), QTime(3, 4, 5));
        const auto done = applyInstall(*plan, when);
        QVERIFY2(done, done ? "" : qPrintable(done.error().toString()));
        QVERIFY(done->changed);
        QCOMPARE(done->backupPath, backupPathFor(target, when));
        QVERIFY(done->backupPath.endsWith(u".bak-20260102-030405"_s));
        QCOMPARE(readAll(done->backupPath), before);
        const QJsonObject servers
            = QJsonDocument::fromJson(readAll(target)).object().value(u"mcpServers"_s).toObject();
        QVERIFY(servers.contains(u"other"_s));
        QVERIFY(servers.contains(u"pantry"_s));

        // The same second again: the first backup is not overwritten.
        QVERIFY(writeFile(target, before));
        const auto again = applyInstall(*planInstall(Client::ClaudeDesktop, target, spec()), when);
        QVERIFY(again);
        QVERIFY(again->backupPath != done->backupPath);
        QCOMPARE(readAll(done->backupPath), before);
    }

    void brokenFileFailsPlan_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("truncated") << QByteArray("{\"mcpServers\": {");
        QTest::newRow("not an object") << QByteArray("\"text\"");
    }
    void brokenFileFailsPlan()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const QString target = dir.filePath(u"mcp.json"_s);
        QVERIFY(writeFile(target, content));
        const auto plan = planInstall(Client::Cursor, target, spec());
        QVERIFY(!plan);
        QCOMPARE(plan.error().code, int(InstallInvalid));
        QCOMPARE(plan.error().where, target);
        QCOMPARE(readAll(target), content);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
    }

    void changedFileIsNotOverwritten()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(u"mcp.json"_s);
        QVERIFY(writeFile(target, R"({"mcpServers":{}})"));
        const auto plan = planInstall(Client::Cursor, target, spec());
        QVERIFY(plan);
        const QByteArray edited = R"({"mcpServers":{"new":{"command":"y"}}})";
        QVERIFY(writeFile(target, edited));
        QVERIFY(!applyInstall(*plan));
        QCOMPARE(readAll(target), edited);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestConfigInstaller)
#include "tst_configinstaller.moc"
