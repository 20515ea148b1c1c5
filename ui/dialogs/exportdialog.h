#pragma once

// The studio's "Connect a client" dialog: the config each MCP client (Claude Desktop, Cursor,
// VS Code, Claude Code) needs to use the open bridge, with Copy buttons and a reviewed, backed-up
// merge into the client's config file. Opened from the main window; never shows a secret value.

#include "core/bridge/bridgedocument.h"
#include "core/exporters/clientconfig.h"

#include <QDialog>
#include <functional>

class QButtonGroup;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QStandardItemModel;

namespace mcpbridge::ui {

class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    // Asked before a config file is changed; receives the file and the lines that change.
    using Confirm = std::function<bool(const QString &target, const QString &diff)>;

    ExportDialog(const QString &documentPath, const bridge::BridgeDocument &document,
                 QWidget *parent = nullptr);

    exporters::Client client() const;
    void setClient(exporters::Client client);

    // The mcpbridge program the client starts (default: the one next to the studio).
    void setCommand(const QString &program);
    // Connect to a running bridge at this URL instead of starting one (clients that can).
    void setUseRunningBridge(bool use);
    bool usesRunningBridge() const;
    void setRunningBridgeUrl(const QString &url);

    // The client's config file that "Add to ..." changes (default: the client's usual file).
    QString targetPath() const;
    void setTargetPath(const QString &path);

    // The texts the dialog shows, for tests and screenshots.
    QString configText() const;
    QString claudeCommandText() const;
    QString statusText() const;
    QString lastDiffShown() const { return m_lastDiff; }
    QStandardItemModel *clientModel() const { return m_clients; }

    // Replaces the confirmation dialog (tests answer it without a modal loop).
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }

public Q_SLOTS:
    // Shows the change, asks, keeps a backup and writes. True when the file was written.
    bool addToClientConfig();

private:
    void buildUi();
    void refresh();
    void chooseTarget();
    void showStatus(const QString &text, bool problem);
    exporters::LaunchSpec launchSpec() const;
    bool clientSupportsHttp() const;
    bool askWithDialog(const QString &target, const QString &diff);

    QString m_documentPath;
    bridge::BridgeDocument m_document;
    QString m_command;
    QString m_runningUrl;
    QString m_lastDiff;
    Confirm m_confirm;
    QList<QString> m_targets; // per client: the chosen target file

    QStandardItemModel *m_clients = nullptr;
    QListView *m_clientView = nullptr;
    QLabel *m_explanation = nullptr;
    QRadioButton *m_stdio = nullptr;
    QRadioButton *m_http = nullptr;
    QLineEdit *m_urlEdit = nullptr;
    QPlainTextEdit *m_json = nullptr;
    QPushButton *m_copyJson = nullptr;
    QLabel *m_commandLabel = nullptr;
    QLineEdit *m_commandLine = nullptr;
    QPushButton *m_copyCommand = nullptr;
    QLineEdit *m_targetEdit = nullptr;
    QPushButton *m_browse = nullptr;
    QPushButton *m_add = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace mcpbridge::ui
