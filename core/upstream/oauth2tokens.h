#pragma once

// OAuth 2 client-credentials tokens for the upstreams of one RestInvoker: fetched from the token
// endpoint (client id and secret as HTTP Basic, grant_type=client_credentials, scope), cached
// until shortly before they expire, one fetch shared by every call that waits for it. Used by
// UpstreamCall; tested by tst_oauth2.

#include "core/bridge/bridgedocument.h"
#include "core/util/result.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>

#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace mcpbridge::upstream {

class OAuth2Tokens : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<QString> accessToken)>;

    explicit OAuth2Tokens(QNetworkAccessManager *network, QObject *parent = nullptr);

    // Calls `done` (from the event loop, never before returning) with a valid access token, or
    // an Error whose message is the hint for the model (names the token URL and the secret).
    // `done` is dropped when `context` is gone first.
    void token(const QString &bridgeName, const bridge::AuthConfig &auth,
               const QString &clientSecret, QNetworkAccessManager *network,
               const std::optional<QSslConfiguration> &tls, int timeoutMs, QObject *context,
               Done done);
    // The API rejected `accessToken`: forget it so the next token() fetches a new one.
    void invalidate(const QString &bridgeName, const bridge::AuthConfig &auth,
                    const QString &accessToken);

    // Every token ever issued to us, so callers can register them for redaction.
    int fetchCount() const { return m_fetches; }

signals:
    // A new access token arrived (for redaction in logs and traffic).
    void tokenIssued(const QString &accessToken);

private:
    struct Waiter
    {
        QPointer<QObject> context;
        Done done;
    };
    struct Entry
    {
        QString accessToken;
        QDeadlineTimer validUntil;
        bool fetching = false;
        QList<Waiter> waiters;
    };
    static QString keyOf(const QString &bridgeName, const bridge::AuthConfig &auth);
    void fetch(const QString &key, const bridge::AuthConfig &auth, const QString &clientSecret,
               QNetworkAccessManager *network, const std::optional<QSslConfiguration> &tls,
               int timeoutMs);
    void settle(const QString &key, const Result<QString> &result);

    QNetworkAccessManager *m_network;
    QHash<QString, Entry> m_entries;
    int m_fetches = 0;
};

} // namespace mcpbridge::upstream
