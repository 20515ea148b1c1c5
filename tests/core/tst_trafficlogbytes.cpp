// TrafficLog's memory bound (byteCapacity, storedBytes, estimatedBytes), apart from
// tst_trafficlog.cpp, which covers the event-count bound, redaction and JSON.

#include "core/traffic/trafficlog.h"

#include <QSignalSpy>
#include <QTest>

#include <numeric>

using namespace Qt::StringLiterals;
using namespace mcpbridge::traffic;

namespace {

// An MCP answer whose body holds `bodyBytes` bytes of its own.
TrafficEvent bodyEvent(int index, qsizetype bodyBytes)
{
    TrafficEvent e;
    e.kind = EventKind::Mcp;
    e.messageType = u"response"_s;
    e.summary = u"answer %1"_s.arg(index);
    e.body = QByteArray(bodyBytes, char('a' + index % 26));
    return e;
}

QList<quint64> seqs(const TrafficLog &log)
{
    QList<quint64> out;
    for (const TrafficEvent &e : log.snapshot())
        out << e.seq;
    return out;
}

qsizetype sumOfCosts(const TrafficLog &log)
{
    const QList<TrafficEvent> events = log.snapshot();
    return std::accumulate(
        events.begin(), events.end(), qsizetype(0),
        [](qsizetype sum, const TrafficEvent &e) { return sum + TrafficLog::estimatedBytes(e); });
}

} // namespace

class TestTrafficLogBytes : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void estimateCountsHeldMemory();
    void bigBodiesStayWithinBound();
    void severalDroppedAtOnce();
    void eventOverTheBoundKeptAlone();
    void shrinkingByteCapacityDrops();
    void countBoundStillApplies();
    void clearResetsBytes();
};

void TestTrafficLogBytes::defaults()
{
    TrafficLog log;
    QCOMPARE(log.byteCapacity(), TrafficLog::DefaultByteCapacity);
    QCOMPARE(log.storedBytes(), 0);
    log.setByteCapacity(0);
    QCOMPARE(log.byteCapacity(), 1);
    log.setByteCapacity(-5);
    QCOMPARE(log.byteCapacity(), 1);
}

void TestTrafficLogBytes::estimateCountsHeldMemory()
{
    const TrafficEvent empty;
    const qsizetype base = TrafficLog::estimatedBytes(empty);
    QVERIFY(base >= qsizetype(sizeof(TrafficEvent)));

    // The body and the strings the event owns count with at least their payload.
    TrafficEvent withBody = empty;
    withBody.body = QByteArray(10000, 'x');
    QVERIFY(TrafficLog::estimatedBytes(withBody) >= base + 10000);
    TrafficEvent withText = empty;
    withText.summary = QString(500, u'y'); // UTF-16: two bytes a character
    withText.url = QString(300, u'z');
    QVERIFY(TrafficLog::estimatedBytes(withText) >= base + 2 * (500 + 300));

    // Literals live in the program, not on the heap.
    TrafficEvent withLiterals = empty;
    withLiterals.messageType = u"request"_s;
    withLiterals.transport = u"stdio"_s;
    QCOMPARE(TrafficLog::estimatedBytes(withLiterals), base);

    // A session id every event copies from its session costs the session, not each event; an
    // id of the event's own does count.
    const QString sessionsId = u"session-"_s + QString(40, u'5');
    TrafficEvent shared = empty;
    shared.sessionId = sessionsId;
    QCOMPARE(TrafficLog::estimatedBytes(shared), base);
    TrafficEvent own = empty;
    own.sessionId = u"session-"_s + QString(40, u'6');
    QVERIFY(TrafficLog::estimatedBytes(own) >= base + 2 * 48);
}

void TestTrafficLogBytes::bigBodiesStayWithinBound()
{
    TrafficLog log;
    const qsizetype cost = TrafficLog::estimatedBytes(bodyEvent(0, 100000));
    // Room for three such events, not four.
    log.setByteCapacity(3 * cost + cost / 2);
    QList<int> drops;
    connect(&log, &TrafficLog::aboutToDrop, this, [&](int count) { drops << count; });

    for (int i = 0; i < 10; ++i) {
        log.append(bodyEvent(i, 100000));
        QVERIFY2(log.storedBytes() <= log.byteCapacity(),
                 qPrintable(u"%1 bytes after event %2"_s.arg(log.storedBytes()).arg(i)));
        QCOMPARE(log.storedBytes(), sumOfCosts(log));
    }
    // The oldest went first, one at a time (each new event needs one slot).
    QCOMPARE(seqs(log), (QList<quint64>{8, 9, 10}));
    QCOMPARE(drops, (QList<int>{1, 1, 1, 1, 1, 1, 1}));
    QCOMPARE(log.droppedCount(), 7u);
    QCOMPARE(log.size(), 3);
    QCOMPARE(log.snapshot().constFirst().body.front(), 'h'); // event 7 (0-based)
}

void TestTrafficLogBytes::severalDroppedAtOnce()
{
    TrafficLog log;
    log.setByteCapacity(64 * 1024);
    for (int i = 0; i < 20; ++i)
        log.append(bodyEvent(i, 2000));
    QCOMPARE(log.droppedCount(), 0u);
    QCOMPARE(log.storedBytes(), sumOfCosts(log));
    const QList<TrafficEvent> before = log.snapshot();

    // One answer of 40 KB needs the room of many small ones: one aboutToDrop for all of them,
    // sent while they are still there.
    QList<std::pair<int, qsizetype>> drops; // count, size at the time
    connect(&log, &TrafficLog::aboutToDrop, this, [&](int count) {
        drops << std::pair{count, log.size()};
    });
    QSignalSpy added(&log, &TrafficLog::eventAdded);
    log.append(bodyEvent(20, 40000));

    QCOMPARE(drops.size(), 1);
    const int count = drops.at(0).first;
    QVERIFY2(count > 1, qPrintable(QString::number(count)));
    QCOMPARE(drops.at(0).second, 20);
    QCOMPARE(added.size(), 1);
    QCOMPARE(log.size(), qsizetype(20 - count + 1));
    QCOMPARE(log.droppedCount(), quint64(count));
    QVERIFY(log.storedBytes() <= log.byteCapacity());
    QCOMPARE(log.storedBytes(), sumOfCosts(log));
    // No more than needed: keeping the last one dropped would not have fitted.
    QVERIFY(log.storedBytes() + TrafficLog::estimatedBytes(before.at(count - 1))
            > log.byteCapacity());
    // The survivors are the newest, in order.
    QList<quint64> expected;
    for (quint64 seq = quint64(count) + 1; seq <= 21; ++seq)
        expected << seq;
    QCOMPARE(seqs(log), expected);
}

void TestTrafficLogBytes::eventOverTheBoundKeptAlone()
{
    TrafficLog log;
    log.setByteCapacity(10000);
    log.append(bodyEvent(0, 100));
    log.append(bodyEvent(1, 100));
    QSignalSpy drops(&log, &TrafficLog::aboutToDrop);

    log.append(bodyEvent(2, 50000));
    QCOMPARE(seqs(log), (QList<quint64>{3}));
    QCOMPARE(drops.size(), 1);
    QCOMPARE(drops.at(0).at(0).toInt(), 2);
    QVERIFY(log.storedBytes() > log.byteCapacity());
    QCOMPARE(log.storedBytes(), sumOfCosts(log));

    // The next event, big or small, replaces it.
    log.append(bodyEvent(3, 60000));
    QCOMPARE(seqs(log), (QList<quint64>{4}));
    log.append(bodyEvent(4, 100));
    QCOMPARE(seqs(log), (QList<quint64>{5}));
    QVERIFY(log.storedBytes() <= log.byteCapacity());
    QCOMPARE(log.droppedCount(), 4u);
    QCOMPARE(drops.size(), 3);
}

void TestTrafficLogBytes::shrinkingByteCapacityDrops()
{
    TrafficLog log;
    for (int i = 0; i < 5; ++i)
        log.append(bodyEvent(i, 4000));
    const qsizetype cost = TrafficLog::estimatedBytes(bodyEvent(0, 4000));
    QCOMPARE(log.storedBytes(), 5 * cost);
    QSignalSpy drops(&log, &TrafficLog::aboutToDrop);

    log.setByteCapacity(2 * cost);
    QCOMPARE(drops.size(), 1);
    QCOMPARE(drops.at(0).at(0).toInt(), 3);
    QCOMPARE(seqs(log), (QList<quint64>{4, 5}));
    QCOMPARE(log.storedBytes(), 2 * cost);
    QCOMPARE(log.droppedCount(), 3u);

    // Growing drops nothing.
    log.setByteCapacity(100 * cost);
    QCOMPARE(drops.size(), 1);
    QCOMPARE(log.size(), 2);

    // Below the newest event's own cost: the newest stays.
    log.setByteCapacity(1);
    QCOMPARE(drops.size(), 2);
    QCOMPARE(drops.at(1).at(0).toInt(), 1);
    QCOMPARE(seqs(log), (QList<quint64>{5}));
    QCOMPARE(log.storedBytes(), cost);
    log.setByteCapacity(1);
    QCOMPARE(drops.size(), 2);
}

void TestTrafficLogBytes::countBoundStillApplies()
{
    // Small events: the count bound is the one that bites.
    TrafficLog log;
    log.setCapacity(4);
    log.setByteCapacity(1024 * 1024);
    for (int i = 0; i < 10; ++i)
        log.append(bodyEvent(i, 10));
    QCOMPARE(seqs(log), (QList<quint64>{7, 8, 9, 10}));
    QCOMPARE(log.storedBytes(), sumOfCosts(log));
    QCOMPARE(log.droppedCount(), 6u);
}

void TestTrafficLogBytes::clearResetsBytes()
{
    TrafficLog log;
    log.setByteCapacity(30000);
    for (int i = 0; i < 8; ++i)
        log.append(bodyEvent(i, 5000));
    QVERIFY(log.droppedCount() > 0);
    QVERIFY(log.storedBytes() > 0);

    log.clear();
    QCOMPARE(log.storedBytes(), 0);
    QCOMPARE(log.droppedCount(), 0u);
    QCOMPARE(log.byteCapacity(), 30000);

    // After clearing, the whole budget is there again.
    QSignalSpy drops(&log, &TrafficLog::aboutToDrop);
    const TrafficEvent e = bodyEvent(9, 5000);
    const qsizetype cost = TrafficLog::estimatedBytes(e);
    const int fits = int(30000 / cost);
    for (int i = 0; i < fits; ++i)
        log.append(bodyEvent(i, 5000));
    QCOMPARE(drops.size(), 0);
    QCOMPARE(log.storedBytes(), fits * cost);
    log.append(e);
    QCOMPARE(drops.size(), 1);
}

QTEST_GUILESS_MAIN(TestTrafficLogBytes)
#include "tst_trafficlogbytes.moc"
