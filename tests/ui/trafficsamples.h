#pragma once

// Sample traffic events shared by tst_trafficmodel and tst_trafficview.

#include "core/traffic/trafficevent.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace samples {

using namespace Qt::StringLiterals;
using mcpbridge::traffic::Direction;
using mcpbridge::traffic::EventKind;
using mcpbridge::traffic::TrafficEvent;

inline TrafficEvent request(const QString &session, const QString &id, const QString &method)
{
    TrafficEvent e;
    e.kind = EventKind::Mcp;
    e.direction = Direction::Inbound;
    e.sessionId = session;
    e.transport = u"http"_s;
    e.messageType = u"request"_s;
    e.method = method;
    e.rpcId = id;
    e.summary = method;
    e.body
        = QJsonDocument(
              QJsonObject{{u"jsonrpc"_s, u"2.0"_s}, {u"id"_s, id.toInt()}, {u"method"_s, method}})
              .toJson(QJsonDocument::Compact);
    e.size = e.body.size();
    return e;
}

inline TrafficEvent response(const QString &session, const QString &id, const QString &method,
                             bool isError = false, qint64 ms = 12)
{
    TrafficEvent e;
    e.kind = EventKind::Mcp;
    e.direction = Direction::Outbound;
    e.sessionId = session;
    e.transport = u"http"_s;
    e.messageType = isError ? u"error"_s : u"response"_s;
    e.method = method;
    e.rpcId = id;
    e.durationMs = ms;
    e.isError = isError;
    e.summary = isError ? u"error -32602"_s : u"result"_s;
    e.body = QJsonDocument(QJsonObject{{u"jsonrpc"_s, u"2.0"_s},
                                       {u"id"_s, id.toInt()},
                                       {u"result"_s, QJsonObject{{u"answer"_s, 42}}}})
                 .toJson(QJsonDocument::Compact);
    e.size = e.body.size();
    return e;
}

inline TrafficEvent notification(const QString &session, const QString &method)
{
    TrafficEvent e;
    e.kind = EventKind::Mcp;
    e.direction = Direction::Outbound;
    e.sessionId = session;
    e.messageType = u"notification"_s;
    e.method = method;
    e.summary = method;
    e.body = R"({"jsonrpc":"2.0","method":"notifications/tools/list_changed"})";
    return e;
}

inline QByteArray exchangeBody(const QString &method, const QString &url, int status)
{
    const QJsonObject request{
        {u"method"_s, method},
        {u"url"_s, url},
        {u"headers"_s, QJsonObject{{u"Authorization"_s, u"[redacted]"_s},
                                   {u"Content-Type"_s, u"application/json"_s}}},
        {u"body"_s, u"{\"name\":\"Tom's soup\"}"_s}};
    const QJsonObject response{{u"status"_s, status},
                               {u"reason"_s, u"OK"_s},
                               {u"headers"_s, QJsonObject{}},
                               {u"body"_s, u"{\"id\":7}"_s}};
    return QJsonDocument(QJsonObject{{u"request"_s, request}, {u"response"_s, response}})
        .toJson(QJsonDocument::Compact);
}

inline TrafficEvent upstream(const QString &session, const QString &relatedId,
                             const QString &url = u"http://127.0.0.1:8766/recipes?q=soup"_s,
                             int status = 200)
{
    TrafficEvent e;
    e.kind = EventKind::Upstream;
    e.direction = Direction::Outbound;
    e.sessionId = session;
    e.relatedRpcId = relatedId;
    e.httpMethod = u"POST"_s;
    e.url = url;
    e.httpStatus = status;
    e.durationMs = 5;
    e.size = 8;
    e.isError = status == 0 || status >= 400;
    e.summary = u"POST /recipes → %1"_s.arg(status);
    e.body = exchangeBody(e.httpMethod, url, status);
    return e;
}

} // namespace samples
