// mcpbridge: the headless bridge. Picks the sub-command; everything else lives in core/cli.

#include "core/cli/commands.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace mcpbridge;

static void printUsage(FILE *to)
{
    QTextStream out(to);
    out << "Usage: mcpbridge <command> [options]\n\n"
           "Turns a REST API into a local MCP server, described by a *.mcpbridge.json file.\n\n"
           "Commands:\n";
    for (const cli::Command &c : cli::commands())
        out << "  " << c.name.leftJustified(10) << c.summary << '\n';
    out << "\nRun 'mcpbridge <command> --help' for a command's options.\n";
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"mcpbridge"_s);
    QCoreApplication::setOrganizationName(u"McpBridge"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(MCPBRIDGE_VERSION));

    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args.at(1) == u"--help" || args.at(1) == u"-h"
        || args.at(1) == u"help") {
        printUsage(args.size() < 2 ? stderr : stdout);
        return args.size() < 2 ? cli::ExitProblems : cli::ExitOk;
    }
    if (args.at(1) == u"--version") {
        QTextStream(stdout) << "mcpbridge " << QCoreApplication::applicationVersion() << '\n';
        return cli::ExitOk;
    }
    for (const cli::Command &c : cli::commands()) {
        if (c.name == args.at(1))
            return c.run(args);
    }
    QTextStream(stderr) << "mcpbridge: unknown command '" << args.at(1) << "'.\n\n";
    printUsage(stderr);
    return cli::ExitProblems;
}
