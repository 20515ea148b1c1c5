#pragma once

// Module-private: turns the validator engine's terse findings into the plain-English problems
// McpServer sends back to a model ("/servings: must be at least 1"). Used by schemavalidator.cpp.

#include "core/schema/schemavalidator.h"

#include <QStringList>

namespace mcpbridge::schema::detail {

struct RawError
{
    QStringList tokens;  // instance location, unescaped JSON pointer tokens
    QString description; // the engine's text
};

// `schema` is the normalized schema the engine validated against.
QList<Problem> describe(const QJsonObject &schema, const QJsonValue &instance,
                        const QList<RawError> &errors);

} // namespace mcpbridge::schema::detail
