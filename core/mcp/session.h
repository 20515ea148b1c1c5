#pragma once

// One MCP client connection as the server sees it: the negotiated protocol version, the client's
// capabilities, its log level and subscriptions. Created by McpServer for a transport (one for
// stdio, one per Mcp-Session-Id for HTTP); the transport delivers what `send` emits.

#include "core/jsonrpc/message.h"

#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QString>

#include <optional>

namespace mcpbridge::mcp {

class Session : public QObject
{
    Q_OBJECT
public:
    Session(QString id, QString transport, QObject *parent = nullptr);

    QString id() const { return m_id; }
    QString transport() const { return m_transport; }

    bool isInitialized() const { return m_initialized; }          // after notifications/initialized
    QString protocolVersion() const { return m_protocolVersion; } // empty before initialize
    QJsonObject clientCapabilities() const { return m_clientCapabilities; }
    QJsonObject clientInfo() const { return m_clientInfo; }
    bool clientSupportsElicitation() const;
    QString logLevel() const { return m_logLevel; } // empty: the client did not ask for logs
    QSet<QString> subscriptions() const { return m_subscriptions; }

    // Set by transports that only write the messages' text (stdio, HTTP): they may be sent a
    // response made from text whose `result` is not filled in (Message::responseFromText).
    // Off by default, so in-process clients and tests always get values.
    bool writesBytesOnly() const { return m_writesBytesOnly; }
    void setWritesBytesOnly(bool bytesOnly) { m_writesBytesOnly = bytesOnly; }

signals:
    // A message for the client. `relatedTo` is the id of the client request this message
    // belongs to: its response, and the progress, log and elicitation messages sent while it
    // runs. nullopt for messages that belong to no request (list_changed, resource updates).
    // HTTP sends related messages on that request's POST stream, the rest on the GET stream.
    void send(const mcpbridge::jsonrpc::Message &message,
              const std::optional<mcpbridge::jsonrpc::Id> &relatedTo);
    // The client cancelled request `id` (notifications/cancelled): no response will be sent
    // for it. HTTP closes that request's POST stream.
    void requestAbandoned(const mcpbridge::jsonrpc::Id &id);

private:
    friend class McpServer;
    QString m_id;
    QString m_transport;
    bool m_initialized = false;
    QString m_protocolVersion;
    QJsonObject m_clientCapabilities;
    QJsonObject m_clientInfo;
    QString m_logLevel;
    QSet<QString> m_subscriptions;
    bool m_writesBytesOnly = false;
};

} // namespace mcpbridge::mcp
