// StreamableHttpTransport on 127.0.0.1 (port 0) with a real McpServer, driven by a raw HTTP
// client written here: the tests must send what real clients and attackers send (any Host,
// Origin, Accept), and read chunked event streams as they arrive.

#include "core/bridge/bridgedocument.h"
#include "core/jsonrpc/message.h"
#include "core/mcp/mcpserver.h"
#include "core/mcp/session.h"
#include "core/secrets/memorysecretstore.h"
#include "core/traffic/trafficlog.h"
#include "core/transport/streamablehttptransport.h"
#include "tests/fixtures/fixturedocuments.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

struct SseEvent
{
    QByteArray id;
    QByteArray type;
    QByteArray data;
    QByteArray retry;
};

// One HTTP/1.1 exchange on its own connection, parsed as bytes arrive.
class RawExchange
{
public:
    RawExchange(quint16 port, const QByteArray &method, Headers headers,
                const QByteArray &body = {}, bool defaultHost = true)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        QByteArray request = method + " /mcp HTTP/1.1\r\n";
        if (defaultHost)
            headers.prepend({"Host", "127.0.0.1:" + QByteArray::number(port)});
        for (const auto &[name, value] : headers)
            request += name + ": " + value + "\r\n";
        if (!body.isEmpty() || method == "POST")
            request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        request += "\r\n" + body;
        m_socket.write(request);
    }

    // Until the whole response is in (Content-Length satisfied or the last chunk seen).
    bool waitForComplete(int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!m_complete && !deadline.hasExpired()) {
            pump(deadline);
        }
        return m_complete;
    }
    bool waitForHead(int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (m_status == 0 && !deadline.hasExpired())
            pump(deadline);
        return m_status != 0;
    }
    // Until at least `count` SSE events (comments not counted) arrived.
    bool waitForEvents(int count, int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (events().size() < count && !deadline.hasExpired())
            pump(deadline);
        return events().size() >= count;
    }

    int status() const { return m_status; }
    QByteArray header(const QByteArray &name) const { return m_headers.value(name.toLower()); }
    QByteArray body() const { return m_body; }
    bool isComplete() const { return m_complete; }
    QJsonObject json() const { return QJsonDocument::fromJson(m_body).object(); }
    QJsonValue jsonValue() const
    {
        const QJsonDocument doc = QJsonDocument::fromJson(m_body);
        return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }
    QList<SseEvent> events() const
    {
        QList<SseEvent> out;
        const QList<QByteArray> blocks = m_body.split('\n');
        SseEvent current;
        bool any = false;
        for (const QByteArray &line : blocks) {
            if (line.isEmpty()) {
                if (any)
                    out.append(current);
                current = {};
                any = false;
                continue;
            }
            if (line.startsWith(':'))
                continue;
            const qsizetype colon = line.indexOf(':');
            const QByteArray field = colon < 0 ? line : line.left(colon);
            QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
            if (value.startsWith(' '))
                value.remove(0, 1);
            any = true;
            if (field == "id")
                current.id = value;
            else if (field == "event")
                current.type = value;
            else if (field == "data")
                current.data += value;
            else if (field == "retry")
                current.retry = value;
        }
        // An event is complete only after its blank line: the last partial one is left out.
        return out;
    }
    void abort() { m_socket.abort(); }
    QTcpSocket &socket() { return m_socket; }

private:
    void pump(const QDeadlineTimer &deadline)
    {
        // The server runs in this thread: spin the event loop, never block in the socket.
        if (m_socket.bytesAvailable() == 0 && !deadline.hasExpired())
            QTest::qWait(5);
        m_raw += m_socket.readAll();
        parse();
    }
    void parse()
    {
        if (m_status == 0) {
            const qsizetype end = m_raw.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> lines = m_raw.left(end).split('\n');
            m_status = lines.value(0).split(' ').value(1).toInt();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    m_headers.insert(line.left(colon).trimmed().toLower(),
                                     line.mid(colon + 1).trimmed());
            }
            m_raw.remove(0, end + 4);
            m_chunked = m_headers.value("transfer-encoding").toLower() == "chunked";
            m_length = m_headers.value("content-length", "-1").toLongLong();
            if (m_status == 204 || m_status == 304)
                m_length = 0; // no body by definition
        }
        if (m_chunked) {
            while (true) {
                const qsizetype lineEnd = m_raw.indexOf("\r\n");
                if (lineEnd < 0)
                    return;
                bool ok = false;
                const qsizetype size = m_raw.left(lineEnd).toLongLong(&ok, 16);
                if (!ok)
                    return;
                if (m_raw.size() < lineEnd + 2 + size + 2)
                    return;
                m_body += m_raw.mid(lineEnd + 2, size);
                m_raw.remove(0, lineEnd + 2 + size + 2);
                if (size == 0) {
                    m_complete = true;
                    return;
                }
            }
        }
        m_body += m_raw;
        m_raw.clear();
        if (m_length >= 0 && m_body.size() >= m_length)
            m_complete = true;
    }

    QTcpSocket m_socket;
    QByteArray m_raw;
    QByteArray m_body;
    int m_status = 0;
    QHash<QByteArray, QByteArray> m_headers;
    bool m_chunked = false;
    qint64 m_length = -1;
    bool m_complete = false;
};

std::shared_ptr<bridge::BridgeDocument> makeDocument(const QUrl &baseUrl, int toolCount = 2)
{
    auto doc = tests::echoAndDelayDocument(baseUrl, u"httptest"_s, u"HTTP Test"_s);
    while (doc->tools.size() > toolCount)
        doc->tools.removeLast();
    return doc;
}

QByteArray rpc(const QJsonValue &id, const QString &method, const QJsonObject &params = {})
{
    QJsonObject object{{u"jsonrpc"_s, u"2.0"_s}, {u"method"_s, method}};
    if (!id.isUndefined())
        object.insert(u"id"_s, id);
    if (!params.isEmpty())
        object.insert(u"params"_s, params);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray initializeBody(const QString &version = u"2025-11-25"_s)
{
    return rpc(1, u"initialize"_s,
               {{u"protocolVersion"_s, version},
                {u"capabilities"_s, QJsonObject{}},
                {u"clientInfo"_s, QJsonObject{{u"name"_s, u"tst"_s}, {u"version"_s, u"1"_s}}}});
}

const Headers postHeaders{{"Content-Type", "application/json"},
                          {"Accept", "application/json, text/event-stream"}};

Headers withSession(const QByteArray &session, Headers headers = postHeaders)
{
    headers.append({"Mcp-Session-Id", session});
    return headers;
}

} // namespace

class tst_HttpTransport : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void initializeGivesSessionHeader();
    void missingSessionIs400();
    void unknownSessionIs404();
    void protocolVersionHeader_data();
    void protocolVersionHeader();
    void acceptHeader_data();
    void acceptHeader();
    void contentType_data();
    void contentType();
    void hostHeader_data();
    void hostHeader();
    void originHeader_data();
    void originHeader();
    void notificationIs202();
    void requestGetsJsonResponse();
    void progressTurnsAnswerIntoEventStream();
    void getStreamReceivesListChanged();
    void getNeedsEventStreamAccept();
    void deleteEndsSession();
    void concurrentPostsOnOneSession();
    void oversizedBodyIs413();
    void parseErrorIs400();
    void batchRules_data();
    void batchRules();
    void failedInitializeLeavesNoSession();
    void clientDisconnectMidCall();
    void accessToken_data();
    void accessToken();
    void optionsAndOtherMethods();
    void otherPathIs404();
    void busyPortIsAnError();
    void idleSessionsExpire();

private:
    QByteArray initialize(const QString &version = u"2025-11-25"_s);

    fixtures::FixtureUpstream *m_upstream = nullptr;
    secrets::MemorySecretStore *m_secrets = nullptr;
    traffic::TrafficLog *m_log = nullptr;
    mcp::McpServer *m_server = nullptr;
    transport::StreamableHttpTransport *m_transport = nullptr;
    quint16 m_port = 0;
};

void tst_HttpTransport::init()
{
    m_upstream = new fixtures::FixtureUpstream(this);
    QVERIFY(m_upstream->listen(0));
    m_secrets = new secrets::MemorySecretStore(this);
    m_log = new traffic::TrafficLog(this);
    m_server = new mcp::McpServer(makeDocument(m_upstream->baseUrl()), m_secrets, m_log, this);
    m_transport = new transport::StreamableHttpTransport(m_server, this);
    const Result<quint16> port = m_transport->listen(QHostAddress::LocalHost, 0);
    QVERIFY2(port.has_value(), qPrintable(port ? QString() : port.error().message));
    m_port = *port;
    QVERIFY(m_port != 0);
    QCOMPARE(m_transport->url().toString(), u"http://127.0.0.1:%1/mcp"_s.arg(m_port));
}

void tst_HttpTransport::cleanup()
{
    delete m_transport;
    m_transport = nullptr;
    delete m_server;
    m_server = nullptr;
    delete m_upstream;
    m_upstream = nullptr;
}

QByteArray tst_HttpTransport::initialize(const QString &version)
{
    RawExchange init(m_port, "POST", postHeaders, initializeBody(version));
    if (!init.waitForComplete() || init.status() != 200)
        return {};
    const QByteArray session = init.header("mcp-session-id");
    RawExchange initialized(m_port, "POST", withSession(session),
                            rpc(QJsonValue::Undefined, u"notifications/initialized"_s));
    if (!initialized.waitForComplete() || initialized.status() != 202)
        return {};
    return session;
}

void tst_HttpTransport::initializeGivesSessionHeader()
{
    QSignalSpy opened(m_transport, &transport::StreamableHttpTransport::sessionOpened);
    RawExchange init(m_port, "POST", postHeaders, initializeBody());
    QVERIFY(init.waitForComplete());
    QCOMPARE(init.status(), 200);
    QVERIFY(init.header("content-type").startsWith("application/json"));
    const QByteArray session = init.header("mcp-session-id");
    QVERIFY(session.size() >= 16);
    for (const char c : session)
        QVERIFY2(c >= 0x21 && c <= 0x7e, session.constData());
    QCOMPARE(init.json().value("id"_L1).toInt(), 1);
    QCOMPARE(init.json().value("result"_L1).toObject().value("protocolVersion"_L1).toString(),
             u"2025-11-25"_s);
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.at(0).at(0).toString(), QString::fromLatin1(session));
    QVERIFY(m_server->session(QString::fromLatin1(session)));

    // A second initialize makes a second, different session.
    RawExchange again(m_port, "POST", postHeaders, initializeBody());
    QVERIFY(again.waitForComplete());
    QCOMPARE(again.status(), 200);
    QVERIFY(again.header("mcp-session-id") != session);
    QCOMPARE(m_transport->sessionIds().size(), 2);
}

void tst_HttpTransport::missingSessionIs400()
{
    QVERIFY(!initialize().isEmpty());
    const qsizetype before = m_log->size();
    RawExchange list(m_port, "POST", postHeaders, rpc(2, u"tools/list"_s));
    QVERIFY(list.waitForComplete());
    QCOMPARE(list.status(), 400);
    const QString message = list.json().value("error"_L1).toObject().value("message"_L1).toString();
    QVERIFY2(message.contains(u"Missing Mcp-Session-Id header: send initialize first"_s),
             qPrintable(message));
    QVERIFY(list.json().value("id"_L1).isNull());
    // Recorded as an invalid inbound event, since the server never saw it.
    QCOMPARE(m_log->size(), before + 1);
    const traffic::TrafficEvent event = m_log->snapshot().constLast();
    QCOMPARE(event.messageType, u"invalid"_s);
    QVERIFY(event.isError);
    QVERIFY(event.summary.contains(u"400"_s));
    QCOMPARE(event.transport, u"http"_s);
}

void tst_HttpTransport::unknownSessionIs404()
{
    RawExchange list(m_port, "POST", withSession("0123456789abcdef0123456789abcdef"),
                     rpc(2, u"tools/list"_s));
    QVERIFY(list.waitForComplete());
    QCOMPARE(list.status(), 404);
    QVERIFY(list.json()
                .value("error"_L1)
                .toObject()
                .value("message"_L1)
                .toString()
                .contains(u"initialize"_s));
}

void tst_HttpTransport::protocolVersionHeader_data()
{
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<int>("status");
    QTest::newRow("latest") << QByteArray("2025-11-25") << 200;
    // The conformance suite sends 2025-03-26 on a 2025-11-25 session: any supported one is fine.
    QTest::newRow("older supported") << QByteArray("2025-03-26") << 200;
    QTest::newRow("unsupported") << QByteArray("1999-01-01") << 400;
    QTest::newRow("garbage") << QByteArray("latest") << 400;
}

void tst_HttpTransport::protocolVersionHeader()
{
    QFETCH(QByteArray, version);
    QFETCH(int, status);
    const QByteArray session = initialize();
    QVERIFY(!session.isEmpty());
    Headers headers = withSession(session);
    headers.append({"MCP-Protocol-Version", version});
    RawExchange list(m_port, "POST", headers, rpc(2, u"tools/list"_s));
    QVERIFY(list.waitForComplete());
    QCOMPARE(list.status(), status);
    if (status == 400)
        QVERIFY(list.json()
                    .value("error"_L1)
                    .toObject()
                    .value("message"_L1)
                    .toString()
                    .contains(QString::fromLatin1(version)));
}

void tst_HttpTransport::acceptHeader_data()
{
    QTest::addColumn<QByteArray>("accept");
    QTest::addColumn<int>("status");
    QTest::newRow("both") << QByteArray("application/json, text/event-stream") << 200;
    QTest::newRow("both with q") << QByteArray("text/event-stream;q=0.9, application/json;q=1")
                                 << 200;
    QTest::newRow("wildcard") << QByteArray("*/*") << 200;
    QTest::newRow("json only") << QByteArray("application/json") << 406;
    QTest::newRow("sse only") << QByteArray("text/event-stream") << 406;
    QTest::newRow("html") << QByteArray("text/html") << 406;
    QTest::newRow("missing") << QByteArray() << 406;
}

void tst_HttpTransport::acceptHeader()
{
    QFETCH(QByteArray, accept);
    QFETCH(int, status);
    Headers headers{{"Content-Type", "application/json"}};
    if (!accept.isEmpty())
        headers.append({"Accept", accept});
    RawExchange init(m_port, "POST", headers, initializeBody());
    QVERIFY(init.waitForComplete());
    QCOMPARE(init.status(), status);
    QCOMPARE(init.header("mcp-session-id").isEmpty(), status != 200);
}

void tst_HttpTransport::contentType_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::newRow("json") << QByteArray("application/json") << 200;
    QTest::newRow("json with charset") << QByteArray("application/json; charset=utf-8") << 200;
    QTest::newRow("upper case") << QByteArray("Application/JSON") << 200;
    QTest::newRow("text") << QByteArray("text/plain") << 415;
    QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded") << 415;
    QTest::newRow("missing") << QByteArray() << 415;
}

void tst_HttpTransport::contentType()
{
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    Headers headers{{"Accept", "application/json, text/event-stream"}};
    if (!contentType.isEmpty())
        headers.append({"Content-Type", contentType});
    RawExchange init(m_port, "POST", headers, initializeBody());
    QVERIFY(init.waitForComplete());
    QCOMPARE(init.status(), status);
    if (status != 200)
        QVERIFY(init.json()
                    .value("error"_L1)
                    .toObject()
                    .value("message"_L1)
                    .toString()
                    .contains(u"application/json"_s));
}

void tst_HttpTransport::hostHeader_data()
{
    QTest::addColumn<QByteArray>("host"); // %1 is the port
    QTest::addColumn<int>("status");
    QTest::newRow("127.0.0.1 with port") << QByteArray("127.0.0.1:%1") << 200;
    QTest::newRow("127.0.0.1") << QByteArray("127.0.0.1") << 200;
    QTest::newRow("localhost with port") << QByteArray("localhost:%1") << 200;
    QTest::newRow("LOCALHOST") << QByteArray("LOCALHOST") << 200;
    QTest::newRow("[::1] with port") << QByteArray("[::1]:%1") << 200;
    QTest::newRow("evil") << QByteArray("evil.example.com") << 403;
    QTest::newRow("evil with port") << QByteArray("evil.example.com:%1") << 403;
    QTest::newRow("localhost suffix") << QByteArray("localhost.evil.example.com") << 403;
    QTest::newRow("other address") << QByteArray("192.168.1.20:%1") << 403;
}

void tst_HttpTransport::hostHeader()
{
    QFETCH(QByteArray, host);
    QFETCH(int, status);
    host.replace("%1", QByteArray::number(m_port));
    Headers headers = postHeaders;
    headers.prepend({"Host", host});
    RawExchange init(m_port, "POST", headers, initializeBody(), false);
    QVERIFY(init.waitForComplete());
    QCOMPARE(init.status(), status);
    if (status == 403) {
        QVERIFY(init.json()
                    .value("error"_L1)
                    .toObject()
                    .value("message"_L1)
                    .toString()
                    .contains(u"Host"_s));
        QVERIFY(m_transport->sessionIds().isEmpty());
        QCOMPARE(m_log->snapshot().constLast().messageType, u"invalid"_s);
    }
}

void tst_HttpTransport::originHeader_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<int>("status");
    QTest::newRow("http localhost") << QByteArray("http://localhost:%1") << 200;
    QTest::newRow("https 127.0.0.1") << QByteArray("https://127.0.0.1") << 200;
    QTest::newRow("[::1]") << QByteArray("http://[::1]:5173") << 200;
    QTest::newRow("evil") << QByteArray("http://evil.example.com") << 403;
    QTest::newRow("evil with port") << QByteArray("http://evil.example.com:%1") << 403;
    QTest::newRow("lookalike") << QByteArray("http://127.0.0.1.evil.example.com") << 403;
    QTest::newRow("null") << QByteArray("null") << 403;
    QTest::newRow("file scheme") << QByteArray("file://localhost") << 403;
}

void tst_HttpTransport::originHeader()
{
    QFETCH(QByteArray, origin);
    QFETCH(int, status);
    origin.replace("%1", QByteArray::number(m_port));
    Headers headers = postHeaders;
    headers.append({"Origin", origin});
    RawExchange init(m_port, "POST", headers, initializeBody());
    QVERIFY(init.waitForComplete());
    QCOMPARE(init.status(), status);
    if (status == 200)
        QCOMPARE(init.header("access-control-allow-origin"), origin);
    else
        QVERIFY(init.json()
                    .value("error"_L1)
                    .toObject()
                    .value("message"_L1)
                    .toString()
                    .contains(u"Origin"_s));
}

void tst_HttpTransport::notificationIs202()
{
    RawExchange init(m_port, "POST", postHeaders, initializeBody());
    QVERIFY(init.waitForComplete());
    const QByteArray session = init.header("mcp-session-id");
    mcp::Session *mcpSession = m_server->session(QString::fromLatin1(session));
    QVERIFY(mcpSession);
    QVERIFY(!mcpSession->isInitialized());
    RawExchange note(m_port, "POST", withSession(session),
                     rpc(QJsonValue::Undefined, u"notifications/initialized"_s));
    QVERIFY(note.waitForComplete());
    QCOMPARE(note.status(), 202);
    QVERIFY(note.body().isEmpty());
    QVERIFY(mcpSession->isInitialized());
}

void tst_HttpTransport::requestGetsJsonResponse()
{
    const QByteArray session = initialize();
    RawExchange list(m_port, "POST", withSession(session), rpc(u"list-1"_s, u"tools/list"_s));
    QVERIFY(list.waitForComplete());
    QCOMPARE(list.status(), 200);
    QVERIFY(list.header("content-type").startsWith("application/json"));
    QCOMPARE(list.header("mcp-session-id"), session);
    QCOMPARE(list.json().value("id"_L1).toString(), u"list-1"_s);
    QCOMPARE(list.json().value("result"_L1).toObject().value("tools"_L1).toArray().size(), 2);
}

void tst_HttpTransport::progressTurnsAnswerIntoEventStream()
{
    const QByteArray session = initialize();
    const QByteArray body = rpc(7, u"tools/call"_s,
                                {{u"name"_s, u"echo"_s},
                                 {u"arguments"_s, QJsonObject{{u"text"_s, u"streamed"_s}}},
                                 {u"_meta"_s, QJsonObject{{u"progressToken"_s, u"tok"_s}}}});
    RawExchange call(m_port, "POST", withSession(session), body);
    QVERIFY(call.waitForComplete(10000));
    QCOMPARE(call.status(), 200);
    QCOMPARE(call.header("content-type"), QByteArray("text/event-stream"));
    QCOMPARE(call.header("transfer-encoding"), QByteArray("chunked"));
    const QList<SseEvent> events = call.events();
    QVERIFY2(events.size() >= 3, call.body().constData()); // priming, progress..., response

    // Priming first: an id, empty data and a retry field.
    QVERIFY(!events.at(0).id.isEmpty());
    QVERIFY(events.at(0).data.isEmpty());
    QVERIFY(!events.at(0).retry.isEmpty());

    int progress = 0;
    QSet<QByteArray> ids;
    for (qsizetype i = 1; i < events.size(); ++i) {
        QVERIFY(!events.at(i).id.isEmpty());
        QVERIFY2(!ids.contains(events.at(i).id), "event ids must be unique");
        ids.insert(events.at(i).id);
        QCOMPARE(events.at(i).type, QByteArray("message"));
        const QJsonObject message = QJsonDocument::fromJson(events.at(i).data).object();
        if (message.value("method"_L1).toString() == u"notifications/progress"_s) {
            ++progress;
            QCOMPARE(message.value("params"_L1).toObject().value("progressToken"_L1).toString(),
                     u"tok"_s);
        }
    }
    QVERIFY(progress >= 1);
    const QJsonObject last = QJsonDocument::fromJson(events.constLast().data).object();
    QCOMPARE(last.value("id"_L1).toInt(), 7);
    QVERIFY(last.value("result"_L1)
                .toObject()
                .value("content"_L1)
                .toArray()
                .at(0)
                .toObject()
                .value("text"_L1)
                .toString()
                .contains(u"streamed"_s));
    QCOMPARE(m_transport->openStreamCount(), 0);
}

void tst_HttpTransport::getStreamReceivesListChanged()
{
    const QByteArray session = initialize();
    RawExchange stream(m_port, "GET",
                       {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", session}});
    QVERIFY(stream.waitForHead());
    QCOMPARE(stream.status(), 200);
    QCOMPARE(stream.header("content-type"), QByteArray("text/event-stream"));
    QTRY_COMPARE_WITH_TIMEOUT(m_transport->openStreamCount(), 1, 2000);

    // Only one GET stream per session.
    RawExchange second(m_port, "GET",
                       {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", session}});
    QVERIFY(second.waitForComplete());
    QCOMPARE(second.status(), 409);

    m_server->setDocument(makeDocument(m_upstream->baseUrl(), 1));
    QVERIFY(stream.waitForEvents(1));
    QSet<QString> methods;
    stream.waitForEvents(3, 1000);
    for (const SseEvent &event : stream.events())
        methods.insert(QJsonDocument::fromJson(event.data).object().value("method"_L1).toString());
    QVERIFY2(methods.contains(u"notifications/tools/list_changed"_s),
             qPrintable(QStringList(methods.cbegin(), methods.cend()).join(u' ')));
    QVERIFY(!stream.isComplete()); // the stream stays open

    // Keep-alive comments flow while nothing else happens.
    m_transport->setKeepAliveIntervalMs(50);
    QTRY_VERIFY_WITH_TIMEOUT(stream.waitForEvents(99, 20) || stream.body().contains(": keep-alive"),
                             2000);

    // Closing the session ends the stream.
    RawExchange del(m_port, "DELETE", {{"Mcp-Session-Id", session}});
    QVERIFY(del.waitForComplete());
    QVERIFY(stream.waitForComplete());
}

void tst_HttpTransport::getNeedsEventStreamAccept()
{
    const QByteArray session = initialize();
    RawExchange plain(m_port, "GET", {{"Accept", "text/html"}, {"Mcp-Session-Id", session}});
    QVERIFY(plain.waitForComplete());
    QCOMPARE(plain.status(), 405);
    QVERIFY(plain.header("allow").contains("POST"));

    RawExchange noSession(m_port, "GET", {{"Accept", "text/event-stream"}});
    QVERIFY(noSession.waitForComplete());
    QCOMPARE(noSession.status(), 400);

    RawExchange unknown(m_port, "GET",
                        {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", "nope"}});
    QVERIFY(unknown.waitForComplete());
    QCOMPARE(unknown.status(), 404);
}

void tst_HttpTransport::deleteEndsSession()
{
    QSignalSpy ended(m_transport, &transport::StreamableHttpTransport::sessionEnded);
    const QByteArray session = initialize();
    RawExchange del(m_port, "DELETE", {{"Mcp-Session-Id", session}});
    QVERIFY(del.waitForComplete());
    QCOMPARE(del.status(), 200);
    QCOMPARE(ended.size(), 1);
    QVERIFY(m_transport->sessionIds().isEmpty());
    QTRY_VERIFY(!m_server->session(QString::fromLatin1(session)));

    RawExchange after(m_port, "POST", withSession(session), rpc(2, u"ping"_s));
    QVERIFY(after.waitForComplete());
    QCOMPARE(after.status(), 404);

    RawExchange again(m_port, "DELETE", {{"Mcp-Session-Id", session}});
    QVERIFY(again.waitForComplete());
    QCOMPARE(again.status(), 404);
}

void tst_HttpTransport::concurrentPostsOnOneSession()
{
    const QByteArray session = initialize();
    std::vector<std::unique_ptr<RawExchange>> calls;
    for (int i = 0; i < 3; ++i) {
        const QByteArray body = rpc(
            1000 + i, u"tools/call"_s,
            {{u"name"_s, u"slow"_s}, {u"arguments"_s, QJsonObject{{u"ms"_s, 300 - 100 * i}}}});
        calls.push_back(std::make_unique<RawExchange>(m_port, "POST", withSession(session), body));
    }
    for (int i = 0; i < 3; ++i) {
        QVERIFY(calls[i]->waitForComplete(10000));
        QCOMPARE(calls[i]->status(), 200);
        const QJsonObject answer = calls[i]->json();
        QCOMPARE(answer.value("id"_L1).toInt(), 1000 + i);
        QVERIFY(!answer.value("result"_L1).toObject().value("isError"_L1).toBool());
    }
}

void tst_HttpTransport::oversizedBodyIs413()
{
    m_transport->setMaxBodyBytes(64 * 1024);
    const QByteArray session = initialize();
    const QByteArray body
        = rpc(3, u"tools/call"_s,
              {{u"name"_s, u"echo"_s},
               {u"arguments"_s, QJsonObject{{u"text"_s, QString(100 * 1024, u'x')}}}});
    RawExchange big(m_port, "POST", withSession(session), body);
    QVERIFY(big.waitForComplete());
    QCOMPARE(big.status(), 413);
    QVERIFY(big.json()
                .value("error"_L1)
                .toObject()
                .value("message"_L1)
                .toString()
                .contains(u"64 KB"_s));
    // The traffic log keeps only the start of such a body.
    QVERIFY(m_log->snapshot().constLast().body.size() < body.size() + 200);
}

void tst_HttpTransport::parseErrorIs400()
{
    const QByteArray session = initialize();
    RawExchange garbage(m_port, "POST", withSession(session), "{not json");
    QVERIFY(garbage.waitForComplete());
    QCOMPARE(garbage.status(), 400);
    QCOMPARE(garbage.json().value("error"_L1).toObject().value("code"_L1).toInt(),
             int(jsonrpc::ParseError));
    QCOMPARE(m_log->snapshot().constLast().body, QByteArray("{not json"));
}

void tst_HttpTransport::batchRules_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<int>("status");
    QTest::newRow("2025-03-26") << u"2025-03-26"_s << 200;
    QTest::newRow("2025-11-25") << u"2025-11-25"_s << 400;
}

void tst_HttpTransport::batchRules()
{
    QFETCH(QString, version);
    QFETCH(int, status);
    const QByteArray session = initialize(version);
    QVERIFY(!session.isEmpty());
    RawExchange batch(m_port, "POST", withSession(session),
                      "[" + rpc(5, u"ping"_s) + "," + rpc(6, u"tools/list"_s) + "]");
    QVERIFY(batch.waitForComplete());
    QCOMPARE(batch.status(), status);
    if (status == 200) {
        const QJsonArray answers = batch.jsonValue().toArray();
        QCOMPARE(answers.size(), 2);
        QSet<int> ids;
        for (const QJsonValue &answer : answers)
            ids.insert(answer.toObject().value("id"_L1).toInt());
        QCOMPARE(ids, (QSet<int>{5, 6}));
    } else {
        QCOMPARE(batch.json().value("error"_L1).toObject().value("code"_L1).toInt(),
                 int(jsonrpc::InvalidRequest));
    }
}

void tst_HttpTransport::failedInitializeLeavesNoSession()
{
    RawExchange init(m_port, "POST", postHeaders,
                     rpc(1, u"initialize"_s, {{u"capabilities"_s, QJsonObject{}}}));
    QVERIFY(init.waitForComplete());
    QCOMPARE(init.status(), 200);
    QVERIFY(init.json().contains("error"_L1));
    QTRY_VERIFY_WITH_TIMEOUT(m_transport->sessionIds().isEmpty(), 2000);
}

void tst_HttpTransport::clientDisconnectMidCall()
{
    const QByteArray session = initialize();
    {
        RawExchange call(m_port, "POST", withSession(session),
                         rpc(9, u"tools/call"_s,
                             {{u"name"_s, u"slow"_s},
                              {u"arguments"_s, QJsonObject{{u"ms"_s, 300}}},
                              {u"_meta"_s, QJsonObject{{u"progressToken"_s, 1}}}}));
        QVERIFY(call.waitForHead(5000)); // progress made it a stream
        QCOMPARE(call.status(), 200);
        call.abort();
    }
    QTest::qWait(500); // the upstream answers while nobody listens
    RawExchange ping(m_port, "POST", withSession(session), rpc(10, u"ping"_s));
    QVERIFY(ping.waitForComplete());
    QCOMPARE(ping.status(), 200);
    QCOMPARE(ping.json().value("id"_L1).toInt(), 10);
    // The id of the abandoned call is free again.
    RawExchange reuse(m_port, "POST", withSession(session), rpc(9, u"ping"_s));
    QVERIFY(reuse.waitForComplete());
    QCOMPARE(reuse.status(), 200);
}

void tst_HttpTransport::accessToken_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::newRow("right") << QByteArray("Bearer s3cret-token-value") << 200;
    QTest::newRow("missing") << QByteArray() << 401;
    QTest::newRow("wrong") << QByteArray("Bearer guess") << 401;
    QTest::newRow("prefix of the right one") << QByteArray("Bearer s3cret") << 401;
    QTest::newRow("basic") << QByteArray("Basic czNjcmV0") << 401;
}

void tst_HttpTransport::accessToken()
{
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    m_transport->setAccessToken(u"s3cret-token-value"_s);
    Headers headers = postHeaders;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    RawExchange init(m_port, "POST", headers, initializeBody());
    QVERIFY(init.waitForComplete());
    QCOMPARE(init.status(), status);
    if (status == 401) {
        QVERIFY(init.header("www-authenticate").startsWith("Bearer"));
        QVERIFY(!init.body().contains("s3cret-token-value"));
    }
}

void tst_HttpTransport::optionsAndOtherMethods()
{
    RawExchange options(m_port, "OPTIONS", {{"Origin", "http://localhost:5173"}});
    QVERIFY(options.waitForComplete());
    QCOMPARE(options.status(), 204);
    QVERIFY(options.header("allow").contains("DELETE"));
    QVERIFY(options.header("access-control-allow-headers").contains("Mcp-Session-Id"));

    RawExchange put(m_port, "PUT", {{"Content-Type", "application/json"}}, "{}");
    QVERIFY(put.waitForComplete());
    QCOMPARE(put.status(), 405);
    QVERIFY(put.header("allow").contains("POST"));
}

void tst_HttpTransport::otherPathIs404()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(2000));
    socket.write("GET /other HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray answer;
    QDeadlineTimer deadline(3000);
    while (!answer.contains("\r\n\r\n") && !deadline.hasExpired()) {
        QTest::qWait(5);
        answer += socket.readAll();
    }
    QVERIFY2(answer.startsWith("HTTP/1.1 404"), answer.constData());
}

void tst_HttpTransport::busyPortIsAnError()
{
    transport::StreamableHttpTransport second(m_server);
    const Result<quint16> result = second.listen(QHostAddress::LocalHost, m_port);
    QVERIFY(!result);
    QCOMPARE(result.error().code, int(QAbstractSocket::AddressInUseError));
    QVERIFY2(result.error().message.contains(u"already in use"_s),
             qPrintable(result.error().message));
    QVERIFY(result.error().message.contains(u"127.0.0.1:%1"_s.arg(m_port)));
}

void tst_HttpTransport::idleSessionsExpire()
{
    const QByteArray idle = initialize();
    const QByteArray watching = initialize();
    RawExchange stream(m_port, "GET",
                       {{"Accept", "text/event-stream"}, {"Mcp-Session-Id", watching}});
    QVERIFY(stream.waitForHead());
    QCOMPARE(stream.status(), 200);

    m_transport->setSessionIdleTimeoutMs(200);
    m_transport->setKeepAliveIntervalMs(50);
    QTRY_VERIFY_WITH_TIMEOUT(!m_transport->sessionIds().contains(QString::fromLatin1(idle)), 3000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_server->session(QString::fromLatin1(idle)), 2000);
    // A session with an open GET stream is in use.
    QVERIFY(m_transport->sessionIds().contains(QString::fromLatin1(watching)));

    RawExchange after(m_port, "POST", withSession(idle), rpc(2, u"ping"_s));
    QVERIFY(after.waitForComplete());
    QCOMPARE(after.status(), 404);
}

QTEST_GUILESS_MAIN(tst_HttpTransport)
#include "tst_httptransport.moc"
