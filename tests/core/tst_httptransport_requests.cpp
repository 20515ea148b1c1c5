// StreamableHttpTransport requests (fixture in httptransportfixture.h): which requests the
// endpoint accepts and which it refuses, by header (protocol version, Accept, Content-Type, Host,
// Origin, access token), by body (size, syntax, batches), by method and path; and a busy port.

#include "tests/core/httptransportfixture.h"

#include <QJsonArray>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::tests::httpfixture;

class tst_HttpTransportRequests : public HttpTransportFixture
{
    Q_OBJECT

private slots:
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
    void oversizedBodyIs413();
    void parseErrorIs400();
    void batchRules_data();
    void batchRules();
    void accessToken_data();
    void accessToken();
    void optionsAndOtherMethods();
    void otherPathIs404();
    void busyPortIsAnError();
};

void tst_HttpTransportRequests::protocolVersionHeader_data()
{
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<int>("status");
    QTest::newRow("latest") << QByteArray("2025-11-25") << 200;
    // The conformance suite sends 2025-03-26 on a 2025-11-25 session: any supported one is fine.
    QTest::newRow("older supported") << QByteArray("2025-03-26") << 200;
    QTest::newRow("unsupported") << QByteArray("1999-01-01") << 400;
    QTest::newRow("garbage") << QByteArray("latest") << 400;
}

void tst_HttpTransportRequests::protocolVersionHeader()
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

void tst_HttpTransportRequests::acceptHeader_data()
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

void tst_HttpTransportRequests::acceptHeader()
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

void tst_HttpTransportRequests::contentType_data()
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

void tst_HttpTransportRequests::contentType()
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

void tst_HttpTransportRequests::hostHeader_data()
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

void tst_HttpTransportRequests::hostHeader()
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

void tst_HttpTransportRequests::originHeader_data()
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

void tst_HttpTransportRequests::originHeader()
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

void tst_HttpTransportRequests::oversizedBodyIs413()
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

void tst_HttpTransportRequests::parseErrorIs400()
{
    const QByteArray session = initialize();
    RawExchange garbage(m_port, "POST", withSession(session), "{not json");
    QVERIFY(garbage.waitForComplete());
    QCOMPARE(garbage.status(), 400);
    QCOMPARE(garbage.json().value("error"_L1).toObject().value("code"_L1).toInt(),
             int(jsonrpc::ParseError));
    QCOMPARE(m_log->snapshot().constLast().body, QByteArray("{not json"));
}

void tst_HttpTransportRequests::batchRules_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<int>("status");
    QTest::newRow("2025-03-26") << u"2025-03-26"_s << 200;
    QTest::newRow("2025-11-25") << u"2025-11-25"_s << 400;
}

void tst_HttpTransportRequests::batchRules()
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

void tst_HttpTransportRequests::accessToken_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::newRow("right") << QByteArray("Bearer s3cret-token-value") << 200;
    QTest::newRow("missing") << QByteArray() << 401;
    QTest::newRow("wrong") << QByteArray("Bearer guess") << 401;
    QTest::newRow("prefix of the right one") << QByteArray("Bearer s3cret") << 401;
    QTest::newRow("basic") << QByteArray("Basic czNjcmV0") << 401;
}

void tst_HttpTransportRequests::accessToken()
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

void tst_HttpTransportRequests::optionsAndOtherMethods()
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

void tst_HttpTransportRequests::otherPathIs404()
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

void tst_HttpTransportRequests::busyPortIsAnError()
{
    transport::StreamableHttpTransport second(m_server);
    const Result<quint16> result = second.listen(QHostAddress::LocalHost, m_port);
    QVERIFY(!result);
    QCOMPARE(result.error().code, int(QAbstractSocket::AddressInUseError));
    QVERIFY2(result.error().message.contains(u"already in use"_s),
             qPrintable(result.error().message));
    QVERIFY(result.error().message.contains(u"127.0.0.1:%1"_s.arg(m_port)));
}

QTEST_GUILESS_MAIN(tst_HttpTransportRequests)
#include "tst_httptransport_requests.moc"
