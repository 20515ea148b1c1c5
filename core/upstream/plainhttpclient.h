#pragma once

// A small HTTP/1.1 client for plain http:// upstreams: keep-alive connections on the calling
// thread, reused per host and port (at most six per host, more requests wait in order), bodies
// framed by Content-Length, chunked or the end of the connection, gzip and deflate answers
// decoded (asked for as Qt asks, when built with zlib). It exists because
// QNetworkAccessManager hands every request to a thread of its own, which costs more than a call
// to a nearby API takes. Deadlines, redirects and size caps stay the caller's decisions:
// UpstreamCall uses it for http:// when no proxy is set, and QNetworkAccessManager for the rest.
// Owned by RestInvoker; tested by tst_plainhttpclient.

#include "core/upstream/requestbuilder.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

namespace mcpbridge::upstream {

class PlainHttpClient;
class PlainHttpConnection;

struct PlainHttpRequest
{
    QByteArray method; // "GET", "POST" ...
    QUrl url;          // http:// only
    HeaderList headers;
    QByteArray body; // empty: none (POST, PUT and PATCH still say Content-Length: 0)
};

// One request and its answer. Signals arrive from the event loop, never from inside
// PlainHttpClient::send(). Delete it with deleteLater(); deleting it unfinished cancels it.
class PlainHttpReply : public QObject
{
    Q_OBJECT
public:
    enum class Error {
        None,
        ConnectionRefused, // nothing listens at the host and port
        HostNotFound,      // the name does not resolve
        ConnectionClosed,  // closed or reset before the answer was complete
        Protocol,          // the answer is not HTTP/1.x as we read it
        Network,           // any other socket failure (errorString() says which)
        Aborted,           // abort() was called
    };

    ~PlainHttpReply() override;

    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    bool isFinished() const { return m_finished; }
    // True once the request is on the wire (a reused connection: from the start).
    bool isRequestSent() const { return m_requestSent; }
    // Whether the request went over a connection that had carried an earlier one.
    bool reusedConnection() const { return m_reused; }

    // Valid from metaDataChanged() on. Repeated header fields are joined with ", " ("\n" for
    // Set-Cookie), in the order they first came, as QNetworkReply does.
    int status() const { return m_status; }
    QByteArray reasonPhrase() const { return m_reason; }
    const HeaderList &headers() const { return m_headers; }
    QByteArray header(QByteArrayView name) const;
    qint64 contentLength() const { return m_contentLength; } // -1 when not announced

    // The body bytes received since the last call.
    QByteArray readAll();
    qint64 bytesAvailable() const { return m_body.size(); }

    // Stops now: the connection is closed (never reused), error() is Aborted and finished() is
    // emitted (from inside abort()) unless the reply had already finished.
    void abort();

signals:
    void requestSent();
    void metaDataChanged(); // the status line and headers of the final answer are in
    void readyRead();
    void finished();

private:
    friend class PlainHttpClient;
    friend class PlainHttpConnection;
    PlainHttpReply(PlainHttpClient *client, PlainHttpRequest request);
    void finish(Error error, const QString &errorString);
    void detach();

    PlainHttpClient *m_client;
    PlainHttpRequest m_request;
    QString m_poolKey;
    QPointer<PlainHttpConnection> m_connection;
    int m_status = 0;
    QByteArray m_reason;
    HeaderList m_headers;
    qint64 m_contentLength = -1;
    QByteArray m_body;
    Error m_error = Error::None;
    QString m_errorString;
    bool m_requestSent = false;
    bool m_reused = false;
    bool m_resent = false;    // already sent again after a reused connection turned out closed
    bool m_mayDecode = false; // we asked for a compressed answer (and decode it)
    bool m_finished = false;
};

class PlainHttpClient : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxConnectionsPerHost = 6; // as QNetworkAccessManager
    // An idle connection older than this is closed instead of reused: servers drop idle
    // connections after a while, and a fresh one is cheaper than a failed send.
    static constexpr qint64 IdleLimitMs = 30000;

    explicit PlainHttpClient(QObject *parent = nullptr);
    ~PlainHttpClient() override;

    // How long an answer of canCarry() is kept: asking Qt for the proxy of a remote host costs
    // tens of microseconds (libproxy), more than the rest of a call to a local API.
    static constexpr qint64 ProxyCheckMs = 30000;

    // Whether this client can carry a request to `url`: plain http, and Qt would use no proxy
    // for it (application proxy, proxy variables, the desktop's settings).
    bool canCarry(const QUrl &url);

    // Starts the request; the reply is a child of this client.
    PlainHttpReply *send(PlainHttpRequest request);

    // Requests sent and TCP connections opened so far, and connections open now (busy or
    // idle): for tests.
    int requestsSent() const { return m_sent; }
    int connectionsOpened() const { return m_opened; }
    int openConnections() const;

private:
    friend class PlainHttpReply;
    friend class PlainHttpConnection;

    struct Pool
    {
        QList<PlainHttpConnection *> idle;
        QList<QPointer<PlainHttpReply>> waiting;
        int open = 0; // busy + idle connections
    };

    void dispatch(PlainHttpReply *reply, bool freshConnection);
    PlainHttpConnection *openConnection(const QString &key, const QUrl &url);
    // A connection is done with its reply: kept for the next request, or closed.
    void release(PlainHttpConnection *connection, bool reusable);
    void discard(PlainHttpConnection *connection);
    void forget(PlainHttpReply *reply); // an unfinished reply goes away
    void startWaiting(const QString &key);

    QHash<QString, Pool> m_pools; // "host:port"
    struct ProxyAnswer
    {
        bool direct = false;
        QDeadlineTimer expiry;
    };
    QHash<QString, ProxyAnswer> m_proxyAnswers; // "host:port"
    int m_opened = 0;
    int m_sent = 0;
    bool m_sending = false; // inside send(): no signals yet
    bool m_destroying = false;
};

} // namespace mcpbridge::upstream
