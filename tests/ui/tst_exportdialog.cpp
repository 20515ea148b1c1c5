// The export dialog: what it shows for each client is the real client config, the merge into an
// existing file keeps everything else and a backup, a broken file is left alone, and no secret
// value appears anywhere.

#include "ui/dialogs/exportdialog.h"

#include "core/bridge/documentio.h"
#include "core/exporters/clientconfig.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using exporters::Client;

Q_DECLARE_METATYPE(mcpbridge::exporters::Client)

namespace {
const QString SecretValue = u"s3cr3t-value-that-must-not-leak"_s;
const QString Program = u"/opt/mcpbridge/bin/mcpbridge"_s;
const QString RunningUrl = u"http://127.0.0.1:9911/mcp"_s;

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}
} // namespace

class TestExportDialog : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_docPath;
    bridge::BridgeDocument m_doc;

    exporters::LaunchSpec spec(bool http) const
    {
        exporters::LaunchSpec s;
        s.serverName = m_doc.server.name;
        s.command = Program;
        s.configPath = m_docPath;
        if (http)
            s.httpUrl = RunningUrl;
        return s;
    }
    std::unique_ptr<ui::ExportDialog> makeDialog() const
    {
        auto dialog = std::make_unique<ui::ExportDialog>(m_docPath, m_doc);
        dialog->setCommand(Program);
        dialog->setRunningBridgeUrl(RunningUrl);
        return dialog;
    }
    QStringList backups(const QString &target) const
    {
        const QFileInfo info(target);
        return info.absoluteDir().entryList({info.fileName() + u".bak-*"_s}, QDir::Files);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("MCPBRIDGE_SECRET_X", SecretValue.toUtf8());
        m_doc.server.name = u"pantry"_s;
        m_doc.server.title = u"Pantry & Recipes"_s;
        m_doc.upstream.baseUrl = u"http://127.0.0.1:8766"_s;
        m_doc.upstream.headers.insert(u"X-Token"_s, u"${secret:x}"_s);
        m_docPath = m_dir.filePath(u"pantry.mcpbridge.json"_s);
        writeFile(m_docPath, bridge::serializeDocument(m_doc));
    }

    void clientModel()
    {
        auto dialog = makeDialog();
        QAbstractItemModelTester tester(dialog->clientModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(dialog->clientModel()->rowCount(), exporters::allClients().size());
        for (int row = 0; row < dialog->clientModel()->rowCount(); ++row) {
            const QModelIndex index = dialog->clientModel()->index(row, 0);
            QCOMPARE(index.data().toString(),
                     exporters::clientDisplayName(exporters::allClients().at(row)));
            QVERIFY(!index.data(Qt::ToolTipRole).toString().isEmpty());
        }
    }

    void shownConfigIsTheClientConfig_data()
    {
        QTest::addColumn<Client>("client");
        QTest::addColumn<bool>("http");
        for (Client c : exporters::allClients()) {
            QTest::addRow("%s-stdio", qPrintable(exporters::clientId(c))) << c << false;
            if (c != Client::ClaudeDesktop)
                QTest::addRow("%s-http", qPrintable(exporters::clientId(c))) << c << true;
        }
    }
    // Without setCommand, the config starts the real mcpbridge program (in a build tree it is in
    // app/cli, not beside the studio).
    void theDefaultCommandIsTheRealProgram()
    {
        ui::ExportDialog dialog(m_docPath, m_doc);
        const QJsonObject servers = QJsonDocument::fromJson(dialog.configText().toUtf8())
                                        .object()
                                        .value(u"mcpServers"_s)
                                        .toObject();
        const QString command
            = servers.value(m_doc.server.name).toObject().value(u"command"_s).toString();
        QVERIFY2(QFileInfo(command).isExecutable(), qPrintable(command));
        QCOMPARE(QFileInfo(command).fileName(), u"mcpbridge"_s);
    }

    void shownConfigIsTheClientConfig()
    {
        QFETCH(Client, client);
        QFETCH(bool, http);
        auto dialog = makeDialog();
        dialog->setClient(client);
        dialog->setUseRunningBridge(http);
        QCOMPARE(dialog->client(), client);
        QCOMPARE(dialog->usesRunningBridge(), http);

        QJsonParseError error;
        const QJsonDocument shown = QJsonDocument::fromJson(dialog->configText().toUtf8(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(shown.isObject());
        QCOMPARE(shown, QJsonDocument::fromJson(exporters::configFile(client, spec(http))));
        QVERIFY(!dialog->findChild<QLabel *>(u"explanation"_s)->text().isEmpty());

        // For looking at the dialog by eye: MCPBRIDGE_UI_GRAB=<folder>.
        if (const QString grab = qEnvironmentVariable("MCPBRIDGE_UI_GRAB"); !grab.isEmpty()) {
            dialog->resize(dialog->sizeHint().expandedTo(QSize(800, 500)));
            dialog->show();
            dialog->grab().save(QDir(grab).filePath(
                u"export-%1.png"_s.arg(QString::fromLatin1(QTest::currentDataTag()))));
        }
        if (client == Client::ClaudeCode)
            QCOMPARE(dialog->claudeCommandText(), exporters::claudeCodeCommand(spec(http)));
        else
            QVERIFY(dialog->claudeCommandText().isEmpty());
    }

    void claudeDesktopOnlyStartsTheBridge()
    {
        auto dialog = makeDialog();
        dialog->setClient(Client::Cursor);
        dialog->setUseRunningBridge(true);
        QVERIFY(dialog->configText().contains(RunningUrl));
        dialog->setClient(Client::ClaudeDesktop);
        QVERIFY(!dialog->usesRunningBridge());
        auto *http = dialog->findChildren<QRadioButton *>().last();
        QVERIFY(!http->isEnabled());
        QVERIFY(!dialog->configText().contains(RunningUrl));
        QCOMPARE(
            QJsonDocument::fromJson(dialog->configText().toUtf8()),
            QJsonDocument::fromJson(exporters::configFile(Client::ClaudeDesktop, spec(false))));
    }

    void mergeKeepsOtherServersAndBacksUp()
    {
        auto dialog = makeDialog();
        dialog->setClient(Client::ClaudeDesktop);
        const QString target = m_dir.filePath(u"merge/claude_desktop_config.json"_s);
        const QByteArray before
            = R"({"globalShortcut":"Ctrl+Space","mcpServers":{"other":{"command":"other-server","args":["--x"]}}})";
        writeFile(target, before);
        dialog->setTargetPath(target);
        QCOMPARE(dialog->targetPath(), target);

        QString askedTarget, askedDiff;
        dialog->setConfirm([&](const QString &t, const QString &diff) {
            askedTarget = t;
            askedDiff = diff;
            return true;
        });
        QVERIFY(dialog->addToClientConfig());
        QCOMPARE(askedTarget, target);
        QCOMPARE(dialog->lastDiffShown(), askedDiff);

        const QByteArray after = readAll(target);
        const QJsonObject root = QJsonDocument::fromJson(after).object();
        QCOMPARE(root.value(u"globalShortcut"_s).toString(), u"Ctrl+Space"_s);
        const QJsonObject servers = root.value(u"mcpServers"_s).toObject();
        QCOMPARE(servers.value(u"other"_s).toObject().value(u"command"_s).toString(),
                 u"other-server"_s);
        QCOMPARE(servers.value(u"pantry"_s).toObject(),
                 exporters::serverEntry(Client::ClaudeDesktop, spec(false)));

        // Every line the new file gained is listed as added in the diff that was shown.
        const QList<QByteArray> oldLines = before.split('\n');
        int added = 0;
        for (const QByteArray &line : after.split('\n')) {
            if (oldLines.contains(line) || line.isEmpty())
                continue;
            ++added;
            QVERIFY2(askedDiff.contains(u"+ "_s + QString::fromUtf8(line)), line.constData());
        }
        QVERIFY(added > 0);
        QVERIFY(askedDiff.contains(u"\"pantry\""_s));

        const QStringList saved = backups(target);
        QCOMPARE(saved.size(), 1);
        QCOMPARE(readAll(QFileInfo(target).absoluteDir().filePath(saved.first())), before);
        QVERIFY(dialog->statusText().contains(saved.first()));

        // A second time: nothing changes, no question, no new backup.
        askedDiff.clear();
        QVERIFY(!dialog->addToClientConfig());
        QVERIFY(askedDiff.isEmpty());
        QCOMPARE(readAll(target), after);
        QCOMPARE(backups(target).size(), 1);
    }

    void mergeIntoNewFileCreatesIt()
    {
        auto dialog = makeDialog();
        dialog->setClient(Client::VsCode);
        const QString target = m_dir.filePath(u"project/.vscode/mcp.json"_s);
        dialog->setTargetPath(target);
        dialog->setConfirm([](const QString &, const QString &) { return true; });
        QVERIFY(dialog->addToClientConfig());
        QCOMPARE(QJsonDocument::fromJson(readAll(target)),
                 QJsonDocument::fromJson(exporters::configFile(Client::VsCode, spec(false))));
        QVERIFY(backups(target).isEmpty());
    }

    void declinedChangeWritesNothing()
    {
        auto dialog = makeDialog();
        dialog->setClient(Client::Cursor);
        const QString target = m_dir.filePath(u"declined/mcp.json"_s);
        const QByteArray before = R"({"mcpServers":{}})";
        writeFile(target, before);
        dialog->setTargetPath(target);
        bool asked = false;
        dialog->setConfirm([&](const QString &, const QString &) {
            asked = true;
            return false;
        });
        QVERIFY(!dialog->addToClientConfig());
        QVERIFY(asked);
        QCOMPARE(readAll(target), before);
        QVERIFY(backups(target).isEmpty());
    }

    void brokenFileIsLeftAlone_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("not json") << QByteArray("{ \"mcpServers\": { oops ");
        QTest::newRow("array") << QByteArray("[1, 2]");
        QTest::newRow("servers not object") << QByteArray(R"({"mcpServers": "none"})");
    }
    void brokenFileIsLeftAlone()
    {
        QFETCH(QByteArray, content);
        auto dialog = makeDialog();
        dialog->setClient(Client::ClaudeDesktop);
        const QString target = m_dir.filePath(
            u"broken/%1/config.json"_s.arg(QString::fromLatin1(QTest::currentDataTag())));
        writeFile(target, content);
        dialog->setTargetPath(target);
        bool asked = false;
        dialog->setConfirm([&](const QString &, const QString &) {
            asked = true;
            return true;
        });
        QVERIFY(!dialog->addToClientConfig());
        QVERIFY(!asked);
        QCOMPARE(readAll(target), content);
        QVERIFY(backups(target).isEmpty());
        QVERIFY2(dialog->statusText().contains(target), qPrintable(dialog->statusText()));
    }

    void noSecretValueAnywhere()
    {
        QVERIFY(m_doc.secretNames().contains(u"x"_s));
        for (Client c : exporters::allClients()) {
            for (bool http : {false, true}) {
                auto dialog = makeDialog();
                dialog->setClient(c);
                dialog->setUseRunningBridge(http);
                const QString target
                    = m_dir.filePath(u"secret/%1-%2.json"_s.arg(exporters::clientId(c)).arg(http));
                dialog->setTargetPath(target);
                QString diff;
                dialog->setConfirm([&](const QString &, const QString &d) {
                    diff = d;
                    return true;
                });
                QVERIFY(dialog->addToClientConfig());
                QStringList texts{dialog->configText(), dialog->claudeCommandText(),
                                  dialog->statusText(), diff, QString::fromUtf8(readAll(target))};
                for (QLabel *label : dialog->findChildren<QLabel *>())
                    texts << label->text() << label->toolTip();
                for (QWidget *w : dialog->findChildren<QWidget *>())
                    texts << w->toolTip();
                for (const QString &text : std::as_const(texts))
                    QVERIFY2(!text.contains(SecretValue), qPrintable(text));
            }
        }
    }
};

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
