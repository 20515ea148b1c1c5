#pragma once

// An MCP client of a McpServer in the same process: the studio's own running bridge. Messages go
// through the real server on a session of its own (transport "in-process"), so the server's
// TrafficLog records them like any client's. Closing or destroying the client ends the session.

#include "core/client/mcpclient.h"
#include "core/mcp/mcpserver.h"
#include "core/mcp/session.h"

#include <QPointer>

namespace mcpbridge::client {

class InProcessClient : public McpClient
{
    Q_OBJECT
public:
    static inline const QString Transport = QStringLiteral("in-process");

    // Creates the session and starts the handshake; ready() or closed() follows.
    explicit InProcessClient(mcp::McpServer *server, QObject *parent = nullptr);
    ~InProcessClient() override;

    QString sessionId() const override { return m_sessionId; }
    QString transportName() const override { return Transport; }
    mcp::Session *session() const { return m_session; }

protected:
    // Messages reach the server from the event loop, never inside call(), so answers the
    // server gives at once still arrive after call() returned.
    void sendMessage(const jsonrpc::Message &message) override;
    void shutdown() override;

private:
    QPointer<mcp::McpServer> m_server;
    QPointer<mcp::Session> m_session;
    QString m_sessionId;
};

} // namespace mcpbridge::client
