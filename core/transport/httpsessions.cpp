// StreamableHttpTransport, second half: sessions, and which HTTP stream each message of a
// session goes to (the POST of the request it belongs to, or the session's GET stream).

#include "core/mcp/mcpserver.h"
#include "core/mcp/session.h"
#include "core/transport/httptransportprivate.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace mcpbridge::transport {

namespace {

// 128 random bits as 32 hex digits: visible ASCII, as the spec requires of session ids.
QString newSessionId()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
}

} // namespace

HttpSession *StreamableHttpTransport::Private::openSession()
{
    if (!server)
        return nullptr;
    QString id;
    do {
        id = newSessionId();
    } while (sessions.contains(id) || server->session(id));
    mcp::Session *session = server->createSession(u"http"_s, id);
    if (!session)
        return nullptr;
    session->setWritesBytesOnly(true); // deliver() writes message.serialize() only
    HttpSession &state = sessions[id];
    state.session = session;
    state.idle.start();
    QObject::connect(
        session, &mcp::Session::send, q,
        [this, id](const jsonrpc::Message &message, const std::optional<jsonrpc::Id> &relatedTo) {
            deliver(id, message, relatedTo);
        });
    QObject::connect(session, &mcp::Session::requestAbandoned, q,
                     [this, id](const jsonrpc::Id &requestId) { abandon(id, requestId); });
    qCInfo(lcHttp).noquote() << "Session" << id << "opened";
    emit q->sessionOpened(id);
    return &state;
}

bool StreamableHttpTransport::Private::primingFor(const HttpSession &session) const
{
    // Clients of older revisions may not expect an event without data.
    return session.session && session.session->protocolVersion() >= "2025-11-25"_L1;
}

void StreamableHttpTransport::Private::writeEvent(HttpSession &session, HttpReply &reply,
                                                  const jsonrpc::Message &message)
{
    reply.write(sse::event(session.takeEventId(), message.serialize()));
}

void StreamableHttpTransport::Private::startStream(HttpSession &session, PendingPost &post)
{
    post.reply.beginEventStream(post.headers);
    if (primingFor(session))
        post.reply.write(sse::priming(session.takeEventId(), retryMs));
    // Batch answers that came before the stream started.
    for (const QJsonValue &value : std::as_const(post.collected))
        post.reply.write(sse::event(
            session.takeEventId(), QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)));
    post.collected = {};
}

void StreamableHttpTransport::Private::deliver(const QString &sessionId,
                                               const jsonrpc::Message &message,
                                               const std::optional<jsonrpc::Id> &relatedTo)
{
    const auto it = sessions.find(sessionId);
    if (it == sessions.end())
        return;
    HttpSession &session = *it;

    std::optional<jsonrpc::Id> related = relatedTo;
    if (!related && message.isResponse() && message.id)
        related = message.id;

    if (!related) {
        if (session.getStream && session.getStream->isConnected()
            && session.getStream->isStreaming())
            writeEvent(session, *session.getStream, message);
        else
            qCDebug(lcHttp).noquote()
                << "No GET stream open for session" << sessionId << "- dropped" << message.method;
        return;
    }

    const QString key = jsonrpc::idToText(*related);
    const PendingPtr post = session.pending.value(key);
    if (!post) {
        qCDebug(lcHttp).noquote() << "The POST of request" << key << "in session" << sessionId
                                  << "is gone - dropped a message for it";
        return;
    }
    const bool isFinal
        = message.isResponse() && message.id && jsonrpc::idToText(*message.id) == key;
    if (isFinal) {
        session.pending.remove(key);
        post->waiting.remove(key);
        if (post->opensSession && message.kind == jsonrpc::Message::Kind::Error) {
            // The client never got a working session: do not keep it.
            QTimer::singleShot(0, q, [this, sessionId] {
                const auto found = sessions.constFind(sessionId);
                if (found == sessions.cend())
                    return;
                const QPointer<mcp::Session> dead = found->session;
                sessionClosed(sessionId);
                if (server && dead)
                    server->closeSession(dead);
            });
        }
    }

    if (!post->reply.hasStarted()) {
        if (isFinal) {
            if (!post->isBatch) {
                post->reply.send(200, "application/json", message.serialize(), post->headers);
                complete(session, post);
                return;
            }
            post->collected.append(message.toJson());
            if (post->waiting.isEmpty()) {
                post->reply.send(200, "application/json",
                                 QJsonDocument(post->collected).toJson(QJsonDocument::Compact),
                                 post->headers);
                complete(session, post);
            }
            return;
        }
        // Something comes before the answer (progress, a log message, a question to the
        // user): the answer becomes an event stream.
        startStream(session, *post);
    }
    writeEvent(session, post->reply, message);
    if (isFinal && post->waiting.isEmpty()) {
        post->reply.end();
        complete(session, post);
    }
}

void StreamableHttpTransport::Private::complete(HttpSession &session, const PendingPtr &post)
{
    QObject::disconnect(post->onDisconnect);
    for (auto it = session.pending.begin(); it != session.pending.end();) {
        if (it.value() == post)
            it = session.pending.erase(it);
        else
            ++it;
    }
}

void StreamableHttpTransport::Private::abandon(const QString &sessionId, const jsonrpc::Id &id)
{
    const auto it = sessions.find(sessionId);
    if (it == sessions.end())
        return;
    const QString key = jsonrpc::idToText(id);
    const PendingPtr post = it->pending.take(key);
    if (!post)
        return;
    post->waiting.remove(key);
    if (!post->waiting.isEmpty())
        return;
    // No answer will come: close the stream without one (the client cancelled it).
    if (!post->reply.hasStarted() && post->isBatch && !post->collected.isEmpty()) {
        post->reply.send(200, "application/json",
                         QJsonDocument(post->collected).toJson(QJsonDocument::Compact),
                         post->headers);
    } else {
        if (!post->reply.hasStarted())
            post->reply.beginEventStream(post->headers);
        post->reply.end();
    }
    complete(*it, post);
}

void StreamableHttpTransport::Private::dropPost(const QString &sessionId, const PendingPost *post)
{
    const auto it = sessions.find(sessionId);
    if (it == sessions.end())
        return;
    qCInfo(lcHttp).noquote() << "A client of session" << sessionId
                             << "disconnected before its answer; it will be dropped";
    for (auto p = it->pending.begin(); p != it->pending.end();) {
        if (p.value().get() == post)
            p = it->pending.erase(p);
        else
            ++p;
    }
}

void StreamableHttpTransport::Private::openGetStream(HttpSession &session, QTcpSocket *socket,
                                                     const HttpHeaders &headers)
{
    QObject::disconnect(session.getDisconnect);
    if (session.getStream)
        session.getStream->end();
    auto stream = std::make_shared<HttpReply>(socket);
    stream->beginEventStream(headers);
    // Something at once, so clients and proxies see a live stream before the first message.
    stream->write(sse::comment("stream open"));
    session.getStream = stream;
    const QString sessionId = session.session->id();
    session.getDisconnect = QObject::connect(
        socket, &QTcpSocket::disconnected, q, [this, sessionId, raw = stream.get()] {
            const auto it = sessions.find(sessionId);
            if (it != sessions.end() && it->getStream.get() == raw) {
                it->getStream.reset();
                qCDebug(lcHttp).noquote() << "GET stream of session" << sessionId << "closed";
            }
        });
    qCDebug(lcHttp).noquote() << "GET stream of session" << sessionId << "opened";
}

void StreamableHttpTransport::Private::sessionClosed(const QString &sessionId)
{
    const auto it = sessions.find(sessionId);
    if (it == sessions.end())
        return;
    HttpSession session = std::move(*it);
    sessions.erase(it);

    QObject::disconnect(session.getDisconnect);
    if (session.getStream)
        session.getStream->end();
    QSet<PendingPost *> seen;
    for (const PendingPtr &post : std::as_const(session.pending)) {
        if (seen.contains(post.get()))
            continue;
        seen.insert(post.get());
        QObject::disconnect(post->onDisconnect);
        if (post->reply.hasStarted()) {
            post->reply.end();
        } else {
            post->reply.send(
                404, "application/json",
                jsonrpc::Message::errorResponse(
                    std::nullopt, -32001, u"The session ended before this request was answered."_s)
                    .serialize(),
                post->headers);
        }
    }
    if (session.session)
        QObject::disconnect(session.session, nullptr, q, nullptr);
    qCInfo(lcHttp).noquote() << "Session" << sessionId << "ended";
    emit q->sessionEnded(sessionId);
}

void StreamableHttpTransport::Private::sendKeepAlive()
{
    const QByteArray ping = sse::comment("keep-alive");
    for (HttpSession &session : sessions) {
        if (session.getStream && session.getStream->isStreaming())
            session.getStream->write(ping);
        QSet<PendingPost *> seen;
        for (const PendingPtr &post : std::as_const(session.pending)) {
            if (!seen.contains(post.get()) && post->reply.isStreaming())
                post->reply.write(ping);
            seen.insert(post.get());
        }
    }
}

void StreamableHttpTransport::Private::expireIdleSessions()
{
    QStringList expired;
    for (auto it = sessions.cbegin(); it != sessions.cend(); ++it) {
        const bool streaming
            = it->getStream && it->getStream->isConnected() && it->getStream->isStreaming();
        if (it->pending.isEmpty() && !streaming && it->idle.hasExpired(sessionIdleTimeoutMs))
            expired.append(it.key());
    }
    for (const QString &id : std::as_const(expired)) {
        const QPointer<mcp::Session> session = sessions.value(id).session;
        qCInfo(lcHttp).noquote() << "Session" << id << "unused for" << sessionIdleTimeoutMs / 1000
                                 << "s; ending it";
        sessionClosed(id);
        if (server && session)
            server->closeSession(session);
    }
}

int StreamableHttpTransport::Private::openStreamCount() const
{
    int count = 0;
    for (const HttpSession &session : sessions) {
        if (session.getStream && session.getStream->isStreaming()
            && session.getStream->isConnected())
            ++count;
        QSet<PendingPost *> seen;
        for (const PendingPtr &post : session.pending) {
            if (!seen.contains(post.get()) && post->reply.isStreaming())
                ++count;
            seen.insert(post.get());
        }
    }
    return count;
}

} // namespace mcpbridge::transport
