#include "core/mcp/mcpserver.h"

#include "core/mcp/loglevel.h"
#include "core/mcp/serverprivate.h"
#include "core/traffic/trafficlog.h"
#include "core/upstream/restinvoker.h"

#include <QUuid>

using namespace Qt::StringLiterals;

namespace mcpbridge::mcp {

Q_LOGGING_CATEGORY(lcMcp, "mcpbridge.mcp")

namespace {

using Handler = std::function<void(McpServer::Private *, const InFlightPtr &, const QJsonObject &)>;

template<auto Member>
Handler bind()
{
    return [](McpServer::Private *d, const InFlightPtr &r, const QJsonObject &p) {
        (d->*Member)(r, p);
    };
}

} // namespace

QStringList McpServer::supportedProtocolVersions()
{
    return {u"2025-11-25"_s, u"2025-06-18"_s, u"2025-03-26"_s, u"2024-11-05"_s};
}

QString McpServer::latestProtocolVersion()
{
    return supportedProtocolVersions().constFirst();
}

McpServer::McpServer(std::shared_ptr<const bridge::BridgeDocument> document,
                     secrets::SecretStore *secrets, traffic::TrafficLog *log, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->document = document ? std::move(document) : std::make_shared<bridge::BridgeDocument>();
    d->secrets = secrets;
    d->log = log;
    d->invoker = new upstream::RestInvoker(secrets, log, this);
}

McpServer::~McpServer()
{
    // The invoker's callbacks point into `d`: stop every call and delete the invoker while `d`
    // still exists (children would otherwise die after it).
    for (const InFlightPtr &request : std::as_const(d->inFlight)) {
        request->finished = true;
        for (const auto &call : request->calls)
            if (call)
                call->abort();
    }
    d->inFlight.clear();
    d->outgoing.clear();
    delete d->invoker;
    d->invoker = nullptr;
}

std::shared_ptr<const bridge::BridgeDocument> McpServer::document() const
{
    return d->document;
}

void McpServer::setDocument(std::shared_ptr<const bridge::BridgeDocument> document)
{
    if (!document) {
        qCWarning(lcMcp) << "setDocument: ignoring an empty document";
        return;
    }
    d->document = std::move(document);
    d->schemaCache.clear();
    d->schemaCacheDocument = nullptr;
    const auto sessions = d->sessions;
    for (const QPointer<Session> &session : sessions) {
        if (!session || !session->isInitialized())
            continue;
        d->notifySession(session, u"notifications/tools/list_changed"_s, {});
        d->notifySession(session, u"notifications/resources/list_changed"_s, {});
        d->notifySession(session, u"notifications/prompts/list_changed"_s, {});
    }
}

Session *McpServer::createSession(const QString &transport, const QString &id)
{
    QString sessionId = id;
    if (sessionId.isEmpty()) {
        do {
            sessionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        } while (d->sessions.contains(sessionId));
    } else if (d->sessions.contains(sessionId)) {
        qCWarning(lcMcp) << "createSession: a session with id" << sessionId << "already exists";
        return nullptr;
    }
    auto *session = new Session(sessionId, transport, this);
    d->sessions.insert(sessionId, session);
    emit sessionCreated(session);
    return session;
}

Session *McpServer::session(const QString &id) const
{
    return d->sessions.value(id).data();
}

QList<Session *> McpServer::sessions() const
{
    QList<Session *> result;
    for (const QPointer<Session> &session : std::as_const(d->sessions))
        if (session)
            result.append(session.data());
    return result;
}

void McpServer::closeSession(Session *session)
{
    if (!session || !d->sessions.contains(session->id()))
        return;
    const QString sessionId = session->id();
    const auto requests = d->inFlight.values();
    for (const InFlightPtr &request : requests) {
        if (request->sessionId == sessionId) {
            request->finished = true;
            for (const auto &call : request->calls)
                if (call)
                    call->abort();
            d->inFlight.remove(request->key);
        }
    }
    for (auto it = d->outgoing.begin(); it != d->outgoing.end();) {
        if (it->owner && it->owner->sessionId == sessionId)
            it = d->outgoing.erase(it);
        else
            ++it;
    }
    d->sessions.remove(sessionId);
    emit sessionClosed(sessionId);
    session->deleteLater();
}

void McpServer::receive(Session *session, const jsonrpc::Message &message)
{
    if (!session || d->sessions.value(session->id()) != session) {
        qCWarning(lcMcp) << "receive: message for a session this server does not know";
        return;
    }
    const QString summary = message.isResponse() ? QString() : summarize(message);
    d->recordInbound(session, message, summary);
    switch (message.kind) {
    case jsonrpc::Message::Kind::Request: d->handleRequest(session, message, summary); break;
    case jsonrpc::Message::Kind::Notification: d->handleNotification(session, message); break;
    case jsonrpc::Message::Kind::Response:
    case jsonrpc::Message::Kind::Error: d->handleClientResponse(session, message); break;
    }
}

int McpServer::pageSize() const
{
    return d->pageSize;
}

void McpServer::setPageSize(int pageSize)
{
    d->pageSize = std::max(1, pageSize);
}

traffic::TrafficLog *McpServer::trafficLog() const
{
    return d->log;
}

upstream::RestInvoker *McpServer::invoker() const
{
    return d->invoker;
}

// ---------------------------------------------------------------------------------------------

QString McpServer::Private::requestKey(const QString &sessionId, const jsonrpc::Id &id)
{
    return sessionId + u'\n' + jsonrpc::idToText(id);
}

void McpServer::Private::handleRequest(Session *session, const jsonrpc::Message &message,
                                       const QString &summary)
{
    static const QHash<QString, Handler> handlers{
        {u"initialize"_s, bind<&Private::handleInitialize>()},
        {u"ping"_s,
         [](Private *d, const InFlightPtr &r, const QJsonObject &) { d->respond(r, {}); }},
        {u"logging/setLevel"_s, bind<&Private::handleSetLevel>()},
        {u"tools/list"_s, bind<&Private::handleToolsList>()},
        {u"tools/call"_s, bind<&Private::handleToolsCall>()},
        {u"resources/list"_s, bind<&Private::handleResourcesList>()},
        {u"resources/templates/list"_s, bind<&Private::handleTemplatesList>()},
        {u"resources/read"_s, bind<&Private::handleResourcesRead>()},
        {u"resources/subscribe"_s, [](Private *d, const InFlightPtr &r,
                                      const QJsonObject &p) { d->handleSubscribe(r, p, true); }},
        {u"resources/unsubscribe"_s, [](Private *d, const InFlightPtr &r,
                                        const QJsonObject &p) { d->handleSubscribe(r, p, false); }},
        {u"prompts/list"_s, bind<&Private::handlePromptsList>()},
        {u"prompts/get"_s, bind<&Private::handlePromptsGet>()},
        {u"completion/complete"_s, bind<&Private::handleComplete>()},
    };

    auto request = std::make_shared<InFlight>();
    request->session = session;
    request->sessionId = session->id();
    request->id = *message.id;
    request->key = requestKey(session->id(), *message.id);
    request->method = message.method;
    request->summary = summary;
    request->timer.start();
    request->document = document;

    if (inFlight.contains(request->key)) {
        // Not registered: answering it must not finish the request that owns the id.
        respondError(
            request, jsonrpc::InvalidRequest,
            u"Request id %1 is already in use by a request that has not been answered yet; "
            "use a new id for every request."_s.arg(jsonrpc::idToText(*message.id)));
        return;
    }
    inFlight.insert(request->key, request);

    if (!message.params.isUndefined() && !message.params.isObject()) {
        respondError(request, jsonrpc::InvalidParams,
                     u"The params of %1 must be a JSON object."_s.arg(message.method));
        return;
    }
    const auto handler = handlers.constFind(message.method);
    if (handler == handlers.constEnd()) {
        respondError(request, jsonrpc::MethodNotFound,
                     u"Method not found: %1"_s.arg(message.method));
        return;
    }
    if (message.method != "initialize"_L1 && message.method != "ping"_L1
        && session->m_protocolVersion.isEmpty()) {
        respondError(request, jsonrpc::InvalidRequest,
                     u"The session is not initialized: send initialize first, then %1."_s.arg(
                         message.method));
        return;
    }
    (*handler)(this, request, message.paramsObject());
}

void McpServer::Private::handleNotification(Session *session, const jsonrpc::Message &message)
{
    const QJsonObject params = message.paramsObject();
    if (message.method == "notifications/initialized"_L1) {
        if (!session->m_protocolVersion.isEmpty())
            session->m_initialized = true;
        else
            qCWarning(lcMcp) << "notifications/initialized before initialize; ignored";
    } else if (message.method == "notifications/cancelled"_L1) {
        const QJsonValue requestId = params.value("requestId"_L1);
        std::optional<jsonrpc::Id> id;
        if (requestId.isString())
            id = requestId.toString();
        else if (requestId.isDouble())
            id = qint64(requestId.toDouble());
        if (!id)
            return;
        const InFlightPtr request = inFlight.value(requestKey(session->id(), *id));
        // The spec forbids cancelling initialize.
        if (request && request->method != "initialize"_L1)
            cancelRequest(request, params.value("reason"_L1).toString());
    }
    // Other notifications (roots/list_changed, progress ...) need nothing from the bridge.
}

void McpServer::Private::handleClientResponse(Session *session, const jsonrpc::Message &message)
{
    if (!message.id) {
        qCWarning(lcMcp) << "The client sent an error without a request id:"
                         << message.error.message;
        return;
    }
    const auto it = outgoing.find(requestKey(session->id(), *message.id));
    if (it == outgoing.end()) {
        qCInfo(lcMcp) << "Ignoring a response to unknown request" << jsonrpc::idToText(*message.id);
        return;
    }
    OutgoingRequest pending = std::move(*it);
    outgoing.erase(it);
    if (pending.owner)
        pending.owner->elicitationKey.reset();
    if (pending.owner && !pending.owner->finished && pending.onResponse)
        pending.onResponse(message);
}

void McpServer::Private::cancelRequest(const InFlightPtr &request, const QString &why)
{
    qCInfo(lcMcp) << "Request" << request->summary << "cancelled by the client:" << why;
    request->finished = true;
    for (const auto &call : request->calls)
        if (call)
            call->abort();
    request->calls.clear();
    if (request->elicitationKey)
        outgoing.remove(*request->elicitationKey);
    inFlight.remove(request->key);
    if (request->session)
        emit request->session->requestAbandoned(request->id);
}

void McpServer::Private::handleInitialize(const InFlightPtr &request, const QJsonObject &params)
{
    Session *session = request->session;
    if (!session->m_protocolVersion.isEmpty()) {
        respondError(request, jsonrpc::InvalidRequest,
                     u"This session is already initialized; initialize may be sent only once."_s);
        return;
    }
    const QJsonValue version = params.value("protocolVersion"_L1);
    if (!version.isString()) {
        respondError(request, jsonrpc::InvalidParams,
                     u"initialize: params.protocolVersion is missing or not a string; it names the "
                     "MCP version the client speaks, e.g. \"%1\"."_s.arg(latestProtocolVersion()));
        return;
    }
    for (const auto member : {"capabilities"_L1, "clientInfo"_L1}) {
        const QJsonValue value = params.value(member);
        if (!value.isUndefined() && !value.isObject()) {
            respondError(request, jsonrpc::InvalidParams,
                         u"initialize: params.%1 must be an object."_s.arg(member));
            return;
        }
    }
    const QString requested = version.toString();
    const QString negotiated
        = supportedProtocolVersions().contains(requested) ? requested : latestProtocolVersion();
    session->m_protocolVersion = negotiated;
    session->m_clientCapabilities = params.value("capabilities"_L1).toObject();
    session->m_clientInfo = params.value("clientInfo"_L1).toObject();

    const bridge::ServerInfo &info = request->document->server;
    QJsonObject serverInfo{
        {u"name"_s, info.name.isEmpty() ? u"mcpbridge"_s : info.name},
        {u"version"_s, info.version.isEmpty() ? u"1.0.0"_s : info.version},
    };
    if (!info.title.isEmpty())
        serverInfo.insert(u"title"_s, info.title);
    const QJsonObject listChanged{{u"listChanged"_s, true}};
    QJsonObject result{
        {u"protocolVersion"_s, negotiated},
        {u"capabilities"_s,
         QJsonObject{
             {u"tools"_s, listChanged},
             {u"resources"_s, QJsonObject{{u"subscribe"_s, true}, {u"listChanged"_s, true}}},
             {u"prompts"_s, listChanged},
             {u"completions"_s, QJsonObject{}},
             {u"logging"_s, QJsonObject{}},
         }},
        {u"serverInfo"_s, serverInfo},
    };
    if (!info.instructions.isEmpty())
        result.insert(u"instructions"_s, info.instructions);
    respond(request, result);
}

void McpServer::Private::handleSetLevel(const InFlightPtr &request, const QJsonObject &params)
{
    const QString level = params.value("level"_L1).toString();
    if (logLevelRank(level) < 0) {
        respondError(
            request, jsonrpc::InvalidParams,
            u"logging/setLevel: params.level must be one of %1."_s.arg(logLevels().join(u", "_s)),
            QJsonObject{{u"level"_s, params.value("level"_L1)}});
        return;
    }
    request->session->m_logLevel = level;
    respond(request, {});
}

} // namespace mcpbridge::mcp
