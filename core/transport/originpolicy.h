#pragma once

// DNS-rebinding protection for the HTTP transport: which Host and Origin headers a request may
// carry. By default only loopback names (localhost, 127.0.0.1, [::1], any port). Used by
// StreamableHttpTransport; a bridge told to listen elsewhere also accepts that address.

#include <QByteArrayView>
#include <QHostAddress>
#include <QSet>
#include <QString>

#include <optional>

namespace mcpbridge::transport {

class OriginPolicy
{
public:
    OriginPolicy(); // loopback names only

    // The names a browser may use for `address`: loopback names, plus the address itself when
    // it is not a loopback one. A wildcard address (0.0.0.0, ::) accepts any Host, but an
    // Origin must still be a loopback name or name the same host as the request's Host.
    static OriginPolicy forListenAddress(const QHostAddress &address);

    void allowHost(const QString &host); // "myhost.lan", "192.168.1.5", "[fe80::1]"
    void setAnyHost(bool any) { m_anyHost = any; }

    // nullopt when allowed; else the problem, in words for the client's error message.
    // A missing Host (HTTP/1.0) is allowed: browsers, the attack's vehicle, always send one.
    std::optional<QString> checkHost(QByteArrayView hostHeader) const;
    // An absent Origin is allowed (not a browser). `hostHeader` is the request's Host.
    std::optional<QString> checkOrigin(QByteArrayView origin, QByteArrayView hostHeader) const;

    // "127.0.0.1:8765" -> "127.0.0.1", "[::1]:80" -> "[::1]", "LocalHost" -> "localhost".
    static QString hostName(QByteArrayView hostAndPort);

private:
    bool isAllowedName(const QString &name) const;

    QSet<QString> m_hosts;
    bool m_anyHost = false;
};

} // namespace mcpbridge::transport
