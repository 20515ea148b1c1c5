#include "core/openapi/serverurl.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace mcpbridge::openapi {

QString withoutTrailingSlash(QString url)
{
    while (url.endsWith(u'/') && !url.endsWith(u"://"_s))
        url.chop(1);
    return url;
}

QString substituteServerVariables(const QJsonObject &server, QStringList *missing)
{
    QString url = server.value(u"url"_s).toString();
    const QJsonObject variables = server.value(u"variables"_s).toObject();
    static const QRegularExpression placeholder(u"\\{([^{}]+)\\}"_s);
    QString out;
    qsizetype last = 0;
    for (auto it = placeholder.globalMatch(url); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += QStringView(url).mid(last, m.capturedStart() - last);
        const QJsonObject variable = variables.value(m.captured(1)).toObject();
        QJsonValue value = variable.value(u"default"_s);
        if (value.isUndefined() && variable.value(u"enum"_s).isArray())
            value = variable.value(u"enum"_s).toArray().first();
        if (value.isString() || value.isDouble()) {
            out += value.isString() ? value.toString() : value.toVariant().toString();
        } else {
            if (missing)
                missing->append(m.captured(1));
            out += m.captured(0);
        }
        last = m.capturedEnd();
    }
    out += QStringView(url).mid(last);
    return out;
}

BaseUrl resolveBaseUrl(const QJsonObject &spec, bool swagger2, const QUrl &sourceUrl)
{
    BaseUrl result;
    const bool sourceIsWeb = sourceUrl.scheme() == u"http" || sourceUrl.scheme() == u"https";
    QString url;
    if (swagger2) {
        const QString host = spec.value(u"host"_s).toString();
        QString basePath = spec.value(u"basePath"_s).toString();
        if (!basePath.isEmpty() && !basePath.startsWith(u'/'))
            basePath.prepend(u'/');
        QStringList schemes;
        for (const QJsonValue &s : spec.value(u"schemes"_s).toArray())
            schemes.append(s.toString().toLower());
        QString scheme;
        if (schemes.contains(u"https"_s))
            scheme = u"https"_s;
        else if (schemes.contains(u"http"_s))
            scheme = u"http"_s;
        else if (sourceIsWeb)
            scheme = sourceUrl.scheme();
        else
            scheme = u"https"_s;
        if (!host.isEmpty()) {
            url = scheme + u"://"_s + host + basePath;
        } else if (sourceIsWeb) {
            // Swagger 2.0: without host, the API is served by the host that served the spec.
            QUrl u = sourceUrl;
            u.setScheme(scheme);
            u.setPath(basePath);
            u.setQuery(QString());
            u.setFragment(QString());
            url = u.toString();
        } else {
            result.warnings.append(
                u"The spec names no host, so the API's address is unknown: give it with "
                u"--base-url (e.g. --base-url https://api.example.com%1)."_s.arg(basePath));
            return result;
        }
        result.url = withoutTrailingSlash(url);
        return result;
    }

    const QJsonArray servers = spec.value(u"servers"_s).toArray();
    QString raw = u"/"_s; // OpenAPI 3: without servers, the default is "/"
    if (!servers.isEmpty() && servers.first().isObject()) {
        QStringList missing;
        raw = substituteServerVariables(servers.first().toObject(), &missing);
        if (!missing.isEmpty())
            result.warnings.append(
                u"The server URL \"%1\" uses variables without a default (%2); "
                u"give the address with --base-url."_s.arg(
                    servers.first().toObject().value(u"url"_s).toString(), missing.join(u", "_s)));
        if (!missing.isEmpty())
            return result;
        if (servers.size() > 1)
            result.warnings.append(u"The spec lists %1 servers; the first (%2) was used. Choose "
                                   u"another with --base-url."_s.arg(servers.size())
                                       .arg(raw));
    }
    const QUrl parsed(raw);
    if (!parsed.isRelative() && !parsed.host().isEmpty()) {
        result.url = withoutTrailingSlash(raw);
        return result;
    }
    if (sourceIsWeb) {
        result.url = withoutTrailingSlash(sourceUrl.resolved(parsed).toString());
        return result;
    }
    result.warnings.append(
        u"The spec gives only a relative server URL (\"%1\"), so the API's address is unknown: "
        u"give it with --base-url (e.g. --base-url https://api.example.com%2)."_s.arg(
            raw, raw == u"/" ? QString() : withoutTrailingSlash(raw)));
    return result;
}

} // namespace mcpbridge::openapi
