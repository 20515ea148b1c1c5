// Everything McpServer sends, and the traffic log entry for everything it sends and receives.

#include "core/mcp/loglevel.h"
#include "core/mcp/serverprivate.h"
#include "core/traffic/trafficlog.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mcpbridge::mcp {

namespace {

QString messageType(const jsonrpc::Message &message)
{
    switch (message.kind) {
    case jsonrpc::Message::Kind::Request: return u"request"_s;
    case jsonrpc::Message::Kind::Notification: return u"notification"_s;
    case jsonrpc::Message::Kind::Response: return u"response"_s;
    case jsonrpc::Message::Kind::Error: return u"error"_s;
    }
    return u"invalid"_s;
}

QString shortened(QString text, qsizetype max = 120)
{
    text.replace(u'\n', u' ');
    if (text.size() > max)
        text = text.left(max - 1) + u'…';
    return text;
}

QString numberText(double value)
{
    return QString::number(value, 'g', 10);
}

// The MCP log level for a level the invoker names; unknown levels are sent as "info".
QString logLevelFor(const QString &level)
{
    const QString lower = level.toLower();
    return logLevelRank(lower) >= 0 ? lower : u"info"_s;
}

} // namespace

QString summarize(const jsonrpc::Message &message)
{
    const QJsonObject params = message.paramsObject();
    const QString &method = message.method;
    auto with = [&](const QString &detail) -> QString {
        return detail.isEmpty() ? method : method + u' ' + shortened(detail);
    };
    if (method == "tools/call"_L1 || method == "prompts/get"_L1)
        return with(params.value("name"_L1).toString());
    if (method.startsWith("resources/"_L1) && params.contains("uri"_L1))
        return with(params.value("uri"_L1).toString());
    if (method == "logging/setLevel"_L1)
        return with(params.value("level"_L1).toString());
    if (method == "initialize"_L1) {
        const QString client = params.value("clientInfo"_L1).toObject().value("name"_L1).toString();
        return with(
            QString(client + u' ' + params.value("protocolVersion"_L1).toString()).trimmed());
    }
    if (method == "completion/complete"_L1) {
        const QJsonObject ref = params.value("ref"_L1).toObject();
        const QString target = ref.contains("name"_L1) ? ref.value("name"_L1).toString()
                                                       : ref.value("uri"_L1).toString();
        return with(target + u' '
                    + params.value("argument"_L1).toObject().value("name"_L1).toString());
    }
    if (method == "notifications/cancelled"_L1) {
        const QJsonValue id = params.value("requestId"_L1);
        return with(id.isString() ? u'"' + id.toString() + u'"' : numberText(id.toDouble()));
    }
    if (method == "notifications/progress"_L1) {
        QString detail = numberText(params.value("progress"_L1).toDouble());
        if (params.contains("total"_L1))
            detail += u'/' + numberText(params.value("total"_L1).toDouble());
        if (params.contains("message"_L1))
            detail += u' ' + params.value("message"_L1).toString();
        return with(detail);
    }
    if (method == "notifications/message"_L1)
        return with(params.value("level"_L1).toString() + u": "
                    + params.value("data"_L1).toString());
    if (method == "elicitation/create"_L1) {
        const auto required = params.value("requestedSchema"_L1)
                                  .toObject()
                                  .value("required"_L1)
                                  .toVariant()
                                  .toStringList();
        return with(required.isEmpty() ? QString()
                                       : u"(asks for "_s + required.join(u", "_s) + u')');
    }
    return method;
}

void McpServer::Private::record(Session *session, traffic::Direction direction,
                                const jsonrpc::Message &message, const QString &method,
                                const QString &summary, qint64 durationMs, bool isError)
{
    if (!log)
        return;
    traffic::TrafficEvent event;
    event.kind = traffic::EventKind::Mcp;
    event.direction = direction;
    event.sessionId = session ? session->id() : QString();
    event.transport = session ? session->transport() : QString();
    event.messageType = messageType(message);
    event.method = method;
    if (message.id)
        event.rpcId = jsonrpc::idToText(*message.id);
    event.body = message.serialize();
    event.size = event.body.size();
    event.durationMs = durationMs;
    event.isError = isError;
    event.summary = summary;
    log->append(std::move(event));
}

void McpServer::Private::recordInbound(Session *session, const jsonrpc::Message &message,
                                       const QString &summary)
{
    if (!message.isResponse()) {
        record(session, traffic::Direction::Inbound, message, message.method, summary, -1, false);
        return;
    }
    // A response from the client answers one of our requests (elicitation/create).
    QString method;
    qint64 duration = -1;
    if (message.id) {
        const auto it = outgoing.constFind(requestKey(session->id(), *message.id));
        if (it != outgoing.constEnd()) {
            method = it->method;
            duration = it->timer.elapsed();
        }
    }
    const bool isError = message.kind == jsonrpc::Message::Kind::Error;
    QString responseSummary = method.isEmpty() ? u"response"_s : method;
    if (isError) {
        responseSummary
            += u" → error %1: %2"_s.arg(message.error.code).arg(shortened(message.error.message));
    } else {
        const QString action = message.result.toObject().value("action"_L1).toString();
        responseSummary += action.isEmpty() ? u" → result"_s : u" → "_s + action;
    }
    record(session, traffic::Direction::Inbound, message, method, responseSummary, duration,
           isError);
}

namespace {

// Takes the request out of the books; false when it was already answered or cancelled.
bool finish(QHash<QString, InFlightPtr> &inFlight, const InFlightPtr &request)
{
    if (request->finished)
        return false;
    request->finished = true;
    const auto it = inFlight.find(request->key);
    if (it != inFlight.end() && it->get() == request.get())
        inFlight.erase(it);
    return true;
}

} // namespace

void McpServer::Private::respond(const InFlightPtr &request, const QJsonObject &result)
{
    if (!finish(inFlight, request) || !request->session)
        return;
    sendResult(request, jsonrpc::Message::response(request->id, result).withText(),
               result.value("isError"_L1).toBool());
}

void McpServer::Private::respondToolResult(const InFlightPtr &request,
                                           const upstream::ToolResult &result)
{
    if (!result.hasCompactJson() || !request->session || !request->session->writesBytesOnly()) {
        respond(request, result.toObject());
        return;
    }
    if (!finish(inFlight, request))
        return;
    sendResult(request, jsonrpc::Message::responseFromText(request->id, result.compactJson()),
               result.isError());
}

void McpServer::Private::sendResult(const InFlightPtr &request, const jsonrpc::Message &message,
                                    bool isError)
{
    record(request->session, traffic::Direction::Outbound, message, request->method,
           request->summary + (isError ? u" → result (isError)"_s : u" → result"_s),
           request->timer.elapsed(), isError);
    emit request->session->send(message, request->id);
}

void McpServer::Private::respondError(const InFlightPtr &request, int code, const QString &text,
                                      const QJsonValue &data)
{
    if (!finish(inFlight, request) || !request->session)
        return;
    const auto message = jsonrpc::Message::errorResponse(request->id, code, text, data).withText();
    record(request->session, traffic::Direction::Outbound, message, request->method,
           request->summary + u" → error %1: %2"_s.arg(code).arg(shortened(text)),
           request->timer.elapsed(), true);
    emit request->session->send(message, request->id);
}

void McpServer::Private::notifyRelated(const InFlightPtr &request, const QString &method,
                                       const QJsonObject &params)
{
    if (request->finished || !request->session)
        return;
    const auto message = jsonrpc::Message::notification(method, params).withText();
    record(request->session, traffic::Direction::Outbound, message, method, summarize(message), -1,
           false);
    emit request->session->send(message, request->id);
}

void McpServer::Private::notifySession(Session *session, const QString &method,
                                       const QJsonObject &params)
{
    const auto message = jsonrpc::Message::notification(method, params).withText();
    record(session, traffic::Direction::Outbound, message, method, summarize(message), -1, false);
    emit session->send(message, std::nullopt);
}

QString McpServer::Private::requestFromClient(
    const InFlightPtr &owner, const QString &method, const QJsonObject &params,
    std::function<void(const jsonrpc::Message &)> onResponse)
{
    // Strings with a prefix never collide with the client's own ids, which are its business.
    const jsonrpc::Id id = u"mcpbridge-%1"_s.arg(nextServerRequestId++);
    const QString key = requestKey(owner->sessionId, id);
    OutgoingRequest pending;
    pending.owner = owner;
    pending.method = method;
    pending.timer.start();
    pending.onResponse = std::move(onResponse);
    outgoing.insert(key, std::move(pending));
    owner->elicitationKey = key;

    const auto message = jsonrpc::Message::request(id, method, params).withText();
    record(owner->session, traffic::Direction::Outbound, message, method, summarize(message), -1,
           false);
    emit owner->session->send(message, owner->id);
    return key;
}

void McpServer::Private::sendLog(const InFlightPtr &request, const QString &level,
                                 const QString &text)
{
    if (request->finished || !request->session)
        return;
    const QString normalized = logLevelFor(level);
    if (!logLevelAllows(request->session->logLevel(), normalized))
        return;
    notifyRelated(
        request, u"notifications/message"_s,
        {{u"level"_s, normalized}, {u"logger"_s, u"mcpbridge.upstream"_s}, {u"data"_s, text}});
}

upstream::CallContext McpServer::Private::callContext(const InFlightPtr &request)
{
    upstream::CallContext context;
    context.sessionId = request->sessionId;
    context.rpcId = jsonrpc::idToText(request->id);
    context.transport = request->session ? request->session->transport() : QString();
    // Weak: a callback kept by the invoker must not keep a finished request alive.
    std::weak_ptr<InFlight> weak = request;
    context.log = [this, weak](const QString &level, const QString &message) {
        if (const InFlightPtr r = weak.lock())
            sendLog(r, level, message);
    };
    context.wantsLog = [weak](const QString &level) {
        const InFlightPtr r = weak.lock();
        return r && !r->finished && r->session
               && logLevelAllows(r->session->logLevel(), logLevelFor(level));
    };
    if (!request->progressToken.isUndefined()) {
        context.progress = [this, weak](double progress, double total, const QString &message) {
            const InFlightPtr r = weak.lock();
            if (!r || r->finished)
                return;
            // The spec wants progress to grow; an invoker that repeats a step must not make it
            // go back.
            progress = std::max(progress, r->lastProgress);
            r->lastProgress = progress;
            QJsonObject params{{u"progressToken"_s, r->progressToken}, {u"progress"_s, progress}};
            if (total > 0)
                params.insert(u"total"_s, total);
            if (!message.isEmpty())
                params.insert(u"message"_s, message);
            notifyRelated(r, u"notifications/progress"_s, params);
        };
    }
    return context;
}

} // namespace mcpbridge::mcp
