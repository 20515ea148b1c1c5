// bench_tap: what the live traffic tap costs the bridge. Appends N events to a TrafficLog
//   (a) without a tap, (b) with a tap and no listener, (c) with a listener that reads,
//   (d) with a listener that never reads,
// and prints events/s, peak resident memory and the ratio to (a). Each case runs in its own
// process (so memory figures do not mix), and each listener is a process of its own, as
// `mcpbridge traffic` would be. The log's event loop runs every 64 appends, as in a server.
// Usage: bench_tap [--events N] [--body-bytes B]

#include "core/traffic/tapregistry.h"
#include "core/traffic/trafficlog.h"
#include "core/traffic/traffictap.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace mcpbridge::traffic;

namespace {

qint64 statusKb(const char *field)
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// The listener processes.
int runReader(const QString &socketPath)
{
    QLocalSocket socket;
    qint64 lines = 0;
    QObject::connect(&socket, &QLocalSocket::readyRead, &socket,
                     [&] { lines += socket.readAll().count('\n'); });
    QObject::connect(&socket, &QLocalSocket::disconnected, &socket, [&] {
        QTextStream(stdout) << lines << '\n';
        QCoreApplication::quit();
    });
    QObject::connect(&socket, &QLocalSocket::errorOccurred, &socket, [&] {
        if (socket.state() != QLocalSocket::ConnectedState)
            QCoreApplication::exit(1);
    });
    socket.connectToServer(socketPath);
    return QCoreApplication::exec();
}

int runStaller(const QString &socketPath)
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    const QByteArray p = QFile::encodeName(socketPath);
    memcpy(addr.sun_path, p.constData(), std::min(size_t(p.size()), sizeof(addr.sun_path) - 1));
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) != 0)
        return 1;
    // Never reads; the parent kills it.
    for (;;)
        ::pause();
}

struct Figures
{
    double eventsPerSecond = 0;
    qint64 peakRssKb = 0;
    qint64 dropped = 0;
};

int runCase(const QString &which, int events, int bodyBytes)
{
    QTemporaryDir runtime;
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime.path()));
    TrafficLog log;
    std::unique_ptr<TrafficTap> tap;
    QProcess listener;
    if (which != u"none") {
        TapInfo info;
        info.name = u"bench"_s;
        info.transport = u"stdio"_s;
        tap = std::make_unique<TrafficTap>(&log, info);
        if (const auto ok = tap->listen(); !ok) {
            QTextStream(stderr) << ok.error().toString() << '\n';
            return 1;
        }
        if (which == u"reader" || which == u"staller") {
            listener.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            listener.start(QCoreApplication::applicationFilePath(),
                           {u"--" + which, tap->socketPath()});
            QDeadlineTimer deadline(10000);
            while (tap->listenerCount() == 0 && !deadline.hasExpired())
                QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
            if (tap->listenerCount() == 0) {
                QTextStream(stderr) << "the listener did not connect\n";
                return 1;
            }
        }
    }

    // A typical tools/call response: a few hundred bytes of JSON.
    const QByteArray body
        = QJsonDocument(
              QJsonObject{{"jsonrpc"_L1, "2.0"_L1},
                          {"id"_L1, 7},
                          {"result"_L1, QJsonObject{{"content"_L1, QString(bodyBytes, u'x')}}}})
              .toJson(QJsonDocument::Compact);
    TrafficEvent e;
    e.kind = EventKind::Mcp;
    e.direction = Direction::Outbound;
    e.sessionId = u"stdio"_s;
    e.transport = u"stdio"_s;
    e.messageType = u"response"_s;
    e.method = u"tools/call"_s;
    e.summary = u"tools/call search_recipes → result"_s;
    e.body = body;
    e.size = body.size();

    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < events; ++i) {
        e.rpcId = QString::number(i);
        e.timeMs = 0;
        log.append(e);
        if (i % 64 == 63)
            QCoreApplication::processEvents();
    }
    const qint64 ns = timer.nsecsElapsed();
    Figures f;
    f.eventsPerSecond = double(events) / (double(ns) / 1e9);
    f.peakRssKb = statusKb("VmHWM:");
    f.dropped = tap ? qint64(tap->droppedCount()) : 0;
    QTextStream(stdout) << f.eventsPerSecond << ' ' << f.peakRssKb << ' ' << f.dropped << '\n';
    if (listener.state() != QProcess::NotRunning) {
        listener.kill();
        listener.waitForFinished(5000);
    }
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() == 3 && args.at(1) == u"--reader")
        return runReader(args.at(2));
    if (args.size() == 3 && args.at(1) == u"--staller")
        return runStaller(args.at(2));

    QCommandLineParser parser;
    const QCommandLineOption eventsOption(u"events"_s, u"Events to append."_s, u"N"_s, u"200000"_s);
    const QCommandLineOption bodyOption(u"body-bytes"_s, u"Bytes of payload per event."_s, u"B"_s,
                                        u"300"_s);
    const QCommandLineOption caseOption(u"case"_s, u"Internal."_s, u"C"_s);
    parser.addOptions({eventsOption, bodyOption, caseOption});
    parser.addHelpOption();
    parser.process(app);
    const int events = parser.value(eventsOption).toInt();
    const int bodyBytes = parser.value(bodyOption).toInt();
    if (parser.isSet(caseOption))
        return runCase(parser.value(caseOption), events, bodyBytes);

    constexpr int Runs = 3;
    QTextStream out(stdout);
    out << "bench_tap: " << events << " events of about " << bodyBytes
        << " bytes each into a TrafficLog (capacity " << TrafficLog::DefaultCapacity << " events, "
        << TrafficLog::DefaultByteCapacity / 1024 << " KB); best of " << Runs
        << " runs per case\n\n";
    struct Case
    {
        QString key;
        QString label;
    };
    const QList<Case> cases{{u"none"_s, u"(a) no tap"_s},
                            {u"idle"_s, u"(b) tap, no listener"_s},
                            {u"reader"_s, u"(c) tap, listener reads"_s},
                            {u"staller"_s, u"(d) tap, listener never reads"_s}};
    out << u"case"_s.leftJustified(32) << u"events/s"_s.rightJustified(12)
        << u"vs (a)"_s.rightJustified(9) << u"peak RSS"_s.rightJustified(12)
        << u"vs (a)"_s.rightJustified(9) << u"vs (b)"_s.rightJustified(9)
        << u"dropped"_s.rightJustified(10) << '\n';
    double baseRate = 0;
    double baseRss = 0;
    double idleRss = 0;
    for (const Case &c : cases) {
        // Best of three runs: the machine is shared, and the fastest run is the one least
        // disturbed by others. Memory: the smallest peak.
        double rate = 0;
        double rss = 0;
        QByteArray dropped;
        for (int run = 0; run < Runs; ++run) {
            QProcess child;
            child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            child.start(QCoreApplication::applicationFilePath(),
                        {u"--case"_s, c.key, u"--events"_s, QString::number(events),
                         u"--body-bytes"_s, QString::number(bodyBytes)});
            if (!child.waitForFinished(600000) || child.exitCode() != 0) {
                out << c.label << ": failed\n";
                return 1;
            }
            const QList<QByteArray> parts = child.readAllStandardOutput().trimmed().split(' ');
            if (parts.value(0).toDouble() > rate) {
                rate = parts.value(0).toDouble();
                dropped = parts.value(2);
            }
            rss = run == 0 ? parts.value(1).toDouble() : std::min(rss, parts.value(1).toDouble());
        }
        if (c.key == u"none") {
            baseRate = rate;
            baseRss = rss;
        }
        if (c.key == u"idle")
            idleRss = rss;
        out << c.label.leftJustified(32) << QString::number(rate, 'f', 0).rightJustified(12)
            << QString::number(rate / baseRate, 'f', 3).rightJustified(9)
            << QString(QString::number(rss / 1024.0, 'f', 1) + u" MB"_s).rightJustified(12)
            << QString::number(rss / baseRss, 'f', 3).rightJustified(9)
            << (idleRss > 0 ? QString::number(rss / idleRss, 'f', 3) : u"-"_s).rightJustified(9)
            << QString::fromLatin1(dropped).rightJustified(10) << '\n';
        out.flush();
    }
    out << "\n(b) loads QtNetwork and opens the socket; a real bridge has QtNetwork loaded "
           "already,\n"
           "so the memory a listener costs is best read against (b).\n"
           "A listener that reads costs the JSON encoding of each event it is sent; one that\n"
           "never reads costs a comparison per event and at most "
        << TrafficTap::DefaultBufferLimit / 1024
        << " KB of buffer. A reader that cannot keep\n"
           "up with the burst misses what the log (capacity "
        << TrafficLog::DefaultCapacity << " events, " << TrafficLog::DefaultByteCapacity / 1024
        << " KB) let go: \"dropped\".\n";
    return 0;
}
