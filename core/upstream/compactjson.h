#pragma once

// Checks that bytes are one JSON value (RFC 8259, UTF-8) and drops the whitespace between its
// tokens in the same pass, keeping everything else as the API wrote it: key order, number
// spelling, escapes. How ResponseShaper passes JSON answers on to the model without a parse and
// re-serialisation when nothing in them is reshaped. Tested by tst_compactjson.

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>

#include <optional>

namespace mcpbridge::upstream {

struct CompactJson
{
    QByteArray text;                          // the value without insignificant whitespace
    QJsonValue::Type type = QJsonValue::Null; // of the top-level value
    qsizetype count = 0;                      // items of a top-level array, keys of an object
};

// Nesting deeper than this is refused (QJsonDocument stops at the same depth).
inline constexpr int CompactJsonMaxDepth = 1024;

// The compacted value, or nothing when `json` is not exactly one valid JSON value (surrounding
// whitespace allowed).
std::optional<CompactJson> compactJson(QByteArrayView json);

} // namespace mcpbridge::upstream
