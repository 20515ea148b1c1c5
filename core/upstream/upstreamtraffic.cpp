#include "core/upstream/upstreamcall.h"

#include "core/upstream/errorhints.h"

#include <array>
#include <cstring>

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

// Extra bytes a byte takes inside a JSON string: 0, 1 (\" \\ \n \r \t) or 5 (\u00XX).
constexpr std::array<unsigned char, 256> escapeExtra = [] {
    std::array<unsigned char, 256> extra{};
    for (int c = 0; c < 0x20; ++c)
        extra[c] = 5;
    for (const char c : {'"', '\\', '\n', '\r', '\t'})
        extra[static_cast<unsigned char>(c)] = 1;
    return extra;
}();

// The record of an exchange is written straight to compact JSON: building QJsonObjects and
// serialising them was the largest part of what recording cost a call. `utf8` must be valid.
// Two passes (the exact size, then the bytes, copying runs that need no escape) instead of an
// append per escape: a JSON body is full of quotes.
void appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    static constexpr char hex[] = "0123456789abcdef";
    const auto *const begin = reinterpret_cast<const unsigned char *>(utf8.data());
    const auto *const end = begin + utf8.size();
    qsizetype length = utf8.size() + 2;
    for (const unsigned char *s = begin; s != end; ++s)
        length += escapeExtra[*s];
    const qsizetype start = out.size();
    out.resize(start + length);
    char *p = out.data() + start;
    *p++ = '"';
    if (length == utf8.size() + 2) { // nothing to escape
        std::memcpy(p, begin, size_t(utf8.size()));
        p[utf8.size()] = '"';
        return;
    }
    for (const unsigned char *s = begin; s != end; ++s) {
        const unsigned char c = *s;
        if (!escapeExtra[c]) {
            *p++ = char(c);
            continue;
        }
        *p++ = '\\';
        switch (c) {
        case '"': *p++ = '"'; break;
        case '\\': *p++ = '\\'; break;
        case '\n': *p++ = 'n'; break;
        case '\r': *p++ = 'r'; break;
        case '\t': *p++ = 't'; break;
        default:
            *p++ = 'u';
            *p++ = '0';
            *p++ = '0';
            *p++ = hex[c >> 4];
            *p++ = hex[c & 0xf];
        }
    }
    *p = '"';
}

void appendJsonText(QByteArray &out, const QString &text)
{
    appendJsonString(out, text.toUtf8());
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
            appendJsonString(out, validUtf8(name));
            out += ':';
            if (isCredentialHeader(lower, apiKeyHeader) || secretHeaders.contains(lower))
                out += "\"[redacted]\"";
            else
                appendJsonString(out, redactBytes(validUtf8(value)));
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
        appendJsonString(body,
                         redactBytes(bodyExcerptForTraffic(m_spec.body, u"application/json"_s)));
        body += ',';
    }
    body += "\"headers\":";
    appendHeaders(body, m_spec.headers);
    body += ",\"method\":";
    appendJsonString(body, m_spec.method);
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
        appendJsonString(body, redactBytes(bodyExcerptForTraffic(responseBody, mime)));
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
