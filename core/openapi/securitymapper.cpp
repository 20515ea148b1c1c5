#include "core/openapi/securitymapper.h"

#include "core/openapi/toolnaming.h"
#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QHash>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mcpbridge::openapi {

namespace {

struct Candidate
{
    bridge::AuthConfig auth;
    QString unsupported; // why this scheme cannot be used (empty: usable)
    QString note;        // what the user still has to do
};

Candidate mapScheme(const QString &name, const QJsonObject &scheme, bool swagger2)
{
    Candidate c;
    const QString type = scheme.value(u"type"_s).toString();
    const QString secret = secretNameFor(name);
    if (type == u"apiKey") {
        const QString in = scheme.value(u"in"_s).toString();
        if (in != u"header" && in != u"query" && in != u"cookie") {
            c.unsupported = u"an API key in \"%1\" is not supported"_s.arg(in);
            return c;
        }
        c.auth.kind = u"apiKey"_s;
        c.auth.in = in;
        c.auth.name = scheme.value(u"name"_s).toString();
        c.auth.secret = secret;
        if (c.auth.name.isEmpty())
            c.unsupported = u"the API key scheme names no header, query or cookie"_s;
        return c;
    }
    if (type == u"basic"
        || (type == u"http" && scheme.value(u"scheme"_s).toString().toLower() == u"basic")) {
        c.auth.kind = u"basic"_s;
        c.auth.secret = secret;
        c.note = u"fill in the user name for basic authentication"_s;
        return c;
    }
    if (type == u"http") {
        const QString s = scheme.value(u"scheme"_s).toString().toLower();
        if (s == u"bearer") {
            c.auth.kind = u"bearer"_s;
            c.auth.secret = secret;
            return c;
        }
        c.unsupported = u"HTTP \"%1\" authentication is not supported"_s.arg(s);
        return c;
    }
    if (type == u"oauth2") {
        // Swagger 2.0: flow "application" is client credentials.
        QString tokenUrl;
        QJsonObject scopes;
        bool clientCredentials = false;
        if (swagger2) {
            if (scheme.value(u"flow"_s).toString() == u"application") {
                clientCredentials = true;
                tokenUrl = scheme.value(u"tokenUrl"_s).toString();
                scopes = scheme.value(u"scopes"_s).toObject();
            }
        } else {
            const QJsonObject flow
                = scheme.value(u"flows"_s).toObject().value(u"clientCredentials"_s).toObject();
            if (!flow.isEmpty()) {
                clientCredentials = true;
                tokenUrl = flow.value(u"tokenUrl"_s).toString();
                scopes = flow.value(u"scopes"_s).toObject();
            }
        }
        if (clientCredentials && !tokenUrl.isEmpty()) {
            c.auth.kind = u"oauth2ClientCredentials"_s;
            c.auth.tokenUrl = tokenUrl;
            c.auth.secret = secret;
            c.auth.scopes = scopes.keys();
            c.note = u"fill in the OAuth2 client id"_s;
            return c;
        }
        // Interactive flows need a browser; a token obtained elsewhere can still be used.
        c.auth.kind = u"bearer"_s;
        c.auth.secret = secret;
        c.note = u"this OAuth2 scheme needs a user sign-in, which the bridge cannot do; store an "
                 u"access token obtained elsewhere as the secret \"%1\""_s.arg(secret);
        return c;
    }
    if (type == u"openIdConnect") {
        c.auth.kind = u"bearer"_s;
        c.auth.secret = secret;
        c.note = u"OpenID Connect sign-in is not done by the bridge; store an access token as "
                 u"the secret \"%1\""_s.arg(secret);
        return c;
    }
    c.unsupported = u"the scheme type \"%1\" is not supported"_s.arg(type);
    return c;
}

} // namespace

QString secretNameFor(const QString &schemeName)
{
    const QString name = sanitizeArgumentName(schemeName);
    return name.isEmpty() ? u"api_secret"_s : name;
}

AuthMapping mapSecurity(const SpecResolver &resolver, bool swagger2)
{
    AuthMapping result;
    const QJsonObject spec = resolver.root().toObject();
    const QString schemesPointer
        = swagger2 ? u"/securityDefinitions"_s : u"/components/securitySchemes"_s;
    const QJsonObject schemes
        = swagger2 ? spec.value(u"securityDefinitions"_s).toObject()
                   : spec.value(u"components"_s).toObject().value(u"securitySchemes"_s).toObject();
    if (schemes.isEmpty())
        return result;

    // The order to try: schemes of the top-level requirements first (as the spec orders them),
    // then the ones operations use most, then the kinds that need the least from the user.
    QStringList order;
    for (const QJsonValue &requirement : spec.value(u"security"_s).toArray()) {
        for (const QString &name : requirement.toObject().keys())
            if (!order.contains(name) && schemes.contains(name))
                order.append(name);
    }
    QHash<QString, int> uses;
    const QJsonObject paths = spec.value(u"paths"_s).toObject();
    for (auto p = paths.constBegin(); p != paths.constEnd(); ++p) {
        const QJsonObject item = p.value().toObject();
        for (auto op = item.constBegin(); op != item.constEnd(); ++op)
            for (const QJsonValue &requirement :
                 op.value().toObject().value(u"security"_s).toArray())
                for (const QString &name : requirement.toObject().keys())
                    uses[name] += 1;
    }
    const auto rank = [&](const QString &name) {
        const QJsonObject s = schemes.value(name).toObject();
        const QString type = s.value(u"type"_s).toString();
        const QString sub = s.value(u"scheme"_s).toString().toLower();
        const QString in = s.value(u"in"_s).toString();
        if (type == u"http" && sub == u"bearer")
            return 0;
        if (type == u"apiKey")
            return in == u"header" ? 1 : in == u"query" ? 2 : 5;
        if (type == u"oauth2" || type == u"openIdConnect")
            return 3;
        if (type == u"basic" || (type == u"http" && sub == u"basic"))
            return 4;
        return 6;
    };
    QStringList rest;
    for (const QString &name : schemes.keys())
        if (!order.contains(name))
            rest.append(name);
    std::stable_sort(rest.begin(), rest.end(), [&](const QString &a, const QString &b) {
        if (uses.value(a) != uses.value(b))
            return uses.value(a) > uses.value(b);
        return rank(a) < rank(b);
    });
    order += rest;

    QStringList unused;
    for (const QString &name : order) {
        const QString pointer = schemesPointer + u'/' + json::escapePointerToken(name);
        SpecResolver::Located located{schemes.value(name), 0, pointer};
        QString error;
        const auto scheme = resolver.deref(located, &error);
        if (!scheme || !scheme->value.isObject()) {
            result.notes.append(
                {ImportNote::Severity::Info,
                 pointer,
                 {},
                 u"The security scheme \"%1\" could not be read: %2."_s.arg(name, error)});
            continue;
        }
        const Candidate c = mapScheme(name, scheme->value.toObject(), swagger2);
        if (!c.unsupported.isEmpty()) {
            result.notes.append(
                {ImportNote::Severity::Info,
                 pointer,
                 {},
                 u"The security scheme \"%1\" was not used: %2."_s.arg(name, c.unsupported)});
            continue;
        }
        if (result.auth.kind != u"none") {
            unused.append(name);
            continue;
        }
        result.auth = c.auth;
        result.schemeName = name;
        QString message
            = u"Authentication: \"%1\" (%2); store its secret under the name \"%3\"."_s.arg(
                name, c.auth.kind, c.auth.secret);
        if (!c.note.isEmpty())
            message += u" Also %1."_s.arg(c.note);
        result.notes.append({ImportNote::Severity::Info, pointer, {}, message});
    }
    if (!unused.isEmpty())
        result.notes.append({ImportNote::Severity::Info,
                             schemesPointer,
                             {},
                             u"The bridge uses one authentication scheme; also declared but not "
                             u"used: %1."_s.arg(unused.join(u", "_s))});
    return result;
}

} // namespace mcpbridge::openapi
