// Sending one attempt of an upstream call through PlainHttpClient (plain http, no proxy) and
// reading its answer, with the redirect policy, read caps and failure texts of the
// QNetworkAccessManager path in upstreamexchange.cpp. Part of UpstreamCall (upstreamcall.h).

#include "core/upstream/upstreamcall.h"

#include "core/upstream/errorhints.h"
#include "core/upstream/plainhttpclient.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::upstream {

namespace {

// QNetworkRequest's default limit, which the Qt path keeps.
constexpr int MaxRedirects = 50;

// Where `reply` redirects to, resolved against the URL it came from; empty when it is not a
// redirect Qt would follow (other status, no or unusable Location, not http(s)).
QUrl redirectTarget(const PlainHttpReply *reply, const QUrl &from)
{
    switch (reply->status()) {
    case 301:
    case 302:
    case 303:
    case 305:
    case 307:
    case 308: break;
    default: return {};
    }
    const QByteArray location = reply->header("location");
    if (location.isEmpty())
        return {};
    QUrl target = QUrl::fromEncoded(location);
    if (!target.isValid())
        return {};
    if (target.isRelative())
        target = from.resolved(target);
    if (target.scheme() != u"http" && target.scheme() != u"https")
        return {};
    return target;
}

} // namespace

void UpstreamCall::sendPlain(const PlainHttpRequest &request)
{
    m_plainRequest = request;
    m_plain = m_shared->plain->send(request);
    connect(m_plain, &PlainHttpReply::requestSent, this, &UpstreamCall::onConnected);
    connect(m_plain, &PlainHttpReply::metaDataChanged, this, &UpstreamCall::onPlainMetaData);
    connect(m_plain, &PlainHttpReply::readyRead, this, &UpstreamCall::onPlainReadyRead);
    connect(m_plain, &PlainHttpReply::finished, this, &UpstreamCall::onPlainFinished);
}

void UpstreamCall::onPlainMetaData()
{
    if (!m_plain || m_headersSeen)
        return;
    onConnected(); // an answer: the connection was made
    if (!redirectTarget(m_plain, m_plainRequest.url).isEmpty())
        return; // a redirect about to be followed (or refused); its body is not the answer
    m_headersSeen = true;
    m_cap = readCap(m_plain->status(), m_plain->header("content-type"));
    if (progressWanted(2))
        progress(2, u"The API answered %1"_s.arg(m_plain->status()));
}

void UpstreamCall::onPlainReadyRead()
{
    if (!m_plain || m_cutShort)
        return;
    if (!m_headersSeen) {
        m_plain->readAll(); // the body of a redirect
        return;
    }
    const qint64 cap = m_cap > 0 ? m_cap : ResponseShaper::HardLimitBytes;
    m_body += m_plain->readAll();
    if (m_body.size() > cap) {
        PlainHttpReply *reply = m_plain;
        m_plain = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
        cutShort(reply->status(), QString::fromUtf8(reply->reasonPhrase()), reply->headers(),
                 reply->contentLength());
    }
}

void UpstreamCall::onPlainFinished()
{
    PlainHttpReply *reply = m_plain;
    if (!reply || m_finished)
        return;
    m_plain = nullptr;
    reply->disconnect(this);
    // Goes with this call (deleted later anyway) rather than through a deleteLater of its own:
    // one posted event less per call.
    reply->setParent(this);
    using Error = PlainHttpReply::Error;
    const Error error = reply->error();

    if (error == Error::None && !m_timedOut && !m_connectTimedOut) {
        const QUrl target = redirectTarget(reply, m_plainRequest.url);
        if (!target.isEmpty()) {
            if (!sameOrigin(target, m_spec.url)) {
                m_redirectRefused = redact(target.toString());
            } else if (m_redirects < MaxRedirects) {
                // Followed as Qt follows: 307 and 308 repeat the request as it was; the others
                // become a GET without a body (a HEAD stays a HEAD).
                ++m_redirects;
                PlainHttpRequest next = m_plainRequest;
                next.url = target;
                const int status = reply->status();
                if (status != 307 && status != 308) {
                    next.method = next.method.compare("HEAD", Qt::CaseInsensitive) == 0
                                      ? QByteArrayLiteral("HEAD")
                                      : QByteArrayLiteral("GET");
                    next.body.clear();
                    next.headers.removeIf([](const std::pair<QByteArray, QByteArray> &h) {
                        return h.first.compare("content-type", Qt::CaseInsensitive) == 0
                               || h.first.compare("content-length", Qt::CaseInsensitive) == 0;
                    });
                }
                m_body.clear();
                sendPlain(next);
                return;
            }
            // Past the limit the last redirect is the answer, as with Qt.
        }
    }

    m_timeout.stop();
    m_connectTimeout.stop();
    m_body += reply->readAll();
    const QString base = m_document.upstream.baseUrl;
    // Only our deadlines abort a plain reply (a cancelled call never gets here).
    if (finishIfStoppedByUs(error == Error::Aborted))
        return;
    switch (error) {
    case Error::None: break;
    case Error::ConnectionRefused:
        failRetryable(hints::connectionRefused(base), u"connection refused"_s);
        return;
    case Error::HostNotFound:
        finishWithFailure(hints::hostNotFound(m_spec.url.host(), base), u"host not found"_s);
        return;
    case Error::ConnectionClosed:
        failRetryable(hints::connectionClosed(base), u"connection closed"_s);
        return;
    case Error::Protocol:
    case Error::Network:
    case Error::Aborted:
        finishWithFailure(hints::networkFailed(base, redact(reply->errorString())),
                          u"network error"_s);
        return;
    }

    HttpResponse response;
    response.status = reply->status();
    response.reason = QString::fromUtf8(reply->reasonPhrase());
    response.headers = reply->headers();
    response.body = m_body;
    response.totalBytes = m_body.size();
    response.complete = true;
    response.url = displayUrl();
    finishWithResponse(response);
}

} // namespace mcpbridge::upstream
