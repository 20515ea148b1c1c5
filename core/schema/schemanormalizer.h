#pragma once

// Module-private: rewrites a JSON Schema of any supported dialect into the draft-7 form the
// validator engine understands, and finds the subschemas that apply at an instance location
// (so messages can name the allowed values). Used only by schemavalidator.cpp/schemamessages.cpp.

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

namespace mcpbridge::schema::detail {

enum class Dialect { Draft3, Draft4, Draft7, Draft2020 };

// From "$schema". MCP (2025-11-25) makes 2020-12 the default, so no "$schema" means 2020-12;
// an unknown URI is treated the same way.
Dialect dialectOf(const QJsonObject &schema);

// Draft 2019-09/2020-12 -> draft 7: prefixItems/items -> items/additionalItems,
// dependentRequired/dependentSchemas -> dependencies, "$ref" with sibling keywords -> allOf.
// For every dialect "format" is dropped: it is an annotation, not an assertion, by default.
// With `withoutPatterns`, "pattern" keywords are dropped too (see schemavalidator.cpp: the
// engine's std::regex recursion overflows the stack on long strings).
QJsonObject normalize(const QJsonObject &schema, Dialect dialect, bool withoutPatterns = false);

// Every subschema (after resolving local "$ref" and entering allOf/anyOf/oneOf/then/else) that
// applies to the instance location `tokens` (JSON pointer tokens, unescaped).
QList<QJsonObject> schemasAt(const QJsonObject &root, const QStringList &tokens);

// Resolves a local reference ("#", "#/$defs/x"); an undefined value when it cannot.
QJsonValue resolveLocalRef(const QJsonObject &root, const QString &ref);

} // namespace mcpbridge::schema::detail
