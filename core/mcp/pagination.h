#pragma once

// Opaque cursors for the MCP list methods (tools/list, resources/list, ...). Internal to
// core/mcp; used by McpServer's list handlers and their tests.

#include <QJsonArray>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace mcpbridge::mcp {

struct Page
{
    qsizetype begin = 0;
    qsizetype end = 0;  // one past the last entry of this page
    QString nextCursor; // empty: this is the last page
};

// The cursor a client sends back to get the entries from `offset` on.
QString encodeCursor(qsizetype offset);
// nullopt when `cursor` is not one this server handed out.
std::optional<qsizetype> decodeCursor(const QString &cursor);

// Which entries of a list of `total` the client gets for `cursor` (absent: the first page).
// nullopt when the cursor is invalid or points past the end.
std::optional<Page> pageFor(const QJsonValue &cursor, qsizetype total, int pageSize);

} // namespace mcpbridge::mcp
