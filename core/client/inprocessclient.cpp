#include "core/client/inprocessclient.h"

#include "core/mcp/mcpserver.h"
#include "core/mcp/session.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace mcpbridge::client {

InProcessClient::InProcessClient(mcp::McpServer *server, QObject *parent)
    : McpClient(parent)
    , m_server(server)
{
    if (server)
        m_session = server->createSession(Transport);
    if (!m_session) {
        // Reported from the event loop, once the creator had a chance to connect to closed().
        QTimer::singleShot(0, this, [this] {
            connectionClosed(u"The studio could not open a session with the bridge."_s);
        });
        return;
    }
    m_sessionId = m_session->id();
    connect(m_session, &mcp::Session::send, this,
            [this](const jsonrpc::Message &message, const std::optional<jsonrpc::Id> &) {
                handleMessage(message);
            });
    connect(server, &mcp::McpServer::sessionClosed, this, [this](const QString &id) {
        if (id == m_sessionId)
            connectionClosed(u"The bridge ended the studio's session."_s);
    });
    connect(server, &QObject::destroyed, this,
            [this] { connectionClosed(u"The bridge stopped."_s); });
    startHandshake();
}

InProcessClient::~InProcessClient()
{
    forgetCalls();
    shutdown();
}

void InProcessClient::sendMessage(const jsonrpc::Message &message)
{
    QMetaObject::invokeMethod(
        this,
        [this, message] {
            if (m_server && m_session && !isClosed())
                m_server->receive(m_session, message);
        },
        Qt::QueuedConnection);
}

void InProcessClient::shutdown()
{
    // Our own closing is not news to report as "the bridge ended the session".
    if (m_server)
        disconnect(m_server, nullptr, this, nullptr);
    if (m_server && m_session)
        m_server->closeSession(m_session);
    m_session.clear();
}

} // namespace mcpbridge::client
