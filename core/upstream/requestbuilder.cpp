#include "core/upstream/requestbuilder.h"

#include "core/util/jsontext.h"

#include "core/upstream/errorhints.h"
#include "core/upstream/requestparts.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <cmath>
#include <cstring>
#include <optional>

using namespace Qt::StringLiterals;

#ifndef MCPBRIDGE_VERSION
#define MCPBRIDGE_VERSION "0.0.0"
#endif

namespace mcpbridge::upstream {

using namespace detail;

namespace {

// Everything outside RFC 3986 "unreserved" is encoded: "/", "?", "#", "%", "@", "\" included.
QByteArray encodeComponent(const QString &value)
{
    return value.toUtf8().toPercentEncoding();
}

QString describeValue(const QString &value)
{
    QString shown = value.left(60);
    if (value.size() > 60)
        shown += u"…"_s;
    return u"\""_s + shown + u'"';
}

// Text of a scalar argument as it goes on the wire.
QString scalarText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String: return value.toString();
    case QJsonValue::Bool: return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 9.007199254740992e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    default: return {};
    }
}

// Arrays in a path or header become comma-separated (OpenAPI "simple" style).
QString simpleText(const QJsonValue &value)
{
    if (!value.isArray())
        return scalarText(value);
    QStringList parts;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        parts.append(scalarText(item));
    return parts.join(u',');
}

// Repeatedly percent-decoded (a server or proxy may decode more than once), then compatibility-
// normalized (fullwidth "．．" reads as ".." to some servers).
QStringList decodingsOf(const QString &value)
{
    QStringList out{value};
    QByteArray bytes = value.toUtf8();
    for (int round = 0; round < 3; ++round) {
        const QByteArray decoded = QByteArray::fromPercentEncoding(bytes);
        if (decoded == bytes)
            break;
        bytes = decoded;
        out.append(QString::fromUtf8(bytes));
    }
    const qsizetype n = out.size();
    for (qsizetype i = 0; i < n; ++i)
        out.append(out[i].normalized(QString::NormalizationForm_KC));
    return out;
}

bool hasDotStep(const QString &value)
{
    static const QRegularExpression separators(u"[/\\\\]"_s);
    const QStringList steps = value.split(separators);
    return std::any_of(steps.begin(), steps.end(),
                       [](const QString &s) { return s == u"."_s || s == u".."_s; });
}

// A literal part of a path template: path characters stay, "%XX" stays, the rest is encoded.
QByteArray encodeLiteral(const QString &literal)
{
    // What QByteArray::toPercentEncoding("/!$&'()*+,;=:@") keeps, byte by byte without a
    // temporary per character (this runs for every call).
    static constexpr char hex[] = "0123456789ABCDEF";
    auto kept = [](uchar c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
               || (c && std::strchr("-._~/!$&'()*+,;=:@", c));
    };
    const QByteArray utf8 = literal.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto c = uchar(utf8[i]);
        if (c == '%' && i + 2 < utf8.size() && isxdigit(uchar(utf8[i + 1]))
            && isxdigit(uchar(utf8[i + 2]))) {
            out += char(c);
            continue;
        }
        if (kept(c)) {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    return out;
}

const bridge::Parameter *pathParameter(const bridge::Tool &tool, const QString &variable)
{
    for (const bridge::Parameter &p : tool.parameters) {
        if (p.in == u"path" && p.apiName() == variable)
            return &p;
    }
    for (const bridge::Parameter &p : tool.parameters) {
        if (p.in == u"path" && p.name == variable)
            return &p;
    }
    return nullptr;
}

QByteArray joinQuery(const QList<std::pair<QByteArray, QByteArray>> &items)
{
    QByteArray out;
    for (const auto &[name, value] : items) {
        if (!out.isEmpty())
            out += '&';
        out += name + '=' + value;
    }
    return out;
}

HttpRequestSpec baseSpec(const QByteArray &method)
{
    HttpRequestSpec spec;
    spec.method = method;
    spec.headers.append({"Accept", RequestBuilder::acceptHeader()});
    spec.headers.append({"User-Agent", RequestBuilder::userAgent()});
    return spec;
}

} // namespace

QByteArray HttpRequestSpec::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray RequestBuilder::userAgent()
{
    return QByteArrayLiteral("mcpbridge/" MCPBRIDGE_VERSION);
}

QByteArray RequestBuilder::acceptHeader()
{
    return QByteArrayLiteral("application/json, */*;q=0.8");
}

QStringList RequestBuilder::secretsNeeded(const bridge::Upstream &upstream)
{
    QStringList names;
    if (upstream.auth.kind != u"none" && !upstream.auth.kind.isEmpty()
        && !upstream.auth.secret.isEmpty()) {
        names.append(upstream.auth.secret);
    }
    static const QRegularExpression pattern(u"\\$\\{secret:([^}]+)\\}"_s);
    for (const QString &value : upstream.headers) {
        auto it = pattern.globalMatch(value);
        while (it.hasNext()) {
            const QString name = it.next().captured(1).trimmed();
            if (!names.contains(name))
                names.append(name);
        }
    }
    const QString &keySecret = upstream.tls.clientKeySecret;
    if (!keySecret.isEmpty() && !names.contains(keySecret))
        names.append(keySecret);
    return names;
}

Result<QString> RequestBuilder::encodePathValue(const QString &argument, const QString &value)
{
    const QStringList decodings = decodingsOf(value);
    for (const QString &d : decodings) {
        if (d == u"."_s || d == u".."_s || hasDotStep(d)) {
            return fail(u"The argument \"%1\" is %2, which would step out of the API path "
                        "(\".\" and \"..\" are not allowed in a path value). Pass the plain id "
                        "or name."_s.arg(argument, describeValue(value)),
                        argument);
        }
    }
    if (value.isEmpty()) {
        return fail(
            u"The argument \"%1\" is empty, but it is part of the API path."_s.arg(argument),
            argument);
    }
    return QString::fromLatin1(encodeComponent(value));
}

namespace {

Result<QUrl> parseBaseUrlUncached(const QString &baseUrl)
{
    const QUrl base(baseUrl.trimmed(), QUrl::StrictMode);
    if (baseUrl.trimmed().isEmpty()) {
        return fail(u"The bridge has no upstream base URL; set upstream.baseUrl (for example "
                    "https://api.example.com/v1)."_s,
                    u"/upstream/baseUrl"_s);
    }
    if (!base.isValid() || base.host().isEmpty()
        || (base.scheme() != u"http" && base.scheme() != u"https")) {
        return fail(
            u"The upstream base URL \"%1\" is not an absolute http:// or https:// URL."_s.arg(
                baseUrl),
            u"/upstream/baseUrl"_s);
    }
    if (base.hasQuery() || base.hasFragment() || !base.userInfo().isEmpty()) {
        return fail(u"The upstream base URL \"%1\" must not contain a query, a fragment or a user "
                    "name; use the bridge's auth settings for credentials."_s.arg(baseUrl),
                    u"/upstream/baseUrl"_s);
    }
    return base;
}

} // namespace

Result<QUrl> RequestBuilder::parseBaseUrl(const QString &baseUrl)
{
    // Every call of a bridge asks about the same base URL: parse it once per thread instead of
    // once per call (the result depends on the text only).
    thread_local QString lastBaseUrl;
    thread_local std::optional<Result<QUrl>> lastResult;
    if (lastResult && baseUrl == lastBaseUrl)
        return *lastResult;
    lastResult = parseBaseUrlUncached(baseUrl);
    lastBaseUrl = baseUrl;
    return *lastResult;
}

Result<QUrl> RequestBuilder::resolveUnderBase(const QUrl &base, const QByteArray &encodedPath,
                                              const QByteArray &encodedQuery)
{
    QByteArray basePath = base.path(QUrl::FullyEncoded).toUtf8();
    while (basePath.endsWith('/'))
        basePath.chop(1);
    QByteArray path = encodedPath;
    if (!path.isEmpty() && !path.startsWith('/'))
        path.prepend('/');
    QByteArray full = base.scheme().toUtf8() + "://" + base.authority(QUrl::FullyEncoded).toUtf8()
                      + basePath + path;
    if (!encodedQuery.isEmpty())
        full += '?' + encodedQuery;
    const QUrl url = QUrl::fromEncoded(full, QUrl::StrictMode);
    const QString shown = QString::fromUtf8(full);
    auto refuse = [&](const QString &why) {
        return fail(u"The request URL %1 would leave the API's base URL %2 (%3), so the bridge "
                    "did not send it."_s.arg(shown, base.toString(), why),
                    shown);
    };
    if (!url.isValid())
        return refuse(u"it is not a valid URL"_s);
    if (url.scheme() != base.scheme())
        return refuse(u"different scheme"_s);
    if (url.host().compare(base.host(), Qt::CaseInsensitive) != 0)
        return refuse(u"different host"_s);
    if (url.port(base.scheme() == u"https" ? 443 : 80)
        != base.port(base.scheme() == u"https" ? 443 : 80))
        return refuse(u"different port"_s);
    if (!url.userInfo().isEmpty() || url.hasFragment())
        return refuse(u"it carries a user name or a fragment"_s);
    const QByteArray finalPath = url.path(QUrl::FullyEncoded).toUtf8();
    // A server may decode "%2e" before resolving dot segments; so must this check.
    const QString decodedDots
        = QString::fromUtf8(finalPath).replace(u"%2e"_s, u"."_s, Qt::CaseInsensitive);
    const QStringList segments = decodedDots.split(u'/');
    for (const QString &segment : segments) {
        if (segment == u"."_s || segment == u".."_s)
            return refuse(u"it contains a \".\" or \"..\" path step"_s);
    }
    if (!basePath.isEmpty() && finalPath != basePath
        && !finalPath.startsWith(QByteArray(basePath + "/")))
        return refuse(u"the path is outside %1"_s.arg(QString::fromUtf8(basePath)));
    return url;
}

// The body in the tool's media type (set by the OpenAPI importer; empty means JSON) and its
// Content-Type. Form and multipart bodies carry text fields; nested values go as JSON text.
static Result<std::pair<QByteArray, QByteArray>> encodeBody(const bridge::Tool &tool,
                                                            const QJsonObject &fields,
                                                            const QJsonValue &wholeBody)
{
    const QString mediaType = tool.bodyMediaType.trimmed().toLower();
    auto fieldText = [](const QJsonValue &v) {
        return v.isObject() || v.isArray() ? QString::fromUtf8(json::compact(v)) : scalarText(v);
    };
    if (mediaType == u"text/plain") {
        const QJsonValue value = wholeBody.isUndefined() ? QJsonValue(fields) : wholeBody;
        return std::pair{fieldText(value).toUtf8(), QByteArray("text/plain; charset=utf-8")};
    }
    if (!wholeBody.isUndefined()) {
        if (!mediaType.isEmpty() && mediaType != u"application/json"
            && !mediaType.endsWith(u"+json"))
            return fail(u"The tool \"%1\" sends its whole body as %2, which the bridge can only "
                        "do for JSON and text/plain bodies."_s.arg(tool.name, tool.bodyMediaType));
        return std::pair{json::compact(wholeBody), QByteArray("application/json")};
    }
    if (mediaType == u"application/x-www-form-urlencoded") {
        QList<std::pair<QByteArray, QByteArray>> items;
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            const QJsonArray values
                = it.value().isArray() ? it.value().toArray() : QJsonArray{it.value()};
            for (const QJsonValue &v : values)
                items.append({encodeComponent(it.key()), encodeComponent(fieldText(v))});
        }
        return std::pair{joinQuery(items), QByteArray("application/x-www-form-urlencoded")};
    }
    if (mediaType == u"multipart/form-data") {
        // A random boundary that no value contains, so no argument can start a part of its own.
        QByteArray boundary;
        QByteArray out;
        for (int attempt = 0; attempt < 8; ++attempt) {
            boundary = "mcpbridge-"
                       + QByteArray::number(QRandomGenerator::global()->generate64(), 16)
                       + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
            out.clear();
            bool clash = false;
            for (auto it = fields.begin(); it != fields.end() && !clash; ++it) {
                const QByteArray name = it.key().toUtf8();
                if (name.contains('"') || name.contains('\r') || name.contains('\n'))
                    return fail(
                        u"The body field name \"%1\" of the tool \"%2\" cannot be sent as a "
                        "form field (it has a quote or a line break)."_s.arg(it.key(), tool.name));
                const QByteArray value = fieldText(it.value()).toUtf8();
                clash = value.contains(boundary);
                out += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                       + "\"\r\n\r\n" + value + "\r\n";
            }
            if (!clash)
                break;
        }
        out += "--" + boundary + "--\r\n";
        return std::pair{out, "multipart/form-data; boundary=" + boundary};
    }
    return std::pair{QJsonDocument(fields).toJson(QJsonDocument::Compact),
                     QByteArray("application/json")};
}

Result<HttpRequestSpec> RequestBuilder::build(const bridge::BridgeDocument &document,
                                              const bridge::Tool &tool,
                                              const QJsonObject &arguments,
                                              const QHash<QString, QString> &secrets)
{
    const auto base = parseBaseUrl(document.upstream.baseUrl);
    if (!base)
        return std::unexpected(base.error());
    const QString method = tool.method.isEmpty() ? u"GET"_s : tool.method.toUpper();
    HttpRequestSpec spec = baseSpec(method.toLatin1());
    const QString toolWhere = u"tool \"%1\""_s.arg(tool.name);

    // Path template (a fixed "?query" in the template is kept as written).
    QString templ = tool.path;
    QByteArray fixedQuery;
    if (const qsizetype q = templ.indexOf(u'?'); q >= 0) {
        fixedQuery = encodeLiteral(templ.mid(q + 1));
        templ.truncate(q);
    }
    QByteArray path;
    QStringList usedArguments;
    for (qsizetype i = 0; i < templ.size();) {
        const qsizetype open = templ.indexOf(u'{', i);
        if (open < 0) {
            path += encodeLiteral(templ.mid(i));
            break;
        }
        path += encodeLiteral(templ.mid(i, open - i));
        const qsizetype close = templ.indexOf(u'}', open);
        if (close < 0) {
            return fail(u"The path \"%1\" of the %2 has a \"{\" without a closing \"}\"."_s.arg(
                            tool.path, toolWhere),
                        toolWhere);
        }
        const QString variable = templ.mid(open + 1, close - open - 1);
        const bridge::Parameter *parameter = pathParameter(tool, variable);
        const QString argName = parameter ? parameter->name : variable;
        const QJsonValue value = arguments.value(argName);
        if (value.isUndefined() || value.isNull()) {
            return fail(u"The argument \"%1\" is required: it is part of the API path %2."_s.arg(
                            argName, tool.path),
                        argName);
        }
        const auto encoded = encodePathValue(argName, simpleText(value));
        if (!encoded)
            return std::unexpected(encoded.error());
        path += encoded->toLatin1();
        usedArguments.append(argName);
        i = close + 1;
    }

    QList<std::pair<QByteArray, QByteArray>> queryItems;
    QJsonObject body;
    QJsonValue wholeBody = QJsonValue::Undefined; // a parameter that is the entire body
    bool hasBody = false;
    for (const bridge::Parameter &parameter : tool.parameters) {
        if (parameter.in == u"path")
            continue;
        usedArguments.append(parameter.name);
        const QJsonValue value = arguments.value(parameter.name);
        if (value.isUndefined())
            continue;
        if (parameter.in == u"query") {
            if (value.isNull())
                continue;
            const QJsonArray values = value.isArray() ? value.toArray() : QJsonArray{value};
            for (const QJsonValue &v : values)
                queryItems.append(
                    {encodeComponent(parameter.apiName()), encodeComponent(scalarText(v))});
        } else if (parameter.in == u"header") {
            if (value.isNull())
                continue;
            const QByteArray name = parameter.apiName().toUtf8();
            if (!isHeaderName(name)) {
                return fail(u"The parameter \"%1\" of the %2 names the header \"%3\", which is not "
                            "a valid HTTP header name."_s.arg(parameter.name, toolWhere,
                                                              parameter.apiName()),
                            parameter.name);
            }
            const QString text = simpleText(value);
            if (hasForbiddenHeaderChar(text)) {
                return fail(u"The argument \"%1\" contains a line break or control character "
                            "(such as CR, LF or NUL), which an HTTP header cannot carry. Pass it "
                            "on one line."_s.arg(parameter.name),
                            parameter.name);
            }
            setHeader(spec.headers, name, text.toUtf8());
        } else if (parameter.in == u"body" && parameter.wholeBody) {
            wholeBody = value;
            hasBody = true;
        } else if (parameter.in == u"body") {
            body.insert(parameter.apiName(), value);
            hasBody = true;
        } else {
            return fail(
                u"The parameter \"%1\" of the %2 goes \"%3\"; it must go in the path, the "
                "query, a header or the body."_s.arg(parameter.name, toolWhere, parameter.in),
                parameter.name);
        }
    }

    // Arguments the tool declares only in an explicit inputSchema: the query for methods
    // without a body, else the JSON body.
    const bool bodyless = method == u"GET" || method == u"HEAD" || method == u"DELETE";
    for (auto it = arguments.begin(); it != arguments.end(); ++it) {
        if (usedArguments.contains(it.key()) || it.value().isNull())
            continue;
        if (bodyless) {
            const QJsonArray values
                = it.value().isArray() ? it.value().toArray() : QJsonArray{it.value()};
            for (const QJsonValue &v : values)
                queryItems.append({encodeComponent(it.key()), encodeComponent(scalarText(v))});
        } else {
            body.insert(it.key(), it.value());
            hasBody = true;
        }
    }

    if (auto common = addCommonParts(document, secrets, spec, queryItems); !common)
        return std::unexpected(common.error());

    QByteArray query = fixedQuery;
    const QByteArray rest = joinQuery(queryItems);
    if (!rest.isEmpty())
        query += (query.isEmpty() ? QByteArray() : QByteArray("&")) + rest;
    const auto url = resolveUnderBase(*base, path, query);
    if (!url)
        return std::unexpected(url.error());
    spec.url = *url;
    if (hasBody) {
        auto encoded = encodeBody(tool, body, wholeBody);
        if (!encoded)
            return std::unexpected(encoded.error());
        if (encoded->first.size() > MaxRequestBodyBytes) {
            return fail(u"The request body for \"%1\" would be %2, more than the %3 the bridge "
                        "sends in one call. Send less data, or split it over several calls."_s.arg(
                            tool.name, hints::formatSize(encoded->first.size()),
                            hints::formatSize(MaxRequestBodyBytes)),
                        tool.name);
        }
        spec.body = encoded->first;
        setHeader(spec.headers, "Content-Type", encoded->second);
    }
    return spec;
}

Result<HttpRequestSpec> RequestBuilder::buildGet(const bridge::BridgeDocument &document,
                                                 const QString &encodedPath,
                                                 const QHash<QString, QString> &secrets)
{
    const auto base = parseBaseUrl(document.upstream.baseUrl);
    if (!base)
        return std::unexpected(base.error());
    HttpRequestSpec spec = baseSpec("GET");
    QString pathPart = encodedPath;
    QByteArray query;
    if (const qsizetype q = pathPart.indexOf(u'?'); q >= 0) {
        query = encodeLiteral(pathPart.mid(q + 1));
        pathPart.truncate(q);
    }
    QList<std::pair<QByteArray, QByteArray>> queryItems;
    if (auto common = addCommonParts(document, secrets, spec, queryItems); !common)
        return std::unexpected(common.error());
    const QByteArray rest = joinQuery(queryItems);
    if (!rest.isEmpty())
        query += (query.isEmpty() ? QByteArray() : QByteArray("&")) + rest;
    const auto url = resolveUnderBase(*base, encodeLiteral(pathPart), query);
    if (!url)
        return std::unexpected(url.error());
    spec.url = *url;
    return spec;
}

Result<QString> RequestBuilder::describeCall(const bridge::BridgeDocument &document,
                                             const bridge::Tool &tool, const QJsonObject &arguments,
                                             qsizetype maxBodyChars)
{
    bridge::BridgeDocument withoutCredentials = document;
    withoutCredentials.upstream.auth = bridge::AuthConfig{};
    withoutCredentials.upstream.headers.clear();
    const Result<HttpRequestSpec> spec = build(withoutCredentials, tool, arguments, {});
    if (!spec)
        return std::unexpected(spec.error());
    QString text
        = QString::fromLatin1(spec->method) + u' ' + spec->url.toString(QUrl::FullyEncoded);
    if (!spec->body.isEmpty()) {
        QString body = QString::fromUtf8(spec->body);
        if (body.size() > maxBodyChars)
            body = body.left(maxBodyChars) + u"…"_s;
        text += u"\nwith the body: "_s + body;
    }
    return text;
}

} // namespace mcpbridge::upstream
