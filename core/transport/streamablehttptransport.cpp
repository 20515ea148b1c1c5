#include "core/transport/streamablehttptransport.h"

#include "core/mcp/mcpserver.h"
#include "core/mcp/session.h"
#include "core/transport/httptransportprivate.h"
#include "core/transport/invalidtraffic.h"

#include <QHttpServer>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace mcpbridge::transport {

Q_LOGGING_CATEGORY(lcHttp, "mcpbridge.http")

namespace {

// Codes of the SDK's own transport, so clients that look at them understand ours.
constexpr int TransportError = -32000;
constexpr int SessionNotFound = -32001;

const QByteArray AllowedMethods = "GET, POST, DELETE, OPTIONS";

QString sizeText(qsizetype bytes)
{
    if (bytes >= 1024 * 1024)
        return u"%1 MB"_s.arg(double(bytes) / (1024 * 1024), 0, 'f', bytes % (1024 * 1024) ? 1 : 0);
    return u"%1 KB"_s.arg((bytes + 1023) / 1024);
}

} // namespace

StreamableHttpTransport::StreamableHttpTransport(mcp::McpServer *server, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->server = server;
    d->keepAlive = new QTimer(this);
    d->keepAlive->setInterval(DefaultKeepAliveMs);
    connect(d->keepAlive, &QTimer::timeout, this, [this] {
        d->sendKeepAlive();
        d->expireIdleSessions();
    });
    d->keepAlive->start();
    if (server) {
        connect(server, &mcp::McpServer::sessionClosed, this,
                [this](const QString &sessionId) { d->sessionClosed(sessionId); });
    }
}

StreamableHttpTransport::~StreamableHttpTransport()
{
    // Sockets die with the HTTP server and tell us so: stop listening to everything first.
    if (d->server)
        disconnect(d->server, nullptr, this, nullptr);
    const QStringList ids = d->sessions.keys();
    for (const QString &id : ids) {
        const QPointer<mcp::Session> session = d->sessions.value(id).session;
        d->sessionClosed(id);
        if (session) {
            disconnect(session, nullptr, this, nullptr);
            if (d->server)
                d->server->closeSession(session);
        }
    }
    delete d->http;
    d->http = nullptr;
}

Result<quint16> StreamableHttpTransport::listen(const QHostAddress &address, quint16 port)
{
    if (d->tcp && d->tcp->isListening())
        return fail(u"The bridge is already listening on port %1."_s.arg(d->tcp->serverPort()));

    auto tcp = std::make_unique<QTcpServer>();
    if (!tcp->listen(address, port)) {
        const bool busy = tcp->serverError() == QAbstractSocket::AddressInUseError;
        const QString where = address.protocol() == QAbstractSocket::IPv6Protocol
                                  ? u"[%1]:%2"_s.arg(address.toString()).arg(port)
                                  : u"%1:%2"_s.arg(address.toString()).arg(port);
        if (busy)
            return fail(u"cannot listen on %1: the address is already in use."_s.arg(where), where,
                        int(QAbstractSocket::AddressInUseError));
        return fail(u"cannot listen on %1: %2."_s.arg(where, tcp->errorString()), where,
                    int(tcp->serverError()));
    }

    if (!d->http) {
        d->http = new QHttpServer(this);
        d->http->route(endpointPath(), QHttpServerRequest::Method::AnyKnown,
                       [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                           d->handle(request, std::move(responder));
                       });
        d->http->setMissingHandler([](const QHttpServerRequest &request,
                                      QHttpServerResponder &&responder) {
            HttpReply reply(responder.socket());
            const QString message
                = u"Not found: %1. The MCP endpoint of this bridge is /mcp."_s.arg(
                    request.url().path());
            reply.send(
                404, "application/json",
                jsonrpc::Message::errorResponse(std::nullopt, TransportError, message).serialize());
        });
    }
    d->tcp = tcp.release();
    d->http->bind(d->tcp); // takes ownership
    if (!d->customPolicy)
        d->policy = OriginPolicy::forListenAddress(address);
    qCInfo(lcHttp).noquote() << "Listening on" << url().toString();
    return d->tcp->serverPort();
}

bool StreamableHttpTransport::isListening() const
{
    return d->tcp && d->tcp->isListening();
}

quint16 StreamableHttpTransport::port() const
{
    return isListening() ? d->tcp->serverPort() : 0;
}

QHostAddress StreamableHttpTransport::address() const
{
    return isListening() ? d->tcp->serverAddress() : QHostAddress();
}

QUrl StreamableHttpTransport::url() const
{
    QHostAddress host = address();
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress::LocalHost;
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress::LocalHostIPv6;
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(host.toString());
    url.setPort(port());
    url.setPath(endpointPath());
    return url;
}

void StreamableHttpTransport::setAccessToken(const QString &token)
{
    d->token = token;
}

void StreamableHttpTransport::setOriginPolicy(const OriginPolicy &policy)
{
    d->policy = policy;
    d->customPolicy = true;
}

void StreamableHttpTransport::setMaxBodyBytes(qsizetype bytes)
{
    d->maxBodyBytes = std::max<qsizetype>(bytes, 1024);
}

void StreamableHttpTransport::setKeepAliveIntervalMs(int ms)
{
    d->keepAlive->setInterval(std::max(ms, 10));
}

void StreamableHttpTransport::setRetryMs(int ms)
{
    d->retryMs = ms;
}

void StreamableHttpTransport::setSessionIdleTimeoutMs(qint64 ms)
{
    d->sessionIdleTimeoutMs = ms;
}

QStringList StreamableHttpTransport::sessionIds() const
{
    return d->sessions.keys();
}

int StreamableHttpTransport::openStreamCount() const
{
    return d->openStreamCount();
}

// ---------------------------------------------------------------------------------------------

void StreamableHttpTransport::Private::reject(QTcpSocket *socket, const HttpRequestInfo &request,
                                              int status, int code, const QString &message,
                                              HttpHeaders headers, std::optional<jsonrpc::Id> id)
{
    qCInfo(lcHttp).noquote() << "HTTP" << status << request.methodName << "refused:" << message;
    HttpReply reply(socket);
    reply.send(status, "application/json",
               jsonrpc::Message::errorResponse(std::move(id), code, message).serialize(), headers);
    recordInvalid(server ? server->trafficLog() : nullptr,
                  {QString::fromLatin1(request.sessionId), u"http"_s,
                   u"HTTP %1 for %2 /mcp: %3"_s.arg(status).arg(
                       QString::fromLatin1(request.methodName), message),
                   request.body});
}

void StreamableHttpTransport::Private::handle(const QHttpServerRequest &httpRequest,
                                              QHttpServerResponder &&responder)
{
    QTcpSocket *socket = responder.socket();
    const HttpRequestInfo request = copyRequest(httpRequest);

    if (const auto problem = policy.checkHost(request.host)) {
        reject(socket, request, 403, TransportError, *problem);
        return;
    }
    if (const auto problem = policy.checkOrigin(request.origin, request.host)) {
        reject(socket, request, 403, TransportError, *problem);
        return;
    }

    HttpHeaders headers;
    if (!request.origin.isNull()) {
        headers.emplaceBack("Access-Control-Allow-Origin", request.origin);
        headers.emplaceBack("Access-Control-Expose-Headers",
                            "Mcp-Session-Id, MCP-Protocol-Version");
        headers.emplaceBack("Vary", "Origin");
    }

    if (request.method == QHttpServerRequest::Method::Options) {
        headers.emplaceBack("Allow", AllowedMethods);
        if (!request.origin.isNull()) {
            headers.emplaceBack("Access-Control-Allow-Methods", AllowedMethods);
            headers.emplaceBack("Access-Control-Allow-Headers",
                                "Content-Type, Accept, Authorization, Mcp-Session-Id, "
                                "MCP-Protocol-Version, Last-Event-ID");
            headers.emplaceBack("Access-Control-Max-Age", "600");
        }
        HttpReply(socket).send(204, {}, {}, headers);
        return;
    }

    if (!token.isEmpty()
        && !constantTimeEquals(request.authorization, "Bearer " + token.toUtf8())) {
        HttpHeaders authHeaders = headers;
        authHeaders.emplaceBack(
            "WWW-Authenticate",
            request.authorization.isEmpty()
                ? QByteArray(R"(Bearer realm="mcpbridge")")
                : QByteArray(R"(Bearer realm="mcpbridge", error="invalid_token")"));
        reject(socket, request, 401, TransportError,
               request.authorization.isEmpty()
                   ? u"This bridge needs an access token: send \"Authorization: Bearer <token>\"."_s
                   : u"The access token is wrong: send \"Authorization: Bearer <token>\" with the "
                     "token the bridge was started with."_s,
               authHeaders);
        return;
    }

    switch (request.method) {
    case QHttpServerRequest::Method::Post: handlePost(request, socket, headers); return;
    case QHttpServerRequest::Method::Get: handleGet(request, socket, headers); return;
    case QHttpServerRequest::Method::Delete: handleDelete(request, socket, headers); return;
    default: break;
    }
    headers.emplaceBack("Allow", AllowedMethods);
    reject(socket, request, 405, TransportError,
           u"Method not allowed: %1. /mcp accepts POST (messages), GET (event stream) and "
           "DELETE (end the session)."_s.arg(QString::fromLatin1(request.methodName)),
           headers);
}

HttpSession *StreamableHttpTransport::Private::findSession(const HttpRequestInfo &request,
                                                           QTcpSocket *socket,
                                                           const HttpHeaders &headers)
{
    if (request.sessionId.isEmpty()) {
        reject(socket, request, 400, TransportError,
               u"Missing Mcp-Session-Id header: send initialize first, then send the session id "
               "it returns in the Mcp-Session-Id header with every request."_s,
               headers);
        return nullptr;
    }
    const auto it = sessions.find(QString::fromLatin1(request.sessionId));
    if (it == sessions.end() || !it->session) {
        reject(socket, request, 404, SessionNotFound,
               u"Session not found: %1 is unknown or has ended. Send initialize without an "
               "Mcp-Session-Id header to start a new session."_s.arg(
                   QString::fromLatin1(request.sessionId)),
               headers);
        return nullptr;
    }
    it->idle.start();
    return &*it;
}

bool StreamableHttpTransport::Private::checkProtocolVersionHeader(const HttpRequestInfo &request,
                                                                  QTcpSocket *socket,
                                                                  const HttpHeaders &headers)
{
    if (request.protocolVersion.isNull())
        return true;
    const QStringList supported = mcp::McpServer::supportedProtocolVersions();
    if (supported.contains(QString::fromLatin1(request.protocolVersion)))
        return true;
    reject(socket, request, 400, TransportError,
           u"Unsupported MCP-Protocol-Version header \"%1\": this bridge speaks %2."_s.arg(
               QString::fromLatin1(request.protocolVersion), supported.join(u", "_s)),
           headers);
    return false;
}

void StreamableHttpTransport::Private::handlePost(const HttpRequestInfo &request,
                                                  QTcpSocket *socket, HttpHeaders headers)
{
    if (!accepts(request.accept, "application/json")
        || !accepts(request.accept, "text/event-stream")) {
        reject(socket, request, 406, TransportError,
               u"Not Acceptable: the Accept header must list both application/json and "
               "text/event-stream (it was \"%1\")."_s.arg(QString::fromLatin1(request.accept)),
               headers);
        return;
    }
    if (mediaType(request.contentType) != "application/json") {
        reject(socket, request, 415, TransportError,
               u"Unsupported Media Type: send the message with Content-Type: application/json "
               "(it was \"%1\")."_s.arg(QString::fromLatin1(request.contentType)),
               headers);
        return;
    }
    if (request.body.size() > maxBodyBytes) {
        reject(socket, request, 413, TransportError,
               u"The message is %1, more than the %2 this bridge accepts in one request."_s.arg(
                   sizeText(request.body.size()), sizeText(maxBodyBytes)),
               headers);
        return;
    }

    const jsonrpc::Payload payload = jsonrpc::parsePayload(request.body);
    if (!payload.isBatch && !payload.messages.isEmpty() && !payload.messages.constFirst()) {
        const jsonrpc::ParseFailure &failure = payload.messages.constFirst().error();
        reject(socket, request, 400, failure.error.code, failure.error.message, headers,
               failure.id);
        return;
    }
    const bool isInitialize = !payload.isBatch && !payload.messages.isEmpty()
                              && payload.messages.constFirst()->isRequest()
                              && payload.messages.constFirst()->method == "initialize"_L1;

    HttpSession *session = nullptr;
    if (request.sessionId.isEmpty() && isInitialize) {
        session = openSession();
        if (!session) {
            reject(socket, request, 503, TransportError,
                   u"The bridge could not open a session (the server is shutting down)."_s,
                   headers);
            return;
        }
    } else {
        session = findSession(request, socket, headers);
        if (!session)
            return;
        if (!isInitialize && !checkProtocolVersionHeader(request, socket, headers))
            return;
    }
    const QString sessionId = session->session->id();
    headers.emplaceBack("Mcp-Session-Id", sessionId.toLatin1());

    if (payload.isBatch) {
        const QString version = session->session->protocolVersion();
        if (version.isEmpty() || version >= "2025-06-18"_L1) {
            reject(socket, request, 400, jsonrpc::InvalidRequest,
                   u"Batches (a JSON array of messages in one POST) are not allowed with protocol "
                   "version %1 (they were removed in 2025-06-18). Send one message per POST."_s.arg(
                       version.isEmpty() ? u"(none negotiated yet)"_s : version),
                   headers);
            return;
        }
    }

    QList<jsonrpc::Message> messages;
    QJsonArray failures;
    QSet<QString> requestIds;
    for (const auto &entry : payload.messages) {
        if (!entry) {
            failures.append(entry.error().toResponse().toJson());
            recordInvalid(server->trafficLog(),
                          {sessionId, u"http"_s,
                           u"Unreadable batch member: "_s + entry.error().error.message,
                           request.body});
            continue;
        }
        if (entry->isRequest() && entry->id) {
            const QString key = jsonrpc::idToText(*entry->id);
            if (session->pending.contains(key) || requestIds.contains(key)) {
                reject(socket, request, 409, jsonrpc::InvalidRequest,
                       u"Request id %1 is already in use in this session by a request that has "
                       "not been answered yet; use a new id for every request."_s.arg(key),
                       headers, entry->id);
                return;
            }
            requestIds.insert(key);
        }
        messages.append(*entry);
    }

    if (requestIds.isEmpty()) {
        // Notifications and responses only: nothing will be said on this request.
        HttpReply reply(socket);
        if (failures.isEmpty())
            reply.send(202, {}, {}, headers);
        else
            reply.send(200, "application/json",
                       QJsonDocument(failures).toJson(QJsonDocument::Compact), headers);
    } else {
        auto post = std::make_shared<PendingPost>(socket);
        post->headers = headers;
        post->sessionId = sessionId;
        post->isBatch = payload.isBatch;
        post->opensSession = isInitialize && request.sessionId.isEmpty();
        post->waiting = requestIds;
        post->collected = failures;
        for (const QString &key : std::as_const(requestIds))
            session->pending.insert(key, post);
        post->onDisconnect
            = QObject::connect(socket, &QTcpSocket::disconnected, q,
                               [this, sessionId, raw = post.get()] { dropPost(sessionId, raw); });
    }

    for (const jsonrpc::Message &message : std::as_const(messages)) {
        // Each message may end the session (a response that fails it, a close from elsewhere).
        const auto it = sessions.constFind(sessionId);
        if (!server || it == sessions.cend() || !it->session)
            break;
        server->receive(it->session, message);
    }
}

void StreamableHttpTransport::Private::handleGet(const HttpRequestInfo &request, QTcpSocket *socket,
                                                 HttpHeaders headers)
{
    if (!accepts(request.accept, "text/event-stream")) {
        headers.emplaceBack("Allow", AllowedMethods);
        reject(socket, request, 405, TransportError,
               u"GET /mcp only opens an event stream for server messages: send \"Accept: "
               "text/event-stream\" and your Mcp-Session-Id. Messages go in a POST."_s,
               headers);
        return;
    }
    HttpSession *session = findSession(request, socket, headers);
    if (!session || !checkProtocolVersionHeader(request, socket, headers))
        return;
    headers.emplaceBack("Mcp-Session-Id", session->session->id().toLatin1());
    if (session->getStream && session->getStream->isConnected()
        && !session->getStream->isFinished()) {
        reject(socket, request, 409, TransportError,
               u"Conflict: this session already has an open GET event stream; only one is "
               "allowed. Close it before opening another."_s,
               headers);
        return;
    }
    openGetStream(*session, socket, headers);
}

void StreamableHttpTransport::Private::handleDelete(const HttpRequestInfo &request,
                                                    QTcpSocket *socket, HttpHeaders headers)
{
    HttpSession *session = findSession(request, socket, headers);
    if (!session)
        return;
    const QString sessionId = session->session->id();
    const QPointer<mcp::Session> mcpSession = session->session;
    qCInfo(lcHttp).noquote() << "Session" << sessionId << "ended by the client";
    sessionClosed(sessionId);
    if (server && mcpSession)
        server->closeSession(mcpSession);
    HttpReply(socket).send(200, {}, {}, headers);
}

} // namespace mcpbridge::transport
