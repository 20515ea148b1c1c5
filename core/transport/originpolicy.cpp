#include "core/transport/originpolicy.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace mcpbridge::transport {

OriginPolicy::OriginPolicy()
    : m_hosts{u"localhost"_s, u"127.0.0.1"_s, u"[::1]"_s}
{}

OriginPolicy OriginPolicy::forListenAddress(const QHostAddress &address)
{
    OriginPolicy policy;
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4
        || address == QHostAddress::AnyIPv6) {
        policy.setAnyHost(true);
    } else if (!address.isLoopback()) {
        policy.allowHost(address.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + address.toString() + u']'
                             : address.toString());
    }
    return policy;
}

void OriginPolicy::allowHost(const QString &host)
{
    QString name = host.trimmed().toLower();
    if (name.contains(u':') && !name.startsWith(u'['))
        name = u'[' + name + u']'; // a bare IPv6 address
    if (!name.isEmpty())
        m_hosts.insert(name);
}

QString OriginPolicy::hostName(QByteArrayView hostAndPort)
{
    const QString text = QString::fromLatin1(hostAndPort).trimmed().toLower();
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        return close < 0 ? text : text.left(close + 1);
    }
    const qsizetype colon = text.indexOf(u':');
    if (colon >= 0 && text.indexOf(u':', colon + 1) < 0)
        return text.left(colon);
    return text;
}

bool OriginPolicy::isAllowedName(const QString &name) const
{
    return m_hosts.contains(name);
}

std::optional<QString> OriginPolicy::checkHost(QByteArrayView hostHeader) const
{
    if (hostHeader.isEmpty() || m_anyHost)
        return std::nullopt;
    const QString name = hostName(hostHeader);
    if (isAllowedName(name))
        return std::nullopt;
    return u"Host \"%1\" is not allowed: this bridge only answers requests addressed to %2 "
           "(protection against DNS rebinding)."_s.arg(
               QString::fromLatin1(hostHeader),
               QStringList(m_hosts.cbegin(), m_hosts.cend()).join(u", "_s));
}

std::optional<QString> OriginPolicy::checkOrigin(QByteArrayView origin,
                                                 QByteArrayView hostHeader) const
{
    if (origin.isNull())
        return std::nullopt;
    const QString text = QString::fromLatin1(origin).trimmed();
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    const auto refuse = [&] {
        return u"Origin \"%1\" is not allowed: only pages served from localhost, 127.0.0.1 or "
               "[::1] may call this bridge (protection against DNS rebinding)."_s.arg(text);
    };
    if (!url.isValid() || (scheme != "http"_L1 && scheme != "https"_L1) || url.host().isEmpty())
        return refuse();
    QString name = url.host().toLower();
    if (name.contains(u':'))
        name = u'[' + name + u']';
    if (isAllowedName(name))
        return std::nullopt;
    // Behind a wildcard address the page may come from the same host the request went to.
    if (m_anyHost && !hostHeader.isEmpty() && name == hostName(hostHeader))
        return std::nullopt;
    return refuse();
}

} // namespace mcpbridge::transport
