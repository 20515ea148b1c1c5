#include "core/exporters/clientconfig.h"

#include "core/util/jsontext.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace mcpbridge::exporters {

QString clientId(Client client)
{
    switch (client) {
    case Client::ClaudeDesktop: return u"claude-desktop"_s;
    case Client::Cursor: return u"cursor"_s;
    case Client::VsCode: return u"vscode"_s;
    case Client::ClaudeCode: return u"claude-code"_s;
    }
    return {};
}

QString clientDisplayName(Client client)
{
    switch (client) {
    case Client::ClaudeDesktop: return u"Claude Desktop"_s;
    case Client::Cursor: return u"Cursor"_s;
    case Client::VsCode: return u"VS Code"_s;
    case Client::ClaudeCode: return u"Claude Code"_s;
    }
    return {};
}

QList<Client> allClients()
{
    return {Client::ClaudeDesktop, Client::Cursor, Client::VsCode, Client::ClaudeCode};
}

std::optional<Client> clientFromId(QStringView id)
{
    for (Client c : allClients()) {
        if (clientId(c).compare(id, Qt::CaseInsensitive) == 0)
            return c;
    }
    return std::nullopt;
}

QStringList serveArguments(const LaunchSpec &spec)
{
    QStringList args{u"serve"_s, u"--stdio"_s, u"--config"_s, spec.configPath};
    if (!spec.baseUrl.isEmpty())
        args << u"--base-url"_s << spec.baseUrl;
    return args;
}

// The member that holds the servers: VS Code uses "servers", the others "mcpServers".
static QString serversKey(Client client)
{
    return client == Client::VsCode ? u"servers"_s : u"mcpServers"_s;
}

QJsonObject serverEntry(Client client, const LaunchSpec &spec)
{
    // Claude Desktop only starts local stdio servers; a loopback URL is unreachable for its
    // cloud-run remote connectors, so it always gets the stdio entry.
    const bool http = !spec.httpUrl.isEmpty() && client != Client::ClaudeDesktop;
    QJsonObject entry;
    if (http) {
        if (client != Client::Cursor)
            entry.insert(u"type"_s, u"http"_s);
        entry.insert(u"url"_s, spec.httpUrl);
        return entry;
    }
    if (client == Client::VsCode || client == Client::ClaudeCode)
        entry.insert(u"type"_s, u"stdio"_s);
    entry.insert(u"command"_s, spec.command);
    entry.insert(u"args"_s, QJsonArray::fromStringList(serveArguments(spec)));
    return entry;
}

QByteArray configFile(Client client, const LaunchSpec &spec)
{
    QJsonObject servers{{spec.serverName, serverEntry(client, spec)}};
    return json::pretty(QJsonObject{{serversKey(client), servers}});
}

Result<QByteArray> mergeInto(Client client, const QByteArray &existing, const LaunchSpec &spec)
{
    QJsonObject root;
    if (!existing.trimmed().isEmpty()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(existing, &error);
        if (error.error != QJsonParseError::NoError) {
            const json::TextPosition pos = json::positionOf(existing, error.offset);
            return fail(u"the existing %1 config is not valid JSON (%2); fix or move it first, "
                        "nothing was changed"_s.arg(clientDisplayName(client), error.errorString()),
                        u"line %1, column %2"_s.arg(pos.line).arg(pos.column));
        }
        if (!doc.isObject())
            return fail(u"the existing %1 config is not a JSON object; nothing was changed"_s.arg(
                clientDisplayName(client)));
        root = doc.object();
    }
    const QString key = serversKey(client);
    if (root.contains(key) && !root.value(key).isObject())
        return fail(u"\"%1\" in the existing %2 config is not an object; nothing was changed"_s.arg(
                        key, clientDisplayName(client)),
                    u"/"_s + key);
    QJsonObject servers = root.value(key).toObject();
    servers.insert(spec.serverName, serverEntry(client, spec));
    root.insert(key, servers);
    return json::pretty(root);
}

QString defaultConfigPath(Client client)
{
    switch (client) {
    case Client::ClaudeDesktop: {
#if defined(Q_OS_MACOS)
        return QDir::homePath()
               + u"/Library/Application Support/Claude/claude_desktop_config.json"_s;
#elif defined(Q_OS_WIN)
        return QString::fromLocal8Bit(qgetenv("APPDATA")) + u"/Claude/claude_desktop_config.json"_s;
#else
        return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
               + u"/Claude/claude_desktop_config.json"_s;
#endif
    }
    case Client::Cursor: return QDir::homePath() + u"/.cursor/mcp.json"_s;
    case Client::VsCode: return u".vscode/mcp.json"_s;
    case Client::ClaudeCode: return u".mcp.json"_s;
    }
    return {};
}

static QString shellQuote(const QString &arg)
{
    static const QRegularExpression safe(u"^[A-Za-z0-9_@%+=:,./-]+$"_s);
    if (!arg.isEmpty() && safe.match(arg).hasMatch())
        return arg;
    QString quoted = arg;
    quoted.replace(u"'"_s, u"'\\''"_s);
    return u"'"_s + quoted + u"'"_s;
}

QString claudeCodeCommand(const LaunchSpec &spec)
{
    QStringList words{u"claude"_s, u"mcp"_s, u"add"_s};
    if (!spec.httpUrl.isEmpty()) {
        words << u"--transport"_s << u"http"_s << spec.serverName << spec.httpUrl;
    } else {
        words << spec.serverName << u"--"_s << spec.command;
        words << serveArguments(spec);
    }
    QStringList quoted;
    for (const QString &w : std::as_const(words))
        quoted << shellQuote(w);
    return quoted.join(u' ');
}

QString lineDiff(const QByteArray &before, const QByteArray &after)
{
    // A longest-common-subsequence diff over lines: config files are small.
    const QList<QByteArray> a = before.split('\n');
    const QList<QByteArray> b = after.split('\n');
    const qsizetype n = a.size(), m = b.size();
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (qsizetype i = n - 1; i >= 0; --i)
        for (qsizetype j = m - 1; j >= 0; --j)
            lcs[i][j]
                = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    QString out;
    qsizetype i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            ++i, ++j;
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
            out += u"- "_s + QString::fromUtf8(a[i++]) + u'\n';
        } else {
            out += u"+ "_s + QString::fromUtf8(b[j++]) + u'\n';
        }
    }
    return out;
}

} // namespace mcpbridge::exporters
