#pragma once

// The sub-commands of the headless `mcpbridge` program. app/cli/main.cpp only picks the command;
// each command parses its own options and does its work here in core, so tests can run them.
// Nothing here writes to stdout except a command's own output (never under `serve --stdio`).

#include <QList>
#include <QString>
#include <QStringList>

namespace mcpbridge::cli {

struct Command
{
    QString name;    // "serve"
    QString summary; // one line for `mcpbridge --help`
    // `args` starts with the program name, then the command name, then its options.
    int (*run)(const QStringList &args);
};

const QList<Command> &commands();

// Exit codes shared by the commands.
enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1,  // the command could not do its work (port busy, file unwritable ...)
    ExitProblems = 2, // the input has problems (check found errors, bad arguments)
};

int runServe(const QStringList &args);   // servecommand.cpp
int runCheck(const QStringList &args);   // checkcommand.cpp
int runDemoApi(const QStringList &args); // demoapicommand.cpp
int runImport(const QStringList &args);  // importcommand.cpp
int runExport(const QStringList &args);  // exportcommand.cpp
int runPs(const QStringList &args);      // pscommand.cpp
int runTraffic(const QStringList &args); // trafficcommand.cpp
int runSecret(const QStringList &args);  // secretcommand.cpp

} // namespace mcpbridge::cli
