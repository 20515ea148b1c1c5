#include "core/upstream/requestparts.h"
#include "core/upstream/requesturl.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

// The parts of a request that do not come from the tool's arguments: the upstream's default
// headers (with ${secret:NAME}) and authentication.

namespace mcpbridge::upstream::detail {

bool isTokenChar(char c)
{
    static const QByteArray extra = "!#$%&'*+-.^_`|~";
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
           || extra.contains(c);
}

bool isHeaderName(const QByteArray &name)
{
    if (name.isEmpty())
        return false;
    return std::all_of(name.begin(), name.end(), isTokenChar);
}

// CR, LF and NUL would end the header (request smuggling); other controls are refused too.
bool hasForbiddenHeaderChar(const QString &value)
{
    for (const QChar c : value) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\t') || u == 0x7f)
            return true;
    }
    return false;
}

void setHeader(HeaderList &headers, const QByteArray &name, const QByteArray &value)
{
    for (auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            header.second = value;
            return;
        }
    }
    headers.append({name, value});
}

QString substituteSecrets(const QString &text, const QHash<QString, QString> &secrets,
                          QStringList *used, QString *missing)
{
    static const QRegularExpression pattern(u"\\$\\{secret:([^}]+)\\}"_s);
    QString out;
    qsizetype last = 0;
    auto it = pattern.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        out += QStringView(text).mid(last, match.capturedStart() - last);
        const QString name = match.captured(1).trimmed();
        const auto found = secrets.constFind(name);
        if (found == secrets.constEnd()) {
            if (missing && missing->isEmpty())
                *missing = name;
        } else {
            out += *found;
            if (used)
                used->append(*found);
        }
        last = match.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

// Default headers and auth, shared by tool calls and resource reads.
Result<void> addCommonParts(const bridge::BridgeDocument &document,
                            const QHash<QString, QString> &secrets, HttpRequestSpec &spec,
                            QList<std::pair<QByteArray, QByteArray>> &queryItems)
{
    const bridge::Upstream &upstream = document.upstream;
    for (auto it = upstream.headers.begin(); it != upstream.headers.end(); ++it) {
        const QByteArray name = it.key().toUtf8();
        if (!isHeaderName(name)) {
            return fail(u"The header name \"%1\" in the bridge's upstream headers is not a valid "
                        "HTTP header name."_s.arg(it.key()),
                        u"/upstream/headers"_s);
        }
        QString missing;
        const QString value = substituteSecrets(it.value(), secrets, &spec.secretValues, &missing);
        if (!missing.isEmpty()) {
            return fail(u"The secret \"%1\" used by the header \"%2\" was not available."_s.arg(
                            missing, it.key()),
                        u"/upstream/headers/"_s + it.key());
        }
        if (hasForbiddenHeaderChar(value)) {
            return fail(u"The value of the upstream header \"%1\" contains a line break or "
                        "control character, which HTTP headers cannot carry."_s.arg(it.key()),
                        u"/upstream/headers/"_s + it.key());
        }
        setHeader(spec.headers, name, value.toUtf8());
    }

    const bridge::AuthConfig &auth = upstream.auth;
    if (auth.kind == u"none" || auth.kind.isEmpty())
        return {};
    if (auth.kind == u"oauth2ClientCredentials") {
        const QString token = secrets.value(RequestBuilder::OAuth2TokenKey);
        if (token.isEmpty()) {
            return fail(u"No OAuth 2 access token was available for the call."_s,
                        u"/upstream/auth"_s);
        }
        spec.secretValues.append(token);
        if (hasForbiddenHeaderChar(token)) {
            return fail(u"The OAuth 2 token endpoint %1 issued an access token with a line break "
                        "or control character; it cannot be sent."_s.arg(auth.tokenUrl),
                        u"/upstream/auth/tokenUrl"_s);
        }
        setHeader(spec.headers, "Authorization", "Bearer " + token.toUtf8());
        return {};
    }
    const auto secret = secrets.constFind(auth.secret);
    if (auth.secret.isEmpty() || secret == secrets.constEnd()) {
        return fail(u"The secret \"%1\" for %2 authentication was not available."_s.arg(auth.secret,
                                                                                        auth.kind),
                    u"/upstream/auth/secret"_s);
    }
    const QString value = *secret;
    spec.secretValues.append(value);
    if (hasForbiddenHeaderChar(value)) {
        return fail(u"The secret \"%1\" contains a line break or control character; store it "
                    "again without it."_s.arg(auth.secret),
                    u"/upstream/auth/secret"_s);
    }
    if (auth.kind == u"bearer") {
        setHeader(spec.headers, "Authorization", "Bearer " + value.toUtf8());
    } else if (auth.kind == u"basic") {
        const QByteArray credentials = (auth.username + u':' + value).toUtf8();
        spec.secretValues.append(QString::fromLatin1(credentials.toBase64()));
        setHeader(spec.headers, "Authorization", "Basic " + credentials.toBase64());
    } else if (auth.kind == u"apiKey") {
        if (auth.name.isEmpty()) {
            return fail(u"API key authentication needs the name of the header, query parameter "
                        "or cookie that carries the key."_s,
                        u"/upstream/auth/name"_s);
        }
        if (auth.in == u"header" || auth.in.isEmpty()) {
            if (!isHeaderName(auth.name.toUtf8())) {
                return fail(
                    u"\"%1\" is not a valid HTTP header name for the API key."_s.arg(auth.name),
                    u"/upstream/auth/name"_s);
            }
            setHeader(spec.headers, auth.name.toUtf8(), value.toUtf8());
        } else if (auth.in == u"query") {
            queryItems.append({encodeComponent(auth.name), encodeComponent(value)});
            spec.secretQueryNames.append(auth.name);
        } else if (auth.in == u"cookie") {
            if (value.contains(u';') || auth.name.contains(u';') || auth.name.contains(u'=')) {
                return fail(u"The API key or its cookie name contains \";\" or \"=\", which a "
                            "cookie cannot carry."_s,
                            u"/upstream/auth"_s);
            }
            const QByteArray cookie = auth.name.toUtf8() + '=' + value.toUtf8();
            const QByteArray existing = spec.header("Cookie");
            setHeader(spec.headers, "Cookie",
                      existing.isEmpty() ? cookie : existing + "; " + cookie);
        } else {
            return fail(u"API key authentication goes in a header, the query or a cookie, not "
                        "\"%1\"."_s.arg(auth.in),
                        u"/upstream/auth/in"_s);
        }
    } else {
        return fail(u"Unknown authentication kind \"%1\"; use none, bearer, apiKey or basic."_s.arg(
                        auth.kind),
                    u"/upstream/auth/kind"_s);
    }
    return {};
}

} // namespace mcpbridge::upstream::detail
