// `mcpbridge serve --config FILE (--stdio | --http HOST:PORT)`: serves one bridge document
// until the client goes away (stdio EOF) or the process is told to stop (SIGINT/SIGTERM).
// Under --stdio nothing but protocol is written to stdout; everything else goes to stderr.

#include "core/bridge/documentio.h"
#include "core/cli/commands.h"
#include "core/cli/configwatcher.h"
#include "core/cli/signalwatcher.h"
#include "core/mcp/mcpserver.h"
#include "core/secrets/chainsecretstore.h"
#include "core/secrets/envsecretstore.h"
#include "core/secrets/keychainsecretstore.h"
#include "core/traffic/trafficlog.h"
#include "core/traffic/traffictap.h"
#include "core/transport/stdiotransport.h"
#include "core/transport/streamablehttptransport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QTextStream>
#include <QUrl>

#include <cstdio>
#include <optional>

using namespace Qt::StringLiterals;

namespace mcpbridge::cli {

Q_LOGGING_CATEGORY(lcServe, "mcpbridge.serve")

namespace {

struct ListenAddress
{
    QHostAddress address;
    QString host; // as the user wrote it, for messages
    quint16 port = transport::StreamableHttpTransport::DefaultPort;
};

// "127.0.0.1:8765", "localhost:0", "[::1]:9000", "8765" (loopback), "127.0.0.1" (default port).
std::optional<ListenAddress> parseListenAddress(const QString &text, QString *why)
{
    ListenAddress result;
    QString host = text.trimmed();
    QString port;
    if (host.startsWith(u'[')) {
        const qsizetype close = host.indexOf(u']');
        if (close < 0) {
            *why = u"an IPv6 address needs a closing ']'"_s;
            return std::nullopt;
        }
        port = host.mid(close + 1);
        host = host.mid(1, close - 1);
        if (!port.isEmpty() && !port.startsWith(u':')) {
            *why = u"write the port after the ']' as :PORT"_s;
            return std::nullopt;
        }
        port = port.mid(1);
    } else if (host.count(u':') == 1) {
        port = host.section(u':', 1);
        host = host.section(u':', 0, 0);
    } else if (!host.isEmpty() && host.count(u':') == 0 && host.front().isDigit()
               && !host.contains(u'.')) {
        port = host; // just a port
        host = u"127.0.0.1"_s;
    }
    if (host.isEmpty())
        host = u"127.0.0.1"_s;
    if (!port.isEmpty()) {
        bool ok = false;
        const uint value = port.toUInt(&ok);
        if (!ok || value > 65535) {
            *why
                = u"the port must be a number from 0 to 65535 (0 picks any free port), not \"%1\""_s
                      .arg(port);
            return std::nullopt;
        }
        result.port = quint16(value);
    }
    result.host = host;
    if (host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        result.address = QHostAddress::LocalHost;
    else if (!result.address.setAddress(host)) {
        *why = u"\"%1\" is not an IP address; use 127.0.0.1 (this computer only), or the "
               "address of one of its network interfaces"_s.arg(host);
        return std::nullopt;
    }
    return result;
}

void printProblems(QTextStream &err, const QList<bridge::Problem> &problems)
{
    for (const bridge::Problem &problem : problems)
        err << "  " << problem.toString() << '\n';
    err.flush();
}

// Loads the document and applies --base-url. Errors are printed; nullopt when it has any.
std::optional<bridge::BridgeDocument> loadConfig(const QString &path, const QString &baseUrl,
                                                 QTextStream &err, const QString &failureIntro)
{
    const bridge::LoadReport report = bridge::loadDocument(path);
    if (report.hasErrors() || !report.document) {
        err << failureIntro << '\n';
        printProblems(err, report.problems);
        return std::nullopt;
    }
    if (!report.problems.isEmpty()) {
        err << "mcpbridge: warnings in " << path << ":\n";
        printProblems(err, report.problems);
    }
    bridge::BridgeDocument document = *report.document;
    if (!baseUrl.isEmpty())
        document.upstream.baseUrl = baseUrl;
    return document;
}

void setUpLogging(bool verbose)
{
    qSetMessagePattern(u"[%{time hh:mm:ss.zzz}] %{if-warning}warning: %{endif}"
                       "%{if-critical}error: %{endif}%{category}: %{message}"_s);
    QLoggingCategory::setFilterRules(verbose ? u"*.debug=false\nmcpbridge.*.debug=true"_s
                                             : u"*.debug=false\nqt.*.info=false"_s);
}

} // namespace

int runServe(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Serves a bridge document as an MCP server: over stdio for clients that start the "
        "bridge themselves (Claude Desktop, Cursor, VS Code, Claude Code), or over streamable "
        "HTTP on a local port. The config is reloaded when the file changes (or on SIGHUP)."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption config({u"c"_s, u"config"_s},
                                    u"The bridge document (*.mcpbridge.json)."_s, u"FILE"_s);
    const QCommandLineOption stdio(u"stdio"_s, u"Speak MCP on stdin/stdout."_s);
    const QCommandLineOption http(
        u"http"_s,
        u"Serve streamable HTTP at http://HOST:PORT/mcp (default host 127.0.0.1, port 8765; "
        "port 0 picks any free port)."_s,
        u"HOST:PORT"_s);
    const QCommandLineOption baseUrl(
        u"base-url"_s, u"Call the API at URL instead of the document's baseUrl."_s, u"URL"_s);
    const QCommandLineOption tokenEnv(
        u"token-env"_s,
        u"With --http: require \"Authorization: Bearer <token>\", the token being the value of "
        "environment variable VAR."_s,
        u"VAR"_s);
    const QCommandLineOption verbose({u"v"_s, u"verbose"_s}, u"Log details to stderr."_s);
    const QCommandLineOption noTap(u"no-tap"_s,
                                   u"Do not publish live traffic for 'mcpbridge ps', 'mcpbridge "
                                   "traffic' and the studio."_s);
    for (const auto &option : {help, config, stdio, http, baseUrl, tokenEnv, verbose, noTap})
        parser.addOption(option);

    QTextStream err(stderr);
    const auto usageError = [&](const QString &message) {
        err << "mcpbridge serve: " << message << "\nRun 'mcpbridge serve --help'.\n";
        err.flush();
        return int(ExitProblems);
    };
    if (!parser.parse(args.mid(1)))
        return usageError(parser.errorText());
    if (parser.isSet(help)) {
        // Help is asked for interactively; stdout is right here (never under --stdio).
        QString text = parser.helpText();
        text = u"Usage: mcpbridge serve --config FILE (--stdio | --http HOST:PORT) "
               "[--base-url URL] [--token-env VAR] [--verbose]\n"_s
               + text.mid(text.indexOf(u'\n') + 1);
        QTextStream(stdout) << text;
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(u"unexpected argument '%1'; the config goes after --config."_s.arg(
            parser.positionalArguments().constFirst()));
    if (!parser.isSet(config))
        return usageError(u"name the bridge document with --config FILE."_s);
    if (parser.isSet(stdio) == parser.isSet(http))
        return usageError(u"choose one transport: --stdio (for clients that start the bridge) or "
                          "--http 127.0.0.1:8765 (a local port)."_s);

    std::optional<ListenAddress> listenAddress;
    if (parser.isSet(http)) {
        QString why;
        listenAddress = parseListenAddress(parser.value(http), &why);
        if (!listenAddress)
            return usageError(u"--http %1: %2."_s.arg(parser.value(http), why));
    }
    QString upstreamUrl;
    if (parser.isSet(baseUrl)) {
        upstreamUrl = parser.value(baseUrl).trimmed();
        const QUrl url(upstreamUrl, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1)
            || url.host().isEmpty())
            return usageError(u"--base-url must be an http:// or https:// URL such as "
                              "http://127.0.0.1:8766, not \"%1\"."_s.arg(upstreamUrl));
    }
    QString accessToken;
    if (parser.isSet(tokenEnv)) {
        const QString variable = parser.value(tokenEnv);
        accessToken = qEnvironmentVariable(variable.toLocal8Bit().constData());
        if (accessToken.isEmpty())
            return usageError(u"--token-env %1: the environment variable %1 is not set or empty; "
                              "set it to the token clients must send."_s.arg(variable));
        if (parser.isSet(stdio))
            err << "mcpbridge serve: note: --token-env only applies to --http; ignored.\n";
    }
    setUpLogging(parser.isSet(verbose));

    const QString configPath = parser.value(config);
    std::optional<bridge::BridgeDocument> document
        = loadConfig(configPath, upstreamUrl, err,
                     u"mcpbridge: cannot serve %1; fix these problems first:"_s.arg(configPath));
    if (!document)
        return ExitProblems;
    const QString serverName
        = document->server.title.isEmpty() ? document->server.name : document->server.title;

    secrets::EnvSecretStore envSecrets;
    secrets::KeychainSecretStore keychainSecrets;
    secrets::ChainSecretStore secretStore({&envSecrets, &keychainSecrets});
    traffic::TrafficLog trafficLog;
    mcp::McpServer server(std::make_shared<const bridge::BridgeDocument>(std::move(*document)),
                          &secretStore, &trafficLog);

    std::unique_ptr<transport::StdioTransport> stdioTransport;
    std::unique_ptr<transport::StreamableHttpTransport> httpTransport;
    if (parser.isSet(stdio)) {
        stdioTransport = std::make_unique<transport::StdioTransport>(&server);
        QObject::connect(stdioTransport.get(), &transport::StdioTransport::finished,
                         QCoreApplication::instance(), [] {
                             qCInfo(lcServe) << "The client closed stdin; stopping";
                             QCoreApplication::exit(ExitOk);
                         });
        stdioTransport->start();
    } else {
        httpTransport = std::make_unique<transport::StreamableHttpTransport>(&server);
        httpTransport->setAccessToken(accessToken);
        const Result<quint16> port
            = httpTransport->listen(listenAddress->address, listenAddress->port);
        if (!port) {
            err << "mcpbridge: " << port.error().message;
            if (port.error().code == int(QAbstractSocket::AddressInUseError))
                err << " Pick another port with --http " << listenAddress->host
                    << ":PORT, or 0 for any free port.";
            err << '\n';
            err.flush();
            return ExitFailure;
        }
        // The one line on stdout: scripts and tests wait for it to learn the port.
        const QByteArray line = u"mcpbridge: serving \"%1\" at %2\n"_s
                                    .arg(serverName, httpTransport->url().toString())
                                    .toUtf8();
        std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
        std::fflush(stdout);
    }

    // The live traffic tap: how `mcpbridge ps`, `mcpbridge traffic` and the studio see a
    // bridge that a client started. A bridge without it still serves.
    std::unique_ptr<traffic::TrafficTap> tap;
    if (!parser.isSet(noTap)) {
        traffic::TapInfo tapInfo;
        tapInfo.name = server.document()->server.name;
        tapInfo.title = server.document()->server.title;
        tapInfo.transport = stdioTransport ? u"stdio"_s : u"http"_s;
        tapInfo.url = httpTransport ? httpTransport->url().toString() : QString();
        tapInfo.config = QFileInfo(configPath).absoluteFilePath();
        tap.reset(traffic::TrafficTap::start(&trafficLog, tapInfo));
        if (tap) {
            const auto count
                = [&server, &tap] { tap->setSessionCount(int(server.sessions().size())); };
            QObject::connect(&server, &mcp::McpServer::sessionCreated, tap.get(), count);
            QObject::connect(&server, &mcp::McpServer::sessionClosed, tap.get(), count);
            count();
        }
    }

    const auto reload = [&] {
        std::optional<bridge::BridgeDocument> edited = loadConfig(
            configPath, upstreamUrl, err,
            u"mcpbridge: %1 changed but has problems; still serving the previous version:"_s.arg(
                configPath));
        if (!edited)
            return;
        qCInfo(lcServe).noquote() << "Reloaded" << configPath << "-" << edited->tools.size()
                                  << "tool(s)";
        server.setDocument(std::make_shared<const bridge::BridgeDocument>(std::move(*edited)));
    };
    ConfigWatcher watcher(configPath);
    QObject::connect(&watcher, &ConfigWatcher::changed, &server, reload);

    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::reloadRequested, &server, reload);
    QObject::connect(&signalWatcher, &SignalWatcher::terminateRequested, &server, [](int number) {
        qCInfo(lcServe) << "Stopping on signal" << number;
        QCoreApplication::exit(ExitOk);
    });

    const int code = QCoreApplication::exec();
    // Transports first: they end their sessions on the server still alive.
    stdioTransport.reset();
    httpTransport.reset();
    return code;
}

} // namespace mcpbridge::cli
