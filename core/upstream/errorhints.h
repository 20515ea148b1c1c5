#pragma once

// Every sentence the upstream layer says to a model or a person about a failed or cut API call,
// in one place, so the texts stay consistent and tests can assert them exactly. Used by
// RequestBuilder, ResponseShaper and RestInvoker.

#include <QString>

namespace mcpbridge::upstream::hints {

// "512 bytes", "3.1 KB", "100 KB", "2.3 MB".
QString formatSize(qint64 bytes);

// -- HTTP status hints (the "Hint:" line of an isError result) --------------------------------
// 400. `apiMessage` is what the API said (may be empty).
QString badRequest(const QString &apiMessage);
// 401 and 403. `secretName` empty when the bridge sends no credentials.
QString credentialsRejected(int status, const QString &secretName);
// 404. `listTool` is a GET tool that lists what this one addresses, or empty.
QString notFound(const QString &listTool);
QString conflict(const QString &apiMessage);             // 409
QString unprocessable(const QString &apiMessage);        // 422
QString rateLimited(int retryAfterSeconds);              // 429; -1 when the API gave no Retry-After
QString serverFailed(int status, int retryAfterSeconds); // 5xx
QString otherStatus(int status);                         // any other status >= 400
// The hint for `status`, choosing among the above.
QString forStatus(int status, const QString &apiMessage, const QString &secretName,
                  const QString &listTool, int retryAfterSeconds);

// -- failures without an HTTP answer ----------------------------------------------------------
QString connectionRefused(const QString &baseUrl);
QString hostNotFound(const QString &host, const QString &baseUrl);
QString tlsFailed(const QString &baseUrl, const QString &detail);
QString timedOut(const QString &baseUrl, int seconds);
QString connectionClosed(const QString &baseUrl);
// The same for an https API called without a client certificate: with TLS 1.3 a server that
// requires one closes the connection after the handshake, which looks just like this.
QString connectionClosedNoClientCertificate(const QString &baseUrl);
QString networkFailed(const QString &baseUrl, const QString &detail);
QString tooLarge(qint64 limitBytes);
QString redirectRefused(const QString &target);
// The connection (TCP and TLS handshake) was not open within `seconds`.
QString connectTimedOut(const QString &baseUrl, int seconds);
// OAuth 2: no access token from `tokenUrl`; `detail` says why ("it answered HTTP 401, ...").
QString tokenFailed(const QString &tokenUrl, const QString &secretName, const QString &detail);
// A TLS file of upstream.tls could not be used (`what`: "CA bundle", ...).
QString tlsFileProblem(const QString &what, const QString &path, const QString &detail);
// Logged at warning level for every call of a bridge with tls.insecureSkipVerify.
QString insecureTlsWarning(const QString &baseUrl);
// Logged before a retry: "Retrying in 250 ms (attempt 2 of 3) after 503 Service Unavailable."
QString retrying(qint64 delayMs, int nextAttempt, int maxAttempts, const QString &reason);

// -- the shape of the result ------------------------------------------------------------------
// First line of an HTTP error result: "The API answered 404 Not Found to GET /recipes/42."
QString statusLine(int status, const QString &reason, const QString &method, const QString &path);
QString bodyExcerptHeading(); // "The API's answer (excerpt):"

// -- notes added to successful content -------------------------------------------------------
// "[Response truncated: 100 KB of 2.3 MB shown. Ask for fewer results, e.g. with a limit or
// filter argument.]"; `totalBytes` < 0 when the API did not say how much it had.
QString truncated(qint64 shownBytes, qint64 totalBytes);
QString emptyList(); // "The API returned an empty list (no items matched)."
QString emptyBody(int status, const QString &reason);
QString itemsCapped(qint64 shown, qint64 total);
QString notJson(const QString &contentType, const QString &parseError);
QString binaryTooLarge(const QString &mimeType, qint64 bytes, qint64 limitBytes);
QString outputSchemaMismatch(const QString &actualType);

} // namespace mcpbridge::upstream::hints
