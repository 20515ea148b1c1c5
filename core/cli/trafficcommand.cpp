// `mcpbridge traffic [BRIDGE|PID] [--follow] [--json]`: what a running bridge said and did (the
// MCP messages and the API calls they caused), read from its live traffic tap. History first,
// then, with --follow, live events until the bridge stops.

#include "core/cli/commands.h"
#include "core/traffic/eventline.h"
#include "core/traffic/tapclient.h"
#include "core/traffic/tapregistry.h"
#include "core/util/jsontext.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace mcpbridge::cli {

QString bridgeTable(const QList<traffic::TapInfo> &running); // pscommand.cpp

int runTraffic(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Shows the traffic of a running bridge: every MCP message from and to the client, and "
        "every call the bridge made to the API, with times and results. Works for bridges that "
        "Claude Desktop, Cursor, VS Code or Claude Code started. Secrets are never shown.\n"
        "Without BRIDGE, the only running bridge is used; 'mcpbridge ps' lists them."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption follow({u"f"_s, u"follow"_s},
                                    u"Keep printing new events until the bridge stops (Ctrl+C to "
                                    "quit)."_s);
    const QCommandLineOption json(u"json"_s, u"Print each event as one line of JSON."_s);
    parser.addOptions({help, follow, json});
    parser.addPositionalArgument(u"BRIDGE"_s, u"The bridge's name or PID (see 'mcpbridge ps')."_s,
                                 u"[BRIDGE|PID]"_s);

    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!parser.parse(args.mid(1))) {
        err << "mcpbridge traffic: " << parser.errorText() << "\nRun 'mcpbridge traffic --help'.\n";
        return ExitProblems;
    }
    if (parser.isSet(help)) {
        const QString text = parser.helpText();
        out << "Usage: mcpbridge traffic [BRIDGE|PID] [--follow] [--json]\n"
            << text.mid(text.indexOf(u'\n') + 1);
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        err << "mcpbridge traffic: name one bridge only, not " << positional.join(u", "_s)
            << ".\nRun 'mcpbridge traffic --help'.\n";
        return ExitProblems;
    }

    const QList<traffic::TapInfo> running = traffic::TapRegistry::list(/*removeStale=*/true);
    const auto selection = traffic::TapRegistry::select(running, positional.value(0));
    if (!selection.match) {
        err << "mcpbridge traffic: " << selection.message << '\n';
        if (!selection.candidates.isEmpty())
            err << '\n' << bridgeTable(selection.candidates);
        return running.isEmpty() ? ExitFailure : ExitProblems;
    }
    const traffic::TapInfo bridge = *selection.match;
    const bool asJson = parser.isSet(json);
    const bool following = parser.isSet(follow);

    traffic::TapClient client;
    int exitCode = ExitOk;
    bool done = false;
    const auto finish = [&](int code) {
        if (done)
            return;
        done = true;
        exitCode = code;
        out.flush();
        QCoreApplication::exit(code);
    };

    QObject::connect(&client, &traffic::TapClient::helloReceived, &client,
                     [&](const QJsonObject &hello) {
                         err << "Watching " << bridge.displayName() << ", PID " << bridge.pid
                             << ", " << hello.value("transport"_L1).toString();
                         if (following)
                             err << "; Ctrl+C to stop";
                         err << ".\n";
                         if (!asJson)
                             err << traffic::eventLineLegend() << '\n';
                         err.flush();
                     });
    QObject::connect(&client, &traffic::TapClient::eventReceived, &client,
                     [&](const traffic::TrafficEvent &event, const QJsonObject &eventJson) {
                         if (asJson)
                             out << QString::fromUtf8(json::compact(eventJson)) << '\n';
                         else
                             out << traffic::eventLine(event) << '\n';
                         // A reader on a pipe (a test, `grep`) sees each event as it happens.
                         if (following)
                             out.flush();
                     });
    QObject::connect(&client, &traffic::TapClient::historyEnded, &client, [&] {
        out.flush();
        if (!following)
            finish(ExitOk);
    });
    QObject::connect(&client, &traffic::TapClient::eventsDropped, &client, [&](quint64 count) {
        out.flush();
        err << "mcpbridge traffic: " << count << (count == 1 ? " event was" : " events were")
            << " skipped because this terminal did not keep up with the bridge.\n";
        err.flush();
    });
    QObject::connect(&client, &traffic::TapClient::logCleared, &client, [&] {
        out.flush();
        err << "(the bridge's traffic log was cleared)\n";
        err.flush();
    });
    QObject::connect(&client, &traffic::TapClient::disconnected, &client, [&] {
        out.flush();
        if (following || client.historyFinished()) {
            err << bridge.displayName() << ", PID " << bridge.pid << ", has stopped.\n";
            finish(ExitOk);
        } else {
            err << "mcpbridge traffic: " << bridge.displayName() << ", PID " << bridge.pid
                << ", stopped before all of its traffic was read.\n";
            finish(ExitFailure);
        }
    });
    QObject::connect(&client, &traffic::TapClient::errorOccurred, &client,
                     [&](const QString &message) {
                         out.flush();
                         err << "mcpbridge traffic: " << message << '\n';
                         err.flush();
                         if (!client.isConnected())
                             finish(ExitFailure);
                     });

    client.connectToTap(bridge);
    // A socket that is gone can fail inside connectToTap, before the loop runs.
    const int code = done ? exitCode : QCoreApplication::exec();
    out.flush();
    return done ? exitCode : code;
}

} // namespace mcpbridge::cli
