#pragma once

// Reads the text of an OpenAPI/Swagger document (JSON or YAML) into a QJsonValue, with the file,
// line and column of any syntax error. Used by the importer for the spec and for files that a
// `$ref` points to. The only place that touches yaml-cpp.

#include "core/util/result.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

namespace mcpbridge::openapi {

// Parses JSON (when the text starts with `{` or `[`) or YAML 1.2 (core schema: plain scalars
// become null/bool/number, quoted ones stay strings). `label` names the source in messages.
[[nodiscard]] Result<QJsonValue> parseSpecText(const QByteArray &text, const QString &label);

// Reads and parses a file; a missing, unreadable or over-large file is a clear error.
[[nodiscard]] Result<QJsonValue> loadSpecFile(const QString &path);

// Specs larger than this are refused before parsing (GitHub's full description is ~13 MB).
inline constexpr qint64 MaxSpecBytes = 200LL * 1024 * 1024;

} // namespace mcpbridge::openapi
