#pragma once

// MCP streamable HTTP (2025-11-25) on one endpoint, /mcp, built on QHttpServer: sessions by
// Mcp-Session-Id, POST answered with JSON or an SSE stream, a GET stream for messages that
// belong to no request, DELETE, Host/Origin checks and an optional bearer token.
// Used by `mcpbridge serve --http` and by the studio's in-process runner.

#include "core/util/result.h"

#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>

namespace mcpbridge::mcp {
class McpServer;
}

namespace mcpbridge::transport {

class OriginPolicy;

class StreamableHttpTransport : public QObject
{
    Q_OBJECT
public:
    static constexpr quint16 DefaultPort = 8765;
    static constexpr qsizetype DefaultMaxBodyBytes = 4 * 1024 * 1024;
    static constexpr int DefaultKeepAliveMs = 15000;
    static constexpr int DefaultRetryMs = 1000;
    static constexpr qint64 DefaultSessionIdleTimeoutMs = 60LL * 60 * 1000;

    explicit StreamableHttpTransport(mcp::McpServer *server, QObject *parent = nullptr);
    ~StreamableHttpTransport() override;

    // Binds `address` (loopback by default). Port 0 picks a free port; the chosen one is
    // returned. A busy port is an Error whose code is QAbstractSocket::AddressInUseError.
    [[nodiscard]] Result<quint16> listen(const QHostAddress &address = QHostAddress::LocalHost,
                                         quint16 port = DefaultPort);
    bool isListening() const;
    quint16 port() const;
    QHostAddress address() const;
    // http://127.0.0.1:<port>/mcp (IPv6 addresses in brackets).
    QUrl url() const;
    static QString endpointPath() { return QStringLiteral("/mcp"); }

    // Empty: no token needed. Otherwise every request must carry "Authorization: Bearer <token>".
    void setAccessToken(const QString &token);
    // Replaces the Host/Origin rules derived from the listen address.
    void setOriginPolicy(const OriginPolicy &policy);
    void setMaxBodyBytes(qsizetype bytes);
    // Comments sent on open SSE streams so proxies and clients keep them (default 15 s).
    void setKeepAliveIntervalMs(int ms);
    // The reconnection delay announced in priming events (default 1 s).
    void setRetryMs(int ms);
    // A session without requests in flight, without a GET stream and without any request for
    // this long is ended, as if the client had sent DELETE (default 1 hour). Checked at each
    // keep-alive tick.
    void setSessionIdleTimeoutMs(qint64 ms);

    // Sessions this transport opened that are still alive.
    QStringList sessionIds() const;
    // Open SSE streams (POST streams in progress plus GET streams); for tests and the studio.
    int openStreamCount() const;

signals:
    void sessionOpened(const QString &sessionId);
    void sessionEnded(const QString &sessionId);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mcpbridge::transport
