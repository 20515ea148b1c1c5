#pragma once

// Internal to RequestBuilder: header checks and the request parts that come from the document
// rather than the arguments (default headers, auth). Split out of requestbuilder.cpp for size.

#include "core/upstream/requestbuilder.h"

namespace mcpbridge::upstream::detail {

QByteArray encodeQueryComponent(const QString &value);
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

} // namespace mcpbridge::upstream::detail
