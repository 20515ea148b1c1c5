#include "core/upstream/errorhints.h"

#include "core/secrets/envsecretstore.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace mcpbridge::upstream::hints {

namespace {

QString withApiMessage(const QString &lead, const QString &apiMessage, const QString &tail)
{
    if (apiMessage.trimmed().isEmpty())
        return lead + u". "_s + tail;
    QString message = apiMessage.trimmed();
    if (!message.endsWith(u'.') && !message.endsWith(u'!') && !message.endsWith(u'?'))
        message += u'.';
    return lead + u": "_s + message + u' ' + tail;
}

} // namespace

QString formatSize(qint64 bytes)
{
    if (bytes < 1024)
        return bytes == 1 ? u"1 byte"_s : u"%1 bytes"_s.arg(bytes);
    auto scaled = [](double value, const QString &unit) -> QString {
        const bool whole = value >= 100 || qFuzzyCompare(value, double(qint64(value)));
        return QString::number(value, 'f', whole ? 0 : 1) + u' ' + unit;
    };
    if (bytes < 1024 * 1024) {
        const double kb = std::round(bytes / 1024.0 * 10) / 10;
        return scaled(kb, u"KB"_s);
    }
    if (bytes < 1024LL * 1024 * 1024) {
        const double mb = std::round(bytes / (1024.0 * 1024) * 10) / 10;
        return scaled(mb, u"MB"_s);
    }
    return scaled(std::round(bytes / (1024.0 * 1024 * 1024) * 10) / 10, u"GB"_s);
}

QString badRequest(const QString &apiMessage)
{
    return withApiMessage(u"The API rejected the request"_s, apiMessage,
                          u"Check the arguments and try again."_s);
}

QString credentialsRejected(int status, const QString &secretName)
{
    if (secretName.isEmpty()) {
        return u"The API refused access (HTTP %1). It may need credentials: set up authentication "
               "for this bridge in the studio."_s.arg(status);
    }
    return u"The API rejected the credentials (HTTP %1). Check the secret \"%2\": store the right "
           "value in the keychain with the studio, or set the environment variable %3."_s
               .arg(status)
               .arg(secretName, secrets::EnvSecretStore::variableName(secretName));
}

QString notFound(const QString &listTool)
{
    if (listTool.isEmpty())
        return u"The API found nothing at this address. Check the ids and other path arguments."_s;
    return u"The API found nothing at this address. Use the tool \"%1\" to find valid ids, then "
           "try again."_s.arg(listTool);
}

QString conflict(const QString &apiMessage)
{
    return withApiMessage(u"The API reports a conflict with the current state"_s, apiMessage,
                          u"Read the current state first (the item may already exist or have "
                          "changed), then try again."_s);
}

QString unprocessable(const QString &apiMessage)
{
    return withApiMessage(u"The API could not process the arguments"_s, apiMessage,
                          u"Check the argument values against the tool's description."_s);
}

QString rateLimited(int retryAfterSeconds)
{
    if (retryAfterSeconds < 0)
        return u"The API is limiting how often it may be called. Wait a little before retrying."_s;
    return u"The API is limiting how often it may be called. Retry after %1 s."_s.arg(
        retryAfterSeconds);
}

QString serverFailed(int status, int retryAfterSeconds)
{
    QString text = u"The API failed on its side (HTTP %1); this is not caused by the arguments. "
                   "Try again later."_s.arg(status);
    if (retryAfterSeconds >= 0)
        text += u" The API suggests retrying after %1 s."_s.arg(retryAfterSeconds);
    return text;
}

QString otherStatus(int status)
{
    return u"The API did not accept the request (HTTP %1). Check the arguments."_s.arg(status);
}

QString forStatus(int status, const QString &apiMessage, const QString &secretName,
                  const QString &listTool, int retryAfterSeconds)
{
    switch (status) {
    case 400: return badRequest(apiMessage);
    case 401:
    case 403: return credentialsRejected(status, secretName);
    case 404: return notFound(listTool);
    case 409: return conflict(apiMessage);
    case 422: return unprocessable(apiMessage);
    case 429: return rateLimited(retryAfterSeconds);
    default: break;
    }
    if (status >= 500)
        return serverFailed(status, retryAfterSeconds);
    return otherStatus(status);
}

QString connectionRefused(const QString &baseUrl)
{
    return u"The API at %1 is not reachable (connection refused). Is it running?"_s.arg(baseUrl);
}

QString hostNotFound(const QString &host, const QString &baseUrl)
{
    return u"The API host \"%1\" was not found. Check the base URL %2 and the network "
           "connection."_s.arg(host, baseUrl);
}

QString tlsFailed(const QString &baseUrl, const QString &detail)
{
    return u"A secure (TLS) connection to the API at %1 could not be made: %2. Check the base URL "
           "and the API's certificate."_s.arg(baseUrl, detail);
}

QString timedOut(const QString &baseUrl, int seconds)
{
    return u"The API at %1 did not answer within %2 s. Try again later, or ask for less "
           "(the bridge's timeout is upstream.timeoutMs)."_s.arg(baseUrl)
               .arg(seconds);
}

QString connectionClosed(const QString &baseUrl)
{
    return u"The API at %1 closed the connection without a complete answer. Try again later."_s.arg(
        baseUrl);
}

QString connectionClosedNoClientCertificate(const QString &baseUrl)
{
    return connectionClosed(baseUrl)
           + u" If the API requires a client certificate (mutual TLS), set "
             "upstream.tls.clientCertificate and upstream.tls.clientKey."_s;
}

QString networkFailed(const QString &baseUrl, const QString &detail)
{
    return u"The call to the API at %1 failed: %2."_s.arg(baseUrl, detail);
}

QString tooLarge(qint64 limitBytes)
{
    return u"The API's answer is larger than %1, too large to pass on. Ask for fewer results, "
           "e.g. with a limit or filter argument."_s.arg(formatSize(limitBytes));
}

QString redirectRefused(const QString &target)
{
    return u"The API redirected the call to %1, outside the bridge's base URL; the bridge does "
           "not follow it."_s.arg(target);
}

QString connectTimedOut(const QString &baseUrl, int seconds)
{
    return u"The API at %1 could not be connected to within %2 s. Check the base URL and the "
           "network (a firewall or VPN may block it), or raise connectTimeoutMs."_s.arg(baseUrl)
               .arg(seconds);
}

QString tokenFailed(const QString &tokenUrl, const QString &secretName, const QString &detail)
{
    return u"The bridge could not get an OAuth 2 access token from %1: %2. Check the client id "
           "and the client secret \"%3\" (store it in the keychain with `mcpbridge secret set`, "
           "or set the environment variable %4), and the scopes."_s.arg(
               tokenUrl, detail, secretName, secrets::EnvSecretStore::variableName(secretName));
}

QString tlsFileProblem(const QString &what, const QString &path, const QString &detail)
{
    return u"The %1 file \"%2\" set in upstream.tls could not be used: %3."_s.arg(what, path,
                                                                                  detail);
}

QString insecureTlsWarning(const QString &baseUrl)
{
    return u"TLS certificate verification is OFF for %1 (upstream.tls.insecureSkipVerify): this "
           "call can be read and changed by anyone on the network path."_s.arg(baseUrl);
}

QString retrying(qint64 delayMs, int nextAttempt, int maxAttempts, const QString &reason)
{
    return u"Retrying in %1 ms (attempt %2 of %3) after %4."_s.arg(delayMs)
        .arg(nextAttempt)
        .arg(maxAttempts)
        .arg(reason);
}

QString statusLine(int status, const QString &reason, const QString &method, const QString &path)
{
    const QString statusText
        = reason.isEmpty() ? QString::number(status) : QString::number(status) + u' ' + reason;
    return u"The API answered %1 to %2 %3."_s.arg(statusText, method, path);
}

QString bodyExcerptHeading()
{
    return u"The API's answer (excerpt):"_s;
}

QString truncated(qint64 shownBytes, qint64 totalBytes)
{
    if (totalBytes < 0) {
        return u"[Response truncated: the first %1 shown; the API sent more. Ask for fewer "
               "results, e.g. with a limit or filter argument.]"_s.arg(formatSize(shownBytes));
    }
    return u"[Response truncated: %1 of %2 shown. Ask for fewer results, e.g. with a limit or "
           "filter argument.]"_s.arg(formatSize(shownBytes), formatSize(totalBytes));
}

QString emptyList()
{
    return u"The API returned an empty list (no items matched)."_s;
}

QString emptyBody(int status, const QString &reason)
{
    return u"The API answered %1 %2 with no content."_s.arg(status).arg(reason).simplified();
}

QString itemsCapped(qint64 shown, qint64 total)
{
    return u"[Showing the first %1 of %2 items.]"_s.arg(shown).arg(total);
}

QString notJson(const QString &contentType, const QString &parseError)
{
    return u"[The API said this is JSON (%1) but it is not valid JSON (%2); shown as text.]"_s.arg(
        contentType, parseError);
}

QString binaryTooLarge(const QString &mimeType, qint64 bytes, qint64 limitBytes)
{
    return u"The API returned %1 of %2, more than the %3 this tool passes on; it was left out."_s
        .arg(formatSize(bytes), mimeType, formatSize(limitBytes));
}

QString outputSchemaMismatch(const QString &actualType)
{
    return u"The API answered with a JSON %1, but this tool's output schema describes an object. "
           "Fix the tool's output schema in the bridge (for example wrap the value as "
           "{\"result\": ...} in the schema's properties), or remove it."_s.arg(actualType);
}

} // namespace mcpbridge::upstream::hints
