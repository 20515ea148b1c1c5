// How the studio's traffic view copes with 1,000 events per second for 10 seconds: appends go
// through a TrafficLog into TrafficLogModel + TrafficFilterProxy + TrafficView (offscreen), and
// the time each event-loop turn takes is measured. Prints max/avg turn time and whether the view
// kept up (events shown == events appended - dropped).

#include "core/traffic/trafficlog.h"
#include "ui/traffic/trafficfilterproxy.h"
#include "ui/traffic/trafficlogmodel.h"
#include "ui/traffic/trafficview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <QTreeView>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace mcpbridge;

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int perSecond = 1000;
    const int seconds = argc > 1 ? QByteArray(argv[1]).toInt() : 10;
    const int total = perSecond * seconds;

    traffic::TrafficLog log;
    log.setByteCapacity(ui::TrafficLogModel::DefaultByteCapacity); // as the studio keeps it
    ui::TrafficView view;
    view.setLog(&log);
    view.resize(1200, 700);
    if (argc <= 2 || QByteArray(argv[2]) != "hidden")
        view.show();

    // The event loop is asked to run a 1 ms timer; the gap between two of its ticks is how long
    // one turn of the loop took (appending, the model's batched insert, proxy, layout, paint).
    QElapsedTimer turn;
    qint64 maxTurnNs = 0, sumTurnNs = 0, turns = 0;

    QElapsedTimer clock;
    clock.start();
    int appended = 0;
    QTimer pump;
    pump.setTimerType(Qt::PreciseTimer);
    pump.setInterval(1);
    QObject::connect(&pump, &QTimer::timeout, [&] {
        if (turn.isValid()) {
            const qint64 ns = turn.nsecsElapsed();
            maxTurnNs = std::max(maxTurnNs, ns);
            sumTurnNs += ns;
            ++turns;
        }
        turn.start();
        // Catch up to the schedule: 1 event per millisecond since the start.
        const int due = std::min<qint64>(total, clock.elapsed() * perSecond / 1000);
        for (; appended < due; ++appended) {
            traffic::TrafficEvent event;
            const QString id = QString::number(appended / 3);
            event.sessionId = u"bench"_s;
            event.transport = u"http"_s;
            switch (appended % 3) {
            case 0:
                event.messageType = u"request"_s;
                event.direction = traffic::Direction::Inbound;
                event.method = u"tools/call"_s;
                event.rpcId = id;
                event.body = R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}})";
                break;
            case 1:
                event.kind = traffic::EventKind::Upstream;
                event.direction = traffic::Direction::Outbound;
                event.relatedRpcId = id;
                event.httpMethod = u"GET"_s;
                event.url = u"http://127.0.0.1:8766/recipes?page="_s + id;
                event.httpStatus = 200;
                event.durationMs = 3;
                break;
            default:
                event.messageType = u"response"_s;
                event.direction = traffic::Direction::Outbound;
                event.method = u"tools/call"_s;
                event.rpcId = id;
                event.durationMs = 4;
                event.body = R"({"jsonrpc":"2.0","id":1,"result":{"content":[]}})";
            }
            event.summary = event.method;
            event.size = event.body.size();
            log.append(event);
        }
        if (appended >= total) {
            pump.stop();
            QTimer::singleShot(200, &app, &QCoreApplication::quit);
        }
    });
    pump.start();
    app.exec();

    const qint64 expected = qint64(appended) - qint64(log.droppedCount());
    const qint64 shown = view.model()->eventCount();
    std::printf("bench_trafficview: %d events in %.1f s (%d/s target), capacity %d, dropped %llu\n",
                appended, clock.elapsed() / 1000.0, perSecond, log.capacity(),
                static_cast<unsigned long long>(log.droppedCount()));
    std::printf("event-loop turns (gaps between 1 ms ticks): %lld, max %.2f ms, avg %.3f ms\n",
                turns, maxTurnNs / 1e6, turns ? sumTurnNs / 1e6 / double(turns) : 0.0);
    std::printf("rows: %d top-level in model, %d in proxy; events shown %lld, expected %lld: %s\n",
                view.model()->rowCount(), view.proxy()->rowCount(), shown, expected,
                shown == expected ? "kept up" : "FELL BEHIND");
    return shown == expected ? 0 : 1;
}
