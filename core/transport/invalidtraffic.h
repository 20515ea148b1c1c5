#pragma once

// Records in the TrafficLog what a transport rejects before McpServer sees it (unreadable
// bytes, refused HTTP requests), so a user can see why a client got an error. Used by both
// transports; everything that reaches McpServer is recorded there instead.

#include "core/jsonrpc/message.h"

#include <QByteArray>
#include <QString>

namespace mcpbridge::traffic {
class TrafficLog;
}

namespace mcpbridge::transport {

struct InvalidTraffic
{
    QString sessionId;
    QString transport; // "stdio" | "http"
    QString summary;   // one line for people: "HTTP 403: Host evil.example.com is not allowed"
    QByteArray body;   // the bytes received (capped before they are stored)
};

// Appends an inbound Mcp event with messageType "invalid" and isError. No-op without a log.
void recordInvalid(traffic::TrafficLog *log, const InvalidTraffic &what);
// Appends the error response a transport sent on its own (it never passed McpServer).
void recordTransportReply(traffic::TrafficLog *log, const QString &sessionId,
                          const QString &transport, const jsonrpc::Message &reply);

// Bodies stored for rejected traffic are cut to this size (a 16 MB line is not worth keeping).
inline constexpr qsizetype MaxRecordedBody = 64 * 1024;

} // namespace mcpbridge::transport
