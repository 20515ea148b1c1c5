#include "core/upstream/oauth2tokens.h"

#include "core/upstream/errorhints.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mcpbridge::upstream {

namespace {

constexpr qint64 MaxTokenAnswer = 64 * 1024;

// The token is used until this long before the server said it expires, so a call never starts
// with a token about to lapse in flight: a tenth of its life, at most 30 s.
qint64 safetyMarginMs(qint64 lifetimeMs)
{
    return std::min<qint64>(30000, lifetimeMs / 10);
}

QString tokenErrorDetail(const QByteArray &body, int status)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    QString detail = o.value(u"error"_s).toString();
    const QString description = o.value(u"error_description"_s).toString();
    if (!description.isEmpty())
        detail += detail.isEmpty() ? description : u" ("_s + description + u')';
    if (detail.isEmpty())
        return u"it answered HTTP %1"_s.arg(status);
    return u"it answered HTTP %1, %2"_s.arg(status).arg(detail);
}

} // namespace

OAuth2Tokens::OAuth2Tokens(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{}

QString OAuth2Tokens::keyOf(const QString &bridgeName, const bridge::AuthConfig &auth)
{
    return bridgeName + u'\n' + auth.tokenUrl + u'\n' + auth.clientId + u'\n'
           + auth.scopes.join(u' ') + u'\n' + auth.secret;
}

void OAuth2Tokens::token(const QString &bridgeName, const bridge::AuthConfig &auth,
                         const QString &clientSecret, QNetworkAccessManager *network,
                         const std::optional<QSslConfiguration> &tls, int timeoutMs,
                         QObject *context, Done done)
{
    const QString key = keyOf(bridgeName, auth);
    Entry &entry = m_entries[key];
    if (!entry.accessToken.isEmpty() && !entry.validUntil.hasExpired()) {
        const QString token = entry.accessToken;
        QPointer<QObject> guard(context);
        QMetaObject::invokeMethod(
            this,
            [guard, token, done = std::move(done)] {
                if (guard)
                    done(token);
            },
            Qt::QueuedConnection);
        return;
    }
    entry.waiters.append({QPointer<QObject>(context), std::move(done)});
    if (!entry.fetching)
        fetch(key, auth, clientSecret, network, tls, timeoutMs);
}

void OAuth2Tokens::invalidate(const QString &bridgeName, const bridge::AuthConfig &auth,
                              const QString &accessToken)
{
    const auto it = m_entries.find(keyOf(bridgeName, auth));
    if (it != m_entries.end() && it->accessToken == accessToken)
        it->accessToken.clear();
}

void OAuth2Tokens::fetch(const QString &key, const bridge::AuthConfig &auth,
                         const QString &clientSecret, QNetworkAccessManager *network,
                         const std::optional<QSslConfiguration> &tls, int timeoutMs)
{
    Entry &entry = m_entries[key];
    entry.fetching = true;
    entry.accessToken.clear();
    ++m_fetches;

    const QUrl url(auth.tokenUrl);
    const QString tokenUrl = auth.tokenUrl;
    const QString secretName = auth.secret;
    if (!url.isValid() || (url.scheme() != u"https" && url.scheme() != u"http")) {
        QMetaObject::invokeMethod(
            this,
            [this, key, tokenUrl, secretName] {
                settle(key, fail(hints::tokenFailed(tokenUrl, secretName,
                                                    u"it is not an http(s) address"_s)));
            },
            Qt::QueuedConnection);
        return;
    }

    QNetworkRequest request(url);
    request.setRawHeader("Content-Type", "application/x-www-form-urlencoded");
    request.setRawHeader("Accept", "application/json");
    // RFC 6749 section 2.3.1: id and secret form-encoded, then joined as Basic credentials.
    const QByteArray credentials = auth.clientId.toUtf8().toPercentEncoding() + ':'
                                   + clientSecret.toUtf8().toPercentEncoding();
    request.setRawHeader("Authorization", "Basic " + credentials.toBase64());
    request.setTransferTimeout(std::max(1000, timeoutMs));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    if (tls)
        request.setSslConfiguration(*tls);

    QByteArray form = "grant_type=client_credentials";
    if (!auth.scopes.isEmpty())
        form += "&scope=" + auth.scopes.join(u' ').toUtf8().toPercentEncoding();

    QNetworkReply *reply = (network ? network : m_network)->post(request, form);
    connect(reply, &QNetworkReply::finished, this, [this, reply, key, tokenUrl, secretName] {
        reply->deleteLater();
        const QByteArray body = reply->read(MaxTokenAnswer);
        const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const int status = statusAttr.isValid() ? statusAttr.toInt() : 0;
        if (status == 0) {
            settle(key, fail(hints::tokenFailed(
                            tokenUrl, secretName,
                            u"it could not be reached (%1)"_s.arg(reply->errorString()))));
            return;
        }
        if (status < 200 || status >= 300) {
            settle(key,
                   fail(hints::tokenFailed(tokenUrl, secretName, tokenErrorDetail(body, status)),
                        QString(), status));
            return;
        }
        const QJsonObject o = QJsonDocument::fromJson(body).object();
        const QString accessToken = o.value(u"access_token"_s).toString();
        if (accessToken.isEmpty()) {
            settle(key, fail(hints::tokenFailed(tokenUrl, secretName,
                                                u"its answer has no access_token"_s)));
            return;
        }
        emit tokenIssued(accessToken);
        const qint64 lifetimeMs = qint64(o.value(u"expires_in"_s).toDouble(3600)) * 1000;
        Entry &entry = m_entries[key];
        entry.accessToken = accessToken;
        entry.validUntil
            = QDeadlineTimer(std::max<qint64>(0, lifetimeMs - safetyMarginMs(lifetimeMs)));
        settle(key, accessToken);
    });
}

void OAuth2Tokens::settle(const QString &key, const Result<QString> &result)
{
    Entry &entry = m_entries[key];
    entry.fetching = false;
    const QList<Waiter> waiters = std::exchange(entry.waiters, {});
    for (const Waiter &waiter : waiters) {
        if (waiter.context)
            waiter.done(result);
    }
}

} // namespace mcpbridge::upstream
