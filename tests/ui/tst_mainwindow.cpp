// The studio's main window: opening a bridge shows its outline and editors; editing a tool
// changes the preview, the budget and the modified state; unsaved changes are never lost
// silently; the demo bridge starts serving against the built-in API.

#include "core/bridge/documentio.h"
#include "core/demo/demoapi.h"
#include "core/mcp/mcpserver.h"
#include "core/secrets/memorysecretstore.h"
#include "ui/bridgerunner.h"
#include "ui/bridgesettingseditor.h"
#include "ui/documentsession.h"
#include "ui/editors/budgetmeter.h"
#include "ui/editors/prompteditor.h"
#include "ui/editors/resourceeditor.h"
#include "ui/editors/tooleditor.h"
#include "ui/mainwindow.h"
#include "ui/traffic/trafficlogmodel.h"
#include "ui/traffic/timelinedata.h"
#include "ui/traffic/timelineview.h"
#include "ui/traffic/trafficfilterproxy.h"
#include "ui/traffic/trafficview.h"
#include "ui/tryit/upstreamexchangemodel.h"
#include "ui/tryit/resultview.h"
#include "ui/tryit/schemaform.h"
#include "ui/tryit/tryitpanel.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <signal.h>

using namespace Qt::StringLiterals;
using mcpbridge::ui::BridgeItemModel;
using mcpbridge::ui::MainWindow;
using Kind = BridgeItemModel::Kind;

class TestMainWindow : public QObject
{
    Q_OBJECT

    static QString demoBridge()
    {
        return qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR")
               + u"/resources/demo/pantry.mcpbridge.json"_s;
    }

    QTemporaryDir m_dir;
    QTemporaryDir m_runtime;
    mcpbridge::secrets::MemorySecretStore m_secrets;

    // Fills search_recipes' query in Try it and calls it; returns the result text.
    static QString trySoup(MainWindow &window)
    {
        window.selectItem(Kind::Tool, 0);
        window.toolTabs()->setCurrentWidget(window.tryItPanel());
        auto *panel = window.tryItPanel();
        auto *query = qobject_cast<QLineEdit *>(panel->form()->editor(u"query"_s));
        if (!query)
            return u"no query field"_s;
        query->setText(u"soup"_s);
        if (!QTest::qWaitFor([&] { return panel->callButton()->isEnabled(); }, 10000))
            return u"Call stayed disabled: "_s + panel->callButton()->toolTip();
        panel->callTool();
        if (!QTest::qWaitFor([&] { return !panel->isBusy(); }, 10000))
            return u"the call did not finish"_s;
        return panel->resultView()->text();
    }

    QString demoCopy()
    {
        const QString path = m_dir.filePath(u"pantry.mcpbridge.json"_s);
        QFile::remove(path);
        QFile::copy(demoBridge(), path);
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        return path;
    }

    // A window whose questions are answered by `answer` and recorded in `asked`.
    std::unique_ptr<MainWindow> makeWindow(QMessageBox::StandardButton answer = QMessageBox::Cancel)
    {
        auto window = std::make_unique<MainWindow>(nullptr, &m_secrets);
        window->setAsk([this, answer](const QString &title, const QString &text,
                                      QMessageBox::StandardButtons) {
            m_asked << title + u": "_s + text;
            return answer;
        });
        window->portSpin()->setValue(0);
        return window;
    }
    QStringList m_asked;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // Bridges this test starts publish their tap here, and the studio lists only them.
        QVERIFY(m_runtime.isValid());
        qputenv("XDG_RUNTIME_DIR", m_runtime.path().toLocal8Bit());
        QCoreApplication::setOrganizationName(u"McpBridgeTest"_s);
        QCoreApplication::setApplicationName(u"tst_mainwindow"_s);
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        m_asked.clear();
        for (const QString &file : mcpbridge::ui::DocumentSession::leftoverRecoveryFiles())
            mcpbridge::ui::DocumentSession::discardRecoveryFile(file);
    }

    void startsOnTheWelcomePage()
    {
        auto window = makeWindow();
        QCOMPARE(window->editorStack()->currentWidget(), (QWidget *)window->welcomePage());
        QVERIFY(!window->itemTree()->isVisibleTo(window.get()));
        QCOMPARE(window->windowTitle(), u"McpBridge Studio"_s);
    }

    void opensTheDemoBridge()
    {
        auto window = makeWindow();
        QVERIFY(window->openDocument(demoCopy()));
        BridgeItemModel *items = window->itemModel();
        QCOMPARE(items->rowCount(), 4); // settings, tools, resources, prompts
        const QModelIndex tools = items->index(1, 0);
        QCOMPARE(items->rowCount(tools), window->document().tools.size());
        QCOMPARE(items->index(0, 0, tools).data().toString(), window->document().tools[0].name);
        QVERIFY(items->data(tools).toString().startsWith(u"Tools ("_s));
        QVERIFY(window->windowTitle().contains(u"pantry.mcpbridge.json"_s));

        // The first tool is selected and its editor shows it.
        QCOMPARE(BridgeItemModel::kindOf(window->itemTree()->currentIndex()), Kind::Tool);
        QCOMPARE(window->toolEditor()->tool().name, window->document().tools[0].name);
        const QJsonDocument preview
            = QJsonDocument::fromJson(window->toolEditor()->previewText().toUtf8());
        QCOMPARE(preview.object(), window->document().tools[0].toMcp());
    }

    void resourcesAndPromptsShowWhatTheModelReceives()
    {
        auto window = makeWindow();
        QVERIFY(window->openDocument(demoCopy()));
        window->selectItem(Kind::Prompt, 0);
        QCOMPARE(window->promptEditor()->prompt(), window->document().prompts[0]);
        QJsonDocument shown
            = QJsonDocument::fromJson(window->promptEditor()->previewText().toUtf8());
        QCOMPARE(shown.object(), window->document().prompts[0].toMcp());

        window->selectItem(Kind::Template, 0);
        QCOMPARE(window->resourceEditor()->resourceTemplate(),
                 window->document().resourceTemplates[0]);
        shown = QJsonDocument::fromJson(window->resourceEditor()->previewText().toUtf8());
        QCOMPARE(shown.object(), window->document().resourceTemplates[0].toMcp());

        // An edit in the resource editor lands in the right list entry.
        window->selectItem(Kind::Resource, 0);
        auto *title = window->resourceEditor()->findChild<QLineEdit *>(u"title"_s);
        QVERIFY(title);
        title->selectAll();
        QTest::keyClicks(title, u"What is in the pantry"_s);
        QCOMPARE(window->document().resources[0].title, u"What is in the pantry"_s);
        QCOMPARE(window->document().resourceTemplates[0],
                 mcpbridge::bridge::loadDocument(demoBridge()).document->resourceTemplates[0]);
    }

    void editingAToolChangesPreviewBudgetAndTitle()
    {
        auto window = makeWindow();
        QVERIFY(window->openDocument(demoCopy()));
        window->show();
        const qint64 before = window->budgetMeter()->estimatedTokens();
        QVERIFY(before > 0);
        auto *description = window->toolEditor()->findChild<QPlainTextEdit *>(u"description"_s);
        QVERIFY(description);
        description->moveCursor(QTextCursor::End);
        const QString added = u" Prefer this over get_recipe when you only know part of the "
                              "name, and ask the user which result they meant."_s;
        QTest::keyClicks(description, added);
        QTRY_VERIFY(window->document().tools[0].description.endsWith(added));
        QVERIFY(window->session()->isModified());
        QVERIFY(window->isWindowModified());
        QVERIFY(window->budgetMeter()->estimatedTokens() > before);
        QVERIFY(window->toolEditor()->previewText().contains(u"ask the user which result"_s));
        // The running server gets the edit a moment later.
        QTRY_VERIFY(window->runner()->servedDocument().tools[0].description.endsWith(added));
    }

    void settingsEditsReachTheDocument()
    {
        auto window = makeWindow();
        QVERIFY(window->openDocument(demoCopy()));
        window->selectItem(Kind::Settings);
        auto *settings = window->settingsEditor();
        QCOMPARE(window->editorStack()->currentIndex(), 1);
        settings->titleEdit()->selectAll();
        QTest::keyClicks(settings->titleEdit(), u"Kitchen helper"_s);
        QCOMPARE(window->document().server.title, u"Kitchen helper"_s);
        settings->baseUrlEdit()->selectAll();
        QTest::keyClicks(settings->baseUrlEdit(), u"not a url"_s);
        QVERIFY(!settings->problems().isEmpty());
        const QModelIndex settingsItem = window->itemModel()->indexOf(Kind::Settings);
        QVERIFY(!settingsItem.data(BridgeItemModel::ProblemsRole).toStringList().isEmpty());
    }

    void addingAndRemovingTools()
    {
        auto window = makeWindow();
        QVERIFY(window->openDocument(demoCopy()));
        const qsizetype count = window->document().tools.size();
        for (QAction *action : window->findChildren<QAction *>())
            if (action->text() == u"Add &Tool"_s)
                action->trigger();
        QCOMPARE(window->document().tools.size(), count + 1);
        QCOMPARE(window->document().tools.last().name, u"new_tool"_s);
        QCOMPARE(window->toolEditor()->tool().name, u"new_tool"_s);
        const auto trigger = [&](const QString &prefix) {
            for (QAction *action : window->findChildren<QAction *>())
                if (action->text().startsWith(prefix))
                    return action->trigger(), true;
            return false;
        };
        QVERIFY(trigger(u"&Delete Selected Item"_s));
        QCOMPARE(window->document().tools.size(), count);

        // Deleting a tool in the middle, then undoing it, puts it back where it was.
        window->selectItem(Kind::Tool, 2);
        const auto third = window->document().tools[2];
        QVERIFY(trigger(u"&Delete Selected Item"_s));
        QVERIFY(!window->document().tools.contains(third));
        QVERIFY(trigger(u"&Undo Delete of “%1”"_s.arg(third.name)));
        QCOMPARE(window->document().tools[2], third);
        QCOMPARE(window->toolEditor()->tool(), third);
        QVERIFY(!trigger(u"&Undo Delete of"_s)); // only once
    }

    // Every control a user can operate explains itself (tooltip) or is named for screen readers.
    void everyControlHasATooltipOrName()
    {
        auto window = makeWindow();
        QVERIFY(window->openDocument(demoCopy()));
        window->show();
        QStringList bare;
        int checked = 0;
        for (QWidget *widget : window->findChildren<QWidget *>()) {
            const bool control
                = qobject_cast<QAbstractButton *>(widget) || qobject_cast<QLineEdit *>(widget)
                  || qobject_cast<QComboBox *>(widget) || qobject_cast<QAbstractSpinBox *>(widget)
                  || qobject_cast<QPlainTextEdit *>(widget);
            if (!control || !widget->isVisibleTo(window.get()) || widget->parent() == nullptr)
                continue;
            // Parts of composite Qt widgets (spin box line edits, dock title buttons, tab bar
            // scrollers) are described by their owner.
            const QString owner = QString::fromLatin1(widget->parent()->metaObject()->className());
            if (owner.startsWith(u"QAbstractSpinBox"_s) || owner.contains(u"SpinBox"_s)
                || owner.contains(u"ComboBox"_s) || owner.startsWith(u"QDockWidget"_s)
                || owner.startsWith(u"QTabBar"_s) || owner.startsWith(u"QToolBar"_s)
                || owner.contains(u"ScrollBar"_s))
                continue;
            ++checked;
            if (widget->toolTip().isEmpty() && widget->accessibleName().isEmpty())
                bare << QString::fromLatin1(widget->metaObject()->className()) + u' '
                            + widget->objectName() + u" in "_s + owner;
        }
        QVERIFY2(bare.isEmpty(), qPrintable(bare.join(u"; "_s)));
        QVERIFY(checked > 20); // the editors, Try it, traffic and run controls were all seen
    }

    // Opening another bridge of the same shape must load its items into the editors, so an
    // edit never writes the previous bridge's item into the new one.
    void openingASameShapedBridgeLoadsItsItems()
    {
        auto window = makeWindow(QMessageBox::Discard);
        QVERIFY(window->openDocument(demoCopy()));
        const QString other = m_dir.filePath(u"other.mcpbridge.json"_s);
        auto document = window->document();
        document.tools[0].description = u"The other bridge's description."_s;
        QVERIFY(mcpbridge::bridge::saveDocument(document, other).has_value());
        QVERIFY(window->openDocument(other));
        QCOMPARE(window->toolEditor()->tool().description, u"The other bridge's description."_s);

        window->selectItem(Kind::Settings);
        auto *title = window->settingsEditor()->titleEdit();
        title->selectAll();
        QTest::keyClicks(title, u"Other"_s);
        QCOMPARE(window->document().tools[0].description, u"The other bridge's description."_s);
    }

    // The settings page writes only its own fields: a sign-in set meanwhile stays.
    void settingsEditsKeepTheSignIn()
    {
        auto window = makeWindow();
        QVERIFY(window->openDocument(demoCopy()));
        window->selectItem(Kind::Settings);
        auto document = window->document();
        document.upstream.auth.kind = u"bearer"_s;
        document.upstream.auth.secret = u"api_token"_s;
        window->session()->update(document);
        QTest::keyClicks(window->settingsEditor()->titleEdit(), u"!"_s);
        QCOMPARE(window->document().upstream.auth.kind, u"bearer"_s);
        QVERIFY(window->document().server.title.endsWith(u'!'));
    }

    // An edit that leaves a tool invalid (here: no name) is kept, not silently dropped.
    void invalidEditsAreKept()
    {
        auto window = makeWindow(QMessageBox::Cancel);
        QVERIFY(window->openDocument(demoCopy()));
        auto *name = window->toolEditor()->findChild<QLineEdit *>(u"name"_s);
        name->selectAll();
        QTest::keyClick(name, Qt::Key_Backspace);
        auto *description = window->toolEditor()->findChild<QPlainTextEdit *>(u"description"_s);
        description->moveCursor(QTextCursor::End);
        QTest::keyClicks(description, u" Kept."_s);
        QVERIFY(window->session()->isModified());
        QCOMPARE(window->document().tools[0].name, QString());
        QVERIFY(window->document().tools[0].description.endsWith(u" Kept."_s));
        const QModelIndex tool = window->itemModel()->indexOf(Kind::Tool, 0);
        QVERIFY(!tool.data(BridgeItemModel::ProblemsRole).toStringList().isEmpty());
        QVERIFY(!window->close()); // it asks, and Cancel keeps everything
    }

    void saveAsAsksBeforeReplacingAFile()
    {
        auto window = makeWindow(QMessageBox::Cancel);
        QVERIFY(window->openDocument(demoCopy()));
        const QString existing = m_dir.filePath(u"taken.mcpbridge.json"_s);
        QFile taken(existing);
        QVERIFY(taken.open(QIODevice::WriteOnly));
        taken.write("keep me");
        taken.close();
        window->setChooseFile(
            [&](MainWindow::FileRequest, const QString &) { return m_dir.filePath(u"taken"_s); });
        QVERIFY(!window->saveAs());
        QCOMPARE(m_asked.size(), 1);
        QVERIFY(m_asked.first().contains(u"already exists"_s));
        QVERIFY(taken.open(QIODevice::ReadOnly));
        QCOMPARE(taken.readAll(), QByteArray("keep me"));
    }

    void theDemoKeepsTheUsersSavedChanges()
    {
        auto window = makeWindow();
        QVERIFY(window->openDemo());
        auto document = window->document();
        document.tools[0].description = u"My own words."_s;
        window->session()->update(document);
        QVERIFY(window->save());
        window->closeDocument();
        QVERIFY(window->openDemo());
        QCOMPARE(window->document().tools[0].description, u"My own words."_s);
    }

    void brokenDocumentIsRefusedAndNothingIsLost()
    {
        auto window = makeWindow();
        const QString good = demoCopy();
        QVERIFY(window->openDocument(good));
        const QString broken = m_dir.filePath(u"broken.mcpbridge.json"_s);
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ \"format\": 1, \"tools\": [ }");
        f.close();
        QVERIFY(!window->openDocument(broken));
        QCOMPARE(window->documentPath(), good); // the open bridge stays open
        QCOMPARE(m_asked.size(), 1);
        QVERIFY(m_asked.first().contains(u"broken.mcpbridge.json"_s));
        QVERIFY(m_asked.first().contains(u":1:"_s)); // the line of the syntax error
    }

    void closingAsksAboutUnsavedChanges()
    {
        const QString path = demoCopy();
        auto window = makeWindow(QMessageBox::Cancel);
        QVERIFY(window->openDocument(path));
        auto document = window->document();
        document.server.title = u"Not saved yet"_s;
        window->session()->update(document);

        QVERIFY(!window->close()); // Cancel: the window stays, with the changes
        QCOMPARE(m_asked.size(), 1);
        QVERIFY(m_asked.first().contains(u"not saved"_s));
        QCOMPARE(window->document().server.title, u"Not saved yet"_s);

        window->setAsk([](const QString &, const QString &, QMessageBox::StandardButtons) {
            return QMessageBox::Save;
        });
        QVERIFY(window->close());
        const auto saved = mcpbridge::bridge::loadDocument(path);
        QCOMPARE(saved.document->server.title, u"Not saved yet"_s);
    }

    void saveAsWritesANewFileAndRemembersIt()
    {
        auto window = makeWindow();
        QVERIFY(window->openDocument(demoCopy()));
        const QString target = m_dir.filePath(u"copy"_s);
        window->setChooseFile([&](MainWindow::FileRequest request, const QString &) {
            return request == MainWindow::FileRequest::SaveBridge ? target : QString();
        });
        QVERIFY(window->saveAs());
        QCOMPARE(window->documentPath(), target + u".mcpbridge.json"_s);
        QVERIFY(QFile::exists(target + u".mcpbridge.json"_s));
        QCOMPARE(mcpbridge::ui::DocumentSession::recentFiles().first(),
                 target + u".mcpbridge.json"_s);
    }

    void recoveryIsOfferedAfterACrash()
    {
        const QString path = demoCopy();
        {
            mcpbridge::ui::DocumentSession crashed;
            QVERIFY(!crashed.open(path).hasErrors());
            auto document = crashed.document();
            document.server.title = u"Recovered title"_s;
            crashed.update(document);
        } // destroyed with unsaved changes, as in a crash
        auto window = makeWindow(QMessageBox::Open);
        window->offerRecovery();
        QCOMPARE(m_asked.size(), 1);
        QVERIFY(m_asked.first().contains(path));
        QCOMPARE(window->document().server.title, u"Recovered title"_s);
        QCOMPARE(window->documentPath(), path);
        QVERIFY(window->session()->isModified());
    }

    void theDemoServesAndShowsTraffic()
    {
        auto window = makeWindow();
        QVERIFY(window->openDemo());
        QVERIFY(window->demoApi());
        QVERIFY(window->runner()->isServing());
        QVERIFY(window->serverStateLabel()->text().contains(u"Serving at http://127.0.0.1:"_s));
        QCOMPARE(window->runButton()->text(), u"Stop"_s);
        QCOMPARE(window->document().upstream.baseUrl,
                 u"http://127.0.0.1:%1"_s.arg(window->demoApi()->port()));

        // A client's call shows up in the traffic log.
        mcpbridge::mcp::McpServer *server = window->runner()->server();
        mcpbridge::mcp::Session *session = server->createSession(u"in-process"_s);
        server->receive(session, mcpbridge::jsonrpc::Message::request(
                                     mcpbridge::jsonrpc::Id{qint64(7)}, u"ping"_s));
        QTRY_VERIFY(window->trafficView()->model()->eventCount() >= 2);

        // Try it: the form of search_recipes, a real call through the bridge to the demo API.
        QVERIFY(trySoup(*window).contains(u"Red Lentil Soup"_s));
        QVERIFY(!window->tryItPanel()->resultView()->isError());
        const auto sawUpstream = [&] {
            window->trafficView()->model()->flushPending();
            for (const auto &event : window->trafficView()->model()->events())
                if (event.kind == mcpbridge::traffic::EventKind::Upstream
                    && event.url.contains(u"/recipes?q=soup"_s) && event.httpStatus == 200)
                    return true;
            return false;
        };
        QTRY_VERIFY(sawUpstream());
        // Double-clicking the API request in Try it selects it in the traffic table.
        auto *exchanges = window->tryItPanel()->exchangeModel();
        QCOMPARE(exchanges->rowCount(), 1);
        quint64 upstreamSeq = 0;
        for (const auto &event : window->trafficView()->model()->events())
            if (event.kind == mcpbridge::traffic::EventKind::Upstream)
                upstreamSeq = event.seq;
        QVERIFY(window->showTrafficEvent(upstreamSeq));
        const QModelIndex shown = window->trafficView()->proxy()->mapToSource(
            window->trafficView()->tree()->currentIndex());
        QCOMPARE(shown.data(mcpbridge::ui::TrafficLogModel::EventRole)
                     .value<mcpbridge::traffic::TrafficEvent>()
                     .seq,
                 upstreamSeq);

        // The timeline beside the table has a lane for the tool just called.
        const auto &lanes = window->timelineView()->timelineData()->lanes();
        QVERIFY(std::any_of(lanes.cbegin(), lanes.cend(), [](const auto &lane) {
            return lane.name == u"search_recipes"_s && lane.count >= 1;
        }));

        window->stopServing();
        QVERIFY(!window->runner()->isServing());
        QCOMPARE(window->runButton()->text(), u"Start"_s);
    }

    void theDemoTakesAnyFreePortWhenTheUsualOneIsBusy()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        auto window = makeWindow();
        window->portSpin()->setValue(squatter.serverPort());
        QVERIFY(window->openDemo());
        QVERIFY(window->runner()->isServing());
        QVERIFY(window->runner()->url().port() != squatter.serverPort());
        QVERIFY(m_asked.isEmpty()); // no error dialog for something the studio could solve
    }

    // "Run as a client would": the studio starts `mcpbridge serve --stdio`, Try it goes through
    // that process, and the traffic log shows what the process publishes on its tap.
    void runsTheBridgeAsAStdioChildAndWatchesIt()
    {
        auto window = makeWindow();
        QVERIFY(window->openDemo());
        window->stopServing();
        QVERIFY(window->startChild());
        const qint64 pid = window->runner()->childProcessId();
        QVERIFY(pid > 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            window->trafficView()->sourceMarker().contains(u"PID %1"_s.arg(pid)), 15000);
        QVERIFY(window->runner()->stateText().contains(QString::number(pid)));

        QVERIFY(trySoup(*window).contains(u"Red Lentil Soup"_s));
        QCOMPARE(window->tryItPanel()->client(), window->runner()->childClient());
        // The child's own record of the call reaches the studio's traffic log through the tap.
        const auto sawCall = [&] {
            window->trafficView()->model()->flushPending();
            for (const auto &event : window->trafficView()->model()->events())
                if (event.kind == mcpbridge::traffic::EventKind::Upstream
                    && event.url.contains(u"/recipes?q=soup"_s) && event.sessionId == u"stdio"_s)
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(sawCall(), 10000);

        window->stopChild();
        QVERIFY(!window->runner()->isChildRunning());
        QTRY_VERIFY(::kill(pid_t(pid), 0) != 0);                  // no process left behind
        QVERIFY(window->trafficView()->sourceMarker().isEmpty()); // back to the studio's own
        QCOMPARE(window->tryItPanel()->client(), window->runner()->studioClient());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
