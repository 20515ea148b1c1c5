// The semantic checks of a bridge document: everything a person could get wrong that the JSON
// types alone do not catch. Each message says what is wrong and, where it helps, how to fix it.

#include "core/bridge/validatorhelpers.h"
#include "core/schema/schemavalidator.h"

#include <QRegularExpression>
#include <QSet>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace mcpbridge::bridge::detail {

const QStringList &knownMethods()
{
    static const QStringList methods
        = {u"GET"_s, u"POST"_s, u"PUT"_s, u"PATCH"_s, u"DELETE"_s, u"HEAD"_s};
    return methods;
}

QString quoted(const QString &s)
{
    return u'"' + s + u'"';
}

QString listOf(const QStringList &items)
{
    QStringList q;
    for (const QString &i : items)
        q.append(quoted(i));
    return q.join(u", "_s);
}

bool isIdentifier(const QString &s, int maxLength)
{
    static const QRegularExpression re(u"^[A-Za-z0-9_.-]+$"_s);
    return !s.isEmpty() && (maxLength == 0 || s.size() <= maxLength) && re.match(s).hasMatch();
}

// Braces that pair up and variables with plain names; "" when fine, else what is wrong.
QString templateProblem(const QString &text)
{
    int depth = 0;
    for (const QChar c : text) {
        if (c == u'{' && ++depth > 1)
            return u"has a \"{\" inside another \"{...}\""_s;
        if (c == u'}' && --depth < 0)
            return u"has a \"}\" without a matching \"{\""_s;
    }
    if (depth != 0)
        return u"has a \"{\" without a matching \"}\""_s;
    static const QRegularExpression name(u"^[A-Za-z0-9_]+$"_s);
    for (const QString &v : templateVariables(text)) {
        if (!name.match(v).hasMatch())
            return u"has the variable {%1}; variable names may only use letters, digits and _"_s
                .arg(v);
    }
    return {};
}

// A secret *name* is short and readable; a secret *value* tends to be long, mixed and random.
bool looksLikeSecretValue(const QString &s)
{
    const QString t = s.trimmed();
    static const QStringList prefixes = {u"Bearer "_s, u"Basic "_s,      u"Token "_s, u"sk-"_s,
                                         u"ghp_"_s,    u"github_pat_"_s, u"xox"_s,    u"eyJ"_s};
    for (const QString &p : prefixes) {
        if (t.startsWith(p, p.front().isUpper() && p.endsWith(u' ') ? Qt::CaseInsensitive
                                                                    : Qt::CaseSensitive))
            return true;
    }
    if (t.size() < 20 || t.contains(u' '))
        return false;
    bool lower = false, upper = false, digit = false;
    int digits = 0;
    for (const QChar c : t) {
        lower |= c.isLower();
        upper |= c.isUpper();
        if (c.isDigit()) {
            digit = true;
            ++digits;
        }
    }
    const int classes = int(lower) + int(upper) + int(digit);
    // "PANTRY_API_TOKEN" or "github_access_token" have no digits; random keys nearly always do.
    return (classes == 3 && digits >= 2) || (digit && t.size() >= 32 && digits * 5 >= t.size());
}

bool isHttpUrl(const QString &text, QString *why)
{
    const QUrl url(text, QUrl::StrictMode);
    if (text.trimmed() != text) {
        *why = u"has spaces around it"_s;
        return false;
    }
    if (!url.isValid()) {
        *why = u"is not a valid URL (%1)"_s.arg(url.errorString());
        return false;
    }
    if (url.scheme() != u"http" && url.scheme() != u"https") {
        *why = url.scheme().isEmpty()
                   ? u"must be a full address starting with http:// or https://"_s
                   : u"must start with http:// or https://, not %1://"_s.arg(url.scheme());
        return false;
    }
    if (url.host().isEmpty()) {
        *why = u"has no host name (e.g. http://127.0.0.1:8080 or https://api.example.com)"_s;
        return false;
    }
    return true;
}

void checkSchema(ProblemSink &sink, const QString &pointer, const QJsonObject &schema)
{
    auto compiled = schema::CompiledSchema::compile(schema);
    if (!compiled)
        sink.error(pointer, u"is not a usable JSON Schema: %1"_s.arg(compiled.error()));
}

namespace {

void checkServer(const BridgeDocument &d, ProblemSink &sink)
{
    if (d.server.name.isEmpty())
        sink.error(u"/server/name"_s,
                   u"missing: every bridge needs a short machine name such as \"pantry\""_s);
    else if (!isIdentifier(d.server.name))
        sink.error(u"/server/name"_s,
                   u"%1 may only use letters, digits, \"_\", \".\" and \"-\" (no spaces); put the "
                   "display name in server.title"_s.arg(quoted(d.server.name)));
}

void checkUpstream(const BridgeDocument &d, ProblemSink &sink)
{
    const Upstream &up = d.upstream;
    QString why;
    if (up.baseUrl.isEmpty())
        sink.error(u"/upstream/baseUrl"_s,
                   u"missing: the address of the API, e.g. https://api.example.com/v1"_s);
    else if (!isHttpUrl(up.baseUrl, &why))
        sink.error(u"/upstream/baseUrl"_s, u"%1 %2"_s.arg(quoted(up.baseUrl), why));
    if (up.timeoutMs <= 0)
        sink.error(u"/upstream/timeoutMs"_s,
                   u"must be a positive number of milliseconds, found %1"_s.arg(up.timeoutMs));

    static const QRegularExpression secretRef(u"\\$\\{secret:([^}]*)\\}"_s);
    for (auto it = up.headers.begin(); it != up.headers.end(); ++it) {
        const QString pointer = childPointer(u"/upstream/headers"_s, it.key());
        for (auto m = secretRef.globalMatch(it.value()); m.hasNext();) {
            const QString name = m.next().captured(1);
            if (!isIdentifier(name))
                sink.error(pointer, u"${secret:%1} does not name a secret; secret names may only "
                                    "use letters, digits, \"_\", \".\" and \"-\""_s.arg(name));
        }
        QString literal = it.value();
        literal.remove(secretRef);
        if (looksLikeSecretValue(literal))
            sink.warning(pointer,
                         u"this looks like a real credential written into the file; store it "
                         "as a secret and write ${secret:NAME} here instead"_s);
    }

    const AuthConfig &a = up.auth;
    static const QStringList kinds
        = {u"none"_s, u"bearer"_s, u"apiKey"_s, u"basic"_s, u"oauth2ClientCredentials"_s};
    if (!kinds.contains(a.kind)) {
        sink.error(u"/upstream/auth/kind"_s,
                   u"%1 is not a known kind of authentication; use one of %2"_s.arg(quoted(a.kind),
                                                                                    listOf(kinds)));
        return;
    }
    auto require = [&](const QString &key, const QString &value, const QString &what) {
        if (value.isEmpty())
            sink.error(u"/upstream/auth/"_s + key,
                       u"missing: \"%1\" authentication needs %2"_s.arg(a.kind, what));
    };
    if (a.kind != u"none") {
        require(u"secret"_s, a.secret,
                u"the name under which the secret is stored, e.g. \"api_token\""_s);
        if (!a.secret.isEmpty() && looksLikeSecretValue(a.secret))
            sink.warning(u"/upstream/auth/secret"_s,
                         u"this looks like the secret itself; write only a name here (e.g. "
                         "\"api_token\") and store the value in the keychain"_s);
        else if (!a.secret.isEmpty() && !isIdentifier(a.secret))
            sink.error(
                u"/upstream/auth/secret"_s,
                u"%1 is not a secret name; use letters, digits, \"_\", \".\" and \"-\""_s.arg(
                    quoted(a.secret)));
    }
    if (a.kind == u"apiKey") {
        static const QStringList places = {u"header"_s, u"query"_s, u"cookie"_s};
        if (a.in.isEmpty())
            require(u"in"_s, a.in, u"where the key goes: \"header\", \"query\" or \"cookie\""_s);
        else if (!places.contains(a.in))
            sink.error(u"/upstream/auth/in"_s, u"%1 is not a place for an API key; use %2"_s.arg(
                                                   quoted(a.in), listOf(places)));
        require(u"name"_s, a.name, u"the header, query or cookie name, e.g. \"X-API-Key\""_s);
    } else if (a.kind == u"basic") {
        require(u"username"_s, a.username, u"a username"_s);
    } else if (a.kind == u"oauth2ClientCredentials") {
        require(u"clientId"_s, a.clientId, u"the client id"_s);
        if (a.tokenUrl.isEmpty())
            require(u"tokenUrl"_s, a.tokenUrl, u"the token endpoint address"_s);
        else if (!isHttpUrl(a.tokenUrl, &why))
            sink.error(u"/upstream/auth/tokenUrl"_s, u"%1 %2"_s.arg(quoted(a.tokenUrl), why));
    }
}

// Connection, TLS, retry and rate settings of the upstream (all optional).
void checkResilience(const BridgeDocument &d, ProblemSink &sink)
{
    const Upstream &up = d.upstream;
    if (up.connectTimeoutMs <= 0)
        sink.error(
            u"/upstream/connectTimeoutMs"_s,
            u"must be a positive number of milliseconds, found %1"_s.arg(up.connectTimeoutMs));
    const TlsConfig &tls = up.tls;
    if (!tls.isEmpty() && up.baseUrl.startsWith(u"http:"_s, Qt::CaseInsensitive))
        sink.warning(u"/upstream/tls"_s,
                     u"TLS settings have no effect: the base URL uses http, not https"_s);
    if (tls.clientCertificate.isEmpty() != tls.clientKey.isEmpty())
        sink.error(tls.clientKey.isEmpty() ? u"/upstream/tls/clientKey"_s
                                           : u"/upstream/tls/clientCertificate"_s,
                   u"missing: a client certificate needs both clientCertificate and clientKey "
                   "(PEM files)"_s);
    if (!tls.clientKeySecret.isEmpty() && tls.clientKey.isEmpty())
        sink.error(u"/upstream/tls/clientKeySecret"_s,
                   u"a passphrase secret is given but no clientKey file"_s);
    if (!tls.clientKeySecret.isEmpty() && !isIdentifier(tls.clientKeySecret))
        sink.error(u"/upstream/tls/clientKeySecret"_s,
                   u"%1 is not a secret name; use letters, digits, \"_\", \".\" and \"-\""_s.arg(
                       quoted(tls.clientKeySecret)));
    if (tls.insecureSkipVerify)
        sink.warning(u"/upstream/tls/insecureSkipVerify"_s,
                     u"the API's certificate is not checked: anyone on the network path can read "
                     "and change the calls, credentials included. Use caBundle instead"_s);
    const RetryConfig &r = up.retry;
    if (r.maxAttempts < 1 || r.maxAttempts > 10)
        sink.error(u"/upstream/retry/maxAttempts"_s,
                   u"must be 1 (no retries) to 10, found %1"_s.arg(r.maxAttempts));
    if (r.baseDelayMs < 0 || r.baseDelayMs > 60000)
        sink.error(u"/upstream/retry/baseDelayMs"_s,
                   u"must be 0 to 60000 milliseconds, found %1"_s.arg(r.baseDelayMs));
    if (r.maxDelayMs < r.baseDelayMs || r.maxDelayMs > 300000)
        sink.error(u"/upstream/retry/maxDelayMs"_s,
                   u"must be at least baseDelayMs (%1) and at most 300000 milliseconds, found %2"_s
                       .arg(r.baseDelayMs)
                       .arg(r.maxDelayMs));
    if (up.maxConcurrent < 0)
        sink.error(
            u"/upstream/maxConcurrent"_s,
            u"must be 0 (no cap) or a positive number of calls, found %1"_s.arg(up.maxConcurrent));
    if (up.rateLimit.requestsPerSecond < 0)
        sink.error(u"/upstream/rateLimit/requestsPerSecond"_s,
                   u"must be 0 (no limit) or a positive number, found %1"_s.arg(
                       up.rateLimit.requestsPerSecond));
    if (up.rateLimit.burst < 1)
        sink.error(u"/upstream/rateLimit/burst"_s,
                   u"must be at least 1 call, found %1"_s.arg(up.rateLimit.burst));
}

void checkResourcePath(const QString &path, const QString &pointer, ProblemSink &sink)
{
    if (path.isEmpty())
        sink.error(pointer, u"missing: the path under the base URL to GET, e.g. \"/items\""_s);
    else if (!path.startsWith(u'/'))
        sink.error(pointer, u"must start with \"/\", e.g. %1"_s.arg(quoted(u'/' + path)));
}

void checkResources(const BridgeDocument &d, ProblemSink &sink)
{
    QSet<QString> uris;
    for (qsizetype i = 0; i < d.resources.size(); ++i) {
        const Resource &r = d.resources.at(i);
        const QString at = childPointer(u"/resources"_s, i);
        const QUrl url(r.uri, QUrl::StrictMode);
        if (r.uri.isEmpty())
            sink.error(at + u"/uri"_s,
                       u"missing: every resource needs a uri, e.g. \"notes://all\""_s);
        else if (r.uri.contains(u'{'))
            sink.error(at + u"/uri"_s, u"a fixed resource cannot have {variables}; make it a "
                                       "resource template"_s);
        else if (!url.isValid() || url.scheme().isEmpty())
            sink.error(at + u"/uri"_s,
                       u"%1 is not a URI; write it like \"scheme://name\""_s.arg(quoted(r.uri)));
        else if (uris.contains(r.uri))
            sink.error(at + u"/uri"_s,
                       u"%1 is used by another resource; uris must be unique"_s.arg(quoted(r.uri)));
        uris.insert(r.uri);
        if (r.name.isEmpty())
            sink.warning(at + u"/name"_s, u"no name: clients show the uri instead"_s);
        checkResourcePath(r.path, at + u"/path"_s, sink);
        if (!r.path.isEmpty() && !templateVariables(r.path).isEmpty())
            sink.error(at + u"/path"_s, u"a fixed resource's path cannot have {variables}"_s);
    }

    QSet<QString> templates;
    for (qsizetype i = 0; i < d.resourceTemplates.size(); ++i) {
        const ResourceTemplate &t = d.resourceTemplates.at(i);
        const QString at = childPointer(u"/resourceTemplates"_s, i);
        const QString uriProblem = templateProblem(t.uriTemplate);
        if (t.uriTemplate.isEmpty()) {
            sink.error(at + u"/uriTemplate"_s, u"missing: write it like \"items://{id}\""_s);
        } else if (!uriProblem.isEmpty()) {
            sink.error(at + u"/uriTemplate"_s, uriProblem);
        } else {
            QString sample = t.uriTemplate;
            sample.replace(QRegularExpression(u"\\{[^}]*\\}"_s), u"x"_s);
            const QUrl url(sample, QUrl::StrictMode);
            if (!url.isValid() || url.scheme().isEmpty())
                sink.error(at + u"/uriTemplate"_s,
                           u"%1 is not a URI template; write it like \"items://{id}\""_s.arg(
                               quoted(t.uriTemplate)));
            else if (templateVariables(t.uriTemplate).isEmpty())
                sink.warning(at + u"/uriTemplate"_s,
                             u"has no {variables}; a fixed resource would be simpler"_s);
        }
        if (templates.contains(t.uriTemplate))
            sink.error(at + u"/uriTemplate"_s,
                       u"%1 is used by another resource template"_s.arg(quoted(t.uriTemplate)));
        templates.insert(t.uriTemplate);
        if (t.name.isEmpty())
            sink.warning(at + u"/name"_s, u"no name: clients show the uri template instead"_s);

        checkResourcePath(t.path, at + u"/path"_s, sink);
        const QString pathProblem = templateProblem(t.path);
        if (!t.path.isEmpty() && !pathProblem.isEmpty())
            sink.error(at + u"/path"_s, pathProblem);
        if (uriProblem.isEmpty() && pathProblem.isEmpty()) {
            QStringList uriVars = templateVariables(t.uriTemplate);
            QStringList pathVars = templateVariables(t.path);
            uriVars.sort();
            pathVars.sort();
            if (uriVars != pathVars)
                sink.error(at + u"/path"_s,
                           u"the variables of the path (%1) must be the same as those of the uri "
                           "template (%2)"_s.arg(pathVars.isEmpty() ? u"none"_s : listOf(pathVars),
                                                 uriVars.isEmpty() ? u"none"_s : listOf(uriVars)));
            for (auto it = t.completions.begin(); it != t.completions.end(); ++it) {
                if (!uriVars.contains(it.key()))
                    sink.warning(childPointer(at + u"/completions"_s, it.key()),
                                 u"the uri template has no {%1}, so these values are never "
                                 "offered"_s.arg(it.key()));
            }
        }
    }
}

void checkPrompts(const BridgeDocument &d, ProblemSink &sink)
{
    QSet<QString> names;
    static const QRegularExpression placeholder(u"\\{([A-Za-z0-9_]+)\\}"_s);
    for (qsizetype i = 0; i < d.prompts.size(); ++i) {
        const Prompt &p = d.prompts.at(i);
        const QString at = childPointer(u"/prompts"_s, i);
        if (p.name.isEmpty())
            sink.error(at + u"/name"_s, u"missing: every prompt needs a name"_s);
        else if (!isIdentifier(p.name, 64))
            sink.error(at + u"/name"_s, u"%1 is not a valid prompt name: use letters, digits, "
                                        "\"_\", \".\" or \"-\""_s.arg(quoted(p.name)));
        else if (names.contains(p.name))
            sink.error(at + u"/name"_s,
                       u"%1 is used by another prompt; names must be unique"_s.arg(quoted(p.name)));
        names.insert(p.name);
        if (p.description.trimmed().isEmpty())
            sink.warning(at + u"/description"_s,
                         u"no description: clients show it when people pick a prompt"_s);

        QSet<QString> args;
        for (qsizetype j = 0; j < p.arguments.size(); ++j) {
            const PromptArgument &a = p.arguments.at(j);
            const QString ap = childPointer(at + u"/arguments"_s, j) + u"/name"_s;
            if (a.name.isEmpty())
                sink.error(ap, u"missing: every argument needs a name"_s);
            else if (args.contains(a.name))
                sink.error(ap,
                           u"%1 is used by another argument of this prompt"_s.arg(quoted(a.name)));
            args.insert(a.name);
        }
        if (p.messages.isEmpty())
            sink.error(at + u"/messages"_s, u"a prompt needs at least one message"_s);
        for (qsizetype j = 0; j < p.messages.size(); ++j) {
            const PromptMessage &m = p.messages.at(j);
            const QString mp = childPointer(at + u"/messages"_s, j);
            if (m.role != u"user" && m.role != u"assistant")
                sink.error(
                    mp + u"/role"_s,
                    u"%1 is not a role; use \"user\" or \"assistant\""_s.arg(quoted(m.role)));
            static const QStringList types = {u"text"_s, u"resource"_s, u"image"_s};
            if (!types.contains(m.type))
                sink.error(mp + u"/type"_s, u"%1 is not a message type; use one of %2"_s.arg(
                                                quoted(m.type), listOf(types)));
            else if (m.type == u"text" && m.text.isEmpty())
                sink.error(mp + u"/text"_s, u"missing: a text message needs its text"_s);
            else if (m.type != u"text" && m.uri.isEmpty())
                sink.error(mp + u"/uri"_s,
                           u"missing: a %1 message needs the uri of the resource to include"_s.arg(
                               m.type));
            const std::pair<QString, const QString *> fields[]
                = {{u"text"_s, &m.text}, {u"uri"_s, &m.uri}};
            for (const auto &[key, value] : fields) {
                for (auto it = placeholder.globalMatch(*value); it.hasNext();) {
                    const QString name = it.next().captured(1);
                    if (!args.contains(name))
                        sink.error(mp + u'/' + key,
                                   u"{%1} is not an argument of this prompt; declare it under "
                                   "\"arguments\" or remove the placeholder"_s.arg(name));
                }
            }
        }
    }
}

} // namespace

void checkDocument(const BridgeDocument &document, ProblemSink &sink)
{
    checkServer(document, sink);
    checkUpstream(document, sink);
    checkResilience(document, sink);
    QSet<QString> toolNames;
    for (qsizetype i = 0; i < document.tools.size(); ++i) {
        const Tool &t = document.tools.at(i);
        const QString at = childPointer(u"/tools"_s, i);
        checkTool(t, at, sink);
        if (!t.name.isEmpty() && toolNames.contains(t.name))
            sink.error(
                at + u"/name"_s,
                u"%1 is used by another tool; tool names must be unique"_s.arg(quoted(t.name)));
        toolNames.insert(t.name);
    }
    checkResources(document, sink);
    checkPrompts(document, sink);
}

} // namespace mcpbridge::bridge::detail
