#pragma once

// One upstream exchange in flight, for a tool call or a resource read: reads the secrets,
// builds and sends the request, reads a bounded body, shapes the answer and records the
// exchange in the traffic log. Private to RestInvoker; deletes itself when done or aborted.

#include "core/upstream/plainhttpclient.h"
#include "core/upstream/requestbuilder.h"
#include "core/upstream/responseshaper.h"
#include "core/upstream/restinvoker.h"
#include "core/traffic/trafficlog.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QSslConfiguration>
#include <QPointer>

#include <optional>

class QNetworkReply;
class QNetworkAccessManager;

namespace mcpbridge::upstream {

class OAuth2Tokens;
class UpstreamGate;

// What every call of one RestInvoker shares; owned by RestInvoker.
struct InvokerShared
{
    QObject *owner = nullptr;
    QNetworkAccessManager *network = nullptr;
    // Carries plain http:// calls when no proxy is in play (see UpstreamCall::send); with
    // usePlain off every call goes through QNetworkAccessManager.
    PlainHttpClient *plain = nullptr;
    bool usePlain = true;
    QPointer<secrets::SecretStore> secrets;
    QPointer<traffic::TrafficLog> traffic;
    // Knows every secret value read, so log lines can be redacted even without a traffic log.
    traffic::TrafficLog redactor;
    OAuth2Tokens *oauth = nullptr;
    QHash<QString, UpstreamGate *> gates; // per bridge and base URL
    std::function<double()> random;       // [0, 1), for retry jitter; replaceable in tests

    // One network access manager per distinct TLS setup: Qt keeps connections per host and
    // port whatever their TLS configuration, so a shared manager would reuse a connection made
    // with another CA bundle or client certificate (or with verification off).
    QHash<QString, QNetworkAccessManager *> tlsNetworks;

    void addSecret(const QString &value);
    QNetworkAccessManager *networkFor(const bridge::TlsConfig &tls, const QString &passphrase);
    // The gate of the document's upstream, configured from the document.
    UpstreamGate *gateFor(const bridge::BridgeDocument &document);
};

class UpstreamCall : public PendingCall
{
    Q_OBJECT
public:
    enum class Kind { Tool, Resource };

    UpstreamCall(InvokerShared *shared, Kind kind, const bridge::BridgeDocument &document,
                 const CallContext &context, QObject *parent);
    ~UpstreamCall() override;

    void setTool(const bridge::Tool &tool, const QJsonObject &arguments,
                 std::function<void(ToolResult)> done);
    void setResource(const QString &path, const QString &uri, const QString &mimeType,
                     std::function<void(Result<QJsonArray>)> done);
    // Starts the call; `done` never runs inside this (nor inside callTool()/readResource()).
    void start();
    void abort() override;

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void readSecrets(qsizetype index);
    void obtainToken();
    void waitForSlot();
    void releaseSlot();
    void send();
    // After one attempt ended: true when another attempt was scheduled instead of finishing.
    bool retryAfterFailure(const QString &reason, bool connectionLevel);
    bool retryAfterResponse(const HttpResponse &response);
    void scheduleRetry(qint64 delayMs, const QString &reason);
    void resetForAttempt();
    Result<std::optional<QSslConfiguration>> tlsConfiguration();
    int timeoutMs() const;
    int connectTimeoutMs() const;
    void onConnectTimeout();
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void onRedirected(const QUrl &url);
    void onTimeout();
    // The same for PlainHttpClient (upstreamplain.cpp).
    void sendPlain(const PlainHttpRequest &request);
    void onPlainMetaData();
    void onPlainReadyRead();
    void onPlainFinished();
    void onConnected();
    void cutShort(int status, const QString &reason, const HeaderList &headers,
                  qint64 contentLength);

    // Endings; each records the traffic event and calls `done` exactly once.
    void finishWithResponse(const HttpResponse &response);
    void finishWithFailure(const QString &message, const QString &shortReason);
    // A failure before any answer: retried when the call may be, else the call ends with it.
    void failRetryable(const QString &message, const QString &shortReason);
    // Ends the attempt when our own deadlines or redirect policy stopped it (the same for both
    // HTTP clients); `clientTimedOut`: the client reported a timeout of its own. False otherwise.
    bool finishIfStoppedByUs(bool clientTimedOut);
    void finishBeforeSending(const QString &message);
    void deliverToolResult(const ToolResult &result);
    void deliverResource(Result<QJsonArray> contents);

    void log(const QString &level, const QString &message) const;
    // Whether log(level, ...) would reach anyone: the debug output or the client.
    bool logWanted(const QString &level) const;
    void progress(double step, const QString &message);
    // Whether progress(step, ...) would reach the client; when not, the step is still counted
    // and the message need not be made.
    bool progressWanted(double step);
    QString redact(const QString &text) const;
    QByteArray redactBytes(const QByteArray &bytes) const;
    static bool sameOrigin(const QUrl &a, const QUrl &b);
    QString displayPath() const; // "/recipes/42" (redacted)
    QString displayUrl() const;  // full URL, redacted
    QString makeDisplayUrl() const;
    QString listToolFor404() const;
    QString secretNameForHints() const;
    qint64 readCap(int status, const QByteArray &contentType) const;
    void recordTraffic(int status, const QString &reason, const HeaderList &responseHeaders,
                       const QByteArray &responseBody, qint64 size, bool isError,
                       const QString &outcome);

    InvokerShared *m_shared;
    Kind m_kind;
    bridge::BridgeDocument m_document;
    CallContext m_context;
    bridge::Tool m_tool;
    QJsonObject m_arguments;
    QString m_resourcePath;
    QString m_resourceUri;
    QString m_resourceMimeType;
    std::function<void(ToolResult)> m_toolDone;
    std::function<void(Result<QJsonArray>)> m_resourceDone;

    QStringList m_secretNames;
    QHash<QString, QString> m_secrets;
    HttpRequestSpec m_spec;
    mutable QString m_displayUrl; // of m_spec, once asked for
    QPointer<QNetworkReply> m_reply;
    QPointer<PlainHttpReply> m_plain;
    PlainHttpRequest m_plainRequest; // what m_plain was asked (its URL: where redirects resolve)
    int m_redirects = 0;             // followed by this attempt (PlainHttpClient)
    QElapsedTimer m_clock;
    // Single-shot deadlines (timerEvent): basic timers, not three QTimer objects and their
    // connections per call.
    QBasicTimer m_timeout;
    QBasicTimer m_connectTimeout;
    QBasicTimer m_retryTimer;
    QPointer<UpstreamGate> m_gate;
    quint64 m_gateTicket = 0;
    bool m_holdsSlot = false;
    int m_attempt = 1;
    bool m_tokenRefreshed = false;
    bool m_connectTimedOut = false;
    bool m_connected = false;
    QString m_accessToken;
    QByteArray m_idempotencyKey;
    QByteArray m_body;
    qint64 m_cap = 0;
    bool m_headersSeen = false;
    bool m_cutShort = false;
    bool m_timedOut = false;
    bool m_finished = false;
    bool m_aborted = false;
    bool m_starting = false; // inside start(): endings wait for the event loop
    QString m_redirectRefused;
    QStringList m_tlsErrors;
    double m_progress = 0;
};

} // namespace mcpbridge::upstream
