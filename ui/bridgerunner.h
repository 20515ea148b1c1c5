#pragma once

// Runs the bridge the studio is editing. An in-process McpServer exists as soon as a document is
// set, so "Try it" works at once and every call shows in the traffic log; "Start" adds a
// streamable HTTP endpoint on a loopback port that any MCP client can use. Edits reach the
// server (and, through notifications/tools/list_changed, its clients) a moment after the user
// stops typing, and only while the document has no errors. Widget-free; owned by MainWindow.

#include "core/bridge/bridgedocument.h"
#include "core/util/result.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace mcpbridge::client {
class McpClient;
class InProcessClient;
class StdioChildClient;
} // namespace mcpbridge::client
namespace mcpbridge::mcp {
class McpServer;
}
namespace mcpbridge::secrets {
class SecretStore;
}
namespace mcpbridge::traffic {
class TrafficLog;
}
namespace mcpbridge::transport {
class StreamableHttpTransport;
}

namespace mcpbridge::ui {

class BridgeRunner : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultPushDelayMs = 600;

    // `secrets` must outlive the runner.
    explicit BridgeRunner(secrets::SecretStore *secrets, QObject *parent = nullptr);
    ~BridgeRunner() override;

    traffic::TrafficLog *trafficLog() const { return m_log; }
    // nullptr until the first setDocument().
    mcp::McpServer *server() const { return m_server.get(); }
    // The studio's own client of the in-process server ("Try it"); nullptr until the first
    // setDocument(). Its calls show in trafficLog() like any client's.
    client::McpClient *studioClient() const;

    // The document as it is now in the editor. The first call (and any call with `immediately`)
    // applies at once; later ones after a short pause. A document with errors is held back:
    // clients keep the last good version, and heldBack() says why.
    void setDocument(const bridge::BridgeDocument &document, bool immediately = false);
    // Another document altogether (open, new, demo): served at once, problems or not, since the
    // last good version belongs to a different bridge.
    void replaceDocument(const bridge::BridgeDocument &document);
    // Calls go to this URL instead of the document's base URL (the studio's --base-url and the
    // demo API). Empty: the document's own.
    void setBaseUrlOverride(const QString &url);
    QString baseUrlOverride() const { return m_baseUrlOverride; }
    // The document the server uses now (after the override).
    bridge::BridgeDocument servedDocument() const;
    // Why clients do not get the document as it is now, or what is wrong with what they get;
    // empty when the document has no problems.
    QString heldBack() const { return m_heldBack; }
    // True while clients get an older version than the editor's.
    bool isHoldingBack() const { return m_holdingBack; }
    void setPushDelayMs(int ms) { m_push.setInterval(ms); }

    [[nodiscard]] Result<QUrl> startHttp(const QHostAddress &address = QHostAddress::LocalHost,
                                         quint16 port = 8765);
    void stopHttp();
    bool isServing() const;
    QUrl url() const;
    // Clients connected over HTTP (the studio's own Try-it session is not counted).
    int sessionCount() const;
    // "Stopped", "Serving at http://127.0.0.1:8765/mcp — 1 client connected".
    QString stateText() const;

    // --- The bridge as a child process, started the way Claude Desktop starts it:
    // `mcpbridge serve --stdio --config <copy>`. The copy is a private file the runner rewrites
    // after each good edit, so the child reloads it and tells the studio with list_changed.
    [[nodiscard]] Result<qint64> startChild(const QString &program);
    void stopChild();
    bool isChildRunning() const;
    qint64 childProcessId() const;
    // The studio as the child's client (Try it goes through it while the child runs).
    client::McpClient *childClient() const;
    // The client "Try it" should use now: the child's while it runs, else the studio's own.
    client::McpClient *activeClient() const;

signals:
    void stateChanged();
    // The child stopped by itself (crash, bad config); `why` is for people.
    void childEnded(const QString &why);
    void documentApplied();
    void heldBackChanged(const QString &why);

private:
    void apply(bool evenWithErrors = false);
    void writeChildConfig();
    void createServer(std::shared_ptr<const bridge::BridgeDocument> document);

    secrets::SecretStore *m_secrets;
    traffic::TrafficLog *m_log;
    std::unique_ptr<mcp::McpServer> m_server;
    std::unique_ptr<transport::StreamableHttpTransport> m_http;
    std::unique_ptr<client::InProcessClient> m_studioClient;
    std::unique_ptr<client::StdioChildClient> m_child;
    QString m_childConfig; // the private copy the child serves
    bridge::BridgeDocument m_pending;
    QString m_baseUrlOverride;
    QString m_heldBack;
    bool m_holdingBack = false;
    QTimer m_push;
};

} // namespace mcpbridge::ui
