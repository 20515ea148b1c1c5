#pragma once

// One entry of the traffic log: an MCP message in or out, or an upstream HTTP exchange caused
// by an MCP request. Plain value type; produced by transports, McpServer and RestInvoker.

#include <QByteArray>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <optional>

namespace mcpbridge::traffic {

enum class EventKind { Mcp, Upstream, Note };
// As seen from the bridge: a client's message is Inbound, the bridge's answer Outbound. An
// upstream exchange is Outbound (the bridge calls the API).
enum class Direction { Inbound, Outbound };

struct TrafficEvent
{
    quint64 seq = 0;   // assigned by TrafficLog::append, strictly increasing
    qint64 timeMs = 0; // ms since the epoch; TrafficLog::append sets it when 0
    EventKind kind = EventKind::Mcp;
    Direction direction = Direction::Inbound;
    QString sessionId; // MCP session (HTTP) or "stdio"
    QString transport; // "stdio", "http", "in-process"

    // MCP events
    QString messageType; // "request" | "notification" | "response" | "error" | "invalid"
    QString method;      // the method; for a response, the method of the request it answers
    QString rpcId;       // jsonrpc::idToText of the id; empty for notifications

    // Upstream events
    QString httpMethod;
    QString url;          // redacted
    int httpStatus = 0;   // 0: no HTTP response (connection error, timeout ...)
    QString relatedRpcId; // the MCP request that caused this exchange

    // Both
    qint64 durationMs = -1; // response: time since its request; upstream: request to last byte
    qint64 size = 0;        // bytes of the message or of the upstream response body
    bool isError = false;   // JSON-RPC error, isError tool result, HTTP >= 400, network failure
    QString summary;        // one line for people: "tools/call search_recipes", "GET /recipes 200"
    QByteArray body;        // MCP: the message JSON. Upstream: JSON object describing the
                            // exchange {request:{method,url,headers,body}, response:{...}}.

    QJsonObject toJson() const;
    static std::optional<TrafficEvent> fromJson(const QJsonObject &object);
};

QString toString(EventKind kind);
QString toString(Direction direction);

} // namespace mcpbridge::traffic

Q_DECLARE_METATYPE(mcpbridge::traffic::TrafficEvent)
