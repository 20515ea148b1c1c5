// Saving traffic and opening it again: the same events come back, a bad line is skipped and
// named by its line number, a file with no events at all is refused with its name, a huge file
// keeps only what the log holds, and TrafficView says where the rows came from.

#include "core/traffic/trafficlog.h"
#include "trafficsamples.h"
#include "ui/traffic/trafficfile.h"
#include "ui/traffic/trafficfilterproxy.h"
#include "ui/traffic/trafficlogmodel.h"
#include "ui/traffic/trafficview.h"

#include <QCheckBox>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using traffic::TrafficEvent;
using ui::TrafficLogModel;

namespace {

QList<TrafficEvent> sampleEvents()
{
    QList<TrafficEvent> events{
        samples::request(u"s"_s, u"1"_s, u"tools/call"_s),
        samples::upstream(u"s"_s, u"1"_s),
        samples::response(u"s"_s, u"1"_s, u"tools/call"_s),
        samples::request(u"s"_s, u"2"_s, u"tools/list"_s),
        samples::response(u"s"_s, u"2"_s, u"tools/list"_s, true),
        samples::notification(u"s"_s, u"notifications/tools/list_changed"_s),
    };
    TrafficEvent binary = samples::upstream(u"s"_s, u"9"_s, u"http://127.0.0.1:1/img"_s, 502);
    binary.body = QByteArray("\x89PNG\r\n\x1a\n\xff\xfe", 10); // kept as base64
    events << binary;
    TrafficEvent note;
    note.kind = traffic::EventKind::Note;
    note.summary = u"Upstream “Pantry” is slow — ünïcödé"_s;
    events << note;
    quint64 seq = 100;
    qint64 time = 1'700'000'000'000;
    for (TrafficEvent &e : events) {
        e.seq = ++seq;
        e.timeMs = (time += 37);
    }
    return events;
}

QByteArray jsonLine(const TrafficEvent &e)
{
    return QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) + '\n';
}

bool write(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QList<QByteArray> asJson(const QList<TrafficEvent> &events)
{
    QList<QByteArray> out;
    for (const TrafficEvent &e : events)
        out << jsonLine(e);
    return out;
}

} // namespace

class TestTrafficFile : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void saveThenReopenGivesIdenticalEvents();
    void badLineIsSkippedAndNamed();
    void fileWithoutEventsIsRefused_data();
    void fileWithoutEventsIsRefused();
    void emptyFileOpensEmpty();
    void toleratesByteOrderMarkAndCrLf();
    void keepsOnlyTheNewestThatFit();
    void failedOpenLeavesModelAlone();
    void viewOpensFileWithMarker();
    void showSourceIndexClearsHidingFilters();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestTrafficFile::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestTrafficFile::saveThenReopenGivesIdenticalEvents()
{
    TrafficLogModel saved;
    for (const TrafficEvent &e : sampleEvents())
        saved.appendEvent(e);
    saved.flushPending();
    const QString path = m_dir->filePath(u"session.jsonl"_s);
    QVERIFY(write(path, saved.toJsonLines()));

    TrafficLogModel reopened;
    const auto loaded = ui::loadTrafficFile(path, &reopened);
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
    QCOMPARE(loaded->events.size(), sampleEvents().size());
    QCOMPARE(loaded->badLines, 0);
    QVERIFY(loaded->warning().isEmpty());
    QCOMPARE(asJson(reopened.events()), asJson(saved.events()));
    QCOMPARE(reopened.toJsonLines(), saved.toJsonLines());
    QCOMPARE(reopened.rowCount(), saved.rowCount()); // pairs and exchanges rebuilt the same
    const auto binary = reopened.events().at(6);
    QCOMPARE(binary.body, QByteArray("\x89PNG\r\n\x1a\n\xff\xfe", 10));
    QCOMPARE(loaded->marker(), u"Opened from session.jsonl — 8 events"_s);
}

void TestTrafficFile::badLineIsSkippedAndNamed()
{
    const QList<TrafficEvent> events = sampleEvents();
    QByteArray bytes = jsonLine(events[0]);
    bytes += "{\"kind\":\"mcp\", this is not json\n"; // line 2
    bytes += jsonLine(events[1]);
    bytes += "\n";                      // line 4: blank lines are fine
    bytes += "{\"hello\":\"world\"}\n"; // line 5: JSON, not an event
    bytes += "[1,2,3]\n";               // line 6
    bytes += jsonLine(events[2]);       // line 7, no newline at the end:
    bytes.chop(1);
    const QString path = m_dir->filePath(u"broken.jsonl"_s);
    QVERIFY(write(path, bytes));

    const auto read = ui::readTrafficFile(path, 100);
    QVERIFY2(read, qPrintable(read ? QString() : read.error().toString()));
    QCOMPARE(read->events.size(), 3);
    QCOMPARE(read->events.last().seq, events[2].seq);
    QCOMPARE(read->badLines, 3);
    QCOMPARE(read->firstBadLine, 2);
    QCOMPARE(read->problems.size(), 3);
    QVERIFY2(read->problems[0].startsWith(u"line 2: not valid JSON"_s),
             qPrintable(read->problems[0]));
    QVERIFY2(read->problems[1].startsWith(u"line 5: "_s), qPrintable(read->problems[1]));
    QVERIFY(read->problems[1].contains(u"not a traffic event"_s));
    QVERIFY2(read->problems[2].startsWith(u"line 6: "_s), qPrintable(read->problems[2]));
    const QString warning = read->warning();
    QVERIFY2(warning.contains(u"3 lines of broken.jsonl were skipped"_s), qPrintable(warning));
    QVERIFY(warning.contains(u"line 2"_s));
    QVERIFY2(read->marker().contains(u"first at line 2"_s), qPrintable(read->marker()));

    // Many bad lines: the first few are described, the rest counted.
    QByteArray many;
    for (int i = 0; i < 20; ++i)
        many += "garbage\n";
    many += jsonLine(events[0]);
    QVERIFY(write(path, many));
    const auto lots = ui::readTrafficFile(path, 100);
    QVERIFY(lots);
    QCOMPARE(lots->badLines, 20);
    QCOMPARE(lots->problems.size(), ui::TrafficFileContents::MaxProblems);
    QVERIFY2(lots->warning().contains(u"and 15 more"_s), qPrintable(lots->warning()));
}

void TestTrafficFile::fileWithoutEventsIsRefused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("line");
    QTest::newRow("garbage") << QByteArray("hello\nworld\n") << 1;
    QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0", 11) << 1;
    QTest::newRow("blank then object") << QByteArray("\n\n{\"a\":1}\n") << 3;
    QTest::newRow("event missing seq")
        << QByteArray("{\"kind\":\"mcp\",\"direction\":\"inbound\"}") << 1;
}

void TestTrafficFile::fileWithoutEventsIsRefused()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, line);
    const QString path = m_dir->filePath(u"notes.txt"_s);
    QVERIFY(write(path, bytes));
    const auto read = ui::readTrafficFile(path, 100);
    QVERIFY(!read);
    QCOMPARE(read.error().where, path + u':' + QString::number(line));
    QVERIFY2(
        read.error().message.startsWith(u"notes.txt holds no traffic events; line %1:"_s.arg(line)),
        qPrintable(read.error().message));
}

void TestTrafficFile::emptyFileOpensEmpty()
{
    const QString path = m_dir->filePath(u"empty.jsonl"_s);
    QVERIFY(write(path, {}));
    const auto read = ui::readTrafficFile(path, 100);
    QVERIFY(read);
    QVERIFY(read->events.isEmpty());
    QCOMPARE(read->marker(), u"Opened from empty.jsonl — 0 events"_s);
}

void TestTrafficFile::toleratesByteOrderMarkAndCrLf()
{
    const QList<TrafficEvent> events = sampleEvents();
    QByteArray bytes = "\xEF\xBB\xBF" + jsonLine(events[0]).chopped(1) + "\r\n"
                       + jsonLine(events[3]).chopped(1) + "\r\n";
    const QString path = m_dir->filePath(u"windows.jsonl"_s);
    QVERIFY(write(path, bytes));
    const auto read = ui::readTrafficFile(path, 100);
    QVERIFY(read);
    QCOMPARE(read->badLines, 0);
    QCOMPARE(read->events.size(), 2);
}

void TestTrafficFile::keepsOnlyTheNewestThatFit()
{
    QByteArray bytes;
    for (int i = 1; i <= 50; ++i) {
        TrafficEvent e = samples::notification(u"s"_s, u"notifications/message"_s);
        e.seq = quint64(i);
        bytes += jsonLine(e);
    }
    const QString path = m_dir->filePath(u"long.jsonl"_s);
    QVERIFY(write(path, bytes));

    TrafficLogModel model;
    model.setCapacity(8);
    const auto loaded = ui::loadTrafficFile(path, &model);
    QVERIFY(loaded);
    QCOMPARE(loaded->eventLines, 50);
    QCOMPARE(loaded->olderLeftOut, 42);
    QCOMPARE(model.eventCount(), 8);
    QCOMPARE(model.events().first().seq, quint64(43));
    QCOMPARE(model.events().last().seq, quint64(50));
    QVERIFY2(loaded->warning().contains(u"newest 8"_s), qPrintable(loaded->warning()));
    QVERIFY(loaded->marker().contains(u"only the newest 8"_s));
}

void TestTrafficFile::failedOpenLeavesModelAlone()
{
    traffic::TrafficLog log;
    TrafficLogModel model;
    model.setLog(&log);
    log.append(samples::request(u"s"_s, u"1"_s, u"ping"_s));
    QTRY_COMPARE(model.rowCount(), 1);

    const QString missing = m_dir->filePath(u"nope.jsonl"_s);
    const auto read = ui::loadTrafficFile(missing, &model);
    QVERIFY(!read);
    QCOMPARE(read.error().where, missing);
    QVERIFY(read.error().message.contains(u"Could not open"_s));
    QCOMPARE(model.log(), &log);
    QCOMPARE(model.rowCount(), 1);

    const auto folder = ui::loadTrafficFile(m_dir->path(), &model);
    QVERIFY(!folder);
    QVERIFY(folder.error().message.contains(u"folder"_s));
    QCOMPARE(model.log(), &log);
}

void TestTrafficFile::viewOpensFileWithMarker()
{
    traffic::TrafficLog log;
    ui::TrafficView view;
    view.setLog(&log);
    view.resize(900, 400);
    view.show();
    QVERIFY(!view.openButton()->toolTip().isEmpty());
    QVERIFY(view.sourceMarker().isEmpty());
    QVERIFY(view.markerLabel()->isHidden());

    for (const TrafficEvent &e : sampleEvents())
        log.append(e);
    QTRY_COMPARE(view.model()->eventCount(), 8);
    const QString path = m_dir->filePath(u"from-view.jsonl"_s);
    QCOMPARE(view.exportTo(path), QString());
    log.clear();
    QTRY_COMPARE(view.model()->eventCount(), 0);

    const auto opened = view.openFile(path);
    QVERIFY(opened);
    QCOMPARE(view.model()->log(), nullptr); // no longer follows the live log
    QCOMPARE(view.model()->eventCount(), 8);
    QVERIFY2(view.sourceMarker().startsWith(u"Opened from from-view.jsonl"_s),
             qPrintable(view.sourceMarker()));
    QVERIFY(view.markerLabel()->isVisible());
    QCOMPARE(view.markerLabel()->text(), view.sourceMarker());
    // Live events of the studio's own bridge no longer reach the model.
    log.append(samples::request(u"s"_s, u"50"_s, u"ping"_s));
    QCOMPARE(view.model()->pendingCount(), 0);

    // Following a log again takes the marker away.
    view.setLog(&log);
    QVERIFY(view.sourceMarker().isEmpty());
    QVERIFY(view.markerLabel()->isHidden());

    // Clear after opening a file also forgets where it came from.
    QVERIFY(view.openFile(path));
    QVERIFY(!view.sourceMarker().isEmpty());
    QTest::mouseClick(view.clearButton(), Qt::LeftButton);
    QVERIFY(view.sourceMarker().isEmpty());
}

void TestTrafficFile::showSourceIndexClearsHidingFilters()
{
    ui::TrafficView view;
    for (const TrafficEvent &e : sampleEvents())
        view.model()->appendEvent(e);
    view.model()->flushPending();
    view.errorsOnlyBox()->setChecked(true);
    const QModelIndex ok = view.model()->index(0, 0); // tools/call that worked
    QVERIFY(!view.proxy()->mapFromSource(ok).isValid());
    QVERIFY(view.showSourceIndex(ok));
    QVERIFY(!view.errorsOnlyBox()->isChecked());
    QCOMPARE(view.proxy()->mapToSource(view.tree()->currentIndex()), ok);
    QVERIFY(!view.showSourceIndex(QModelIndex()));
}

QTEST_MAIN(TestTrafficFile)
#include "tst_trafficfile.moc"
