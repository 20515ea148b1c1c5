#pragma once

// The RFC 5424 log levels of MCP's logging utility (logging/setLevel, notifications/message).
// Internal to core/mcp: McpServer uses it to decide which log lines a session gets.

#include <QString>
#include <QStringList>

namespace mcpbridge::mcp {

// debug < info < notice < warning < error < critical < alert < emergency.
const QStringList &logLevels();
// The rank of `level` in logLevels(), or -1 when it is not a level.
int logLevelRank(const QString &level);
// Whether a message at `level` goes to a session whose chosen level is `sessionLevel`
// (empty: the client never asked for log messages, so none are sent).
bool logLevelAllows(const QString &sessionLevel, const QString &level);

} // namespace mcpbridge::mcp
