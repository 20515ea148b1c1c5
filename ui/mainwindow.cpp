#include "ui/mainwindow.h"

#include "core/demo/demoapi.h"
#include "core/secrets/chainsecretstore.h"
#include "core/secrets/envsecretstore.h"
#include "core/secrets/keychainsecretstore.h"
#include "ui/bridgerunner.h"
#include "ui/bridgesettingseditor.h"
#include "ui/documentsession.h"
#include "ui/editors/budgetmeter.h"
#include "ui/editors/prompteditor.h"
#include "ui/editors/resourceeditor.h"
#include "ui/editors/tooleditor.h"
#include "ui/traffic/trafficview.h"
#include "ui/tryit/tryitpanel.h"
#include "ui/welcomepage.h"

#include <QAction>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

using Kind = BridgeItemModel::Kind;

namespace {
enum Page {
    WelcomePageIndex,
    SettingsPageIndex,
    ToolPageIndex,
    ResourcePageIndex,
    PromptPageIndex
};

QScrollArea *scrolling(QWidget *widget)
{
    auto *area = new QScrollArea;
    area->setWidget(widget);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}
} // namespace

MainWindow::MainWindow(QWidget *parent, secrets::SecretStore *secrets)
    : QMainWindow(parent)
{
    if (secrets) {
        m_secrets = secrets;
    } else {
        auto chain = std::make_unique<secrets::ChainSecretStore>();
        chain->append(new secrets::EnvSecretStore(chain.get()));
        chain->append(new secrets::KeychainSecretStore(chain.get()));
        m_secrets = chain.get();
        m_ownSecrets = std::move(chain);
    }
    m_session = new DocumentSession(this);
    m_runner = new BridgeRunner(m_secrets, this);

    setObjectName(u"MainWindow"_s);
    resize(1280, 820);
    buildCentral();
    buildDocks();
    buildMenus();
    buildRunBar();

    connect(m_session, &DocumentSession::documentReplaced, this, &MainWindow::onDocumentReplaced);
    connect(m_session, &DocumentSession::documentEdited, this, &MainWindow::onDocumentEdited);
    connect(m_session, &DocumentSession::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_session, &DocumentSession::pathChanged, this, &MainWindow::updateTitle);
    connect(m_session, &DocumentSession::recoveryFailed, this,
            [this](const QString &why) { statusBar()->showMessage(why, 10000); });
    connect(m_runner, &BridgeRunner::stateChanged, this, &MainWindow::updateRunState);
    connect(m_runner, &BridgeRunner::documentApplied, this, &MainWindow::updateTryIt);
    connect(m_runner, &BridgeRunner::heldBackChanged, this, [this](const QString &why) {
        m_heldBack->setText(why.isEmpty()               ? QString()
                            : m_runner->isHoldingBack() ? tr("⚠ Clients see the last good version")
                                                        : tr("⚠ This bridge has problems"));
        m_heldBack->setToolTip(why);
    });

    m_welcome->setRecentFiles(DocumentSession::recentFiles());
    updateRecentMenu();
    onDocumentReplaced();
    updateRunState();
}

MainWindow::~MainWindow()
{
    // The traffic view listens to the runner's log; the runner's server uses the secrets.
    delete m_runner;
    m_runner = nullptr;
}

QWidget *MainWindow::buildOutline()
{
    m_items = new BridgeItemModel(this);
    m_tree = new QTreeView;
    m_tree->setModel(m_items);
    m_tree->setHeaderHidden(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->setUniformRowHeights(true);
    m_tree->setToolTip(tr("What this bridge offers a model: its tools, resources and prompts. "
                          "Select one to edit it."));
    m_tree->setAccessibleName(tr("Bridge outline"));
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::showSelection);

    m_budget = new editors::BudgetMeter;

    auto *pane = new QWidget;
    m_outline = pane;
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_budget);
    return pane;
}

void MainWindow::buildCentral()
{
    m_welcome = new WelcomePage;
    connect(m_welcome, &WelcomePage::demoRequested, this, &MainWindow::openDemo);
    connect(m_welcome, &WelcomePage::newRequested, this, &MainWindow::newBridge);
    connect(m_welcome, &WelcomePage::openRequested, this, [this] { openDocument({}); });
    connect(m_welcome, &WelcomePage::recentChosen, this,
            [this](const QString &path) { openDocument(path); });

    m_settingsEditor = new BridgeSettingsEditor;
    connect(m_settingsEditor, &BridgeSettingsEditor::documentChanged, this, [this] {
        // Only the editor's own fields: its copy of the rest (sign-in, tools) may be older.
        bridge::BridgeDocument document = m_session->document();
        m_settingsEditor->applyTo(document);
        applyEdit(document);
    });
    connect(m_settingsEditor, &BridgeSettingsEditor::credentialsRequested, this,
            &MainWindow::showCredentialsDialog);

    m_toolEditor = new editors::ToolEditor;
    connect(m_toolEditor, &editors::ToolEditor::toolChanged, this,
            [this](const bridge::Tool &tool) {
                applyItem(Kind::Tool, &bridge::BridgeDocument::tools, tool);
            });
    m_toolTabs = new QTabWidget;
    m_toolTabs->addTab(scrolling(m_toolEditor), tr("&Edit"));
    m_toolTabs->setTabToolTip(0, tr("What the model reads about this tool, and the API call it "
                                    "makes"));
    m_tryIt = new tryit::TryItPanel;
    m_toolTabs->addTab(m_tryIt, tr("Tr&y it"));
    m_toolTabs->setTabToolTip(1, tr("Call this tool through the running bridge, as a model "
                                    "would, and see the result and the API request"));
    connect(m_toolTabs, &QTabWidget::currentChanged, this, &MainWindow::updateTryIt);
    connect(m_tryIt, &tryit::TryItPanel::exchangeActivated, this, &MainWindow::showTrafficEvent);

    m_resourceEditor = new editors::ResourceEditor;
    connect(m_resourceEditor, &editors::ResourceEditor::resourceChanged, this,
            [this](const bridge::Resource &resource) {
                applyItem(Kind::Resource, &bridge::BridgeDocument::resources, resource);
            });
    connect(m_resourceEditor, &editors::ResourceEditor::templateChanged, this,
            [this](const bridge::ResourceTemplate &resourceTemplate) {
                applyItem(Kind::Template, &bridge::BridgeDocument::resourceTemplates,
                          resourceTemplate);
            });
    m_promptEditor = new editors::PromptEditor;
    connect(m_promptEditor, &editors::PromptEditor::promptChanged, this,
            [this](const bridge::Prompt &prompt) {
                applyItem(Kind::Prompt, &bridge::BridgeDocument::prompts, prompt);
            });

    m_stack = new QStackedWidget;
    m_stack->insertWidget(WelcomePageIndex, m_welcome);
    m_stack->insertWidget(SettingsPageIndex, scrolling(m_settingsEditor));
    m_stack->insertWidget(ToolPageIndex, m_toolTabs);
    m_stack->insertWidget(ResourcePageIndex, scrolling(m_resourceEditor));
    m_stack->insertWidget(PromptPageIndex, scrolling(m_promptEditor));

    auto *splitter = new QSplitter;
    splitter->addWidget(buildOutline());
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({320, 960});
    setCentralWidget(splitter);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newAction = file->addAction(tr("&New Bridge…"), this, &MainWindow::newBridge);
    newAction->setShortcut(QKeySequence::New);
    newAction->setToolTip(tr("Create a bridge from an OpenAPI file or URL, or an API address"));
    QAction *open = file->addAction(tr("&Open Bridge…"), this, [this] { openDocument({}); });
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open a bridge document (*.mcpbridge.json)"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    m_saveAction = file->addAction(tr("&Save"), this, &MainWindow::save);
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAsAction = file->addAction(tr("Save &As…"), this, [this] { saveAs(); });
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    m_closeAction = file->addAction(tr("&Close Bridge"), this, [this] {
        if (maybeKeepChanges())
            closeDocument();
    });
    m_closeAction->setShortcut(QKeySequence::Close);
    file->addSeparator();
    QAction *demo = file->addAction(tr("Open the &Demo Bridge"), this, &MainWindow::openDemo);
    demo->setToolTip(tr("A ready-made bridge to a small recipes API built into the studio"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    m_addToolAction = edit->addAction(tr("Add &Tool"), this, &MainWindow::addTool);
    m_addToolAction->setShortcut(Qt::CTRL | Qt::Key_T);
    m_addResourceAction = edit->addAction(tr("Add &Resource"), this, &MainWindow::addResource);
    m_addPromptAction = edit->addAction(tr("Add &Prompt"), this, &MainWindow::addPrompt);
    edit->addSeparator();
    m_removeAction
        = edit->addAction(tr("&Delete Selected Item"), this, &MainWindow::removeSelected);
    m_removeAction->setShortcut(QKeySequence::Delete);
    m_removeAction->setShortcutContext(Qt::WidgetShortcut);
    m_undoDeleteAction = edit->addAction(tr("&Undo Delete"), this, &MainWindow::undoDelete);
    m_undoDeleteAction->setShortcut(QKeySequence::Undo);
    m_undoDeleteAction->setShortcutContext(Qt::WidgetShortcut);
    m_undoDeleteAction->setEnabled(false);
    m_tree->addActions({m_addToolAction, m_addResourceAction, m_addPromptAction, m_removeAction,
                        m_undoDeleteAction});

    QMenu *bridgeMenu = menuBar()->addMenu(tr("&Bridge"));
    m_runAction = bridgeMenu->addAction(tr("&Start Serving"), this, [this] {
        if (m_runner->isServing())
            stopServing();
        else
            startServing();
    });
    m_runAction->setShortcut(Qt::CTRL | Qt::Key_R);
    m_credentialsAction
        = bridgeMenu->addAction(tr("API &Sign-in…"), this, &MainWindow::showCredentialsDialog);
    m_exportAction
        = bridgeMenu->addAction(tr("&Connect a Client…"), this, &MainWindow::showExportDialog);
    m_exportAction->setShortcut(Qt::CTRL | Qt::Key_E);
    m_exportAction->setToolTip(tr("Add this bridge to Claude Desktop, Cursor, VS Code or Claude "
                                  "Code"));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    view->addAction(m_ownTrafficAction);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About McpBridge Studio"), this, [this] {
        QMessageBox::about(this, tr("About McpBridge Studio"),
                           tr("<b>McpBridge Studio %1</b><p>Turns a REST API into a local MCP "
                              "server that Claude Desktop, Cursor, VS Code and Claude Code can "
                              "use.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::onDocumentReplaced()
{
    m_deleted.reset(); // Undo Delete belongs to the document it was deleted from
    m_undoDeleteAction->setText(tr("&Undo Delete"));
    m_undoDeleteAction->setEnabled(false);
    const bool has = m_session->hasDocument();
    m_items->setDocument(m_session->document());
    m_tree->expandAll();
    m_budget->setDocument(m_session->document());
    m_editingKind = Kind::None;
    m_editingIndex = -1;
    if (has) {
        m_runner->replaceDocument(m_session->document());
        // A new document may have the same shape as the old one (the model keeps its rows and
        // the tree its current index): clear it so the editors load the new items.
        m_tree->setCurrentIndex({});
        selectItem(m_session->document().tools.isEmpty() ? Kind::Settings : Kind::Tool, 0);
    } else {
        stopServing();
        stopChild();
        m_welcome->setRecentFiles(DocumentSession::recentFiles());
        m_stack->setCurrentIndex(WelcomePageIndex);
    }
    m_outline->setVisible(has); // the welcome page takes the whole width
    updateTitle();
    updateActions();
    updateRecentMenu();
}

void MainWindow::onDocumentEdited()
{
    const bridge::BridgeDocument &document = m_session->document();
    m_items->setDocument(document);
    m_tree->expandAll();
    m_budget->setDocument(document);
    m_runner->setDocument(document);
}

void MainWindow::applyEdit(const bridge::BridgeDocument &document)
{
    m_session->update(document);
}

template<typename Item>
void MainWindow::applyItem(Kind kind, QList<Item> bridge::BridgeDocument::*list, const Item &item)
{
    bridge::BridgeDocument document = m_session->document();
    QList<Item> &items = document.*list;
    if (m_editingKind != kind || m_editingIndex < 0 || m_editingIndex >= items.size())
        return;
    items[m_editingIndex] = item;
    applyEdit(document);
}

void MainWindow::selectItem(Kind kind, int index)
{
    const QModelIndex item = m_items->indexOf(kind, index);
    if (item.isValid())
        m_tree->setCurrentIndex(item);
}

void MainWindow::showSelection()
{
    const QModelIndex current = m_tree->currentIndex();
    const Kind kind = BridgeItemModel::kindOf(current);
    const int index = BridgeItemModel::itemIndexOf(current);
    const bridge::BridgeDocument &document = m_session->document();
    if (!m_session->hasDocument()) {
        m_stack->setCurrentIndex(WelcomePageIndex);
        return;
    }
    const bool sameItem = kind == m_editingKind && index == m_editingIndex;
    m_editingKind = kind;
    m_editingIndex = index;
    switch (kind) {
    case Kind::Settings:
        if (!sameItem)
            m_settingsEditor->setDocument(document);
        m_stack->setCurrentIndex(SettingsPageIndex);
        break;
    case Kind::Tool:
        if (!sameItem) {
            m_toolEditor->setDocument(document, index);
            m_toolEditor->setTool(document.tools.value(index));
        }
        m_stack->setCurrentIndex(ToolPageIndex);
        updateTryIt();
        break;
    case Kind::Resource:
    case Kind::Template:
        if (!sameItem) {
            if (kind == Kind::Resource)
                m_resourceEditor->setDocument(document, index);
            else
                m_resourceEditor->setTemplate(document, index);
        }
        m_stack->setCurrentIndex(ResourcePageIndex);
        break;
    case Kind::Prompt:
        if (!sameItem)
            m_promptEditor->setDocument(document, index);
        m_stack->setCurrentIndex(PromptPageIndex);
        break;
    default: break;
    }
    updateActions();
}

// The Try-it form follows the tool as the server serves it (edits arrive after a pause, and only
// while the bridge has no errors), so the form never offers arguments the server would refuse.
void MainWindow::updateTryIt()
{
    m_tryIt->setClient(m_runner->activeClient());
    m_tryIt->setTrafficLog(m_runner->isChildRunning() ? nullptr : m_runner->trafficLog());
    if (m_editingKind != Kind::Tool || m_toolTabs->currentWidget() != m_tryIt)
        return;
    const QString name = m_session->document().tools.value(m_editingIndex).name;
    const QList<bridge::Tool> served = m_runner->servedDocument().tools;
    const auto found = std::find_if(served.cbegin(), served.cend(),
                                    [&](const bridge::Tool &t) { return t.name == name; });
    const bridge::Tool tool
        = found != served.cend() ? *found : m_session->document().tools.value(m_editingIndex);
    if (tool == m_tryItTool && m_tryIt->toolName() == tool.name)
        return;
    m_tryItTool = tool;
    m_tryIt->setTool(tool);
}

void MainWindow::updateTitle()
{
    if (!m_session->hasDocument()) {
        setWindowTitle(tr("McpBridge Studio"));
        setWindowModified(false);
        return;
    }
    setWindowTitle(tr("%1[*] — McpBridge Studio").arg(m_session->displayName()));
    setWindowModified(m_session->isModified());
    setWindowFilePath(m_session->path());
}

void MainWindow::updateActions()
{
    const bool has = m_session->hasDocument();
    for (QAction *action :
         {m_saveAction, m_saveAsAction, m_closeAction, m_addToolAction, m_addResourceAction,
          m_addPromptAction, m_runAction, m_exportAction, m_credentialsAction})
        action->setEnabled(has);
    const Kind kind = BridgeItemModel::kindOf(m_tree->currentIndex());
    m_removeAction->setEnabled(has && kind != Kind::Settings && kind != Kind::Group
                               && kind != Kind::None);
    if (m_runButton)
        m_runButton->setEnabled(has);
}

QMessageBox::StandardButton MainWindow::ask(const QString &title, const QString &text,
                                            QMessageBox::StandardButtons buttons)
{
    if (m_ask)
        return m_ask(title, text, buttons);
    return QMessageBox::question(this, title, text, buttons);
}

QString MainWindow::chooseFile(FileRequest request, const QString &suggestion)
{
    if (m_chooseFile)
        return m_chooseFile(request, suggestion);
    const QString filter = tr("Bridge documents (*.mcpbridge.json);;JSON files (*.json)");
    if (request == FileRequest::OpenBridge)
        return QFileDialog::getOpenFileName(this, tr("Open Bridge"), suggestion, filter);
    return QFileDialog::getSaveFileName(this, tr("Save Bridge"), suggestion, filter);
}

void MainWindow::showProblems(const QString &title, const QString &text, const QStringList &details)
{
    statusBar()->showMessage(text, 15000);
    if (m_ask) { // tests: no modal dialogs
        m_ask(title, text + u"\n\n"_s + details.join(u'\n'), QMessageBox::Ok);
        return;
    }
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box.setDetailedText(details.join(u'\n'));
    box.exec();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeKeepChanges()) {
        event->ignore();
        return;
    }
    m_session->close();
    event->accept();
}

} // namespace mcpbridge::ui
