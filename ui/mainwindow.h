#pragma once

// The studio's main window. Left: the bridge's outline (settings, tools, resources, prompts) and
// the context budget meter. Middle: the editor of the selected item, with "Try it" beside a
// tool's editor. Bottom dock: the live traffic log and its timeline. Toolbar and status bar: the
// run controls and the server state. The window owns the open document (DocumentSession) and
// the in-process bridge (BridgeRunner); editors report edits, the window applies them to both.
// Split by responsibility: mainwindow.cpp (layout, menus, selection), mainwindowedit.cpp (adding
// and deleting items), mainwindowfile.cpp (new/open/save, recovery, closing), mainwindowrun.cpp
// (serving, the stdio child, demo, client dialogs) and mainwindowtraffic.cpp (traffic dock,
// timeline, running bridges).

#include "core/bridge/bridgedocument.h"
#include "ui/bridgeitemmodel.h"

#include <QMainWindow>
#include <QMessageBox>

#include <functional>
#include <memory>
#include <optional>
#include <variant>

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTabWidget;
class QToolButton;
class QTreeView;

namespace mcpbridge::demo {
class DemoApi;
}
namespace mcpbridge::editors {
class BudgetMeter;
class PromptEditor;
class ResourceEditor;
class ToolEditor;
} // namespace mcpbridge::editors
namespace mcpbridge::secrets {
class SecretStore;
}
namespace mcpbridge::tryit {
class TryItPanel;
}

namespace mcpbridge::ui {

class BridgeRunner;
class BridgeSettingsEditor;
class RunningBridgesPanel;
class TimelineView;
class DocumentSession;
class TrafficView;
class WelcomePage;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // How the window asks the user a question; tests replace it to answer without a dialog.
    using Ask = std::function<QMessageBox::StandardButton(const QString &title, const QString &text,
                                                          QMessageBox::StandardButtons buttons)>;
    enum class FileRequest { OpenBridge, SaveBridge };
    // Returns the chosen path, or empty when the user cancelled.
    using ChooseFile = std::function<QString(FileRequest request, const QString &suggestion)>;

    // `secrets` (optional) replaces the system keychain and environment, for tests.
    explicit MainWindow(QWidget *parent = nullptr, secrets::SecretStore *secrets = nullptr);
    ~MainWindow() override;

    // --- Documents (mainwindowfile.cpp)
    // Loads the document; on problems tells the user and returns false (the window stays usable).
    bool openDocument(const QString &path);
    bool save();
    bool saveAs(const QString &path = {});
    // Asks about unsaved changes (save / don't save / cancel); true when it is fine to go on.
    bool maybeKeepChanges();
    // Offers the recovery copies a crashed studio left; called once at start.
    void offerRecovery();
    // Starts the import wizard and opens what it saved.
    void newBridge();
    void closeDocument();

    // --- Running (mainwindowrun.cpp)
    // Serves the open bridge over streamable HTTP on the port in the toolbar.
    bool startServing();
    void stopServing();
    // Runs the bridge as `mcpbridge serve --stdio`, the way Claude Desktop starts it, with the
    // studio as its client: Try it goes through the child and the traffic log shows its tap.
    bool startChild();
    void stopChild();
    // Starts the built-in demo API, opens the demo bridge against it and starts serving.
    bool openDemo();
    // Calls go to this URL instead of the document's base URL (--base-url).
    void setBaseUrlOverride(const QString &url);
    void showExportDialog();
    void showCredentialsDialog();

    // --- State, for tests and screenshots
    QString documentPath() const;
    const bridge::BridgeDocument &document() const;
    DocumentSession *session() const { return m_session; }
    BridgeRunner *runner() const { return m_runner; }
    QTreeView *itemTree() const { return m_tree; }
    BridgeItemModel *itemModel() const { return m_items; }
    QStackedWidget *editorStack() const { return m_stack; }
    WelcomePage *welcomePage() const { return m_welcome; }
    BridgeSettingsEditor *settingsEditor() const { return m_settingsEditor; }
    editors::ToolEditor *toolEditor() const { return m_toolEditor; }
    QTabWidget *toolTabs() const { return m_toolTabs; }
    tryit::TryItPanel *tryItPanel() const { return m_tryIt; }
    editors::ResourceEditor *resourceEditor() const { return m_resourceEditor; }
    editors::PromptEditor *promptEditor() const { return m_promptEditor; }
    editors::BudgetMeter *budgetMeter() const { return m_budget; }
    TrafficView *trafficView() const { return m_traffic; }
    TimelineView *timelineView() const { return m_timeline; }
    RunningBridgesPanel *runningBridgesPanel() const { return m_bridges; }
    // Back to the traffic of the bridge the studio runs (after watching another or a file).
    void showOwnTraffic();
    // Selects the traffic row of the event with this sequence number (from Try it).
    bool showTrafficEvent(quint64 seq);
    QSpinBox *portSpin() const { return m_port; }
    QPushButton *runButton() const { return m_runButton; }
    QLabel *serverStateLabel() const { return m_serverState; }
    demo::DemoApi *demoApi() const { return m_demoApi.get(); }
    void selectItem(BridgeItemModel::Kind kind, int index = 0);

    void setAsk(Ask ask) { m_ask = std::move(ask); }
    void setChooseFile(ChooseFile choose) { m_chooseFile = std::move(choose); }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void buildRunBar();
    void buildCentral();
    void buildDocks();
    QWidget *buildOutline();

    void onDocumentReplaced();
    void onDocumentEdited();
    void showSelection();
    void updateTryIt();
    void watchChildTraffic(qint64 pid);
    void applyEdit(const bridge::BridgeDocument &document);
    // Writes an item an editor changed back into the document, if it is still the one edited.
    template<typename Item>
    void applyItem(BridgeItemModel::Kind kind, QList<Item> bridge::BridgeDocument::*list,
                   const Item &item);
    void addTool();
    void addResource();
    void addPrompt();
    void removeSelected();
    void undoDelete();

    void updateTitle();
    void updateRecentMenu();
    void updateRunState();
    void updateActions();
    QMessageBox::StandardButton ask(const QString &title, const QString &text,
                                    QMessageBox::StandardButtons buttons);
    QString chooseFile(FileRequest request, const QString &suggestion);
    void showProblems(const QString &title, const QString &text, const QStringList &details);

    std::unique_ptr<secrets::SecretStore> m_ownSecrets;
    secrets::SecretStore *m_secrets = nullptr;
    DocumentSession *m_session = nullptr;
    BridgeRunner *m_runner = nullptr;
    std::unique_ptr<demo::DemoApi> m_demoApi;
    Ask m_ask;
    ChooseFile m_chooseFile;

    BridgeItemModel *m_items = nullptr;
    QTreeView *m_tree = nullptr;
    QWidget *m_outline = nullptr; // the tree and the budget meter
    editors::BudgetMeter *m_budget = nullptr;
    QStackedWidget *m_stack = nullptr;
    WelcomePage *m_welcome = nullptr;
    BridgeSettingsEditor *m_settingsEditor = nullptr;
    QTabWidget *m_toolTabs = nullptr;
    editors::ToolEditor *m_toolEditor = nullptr;
    tryit::TryItPanel *m_tryIt = nullptr;
    bridge::Tool m_tryItTool;                            // what the Try-it form was built from
    editors::ResourceEditor *m_resourceEditor = nullptr; // resources and resource templates
    editors::PromptEditor *m_promptEditor = nullptr;
    TrafficView *m_traffic = nullptr;
    TimelineView *m_timeline = nullptr;
    RunningBridgesPanel *m_bridges = nullptr;
    QAction *m_ownTrafficAction = nullptr;

    QSpinBox *m_port = nullptr;
    QPushButton *m_runButton = nullptr;
    QToolButton *m_copyUrl = nullptr;
    QLabel *m_serverState = nullptr;
    QLabel *m_heldBack = nullptr;

    QMenu *m_recentMenu = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_closeAction = nullptr;
    QAction *m_addToolAction = nullptr;
    QAction *m_addResourceAction = nullptr;
    QAction *m_addPromptAction = nullptr;
    QAction *m_removeAction = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_childAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_credentialsAction = nullptr;

    // The last item deleted from the outline, for Undo Delete.
    struct DeletedItem
    {
        BridgeItemModel::Kind kind = BridgeItemModel::Kind::None;
        int index = 0;
        QString name;
        std::variant<bridge::Tool, bridge::Resource, bridge::ResourceTemplate, bridge::Prompt> item;
    };
    std::optional<DeletedItem> m_deleted;
    QAction *m_undoDeleteAction = nullptr;

    BridgeItemModel::Kind m_editingKind = BridgeItemModel::Kind::None;
    int m_editingIndex = -1;
};

} // namespace mcpbridge::ui
