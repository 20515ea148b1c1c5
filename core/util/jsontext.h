#pragma once

// Small JSON text helpers shared by the layers that read or show JSON: turning a byte offset
// into line:column for error messages, JSON pointer escaping, and compact/pretty output.

#include <QByteArray>
#include <QJsonValue>
#include <QString>

namespace mcpbridge::json {

struct TextPosition
{
    int line = 1;   // 1-based
    int column = 1; // 1-based, in UTF-8 bytes as editors count for ASCII
};

// The line and column of byte `offset` in `text`.
TextPosition positionOf(const QByteArray &text, qsizetype offset);

// Escapes one reference token per RFC 6901 ("~" -> "~0", "/" -> "~1").
QString escapePointerToken(const QString &token);
// "/tools/3/name" from {"tools", 3, "name"} style parts already escaped or numeric.
QString pointer(std::initializer_list<QString> tokens);

// Compact single-line JSON for the wire (no trailing newline), byte for byte what
// QJsonDocument::Compact writes (keys in QJsonObject's order), without building a document.
QByteArray compact(const QJsonValue &value);
// The same, appended to `out`.
void appendCompact(QByteArray &out, const QJsonValue &value);
// A JSON string literal for `text`, as appendCompact writes it.
void appendCompactString(QByteArray &out, QStringView text);
// The same for text already in UTF-8, which must be valid (QByteArray::isValidUtf8): the same
// bytes appendCompactString writes for that text, without decoding it to UTF-16 first.
void appendCompactUtf8String(QByteArray &out, QByteArrayView utf8);
// Human-readable JSON with 2-space indentation (QJsonDocument only does 4).
QByteArray pretty(const QJsonValue &value);

} // namespace mcpbridge::json
