#include "core/upstream/upstreamcall.h"

#include "core/upstream/errorhints.h"
#include "core/util/jsontext.h"

using namespace Qt::StringLiterals;

// UpstreamCall's traffic record and redacted display of the request: everything that decides
// what of an exchange people get to see.

namespace mcpbridge::upstream {

namespace {

constexpr qint64 TrafficExcerptBytes = 4096;

// Header names (lowercase) whose values are credentials, whatever they hold.
bool isCredentialHeader(const QByteArray &lower, const QByteArray &apiKeyHeader)
{
    return lower == "authorization" || lower == "proxy-authorization" || lower == "cookie"
           || lower == "set-cookie" || lower.contains("api-key") || lower.contains("apikey")
           || lower.contains("token") || lower.contains("secret")
           || (!apiKeyHeader.isEmpty() && lower == apiKeyHeader);
}

// The record of an exchange is written straight to compact JSON: building QJsonObjects and
// serialising them was the largest part of what recording cost a call. Bytes written with
// json::appendCompactUtf8String must be valid UTF-8 (validUtf8, bodyExcerptForTraffic).
void appendJsonText(QByteArray &out, const QString &text)
{
    json::appendCompactUtf8String(out, text.toUtf8());
}

// Bytes from the wire as valid UTF-8 (what QString::fromUtf8 would make of them).
QByteArray validUtf8(const QByteArray &bytes)
{
    return bytes.isValidUtf8() ? bytes : QString::fromUtf8(bytes).toUtf8();
}

// What people see of a body: up to TrafficExcerptBytes of text (valid UTF-8), or a description
// of binary content.
QByteArray bodyExcerptForTraffic(const QByteArray &body, const QString &mime)
{
    if (body.isEmpty())
        return {};
    const bool textual = mime.isEmpty() ? !body.contains('\0') : ResponseShaper::isTextType(mime);
    if (!textual)
        return u"[%1 of %2]"_s.arg(hints::formatSize(body.size()), mime).toUtf8();
    QByteArray shown = ResponseShaper::cutUtf8(body, TrafficExcerptBytes);
    const bool cut = shown.size() < body.size();
    if (!shown.isValidUtf8())
        shown = QString::fromUtf8(shown).toUtf8();
    if (cut)
        shown += " \xe2\x80\xa6"; // " …"
    return shown;
}

} // namespace

QString UpstreamCall::displayUrl() const
{
    // Asked for by the log line, the response and the traffic record: made once per request.
    if (m_displayUrl.isNull())
        m_displayUrl = makeDisplayUrl();
    return m_displayUrl;
}

QString UpstreamCall::makeDisplayUrl() const
{
    QUrl url = m_spec.url;
    if (!m_spec.secretQueryNames.isEmpty()) {
        // Rebuild the query with credential values replaced (short keys escape redact()).
        const QList<QByteArray> items = url.query(QUrl::FullyEncoded).toUtf8().split('&');
        QByteArray query;
        for (const QByteArray &item : items) {
            const qsizetype eq = item.indexOf('=');
            const QString name
                = QString::fromUtf8(QByteArray::fromPercentEncoding(eq < 0 ? item : item.left(eq)));
            QByteArray part = item;
            if (eq >= 0 && m_spec.secretQueryNames.contains(name))
                part = item.left(eq) + "=[redacted]";
            query += (query.isEmpty() ? QByteArray() : QByteArray("&")) + part;
        }
        url.setQuery(QString::fromUtf8(query), QUrl::StrictMode);
        return redact(
            QString::fromUtf8(url.toEncoded()).replace(u"%5Bredacted%5D"_s, u"[redacted]"_s));
    }
    return redact(QString::fromUtf8(url.toEncoded()));
}

QString UpstreamCall::displayPath() const
{
    if (!m_spec.url.isValid())
        return m_kind == Kind::Tool ? m_tool.path : m_resourcePath;
    return redact(m_spec.url.path(QUrl::FullyEncoded));
}

QByteArray UpstreamCall::redactBytes(const QByteArray &bytes) const
{
    QByteArray out = m_shared->redactor.redact(bytes);
    if (m_shared->traffic)
        out = m_shared->traffic->redact(out);
    return out;
}

void UpstreamCall::recordTraffic(int status, const QString &reason,
                                 const HeaderList &responseHeaders, const QByteArray &responseBody,
                                 qint64 size, bool isError, const QString &outcome)
{
    if (!m_shared->traffic)
        return;
    const bridge::Upstream &upstream = m_document.upstream;
    const QByteArray apiKeyHeader = upstream.auth.kind == u"apiKey" && upstream.auth.in != u"query"
                                        ? upstream.auth.name.toLower().toUtf8()
                                        : QByteArray();
    QList<QByteArray> secretHeaders; // default headers that carry ${secret:...}
    for (auto it = upstream.headers.begin(); it != upstream.headers.end(); ++it) {
        if (it.value().contains(u"${secret:"_s))
            secretHeaders.append(it.key().toLower().toUtf8());
    }
    auto appendHeaders = [&](QByteArray &out, const HeaderList &headers) {
        out += '{';
        bool first = true;
        for (const auto &[name, value] : headers) {
            if (!first)
                out += ',';
            first = false;
            const QByteArray lower = name.toLower();
            json::appendCompactUtf8String(out, validUtf8(name));
            out += ':';
            if (isCredentialHeader(lower, apiKeyHeader) || secretHeaders.contains(lower))
                out += "\"[redacted]\"";
            else
                json::appendCompactUtf8String(out, redactBytes(validUtf8(value)));
        }
        out += '}';
    };

    const qint64 ms = m_clock.isValid() ? m_clock.elapsed() : 0;
    const QString url = displayUrl();
    QByteArray body;
    body.reserve(1024 + std::min<qsizetype>(responseBody.size(), TrafficExcerptBytes));
    // {"error"?, "request": {"body"?, "headers", "method", "url"}, "response"?: {...}}: the
    // keys in the order QJsonObject kept them, for readers that compare texts.
    if (status <= 0) {
        body += "{\"error\":";
        appendJsonText(body, outcome);
        body += ',';
    } else {
        body += '{';
    }
    body += "\"request\":{";
    if (!m_spec.body.isEmpty()) {
        body += "\"body\":";
        json::appendCompactUtf8String(
            body, redactBytes(bodyExcerptForTraffic(m_spec.body, u"application/json"_s)));
        body += ',';
    }
    body += "\"headers\":";
    appendHeaders(body, m_spec.headers);
    body += ",\"method\":";
    json::appendCompactUtf8String(body, m_spec.method);
    body += ",\"url\":";
    appendJsonText(body, url);
    body += '}';
    if (status > 0) {
        QString mime;
        for (const auto &[name, value] : responseHeaders) {
            if (name.compare("content-type", Qt::CaseInsensitive) == 0)
                mime = QString::fromLatin1(value.split(';').first()).trimmed().toLower();
        }
        body += ",\"response\":{\"body\":";
        json::appendCompactUtf8String(body, redactBytes(bodyExcerptForTraffic(responseBody, mime)));
        body += ",\"headers\":";
        appendHeaders(body, responseHeaders);
        body += ",\"reason\":";
        appendJsonText(body, reason);
        body += ",\"status\":" + QByteArray::number(status) + '}';
    }
    body += '}';

    traffic::TrafficEvent event;
    event.kind = traffic::EventKind::Upstream;
    event.direction = traffic::Direction::Outbound;
    event.sessionId = m_context.sessionId;
    event.transport = m_context.transport;
    event.relatedRpcId = m_context.rpcId;
    event.httpMethod = QString::fromLatin1(m_spec.method);
    event.url = url;
    event.httpStatus = status;
    event.durationMs = ms;
    event.size = size;
    event.isError = isError;
    event.summary = event.httpMethod + u' ' + displayPath() + u" → "_s + outcome + u" ("_s
                    + QString::number(ms) + u" ms)"_s;
    body.squeeze(); // kept in the log for long: no spare capacity
    event.body = std::move(body);
    m_shared->traffic->append(std::move(event));
}

} // namespace mcpbridge::upstream
