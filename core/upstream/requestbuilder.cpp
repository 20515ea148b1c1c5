#include "core/upstream/requestbuilder.h"

#include "core/upstream/errorhints.h"
#include "core/upstream/requestparts.h"
#include "core/upstream/requesturl.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QVarLengthArray>

#include <string_view>

using namespace Qt::StringLiterals;

#ifndef MCPBRIDGE_VERSION
#define MCPBRIDGE_VERSION "0.0.0"
#endif

namespace mcpbridge::upstream {

using namespace detail;

namespace {

// The method in capitals: the usual ones (in any ASCII case) as static data, the rest as
// QString::toUpper() makes them.
QByteArray methodOf(const QString &method)
{
    if (method.isEmpty())
        return QByteArrayLiteral("GET");
    static constexpr std::string_view usual[]
        = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
    for (const std::string_view name : usual) {
        const QLatin1StringView latin1(name.data(), qsizetype(name.size()));
        if (method.compare(latin1, Qt::CaseInsensitive) == 0)
            return QByteArray::fromRawData(name.data(), qsizetype(name.size()));
    }
    return method.toUpper().toLatin1();
}

const bridge::Parameter *pathParameter(const bridge::Tool &tool, QStringView variable)
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

HttpRequestSpec baseSpec(const QByteArray &method)
{
    HttpRequestSpec spec;
    spec.method = method;
    spec.headers.reserve(4);
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

Result<HttpRequestSpec> RequestBuilder::build(const bridge::BridgeDocument &document,
                                              const bridge::Tool &tool,
                                              const QJsonObject &arguments,
                                              const QHash<QString, QString> &secrets)
{
    const auto base = baseTarget(document.upstream.baseUrl);
    if (!base)
        return std::unexpected(base.error());
    HttpRequestSpec spec = baseSpec(methodOf(tool.method));
    auto toolWhere = [&tool] { return u"tool \"%1\""_s.arg(tool.name); };

    // Path template (a fixed "?query" in the template is kept as written).
    QStringView templ(tool.path);
    QByteArray query;
    if (const qsizetype q = templ.indexOf(u'?'); q >= 0) {
        query = encodeLiteral(templ.sliced(q + 1));
        templ.truncate(q);
    }
    QByteArray path;
    QVarLengthArray<QString, 4> pathArguments;
    for (qsizetype i = 0; i < templ.size();) {
        const qsizetype open = templ.indexOf(u'{', i);
        if (open < 0) {
            path += encodeLiteral(templ.sliced(i));
            break;
        }
        path += encodeLiteral(templ.sliced(i, open - i));
        const qsizetype close = templ.indexOf(u'}', open);
        if (close < 0) {
            return fail(u"The path \"%1\" of the %2 has a \"{\" without a closing \"}\"."_s.arg(
                            tool.path, toolWhere()),
                        toolWhere());
        }
        const QStringView variable = templ.sliced(open + 1, close - open - 1);
        const bridge::Parameter *parameter = pathParameter(tool, variable);
        const QString argName = parameter ? parameter->name : variable.toString();
        const QJsonValue value = arguments.value(argName);
        if (value.isUndefined() || value.isNull()) {
            return fail(u"The argument \"%1\" is required: it is part of the API path %2."_s.arg(
                            argName, tool.path),
                        argName);
        }
        const auto encoded = encodePathSegment(argName, simpleText(value));
        if (!encoded)
            return std::unexpected(encoded.error());
        path += *encoded;
        pathArguments.append(argName);
        i = close + 1;
    }

    // Query items go straight onto the fixed query; an array value repeats the name.
    auto addQuery = [&query](QStringView name, const QJsonValue &value) {
        auto addOne = [&](const QJsonValue &v) {
            if (!query.isEmpty())
                query += '&';
            appendComponent(query, name);
            query += '=';
            appendComponent(query, scalarText(v));
        };
        if (!value.isArray()) {
            addOne(value);
            return;
        }
        const QJsonArray values = value.toArray();
        for (const QJsonValue &v : values)
            addOne(v);
    };
    QJsonObject body;
    QJsonValue wholeBody = QJsonValue::Undefined; // a parameter that is the entire body
    bool hasBody = false;
    for (const bridge::Parameter &parameter : tool.parameters) {
        if (parameter.in == u"path")
            continue;
        const QJsonValue value = arguments.value(parameter.name);
        if (value.isUndefined())
            continue;
        if (parameter.in == u"query") {
            if (value.isNull())
                continue;
            addQuery(parameter.apiName(), value);
        } else if (parameter.in == u"header") {
            if (value.isNull())
                continue;
            const QByteArray name = parameter.apiName().toUtf8();
            if (!isHeaderName(name)) {
                return fail(u"The parameter \"%1\" of the %2 names the header \"%3\", which is not "
                            "a valid HTTP header name."_s.arg(parameter.name, toolWhere(),
                                                              parameter.apiName()),
                            parameter.name);
            }
            if (bridge::Parameter::isReservedHeader(parameter.apiName())) {
                return fail(u"The parameter \"%1\" of the %2 names the header \"%3\", which the "
                            "bridge sets itself, so a tool argument cannot set it."_s.arg(
                                parameter.name, toolWhere(), parameter.apiName()),
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
                "query, a header or the body."_s.arg(parameter.name, toolWhere(), parameter.in),
                parameter.name);
        }
    }

    // Arguments the tool declares only in an explicit inputSchema: the query for methods
    // without a body, else the JSON body. Declared are the path variables of the template and
    // every parameter that does not go in the path.
    auto declared = [&](const QString &key) {
        for (const bridge::Parameter &parameter : tool.parameters) {
            if (parameter.name == key && parameter.in != u"path")
                return true;
        }
        return pathArguments.contains(key);
    };
    const bool bodyless = spec.method == "GET" || spec.method == "HEAD" || spec.method == "DELETE";
    for (auto it = arguments.begin(); it != arguments.end(); ++it) {
        if (it.value().isNull())
            continue;
        const QString key = it.key();
        if (declared(key))
            continue;
        if (bodyless) {
            addQuery(key, it.value());
        } else {
            body.insert(key, it.value());
            hasBody = true;
        }
    }

    QList<std::pair<QByteArray, QByteArray>> authQuery; // an API key that goes in the query
    if (auto common = addCommonParts(document, secrets, spec, authQuery); !common)
        return std::unexpected(common.error());
    appendQuery(query, authQuery);
    const auto url = resolveUnder(**base, path, query);
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
    const auto base = baseTarget(document.upstream.baseUrl);
    if (!base)
        return std::unexpected(base.error());
    HttpRequestSpec spec = baseSpec(QByteArrayLiteral("GET"));
    QStringView pathPart(encodedPath);
    QByteArray query;
    if (const qsizetype q = pathPart.indexOf(u'?'); q >= 0) {
        query = encodeLiteral(pathPart.sliced(q + 1));
        pathPart.truncate(q);
    }
    QList<std::pair<QByteArray, QByteArray>> authQuery;
    if (auto common = addCommonParts(document, secrets, spec, authQuery); !common)
        return std::unexpected(common.error());
    appendQuery(query, authQuery);
    const auto url = resolveUnder(**base, encodeLiteral(pathPart), query);
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
