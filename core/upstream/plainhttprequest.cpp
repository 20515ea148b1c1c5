// How PlainHttpConnection writes a request, the way QNetworkAccessManager writes it.

#include "core/upstream/plainhttpconnection.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::upstream {

namespace {

// "example.com", "example.com:8080", "[::1]:8080": what the Host header says for `url`.
QByteArray hostHeader(const QUrl &url)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    const int port = url.port(80);
    if (port != 80)
        host += ':' + QByteArray::number(port);
    return host;
}

// The request target as QNetworkAccessManager writes it: the path ("/" when empty) and the
// query, fully encoded, without the fragment.
QByteArray requestTarget(const QUrl &url)
{
    constexpr QUrl::FormattingOptions format
        = QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment | QUrl::FullyEncoded;
    if (!url.path().isEmpty())
        return url.toEncoded(format | QUrl::NormalizePathSegments);
    QUrl copy = url;
    copy.setPath(u"/"_s);
    return copy.toEncoded(format);
}

// One "Name: value" line, appended without temporaries (this runs for every header of every
// request).
void appendHeader(QByteArray &head, QByteArrayView name, QByteArrayView value)
{
    head.append(name).append(": ").append(value).append("\r\n");
}

} // namespace

QByteArray PlainHttpConnection::serialize(const PlainHttpRequest &request,
                                          const QByteArray &acceptEncoding, bool *encodingGiven)
{
    QByteArray head;
    head.reserve(256 + request.body.size());
    head.append(request.method)
        .append(' ')
        .append(requestTarget(request.url))
        .append(" HTTP/1.1\r\n");
    bool hostGiven = false;
    *encodingGiven = false;
    for (const auto &[name, value] : request.headers) {
        // The framing is ours to say; a Host given by the document wins, as with Qt.
        if (name.compare("content-length", Qt::CaseInsensitive) == 0
            || name.compare("transfer-encoding", Qt::CaseInsensitive) == 0)
            continue;
        hostGiven = hostGiven || name.compare("host", Qt::CaseInsensitive) == 0;
        *encodingGiven
            = *encodingGiven || name.compare("accept-encoding", Qt::CaseInsensitive) == 0;
        appendHeader(head, name, value);
    }
    if (!hostGiven)
        appendHeader(head, "Host", hostHeader(request.url));
    if (!*encodingGiven && !acceptEncoding.isEmpty())
        appendHeader(head, "Accept-Encoding", acceptEncoding);
    // POST, PUT and PATCH say their length even when empty: some servers refuse them without.
    const QByteArray &method = request.method;
    if (!request.body.isEmpty() || method.compare("POST", Qt::CaseInsensitive) == 0
        || method.compare("PUT", Qt::CaseInsensitive) == 0
        || method.compare("PATCH", Qt::CaseInsensitive) == 0)
        appendHeader(head, "Content-Length", QByteArray::number(request.body.size()));
    head += "\r\n";
    head += request.body;
    return head;
}

} // namespace mcpbridge::upstream
