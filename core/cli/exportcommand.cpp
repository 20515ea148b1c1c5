// `mcpbridge export`: the config an MCP client needs to start (or reach) a bridge. Prints it, or
// merges it into the client's config file after showing the change and keeping a backup.

#include "core/cli/commands.h"

#include "core/bridge/documentio.h"
#include "core/exporters/clientconfig.h"
#include "core/exporters/configinstaller.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace mcpbridge::cli {

int runExport(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList clientIds;
    for (exporters::Client c : exporters::allClients())
        clientIds << exporters::clientId(c);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Prints the configuration an MCP client needs to use a bridge. The config starts "
        "`mcpbridge serve --stdio`, which reads the API's secrets from the keychain at run time: "
        "no secret is ever written into it."_s);
    parser.addHelpOption();
    parser.addOption(
        {u"client"_s, u"The MCP client: %1."_s.arg(clientIds.join(u", "_s)), u"client"_s});
    parser.addOption({u"config"_s, u"The bridge document (*.mcpbridge.json)."_s, u"file"_s});
    parser.addOption(
        {u"name"_s, u"The server's name in the client (default: the bridge's name)."_s, u"name"_s});
    parser.addOption({u"base-url"_s,
                      u"Call the API at this URL instead of the document's base URL."_s, u"url"_s});
    parser.addOption({u"command"_s,
                      u"The mcpbridge program the client starts (default: this one)."_s,
                      u"path"_s});
    parser.addOption(
        {u"http-url"_s,
         u"Connect to an already running bridge at this URL instead (not for Claude Desktop)."_s,
         u"url"_s});
    parser.addOption({u"merge-into"_s,
                      u"Add the server to this client config file (a backup is kept). "
                      "Use \"default\" for the client's usual file."_s,
                      u"file"_s});
    parser.addOption(
        {u"claude-command"_s,
         u"With --client claude-code: print the `claude mcp add` command line instead."_s});
    if (!parser.parse(args.mid(1))) {
        err << "mcpbridge export: " << parser.errorText() << "\n";
        return ExitProblems;
    }
    if (parser.isSet(u"help"_s)) {
        out << parser.helpText();
        return ExitOk;
    }

    const auto client = exporters::clientFromId(parser.value(u"client"_s));
    if (!client) {
        err << "mcpbridge export: choose the client with --client " << clientIds.join(u'|')
            << ".\n";
        return ExitProblems;
    }
    if (!parser.isSet(u"config"_s)) {
        err << "mcpbridge export: name the bridge document with --config FILE.\n";
        return ExitProblems;
    }
    const QString configPath = QFileInfo(parser.value(u"config"_s)).absoluteFilePath();
    const bridge::LoadReport report = bridge::loadDocument(configPath);
    if (report.hasErrors()) {
        for (const bridge::Problem &p : report.problems)
            err << p.toString() << "\n";
        err << "mcpbridge export: fix the problems above first (mcpbridge check lists them).\n";
        return ExitProblems;
    }

    exporters::LaunchSpec spec;
    spec.serverName = parser.value(u"name"_s);
    if (spec.serverName.isEmpty())
        spec.serverName = report.document->server.name;
    spec.command = parser.isSet(u"command"_s)
                       ? QFileInfo(parser.value(u"command"_s)).absoluteFilePath()
                       : QCoreApplication::applicationFilePath();
    spec.configPath = configPath;
    spec.baseUrl = parser.value(u"base-url"_s);
    spec.httpUrl = parser.value(u"http-url"_s);
    if (!spec.httpUrl.isEmpty() && *client == exporters::Client::ClaudeDesktop) {
        err << "mcpbridge export: Claude Desktop only starts bridges itself (stdio); "
               "leave out --http-url.\n";
        return ExitProblems;
    }

    if (parser.isSet(u"claude-command"_s)) {
        out << exporters::claudeCodeCommand(spec) << "\n";
        return ExitOk;
    }
    if (!parser.isSet(u"merge-into"_s)) {
        out << exporters::configFile(*client, spec);
        return ExitOk;
    }

    QString target = parser.value(u"merge-into"_s);
    if (target == u"default")
        target = exporters::defaultConfigPath(*client);
    const Result<exporters::InstallPlan> plan = exporters::planInstall(*client, target, spec);
    if (!plan) {
        err << "mcpbridge export: " << plan.error().toString() << "\n";
        return plan.error().code == exporters::InstallUnreadable ? ExitFailure : ExitProblems;
    }
    if (!plan->changes()) {
        out << target << " already has this server; nothing changed.\n";
        return ExitOk;
    }
    const Result<exporters::InstallOutcome> done = exporters::applyInstall(*plan);
    if (!done) {
        err << "mcpbridge export: " << done.error().toString() << "\n";
        return ExitFailure;
    }
    if (!done->backupPath.isEmpty())
        out << "Backup: " << done->backupPath << "\n";
    out << "Updated " << target << ":\n" << plan->diff;
    out << "Restart " << exporters::clientDisplayName(*client) << " to load the bridge.\n";
    return ExitOk;
}

} // namespace mcpbridge::cli
