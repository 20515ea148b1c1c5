#pragma once

// Internal to RequestBuilder: header checks, the request parts that come from the document
// rather than the arguments (default headers, auth; requestauth.cpp), and argument values as
// text and as a body (requestbody.cpp). The URL side is in requesturl.h.

#include "core/upstream/requestbuilder.h"

namespace mcpbridge::upstream::detail {

bool isTokenChar(char c);
bool isHeaderName(const QByteArray &name);
// CR, LF and NUL would end the header (request smuggling); other controls are refused too.
bool hasForbiddenHeaderChar(const QString &value);
void setHeader(HeaderList &headers, const QByteArray &name, const QByteArray &value);
QString substituteSecrets(const QString &text, const QHash<QString, QString> &secrets,
                          QStringList *used, QString *missing);
// Default headers and auth, shared by tool calls and resource reads.
Result<void> addCommonParts(const bridge::BridgeDocument &document,
                            const QHash<QString, QString> &secrets, HttpRequestSpec &spec,
                            QList<std::pair<QByteArray, QByteArray>> &queryItems);

// Text of a scalar argument as it goes on the wire ("true", "42", "2.5"; arrays and objects as
// compact JSON).
QString scalarText(const QJsonValue &value);
// Arrays in a path or header become comma-separated (OpenAPI "simple" style).
QString simpleText(const QJsonValue &value);
// The body in the tool's media type (set by the OpenAPI importer; empty means JSON) and its
// Content-Type. Form and multipart bodies carry text fields; nested values go as JSON text.
// `wholeBody`, when not undefined, is a parameter that is the entire body.
Result<std::pair<QByteArray, QByteArray>> encodeBody(const bridge::Tool &tool,
                                                     const QJsonObject &fields,
                                                     const QJsonValue &wholeBody);

} // namespace mcpbridge::upstream::detail
