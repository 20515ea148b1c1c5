// `mcpbridge demo-api [--host H] [--port N]`: runs the built-in demo REST API until killed, so a
// new user has something real to bridge (resources/demo/pantry.mcpbridge.json points at it).

#include "core/cli/commands.h"
#include "core/demo/demoapi.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace mcpbridge::cli {

int runDemoApi(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Runs the built-in demo REST API: an in-memory cookbook with recipes, a pantry, a "
        "weekly meal plan and a shopping list. Its OpenAPI document is at /openapi.json. "
        "Stop it with Ctrl+C; the sample data comes back at the next start."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption host(u"host"_s, u"Address to listen on (default 127.0.0.1)."_s,
                                  u"HOST"_s, u"127.0.0.1"_s);
    const QCommandLineOption port(
        u"port"_s, u"Port to listen on (default 8766; 0 picks a free one)."_s, u"N"_s, u"8766"_s);
    parser.addOptions({help, host, port});

    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!parser.parse(args.mid(1))) {
        err << "mcpbridge demo-api: " << parser.errorText()
            << "\nRun 'mcpbridge demo-api --help'.\n";
        return ExitProblems;
    }
    if (parser.isSet(help)) {
        const QString text = parser.helpText();
        out << "Usage: mcpbridge demo-api [--host HOST] [--port N]\n"
            << text.mid(text.indexOf(u'\n') + 1);
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "mcpbridge demo-api: unexpected argument '" << parser.positionalArguments().first()
            << "'.\nRun 'mcpbridge demo-api --help'.\n";
        return ExitProblems;
    }

    bool ok = false;
    const uint portNumber = parser.value(port).toUInt(&ok);
    if (!ok || portNumber > 65535) {
        err << "mcpbridge demo-api: --port must be a number from 0 to 65535, not '"
            << parser.value(port) << "'.\n";
        return ExitProblems;
    }
    const QString hostText = parser.value(host);
    QHostAddress address;
    if (hostText == u"localhost")
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(hostText)) {
        err << "mcpbridge demo-api: --host must be an IP address such as 127.0.0.1, not '"
            << hostText << "'.\n";
        return ExitProblems;
    }

    demo::DemoApi api;
    if (!api.listen(address, quint16(portNumber))) {
        err << "mcpbridge demo-api: " << api.errorString() << ".\n";
        if (portNumber != 0)
            err << "Another program (perhaps another demo-api) is using port " << portNumber
                << ". Stop it, or choose another port with --port N (0 picks a free one).\n";
        return ExitFailure;
    }
    const QString shownHost = address.protocol() == QAbstractSocket::IPv6Protocol
                                  ? u'[' + address.toString() + u']'
                                  : address.toString();
    out << "Demo API listening at http://" << shownHost << ':' << api.port() << '\n';
    out.flush();
    return QCoreApplication::exec();
}

} // namespace mcpbridge::cli
