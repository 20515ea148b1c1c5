#include "core/transport/invalidtraffic.h"

#include "core/traffic/trafficlog.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::transport {

void recordInvalid(traffic::TrafficLog *log, const InvalidTraffic &what)
{
    if (!log)
        return;
    traffic::TrafficEvent event;
    event.kind = traffic::EventKind::Mcp;
    event.direction = traffic::Direction::Inbound;
    event.sessionId = what.sessionId;
    event.transport = what.transport;
    event.messageType = u"invalid"_s;
    event.isError = true;
    event.summary = what.summary;
    event.size = what.body.size();
    event.body = what.body.size() > MaxRecordedBody
                     ? what.body.left(MaxRecordedBody) + "\n[... cut: the message was "
                           + QByteArray::number(what.body.size()) + " bytes]"
                     : what.body;
    log->append(std::move(event));
}

void recordTransportReply(traffic::TrafficLog *log, const QString &sessionId,
                          const QString &transport, const jsonrpc::Message &reply)
{
    if (!log)
        return;
    traffic::TrafficEvent event;
    event.kind = traffic::EventKind::Mcp;
    event.direction = traffic::Direction::Outbound;
    event.sessionId = sessionId;
    event.transport = transport;
    event.messageType = reply.kind == jsonrpc::Message::Kind::Error ? u"error"_s : u"response"_s;
    if (reply.id)
        event.rpcId = jsonrpc::idToText(*reply.id);
    event.isError = reply.kind == jsonrpc::Message::Kind::Error;
    event.body = reply.serialize();
    event.size = event.body.size();
    event.summary = event.isError ? u"error %1: %2"_s.arg(reply.error.code).arg(reply.error.message)
                                  : u"response"_s;
    log->append(std::move(event));
}

} // namespace mcpbridge::transport
