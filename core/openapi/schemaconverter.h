#pragma once

// Converts OpenAPI/Swagger schemas into plain, self-contained JSON Schema for a tool's
// inputSchema: `$ref`s inlined (cycles cut after one level with a note in the description),
// `allOf` merged, `oneOf`/`anyOf` kept, `nullable` mapped to type arrays, OpenAPI-only keywords
// dropped, read-only properties left out. Used by the operation mapper.

#include "core/openapi/specresolver.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>

namespace mcpbridge::openapi {

class SchemaConverter
{
public:
    enum class Dialect { Swagger2, OpenApi30, OpenApi31 };

    SchemaConverter(const SpecResolver &resolver, Dialect dialect);

    // Nesting deeper than this (objects/arrays inside each other) is summarised, not expanded.
    void setMaxDepth(int depth) { m_maxDepth = depth; }

    // Converts the schema found at `value` (a schema object, a $ref, or a boolean schema).
    QJsonObject convert(const SpecResolver::Located &value);

    // Problems met since the last call (unresolvable refs ...), as sentences; then cleared.
    QStringList takeProblems();

    // Merges schema `b` into `a` as allOf does: properties and required united, type sets
    // intersected, other keywords of `a` kept. Exposed for tests.
    static QJsonObject mergeAllOf(QJsonObject a, const QJsonObject &b);

    // Removes description, title and examples from subschemas nested `depth` or more levels
    // below `schema` (0: `schema` itself too). Shrinks very large schemas; keeps their meaning.
    static void stripAnnotations(QJsonObject &schema, int depth);

private:
    QJsonObject convertNode(const QJsonValue &value, int doc, int depth);
    QJsonObject convertRef(const QJsonObject &o, int doc, int depth);
    QJsonObject convertOwn(const QJsonObject &o, int doc, int depth);
    QJsonObject cutCycle(const QString &ref, int doc) const;
    bool isUsablePattern(const QString &pattern);

    const SpecResolver &m_resolver;
    Dialect m_dialect;
    int m_maxDepth = 12;
    QStringList m_stack;                 // canonical refs being expanded
    QHash<QString, QJsonObject> m_cache; // ref -> conversion that did not depend on the stack
    bool m_tainted = false;              // the current conversion cut a cycle or hit the depth cap
    QStringList m_problems;
    QHash<QString, bool> m_patterns; // pattern -> compiles with std::regex
};

} // namespace mcpbridge::openapi
