// StdioTransport over real pipes: the test writes the client's lines into one pipe and reads
// the bridge's output from another. McpServer answers, calling a FixtureUpstream on 127.0.0.1.

#include "core/bridge/bridgedocument.h"
#include "core/jsonrpc/message.h"
#include "core/mcp/mcpserver.h"
#include "core/mcp/session.h"
#include "core/secrets/memorysecretstore.h"
#include "core/traffic/trafficlog.h"
#include "core/transport/stdiotransport.h"
#include "tests/fixtures/fixturedocuments.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace mcpbridge;

namespace {

std::shared_ptr<bridge::BridgeDocument> makeDocument(const QUrl &baseUrl)
{
    return tests::echoAndDelayDocument(baseUrl, u"stdiotest"_s, u"Stdio Test"_s);
}

QByteArray initializeLine(const QString &version, int id = 1)
{
    return QJsonDocument(QJsonObject{
                             {u"jsonrpc"_s, u"2.0"_s},
                             {u"id"_s, id},
                             {u"method"_s, u"initialize"_s},
                             {u"params"_s,
                              QJsonObject{{u"protocolVersion"_s, version},
                                          {u"capabilities"_s, QJsonObject{}},
                                          {u"clientInfo"_s, QJsonObject{{u"name"_s, u"tst"_s},
                                                                        {u"version"_s, u"1"_s}}}}},
                         })
               .toJson(QJsonDocument::Compact)
           + '\n';
}

QByteArray pingLine(int id)
{
    return R"({"jsonrpc":"2.0","id":)" + QByteArray::number(id) + R"(,"method":"ping"})" + '\n';
}

const QByteArray initializedLine = R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
                                   "\n";

} // namespace

class tst_StdioTransport : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void initializeAndListTools();
    void lineSplitAcrossReads();
    void crlfLineEndings();
    void severalMessagesInOneRead();
    void badLineGetsErrorAndNextLineWorks_data();
    void badLineGetsErrorAndNextLineWorks();
    void overlongLineIsDiscardedWithError();
    void toolCallReachesUpstream();
    void eofEmitsFinished();
    void eofWaitsForRunningCall();
    void lastLineWithoutNewlineCounts();
    void batches_data();
    void batches();
    void closedOutputFinishesWithoutCrash();

private:
    void write(const QByteArray &bytes);
    // Complete lines written by the transport so far (consumed).
    QList<QByteArray> takeLines();
    // Waits until `count` lines were written in total; returns them all (consumed).
    QList<QByteArray> waitForLines(int count, int timeoutMs = 5000);
    QJsonObject waitForObject(int timeoutMs = 5000);
    void initializeSession(const QString &version = u"2025-11-25"_s);

    fixtures::FixtureUpstream *m_upstream = nullptr;
    secrets::MemorySecretStore *m_secrets = nullptr;
    traffic::TrafficLog *m_log = nullptr;
    mcp::McpServer *m_server = nullptr;
    transport::StdioTransport *m_transport = nullptr;
    int m_in[2] = {-1, -1};  // test writes [1], transport reads [0]
    int m_out[2] = {-1, -1}; // transport writes [1], test reads [0]
    QByteArray m_received;
    QList<QByteArray> m_lines;
};

void tst_StdioTransport::init()
{
    QVERIFY(::pipe(m_in) == 0);
    QVERIFY(::pipe(m_out) == 0);
    ::fcntl(m_out[0], F_SETFL, ::fcntl(m_out[0], F_GETFL) | O_NONBLOCK);
    m_upstream = new fixtures::FixtureUpstream(this);
    QVERIFY(m_upstream->listen(0));
    m_secrets = new secrets::MemorySecretStore(this);
    m_log = new traffic::TrafficLog(this);
    m_server = new mcp::McpServer(makeDocument(m_upstream->baseUrl()), m_secrets, m_log, this);
    m_transport = new transport::StdioTransport(m_server, m_in[0], m_out[1], this);
    m_transport->start();
    QVERIFY(m_transport->session());
    m_received.clear();
    m_lines.clear();
}

void tst_StdioTransport::cleanup()
{
    delete m_transport;
    m_transport = nullptr;
    delete m_server;
    m_server = nullptr;
    for (int *fds : {m_in, m_out}) {
        for (int i = 0; i < 2; ++i) {
            if (fds[i] >= 0)
                ::close(fds[i]);
            fds[i] = -1;
        }
    }
}

void tst_StdioTransport::write(const QByteArray &bytes)
{
    QCOMPARE(::write(m_in[1], bytes.constData(), size_t(bytes.size())), ssize_t(bytes.size()));
}

QList<QByteArray> tst_StdioTransport::takeLines()
{
    char buffer[65536];
    while (true) {
        const ssize_t n = ::read(m_out[0], buffer, sizeof buffer);
        if (n <= 0)
            break;
        m_received.append(buffer, n);
    }
    qsizetype newline;
    while ((newline = m_received.indexOf('\n')) >= 0) {
        m_lines.append(m_received.left(newline));
        m_received.remove(0, newline + 1);
    }
    return std::exchange(m_lines, {});
}

QList<QByteArray> tst_StdioTransport::waitForLines(int count, int timeoutMs)
{
    QList<QByteArray> all;
    QDeadlineTimer deadline(timeoutMs);
    while (all.size() < count && !deadline.hasExpired()) {
        all += takeLines();
        if (all.size() < count)
            QTest::qWait(5);
    }
    return all;
}

QJsonObject tst_StdioTransport::waitForObject(int timeoutMs)
{
    const QList<QByteArray> lines = waitForLines(1, timeoutMs);
    if (lines.size() != 1)
        return {};
    return QJsonDocument::fromJson(lines.constFirst()).object();
}

void tst_StdioTransport::initializeSession(const QString &version)
{
    write(initializeLine(version));
    const QJsonObject response = waitForObject();
    QCOMPARE(response.value("id"_L1).toInt(), 1);
    QCOMPARE(response.value("result"_L1).toObject().value("protocolVersion"_L1).toString(),
             version);
    write(initializedLine);
    QTRY_VERIFY_WITH_TIMEOUT(m_transport->session()->isInitialized(), 2000);
}

void tst_StdioTransport::initializeAndListTools()
{
    initializeSession();
    write(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})"
          "\n");
    const QJsonObject response = waitForObject();
    QCOMPARE(response.value("id"_L1).toInt(), 2);
    const QJsonArray tools = response.value("result"_L1).toObject().value("tools"_L1).toArray();
    QCOMPARE(tools.size(), 2);
    QCOMPARE(tools.at(0).toObject().value("name"_L1).toString(), u"echo"_s);
    QCOMPARE(m_transport->session()->id(), u"stdio"_s);
}

void tst_StdioTransport::lineSplitAcrossReads()
{
    const QByteArray line = initializeLine(u"2025-06-18"_s);
    write(line.left(10));
    QTest::qWait(30);
    write(line.mid(10, 25));
    QTest::qWait(30);
    QVERIFY(takeLines().isEmpty()); // no answer to half a message
    write(line.mid(35));
    const QJsonObject response = waitForObject();
    QCOMPARE(response.value("id"_L1).toInt(), 1);
    QCOMPARE(response.value("result"_L1).toObject().value("protocolVersion"_L1).toString(),
             u"2025-06-18"_s);
}

void tst_StdioTransport::crlfLineEndings()
{
    QByteArray line = initializeLine(u"2025-11-25"_s);
    line.chop(1);
    write(line + "\r\n" + pingLine(7).chopped(1) + "\r\n");
    const QList<QByteArray> lines = waitForLines(2);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(QJsonDocument::fromJson(lines.at(0)).object().value("id"_L1).toInt(), 1);
    const QJsonObject ping = QJsonDocument::fromJson(lines.at(1)).object();
    QCOMPARE(ping.value("id"_L1).toInt(), 7);
    QVERIFY(ping.contains("result"_L1));
    QVERIFY(!lines.at(1).contains('\r'));
}

void tst_StdioTransport::severalMessagesInOneRead()
{
    initializeSession();
    write(pingLine(10) + pingLine(11) + "\n   \n" + pingLine(12));
    const QList<QByteArray> lines = waitForLines(3);
    QCOMPARE(lines.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const QJsonObject response = QJsonDocument::fromJson(lines.at(i)).object();
        QCOMPARE(response.value("id"_L1).toInt(), 10 + i);
        QVERIFY(response.value("result"_L1).isObject());
    }
    QTest::qWait(50);
    QVERIFY(takeLines().isEmpty()); // blank lines are not answered
}

void tst_StdioTransport::badLineGetsErrorAndNextLineWorks_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<int>("code");
    QTest::addColumn<QJsonValue>("id");

    QTest::newRow("garbage") << QByteArray("this is not json") << int(jsonrpc::ParseError)
                             << QJsonValue(QJsonValue::Null);
    QTest::newRow("object and garbage") << QByteArray(R"({"jsonrpc":"2.0"} trailing)")
                                        << int(jsonrpc::ParseError) << QJsonValue(QJsonValue::Null);
    QTest::newRow("truncated") << QByteArray(R"({"jsonrpc":"2.0","id":3,"method":"pi)")
                               << int(jsonrpc::ParseError) << QJsonValue(QJsonValue::Null);
    QTest::newRow("no jsonrpc member") << QByteArray(R"({"id":4,"method":"ping"})")
                                       << int(jsonrpc::InvalidRequest) << QJsonValue(4);
    QTest::newRow("method not a string") << QByteArray(R"({"jsonrpc":"2.0","id":"x","method":5})")
                                         << int(jsonrpc::InvalidRequest) << QJsonValue(u"x"_s);
    QTest::newRow("null") << QByteArray("null") << int(jsonrpc::InvalidRequest)
                          << QJsonValue(QJsonValue::Null);
}

void tst_StdioTransport::badLineGetsErrorAndNextLineWorks()
{
    QFETCH(QByteArray, line);
    QFETCH(int, code);
    QFETCH(QJsonValue, id);

    initializeSession();
    const qsizetype eventsBefore = m_log->size();
    write(line + '\n' + pingLine(20));
    const QList<QByteArray> lines = waitForLines(2);
    QCOMPARE(lines.size(), 2);
    const QJsonObject error = QJsonDocument::fromJson(lines.at(0)).object();
    QCOMPARE(error.value("error"_L1).toObject().value("code"_L1).toInt(), code);
    QVERIFY(!error.value("error"_L1).toObject().value("message"_L1).toString().isEmpty());
    QVERIFY(error.contains("id"_L1));
    QCOMPARE(error.value("id"_L1), id);
    QCOMPARE(QJsonDocument::fromJson(lines.at(1)).object().value("id"_L1).toInt(), 20);

    // The bad line is visible in the traffic log as an invalid inbound event.
    bool found = false;
    const QList<traffic::TrafficEvent> events = m_log->snapshot();
    for (qsizetype i = 0; i < events.size(); ++i) {
        const traffic::TrafficEvent &e = events.at(i);
        if (e.messageType == u"invalid"_s && e.isError && e.body == line
            && e.direction == traffic::Direction::Inbound && e.transport == u"stdio"_s)
            found = true;
    }
    QVERIFY2(found, qPrintable(u"no invalid event among %1 new events"_s.arg(m_log->size()
                                                                             - eventsBefore)));
}

void tst_StdioTransport::overlongLineIsDiscardedWithError()
{
    m_transport->setMaxLineBytes(4096);
    initializeSession();
    const QByteArray big
        = R"({"jsonrpc":"2.0","id":30,"method":"ping","params":{"pad":")" + QByteArray(6000, 'x');
    write(big);
    // The error comes before the line even ends.
    const QJsonObject error = waitForObject();
    QCOMPARE(error.value("error"_L1).toObject().value("code"_L1).toInt(),
             int(jsonrpc::InvalidRequest));
    QVERIFY(error.value("error"_L1).toObject().value("message"_L1).toString().contains(u"4 KB"_s));
    QVERIFY(error.value("id"_L1).isNull());
    write(QByteArray(3000, 'y') + R"("}})" + '\n' + pingLine(31));
    const QList<QByteArray> lines = waitForLines(1);
    QCOMPARE(lines.size(), 1);
    QCOMPARE(QJsonDocument::fromJson(lines.at(0)).object().value("id"_L1).toInt(), 31);
    QTest::qWait(50);
    QVERIFY(takeLines().isEmpty()); // the rest of the long line produced nothing
}

void tst_StdioTransport::toolCallReachesUpstream()
{
    initializeSession();
    write(
        R"({"jsonrpc":"2.0","id":40,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello pipes"}}})"
        "\n");
    const QJsonObject response = waitForObject(10000);
    QCOMPARE(response.value("id"_L1).toInt(), 40);
    const QJsonObject result = response.value("result"_L1).toObject();
    QVERIFY(!result.value("isError"_L1).toBool());
    const QString text
        = result.value("content"_L1).toArray().at(0).toObject().value("text"_L1).toString();
    QVERIFY2(text.contains(u"hello pipes"_s), qPrintable(text));
    QCOMPARE(m_upstream->lastRequest().path, u"/echo"_s);
}

void tst_StdioTransport::eofEmitsFinished()
{
    QSignalSpy finished(m_transport, &transport::StdioTransport::finished);
    initializeSession();
    ::close(m_in[1]);
    m_in[1] = -1;
    QVERIFY(finished.wait(3000));
    QCOMPARE(finished.size(), 1);
    QVERIFY(m_transport->isFinished());
}

void tst_StdioTransport::eofWaitsForRunningCall()
{
    QSignalSpy finished(m_transport, &transport::StdioTransport::finished);
    initializeSession();
    write(
        R"({"jsonrpc":"2.0","id":50,"method":"tools/call","params":{"name":"slow","arguments":{"ms":300}}})"
        "\n");
    QTest::qWait(20);
    ::close(m_in[1]);
    m_in[1] = -1;
    QTest::qWait(100);
    QCOMPARE(finished.size(), 0); // the call is still running
    const QJsonObject response = waitForObject(10000);
    QCOMPARE(response.value("id"_L1).toInt(), 50);
    QVERIFY(response.value("result"_L1).isObject());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 3000);
}

void tst_StdioTransport::lastLineWithoutNewlineCounts()
{
    QSignalSpy finished(m_transport, &transport::StdioTransport::finished);
    QByteArray line = initializeLine(u"2025-11-25"_s);
    line.chop(1);
    write(line);
    ::close(m_in[1]);
    m_in[1] = -1;
    const QJsonObject response = waitForObject();
    QCOMPARE(response.value("id"_L1).toInt(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 3000);
}

void tst_StdioTransport::batches_data()
{
    QTest::addColumn<QString>("version"); // empty: no initialize before the batch
    QTest::addColumn<bool>("accepted");

    QTest::newRow("2024-11-05 allows batches") << u"2024-11-05"_s << true;
    QTest::newRow("2025-03-26 allows batches") << u"2025-03-26"_s << true;
    QTest::newRow("2025-06-18 refuses") << u"2025-06-18"_s << false;
    QTest::newRow("2025-11-25 refuses") << u"2025-11-25"_s << false;
    QTest::newRow("before initialize") << QString() << false;
}

void tst_StdioTransport::batches()
{
    QFETCH(QString, version);
    QFETCH(bool, accepted);

    if (!version.isEmpty())
        initializeSession(version);
    write(
        R"([{"jsonrpc":"2.0","id":60,"method":"ping"},)"
        R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}},)"
        R"({"jsonrpc":"2.0","id":61,"method":"ping"}, 42])"
        "\n"
        + pingLine(62));
    const QList<QByteArray> lines = waitForLines(2);
    QCOMPARE(lines.size(), 2);
    const QJsonDocument first = QJsonDocument::fromJson(lines.at(0));
    if (accepted) {
        QVERIFY2(first.isArray(), lines.at(0).constData());
        const QJsonArray answers = first.array();
        QCOMPARE(answers.size(), 3); // two pings and the error for the member 42
        QSet<int> ids;
        int errors = 0;
        for (const QJsonValue &answer : answers) {
            if (answer.toObject().contains("error"_L1)) {
                ++errors;
                QCOMPARE(answer.toObject().value("error"_L1).toObject().value("code"_L1).toInt(),
                         int(jsonrpc::InvalidRequest));
            } else {
                ids.insert(answer.toObject().value("id"_L1).toInt());
            }
        }
        QCOMPARE(errors, 1);
        QCOMPARE(ids, (QSet<int>{60, 61}));
    } else {
        QVERIFY(first.isObject());
        const QJsonObject error = first.object().value("error"_L1).toObject();
        QCOMPARE(error.value("code"_L1).toInt(), int(jsonrpc::InvalidRequest));
        QVERIFY2(error.value("message"_L1).toString().contains(u"Batch"_s),
                 qPrintable(error.value("message"_L1).toString()));
    }
    // The line after the batch is answered either way.
    QCOMPARE(QJsonDocument::fromJson(lines.at(1)).object().value("id"_L1).toInt(), 62);
}

void tst_StdioTransport::closedOutputFinishesWithoutCrash()
{
    QSignalSpy finished(m_transport, &transport::StdioTransport::finished);
    ::close(m_out[0]);
    m_out[0] = -1;
    write(initializeLine(u"2025-11-25"_s));
    QVERIFY(finished.wait(3000));
    QVERIFY(m_transport->isFinished());
}

QTEST_GUILESS_MAIN(tst_StdioTransport)
#include "tst_stdiotransport.moc"
