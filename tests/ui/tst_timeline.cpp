// The timeline of calls: lanes and their numbers (calls, median, slowest, failures, waiting)
// from a crafted sequence, kept up to date as answers arrive and old rows go, and the widget:
// it paints at any size, finds a mark under the mouse, says what it is, and selects it.

#include "trafficsamples.h"
#include "ui/traffic/timelinedata.h"
#include "ui/traffic/timelineview.h"
#include "ui/traffic/trafficlogmodel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using traffic::TrafficEvent;
using ui::TimelineData;
using ui::TrafficLogModel;

namespace {

constexpr qint64 T0 = 1'700'000'000'000; // a fixed moment, so times are exact

TrafficEvent call(const QString &id, const QString &method, const QString &name, qint64 atMs)
{
    TrafficEvent e = samples::request(u"s"_s, id, method);
    const QString key = method == u"resources/read" ? u"uri"_s : u"name"_s;
    e.body = QJsonDocument(QJsonObject{{u"jsonrpc"_s, u"2.0"_s},
                                       {u"id"_s, id.toInt()},
                                       {u"method"_s, method},
                                       {u"params"_s, QJsonObject{{key, name}}}})
                 .toJson(QJsonDocument::Compact);
    e.summary = method + u' ' + name;
    e.timeMs = atMs;
    return e;
}

TrafficEvent answer(const QString &id, const QString &method, qint64 atMs, qint64 ms,
                    bool isError = false)
{
    TrafficEvent e = samples::response(u"s"_s, id, method, isError, ms);
    e.timeMs = atMs + ms;
    return e;
}

// search_recipes: 3 calls (10, 30, 20 ms; the 30 ms one failed). get_recipe: one answered in
// 100 ms, one waiting. A prompt, two resources (one lane), and messages that are not calls.
QList<TrafficEvent> crafted()
{
    QList<TrafficEvent> events;
    auto add = [&](const QString &id, const QString &method, const QString &name, qint64 at,
                   qint64 ms, bool failed) {
        events << call(id, method, name, T0 + at);
        if (ms >= 0)
            events << answer(id, method, T0 + at, ms, failed);
    };
    events << call(u"1"_s, u"tools/list"_s, QString(), T0);
    events << answer(u"1"_s, u"tools/list"_s, T0, 3);
    add(u"2"_s, u"tools/call"_s, u"search_recipes"_s, 1000, 10, false);
    add(u"3"_s, u"tools/call"_s, u"search_recipes"_s, 2000, 30, true);
    add(u"4"_s, u"tools/call"_s, u"get_recipe"_s, 2500, 100, false);
    add(u"5"_s, u"tools/call"_s, u"search_recipes"_s, 3000, 20, false);
    add(u"6"_s, u"prompts/get"_s, u"weekly_plan"_s, 3500, 5, false);
    add(u"7"_s, u"resources/read"_s, u"pantry://items"_s, 4000, 7, false);
    add(u"8"_s, u"resources/read"_s, u"recipe://12"_s, 4500, 9, true);
    add(u"9"_s, u"tools/call"_s, u"get_recipe"_s, 5000, -1, false);
    // A request the bridge sent (elicitation) is not a call to a tool.
    TrafficEvent outbound = call(u"10"_s, u"tools/call"_s, u"not_ours"_s, T0 + 5500);
    outbound.direction = traffic::Direction::Outbound;
    events << outbound;
    events << samples::upstream(u"s"_s, u"2"_s);
    return events;
}

void fill(TrafficLogModel &model, const QList<TrafficEvent> &events)
{
    for (const TrafficEvent &e : events)
        model.appendEvent(e);
    model.flushPending();
}

} // namespace

class TestTimeline : public QObject
{
    Q_OBJECT
private slots:
    void median_data();
    void median();
    void lanesFromCraftedSequence();
    void followsTheModel();
    void nameFromSummaryWhenBodyHasNone();
    void paintsAtAnySize_data();
    void paintsAtAnySize();
    void hitTestTooltipAndClick();
    void keyboardMovesAndActivates();
    void manyLanesScroll();
    void repaintsAreCoalesced();
};

void TestTimeline::median_data()
{
    QTest::addColumn<QList<qint64>>("values");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("none") << QList<qint64>{} << qint64(-1);
    QTest::newRow("one") << QList<qint64>{42} << qint64(42);
    QTest::newRow("odd, unsorted") << QList<qint64>{30, 10, 20} << qint64(20);
    QTest::newRow("even: lower middle") << QList<qint64>{40, 10, 30, 20} << qint64(20);
    QTest::newRow("ties") << QList<qint64>{5, 5, 5, 100} << qint64(5);
}

void TestTimeline::median()
{
    QFETCH(QList<qint64>, values);
    QFETCH(qint64, expected);
    QCOMPARE(TimelineData::median(values), expected);
}

void TestTimeline::lanesFromCraftedSequence()
{
    TrafficLogModel model;
    fill(model, crafted());
    TimelineData data;
    data.setModel(&model);

    const QList<TimelineData::Lane> &lanes = data.lanes();
    QCOMPARE(lanes.size(), 4);
    // Tools by name, then prompts, then resources.
    QCOMPARE(lanes[0].title(), u"get_recipe"_s);
    QCOMPARE(lanes[1].title(), u"search_recipes"_s);
    QCOMPARE(lanes[2].title(), u"Prompt: weekly_plan"_s);
    QCOMPARE(lanes[3].title(), u"Resources read"_s);

    const TimelineData::Lane &search = lanes[1];
    QCOMPARE(search.count, 3);
    QCOMPARE(search.answered, 3);
    QCOMPARE(search.errors, 1);
    QCOMPARE(search.pending, 0);
    QCOMPARE(search.medianMs, qint64(20));
    QCOMPARE(search.maxMs, qint64(30));
    QCOMPARE(search.summary(), u"3 calls · median 20 ms · slowest 30 ms · 1 failed"_s);

    const TimelineData::Lane &get = lanes[0];
    QCOMPARE(get.count, 2);
    QCOMPARE(get.pending, 1);
    QCOMPARE(get.errors, 0);
    QCOMPARE(get.medianMs, qint64(100));
    QVERIFY2(get.summary().contains(u"1 waiting"_s), qPrintable(get.summary()));

    QCOMPARE(lanes[3].count, 2);
    QCOMPARE(lanes[3].errors, 1);
    QCOMPARE(lanes[3].medianMs, qint64(7));

    QCOMPARE(data.calls().size(), 8);
    QCOMPARE(data.firstMs(), T0 + 1000);
    QCOMPARE(data.lastMs(), T0 + 5000); // the waiting call's start; answers end before
    // Each call knows its lane and its row in the model.
    for (int i = 0; i < data.calls().size(); ++i) {
        const TimelineData::Call &c = data.calls().at(i);
        QVERIFY(lanes.at(c.lane).calls.contains(i));
        const auto request
            = data.sourceIndex(i).data(TrafficLogModel::EventRole).value<TrafficEvent>();
        QCOMPARE(request.timeMs, c.startMs);
    }
}

void TestTimeline::followsTheModel()
{
    TrafficLogModel model;
    QAbstractItemModelTester tester(&model);
    TimelineData data;
    data.setModel(&model);
    QSignalSpy changed(&data, &TimelineData::changed);
    QVERIFY(data.lanes().isEmpty());

    // A call, then its answer in a later batch (dataChanged on the row).
    model.appendEvent(call(u"1"_s, u"tools/call"_s, u"echo"_s, T0));
    model.flushPending();
    QVERIFY(!changed.isEmpty());
    QCOMPARE(data.lanes().size(), 1);
    QCOMPARE(data.lanes()[0].pending, 1);
    model.appendEvent(answer(u"1"_s, u"tools/call"_s, T0, 250, true));
    model.flushPending();
    QCOMPARE(data.lanes()[0].pending, 0);
    QCOMPARE(data.lanes()[0].errors, 1);
    QCOMPARE(data.lanes()[0].medianMs, qint64(250));
    QCOMPARE(data.lastMs(), T0 + 250);

    // Old rows dropped at the front: the calls left still point at their rows.
    for (int i = 2; i <= 6; ++i) {
        model.appendEvent(call(QString::number(i), u"tools/call"_s, u"other"_s, T0 + i * 1000));
        model.appendEvent(answer(QString::number(i), u"tools/call"_s, T0 + i * 1000, i));
    }
    model.flushPending();
    QCOMPARE(data.calls().size(), 6);
    model.setCapacity(4); // the newest 4 events: calls 5 and 6 with their answers
    QCOMPARE(data.calls().size(), 2);
    QCOMPARE(data.lanes().size(), 1);
    QCOMPARE(data.lanes()[0].title(), u"other"_s);
    QCOMPARE(data.lanes()[0].medianMs, qint64(5));
    for (int i = 0; i < data.calls().size(); ++i)
        QCOMPARE(data.sourceIndex(i).data(TrafficLogModel::EventRole).value<TrafficEvent>().timeMs,
                 data.calls().at(i).startMs);

    model.clear();
    QVERIFY(data.calls().isEmpty());
    QVERIFY(data.lanes().isEmpty());
}

void TestTimeline::nameFromSummaryWhenBodyHasNone()
{
    TrafficEvent request = call(u"1"_s, u"tools/call"_s, u"from_summary"_s, T0);
    request.body = "not json";
    const auto c = TimelineData::callFor(request, std::nullopt);
    QVERIFY(c.has_value());
    QCOMPARE(c->name, u"from_summary"_s);
    QVERIFY(!c->answered);
    QVERIFY(!TimelineData::callFor(samples::notification(u"s"_s, u"tools/call"_s), std::nullopt));
}

void TestTimeline::paintsAtAnySize_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("withData");
    QTest::addColumn<bool>("dark");
    for (const QSize s :
         {QSize(1, 1), QSize(60, 40), QSize(320, 160), QSize(900, 420), QSize(2400, 1400)}) {
        const QByteArray name
            = QByteArray::number(s.width()) + 'x' + QByteArray::number(s.height());
        QTest::newRow(QByteArray(name + " empty").constData()) << s << false << false;
        QTest::newRow(QByteArray(name + " light").constData()) << s << true << false;
        QTest::newRow(QByteArray(name + " dark").constData()) << s << true << true;
    }
}

void TestTimeline::paintsAtAnySize()
{
    QFETCH(QSize, size);
    QFETCH(bool, withData);
    QFETCH(bool, dark);
    TrafficLogModel model;
    if (withData)
        fill(model, crafted());
    ui::TimelineView view;
    if (dark) {
        QPalette p = view.palette();
        p.setColor(QPalette::Window, QColor(0x30, 0x30, 0x30));
        p.setColor(QPalette::Base, QColor(0x20, 0x20, 0x20));
        p.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2a, 0x2a));
        p.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
        p.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        p.setColor(QPalette::PlaceholderText, QColor(0xaa, 0xaa, 0xaa));
        p.setColor(QPalette::Mid, QColor(0x50, 0x50, 0x50));
        view.setPalette(p);
    }
    view.setModel(&model);
    view.resize(size);
    view.show();
    const QImage image = view.grab().toImage();
    QCOMPARE(image.size(), size * view.devicePixelRatio());
    if (withData && size.width() >= 320) {
        // Calls that worked are drawn in the highlight colour, failures in a red that suits the
        // background (light red on dark, deep red on light).
        const QColor worked = view.palette().color(QPalette::Highlight);
        const QColor failed = dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
        int workedPixels = 0;
        int failedPixels = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                workedPixels += c == worked;
                failedPixels += c == failed;
            }
        }
        QVERIFY(workedPixels > 0);
        QVERIFY(failedPixels > 0);
    }
}

void TestTimeline::hitTestTooltipAndClick()
{
    TrafficLogModel model;
    fill(model, crafted());
    ui::TimelineView view;
    view.setModel(&model);
    view.resize(900, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    const QList<TimelineData::Call> &calls = view.timelineData()->calls();
    int failed = -1;
    for (int i = 0; i < calls.size(); ++i) {
        if (calls[i].name == u"search_recipes" && calls[i].isError)
            failed = i;
    }
    QVERIFY(failed >= 0);
    const QRect r = view.callRect(failed);
    QVERIFY(!r.isEmpty());
    QCOMPARE(view.callAt(r.center()), failed);
    QCOMPARE(view.callAt(QPoint(1, 1)), -1); // the label column

    const QString tip = view.toolTipFor(failed);
    QVERIFY2(tip.contains(u"Tool: search_recipes"_s), qPrintable(tip));
    QVERIFY2(tip.contains(u"30 ms"_s), qPrintable(tip));
    QVERIFY2(tip.contains(u"Failed"_s), qPrintable(tip));
    QVERIFY2(tip.contains(QDateTime::fromMSecsSinceEpoch(T0 + 2000).toString(u"HH:mm:ss.zzz"_s)),
             qPrintable(tip));

    QSignalSpy activated(&view, &ui::TimelineView::callActivated);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, r.center());
    QCOMPARE(activated.size(), 1);
    const auto index = activated.first().first().value<QModelIndex>();
    QCOMPARE(index.model(), &model);
    const auto request = index.data(TrafficLogModel::EventRole).value<TrafficEvent>();
    QCOMPARE(request.rpcId, u"3"_s);
    QCOMPARE(view.currentCall(), failed);

    // A waiting call says so.
    int waiting = -1;
    for (int i = 0; i < calls.size(); ++i) {
        if (!calls[i].answered)
            waiting = i;
    }
    QVERIFY(view.toolTipFor(waiting).contains(u"No answer yet"_s));
    QCOMPARE(view.callAt(view.callRect(waiting).center()), waiting);
}

void TestTimeline::keyboardMovesAndActivates()
{
    TrafficLogModel model;
    fill(model, crafted());
    ui::TimelineView view;
    view.setModel(&model);
    view.resize(700, 300);
    QSignalSpy activated(&view, &ui::TimelineView::callActivated);
    QTest::keyClick(&view, Qt::Key_Home);
    QCOMPARE(view.currentCall(), 0);
    QTest::keyClick(&view, Qt::Key_Right);
    QCOMPARE(view.currentCall(), 1);
    QTest::keyClick(&view, Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.first().first().value<QModelIndex>(), view.timelineData()->sourceIndex(1));
    QTest::keyClick(&view, Qt::Key_End);
    QCOMPARE(view.currentCall(), int(view.timelineData()->calls().size()) - 1);

    // The current call stays the same call when older rows go.
    const auto before = view.timelineData()->calls().at(view.currentCall()).startMs;
    model.setCapacity(6);
    QVERIFY(view.currentCall() >= 0);
    QCOMPARE(view.timelineData()->calls().at(view.currentCall()).startMs, before);
}

void TestTimeline::manyLanesScroll()
{
    TrafficLogModel model;
    for (int i = 0; i < 60; ++i) {
        const QString id = QString::number(i + 1);
        model.appendEvent(
            call(id, u"tools/call"_s, u"tool_%1"_s.arg(i, 2, 10, QChar(u'0')), T0 + i * 10));
        model.appendEvent(answer(id, u"tools/call"_s, T0 + i * 10, i));
    }
    model.flushPending();
    ui::TimelineView view;
    view.setModel(&model);
    view.resize(600, 200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.timelineData()->lanes().size(), 60);
    // The last lane is out of view until the keyboard goes there.
    const int last = int(view.timelineData()->calls().size()) - 1;
    QTRY_VERIFY(view.callRect(last).isEmpty());
    view.setCurrentCall(last);
    QVERIFY(!view.callRect(last).isEmpty());
    QCOMPARE(view.callAt(view.callRect(last).center()), last);
    QVERIFY(!view.grab().isNull());
}

void TestTimeline::repaintsAreCoalesced()
{
    // 1,000 calls a second for half a second, in the model's 16 ms batches: the chart keeps up
    // by painting a few times, not once per batch.
    TrafficLogModel model;
    model.setCapacity(100000);
    ui::TimelineView view;
    view.setModel(&model);
    view.resize(800, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    struct PaintCounter : QObject
    {
        int paints = 0;
        bool eventFilter(QObject *, QEvent *event) override
        {
            paints += event->type() == QEvent::Paint;
            return false;
        }
    } counter;
    view.viewport()->installEventFilter(&counter);

    QElapsedTimer clock;
    clock.start();
    int id = 0;
    for (int batch = 0; batch < 30; ++batch) {
        for (int i = 0; i < 16; ++i) {
            ++id;
            const QString name = u"tool_%1"_s.arg(id % 7);
            model.appendEvent(call(QString::number(id), u"tools/call"_s, name, T0 + id));
            model.appendEvent(
                answer(QString::number(id), u"tools/call"_s, T0 + id, id % 50, id % 13 == 0));
        }
        model.flushPending();
        QCoreApplication::processEvents();
    }
    const qint64 feedMs = clock.elapsed();
    QTRY_VERIFY(counter.paints > 0);
    QTest::qWait(250); // let any pending repaint happen, to count it
    QVERIFY2(counter.paints <= 5, qPrintable(QString::number(counter.paints)));
    QCOMPARE(view.timelineData()->calls().size(), id);
    QCOMPARE(view.timelineData()->lanes().size(), 7);
    qInfo("fed %d calls in %lld ms, %d paints", id, feedMs, counter.paints);
}

QTEST_MAIN(TestTimeline)
#include "tst_timeline.moc"
