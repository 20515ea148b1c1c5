#pragma once

// Internals of StreamableHttpTransport shared by its two source files: request handling
// (streamablehttptransport.cpp) and delivery of session messages to streams (httpsessions.cpp).
// Not part of any contract; nothing outside core/transport includes it.

#include "core/jsonrpc/message.h"
#include "core/transport/httpreply.h"
#include "core/transport/originpolicy.h"
#include "core/transport/streamablehttptransport.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QPointer>
#include <QSet>

#include <memory>
#include <optional>

class QHttpServer;
class QHttpServerResponder;
class QTcpServer;
class QTimer;

namespace mcpbridge::mcp {
class McpServer;
class Session;
} // namespace mcpbridge::mcp

namespace mcpbridge::transport {

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

// What a handler needs from a request, copied at once: QHttpServer reuses the request object.
struct HttpRequestInfo
{
    QHttpServerRequest::Method method = QHttpServerRequest::Method::Unknown;
    QByteArray methodName;
    QByteArray host;
    QByteArray origin; // null when absent
    QByteArray accept;
    QByteArray contentType;
    QByteArray sessionId;
    QByteArray protocolVersion;
    QByteArray authorization;
    QByteArray lastEventId;
    QByteArray body;
};

// httprequestinfo.cpp
HttpRequestInfo copyRequest(const QHttpServerRequest &request);
// Whether an Accept header admits `type`: listed, or covered by "text/*" or "*/*".
bool accepts(const QByteArray &accept, QByteArrayView type);
// "application/json; charset=utf-8" -> "application/json"
QByteArray mediaType(const QByteArray &contentType);
// Compares without an early exit, so response times do not leak how much of a token matched.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

// One POST that carried requests and waits for their responses. Several ids (a batch) may
// share it. Its response starts as undecided: the first message decides JSON or SSE.
struct PendingPost
{
    explicit PendingPost(QTcpSocket *socket)
        : reply(socket)
    {}

    HttpReply reply;
    HttpHeaders headers; // Mcp-Session-Id, CORS ...
    QString sessionId;
    bool isBatch = false;
    bool opensSession = false; // the initialize that created the session: a failure ends it
    QSet<QString> waiting;     // request ids (idToText) not answered yet
    QJsonArray collected;      // batch: answers (and member errors) not written yet
    QMetaObject::Connection onDisconnect;
};
using PendingPtr = std::shared_ptr<PendingPost>;

struct HttpSession
{
    QPointer<mcp::Session> session;
    QHash<QString, PendingPtr> pending; // by request id (idToText)
    std::shared_ptr<HttpReply> getStream;
    QMetaObject::Connection getDisconnect;
    quint64 nextEventId = 1;
    QElapsedTimer idle; // since the client last sent something

    QByteArray takeEventId() { return QByteArray::number(nextEventId++); }
};

struct StreamableHttpTransport::Private
{
    StreamableHttpTransport *q = nullptr;
    QPointer<mcp::McpServer> server;
    QHttpServer *http = nullptr;
    QTcpServer *tcp = nullptr;
    OriginPolicy policy;
    bool customPolicy = false;
    QString token;
    qsizetype maxBodyBytes = DefaultMaxBodyBytes;
    int retryMs = DefaultRetryMs;
    qint64 sessionIdleTimeoutMs = DefaultSessionIdleTimeoutMs;
    QTimer *keepAlive = nullptr;
    QHash<QString, HttpSession> sessions;

    // streamablehttptransport.cpp
    void handle(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void handlePost(const HttpRequestInfo &request, QTcpSocket *socket, HttpHeaders headers);
    void handleGet(const HttpRequestInfo &request, QTcpSocket *socket, HttpHeaders headers);
    void handleDelete(const HttpRequestInfo &request, QTcpSocket *socket, HttpHeaders headers);
    // Answers with a JSON-RPC error body and records the refusal in the traffic log.
    void reject(QTcpSocket *socket, const HttpRequestInfo &request, int status, int code,
                const QString &message, HttpHeaders headers = {},
                std::optional<jsonrpc::Id> id = std::nullopt);
    HttpSession *findSession(const HttpRequestInfo &request, QTcpSocket *socket,
                             const HttpHeaders &headers);
    bool checkProtocolVersionHeader(const HttpRequestInfo &request, QTcpSocket *socket,
                                    const HttpHeaders &headers);

    // httpsessions.cpp
    HttpSession *openSession();
    void deliver(const QString &sessionId, const jsonrpc::Message &message,
                 const std::optional<jsonrpc::Id> &relatedTo);
    void startStream(HttpSession &session, PendingPost &post);
    void writeEvent(HttpSession &session, HttpReply &reply, const jsonrpc::Message &message);
    void complete(HttpSession &session, const PendingPtr &post);
    void abandon(const QString &sessionId, const jsonrpc::Id &id);
    void dropPost(const QString &sessionId, const PendingPost *post);
    void openGetStream(HttpSession &session, QTcpSocket *socket, const HttpHeaders &headers);
    void sessionClosed(const QString &sessionId);
    void sendKeepAlive();
    // Ends sessions nobody used for sessionIdleTimeoutMs (clients that never send DELETE).
    void expireIdleSessions();
    bool primingFor(const HttpSession &session) const;
    int openStreamCount() const;
};

} // namespace mcpbridge::transport
