// Sending one attempt of an upstream call and reading its answer (bounded), with the connect
// and total deadlines. Part of UpstreamCall (upstreamcall.h).

#include "core/upstream/upstreamcall.h"

#include "core/upstream/errorhints.h"
#include "core/upstream/plainhttpclient.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslError>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcUpstream)

namespace mcpbridge::upstream {

namespace {

constexpr qint64 ErrorBodyCap = 64 * 1024;

} // namespace

// ---- sending and receiving ------------------------------------------------------------------

bool UpstreamCall::sameOrigin(const QUrl &a, const QUrl &b)
{
    const int port = a.scheme() == u"https" ? 443 : 80;
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0
           && a.port(port) == b.port(port);
}

void UpstreamCall::send()
{
    const Result<HttpRequestSpec> spec
        = m_kind == Kind::Tool ? RequestBuilder::build(m_document, m_tool, m_arguments, m_secrets)
                               : RequestBuilder::buildGet(m_document, m_resourcePath, m_secrets);
    if (!spec) {
        finishBeforeSending(spec.error().message);
        return;
    }
    m_spec = *spec;
    m_displayUrl = QString();
    for (const QString &value : std::as_const(m_spec.secretValues))
        m_shared->addSecret(value);
    // The builder writes the method in capitals.
    if (!m_idempotencyKey.isEmpty() && m_spec.method != "GET" && m_spec.method != "HEAD")
        m_spec.headers.append({QByteArrayLiteral("Idempotency-Key"), m_idempotencyKey});

    // The "GET https://..." line, made only when someone reads it.
    const auto logRequestLine = [this] {
        if (!logWanted(u"info"_s))
            return;
        QString line = QString::fromLatin1(m_spec.method) + u' ' + displayUrl();
        if (!m_spec.body.isEmpty())
            line += u" with a JSON body of %1"_s.arg(hints::formatSize(m_spec.body.size()));
        log(u"info"_s, line);
    };

    // Which client carries the request. Plain http:// with no proxy goes through our own
    // PlainHttpClient: on this thread, over kept-alive connections, without the hand-off to
    // QNetworkAccessManager's thread that used to be half of what the bridge added to a call.
    // https, a document with TLS settings (even for http, their files are checked on every call
    // as before) and anything Qt would send through a proxy (application proxy, proxy
    // variables, the desktop's settings) stay with QNetworkAccessManager. Either way
    // deadlines, redirects and size caps are decided here.
    if (m_shared->usePlain && m_document.upstream.tls.isEmpty()
        && m_shared->plain->canCarry(m_spec.url)) {
        logRequestLine();
        m_clock.start();
        m_redirects = 0;
        sendPlain({m_spec.method, m_spec.url, m_spec.headers, m_spec.body});
        // On a kept-alive connection the request is already on the wire: nothing to connect.
        if (m_plain && m_plain->isRequestSent())
            onConnected();
        else
            m_connectTimeout.start(connectTimeoutMs(), this);
        m_timeout.start(timeoutMs(), this);
        if (progressWanted(1))
            progress(1, u"Sent %1 %2"_s.arg(QString::fromLatin1(m_spec.method), displayPath()));
        return;
    }

    const auto tls = tlsConfiguration();
    if (!tls) {
        finishBeforeSending(tls.error().message);
        return;
    }
    QNetworkRequest request(m_spec.url);
    if (*tls && m_spec.url.scheme() == u"https") {
        request.setSslConfiguration(**tls);
        if (m_document.upstream.tls.insecureSkipVerify) {
            const QString warning = hints::insecureTlsWarning(m_document.upstream.baseUrl);
            qCWarning(lcUpstream).noquote() << warning;
            if (m_context.log)
                m_context.log(u"warning"_s, redact(warning));
        }
    }
    for (const auto &[name, value] : std::as_const(m_spec.headers))
        request.setRawHeader(name, value);
    const int timeoutMs = this->timeoutMs();
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::UserVerifiedRedirectPolicy);
    // The bridge is not a browser: no cookie jar shared between calls, no HTTP cache.
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);

    logRequestLine();

    m_clock.start();
    QNetworkAccessManager *network = m_shared->networkFor(
        m_document.upstream.tls, m_secrets.value(m_document.upstream.tls.clientKeySecret));
    m_reply = m_spec.body.isEmpty()
                  ? network->sendCustomRequest(request, m_spec.method)
                  : network->sendCustomRequest(request, m_spec.method, m_spec.body);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &UpstreamCall::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &UpstreamCall::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &UpstreamCall::onFinished);
    connect(m_reply, &QNetworkReply::redirected, this, &UpstreamCall::onRedirected);
    // The connect deadline covers DNS, TCP and the TLS handshake: it ends when the request is
    // on the wire (or an answer arrives, whichever Qt reports first).
    connect(m_reply, &QNetworkReply::requestSent, this, &UpstreamCall::onConnected);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &UpstreamCall::onConnected);
    connect(m_reply, &QNetworkReply::encrypted, this, &UpstreamCall::onConnected);
    m_connectTimeout.start(connectTimeoutMs(), this);
    connect(m_reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            m_tlsErrors.append(e.errorString());
    });
    // Our own deadline as well: the transfer timeout restarts with every byte, a slow drip
    // would never end.
    m_timeout.start(timeoutMs, this);
    if (progressWanted(1))
        progress(1, u"Sent %1 %2"_s.arg(QString::fromLatin1(m_spec.method), displayPath()));
}

void UpstreamCall::onConnected()
{
    m_connected = true;
    m_connectTimeout.stop();
}

qint64 UpstreamCall::readCap(int status, const QByteArray &contentType) const
{
    if (status >= 400)
        return ErrorBodyCap;
    if (m_kind == Kind::Resource)
        return ResponseShaper::HardLimitBytes;
    const qsizetype semi = contentType.indexOf(';');
    const QString mime = ResponseShaper::normalizeMimeType(
        QString::fromLatin1(semi < 0 ? contentType : contentType.left(semi)));
    const bridge::ResponseOptions &options = m_tool.response;
    // JSON is read whole so fields/maxItems can shrink it; so are multipart bodies.
    if (mime.isEmpty() || mime.startsWith(u"multipart/"_s)
        || (ResponseShaper::isJsonType(mime) && options.as != u"text"))
        return ResponseShaper::HardLimitBytes;
    if (ResponseShaper::isTextType(mime) || options.as == u"text")
        return options.maxBytes;
    return ResponseShaper::binaryLimit(options.maxBytes);
}

void UpstreamCall::onMetaData()
{
    if (m_headersSeen || !m_reply)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    const int code = status.toInt();
    if (code >= 300 && code < 400 && m_reply->hasRawHeader("Location"))
        return; // a redirect about to be followed; wait for the final answer
    m_headersSeen = true;
    m_cap = readCap(code, m_reply->rawHeader("Content-Type"));
    if (progressWanted(2))
        progress(2, u"The API answered %1"_s.arg(code));
}

void UpstreamCall::onReadyRead()
{
    if (!m_reply || m_cutShort)
        return;
    if (!m_headersSeen)
        onMetaData();
    const qint64 cap = m_cap > 0 ? m_cap : ResponseShaper::HardLimitBytes;
    m_body += m_reply->readAll();
    if (m_body.size() > cap) {
        QNetworkReply *reply = m_reply;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
        m_reply = nullptr;
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        cutShort(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                 QString::fromUtf8(
                     reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray()),
                 reply->rawHeaderPairs(), length.isValid() ? length.toLongLong() : -1);
    }
}

// Enough to shape (or to know it is too large): the transfer was stopped here.
void UpstreamCall::cutShort(int status, const QString &reason, const HeaderList &headers,
                            qint64 contentLength)
{
    m_body.truncate((m_cap > 0 ? m_cap : ResponseShaper::HardLimitBytes) + 1);
    m_cutShort = true;
    m_timeout.stop();
    HttpResponse response;
    response.status = status;
    response.reason = reason;
    response.headers = headers;
    response.body = m_body;
    response.complete = false;
    response.totalBytes = contentLength;
    response.url = displayUrl();
    finishWithResponse(response);
}

void UpstreamCall::onRedirected(const QUrl &url)
{
    if (!m_reply)
        return;
    if (sameOrigin(url, m_spec.url)) {
        emit m_reply->redirectAllowed();
        return;
    }
    m_redirectRefused = redact(url.toString());
    m_reply->abort();
}

void UpstreamCall::onConnectTimeout()
{
    if ((!m_reply && !m_plain) || m_connected)
        return;
    m_connectTimedOut = true;
    m_timeout.stop();
    if (m_reply)
        m_reply->abort();
    else
        m_plain->abort(); // finished() -> onPlainFinished()
}

void UpstreamCall::onTimeout()
{
    if (!m_reply && !m_plain)
        return;
    m_timedOut = true;
    if (m_reply)
        m_reply->abort();
    else
        m_plain->abort();
}

void UpstreamCall::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_finished)
        return;
    m_reply = nullptr;
    m_timeout.stop();
    m_connectTimeout.stop();
    reply->deleteLater();
    if (reply->isOpen())
        m_body += reply->readAll();

    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QNetworkReply::NetworkError error = reply->error();
    const QString base = m_document.upstream.baseUrl;
    if (finishIfStoppedByUs(error == QNetworkReply::TimeoutError
                            || (error == QNetworkReply::OperationCanceledError && !m_aborted)))
        return;
    const bool httpAnswer = statusAttr.isValid() && statusAttr.toInt() > 0;
    if (!httpAnswer || error == QNetworkReply::RemoteHostClosedError
        || error == QNetworkReply::ProtocolFailure) {
        switch (error) {
        case QNetworkReply::ConnectionRefusedError:
            failRetryable(hints::connectionRefused(base), u"connection refused"_s);
            return;
        case QNetworkReply::HostNotFoundError:
            finishWithFailure(hints::hostNotFound(m_spec.url.host(), base), u"host not found"_s);
            return;
        case QNetworkReply::SslHandshakeFailedError:
        case QNetworkReply::UnknownNetworkError:
            if (error == QNetworkReply::SslHandshakeFailedError || !m_tlsErrors.isEmpty()) {
                finishWithFailure(hints::tlsFailed(base, m_tlsErrors.isEmpty()
                                                             ? reply->errorString()
                                                             : m_tlsErrors.join(u"; "_s)),
                                  u"TLS failure"_s);
                return;
            }
            break;
        case QNetworkReply::RemoteHostClosedError:
            failRetryable(m_spec.url.scheme() == u"https"
                                  && m_document.upstream.tls.clientCertificate.isEmpty()
                              ? hints::connectionClosedNoClientCertificate(base)
                              : hints::connectionClosed(base),
                          u"connection closed"_s);
            return;
        default: break;
        }
        if (!httpAnswer) {
            finishWithFailure(hints::networkFailed(base, redact(reply->errorString())),
                              u"network error"_s);
            return;
        }
    }

    HttpResponse response;
    response.status = statusAttr.toInt();
    response.reason = QString::fromUtf8(
        reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray());
    response.headers = reply->rawHeaderPairs();
    response.body = m_body;
    response.totalBytes = m_body.size();
    response.complete = true;
    response.url = displayUrl();
    finishWithResponse(response);
}

} // namespace mcpbridge::upstream
