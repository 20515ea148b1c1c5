// The request side of StreamableHttpTransport: what it copies from a QHttpServerRequest and
// how it reads the headers that decide between an answer and a refusal.

#include "core/transport/httptransportprivate.h"

namespace mcpbridge::transport {

HttpRequestInfo copyRequest(const QHttpServerRequest &request)
{
    HttpRequestInfo info;
    info.method = request.method();
    switch (info.method) {
    case QHttpServerRequest::Method::Get: info.methodName = "GET"; break;
    case QHttpServerRequest::Method::Post: info.methodName = "POST"; break;
    case QHttpServerRequest::Method::Delete: info.methodName = "DELETE"; break;
    case QHttpServerRequest::Method::Options: info.methodName = "OPTIONS"; break;
    case QHttpServerRequest::Method::Put: info.methodName = "PUT"; break;
    case QHttpServerRequest::Method::Patch: info.methodName = "PATCH"; break;
    case QHttpServerRequest::Method::Head: info.methodName = "HEAD"; break;
    default: info.methodName = "this method"; break;
    }
    for (const auto &[name, value] : request.headers()) {
        const QByteArray key = name.toLower();
        QByteArray *target = nullptr;
        if (key == "host")
            target = &info.host;
        else if (key == "origin")
            target = &info.origin;
        else if (key == "accept")
            target = &info.accept;
        else if (key == "content-type")
            target = &info.contentType;
        else if (key == "mcp-session-id")
            target = &info.sessionId;
        else if (key == "mcp-protocol-version")
            target = &info.protocolVersion;
        else if (key == "authorization")
            target = &info.authorization;
        else if (key == "last-event-id")
            target = &info.lastEventId;
        if (target && target->isNull()) // the first occurrence wins
            *target = value.trimmed().isNull() ? QByteArray("") : value.trimmed();
    }
    info.body = request.body();
    return info;
}

// Whether an Accept header admits `type` ("text/event-stream"): listed, or covered by
// "text/*" or "*/*".
bool accepts(const QByteArray &accept, QByteArrayView type)
{
    const QByteArray major = type.toByteArray().split('/').constFirst() + "/*";
    for (const QByteArray &part : accept.split(',')) {
        const QByteArray media = part.split(';').constFirst().trimmed().toLower();
        if (media == type || media == major || media == "*/*")
            return true;
    }
    return false;
}

QByteArray mediaType(const QByteArray &contentType)
{
    return contentType.split(';').constFirst().trimmed().toLower();
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    const qsizetype n = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace mcpbridge::transport
