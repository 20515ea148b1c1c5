#pragma once

// Client configuration for the MCP clients people use with a bridge: Claude Desktop, Cursor,
// VS Code and Claude Code. Used by `mcpbridge export` and the studio's export dialog. An export
// never contains a secret value: the exported command reads secrets from the keychain at run time.

#include "core/util/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace mcpbridge::exporters {

enum class Client { ClaudeDesktop, Cursor, VsCode, ClaudeCode };

// "claude-desktop", "cursor", "vscode", "claude-code".
QString clientId(Client client);
QString clientDisplayName(Client client);
std::optional<Client> clientFromId(QStringView id);
QList<Client> allClients();

// How the client reaches the bridge.
struct LaunchSpec
{
    QString serverName; // the key in the client's config, e.g. "pantry"
    QString command;    // absolute path of the mcpbridge program
    QString configPath; // absolute path of the bridge document
    QString baseUrl;    // optional --base-url override
    QString httpUrl;    // set: connect to a running bridge over HTTP instead of starting one
                        // (not possible for Claude Desktop, which only starts stdio servers)
};

// The program arguments of the stdio entry: serve --stdio --config FILE [--base-url URL].
QStringList serveArguments(const LaunchSpec &spec);

// The entry for this one server, as it goes under the client's servers key.
QJsonObject serverEntry(Client client, const LaunchSpec &spec);

// The whole config file for a client that has only this server, 2-space indented.
QByteArray configFile(Client client, const LaunchSpec &spec);

// `existing` (the client's current config file, may be empty) with this server added or
// replaced; every other member is kept. Fails, naming the problem, when `existing` is not a JSON
// object or its servers member is not an object.
Result<QByteArray> mergeInto(Client client, const QByteArray &existing, const LaunchSpec &spec);

// Where the client keeps its config: the platform's claude_desktop_config.json, ~/.cursor/mcp.json,
// .vscode/mcp.json (relative: per project), .mcp.json (relative: per project).
QString defaultConfigPath(Client client);

// The one-line `claude mcp add ...` command for Claude Code, quoted for a POSIX shell.
QString claudeCodeCommand(const LaunchSpec &spec);

// A short unified-style listing of the lines that differ between two texts, for people to review
// before a config file is changed ("- old", "+ new").
QString lineDiff(const QByteArray &before, const QByteArray &after);

} // namespace mcpbridge::exporters
