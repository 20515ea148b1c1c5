// The live traffic tap: what a listener receives (hello, history, live events, in order), that a
// listener that never reads neither blocks the log nor grows memory, the modes of the socket,
// the info file and the folder, cleanup, finding bridges, and that no secret leaves the process.

#include "core/traffic/eventline.h"
#include "core/traffic/tapclient.h"
#include "core/traffic/tapregistry.h"
#include "core/traffic/trafficlog.h"
#include "core/traffic/traffictap.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace mcpbridge::traffic;

namespace {

TrafficEvent makeEvent(int i, const QByteArray &body = {})
{
    TrafficEvent e;
    e.kind = i % 3 == 1 ? EventKind::Upstream : EventKind::Mcp;
    e.direction = i % 3 == 0 ? Direction::Inbound : Direction::Outbound;
    e.sessionId = u"stdio"_s;
    e.transport = u"stdio"_s;
    e.messageType = e.kind == EventKind::Mcp ? u"request"_s : QString();
    e.method = u"tools/call"_s;
    e.rpcId = QString::number(i);
    e.summary = u"event %1"_s.arg(i);
    e.body = body.isEmpty() ? QByteArray(R"({"jsonrpc":"2.0","id":)" + QByteArray::number(i) + "}")
                            : body;
    return e;
}

TapInfo makeInfo(const QString &name = u"pantry"_s)
{
    TapInfo info;
    info.name = name;
    info.title = u"Pantry & Recipes"_s;
    info.transport = u"stdio"_s;
    info.config = u"/somewhere/pantry.mcpbridge.json"_s;
    return info;
}

mode_t modeOf(const QString &path)
{
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return mode_t(-1);
    return st.st_mode;
}

// A listener that reads everything and keeps each JSON line.
class Reader : public QObject
{
public:
    explicit Reader(const QString &path)
    {
        connect(&socket, &QLocalSocket::readyRead, this, [this] {
            buffer += socket.readAll();
            qsizetype nl;
            while ((nl = buffer.indexOf('\n')) >= 0) {
                raw += buffer.left(nl + 1);
                lines << QJsonDocument::fromJson(buffer.left(nl)).object();
                buffer.remove(0, nl + 1);
            }
        });
        socket.connectToServer(path);
    }
    QList<QJsonObject> ofType(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &o : lines) {
            if (o.value("type"_L1).toString() == type)
                out << o;
        }
        return out;
    }
    QList<quint64> eventSeqs() const
    {
        QList<quint64> out;
        for (const QJsonObject &o : ofType(u"event"_s))
            out << quint64(o.value("event"_L1).toObject().value("seq"_L1).toInteger());
        return out;
    }
    QStringList types() const
    {
        QStringList out;
        for (const QJsonObject &o : lines)
            out << o.value("type"_L1).toString();
        return out;
    }

    QLocalSocket socket;
    QByteArray buffer;
    QByteArray raw;
    QList<QJsonObject> lines;
};

// A listener that connects and then never reads: a plain socket, so no Qt code drains it.
int connectRaw(const QString &path)
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    const QByteArray p = QFile::encodeName(path);
    if (fd < 0 || size_t(p.size()) >= sizeof(addr.sun_path))
        return -1;
    memcpy(addr.sun_path, p.constData(), size_t(p.size()));
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

QList<quint64> consecutive(quint64 from, quint64 to)
{
    QList<quint64> out;
    for (quint64 s = from; s <= to; ++s)
        out << s;
    return out;
}

} // namespace

class TstTrafficTap : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void helloHistoryThenLive();
    void lateListenerGetsRingHistory();
    void twoListenersGetTheSameStream();
    void listenerThatNeverReadsDoesNotBlockOrGrow();
    void slowListenerCatchesUpWithoutLoss();
    void clearedLogIsNotDropped();
    void modesAreOwnerOnly();
    void existingFolderIsMadePrivate();
    void unsafeFolderIsRefused_data();
    void unsafeFolderIsRefused();
    void infoFileContent();
    void sessionCountReachesInfoFileAndListeners();
    void filesRemovedOnDestruction();
    void staleEntriesAreIgnoredAndCleaned();
    void secretsNeverReachTheListener_data();
    void secretsNeverReachTheListener();
    void secretLearntAfterStoringIsRedactedOnTheWay();
    void tapClientSignals();
    void tapClientReportsMissingBridge();
    void fileStem_data();
    void fileStem();
    void select_data();
    void select();
    void eventLine_data();
    void eventLine();

private:
    std::unique_ptr<QTemporaryDir> m_runtime;
    QString tapDir() const { return m_runtime->path() + u"/mcpbridge"_s; }
};

void TstTrafficTap::init()
{
    m_runtime = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/tap-XXXXXX"_s);
    QVERIFY(m_runtime->isValid());
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime->path()));
}

void TstTrafficTap::cleanup()
{
    m_runtime.reset();
}

void TstTrafficTap::helloHistoryThenLive()
{
    TrafficLog log;
    for (int i = 0; i < 3; ++i)
        log.append(makeEvent(i));
    TrafficTap tap(&log, makeInfo());
    const auto ok = tap.listen();
    QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().toString()));

    Reader reader(tap.socketPath());
    QTRY_COMPARE_WITH_TIMEOUT(reader.ofType(u"historyEnd"_s).size(), 1, 5000);
    QCOMPARE(reader.types(),
             (QStringList{u"hello"_s, u"event"_s, u"event"_s, u"event"_s, u"historyEnd"_s}));
    const QJsonObject hello = reader.lines.first();
    QCOMPARE(hello.value("bridge"_L1).toString(), u"pantry"_s);
    QCOMPARE(hello.value("pid"_L1).toInteger(), QCoreApplication::applicationPid());
    QCOMPARE(hello.value("transport"_L1).toString(), u"stdio"_s);
    QCOMPARE(hello.value("historyCount"_L1).toInteger(), 3);

    log.append(makeEvent(3));
    log.append(makeEvent(4));
    QTRY_COMPARE_WITH_TIMEOUT(reader.eventSeqs().size(), 5, 5000);
    QCOMPARE(reader.eventSeqs(), consecutive(1, 5));
    // The event is the log's own JSON form, whole.
    const QList<TrafficEvent> stored = log.snapshot();
    const QList<QJsonObject> events = reader.ofType(u"event"_s);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(events.at(i).value("event"_L1).toObject(), stored.at(i).toJson());
    QVERIFY(reader.ofType(u"dropped"_s).isEmpty());
}

void TstTrafficTap::lateListenerGetsRingHistory()
{
    TrafficLog log;
    log.setCapacity(4);
    TrafficTap tap(&log, makeInfo());
    QVERIFY(tap.listen());
    for (int i = 0; i < 10; ++i)
        log.append(makeEvent(i));

    Reader reader(tap.socketPath());
    QTRY_COMPARE_WITH_TIMEOUT(reader.ofType(u"historyEnd"_s).size(), 1, 5000);
    QCOMPARE(reader.lines.first().value("historyCount"_L1).toInteger(), 4);
    // What the ring still holds, not what it let go before this listener existed.
    QCOMPARE(reader.eventSeqs(), consecutive(7, 10));
    QVERIFY(reader.ofType(u"dropped"_s).isEmpty());

    log.append(makeEvent(10));
    QTRY_COMPARE_WITH_TIMEOUT(reader.eventSeqs().size(), 5, 5000);
    QCOMPARE(reader.eventSeqs().last(), quint64(11));
    QCOMPARE(reader.types().indexOf(u"historyEnd"_s), 5); // hello + 4 history events
}

void TstTrafficTap::twoListenersGetTheSameStream()
{
    TrafficLog log;
    TrafficTap tap(&log, makeInfo());
    QVERIFY(tap.listen());
    Reader first(tap.socketPath());
    QTRY_COMPARE_WITH_TIMEOUT(tap.listenerCount(), 1, 5000);
    // Empty history: the end of it comes right after hello.
    QTRY_COMPARE_WITH_TIMEOUT(first.types(), (QStringList{u"hello"_s, u"historyEnd"_s}), 5000);
    log.append(makeEvent(0));
    Reader second(tap.socketPath());
    QTRY_COMPARE_WITH_TIMEOUT(tap.listenerCount(), 2, 5000);
    for (int i = 1; i < 50; ++i)
        log.append(makeEvent(i));
    QTRY_COMPARE_WITH_TIMEOUT(first.eventSeqs().size(), 50, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(second.eventSeqs().size(), 50, 5000);
    QCOMPARE(first.eventSeqs(), consecutive(1, 50));
    QCOMPARE(second.eventSeqs(), consecutive(1, 50));

    QSignalSpy gone(&tap, &TrafficTap::listenerDisconnected);
    first.socket.disconnectFromServer();
    QVERIFY(gone.wait(5000));
    QCOMPARE(tap.listenerCount(), 1);
    log.append(makeEvent(50));
    QTRY_COMPARE_WITH_TIMEOUT(second.eventSeqs().size(), 51, 5000);
}

void TstTrafficTap::listenerThatNeverReadsDoesNotBlockOrGrow()
{
    TrafficLog log;
    log.setCapacity(1000);
    TrafficTap tap(&log, makeInfo());
    tap.setBufferLimit(64 * 1024);
    QVERIFY(tap.listen());
    const int fd = connectRaw(tap.socketPath());
    QVERIFY(fd >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(tap.listenerCount(), 1, 5000);

    const QByteArray body = R"({"payload":")" + QByteArray(1000, 'x') + R"("})";
    const int total = 20000; // about 22 MB of lines: far more than any socket buffer holds
    qint64 largestBuffer = 0;
    for (int i = 0; i < total; ++i) {
        log.append(makeEvent(i, body));
        if (i % 100 == 0) {
            QCoreApplication::processEvents(); // the tap gets to write, as in a real server
            largestBuffer = std::max(largestBuffer, tap.bufferedBytes());
        }
    }
    QCOMPARE(log.lastSeq(), quint64(total));
    // Bounded by the limit plus one line (each line is about 1.3 KB).
    QVERIFY2(largestBuffer <= 64 * 1024 + 2048, qPrintable(QString::number(largestBuffer)));
    // Counted although the listener has not been told yet: at least what the log let go.
    QVERIFY(tap.droppedCount() >= quint64(total - 1000 - 200));

    // Now it reads: it gets a "dropped" line, then the events the log still holds, and the
    // accounting adds up to every event it was owed.
    QByteArray received;
    QList<QJsonObject> lines;
    quint64 lastSeq = 0;
    QDeadlineTimer deadline(20000);
    while (lastSeq < quint64(total) && !deadline.hasExpired()) {
        QCoreApplication::processEvents();
        char chunk[65536];
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
        if (n > 0)
            received.append(chunk, n);
        qsizetype nl;
        while ((nl = received.indexOf('\n')) >= 0) {
            const QJsonObject o = QJsonDocument::fromJson(received.left(nl)).object();
            received.remove(0, nl + 1);
            lines << o;
            if (o.value("type"_L1) == "event"_L1)
                lastSeq = quint64(o.value("event"_L1).toObject().value("seq"_L1).toInteger());
        }
        if (n <= 0)
            QTest::qWait(1);
    }
    ::close(fd);
    QCOMPARE(lastSeq, quint64(total));

    quint64 events = 0;
    quint64 dropped = 0;
    quint64 previous = 0;
    bool sawDroppedBeforeGap = true;
    quint64 pendingDrop = 0;
    for (const QJsonObject &o : std::as_const(lines)) {
        const QString type = o.value("type"_L1).toString();
        if (type == "dropped"_L1) {
            pendingDrop += quint64(o.value("count"_L1).toInteger());
            dropped += quint64(o.value("count"_L1).toInteger());
        } else if (type == "event"_L1) {
            const quint64 seq = quint64(o.value("event"_L1).toObject().value("seq"_L1).toInteger());
            // Every gap is announced, with its exact size, just before it.
            if (seq != previous + 1 + pendingDrop)
                sawDroppedBeforeGap = false;
            pendingDrop = 0;
            previous = seq;
            ++events;
        }
    }
    QVERIFY(dropped > 0);
    QVERIFY(sawDroppedBeforeGap);
    QCOMPARE(events + dropped, quint64(total));
    QCOMPARE(tap.droppedCount(), dropped);
}

void TstTrafficTap::slowListenerCatchesUpWithoutLoss()
{
    // A burst larger than the buffer but smaller than the log: the listener only falls behind,
    // the log still holds everything, so nothing is dropped.
    TrafficLog log;
    log.setByteCapacity(16 * 1024 * 1024); // 3,000 events of 0.5 KB: more than the default
    TrafficTap tap(&log, makeInfo());
    tap.setBufferLimit(8 * 1024);
    QVERIFY(tap.listen());
    Reader reader(tap.socketPath());
    QTRY_COMPARE_WITH_TIMEOUT(tap.listenerCount(), 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!reader.ofType(u"historyEnd"_s).isEmpty(), 5000);
    const QByteArray body = R"({"payload":")" + QByteArray(500, 'y') + R"("})";
    for (int i = 0; i < 3000; ++i)
        log.append(makeEvent(i, body));
    QVERIFY(tap.bufferedBytes() <= 8 * 1024 + 1024);
    QTRY_COMPARE_WITH_TIMEOUT(reader.eventSeqs().size(), 3000, 20000);
    QCOMPARE(reader.eventSeqs(), consecutive(1, 3000));
    QVERIFY(reader.ofType(u"dropped"_s).isEmpty());
}

void TstTrafficTap::clearedLogIsNotDropped()
{
    TrafficLog log;
    TrafficTap tap(&log, makeInfo());
    QVERIFY(tap.listen());
    log.append(makeEvent(0));
    Reader reader(tap.socketPath());
    QTRY_COMPARE_WITH_TIMEOUT(reader.eventSeqs().size(), 1, 5000);
    log.clear();
    log.append(makeEvent(1));
    QTRY_COMPARE_WITH_TIMEOUT(reader.eventSeqs().size(), 2, 5000);
    QCOMPARE(reader.types(),
             (QStringList{u"hello"_s, u"event"_s, u"historyEnd"_s, u"cleared"_s, u"event"_s}));
}

void TstTrafficTap::modesAreOwnerOnly()
{
    TrafficLog log;
    TrafficTap tap(&log, makeInfo());
    QVERIFY(tap.listen());
    const mode_t dir = modeOf(tapDir());
    QVERIFY(S_ISDIR(dir));
    QCOMPARE(dir & 0777, mode_t(0700));
    const mode_t socket = modeOf(tap.socketPath());
    QVERIFY(S_ISSOCK(socket));
    QCOMPARE(socket & 0777, mode_t(0600));
    const mode_t info = modeOf(tap.infoFilePath());
    QVERIFY(S_ISREG(info));
    QCOMPARE(info & 0777, mode_t(0600));
    QCOMPARE(QFileInfo(tap.socketPath()).absolutePath(), tapDir());
    // Nothing else is left in the folder (no temporary folder of QLocalServer's, no temp file).
    QCOMPARE(QDir(tapDir()).entryList(
                 QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name),
             (QStringList{QFileInfo(tap.infoFilePath()).fileName(),
                          QFileInfo(tap.socketPath()).fileName()}));
    // Rewriting the info file keeps it private.
    tap.setSessionCount(2);
    QCOMPARE(modeOf(tap.infoFilePath()) & 0777, mode_t(0600));
}

void TstTrafficTap::existingFolderIsMadePrivate()
{
    QVERIFY(QDir().mkpath(tapDir()));
    QVERIFY(::chmod(QFile::encodeName(tapDir()).constData(), 0755) == 0);
    TrafficLog log;
    TrafficTap tap(&log, makeInfo());
    QVERIFY(tap.listen());
    QCOMPARE(modeOf(tapDir()) & 0777, mode_t(0700));
}

void TstTrafficTap::unsafeFolderIsRefused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("symbolic link") << u"link"_s;
    QTest::newRow("plain file") << u"file"_s;
}

void TstTrafficTap::unsafeFolderIsRefused()
{
    QFETCH(QString, kind);
    if (kind == u"link") {
        QVERIFY(QDir().mkpath(m_runtime->path() + u"/elsewhere"_s));
        QVERIFY(QFile::link(m_runtime->path() + u"/elsewhere"_s, tapDir()));
    } else {
        QFile f(tapDir());
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    TrafficLog log;
    TrafficTap tap(&log, makeInfo());
    const auto result = tap.listen();
    QVERIFY(!result);
    QCOMPARE(result.error().where, tapDir());
    QVERIFY2(result.error().message.contains(u"not a plain folder"_s),
             qPrintable(result.error().message));
    QVERIFY(!tap.isListening());
    // The convenience entry point warns and gives up instead of failing the bridge.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"Live traffic is off"_s));
    QCOMPARE(TrafficTap::start(&log, makeInfo()), nullptr);
}

void TstTrafficTap::infoFileContent()
{
    TrafficLog log;
    TapInfo info = makeInfo(u"Pantry & Recipes!"_s);
    info.transport = u"http"_s;
    info.url = u"http://127.0.0.1:8765/mcp"_s;
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    TrafficTap tap(&log, info);
    QVERIFY(tap.listen());
    const qint64 pid = QCoreApplication::applicationPid();
    QCOMPARE(QFileInfo(tap.infoFilePath()).fileName(), u"Pantry-Recipes-%1.json"_s.arg(pid));
    QCOMPARE(QFileInfo(tap.socketPath()).fileName(), u"Pantry-Recipes-%1.sock"_s.arg(pid));

    QFile file(tap.infoFilePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(o.value("name"_L1).toString(), u"Pantry & Recipes!"_s);
    QCOMPARE(o.value("title"_L1).toString(), u"Pantry & Recipes"_s);
    QCOMPARE(o.value("pid"_L1).toInteger(), pid);
    QCOMPARE(o.value("transport"_L1).toString(), u"http"_s);
    QCOMPARE(o.value("url"_L1).toString(), u"http://127.0.0.1:8765/mcp"_s);
    QCOMPARE(o.value("socket"_L1).toString(), tap.socketPath());
    QCOMPARE(o.value("sessions"_L1).toInt(-1), 0);
    const QDateTime started
        = QDateTime::fromString(o.value("started"_L1).toString(), Qt::ISODateWithMs);
    QVERIFY(started.isValid());
    QVERIFY(started >= before && started <= QDateTime::currentDateTimeUtc());

    const QList<TapInfo> running = TapRegistry::list();
    QCOMPARE(running.size(), 1);
    QCOMPARE(running.first().pid, pid);
    QCOMPARE(running.first().url, info.url);
    QCOMPARE(running.first().infoFile, tap.infoFilePath());
}

void TstTrafficTap::sessionCountReachesInfoFileAndListeners()
{
    TrafficLog log;
    TrafficTap tap(&log, makeInfo());
    QVERIFY(tap.listen());
    TapClient client;
    QSignalSpy sessions(&client, &TapClient::sessionsChanged);
    QSignalSpy hello(&client, &TapClient::helloReceived);
    client.connectToTap(TapRegistry::list().value(0));
    QVERIFY(hello.wait(5000));
    tap.setSessionCount(3);
    QCOMPARE(TapRegistry::list().value(0).sessions, 3);
    QVERIFY(sessions.wait(5000));
    QCOMPARE(sessions.first().first().toInt(), 3);
    QCOMPARE(client.hello().value("sessions"_L1).toInt(), 3);
    tap.setSessionCount(0);
    QCOMPARE(TapRegistry::list().value(0).sessions, 0);
}

void TstTrafficTap::filesRemovedOnDestruction()
{
    TrafficLog log;
    auto tap = std::make_unique<TrafficTap>(&log, makeInfo());
    QVERIFY(tap->listen());
    const QString socket = tap->socketPath();
    const QString info = tap->infoFilePath();
    QVERIFY(QFileInfo::exists(socket));
    QVERIFY(QFileInfo::exists(info));

    TapClient client;
    QSignalSpy events(&client, &TapClient::eventReceived);
    QSignalSpy disconnected(&client, &TapClient::disconnected);
    client.connectToSocket(socket);
    QTRY_COMPARE_WITH_TIMEOUT(tap->listenerCount(), 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(client.historyFinished(), 5000);
    // The last event before the bridge exits still reaches the listener.
    log.append(makeEvent(0));
    tap.reset();
    QVERIFY(!QFileInfo::exists(socket));
    QVERIFY(!QFileInfo::exists(info));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 5000);
    QCOMPARE(events.size(), 1);
    QVERIFY(TapRegistry::list().isEmpty());
    // The folder stays: other bridges may be using it.
    QVERIFY(QFileInfo(tapDir()).isDir());
}

void TstTrafficTap::staleEntriesAreIgnoredAndCleaned()
{
    // A PID above any pid_max: surely no process.
    QVERIFY(!TapRegistry::processAlive(0x7ffffff0));
    QVERIFY(TapRegistry::processAlive(QCoreApplication::applicationPid()));

    QVERIFY(TapRegistry::ensureDirectory());
    TapInfo stale = makeInfo(u"killed"_s);
    stale.pid = 0x7ffffff0;
    stale.started = QDateTime::currentDateTimeUtc();
    stale.socket = tapDir() + u"/killed-2147483632.sock"_s;
    QFile socketFile(stale.socket); // stands in for the socket a killed bridge leaves
    QVERIFY(socketFile.open(QIODevice::WriteOnly));
    socketFile.close();
    const QString staleInfo = tapDir() + u"/killed-2147483632.json"_s;
    QFile infoFile(staleInfo);
    QVERIFY(infoFile.open(QIODevice::WriteOnly));
    infoFile.write(QJsonDocument(stale.toJson()).toJson());
    infoFile.close();
    // Also garbage, which is left alone (it may be a bridge that is writing its file).
    QFile garbage(tapDir() + u"/garbage.json"_s);
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("{not json");
    garbage.close();

    QVERIFY(TapRegistry::list(false).isEmpty());
    QVERIFY(QFileInfo::exists(staleInfo)); // listing alone changes nothing

    TrafficLog log;
    TrafficTap tap(&log, makeInfo());
    QVERIFY(tap.listen()); // a starting bridge tidies up
    QVERIFY(!QFileInfo::exists(staleInfo));
    QVERIFY(!QFileInfo::exists(stale.socket));
    QVERIFY(QFileInfo::exists(garbage.fileName()));
    const QList<TapInfo> running = TapRegistry::list(true);
    QCOMPARE(running.size(), 1);
    QCOMPARE(running.first().name, u"pantry"_s);
}

void TstTrafficTap::secretsNeverReachTheListener_data()
{
    QTest::addColumn<QString>("where");
    QTest::newRow("url query") << u"url"_s;
    QTest::newRow("percent-encoded in url") << u"url-encoded"_s;
    QTest::newRow("header in body") << u"body"_s;
    QTest::newRow("basic auth in body") << u"basic"_s;
    QTest::newRow("summary") << u"summary"_s;
}

void TstTrafficTap::secretsNeverReachTheListener()
{
    QFETCH(QString, where);
    const QString secret = u"s3cr3t/Key+Value 42"_s;
    TrafficLog log;
    log.addSecret(secret);
    TrafficTap tap(&log, makeInfo());
    QVERIFY(tap.listen());

    TrafficEvent e = makeEvent(1);
    e.kind = EventKind::Upstream;
    e.url = u"http://127.0.0.1:8766/recipes"_s;
    if (where == u"url")
        e.url += u"?key="_s + secret;
    else if (where == u"url-encoded")
        e.url += u"?key="_s + QString::fromLatin1(QUrl::toPercentEncoding(secret));
    else if (where == u"body")
        e.body = QJsonDocument(QJsonObject{{"request"_L1,
                                            QJsonObject{{"headers"_L1,
                                                         QJsonObject{{"X-Demo-Key"_L1, secret}}}}}})
                     .toJson(QJsonDocument::Compact);
    else if (where == u"basic")
        e.body = R"({"request":{"headers":{"Authorization":"Basic )"
                 + (u"user:"_s + secret).toUtf8().toBase64() + R"("}}})";
    else
        e.summary = u"GET /recipes with "_s + secret;

    log.append(makeEvent(0)); // history
    Reader reader(tap.socketPath());
    QTRY_VERIFY_WITH_TIMEOUT(!reader.ofType(u"historyEnd"_s).isEmpty(), 5000);
    log.append(e); // live
    QTRY_COMPARE_WITH_TIMEOUT(reader.eventSeqs().size(), 2, 5000);
    const QList<QJsonObject> events = reader.ofType(u"event"_s);
    QVERIFY(QJsonDocument(events.last()).toJson().contains("[redacted]"));

    const QByteArray raw = reader.raw;
    QVERIFY(!raw.contains(secret.toUtf8()));
    QVERIFY(!raw.contains(QUrl::toPercentEncoding(secret)));
    QVERIFY(!raw.contains("s3cr3t"));
    QVERIFY(!raw.contains((u"user:"_s + secret).toUtf8().toBase64()));
}

void TstTrafficTap::secretLearntAfterStoringIsRedactedOnTheWay()
{
    const QString secret = u"late-secret-9876"_s;
    TrafficLog log;
    TrafficTap tap(&log, makeInfo());
    QVERIFY(tap.listen());
    TrafficEvent e = makeEvent(0);
    e.url = u"http://127.0.0.1/x?token="_s + secret;
    log.append(e);
    QVERIFY(log.snapshot().first().url.contains(secret)); // stored before the log knew it
    log.addSecret(secret);
    Reader reader(tap.socketPath());
    QTRY_COMPARE_WITH_TIMEOUT(reader.eventSeqs().size(), 1, 5000);
    QVERIFY(!reader.raw.contains(secret.toUtf8()));
    QCOMPARE(reader.ofType(u"event"_s).first().value("event"_L1).toObject().value("url"_L1),
             u"http://127.0.0.1/x?token=[redacted]"_s);
}

void TstTrafficTap::tapClientSignals()
{
    TrafficLog log;
    log.append(makeEvent(0));
    TrafficTap tap(&log, makeInfo());
    QVERIFY(tap.listen());
    TapClient client;
    QSignalSpy hello(&client, &TapClient::helloReceived);
    QSignalSpy events(&client, &TapClient::eventReceived);
    QSignalSpy historyEnded(&client, &TapClient::historyEnded);
    QSignalSpy cleared(&client, &TapClient::logCleared);
    QSignalSpy errors(&client, &TapClient::errorOccurred);
    client.connectToSocket(tap.socketPath());
    QVERIFY(historyEnded.wait(5000));
    QCOMPARE(hello.size(), 1);
    QCOMPARE(events.size(), 1);
    QVERIFY(client.isConnected());
    QCOMPARE(client.hello().value("bridge"_L1).toString(), u"pantry"_s);

    TrafficEvent live = makeEvent(1);
    live.httpStatus = 503;
    live.isError = true;
    live.durationMs = 17;
    log.append(live);
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 2, 5000);
    const auto received = events.last().first().value<TrafficEvent>();
    QCOMPARE(received.seq, quint64(2));
    QCOMPARE(received.httpStatus, 503);
    QCOMPARE(received.isError, true);
    QCOMPARE(received.durationMs, qint64(17));
    QCOMPARE(QJsonDocument::fromJson(received.body), QJsonDocument::fromJson(live.body));
    log.clear();
    QVERIFY(cleared.wait(5000));
    QVERIFY(errors.isEmpty());

    QSignalSpy disconnected(&client, &TapClient::disconnected);
    client.disconnectFromTap();
    QVERIFY(disconnected.size() == 1 || disconnected.wait(5000));
    QVERIFY(!client.isConnected());
    QTRY_COMPARE_WITH_TIMEOUT(tap.listenerCount(), 0, 5000);
    QVERIFY(tap.isListening()); // detaching leaves the bridge alone
}

void TstTrafficTap::tapClientReportsMissingBridge()
{
    TapClient client;
    QSignalSpy errors(&client, &TapClient::errorOccurred);
    QSignalSpy disconnected(&client, &TapClient::disconnected);
    client.connectToSocket(m_runtime->path() + u"/nothing-here.sock"_s);
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, 5000);
    QVERIFY2(errors.first().first().toString().contains(u"not running"_s),
             qPrintable(errors.first().first().toString()));
    QCOMPARE(disconnected.size(), 0);
}

void TstTrafficTap::fileStem_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("stem");
    QTest::newRow("plain") << u"pantry"_s << u"pantry-42"_s;
    QTest::newRow("spaces and symbols") << u"Pantry & Recipes!"_s << u"Pantry-Recipes-42"_s;
    QTest::newRow("path tricks") << u"../../etc/passwd"_s << u"etc-passwd-42"_s;
    QTest::newRow("empty") << QString() << u"bridge-42"_s;
    QTest::newRow("only symbols") << u"!!!"_s << u"bridge-42"_s;
    QTest::newRow("non-ASCII") << u"Küche"_s << u"K-che-42"_s;
    QTest::newRow("very long") << QString(200, u'a') << QString(40, u'a') + u"-42"_s;
}

void TstTrafficTap::fileStem()
{
    QFETCH(QString, name);
    QFETCH(QString, stem);
    QCOMPARE(TapRegistry::fileStem(name, 42), stem);
}

void TstTrafficTap::select_data()
{
    QTest::addColumn<QStringList>("names"); // pid i+100 each
    QTest::addColumn<QString>("selector");
    QTest::addColumn<qint64>("pid"); // 0: no single match
    QTest::addColumn<int>("candidates");
    QTest::addColumn<QString>("message");

    const QStringList one{u"pantry"_s};
    const QStringList two{u"pantry"_s, u"github"_s};
    const QStringList twins{u"pantry"_s, u"pantry"_s, u"github"_s};
    QTest::newRow("none running") << QStringList() << QString() << qint64(0) << 0
                                  << u"No bridge is running"_s;
    QTest::newRow("the only one") << one << QString() << qint64(100) << 0 << QString();
    QTest::newRow("two, no selector")
        << two << QString() << qint64(0) << 2 << u"2 bridges are running"_s;
    QTest::newRow("by name") << two << u"github"_s << qint64(101) << 0 << QString();
    QTest::newRow("by pid") << two << u"100"_s << qint64(100) << 0 << QString();
    QTest::newRow("case") << two << u"GitHub"_s << qint64(101) << 0 << QString();
    QTest::newRow("prefix") << two << u"pan"_s << qint64(100) << 0 << QString();
    QTest::newRow("unknown name") << two << u"jira"_s << qint64(0) << 2
                                  << u"No running bridge is called 'jira'"_s;
    QTest::newRow("unknown pid") << two << u"7"_s << qint64(0) << 2
                                 << u"No running bridge has PID 7"_s;
    QTest::newRow("same name twice")
        << twins << u"pantry"_s << qint64(0) << 2 << u"say which one by PID"_s;
    QTest::newRow("same name, by pid") << twins << u"101"_s << qint64(101) << 0 << QString();
}

void TstTrafficTap::select()
{
    QFETCH(QStringList, names);
    QFETCH(QString, selector);
    QFETCH(qint64, pid);
    QFETCH(int, candidates);
    QFETCH(QString, message);
    QList<TapInfo> running;
    for (int i = 0; i < names.size(); ++i) {
        TapInfo info = makeInfo(names.at(i));
        info.title.clear();
        info.pid = 100 + i;
        running << info;
    }
    const TapRegistry::Selection s = TapRegistry::select(running, selector);
    QCOMPARE(s.match ? s.match->pid : qint64(0), pid);
    QCOMPARE(s.candidates.size(), candidates);
    if (message.isEmpty())
        QVERIFY(s.message.isEmpty());
    else
        QVERIFY2(s.message.contains(message), qPrintable(s.message));
}

void TstTrafficTap::eventLine_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QString>("session");
    QTest::addColumn<QString>("rpcId");
    QTest::addColumn<QString>("related");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<qint64>("duration");
    QTest::addColumn<bool>("isError");
    QTest::addColumn<QString>("expected"); // after the time and two spaces

    const int mcp = int(EventKind::Mcp);
    const int up = int(EventKind::Upstream);
    const int in = int(Direction::Inbound);
    const int out = int(Direction::Outbound);
    QTest::newRow("request") << mcp << in << u"stdio"_s << u"2"_s << QString()
                             << u"tools/call search_recipes"_s << qint64(-1) << false
                             << u"→ stdio      #2   tools/call search_recipes"_s;
    QTest::newRow("response") << mcp << out << u"stdio"_s << u"2"_s << QString()
                              << u"tools/call search_recipes → result"_s << qint64(17) << false
                              << u"← stdio      #2   tools/call search_recipes → result  [17 ms]"_s;
    QTest::newRow("upstream")
        << up << out << u"stdio"_s << QString() << u"2"_s
        << u"GET /recipes → 404 Not Found (5 ms)"_s << qint64(5) << true
        << u"  ⇢ API      #2   GET /recipes → 404 Not Found (5 ms)  (error)"_s;
    QTest::newRow("long http session, notification")
        << mcp << in << u"0123456789abcdef"_s << QString() << QString()
        << u"notifications/initialized"_s << qint64(-1) << false
        << u"→ 0123456…        notifications/initialized"_s;
    QTest::newRow("error response says error itself")
        << mcp << out << u"s"_s << u"10"_s << QString() << u"tools/call → error -32602: bad"_s
        << qint64(1) << true << u"← s          #10  tools/call → error -32602: bad  [1 ms]"_s;
}

void TstTrafficTap::eventLine()
{
    QFETCH(int, kind);
    QFETCH(int, direction);
    QFETCH(QString, session);
    QFETCH(QString, rpcId);
    QFETCH(QString, related);
    QFETCH(QString, summary);
    QFETCH(qint64, duration);
    QFETCH(bool, isError);
    QFETCH(QString, expected);
    TrafficEvent e;
    e.kind = EventKind(kind);
    e.direction = Direction(direction);
    e.sessionId = session;
    e.rpcId = rpcId;
    e.relatedRpcId = related;
    e.summary = summary;
    e.durationMs = duration;
    e.isError = isError;
    e.timeMs = QDateTime(QDate(2026, 3, 4), QTime(10, 11, 12, 345)).toMSecsSinceEpoch();
    QCOMPARE(mcpbridge::traffic::eventLine(e), u"10:11:12.345  "_s + expected);
}

QTEST_GUILESS_MAIN(TstTrafficTap)
#include "tst_traffictap.moc"
