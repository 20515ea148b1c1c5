#pragma once

// A real McpServer inside a widget test: one initialized session, requests sent and answers
// awaited with a bounded wait. The resource and prompt editor tests use it to compare their
// previews with what the server actually sends.

#include "core/bridge/bridgedocument.h"
#include "core/jsonrpc/message.h"
#include "core/mcp/mcpserver.h"
#include "core/mcp/session.h"
#include "core/secrets/memorysecretstore.h"
#include "core/traffic/trafficlog.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QTest>

namespace mcpbridge::tests {

class McpRoundTrip
{
public:
    explicit McpRoundTrip(const bridge::BridgeDocument &document)
        : m_server(std::make_shared<const bridge::BridgeDocument>(document), &m_secrets, &m_log)
    {
        m_session = m_server.createSession(QStringLiteral("in-process"));
        QObject::connect(m_session, &mcp::Session::send, m_session,
                         [this](const jsonrpc::Message &message,
                                const std::optional<jsonrpc::Id> &) { m_sent.append(message); });
        const QJsonObject clientInfo{{QStringLiteral("name"), QStringLiteral("tst")},
                                     {QStringLiteral("version"), QStringLiteral("1")}};
        call(QStringLiteral("initialize"),
             {{QStringLiteral("protocolVersion"), mcp::McpServer::latestProtocolVersion()},
              {QStringLiteral("capabilities"), QJsonObject()},
              {QStringLiteral("clientInfo"), clientInfo}});
        m_server.receive(
            m_session, jsonrpc::Message::notification(QStringLiteral("notifications/initialized")));
    }

    // The response to `method` (an Error message when the server refused, or no answer came
    // within `timeoutMs`).
    jsonrpc::Message call(const QString &method, const QJsonObject &params = {},
                          int timeoutMs = 10000)
    {
        const jsonrpc::Id id = m_nextId++;
        m_server.receive(m_session, jsonrpc::Message::request(id, method, params));
        QElapsedTimer timer;
        timer.start();
        for (;;) {
            for (const jsonrpc::Message &m : std::as_const(m_sent)) {
                if (m.isResponse() && m.id == id)
                    return m;
            }
            if (timer.elapsed() > timeoutMs)
                return jsonrpc::Message::errorResponse(id, 0, QStringLiteral("test: no answer"));
            QTest::qWait(5);
        }
    }

    // The result object of `method`, empty when it failed.
    QJsonObject result(const QString &method, const QJsonObject &params = {})
    {
        const jsonrpc::Message m = call(method, params);
        if (m.kind != jsonrpc::Message::Kind::Response) {
            qWarning("%s failed: %s", qPrintable(method), qPrintable(m.error.message));
            return {};
        }
        return m.result.toObject();
    }

private:
    secrets::MemorySecretStore m_secrets;
    traffic::TrafficLog m_log;
    mcp::McpServer m_server;
    mcp::Session *m_session = nullptr;
    QList<jsonrpc::Message> m_sent;
    qint64 m_nextId = 1;
};

} // namespace mcpbridge::tests
