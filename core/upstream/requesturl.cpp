#include "core/upstream/requesturl.h"

#include <algorithm>
#include <array>
#include <optional>

using namespace Qt::StringLiterals;

// The URL side of a request: percent-encoding, the base URL and the check that every request
// stays under it. The check works on the bytes the builder made (it runs for every call); the
// QUrl made from them is compared with the base once more.

namespace mcpbridge::upstream {

using namespace detail;

namespace {

// Character classes of RFC 3986, for the ASCII range.
enum : uchar { Unreserved = 1, PathChar = 2, QueryChar = 4 };

constexpr std::array<uchar, 128> makeClasses()
{
    std::array<uchar, 128> classes{};
    auto mark = [&](const char *chars, uchar bits) {
        for (; *chars; ++chars)
            classes[uchar(*chars)] |= bits;
    };
    for (int c = 'a'; c <= 'z'; ++c)
        classes[c] = Unreserved | PathChar | QueryChar;
    for (int c = 'A'; c <= 'Z'; ++c)
        classes[c] = Unreserved | PathChar | QueryChar;
    for (int c = '0'; c <= '9'; ++c)
        classes[c] = Unreserved | PathChar | QueryChar;
    mark("-._~", Unreserved | PathChar | QueryChar);
    // sub-delims, ":" and "@" (pchar), and "/" between segments.
    mark("!$&'()*+,;=:@/", PathChar | QueryChar);
    mark("?", QueryChar);
    return classes;
}

constexpr std::array<uchar, 128> classes = makeClasses();
constexpr char hexDigits[] = "0123456789ABCDEF";

constexpr bool isHex(char16_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

constexpr bool hasClass(char16_t c, uchar bits)
{
    return c < 0x80 && (classes[c] & bits);
}

// A '%' at `i` that starts a whole "%XX" escape.
template<typename Char>
bool escapeAt(const Char *p, qsizetype n, qsizetype i)
{
    return p[i] == '%' && i + 2 < n && isHex(char16_t(p[i + 1])) && isHex(char16_t(p[i + 2]));
}

// Percent-encodes ASCII or UTF-8 units `p` onto `out`: characters in `keep` stay, and so do
// "%XX" escapes when `keepEscapes`. Two passes, so `out` grows once.
template<typename Char>
void appendEncoded(QByteArray &out, const Char *p, qsizetype n, uchar keep, bool keepEscapes)
{
    auto stays = [&](qsizetype i) {
        const auto c = char16_t(std::make_unsigned_t<Char>(p[i]));
        return hasClass(c, keep) || (keepEscapes && escapeAt(p, n, i));
    };
    qsizetype length = 0;
    for (qsizetype i = 0; i < n; ++i)
        length += stays(i) ? 1 : 3;
    const qsizetype start = out.size();
    out.resize(start + length);
    char *o = out.data() + start;
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = uchar(std::make_unsigned_t<Char>(p[i]));
        if (stays(i)) {
            *o++ = char(c);
        } else {
            *o++ = '%';
            *o++ = hexDigits[c >> 4];
            *o++ = hexDigits[c & 0xf];
        }
    }
}

void appendEncoded(QByteArray &out, QStringView text, uchar keep, bool keepEscapes)
{
    const char16_t *p = text.utf16();
    const qsizetype n = text.size();
    const bool ascii = std::all_of(p, p + n, [](char16_t c) { return c < 0x80; });
    if (ascii) {
        appendEncoded(out, p, n, keep, keepEscapes);
        return;
    }
    const QByteArray utf8 = text.toUtf8(); // non-ASCII goes out as UTF-8 bytes
    appendEncoded(out, utf8.constData(), utf8.size(), keep, keepEscapes);
}

QString describeValue(const QString &value)
{
    QString shown = value.left(60);
    if (value.size() > 60)
        shown += u"…"_s;
    return u"\""_s + shown + u'"';
}

// "." or ".." between '/' or '\' (some servers take "\" for "/"). Also when followed by
// ";params" (Tomcat and Spring drop them before resolving dots, "..;x" is "..") or by a NUL
// (C servers stop reading there).
template<typename View>
bool hasDotStep(View text)
{
    qsizetype start = 0;
    qsizetype end = -1; // of the segment's name: at its first ';' or NUL
    const qsizetype n = text.size();
    for (qsizetype i = 0; i <= n; ++i) {
        if (i < n && text[i] != u'/' && text[i] != u'\\') {
            if (end < 0 && (text[i] == u';' || text[i] == u'\0'))
                end = i;
            continue;
        }
        if (end < 0)
            end = i;
        const qsizetype length = end - start;
        if ((length == 1 || length == 2) && text[start] == u'.' && text[end - 1] == u'.')
            return true;
        start = i + 1;
        end = -1;
    }
    return false;
}

// Bytes that only an overlong UTF-8 sequence starts with (0xC0 0xAE is "." to old decoders).
bool hasOverlongLead(QByteArrayView bytes)
{
    return std::any_of(bytes.begin(), bytes.end(),
                       [](char c) { return uchar(c) == 0xc0 || uchar(c) == 0xc1; });
}

// How often a server or proxy may decode a path before it resolves dot segments.
constexpr int DecodeRounds = 4;

// True when `segment` (percent-encoded) is, or decodes to, a step up or a "." step: decoded up
// to DecodeRounds times, split at "/" and "\", and compatibility-normalized (fullwidth "．．"
// reads as ".." to some servers). Also true for what only an attack looks like: escapes still
// left after DecodeRounds decodings, and overlong UTF-8.
bool climbs(QByteArrayView segment)
{
    const bool ascii
        = std::all_of(segment.begin(), segment.end(), [](char c) { return uchar(c) < 0x80; });
    if (ascii && !segment.contains('%'))
        return hasDotStep(segment); // nothing to decode or normalize
    QByteArray bytes = segment.toByteArray();
    for (int round = 0;; ++round) {
        if (hasDotStep(QByteArrayView(bytes)))
            return true;
        if (std::any_of(bytes.begin(), bytes.end(), [](char c) { return uchar(c) >= 0x80; })
            && hasDotStep(
                QStringView(QString::fromUtf8(bytes).normalized(QString::NormalizationForm_KC)))) {
            return true;
        }
        if (hasOverlongLead(bytes))
            return true;
        if (!bytes.contains('%'))
            return false;
        QByteArray decoded = QByteArray::fromPercentEncoding(bytes);
        if (decoded == bytes)
            return false;
        if (round == DecodeRounds)
            return true;
        bytes = std::move(decoded);
    }
}

// Only `allowed` ASCII characters and whole "%XX" escapes.
bool onlyUrlChars(QByteArrayView bytes, uchar allowed)
{
    const char *p = bytes.data();
    const qsizetype n = bytes.size();
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = uchar(p[i]);
        if (hasClass(c, allowed))
            continue;
        if (!escapeAt(p, n, i))
            return false;
        i += 2;
    }
    return true;
}

// Whether any '/'-separated segment of `path` climbs. Only a segment with a '.' or an escape
// can be (or decode to) a dot step; the others are passed over in the same scan.
bool anySegmentClimbs(QByteArrayView path)
{
    qsizetype start = 0;
    bool suspect = false;
    const qsizetype n = path.size();
    for (qsizetype i = 0; i <= n; ++i) {
        const char c = i < n ? path[i] : '/';
        if (c == '.' || c == '%') {
            suspect = true;
        } else if (c == '/') {
            if (suspect && climbs(path.sliced(start, i - start)))
                return true;
            start = i + 1;
            suspect = false;
        }
    }
    return false;
}

// `base` when it can be a base URL: absolute http(s) with a host, no query, fragment or user
// name. `shown` is how the message quotes it.
Result<QUrl> checkedBase(const QUrl &base, const QString &shown)
{
    if (!base.isValid() || base.host().isEmpty()
        || (base.scheme() != u"http" && base.scheme() != u"https")) {
        return fail(
            u"The upstream base URL \"%1\" is not an absolute http:// or https:// URL."_s.arg(
                shown),
            u"/upstream/baseUrl"_s);
    }
    if (base.hasQuery() || base.hasFragment() || !base.userInfo().isEmpty()) {
        return fail(u"The upstream base URL \"%1\" must not contain a query, a fragment or a user "
                    "name; use the bridge's auth settings for credentials."_s.arg(shown),
                    u"/upstream/baseUrl"_s);
    }
    return base;
}

Result<QUrl> parseBaseUrlUncached(const QString &baseUrl)
{
    if (baseUrl.trimmed().isEmpty()) {
        return fail(u"The bridge has no upstream base URL; set upstream.baseUrl (for example "
                    "https://api.example.com/v1)."_s,
                    u"/upstream/baseUrl"_s);
    }
    return checkedBase(QUrl(baseUrl.trimmed(), QUrl::StrictMode), baseUrl);
}

} // namespace

namespace detail {

void appendComponent(QByteArray &out, QStringView value)
{
    appendEncoded(out, value, Unreserved, false);
}

QByteArray encodeComponent(QStringView value)
{
    QByteArray out;
    appendComponent(out, value);
    return out;
}

QByteArray encodeLiteral(QStringView literal)
{
    QByteArray out;
    appendEncoded(out, literal, PathChar, true);
    return out;
}

Result<QByteArray> encodePathSegment(const QString &argument, const QString &value)
{
    // Encoded, the value is one segment; decoding it once gives the value back, so climbs()
    // looks at the value and at up to DecodeRounds - 1 further decodings of it.
    QByteArray encoded = encodeComponent(value);
    if (climbs(encoded)) {
        return fail(u"The argument \"%1\" is %2, which would step out of the API path "
                    "(\".\" and \"..\" are not allowed in a path value). Pass the plain id "
                    "or name."_s.arg(argument, describeValue(value)),
                    argument);
    }
    if (value.isEmpty()) {
        return fail(
            u"The argument \"%1\" is empty, but it is part of the API path."_s.arg(argument),
            argument);
    }
    return encoded;
}

void appendQuery(QByteArray &out, const QList<std::pair<QByteArray, QByteArray>> &items)
{
    for (const auto &[name, value] : items) {
        if (!out.isEmpty())
            out += '&';
        out += name;
        out += '=';
        out += value;
    }
}

Result<std::shared_ptr<const BaseTarget>> baseTargetOf(const QUrl &base)
{
    if (const auto checked = checkedBase(base, base.toString()); !checked)
        return std::unexpected(checked.error());
    auto target = std::make_shared<BaseTarget>();
    target->url = base;
    target->scheme = base.scheme();
    target->host = base.host();
    target->port = base.port(target->scheme == u"https" ? 443 : 80);
    target->path = base.path(QUrl::FullyEncoded).toUtf8();
    while (target->path.endsWith('/'))
        target->path.chop(1);
    target->pathWithSlash = QString::fromUtf8(target->path) + u'/';
    return target;
}

Result<std::shared_ptr<const BaseTarget>> baseTarget(const QString &baseUrl)
{
    // The result depends on the text only.
    thread_local QString lastBaseUrl;
    thread_local std::optional<Result<std::shared_ptr<const BaseTarget>>> lastResult;
    if (lastResult && baseUrl == lastBaseUrl)
        return *lastResult;
    const Result<QUrl> parsed = parseBaseUrlUncached(baseUrl);
    lastResult = parsed ? baseTargetOf(*parsed) : std::unexpected(parsed.error());
    lastBaseUrl = baseUrl;
    return *lastResult;
}

Result<QUrl> resolveUnder(const BaseTarget &base, QByteArrayView encodedPath,
                          QByteArrayView encodedQuery)
{
    const bool slash = !encodedPath.isEmpty() && !encodedPath.startsWith('/');
    QByteArray path(base.path.size() + (slash ? 1 : 0) + encodedPath.size(), Qt::Uninitialized);
    char *out = std::copy(base.path.cbegin(), base.path.cend(), path.data());
    if (slash)
        *out++ = '/';
    std::copy(encodedPath.begin(), encodedPath.end(), out);

    auto refuse = [&](const QString &why) {
        QByteArray full
            = base.scheme.toUtf8() + "://" + base.url.authority(QUrl::FullyEncoded).toUtf8() + path;
        if (!encodedQuery.isEmpty())
            full += '?' + encodedQuery.toByteArray();
        const QString shown = QString::fromUtf8(full);
        return fail(u"The request URL %1 would leave the API's base URL %2 (%3), so the bridge "
                    "did not send it."_s.arg(shown, base.url.toString(), why),
                    shown);
    };
    // Path characters and "%XX" only: no '?' or '#' ends the path early, no space or '\'. (The
    // base path is as QUrl wrote it when the base URL was parsed.)
    if (!onlyUrlChars(encodedPath, PathChar) || !onlyUrlChars(encodedQuery, QueryChar))
        return refuse(u"it is not a valid URL"_s);
    // The base path included: a base with a dot step is refused for every call.
    if (anySegmentClimbs(path))
        return refuse(u"it contains a \".\" or \"..\" path step"_s);

    // Path and query go into a copy of the base, so its scheme and authority are not parsed
    // again; the path starts with '/' (or is empty), so it cannot reach the authority.
    QUrl url = base.url;
    url.setPath(QString::fromLatin1(path), QUrl::StrictMode);
    if (!encodedQuery.isEmpty())
        url.setQuery(QString::fromLatin1(encodedQuery), QUrl::StrictMode);
    if (!url.isValid())
        return refuse(u"it is not a valid URL"_s);
    // Once more on the URL that goes out.
    if (url.scheme() != base.scheme)
        return refuse(u"different scheme"_s);
    if (url.host() != base.host)
        return refuse(u"different host"_s);
    if (url.port(base.port) != base.port)
        return refuse(u"different port"_s);
    if (!url.userInfo().isEmpty() || url.hasFragment())
        return refuse(u"it carries a user name or a fragment"_s);
    const QString finalPath = url.path(QUrl::FullyEncoded);
    // Qt writes a request with its path normalised (QNetworkAccessManager always, our own
    // client as it does), and Qt 6.4 also drops two-character segments that start with "."
    // (".x"). What is checked, logged and confirmed must be what is sent: a path normalising
    // would change is refused. Only a segment that starts with '.' can change.
    if (finalPath.contains(u"/."_s)) {
        constexpr QUrl::FormattingOptions pathOnly = QUrl::RemoveScheme | QUrl::RemoveAuthority
                                                     | QUrl::RemoveQuery | QUrl::RemoveFragment
                                                     | QUrl::FullyEncoded;
        if (url.toEncoded(pathOnly | QUrl::NormalizePathSegments) != url.toEncoded(pathOnly)) {
            const QString shown = QString::fromUtf8(url.toEncoded());
            return fail(u"The request URL %1 has a path segment that starts with \".\" which Qt "
                        "would change or drop when sending it, so the bridge did not send it. Pass "
                        "the value without the leading dot."_s.arg(shown),
                        shown);
        }
    }
    if (!base.path.isEmpty()) {
        if (finalPath != QStringView(base.pathWithSlash).chopped(1)
            && !finalPath.startsWith(base.pathWithSlash)) {
            return refuse(u"the path is outside %1"_s.arg(QString::fromUtf8(base.path)));
        }
    }
    return url;
}

} // namespace detail

Result<QString> RequestBuilder::encodePathValue(const QString &argument, const QString &value)
{
    const auto encoded = encodePathSegment(argument, value);
    if (!encoded)
        return std::unexpected(encoded.error());
    return QString::fromLatin1(*encoded);
}

Result<QUrl> RequestBuilder::parseBaseUrl(const QString &baseUrl)
{
    const auto target = baseTarget(baseUrl);
    if (!target)
        return std::unexpected(target.error());
    return (*target)->url;
}

Result<QUrl> RequestBuilder::resolveUnderBase(const QUrl &base, const QByteArray &encodedPath,
                                              const QByteArray &encodedQuery)
{
    const auto target = baseTargetOf(base);
    if (!target)
        return std::unexpected(target.error());
    return resolveUnder(**target, encodedPath, encodedQuery);
}

} // namespace mcpbridge::upstream
