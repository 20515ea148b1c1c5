#pragma once

// Internal to RequestBuilder: the URL side of a request. Percent-encoding of path and query
// parts, and the check that no argument can move a request off the base URL (scheme, host, port,
// base path). The base URL's parts are worked out once per thread and base URL, so a call only
// checks and joins its own bytes. Used by requestbuilder.cpp and requestauth.cpp.

#include "core/upstream/requestbuilder.h"

#include <memory>

namespace mcpbridge::upstream::detail {

// A checked base URL with the parts every call needs, worked out once.
struct BaseTarget
{
    QUrl url;              // as parsed (no query, fragment or user name)
    QString scheme;        // "http" or "https"
    QString host;          // as QUrl::host() gives it
    int port = 80;         // explicit or the scheme's default
    QByteArray path;       // encoded base path without trailing '/': "" or "/v1"
    QString pathWithSlash; // path + '/' (the final path starts with it or equals path)
};

// The base URL's parts; parsed once per thread for the same text (every call of a bridge asks
// about the same base URL).
Result<std::shared_ptr<const BaseTarget>> baseTarget(const QString &baseUrl);
// The parts of an already parsed base URL (no cache); fails on a URL parseBaseUrl would refuse.
Result<std::shared_ptr<const BaseTarget>> baseTargetOf(const QUrl &base);

// Joins an encoded path (and query) to the base. The bytes are checked first: only URL path
// (query) characters and whole "%XX" escapes, no dot segment even after decoding (a server may
// decode "%2e", "%2f" or "%5c" before it resolves dot segments). Then the URL is made and its
// scheme, host, port and base path are compared with the base.
Result<QUrl> resolveUnder(const BaseTarget &base, QByteArrayView encodedPath,
                          QByteArrayView encodedQuery);

// Appends `value` as UTF-8 with everything outside the RFC 3986 unreserved characters
// (A-Z a-z 0-9 - . _ ~) percent-encoded: "/", "?", "#", "%", "@", "\" included. The same bytes
// as value.toUtf8().toPercentEncoding().
void appendComponent(QByteArray &out, QStringView value);
QByteArray encodeComponent(QStringView value);
// A literal part of a path template (or an already encoded resource path): path characters
// ("/", sub-delims, ":", "@") and "%XX" escapes stay, everything else is encoded.
QByteArray encodeLiteral(QStringView literal);
// One path variable's value, encoded as a single segment; refuses "." / ".." steps in any
// decoding (see RequestBuilder::encodePathValue).
Result<QByteArray> encodePathSegment(const QString &argument, const QString &value);

// "a=1&b=2" from encoded name/value pairs, appended to `out` (with '&' when it is not empty).
void appendQuery(QByteArray &out, const QList<std::pair<QByteArray, QByteArray>> &items);

} // namespace mcpbridge::upstream::detail
