// bench_serve: the speed and size targets of `mcpbridge serve` on the demo bridge.
//  - cold start: process start to the first initialize response (stdio), median of N runs
//  - resident memory after initialize, tools/list and a batch of calls
//  - what a tools/call adds to the upstream call: bridge round trip minus a direct HTTP GET of
//    the same upstream URL, p50 over N calls each. The direct GET is the call at its cheapest
//    (one kept-alive connection, the request written by hand), so everything the bridge does,
//    its HTTP client included, counts as added. The figure against a QNetworkAccessManager GET
//    (how it was measured before the bridge had its own client) is printed too.
//    The harness's own JSON work stays off the clock: request lines are made before it starts
//    and answers are parsed (and checked) after it stops.
//  - the floor under that: a ping round trip (pipes and event loop, no upstream)
//  - the bridge's CPU time per tools/call, from /proc/PID/task/*/schedstat: what the bridge
//    itself spends, which other load on the machine does not inflate the way it does latency
// Usage: bench_serve [--runs N] [--calls N] [--cli PATH]. Prints one line per figure. --cli
// measures another mcpbridge binary (e.g. a copy of an older build, for a before/after).

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return -1;
    std::sort(v.begin(), v.end());
    return v.at(std::min<qsizetype>(v.size() - 1, qsizetype(p * (v.size() - 1) + 0.5)));
}

QByteArray line(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

QJsonObject request(int id, const QString &method, const QJsonObject &params = {})
{
    return {{u"jsonrpc"_s, u"2.0"_s}, {u"id"_s, id}, {u"method"_s, method}, {u"params"_s, params}};
}

const QJsonObject initializeParams{
    {u"protocolVersion"_s, u"2025-11-25"_s},
    {u"capabilities"_s, QJsonObject{}},
    {u"clientInfo"_s, QJsonObject{{u"name"_s, u"bench"_s}, {u"version"_s, u"1"_s}}}};

// Reads lines from the process until one is a response with `id`; bounded by `timeoutMs`.
QJsonObject waitForResponse(QProcess &p, int id, int timeoutMs = 10000)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        while (p.canReadLine()) {
            const QJsonObject o = QJsonDocument::fromJson(p.readLine()).object();
            if (o.value(u"id"_s).toInt(-1) == id)
                return o;
        }
        p.waitForReadyRead(50);
    }
    return {};
}

// GET of one path over one kept-alive connection, answer read by its Content-Length: the
// cheapest way to call the upstream, the baseline of what the bridge adds.
class RawGet
{
public:
    RawGet(const QUrl &base, const QByteArray &target)
        : m_request("GET " + target + " HTTP/1.1\r\nHost: " + base.authority().toLatin1()
                    + "\r\nAccept: application/json\r\n\r\n")
    {
        m_socket.connectToHost(base.host(), quint16(base.port(80)));
        m_socket.waitForConnected(5000);
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    }

    // The whole answer, or an empty array on failure.
    QByteArray get()
    {
        m_socket.write(m_request);
        m_socket.flush();
        QByteArray data;
        qsizetype need = -1;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 5000) {
            data += m_socket.readAll();
            const qsizetype end = data.indexOf("\r\n\r\n");
            if (need < 0 && end >= 0) {
                static const QRegularExpression length(u"(?i)content-length:\\s*(\\d+)"_s);
                const auto m = length.match(QString::fromLatin1(data.left(end)));
                if (!m.hasMatch())
                    return {};
                need = end + 4 + m.captured(1).toLongLong();
            }
            if (need >= 0 && data.size() >= need)
                return data;
            m_socket.waitForReadyRead(100);
        }
        return {};
    }

private:
    QTcpSocket m_socket;
    QByteArray m_request;
};

// The first whole line the process writes, bounded by `timeoutMs`; empty on timeout.
QByteArray nextLine(QProcess &p, int timeoutMs = 10000)
{
    QElapsedTimer t;
    t.start();
    while (!p.canReadLine() && t.elapsed() < timeoutMs)
        p.waitForReadyRead(50);
    return p.canReadLine() ? p.readLine() : QByteArray();
}

// One request line whose answer is the next line the bridge writes (the bench asks for no
// notifications); the answer, checked after the clock stopped, or an empty object.
QJsonObject answerOf(const QByteArray &answer, int id)
{
    const QJsonObject o = QJsonDocument::fromJson(answer).object();
    return o.value(u"id"_s).toInt(-1) == id ? o : QJsonObject();
}

// CPU time (user + system) of every thread of `pid` so far, in nanoseconds; -1 when unknown.
qint64 cpuNs(qint64 pid)
{
    qint64 total = 0;
    const QString taskDir = u"/proc/%1/task"_s.arg(pid);
    const QStringList tasks = QDir(taskDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &task : tasks) {
        QFile f(taskDir + u'/' + task + u"/schedstat"_s);
        if (!f.open(QIODevice::ReadOnly))
            return -1;
        total += f.readAll().split(' ').value(0).toLongLong();
    }
    return tasks.isEmpty() ? -1 : total;
}

qint64 residentKb(qint64 pid)
{
    QFile f(u"/proc/%1/status"_s.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    static const QRegularExpression rss(u"VmRSS:\\s+(\\d+)"_s);
    const auto m = rss.match(QString::fromLatin1(f.readAll()));
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int runs = 20, calls = 1000;
    QString cli = QStringLiteral(MCPBRIDGE_CLI);
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == u"--runs")
            runs = args.at(i + 1).toInt();
        if (args.at(i) == u"--calls")
            calls = args.at(i + 1).toInt();
        if (args.at(i) == u"--cli")
            cli = args.at(i + 1);
    }
    const QString bridge = QStringLiteral(MCPBRIDGE_DEMO_BRIDGE);

    QProcess demo;
    demo.start(cli, {u"demo-api"_s, u"--port"_s, u"0"_s});
    if (!demo.waitForReadyRead(5000)) {
        std::fprintf(stderr, "bench_serve: the demo API did not start\n");
        return 1;
    }
    static const QRegularExpression urlRe(u"http://127\\.0\\.0\\.1:\\d+"_s);
    const QString demoUrl = urlRe.match(QString::fromUtf8(demo.readAll())).captured(0);
    const QStringList serveArgs{u"serve"_s, u"--stdio"_s,    u"--config"_s,
                                bridge,     u"--base-url"_s, demoUrl};

    // Cold start.
    QList<double> starts;
    for (int r = 0; r < runs; ++r) {
        QProcess p;
        QElapsedTimer t;
        t.start();
        p.start(cli, serveArgs);
        p.write(line(request(1, u"initialize"_s, initializeParams)));
        const QJsonObject res = waitForResponse(p, 1);
        const double ms = t.nsecsElapsed() / 1e6;
        if (res.contains(u"result"_s))
            starts << ms;
        p.closeWriteChannel();
        p.waitForFinished(3000);
    }
    std::printf("cold start to first initialize response: %.1f ms median, %.1f ms p90 (%lld runs; "
                "target < 50 ms)\n",
                percentile(starts, 0.5), percentile(starts, 0.9), (long long)starts.size());

    // Memory and call overhead on one long-lived server.
    QProcess p;
    p.start(cli, serveArgs);
    p.write(line(request(1, u"initialize"_s, initializeParams)));
    waitForResponse(p, 1);
    p.write(line({{u"jsonrpc"_s, u"2.0"_s}, {u"method"_s, u"notifications/initialized"_s}}));
    p.write(line(request(2, u"tools/list"_s)));
    waitForResponse(p, 2);

    // The floor: a ping through the same pipes and event loop, no upstream.
    QList<double> pingMs;
    for (int i = 0; i < calls; ++i) {
        const int pingId = 100000 + i;
        const QByteArray ping
            = R"({"jsonrpc":"2.0","method":"ping","id":)" + QByteArray::number(pingId) + "}\n";
        QElapsedTimer t;
        t.start();
        p.write(ping);
        const QByteArray answer = nextLine(p);
        const double ms = t.nsecsElapsed() / 1e6;
        if (!answerOf(answer, pingId).contains(u"result"_s)) {
            std::fprintf(stderr, "bench_serve: ping %d got %s\n", pingId, answer.constData());
            return 1;
        }
        pingMs << ms;
    }

    // search_recipes of the demo bridge, called through the bridge; the same URL fetched
    // directly is the baseline.
    const QByteArray callPrefix
        = R"({"jsonrpc":"2.0","method":"tools/call","params":{"name":"search_recipes",)"
          R"("arguments":{"query":"soup"}},"id":)";
    const QUrl direct(demoUrl + u"/recipes?q=soup"_s);
    QNetworkAccessManager nam;
    RawGet raw(QUrl(demoUrl), direct.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority));
    QList<double> viaBridge, directMs, namMs;
    int id = 100;
    const qint64 cpuBefore = cpuNs(p.processId());
    for (int i = 0; i < calls; ++i) {
        const QByteArray call = callPrefix + QByteArray::number(++id) + "}\n";
        QElapsedTimer t;
        t.start();
        p.write(call);
        const QByteArray answer = nextLine(p);
        const double ms = t.nsecsElapsed() / 1e6;
        const QJsonObject res = answerOf(answer, id);
        if (!res.contains(u"result"_s)
            || res.value(u"result"_s).toObject().value(u"isError"_s).toBool()) {
            std::fprintf(stderr, "bench_serve: tools/call %d got %s\n", id, answer.constData());
            return 1;
        }
        viaBridge << ms;

        QElapsedTimer r;
        r.start();
        if (raw.get().isEmpty()) {
            std::fprintf(stderr, "bench_serve: the direct GET failed\n");
            return 1;
        }
        directMs << r.nsecsElapsed() / 1e6;

        QElapsedTimer d;
        d.start();
        QNetworkReply *reply = nam.get(QNetworkRequest(direct));
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        loop.exec();
        reply->readAll();
        reply->deleteLater();
        namMs << d.nsecsElapsed() / 1e6;
    }
    const qint64 cpuAfter = cpuNs(p.processId());
    const double p50Bridge = percentile(viaBridge, 0.5), p50Direct = percentile(directMs, 0.5);
    const double p50Nam = percentile(namMs, 0.5);
    std::printf("tools/call round trip via the bridge: %.3f ms p50, %.3f ms p90 (%d calls)\n",
                p50Bridge, percentile(viaBridge, 0.9), calls);
    std::printf("direct upstream GET of the same URL: %.3f ms p50 (one kept-alive connection); "
                "through QNetworkAccessManager: %.3f ms p50\n",
                p50Direct, p50Nam);
    std::printf("added by the bridge (stdio framing + JSON-RPC + validation + HTTP client + "
                "shaping): %.3f ms p50 (target < 0.2 ms)\n",
                p50Bridge - p50Direct);
    std::printf("  the same against the QNetworkAccessManager GET (the earlier measure): %.3f ms "
                "p50\n",
                p50Bridge - p50Nam);
    std::printf(
        "  floor: a ping round trip through the bridge (pipes and event loop, no upstream): "
        "%.3f ms p50\n",
        percentile(pingMs, 0.5));
    if (cpuBefore >= 0 && cpuAfter >= 0)
        std::printf("bridge CPU time per tools/call (all its threads): %.1f us\n",
                    (cpuAfter - cpuBefore) / 1e3 / calls);
    std::printf("resident memory after %d calls: %.1f MB (target < 20 MB)\n", calls,
                residentKb(p.processId()) / 1024.0);
    p.closeWriteChannel();
    p.waitForFinished(3000);
    demo.kill();
    demo.waitForFinished(3000);
    return 0;
}
