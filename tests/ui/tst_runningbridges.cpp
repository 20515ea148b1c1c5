// "Running bridges": the list follows the tap folder (rows keep their identity, the studio's own
// process is left out), and the panel attaches the traffic model to a real headless
// `mcpbridge serve --http` started here: its request, response and API call arrive, the marker
// names it, detaching leaves it serving, and killing it ends the attachment and the row.

#include "core/bridge/documentio.h"
#include "core/traffic/tapregistry.h"
#include "core/traffic/trafficevent.h"
#include "core/util/atomicfile.h"
#include "tests/fixtures/fixturedocuments.h"
#include "tests/fixtures/fixtureupstream.h"
#include "ui/bridges/runningbridgesmodel.h"
#include "ui/bridges/runningbridgespanel.h"
#include "ui/bridges/trafficattachment.h"
#include "ui/traffic/trafficlogmodel.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocalServer>
#include <QLocalSocket>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using traffic::TapInfo;
using traffic::TrafficEvent;
using ui::RunningBridgesModel;
using ui::TrafficAttachment;
using ui::TrafficLogModel;

namespace {

struct HttpAnswer
{
    int status = 0;
    QByteArray sessionId;
    QByteArray body;
};

QByteArray rpc(int id, const QString &method, const QJsonObject &params = {})
{
    QJsonObject object{{u"jsonrpc"_s, u"2.0"_s}, {u"method"_s, method}};
    if (id > 0)
        object.insert(u"id"_s, id);
    if (!params.isEmpty())
        object.insert(u"params"_s, params);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray echoCall(int id, const QString &text)
{
    return rpc(id, u"tools/call"_s,
               {{u"name"_s, u"echo"_s}, {u"arguments"_s, QJsonObject{{u"text"_s, text}}}});
}

// A top-level row of `model` for an MCP request with this method and id, or an invalid index.
QModelIndex findRequest(const TrafficLogModel &model, const QString &method, const QString &id)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, 0);
        const auto event = index.data(TrafficLogModel::EventRole).value<TrafficEvent>();
        if (event.messageType == u"request" && event.method == method && event.rpcId == id)
            return index;
    }
    return {};
}

QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

class TestRunningBridges : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void formatUptime_data();
    void formatUptime();
    void modelFollowsFolderKeepingRows();
    void folderChangeRefreshesWithoutTimer();
    void panelEmptyStateAndTooltips();
    void attachmentShowsDropsClearsAndEnd();
    void attachmentFailsForVanishedBridge();
    void attachToHeadlessBridge();

private:
    QString tapDir() const { return m_runtime->path() + u"/mcpbridge"_s; }
    QString writeInfo(const QString &stem, const QString &name, qint64 pid, int sessions = 0);
    HttpAnswer post(const QUrl &url, const QByteArray &body, const QByteArray &sessionId = {});

    QString m_binary;
    std::unique_ptr<QTemporaryDir> m_runtime;
    QProcess *m_process = nullptr;
    QNetworkAccessManager m_nam;
};

void TestRunningBridges::initTestCase()
{
    const QByteArray binaryDir = qgetenv("MCPBRIDGE_BINARY_DIR");
    QVERIFY2(!binaryDir.isEmpty(), "run through ctest (MCPBRIDGE_BINARY_DIR is not set)");
    m_binary = QString::fromLocal8Bit(binaryDir) + u"/app/cli/mcpbridge"_s;
    QVERIFY2(QFileInfo(m_binary).isExecutable(), qPrintable(m_binary + u" is not built"_s));
}

void TestRunningBridges::init()
{
    // A private runtime folder: the list sees only what this test starts, and the bridge
    // started below publishes its tap here (children inherit the environment).
    m_runtime = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/bridges-XXXXXX"_s);
    QVERIFY(m_runtime->isValid());
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime->path()));
}

void TestRunningBridges::cleanup()
{
    if (m_process) {
        if (m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
        delete m_process;
        m_process = nullptr;
    }
    m_runtime.reset();
}

QString TestRunningBridges::writeInfo(const QString &stem, const QString &name, qint64 pid,
                                      int sessions)
{
    if (!traffic::TapRegistry::ensureDirectory())
        return {};
    TapInfo info;
    info.name = name;
    info.title = name.toUpper();
    info.pid = pid;
    info.transport = u"stdio"_s;
    info.started = QDateTime::currentDateTimeUtc().addSecs(-90);
    info.socket = tapDir() + u'/' + stem + u".sock"_s;
    info.sessions = sessions;
    QFile socket(info.socket); // the registry only checks that it exists
    if (!socket.exists() && !socket.open(QIODevice::WriteOnly))
        return {};
    const QString path = tapDir() + u'/' + stem + u".json"_s;
    if (!writeFileAtomically(path, QJsonDocument(info.toJson()).toJson()))
        return {};
    return path;
}

HttpAnswer TestRunningBridges::post(const QUrl &url, const QByteArray &body,
                                    const QByteArray &sessionId)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    request.setRawHeader("Accept", "application/json, text/event-stream");
    if (!sessionId.isEmpty()) {
        request.setRawHeader("Mcp-Session-Id", sessionId);
        request.setRawHeader("MCP-Protocol-Version", "2025-11-25");
    }
    std::unique_ptr<QNetworkReply> reply(m_nam.post(request, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(15000);
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.sessionId = reply->rawHeader("Mcp-Session-Id");
    answer.body = reply->readAll();
    return answer;
}

void TestRunningBridges::formatUptime_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("expected");
    QTest::newRow("negative") << qint64(-5) << u"0 s"_s;
    QTest::newRow("seconds") << qint64(45) << u"45 s"_s;
    QTest::newRow("minutes") << qint64(192) << u"3 min 12 s"_s;
    QTest::newRow("hours") << qint64(2 * 3600 + 5 * 60) << u"2 h 05 min"_s;
    QTest::newRow("one day") << qint64(86400 + 3600) << u"1 day 1 h"_s;
    QTest::newRow("days") << qint64(3 * 86400 + 4 * 3600) << u"3 days 4 h"_s;
}

void TestRunningBridges::formatUptime()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, expected);
    QCOMPARE(RunningBridgesModel::formatUptime(seconds), expected);
}

void TestRunningBridges::modelFollowsFolderKeepingRows()
{
    RunningBridgesModel model;
    model.setRefreshInterval(0); // refresh() by hand: every step is exact
    QAbstractItemModelTester tester(&model);
    QCOMPARE(model.rowCount(), 0); // no folder yet

    // Two live processes that are not this one: the parent (ctest) and init.
    const qint64 parent = qint64(::getppid());
    const QString a = writeInfo(u"alpha-1"_s, u"alpha"_s, parent);
    QVERIFY(!a.isEmpty());
    model.refresh();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, RunningBridgesModel::NameColumn).data().toString(), u"ALPHA"_s);
    QCOMPARE(model.index(0, RunningBridgesModel::PidColumn).data().toString(),
             QString::number(parent));
    QCOMPARE(model.index(0, RunningBridgesModel::UptimeColumn).data().toString(), u"1 min 30 s"_s);
    QVERIFY(!model.index(0, 0).data(Qt::ToolTipRole).toString().isEmpty());
    const QPersistentModelIndex alpha = model.index(0, 0);

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QVERIFY(!writeInfo(u"beta-1"_s, u"beta"_s, 1).isEmpty());
    // The studio's own process (it may serve a bridge itself) is never listed.
    QVERIFY(!writeInfo(u"self-1"_s, u"self"_s, QCoreApplication::applicationPid()).isEmpty());
    model.refresh();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(alpha.row(), 0); // unchanged rows stay where they were
    QCOMPARE(model.rowOfPid(1), 1);
    QCOMPARE(model.rowOfPid(QCoreApplication::applicationPid()), -1);

    // A changed session count updates the row in place.
    changed.clear();
    QVERIFY(!writeInfo(u"alpha-1"_s, u"alpha"_s, parent, 3).isEmpty());
    model.refresh();
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(removed.size(), 0);
    QVERIFY(alpha.isValid());
    QCOMPARE(model.index(alpha.row(), RunningBridgesModel::SessionsColumn).data().toInt(), 3);
    bool sawAlphaChange = false;
    for (const QList<QVariant> &args : std::as_const(changed)) {
        const auto topLeft = args.at(0).value<QModelIndex>();
        sawAlphaChange |= topLeft.row() == alpha.row() && topLeft.column() == 0;
    }
    QVERIFY(sawAlphaChange);

    // Watching a bridge shows it in bold.
    model.setWatchedPid(1);
    QVERIFY(model.index(model.rowOfPid(1), 0).data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(!model.index(alpha.row(), 0).data(Qt::FontRole).isValid());

    // A bridge that stops: its row goes, the other keeps its identity.
    const QPersistentModelIndex beta = model.index(model.rowOfPid(1), 0);
    QVERIFY(QFile::remove(a));
    model.refresh();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(removed.size(), 1);
    QVERIFY(!alpha.isValid());
    QVERIFY(beta.isValid());
    QCOMPARE(beta.data(RunningBridgesModel::PidRole).toLongLong(), qint64(1));
    QCOMPARE(reset.size(), 0);
}

void TestRunningBridges::folderChangeRefreshesWithoutTimer()
{
    QVERIFY(traffic::TapRegistry::ensureDirectory());
    RunningBridgesModel model;
    model.setRefreshInterval(0); // only the folder watcher can notice
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!writeInfo(u"gamma-1"_s, u"gamma"_s, 1).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 5000);
    QVERIFY(QFile::remove(tapDir() + u"/gamma-1.json"_s));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, 5000);
}

void TestRunningBridges::panelEmptyStateAndTooltips()
{
    TrafficLogModel traffic;
    ui::RunningBridgesPanel panel(&traffic);
    panel.bridgesModel()->setRefreshInterval(0);
    panel.show();
    QVERIFY(panel.emptyLabel()->isVisible());
    QVERIFY(panel.emptyLabel()->text().contains(u"Claude Desktop, Cursor or “mcpbridge serve”"_s));
    QVERIFY(!panel.attachButton()->isEnabled());
    QVERIFY(!panel.detachButton()->isEnabled());
    QVERIFY(!panel.attachSelected());
    const QList<QWidget *> controls{panel.table(), panel.emptyLabel(), panel.statusLabel(),
                                    panel.attachButton(), panel.detachButton()};
    for (QWidget *w : controls)
        QVERIFY2(!w->toolTip().isEmpty(), w->metaObject()->className());
    for (int c = 0; c < RunningBridgesModel::ColumnCount; ++c)
        QVERIFY(!panel.bridgesModel()->headerData(c, Qt::Horizontal, Qt::ToolTipRole).isNull());

    QVERIFY(!writeInfo(u"zeta-1"_s, u"zeta"_s, 1).isEmpty());
    QVERIFY(!writeInfo(u"alpha-2"_s, u"alpha"_s, qint64(::getppid())).isEmpty());
    panel.bridgesModel()->refresh();
    QVERIFY(panel.table()->isVisible());
    QVERIFY(!panel.emptyLabel()->isVisible());
    // Sorted by name whatever order they came in.
    QCOMPARE(panel.table()->model()->index(0, 0).data().toString(), u"ALPHA"_s);
    QCOMPARE(panel.table()->model()->index(1, 0).data().toString(), u"ZETA"_s);
    panel.table()->selectRow(1);
    QVERIFY(panel.attachButton()->isEnabled());

    // Double-clicking a row attaches to it; these fake bridges have no socket to answer.
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy markers(&panel, &ui::RunningBridgesPanel::attachmentChanged);
    const QRect row0 = panel.table()->visualRect(panel.table()->model()->index(0, 0));
    // QTest's double-click is only the second click: a person clicks once first.
    QTest::mouseClick(panel.table()->viewport(), Qt::LeftButton, {}, row0.center());
    QTest::mouseDClick(panel.table()->viewport(), Qt::LeftButton, {}, row0.center());
    QTRY_VERIFY_WITH_TIMEOUT(panel.markerText().startsWith(u"Could not watch “ALPHA”"_s), 5000);
    QVERIFY(!markers.isEmpty());
    QCOMPARE(markers.last().first().toString(), panel.markerText());
    QCOMPARE(panel.statusLabel()->text(), panel.markerText());
    QVERIFY(!panel.detachButton()->isEnabled());
}

void TestRunningBridges::attachmentShowsDropsClearsAndEnd()
{
    // A tap that says exactly what the test wants: hello, an event, a gap, another event.
    QVERIFY(traffic::TapRegistry::ensureDirectory());
    QLocalServer server;
    const QString path = tapDir() + u"/fake.sock"_s;
    QVERIFY(server.listen(path));
    TapInfo info;
    info.name = u"fake"_s;
    info.title = u"Pantry & Recipes"_s;
    info.pid = 4242;
    info.transport = u"stdio"_s;
    info.socket = path;

    TrafficLogModel model;
    QAbstractItemModelTester tester(&model);
    TrafficAttachment attachment(&model);
    QSignalSpy attached(&attachment, &TrafficAttachment::attached);
    QSignalSpy dropped(&attachment, &TrafficAttachment::eventsDropped);
    QSignalSpy lost(&attachment, &TrafficAttachment::lostConnection);
    QSignalSpy detached(&attachment, &TrafficAttachment::detached);
    attachment.attach(info);
    QCOMPARE(attachment.state(), TrafficAttachment::State::Connecting);
    QVERIFY(attachment.markerText().startsWith(u"Connecting to “Pantry & Recipes”"_s));
    QVERIFY(server.waitForNewConnection(5000));
    QLocalSocket *tap = server.nextPendingConnection();
    QVERIFY(tap);

    TrafficEvent first;
    first.seq = 1;
    first.timeMs = 1'700'000'000'000;
    first.messageType = u"notification"_s;
    first.method = u"notifications/initialized"_s;
    TrafficEvent later = first;
    later.seq = 14;
    later.method = u"notifications/cancelled"_s;
    tap->write(line({{u"type"_s, u"hello"_s}, {u"tapProtocol"_s, 1}, {u"sessions"_s, 1}}));
    tap->write(line({{u"type"_s, u"event"_s}, {u"event"_s, first.toJson()}}));
    tap->write(line({{u"type"_s, u"historyEnd"_s}}));
    tap->write(line({{u"type"_s, u"dropped"_s}, {u"count"_s, 12}, {u"total"_s, 12}}));
    tap->write(line({{u"type"_s, u"event"_s}, {u"event"_s, later.toJson()}}));
    tap->flush();

    QTRY_COMPARE_WITH_TIMEOUT(attached.size(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(model.eventCount(), 3, 5000);
    QCOMPARE(attachment.state(), TrafficAttachment::State::Attached);
    QCOMPARE(attachment.droppedCount(), quint64(12));
    QCOMPARE(dropped.size(), 1);
    QCOMPARE(attachment.markerText(),
             u"Watching “Pantry & Recipes” — mcpbridge PID 4242, stdio · 12 events were skipped "
             "because the studio fell behind"_s);
    QCOMPARE(attachment.attachedTo(), attachment.markerText());
    // The gap is a row of its own, between the two events.
    const auto note = model.index(1, 0).data(TrafficLogModel::EventRole).value<TrafficEvent>();
    QVERIFY(note.kind == traffic::EventKind::Note);
    QVERIFY2(note.summary.contains(u"12 events were skipped"_s), qPrintable(note.summary));
    QCOMPARE(model.index(2, 0).data(TrafficLogModel::EventRole).value<TrafficEvent>().seq,
             quint64(14));

    // The bridge cleared its log: so does the view, as for the studio's own bridge.
    tap->write(line({{u"type"_s, u"cleared"_s}}));
    tap->flush();
    QTRY_COMPARE_WITH_TIMEOUT(model.eventCount(), 0, 5000);

    // The bridge goes away: the events stay, the marker says it ended.
    tap->write(line({{u"type"_s, u"event"_s}, {u"event"_s, later.toJson()}}));
    tap->flush();
    QTRY_COMPARE_WITH_TIMEOUT(model.eventCount(), 1, 5000);
    tap->disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, 5000);
    QCOMPARE(detached.size(), 0);
    QCOMPARE(attachment.state(), TrafficAttachment::State::Ended);
    QVERIFY2(attachment.markerText().contains(u"PID 4242 has ended"_s),
             qPrintable(attachment.markerText()));
    QCOMPARE(model.eventCount(), 1);

    // Attached again, then someone gives the model another source: we let go, marker empty.
    attachment.attach(info);
    QVERIFY(server.waitForNewConnection(5000));
    QVERIFY(server.nextPendingConnection());
    QVERIFY(attachment.isWatching());
    model.setLog(nullptr);
    QCOMPARE(detached.size(), 1);
    QVERIFY(!attachment.isWatching());
    QVERIFY(attachment.markerText().isEmpty());
}

void TestRunningBridges::attachmentFailsForVanishedBridge()
{
    TrafficLogModel model;
    TrafficAttachment attachment(&model);
    QSignalSpy failed(&attachment, &TrafficAttachment::attachFailed);
    TapInfo info;
    info.name = u"gone"_s;
    info.pid = 999999;
    info.socket = m_runtime->path() + u"/nothing-here.sock"_s;
    attachment.attach(info);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 5000);
    QCOMPARE(attachment.state(), TrafficAttachment::State::Detached);
    QVERIFY2(attachment.markerText().startsWith(u"Could not watch “gone”: "_s),
             qPrintable(attachment.markerText()));
}

void TestRunningBridges::attachToHeadlessBridge()
{
    fixtures::FixtureUpstream upstream;
    QVERIFY(upstream.listen(0));
    const auto document
        = tests::echoAndDelayDocument(upstream.baseUrl(), u"echoes"_s, u"Echo & Delay"_s);
    const QString config = m_runtime->path() + u"/echoes.mcpbridge.json"_s;
    QVERIFY(bridge::saveDocument(*document, config));

    m_process = new QProcess;
    m_process->setProgram(m_binary);
    m_process->setArguments({u"serve"_s, u"--http"_s, u"127.0.0.1:0"_s, u"--config"_s, config});
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    m_process->start();
    QVERIFY(m_process->waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(m_process->canReadLine(), 10000);
    const QString banner = QString::fromUtf8(m_process->readLine()).trimmed();
    static const QRegularExpression pattern(u"at (http://127\\.0\\.0\\.1:\\d+/mcp)$"_s);
    const QRegularExpressionMatch match = pattern.match(banner);
    QVERIFY2(match.hasMatch(), qPrintable(banner));
    const QUrl url(match.captured(1));
    const qint64 pid = m_process->processId();

    TrafficLogModel traffic;
    QAbstractItemModelTester trafficTester(&traffic);
    ui::RunningBridgesPanel panel(&traffic);
    panel.bridgesModel()->setRefreshInterval(200);
    panel.resize(700, 300);
    panel.show();
    QSignalSpy markers(&panel, &ui::RunningBridgesPanel::attachmentChanged);

    // The list finds it by itself.
    QTRY_VERIFY_WITH_TIMEOUT(panel.bridgesModel()->rowOfPid(pid) >= 0, 10000);
    QAbstractItemModel *table = panel.table()->model();
    int row = -1;
    for (int r = 0; r < table->rowCount(); ++r) {
        if (table->index(r, 0).data(RunningBridgesModel::PidRole).toLongLong() == pid)
            row = r;
    }
    QVERIFY(row >= 0);
    QCOMPARE(table->index(row, RunningBridgesModel::NameColumn).data().toString(),
             u"Echo & Delay"_s);
    QCOMPARE(table->index(row, RunningBridgesModel::TransportColumn).data().toString(), u"HTTP"_s);
    QCOMPARE(table->index(row, RunningBridgesModel::UrlColumn).data().toString(), url.toString());
    QVERIFY(!panel.emptyLabel()->isVisible());

    // Attach through the panel, as a person would.
    panel.table()->selectRow(row);
    QVERIFY(panel.attachButton()->isEnabled());
    QSignalSpy attached(panel.attachment(), &TrafficAttachment::attached);
    QTest::mouseClick(panel.attachButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(attached.size(), 1, 10000);
    const QString marker = panel.markerText();
    QVERIFY2(marker.startsWith(u"Watching “Echo & Delay” — mcpbridge PID %1"_s.arg(pid)),
             qPrintable(marker));
    QVERIFY2(marker.contains(url.toString()), qPrintable(marker));
    QVERIFY(!markers.isEmpty());
    QCOMPARE(markers.last().first().toString(), marker);
    QCOMPARE(panel.statusLabel()->text(), marker);
    QCOMPARE(panel.bridgesModel()->watchedPid(), pid);
    QVERIFY(!panel.attachButton()->isEnabled()); // already watching the selected one
    QVERIFY(panel.detachButton()->isEnabled());

    // An MCP session over HTTP, as a client would run it.
    const HttpAnswer init = post(
        url, rpc(1, u"initialize"_s,
                 {{u"protocolVersion"_s, u"2025-11-25"_s},
                  {u"capabilities"_s, QJsonObject{}},
                  {u"clientInfo"_s, QJsonObject{{u"name"_s, u"tst"_s}, {u"version"_s, u"1"_s}}}}));
    QCOMPARE(init.status, 200);
    QVERIFY(!init.sessionId.isEmpty());
    QCOMPARE(post(url, rpc(0, u"notifications/initialized"_s), init.sessionId).status, 202);
    const HttpAnswer call = post(url, echoCall(2, u"hello from the studio"_s), init.sessionId);
    QCOMPARE(call.status, 200);
    QVERIFY2(call.body.contains("hello from the studio"), call.body.constData());

    // Request, response and the API call it caused, in the model the table shows.
    QTRY_VERIFY_WITH_TIMEOUT(findRequest(traffic, u"tools/call"_s, u"2"_s).isValid()
                                 && findRequest(traffic, u"tools/call"_s, u"2"_s)
                                        .data(TrafficLogModel::HasResponseRole)
                                        .toBool()
                                 && traffic.rowCount(findRequest(traffic, u"tools/call"_s, u"2"_s))
                                        > 0,
                             10000);
    const QModelIndex request = findRequest(traffic, u"tools/call"_s, u"2"_s);
    QVERIFY(!request.data(TrafficLogModel::IsErrorRole).toBool());
    const auto response = request.data(TrafficLogModel::ResponseRole).value<TrafficEvent>();
    QVERIFY(response.body.contains("hello from the studio"));
    const auto exchange
        = traffic.index(0, 0, request).data(TrafficLogModel::EventRole).value<TrafficEvent>();
    QVERIFY(exchange.kind == traffic::EventKind::Upstream);
    QCOMPARE(exchange.httpStatus, 200);
    QVERIFY2(exchange.url.startsWith(upstream.baseUrl().toString() + u"/echo"_s),
             qPrintable(exchange.url));
    QVERIFY(findRequest(traffic, u"initialize"_s, u"1"_s).isValid());

    // Detach: our connection closes, the bridge serves on.
    QSignalSpy detached(panel.attachment(), &TrafficAttachment::detached);
    QTest::mouseClick(panel.detachButton(), Qt::LeftButton);
    QCOMPARE(detached.size(), 1);
    QVERIFY2(panel.markerText().startsWith(u"Stopped watching “Echo & Delay”"_s),
             qPrintable(panel.markerText()));
    QCOMPARE(panel.bridgesModel()->watchedPid(), 0);
    const int rowsAfterDetach = traffic.rowCount();
    const HttpAnswer again = post(url, echoCall(3, u"while nobody watches"_s), init.sessionId);
    QCOMPARE(again.status, 200);
    QVERIFY(again.body.contains("while nobody watches"));
    QCOMPARE(m_process->state(), QProcess::Running);
    QCOMPARE(traffic.rowCount(), rowsAfterDetach);

    // Attaching again brings what it recorded meanwhile (its history), then live traffic.
    QVERIFY(panel.attachToPid(pid));
    QTRY_VERIFY_WITH_TIMEOUT(findRequest(traffic, u"tools/call"_s, u"3"_s).isValid(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(panel.attachment()->state(), TrafficAttachment::State::Attached,
                              5000);

    // The bridge is killed: the attachment says so, the events stay, the row goes.
    QSignalSpy lost(panel.attachment(), &TrafficAttachment::lostConnection);
    ::kill(pid_t(pid), SIGKILL);
    QVERIFY(m_process->waitForFinished(5000));
    QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, 10000);
    QCOMPARE(panel.attachment()->state(), TrafficAttachment::State::Ended);
    QVERIFY2(panel.markerText().contains(u"PID %1 has ended"_s.arg(pid)),
             qPrintable(panel.markerText()));
    QVERIFY(findRequest(traffic, u"tools/call"_s, u"3"_s).isValid());
    QVERIFY(!panel.detachButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(panel.bridgesModel()->rowOfPid(pid), -1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(panel.emptyLabel()->isVisible(), 5000);
}

QTEST_MAIN(TestRunningBridges)
#include "tst_runningbridges.moc"
