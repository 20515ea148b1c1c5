#include "core/traffic/trafficlog.h"
#include "trafficsamples.h"
#include "ui/traffic/curlcommand.h"
#include "ui/traffic/trafficfilterproxy.h"
#include "ui/traffic/trafficlogmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using ui::TrafficLogModel;

class TestTrafficModel : public QObject
{
    Q_OBJECT
private slots:
    void testerWhileAppendingAndDropping();
    void pairsResponses_data();
    void pairsResponses();
    void pairsAcrossTurns();
    void nestsUpstreamExchanges();
    void dropsOldestWithoutLog();
    void followsByteDrivenMultiDrop();
    void byteBoundWithoutLog();
    void coalescesAppendsOfOneTurn();
    void filterProxy_data();
    void filterProxy();
    void exportsJsonLines();
    void curlCommandExact();
    void curlCommandHasNoSecret();
};

// A notification (a row of its own) holding `bodyBytes` bytes.
static traffic::TrafficEvent bulky(int index, qsizetype bodyBytes)
{
    auto event = samples::notification(u"s"_s, u"n%1"_s.arg(index));
    event.body = QByteArray(bodyBytes, 'x');
    event.size = bodyBytes;
    return event;
}

static QString cell(const QAbstractItemModel &model, int row, int column,
                    const QModelIndex &parent = {})
{
    return model.index(row, column, parent).data().toString();
}

void TestTrafficModel::testerWhileAppendingAndDropping()
{
    traffic::TrafficLog log;
    log.setCapacity(40);
    TrafficLogModel model;
    ui::TrafficFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.setSearchText(u"recipes"_s);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setLog(&log);
    for (int round = 0; round < 30; ++round) {
        const QString id = QString::number(round);
        const QString session = round % 2 ? u"a"_s : u"b"_s;
        log.append(samples::request(session, id, u"tools/call"_s));
        if (round % 3 == 0)
            model.flushPending(); // response and exchanges go under a row already shown
        log.append(samples::upstream(session, id));
        log.append(samples::notification(session, u"notifications/progress"_s));
        log.append(samples::upstream(session, id, u"http://127.0.0.1:8766/x"_s, 500));
        log.append(samples::response(session, id, u"tools/call"_s, round % 4 == 0));
        if (round % 2 == 0)
            model.flushPending();
        QCOMPARE(model.eventCount() + model.pendingCount(), int(log.size()));
    }
    model.flushPending();
    QCOMPARE(model.eventCount(), 40);
    QCOMPARE(log.droppedCount(), quint64(30 * 5 - 40));
    QVERIFY(model.rowCount() > 0);
    QVERIFY(proxy.rowCount() > 0);
    log.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestTrafficModel::pairsResponses_data()
{
    QTest::addColumn<QString>("responseSession");
    QTest::addColumn<bool>("isError");
    QTest::addColumn<int>("rows");
    QTest::addColumn<QString>("status");
    QTest::newRow("ok") << u"s1"_s << false << 1 << u"OK"_s;
    QTest::newRow("error") << u"s1"_s << true << 1 << u"Error"_s;
    QTest::newRow("other session") << u"s2"_s << false << 2 << u"Waiting…"_s;
}

void TestTrafficModel::pairsResponses()
{
    QFETCH(QString, responseSession);
    QFETCH(bool, isError);
    QFETCH(int, rows);
    QFETCH(QString, status);
    TrafficLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.appendEvent(samples::request(u"s1"_s, u"7"_s, u"tools/list"_s));
    model.appendEvent(samples::response(responseSession, u"7"_s, u"tools/list"_s, isError, 31));
    model.flushPending();
    QCOMPARE(model.rowCount(), rows);
    QCOMPARE(cell(model, 0, TrafficLogModel::MethodColumn), u"tools/list"_s);
    QCOMPARE(cell(model, 0, TrafficLogModel::IdColumn), u"7"_s);
    QCOMPARE(cell(model, 0, TrafficLogModel::StatusColumn), status);
    QCOMPARE(model.index(0, 0).data(TrafficLogModel::IsErrorRole).toBool(), isError);
    QCOMPARE(model.index(0, 0).data(TrafficLogModel::HasResponseRole).toBool(), rows == 1);
    if (rows == 1)
        QCOMPARE(cell(model, 0, TrafficLogModel::LatencyColumn), u"31 ms"_s);
}

void TestTrafficModel::pairsAcrossTurns()
{
    TrafficLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.appendEvent(samples::request(u"s"_s, u"1"_s, u"tools/call"_s));
    model.appendEvent(samples::request(u"s"_s, u"2"_s, u"tools/call"_s));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 5000);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.appendEvent(samples::response(u"s"_s, u"2"_s, u"tools/call"_s));
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 5000);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(cell(model, 0, TrafficLogModel::StatusColumn), u"Waiting…"_s);
    QCOMPARE(cell(model, 1, TrafficLogModel::StatusColumn), u"OK"_s);
}

void TestTrafficModel::nestsUpstreamExchanges()
{
    TrafficLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.appendEvent(samples::request(u"s"_s, u"3"_s, u"tools/call"_s));
    model.appendEvent(samples::upstream(u"s"_s, u"3"_s));
    model.flushPending();
    model.appendEvent(samples::upstream(u"s"_s, u"3"_s, u"http://127.0.0.1:8766/b"_s, 404));
    model.appendEvent(samples::upstream(u"other"_s, u"3"_s)); // no such request: its own row
    model.appendEvent(samples::response(u"s"_s, u"3"_s, u"tools/call"_s));
    model.flushPending();

    QCOMPARE(model.rowCount(), 2);
    const QModelIndex parent = model.index(0, 0);
    QCOMPARE(model.rowCount(parent), 2);
    QCOMPARE(cell(model, 0, TrafficLogModel::MethodColumn, parent),
             u"POST http://127.0.0.1:8766/recipes?q=soup"_s);
    QCOMPARE(cell(model, 0, TrafficLogModel::StatusColumn, parent), u"200"_s);
    QCOMPARE(cell(model, 0, TrafficLogModel::LatencyColumn, parent), u"5 ms"_s);
    QCOMPARE(cell(model, 1, TrafficLogModel::StatusColumn, parent), u"404"_s);
    QVERIFY(model.index(1, 0, parent).data(TrafficLogModel::IsErrorRole).toBool());
    QCOMPARE(model.index(1, 0, parent).parent(), parent);
    QCOMPARE(model.rowCount(model.index(1, 0)), 0);
    QVERIFY(model.index(1, 0).data(TrafficLogModel::IsUpstreamRole).toBool());
    QCOMPARE(cell(model, 0, TrafficLogModel::StatusColumn), u"OK"_s);
}

void TestTrafficModel::dropsOldestWithoutLog()
{
    TrafficLogModel model;
    model.setCapacity(3);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsAboutToBeRemoved);
    for (int i = 0; i < 5; ++i) {
        auto event = samples::notification(u"s"_s, u"n%1"_s.arg(i));
        event.seq = quint64(i + 1);
        model.appendEvent(event);
        model.flushPending();
    }
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(removed.size(), 2);
    QCOMPARE(cell(model, 0, TrafficLogModel::MethodColumn), u"n2"_s);
    QCOMPARE(cell(model, 2, TrafficLogModel::MethodColumn), u"n4"_s);
}

// The methods the rows show, and those of the events the log holds, oldest first.
static QStringList shownMethods(const TrafficLogModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << cell(model, row, TrafficLogModel::MethodColumn);
    return out;
}

static QStringList storedMethods(const traffic::TrafficLog &log)
{
    QStringList out;
    for (const traffic::TrafficEvent &event : log.snapshot())
        out << event.method;
    return out;
}

void TestTrafficModel::followsByteDrivenMultiDrop()
{
    traffic::TrafficLog log;
    log.setByteCapacity(64 * 1024);
    TrafficLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setLog(&log);
    QCOMPARE(model.byteCapacity(), log.byteCapacity());
    for (int i = 0; i < 20; ++i)
        log.append(bulky(i, 2000));
    model.flushPending();
    QCOMPARE(model.rowCount(), 20);
    QCOMPARE(log.droppedCount(), 0u);

    // Two more wait in the queue; then one big answer makes the log drop many shown events in
    // one go: the model removes their rows together and keeps the queued ones.
    log.append(bulky(20, 2000));
    log.append(bulky(21, 2000));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsAboutToBeRemoved);
    log.append(bulky(22, 40000));
    const int dropped = int(log.droppedCount());
    QVERIFY2(dropped > 2 && dropped < 20, qPrintable(QString::number(dropped)));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(removed.at(0).at(2).toInt(), dropped - 1);
    QCOMPARE(model.eventCount() + model.pendingCount(), int(log.size()));
    model.flushPending();
    QCOMPARE(shownMethods(model), storedMethods(log));
    QCOMPARE(cell(model, 0, TrafficLogModel::MethodColumn), u"n%1"_s.arg(dropped));

    // An answer larger than the whole bound: everything else goes, shown and queued alike.
    log.append(bulky(23, 100));
    log.append(bulky(24, 100));
    QVERIFY(model.pendingCount() > 0);
    log.append(bulky(25, 100000));
    QCOMPARE(log.size(), 1);
    QCOMPARE(model.eventCount() + model.pendingCount(), 1);
    model.flushPending();
    QCOMPARE(shownMethods(model), QStringList{u"n25"_s});

    // The next event replaces it; shrinking the log's bound drops at once, in one removal.
    log.append(bulky(26, 100));
    log.append(bulky(27, 100));
    log.append(bulky(28, 100));
    model.flushPending();
    QCOMPARE(shownMethods(model), (QStringList{u"n26"_s, u"n27"_s, u"n28"_s}));
    removed.clear();
    log.setByteCapacity(1);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(2).toInt(), 1);
    QCOMPARE(shownMethods(model), QStringList{u"n28"_s});
    QCOMPARE(model.storedBytes(), log.storedBytes());
}

void TestTrafficModel::byteBoundWithoutLog()
{
    // Fed by a bridge's tap or a file: the model keeps the bound itself.
    TrafficLogModel model;
    QCOMPARE(model.byteCapacity(), TrafficLogModel::DefaultByteCapacity);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const qsizetype cost = traffic::TrafficLog::estimatedBytes(bulky(0, 10000));
    model.setByteCapacity(4 * cost + cost / 2);
    for (int i = 0; i < 10; ++i) {
        auto event = bulky(i, 10000);
        event.seq = quint64(i + 1);
        model.appendEvent(event);
        if (i % 3 == 2)
            model.flushPending(); // drops shown and queued events alike
    }
    model.flushPending();
    QCOMPARE(shownMethods(model), (QStringList{u"n6"_s, u"n7"_s, u"n8"_s, u"n9"_s}));
    QCOMPARE(model.storedBytes(), 4 * cost);

    // Shrinking drops the oldest at once; the newest stays even alone over the bound.
    model.setByteCapacity(2 * cost);
    QCOMPARE(shownMethods(model), (QStringList{u"n8"_s, u"n9"_s}));
    model.setByteCapacity(1);
    QCOMPARE(shownMethods(model), QStringList{u"n9"_s});
    auto huge = bulky(10, 200000);
    huge.seq = 11;
    model.appendEvent(huge);
    model.flushPending();
    QCOMPARE(shownMethods(model), QStringList{u"n10"_s});
    model.clear();
    QCOMPARE(model.storedBytes(), 0);
}

void TestTrafficModel::coalescesAppendsOfOneTurn()
{
    traffic::TrafficLog log;
    TrafficLogModel model;
    model.setLog(&log);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 100; ++i)
        log.append(samples::notification(u"s"_s, u"n"_s));
    QCOMPARE(model.rowCount(), 0); // nothing until the event loop turns
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 100, 5000);
    QCOMPARE(inserted.size(), 1);
}

void TestTrafficModel::filterProxy_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("errorsOnly");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("rows"); // ids of the top-level rows shown
    QTest::addColumn<int>("childrenOfFirst");
    QTest::newRow("none") << QString() << false << QString() << QStringList{u"1"_s, u"2"_s, u""_s}
                          << 1;
    QTest::newRow("method") << u"tools/list"_s << false << QString() << QStringList{u"2"_s} << 0;
    QTest::newRow("errors: child keeps parent")
        << QString() << true << QString() << QStringList{u"1"_s} << 1;
    QTest::newRow("text in url") << QString() << false << u"/BROKEN"_s << QStringList{u"1"_s} << 1;
    QTest::newRow("text in body") << QString() << false << u"list_changed"_s << QStringList{u""_s}
                                  << 0;
    QTest::newRow("method and errors")
        << u"tools/list"_s << true << QString() << QStringList{} << 0;
}

void TestTrafficModel::filterProxy()
{
    QFETCH(QString, method);
    QFETCH(bool, errorsOnly);
    QFETCH(QString, text);
    QFETCH(QStringList, rows);
    QFETCH(int, childrenOfFirst);
    TrafficLogModel model;
    ui::TrafficFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.appendEvent(samples::request(u"s"_s, u"1"_s, u"tools/call"_s));
    model.appendEvent(samples::upstream(u"s"_s, u"1"_s, u"http://127.0.0.1:1/broken"_s, 500));
    model.appendEvent(samples::response(u"s"_s, u"1"_s, u"tools/call"_s));
    model.appendEvent(samples::request(u"s"_s, u"2"_s, u"tools/list"_s));
    model.appendEvent(samples::response(u"s"_s, u"2"_s, u"tools/list"_s));
    model.appendEvent(samples::notification(u"s"_s, u"notifications/tools/list_changed"_s));
    model.flushPending();
    proxy.setMethodFilter(method);
    proxy.setErrorsOnly(errorsOnly);
    proxy.setSearchText(text);
    QStringList shown;
    for (int row = 0; row < proxy.rowCount(); ++row)
        shown.append(cell(proxy, row, TrafficLogModel::IdColumn));
    QCOMPARE(shown, rows);
    if (!rows.isEmpty())
        QCOMPARE(proxy.rowCount(proxy.index(0, 0)), childrenOfFirst);
}

void TestTrafficModel::exportsJsonLines()
{
    traffic::TrafficLog log;
    TrafficLogModel model;
    model.setLog(&log);
    log.append(samples::request(u"s"_s, u"1"_s, u"tools/call"_s));
    log.append(samples::upstream(u"s"_s, u"1"_s));
    log.append(samples::notification(u"s"_s, u"notifications/progress"_s));
    log.append(samples::response(u"s"_s, u"1"_s, u"tools/call"_s));
    model.flushPending();
    const QByteArray text = model.toJsonLines();
    QVERIFY(text.endsWith('\n'));
    const QList<QByteArray> lines = text.trimmed().split('\n');
    const QList<traffic::TrafficEvent> expected = log.snapshot();
    QCOMPARE(lines.size(), expected.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(lines[i], &error);
        QVERIFY2(error.error == QJsonParseError::NoError, lines[i].constData());
        const auto event = traffic::TrafficEvent::fromJson(doc.object());
        QVERIFY(event.has_value());
        QCOMPARE(event->seq, expected[i].seq);
        QCOMPARE(event->method, expected[i].method);
        QCOMPARE(event->url, expected[i].url);
        QCOMPARE(event->body, expected[i].body);
    }
}

void TestTrafficModel::curlCommandExact()
{
    const QString command = ui::curlCommand(samples::upstream(u"s"_s, u"1"_s));
    QCOMPARE(command, u"curl -X POST 'http://127.0.0.1:8766/recipes?q=soup' \\\n"
                      "  -H 'Authorization: [redacted]' \\\n"
                      "  -H 'Content-Type: application/json' \\\n"
                      "  --data-raw '{\"name\":\"Tom'\\''s soup\"}'"_s);
    QVERIFY(ui::curlCommand(samples::request(u"s"_s, u"1"_s, u"x"_s)).isEmpty());
}

void TestTrafficModel::curlCommandHasNoSecret()
{
    const QString secret = u"s3cr3t-T0ken-value"_s;
    traffic::TrafficLog log;
    log.addSecret(secret);
    TrafficLogModel model;
    model.setLog(&log);
    log.append(samples::request(u"s"_s, u"1"_s, u"tools/call"_s));
    auto exchange = samples::upstream(u"s"_s, u"1"_s, u"http://127.0.0.1:1/r?key="_s + secret);
    exchange.body.replace(QByteArray("[redacted]"), QByteArray("Bearer " + secret.toUtf8()));
    log.append(exchange);
    model.flushPending();
    const auto event = model.index(0, 0, model.index(0, 0))
                           .data(TrafficLogModel::EventRole)
                           .value<traffic::TrafficEvent>();
    const QString command = ui::curlCommand(event);
    QVERIFY(command.startsWith(u"curl -X POST "_s));
    QVERIFY2(!command.contains(secret), qPrintable(command));
    QVERIFY(command.contains(u"Authorization: "_s));
    QVERIFY(!command.contains(u"Bearer s3"_s));
}

QTEST_MAIN(TestTrafficModel)
#include "tst_trafficmodel.moc"
