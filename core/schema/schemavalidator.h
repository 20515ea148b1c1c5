#pragma once

// Validates JSON values against JSON Schemas (valijson behind this one wrapper, in one
// translation unit). Used by McpServer for tool arguments and output schemas, and by the
// document checker to reject schemas that are not schemas.

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <expected>
#include <memory>

namespace mcpbridge::schema {

struct Problem
{
    QString pointer; // JSON pointer into the validated value ("" is the root)
    QString message; // e.g. "must be one of \"a\", \"b\"" or "missing required property \"id\""

    // "/servings: must be at least 1"; the root is shown as "/".
    QString toString() const;
};

// A compiled schema. Compiling is the expensive part: keep one per tool.
class CompiledSchema
{
public:
    CompiledSchema();
    ~CompiledSchema();
    CompiledSchema(CompiledSchema &&) noexcept;
    CompiledSchema &operator=(CompiledSchema &&) noexcept;

    // Fails with a readable message when `schema` is not a usable JSON Schema.
    static std::expected<CompiledSchema, QString> compile(const QJsonObject &schema);

    // Every problem found (empty: valid).
    QList<Problem> validate(const QJsonValue &instance) const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace mcpbridge::schema
