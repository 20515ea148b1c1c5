#pragma once

// The studio's "Try it" panel: fill in a tool's arguments in a form made from its input schema,
// call the tool on the running bridge through an MCP client, and see the result, the time it
// took and the API requests the call caused (from the traffic log). Used by the main window next
// to the tool editor; remembers the last arguments of each tool while it lives.

#include "core/bridge/bridgedocument.h"
#include "core/client/mcpclient.h"
#include "core/traffic/trafficlog.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace mcpbridge::tryit {

class ResultView;
class SchemaForm;
class UpstreamExchangeModel;

class TryItPanel : public QWidget
{
    Q_OBJECT
public:
    explicit TryItPanel(QWidget *parent = nullptr);
    ~TryItPanel() override;

    // Shows a form for `tool` (its effective input schema, in parameter order), filled with the
    // arguments last used for a tool of that name, else with the schema's defaults. A call still
    // running for the previous tool is cancelled.
    void setTool(const bridge::Tool &tool);
    void clearTool();
    QString toolName() const { return m_hasTool ? m_tool.name : QString(); }

    // The client calls go through; nullptr (or a closed client) disables Call and says why. The
    // panel does not own the client and copes with it being closed or destroyed at any time.
    void setClient(client::McpClient *client);
    client::McpClient *client() const { return m_client; }

    // Where the API requests a call caused are found: Upstream events of the client's session
    // whose relatedRpcId is the call's request id. nullptr: the list is hidden.
    void setTrafficLog(traffic::TrafficLog *log);

    // Ask before calling a tool marked destructive (default on).
    void setConfirmDestructive(bool confirm) { m_confirmDestructive = confirm; }

    bool isBusy() const { return m_busy; }
    // The arguments remembered for `toolName` (the last ones called or shown), empty if none.
    QJsonObject rememberedArguments(const QString &toolName) const;

    SchemaForm *form() const { return m_form; }
    ResultView *resultView() const { return m_result; }
    UpstreamExchangeModel *exchangeModel() const { return m_exchanges; }
    QPushButton *callButton() const { return m_call; }
    QPushButton *cancelButton() const { return m_cancel; }
    // The line under the result: "Answered in 35 ms", "Fix these first: …", why Call is off.
    QString statusText() const;
    qint64 lastRequestId() const { return m_requestId; }
    qint64 lastElapsedMs() const { return m_elapsedMs; }

public slots:
    // Calls the tool with the form's arguments (Ctrl+Return). Does nothing while busy; with
    // problems in the form, names them instead of calling.
    void callTool();
    // Gives up on the running call.
    void cancelCall();

signals:
    void callStarted(const QString &toolName, qint64 requestId);
    // The call ended: `succeeded` is false for failures, cancellation and isError results.
    void callFinished(bool succeeded);
    // The person double-clicked an API request: `seq` is its TrafficEvent::seq (to show it in the
    // traffic view).
    void exchangeActivated(quint64 seq);

private:
    void buildUi();
    void updateActions();
    void setBusy(bool busy);
    void finished(qint64 requestId, const QJsonObject *result, const QString &failure);
    void onTrafficEvent(const traffic::TrafficEvent &event);
    void onClientGone(const QString &why);
    void rememberArguments();
    bool confirmDestructive();
    QString elapsedText() const;

    bridge::Tool m_tool;
    bool m_hasTool = false;
    QPointer<client::McpClient> m_client;
    QPointer<traffic::TrafficLog> m_log;
    QHash<QString, QJsonObject> m_remembered;
    bool m_confirmDestructive = true;

    bool m_busy = false;
    bool m_cancelling = false;      // cancelCall() is running: the failure it causes is no news
    bool m_showingProblems = false; // the status names the form's problems
    qint64 m_requestId = -1; // the last call's id (its exchanges keep arriving after it ended)
    QString m_sessionId;     // the last call's session
    QElapsedTimer m_clock;
    qint64 m_elapsedMs = -1;

    QLabel *m_title = nullptr;
    SchemaForm *m_form = nullptr;
    QPushButton *m_call = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    ResultView *m_result = nullptr;
    QLabel *m_exchangesLabel = nullptr;
    QTableView *m_exchangeView = nullptr;
    UpstreamExchangeModel *m_exchanges = nullptr;
};

} // namespace mcpbridge::tryit
