// The flow of one upstream call: secrets, the OAuth 2 token, a slot at the upstream's gate
// (concurrency cap, rate limit), then attempts with retries and backoff. Sending and endings
// live in upstreamexchange.cpp and upstreamendings.cpp.

#include "core/upstream/upstreamcall.h"

#include "core/secrets/secretstore.h"
#include "core/upstream/errorhints.h"
#include "core/upstream/oauth2tokens.h"
#include "core/upstream/retrypolicy.h"
#include "core/upstream/upstreamgate.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSslKey>
#include <QTimerEvent>
#include <QUuid>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcUpstream, "mcpbridge.upstream", QtInfoMsg)

namespace mcpbridge::upstream {

void InvokerShared::addSecret(const QString &value)
{
    if (value.isEmpty())
        return;
    redactor.addSecret(value);
    if (traffic)
        traffic->addSecret(value);
}

QNetworkAccessManager *InvokerShared::networkFor(const bridge::TlsConfig &tls,
                                                 const QString &passphrase)
{
    if (tls.isEmpty())
        return network;
    const QString key
        = QStringList{tls.caBundle,
                      tls.clientCertificate,
                      tls.clientKey,
                      tls.clientKeySecret,
                      QString::fromLatin1(
                          QCryptographicHash::hash(passphrase.toUtf8(), QCryptographicHash::Sha256)
                              .toHex()),
                      tls.insecureSkipVerify ? u"insecure"_s : u"verify"_s}
              .join(u'\n');
    QNetworkAccessManager *&manager = tlsNetworks[key];
    if (!manager)
        manager = new QNetworkAccessManager(owner);
    return manager;
}

UpstreamGate *InvokerShared::gateFor(const bridge::BridgeDocument &document)
{
    const QString key = document.server.name + u'\n' + document.upstream.baseUrl;
    UpstreamGate *&gate = gates[key];
    if (!gate)
        gate = new UpstreamGate(owner);
    const bridge::Upstream &up = document.upstream;
    gate->configure(up.maxConcurrent, up.rateLimit.requestsPerSecond, up.rateLimit.burst);
    return gate;
}

UpstreamCall::UpstreamCall(InvokerShared *shared, Kind kind, const bridge::BridgeDocument &document,
                           const CallContext &context, QObject *parent)
    : PendingCall(parent)
    , m_shared(shared)
    , m_kind(kind)
    , m_document(document)
    , m_context(context)
{}

void UpstreamCall::timerEvent(QTimerEvent *event)
{
    // Each deadline fires once: stopped before it acts.
    const int id = event->timerId();
    if (id == m_timeout.timerId()) {
        m_timeout.stop();
        onTimeout();
    } else if (id == m_connectTimeout.timerId()) {
        m_connectTimeout.stop();
        onConnectTimeout();
    } else if (id == m_retryTimer.timerId()) {
        m_retryTimer.stop();
        waitForSlot();
    } else {
        PendingCall::timerEvent(event);
    }
}

UpstreamCall::~UpstreamCall()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    if (m_plain) {
        m_plain->disconnect(this);
        m_plain->abort();
        m_plain->deleteLater();
    }
    if (m_gate && m_gateTicket)
        m_gate->cancel(m_gateTicket);
    releaseSlot();
}

void UpstreamCall::setTool(const bridge::Tool &tool, const QJsonObject &arguments,
                           std::function<void(ToolResult)> done)
{
    m_tool = tool;
    m_arguments = arguments;
    m_toolDone = std::move(done);
    // One key for the whole call: every retry carries the same, so the API can drop duplicates.
    if (tool.idempotencyKey)
        m_idempotencyKey = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

void UpstreamCall::setResource(const QString &path, const QString &uri, const QString &mimeType,
                               std::function<void(Result<QJsonArray>)> done)
{
    m_resourcePath = path;
    m_resourceUri = uri;
    m_resourceMimeType = mimeType;
    m_resourceDone = std::move(done);
}

void UpstreamCall::start()
{
    m_secretNames = RequestBuilder::secretsNeeded(m_document.upstream);
    // With secrets to read, everything starts from the event loop (a store may answer at once).
    // Without, the request goes out now, which spares every call a trip through the event loop;
    // an ending reached meanwhile (a refused request, a full gate) is delivered from the event
    // loop, so `done` still never runs inside callTool()/readResource().
    if (!m_secretNames.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this] { readSecrets(0); }, Qt::QueuedConnection);
        return;
    }
    m_starting = true;
    readSecrets(0);
    m_starting = false;
}

void UpstreamCall::abort()
{
    if (m_finished)
        return;
    m_aborted = true;
    m_finished = true;
    m_timeout.stop();
    m_connectTimeout.stop();
    m_retryTimer.stop();
    if (m_gate && m_gateTicket) {
        m_gate->cancel(m_gateTicket);
        m_gateTicket = 0;
    }
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    if (m_plain) {
        m_plain->disconnect(this);
        m_plain->abort();
        m_plain->deleteLater();
        m_plain = nullptr;
    }
    releaseSlot();
    log(u"info"_s, u"Cancelled the call to the API."_s);
    deleteLater();
}

int UpstreamCall::timeoutMs() const
{
    if (m_kind == Kind::Tool && m_tool.timeoutMs > 0)
        return m_tool.timeoutMs;
    return m_document.upstream.timeoutMs > 0 ? m_document.upstream.timeoutMs : 30000;
}

int UpstreamCall::connectTimeoutMs() const
{
    int ms
        = m_document.upstream.connectTimeoutMs > 0 ? m_document.upstream.connectTimeoutMs : 10000;
    if (m_kind == Kind::Tool && m_tool.connectTimeoutMs > 0)
        ms = m_tool.connectTimeoutMs;
    return std::min(ms, timeoutMs());
}

// ---- secrets and the OAuth 2 token ----------------------------------------------------------

void UpstreamCall::readSecrets(qsizetype index)
{
    if (m_aborted)
        return;
    if (index >= m_secretNames.size()) {
        obtainToken();
        return;
    }
    const QString name = m_secretNames.at(index);
    if (!m_shared->secrets) {
        finishBeforeSending(
            u"The secret \"%1\" is needed, but this bridge has no secret store."_s.arg(name));
        return;
    }
    QPointer<UpstreamCall> self(this);
    m_shared->secrets->read(m_document.server.name, name, [self, index, name](Result<QString> r) {
        if (!self || self->m_aborted)
            return;
        if (!r) {
            self->finishBeforeSending(r.error().message);
            return;
        }
        // Registered before anything is logged: from now on the value is redacted everywhere.
        self->m_shared->addSecret(*r);
        self->m_shared->addSecret(QString::fromLatin1(r->toUtf8().toPercentEncoding()));
        self->m_shared->addSecret(QString::fromLatin1(r->toUtf8().toBase64()));
        self->m_secrets.insert(name, *r);
        // The store may answer synchronously; continue from the event loop to keep the
        // stack flat however many secrets there are.
        QMetaObject::invokeMethod(
            self,
            [self, index] {
                if (self)
                    self->readSecrets(index + 1);
            },
            Qt::QueuedConnection);
    });
}

void UpstreamCall::obtainToken()
{
    if (m_aborted)
        return;
    const bridge::AuthConfig &auth = m_document.upstream.auth;
    if (auth.kind != u"oauth2ClientCredentials") {
        waitForSlot();
        return;
    }
    auto tls = tlsConfiguration();
    if (!tls) {
        finishBeforeSending(tls.error().message);
        return;
    }
    log(u"debug"_s, u"Getting an OAuth 2 access token from %1"_s.arg(auth.tokenUrl));
    QPointer<UpstreamCall> self(this);
    m_shared->oauth->token(
        m_document.server.name, auth, m_secrets.value(auth.secret),
        m_shared->networkFor(m_document.upstream.tls,
                             m_secrets.value(m_document.upstream.tls.clientKeySecret)),
        *tls, timeoutMs(), this, [self](Result<QString> token) {
            if (!self || self->m_aborted)
                return;
            if (!token) {
                self->finishBeforeSending(token.error().message);
                return;
            }
            self->m_shared->addSecret(*token);
            self->m_accessToken = *token;
            self->m_secrets.insert(RequestBuilder::OAuth2TokenKey, *token);
            self->waitForSlot();
        });
}

// ---- the gate and retries -------------------------------------------------------------------

void UpstreamCall::waitForSlot()
{
    if (m_aborted || m_finished)
        return;
    m_gate = m_shared->gateFor(m_document);
    QPointer<UpstreamCall> self(this);
    const bool limited = m_gate->inFlight() > 0 || m_gate->waiting() > 0;
    m_gateTicket = m_gate->acquire([self] {
        if (!self || self->m_aborted) {
            // Slot given to a call that is gone: hand it back at once.
            if (self && self->m_gate)
                self->m_gate->release();
            return;
        }
        self->m_gateTicket = 0;
        self->m_holdsSlot = true;
        self->send();
    });
    if (m_gateTicket && !m_holdsSlot && limited
        && (m_document.upstream.maxConcurrent > 0
            || m_document.upstream.rateLimit.requestsPerSecond > 0))
        log(u"debug"_s, u"Waiting for the API's concurrency or rate limit"_s);
}

void UpstreamCall::releaseSlot()
{
    if (!m_holdsSlot)
        return;
    m_holdsSlot = false;
    if (m_gate)
        m_gate->release();
}

bool UpstreamCall::retryAfterFailure(const QString &reason, bool connectionLevel)
{
    releaseSlot();
    if (!connectionLevel || m_aborted)
        return false;
    if (!retry::isIdempotent(m_spec.method, !m_idempotencyKey.isEmpty()))
        return false;
    const qint64 delay
        = retry::nextDelayMs(m_document.upstream.retry, m_attempt, -1, m_shared->random);
    if (delay < 0)
        return false;
    recordTraffic(0, {}, {}, {}, m_body.size(), true, reason);
    scheduleRetry(delay, reason);
    return true;
}

bool UpstreamCall::retryAfterResponse(const HttpResponse &response)
{
    releaseSlot();
    if (m_aborted)
        return false;
    // OAuth 2: the token may have been revoked or expired early; one fresh token, one retry.
    if (response.status == 401 && m_document.upstream.auth.kind == u"oauth2ClientCredentials"
        && !m_tokenRefreshed) {
        m_tokenRefreshed = true;
        recordTraffic(response.status, response.reason, response.headers,
                      m_shared->redactor.redact(response.body), response.body.size(), true,
                      u"401, getting a new token"_s);
        log(u"warning"_s,
            u"The API rejected the OAuth 2 access token (401); getting a new one and trying once "
            "more."_s);
        m_shared->oauth->invalidate(m_document.server.name, m_document.upstream.auth,
                                    m_accessToken);
        resetForAttempt();
        obtainToken();
        return true;
    }
    if (!retry::isRetryableStatus(response.status)
        || !retry::isIdempotent(m_spec.method, !m_idempotencyKey.isEmpty()))
        return false;
    QByteArray retryAfter;
    for (const auto &[name, value] : response.headers) {
        if (name.compare("Retry-After", Qt::CaseInsensitive) == 0)
            retryAfter = value;
    }
    const qint64 retryAfterMs = retry::retryAfterMs(retryAfter, QDateTime::currentDateTimeUtc());
    const qint64 delay
        = retry::nextDelayMs(m_document.upstream.retry, m_attempt, retryAfterMs, m_shared->random);
    if (delay < 0) {
        if (retryAfterMs > m_document.upstream.retry.maxDelayMs
            && m_attempt < m_document.upstream.retry.maxAttempts)
            log(u"info"_s,
                u"Not retrying: the API asks to wait %1 s, longer than the bridge waits "
                "by itself (upstream.retry.maxDelayMs)."_s.arg((retryAfterMs + 999) / 1000));
        return false;
    }
    const QString statusText = response.reason.isEmpty()
                                   ? QString::number(response.status)
                                   : QString::number(response.status) + u' ' + response.reason;
    recordTraffic(response.status, response.reason, response.headers,
                  m_shared->redactor.redact(response.body), response.body.size(), true, statusText);
    scheduleRetry(delay, statusText);
    return true;
}

void UpstreamCall::scheduleRetry(qint64 delayMs, const QString &reason)
{
    ++m_attempt;
    log(u"warning"_s,
        hints::retrying(delayMs, m_attempt, m_document.upstream.retry.maxAttempts, reason));
    resetForAttempt();
    // Precise: never earlier than the API asked.
    m_retryTimer.start(int(std::min<qint64>(delayMs, 300000)), Qt::PreciseTimer, this);
}

void UpstreamCall::resetForAttempt()
{
    m_body.clear();
    m_cap = 0;
    m_headersSeen = false;
    m_cutShort = false;
    m_timedOut = false;
    m_connectTimedOut = false;
    m_connected = false;
    m_redirectRefused.clear();
    m_tlsErrors.clear();
}

// ---- TLS ------------------------------------------------------------------------------------

Result<std::optional<QSslConfiguration>> UpstreamCall::tlsConfiguration()
{
    const bridge::TlsConfig &tls = m_document.upstream.tls;
    if (tls.isEmpty())
        return std::optional<QSslConfiguration>{};
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    if (!tls.caBundle.isEmpty()) {
        QFile file(tls.caBundle);
        if (!file.open(QIODevice::ReadOnly))
            return fail(hints::tlsFileProblem(u"CA bundle"_s, tls.caBundle, file.errorString()),
                        u"/upstream/tls/caBundle"_s);
        const QList<QSslCertificate> cas = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
        if (cas.isEmpty())
            return fail(hints::tlsFileProblem(u"CA bundle"_s, tls.caBundle,
                                              u"it holds no PEM certificate"_s),
                        u"/upstream/tls/caBundle"_s);
        config.addCaCertificates(cas);
    }
    if (!tls.clientCertificate.isEmpty()) {
        QFile certFile(tls.clientCertificate);
        if (!certFile.open(QIODevice::ReadOnly))
            return fail(hints::tlsFileProblem(u"client certificate"_s, tls.clientCertificate,
                                              certFile.errorString()),
                        u"/upstream/tls/clientCertificate"_s);
        const QList<QSslCertificate> chain
            = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
        if (chain.isEmpty())
            return fail(hints::tlsFileProblem(u"client certificate"_s, tls.clientCertificate,
                                              u"it holds no PEM certificate"_s),
                        u"/upstream/tls/clientCertificate"_s);
        QFile keyFile(tls.clientKey);
        if (!keyFile.open(QIODevice::ReadOnly))
            return fail(
                hints::tlsFileProblem(u"client key"_s, tls.clientKey, keyFile.errorString()),
                u"/upstream/tls/clientKey"_s);
        const QByteArray pem = keyFile.readAll();
        const QByteArray passphrase = m_secrets.value(tls.clientKeySecret).toUtf8();
        QSslKey key;
        for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
            key = QSslKey(pem, algorithm, QSsl::Pem, QSsl::PrivateKey, passphrase);
            if (!key.isNull())
                break;
        }
        if (key.isNull())
            return fail(hints::tlsFileProblem(
                            u"client key"_s, tls.clientKey,
                            tls.clientKeySecret.isEmpty()
                                ? u"it is not a PEM private key, or it needs a passphrase "
                                  "(set tls.clientKeySecret)"_s
                                : u"it is not a PEM private key, or the passphrase in the secret "
                                  "\"%1\" is wrong"_s.arg(tls.clientKeySecret)),
                        u"/upstream/tls/clientKey"_s);
        config.setLocalCertificateChain(chain);
        config.setPrivateKey(key);
    }
    if (tls.insecureSkipVerify)
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
    return std::optional<QSslConfiguration>(config);
}

} // namespace mcpbridge::upstream
