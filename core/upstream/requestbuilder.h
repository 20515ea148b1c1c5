#pragma once

// Turns a tool call's arguments into the exact HTTP request for the upstream API: path variables
// percent-encoded so no argument can change the host or leave the base path, query/header/body
// placement, default headers with ${secret:NAME}, and auth. Pure functions (no network, no
// store): RestInvoker reads the secrets first and hands them in. Tested by tst_requestbuilder.

#include "core/bridge/bridgedocument.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <utility>

namespace mcpbridge::upstream {

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

struct HttpRequestSpec
{
    QByteArray method;            // "GET", "POST" ...
    QUrl url;                     // final; verified to stay under the base URL
    HeaderList headers;           // in sending order, auth included
    QByteArray body;              // empty: no body
    QStringList secretValues;     // every secret value placed in the request (for redaction)
    QStringList secretQueryNames; // query items whose values are credentials (apiKey in query)

    QByteArray header(QByteArrayView name) const;
};

class RequestBuilder
{
public:
    // The largest request body the bridge sends: a model that tries to send more gets a clear
    // refusal instead of flooding the API.
    static constexpr qsizetype MaxRequestBodyBytes = 1024 * 1024;

    // The secret names a call needs: the auth secret and every ${secret:NAME} in the upstream's
    // default headers. Read them from the SecretStore and pass them to build().
    static QStringList secretsNeeded(const bridge::Upstream &upstream);

    // The request for `tool` with already validated `arguments`. Fails with a message that
    // names the argument or setting at fault (hostile path value, CR/LF in a header ...).
    static Result<HttpRequestSpec> build(const bridge::BridgeDocument &document,
                                         const bridge::Tool &tool, const QJsonObject &arguments,
                                         const QHash<QString, QString> &secrets);

    // What a call would send, for a person to confirm before it runs (confirmDestructive):
    // "DELETE https://api.example.com/v1/items/42?force=true" and, when there is one, the body
    // (at most `maxBodyChars` characters). No credentials: auth and default headers are left
    // out. Fails like build() when the arguments cannot make a request.
    static Result<QString> describeCall(const bridge::BridgeDocument &document,
                                        const bridge::Tool &tool, const QJsonObject &arguments,
                                        qsizetype maxBodyChars = 2000);

    // A GET of `encodedPath` (already percent-encoded, may carry "?query") under the base URL,
    // with default headers and auth: how resources are read.
    static Result<HttpRequestSpec> buildGet(const bridge::BridgeDocument &document,
                                            const QString &encodedPath,
                                            const QHash<QString, QString> &secrets);

    // One path variable's value, percent-encoded (everything outside the unreserved characters
    // A-Z a-z 0-9 - . _ ~). Refuses "." and ".." and anything that decodes to a ".." step.
    static Result<QString> encodePathValue(const QString &argument, const QString &value);

    // The base URL, checked: absolute http(s) with a host.
    static Result<QUrl> parseBaseUrl(const QString &baseUrl);
    // Joins an encoded path (and optional "?query") to the base and checks the result stays
    // under it: same scheme, host and port, path inside the base path, no dot segments.
    static Result<QUrl> resolveUnderBase(const QUrl &base, const QByteArray &encodedPath,
                                         const QByteArray &encodedQuery);

    // Under this key (never a valid secret name) the secrets passed to build() carry the OAuth 2
    // access token of an oauth2ClientCredentials upstream.
    static inline const QString OAuth2TokenKey = QStringLiteral("oauth2:access_token");

    static QByteArray userAgent();    // "mcpbridge/<version>"
    static QByteArray acceptHeader(); // "application/json, */*;q=0.8"
};

} // namespace mcpbridge::upstream
