#pragma once

// Internal to the bridge module: helpers shared by the document checks, which are split by what
// they check (documentvalidator.cpp: server, upstream, resources, prompts; toolvalidator.cpp:
// tools). Not for use outside core/bridge.

#include "core/bridge/documentparts.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace mcpbridge::bridge::detail {

const QStringList &knownMethods();
QString quoted(const QString &s);
QString listOf(const QStringList &items);
bool isIdentifier(const QString &s, int maxLength = 0);
// Braces that pair up and variables with plain names; "" when fine, else what is wrong.
QString templateProblem(const QString &text);
bool looksLikeSecretValue(const QString &s);
bool isHttpUrl(const QString &text, QString *why);
void checkSchema(ProblemSink &sink, const QString &pointer, const QJsonObject &schema);

// Every check of one tool at `at` ("/tools/3"); uniqueness across tools is checked by the caller.
void checkTool(const Tool &t, const QString &at, ProblemSink &sink);

} // namespace mcpbridge::bridge::detail
