#pragma once

// The MCP server: lifecycle and version negotiation, and the dispatch of tools, resources,
// prompts, completion and logging for a bridge document. Transport-agnostic: a transport creates
// a Session, hands every parsed message to receive(), and delivers what the Session emits.
// Records every MCP message it receives and sends in the TrafficLog.

#include "core/bridge/bridgedocument.h"
#include "core/jsonrpc/message.h"
#include "core/mcp/session.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace mcpbridge::secrets {
class SecretStore;
}
namespace mcpbridge::traffic {
class TrafficLog;
}
namespace mcpbridge::upstream {
class RestInvoker;
}

namespace mcpbridge::mcp {

class McpServer : public QObject
{
    Q_OBJECT
public:
    // Newest first: 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05.
    static QStringList supportedProtocolVersions();
    static QString latestProtocolVersion();

    McpServer(std::shared_ptr<const bridge::BridgeDocument> document, secrets::SecretStore *secrets,
              traffic::TrafficLog *log, QObject *parent = nullptr);
    ~McpServer() override;

    std::shared_ptr<const bridge::BridgeDocument> document() const;
    // Swaps the document (reload, or an edit in the studio) and tells initialized sessions
    // with notifications/{tools,resources,prompts}/list_changed.
    void setDocument(std::shared_ptr<const bridge::BridgeDocument> document);

    // The server owns its sessions. `id` empty: the server makes a random one (visible ASCII).
    // nullptr when a session with `id` already exists.
    Session *createSession(const QString &transport, const QString &id = {});
    Session *session(const QString &id) const;
    QList<Session *> sessions() const;
    // Aborts the session's calls in flight and deletes it later.
    void closeSession(Session *session);

    // Handles one message from the client of `session`. Records it, then answers through
    // session->send (at once or later, when the upstream answers).
    void receive(Session *session, const jsonrpc::Message &message);

    // Entries per page of tools/list, resources/list, resources/templates/list, prompts/list.
    int pageSize() const;
    void setPageSize(int pageSize);

    traffic::TrafficLog *trafficLog() const;
    upstream::RestInvoker *invoker() const;

    // Internal (core/mcp/serverprivate.h); public only so the handler files can name it.
    struct Private;

signals:
    void sessionCreated(mcpbridge::mcp::Session *session);
    void sessionClosed(const QString &sessionId);

private:
    std::unique_ptr<Private> d;
};

} // namespace mcpbridge::mcp
