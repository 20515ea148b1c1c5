#include "core/upstream/upstreamcall.h"

#include "core/upstream/errorhints.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

// UpstreamCall's traffic record and redacted display of the request: everything that decides
// what of an exchange people get to see.

namespace mcpbridge::upstream {

namespace {

constexpr qint64 TrafficExcerptBytes = 4096;

bool isCredentialHeader(const QByteArray &name, const QString &apiKeyHeader)
{
    const QByteArray lower = name.toLower();
    return lower == "authorization" || lower == "proxy-authorization" || lower == "cookie"
           || lower == "set-cookie" || lower.contains("api-key") || lower.contains("apikey")
           || lower.contains("token") || lower.contains("secret")
           || (!apiKeyHeader.isEmpty() && lower == apiKeyHeader.toLower().toUtf8());
}

QString bodyExcerptForTraffic(const QByteArray &body, const QString &mime)
{
    if (body.isEmpty())
        return {};
    const bool textual = mime.isEmpty() ? !body.contains('\0') : ResponseShaper::isTextType(mime);
    if (!textual)
        return u"[%1 of %2]"_s.arg(hints::formatSize(body.size()), mime);
    const QByteArray shown = ResponseShaper::cutUtf8(body, TrafficExcerptBytes);
    QString text = QString::fromUtf8(shown);
    if (shown.size() < body.size())
        text += u" …"_s;
    return text;
}

} // namespace

QString UpstreamCall::displayUrl() const
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

void UpstreamCall::recordTraffic(int status, const QString &reason,
                                 const HeaderList &responseHeaders, const QByteArray &responseBody,
                                 qint64 size, bool isError, const QString &outcome)
{
    if (!m_shared->traffic)
        return;
    const QString apiKeyHeader
        = m_document.upstream.auth.kind == u"apiKey" && m_document.upstream.auth.in != u"query"
              ? m_document.upstream.auth.name
              : QString();
    QStringList secretHeaders; // default headers that carry ${secret:...}
    for (auto it = m_document.upstream.headers.begin(); it != m_document.upstream.headers.end();
         ++it) {
        if (it.value().contains(u"${secret:"_s))
            secretHeaders.append(it.key().toLower());
    }
    auto headersJson = [&](const HeaderList &headers) {
        QJsonObject out;
        for (const auto &[name, value] : headers) {
            const bool hide = isCredentialHeader(name, apiKeyHeader)
                              || secretHeaders.contains(QString::fromUtf8(name).toLower());
            out.insert(QString::fromUtf8(name),
                       hide ? u"[redacted]"_s : redact(QString::fromUtf8(value)));
        }
        return out;
    };
    const qint64 ms = m_clock.isValid() ? m_clock.elapsed() : 0;
    QJsonObject request{{u"method"_s, QString::fromLatin1(m_spec.method)},
                        {u"url"_s, displayUrl()},
                        {u"headers"_s, headersJson(m_spec.headers)}};
    if (!m_spec.body.isEmpty())
        request.insert(u"body"_s,
                       redact(bodyExcerptForTraffic(m_spec.body, u"application/json"_s)));
    QJsonObject exchange{{u"request"_s, request}};
    if (status > 0) {
        QString mime;
        for (const auto &[name, value] : responseHeaders) {
            if (name.compare("content-type", Qt::CaseInsensitive) == 0)
                mime = QString::fromLatin1(value.split(';').first()).trimmed().toLower();
        }
        exchange.insert(
            u"response"_s,
            QJsonObject{{u"status"_s, status},
                        {u"reason"_s, reason},
                        {u"headers"_s, headersJson(responseHeaders)},
                        {u"body"_s, redact(bodyExcerptForTraffic(responseBody, mime))}});
    } else {
        exchange.insert(u"error"_s, outcome);
    }

    traffic::TrafficEvent event;
    event.kind = traffic::EventKind::Upstream;
    event.direction = traffic::Direction::Outbound;
    event.sessionId = m_context.sessionId;
    event.transport = m_context.transport;
    event.relatedRpcId = m_context.rpcId;
    event.httpMethod = QString::fromLatin1(m_spec.method);
    event.url = displayUrl();
    event.httpStatus = status;
    event.durationMs = ms;
    event.size = size;
    event.isError = isError;
    event.summary = u"%1 %2 → %3 (%4 ms)"_s.arg(event.httpMethod, displayPath(), outcome).arg(ms);
    event.body = QJsonDocument(exchange).toJson(QJsonDocument::Compact);
    m_shared->traffic->append(event);
}

} // namespace mcpbridge::upstream
