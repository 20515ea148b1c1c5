// Client configs for Claude Desktop, Cursor, VS Code and Claude Code: shapes each client expects,
// merging into an existing file without losing anything, and shell quoting of the CLI line.

#include "core/exporters/clientconfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge::exporters;

class TestClientConfig : public QObject
{
    Q_OBJECT

    static LaunchSpec spec()
    {
        LaunchSpec s;
        s.serverName = u"pantry"_s;
        s.command = u"/opt/mcpbridge/bin/mcpbridge"_s;
        s.configPath = u"/home/ann/My Bridges/pantry.mcpbridge.json"_s;
        return s;
    }
    static QJsonObject parse(const QByteArray &text)
    {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
        [&] { QCOMPARE(error.error, QJsonParseError::NoError); }();
        return doc.object();
    }

private slots:
    void stdioEntryPerClient_data()
    {
        QTest::addColumn<QString>("client");
        QTest::addColumn<QString>("serversKey");
        QTest::addColumn<QString>("type"); // expected "type" member, empty: none
        QTest::newRow("claude-desktop") << u"claude-desktop"_s << u"mcpServers"_s << QString();
        QTest::newRow("cursor") << u"cursor"_s << u"mcpServers"_s << QString();
        QTest::newRow("vscode") << u"vscode"_s << u"servers"_s << u"stdio"_s;
        QTest::newRow("claude-code") << u"claude-code"_s << u"mcpServers"_s << u"stdio"_s;
    }
    void stdioEntryPerClient()
    {
        QFETCH(QString, client);
        QFETCH(QString, serversKey);
        QFETCH(QString, type);
        const auto c = clientFromId(client);
        QVERIFY(c);
        const QJsonObject root = parse(configFile(*c, spec()));
        QCOMPARE(root.keys(), QStringList{serversKey});
        const QJsonObject entry = root.value(serversKey).toObject().value(u"pantry"_s).toObject();
        QCOMPARE(entry.value(u"command"_s).toString(), spec().command);
        QCOMPARE(entry.value(u"args"_s).toArray().toVariantList(),
                 (QVariantList{u"serve"_s, u"--stdio"_s, u"--config"_s, spec().configPath}));
        QCOMPARE(entry.value(u"type"_s).toString(), type);
        QVERIFY(!entry.contains(u"env"_s)); // secrets come from the keychain, never the config
    }

    void baseUrlIsPassedOn()
    {
        LaunchSpec s = spec();
        s.baseUrl = u"http://127.0.0.1:9000"_s;
        const QStringList args = serveArguments(s);
        QCOMPARE(args.mid(4), (QStringList{u"--base-url"_s, u"http://127.0.0.1:9000"_s}));
    }

    void httpEntry()
    {
        LaunchSpec s = spec();
        s.httpUrl = u"http://127.0.0.1:8765/mcp"_s;
        QCOMPARE(serverEntry(Client::VsCode, s),
                 (QJsonObject{{u"type"_s, u"http"_s}, {u"url"_s, s.httpUrl}}));
        QCOMPARE(serverEntry(Client::Cursor, s), (QJsonObject{{u"url"_s, s.httpUrl}}));
        // Claude Desktop cannot reach a loopback URL: it always gets the stdio entry.
        QVERIFY(serverEntry(Client::ClaudeDesktop, s).contains(u"command"_s));
    }

    void mergeKeepsEverythingElse()
    {
        const QByteArray existing = R"({"globalShortcut": "Ctrl+Space",
            "mcpServers": {"files": {"command": "npx", "args": ["-y", "fs-server"]},
                           "pantry": {"command": "old"}}})";
        const auto merged = mergeInto(Client::ClaudeDesktop, existing, spec());
        QVERIFY2(merged, qPrintable(merged ? QString() : merged.error().toString()));
        const QJsonObject root = parse(*merged);
        QCOMPARE(root.value(u"globalShortcut"_s).toString(), u"Ctrl+Space"_s);
        const QJsonObject servers = root.value(u"mcpServers"_s).toObject();
        QCOMPARE(servers.value(u"files"_s).toObject().value(u"command"_s).toString(), u"npx"_s);
        QCOMPARE(servers.value(u"pantry"_s).toObject().value(u"command"_s).toString(),
                 spec().command);
        QVERIFY(merged->endsWith('\n'));
    }

    void mergeIntoEmptyFile()
    {
        const auto merged = mergeInto(Client::VsCode, QByteArray(), spec());
        QVERIFY(merged);
        QVERIFY(parse(*merged).value(u"servers"_s).toObject().contains(u"pantry"_s));
    }

    void mergeRefusesBrokenFiles_data()
    {
        QTest::addColumn<QByteArray>("existing");
        QTest::addColumn<QString>("expected");
        QTest::newRow("garbage") << QByteArray("{\n  \"mcpServers\": {,\n}") << u"line 2"_s;
        QTest::newRow("array") << QByteArray("[]") << u"not a JSON object"_s;
        QTest::newRow("servers not object")
            << QByteArray(R"({"mcpServers": []})") << u"\"mcpServers\" in the existing"_s;
    }
    void mergeRefusesBrokenFiles()
    {
        QFETCH(QByteArray, existing);
        QFETCH(QString, expected);
        const auto merged = mergeInto(Client::ClaudeDesktop, existing, spec());
        QVERIFY(!merged);
        QVERIFY2(merged.error().toString().contains(expected),
                 qPrintable(merged.error().toString()));
        QVERIFY(merged.error().toString().contains(u"nothing was changed"_s));
    }

    void claudeCodeCommandIsShellQuoted()
    {
        QCOMPARE(claudeCodeCommand(spec()),
                 u"claude mcp add pantry -- /opt/mcpbridge/bin/mcpbridge serve --stdio --config "
                 "'/home/ann/My Bridges/pantry.mcpbridge.json'"_s);
        LaunchSpec s = spec();
        s.configPath = u"/tmp/it's.json"_s;
        QVERIFY(claudeCodeCommand(s).endsWith(u"'/tmp/it'\\''s.json'"_s));
        s.httpUrl = u"http://127.0.0.1:8765/mcp"_s;
        QCOMPARE(claudeCodeCommand(s),
                 u"claude mcp add --transport http pantry http://127.0.0.1:8765/mcp"_s);
    }

    void lineDiffShowsOnlyChanges()
    {
        const QString diff = lineDiff("a\nb\nc\n", "a\nB\nc\nd\n");
        QCOMPARE(diff, u"- b\n+ B\n+ d\n"_s);
        QVERIFY(lineDiff("same\n", "same\n").isEmpty());
    }

    void clientIds()
    {
        for (Client c : allClients())
            QCOMPARE(clientFromId(clientId(c)), c);
        QVERIFY(!clientFromId(u"notepad"_s));
    }
};

QTEST_GUILESS_MAIN(TestClientConfig)
#include "tst_clientconfig.moc"
