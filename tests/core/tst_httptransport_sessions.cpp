// StreamableHttpTransport sessions and streams (fixture in httptransportfixture.h): a session
// from initialize to DELETE or idle expiry, answers as JSON or as an event stream, the GET
// stream for server notifications, concurrent calls and a client that goes away mid-call.

#include "tests/core/httptransportfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::tests::httpfixture;

class tst_HttpTransportSessions : public HttpTransportFixture
{
    Q_OBJECT

private slots:
    void initializeGivesSessionHeader();
    void missingSessionIs400();
    void unknownSessionIs404();
    void notificationIs202();
    void requestGetsJsonResponse();
    void progressTurnsAnswerIntoEventStream();
    void getStreamReceivesListChanged();
    void getNeedsEventStreamAccept();
    void deleteEndsSession();
    void concurrentPostsOnOneSession();
    void failedInitializeLeavesNoSession();
    void clientDisconnectMidCall();
    void idleSessionsExpire();
};

void tst_HttpTransportSessions::initializeGivesSessionHeader()
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

void tst_HttpTransportSessions::missingSessionIs400()
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

void tst_HttpTransportSessions::unknownSessionIs404()
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

void tst_HttpTransportSessions::notificationIs202()
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

void tst_HttpTransportSessions::requestGetsJsonResponse()
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

void tst_HttpTransportSessions::progressTurnsAnswerIntoEventStream()
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

void tst_HttpTransportSessions::getStreamReceivesListChanged()
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

void tst_HttpTransportSessions::getNeedsEventStreamAccept()
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

void tst_HttpTransportSessions::deleteEndsSession()
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

void tst_HttpTransportSessions::concurrentPostsOnOneSession()
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

void tst_HttpTransportSessions::failedInitializeLeavesNoSession()
{
    RawExchange init(m_port, "POST", postHeaders,
                     rpc(1, u"initialize"_s, {{u"capabilities"_s, QJsonObject{}}}));
    QVERIFY(init.waitForComplete());
    QCOMPARE(init.status(), 200);
    QVERIFY(init.json().contains("error"_L1));
    QTRY_VERIFY_WITH_TIMEOUT(m_transport->sessionIds().isEmpty(), 2000);
}

void tst_HttpTransportSessions::clientDisconnectMidCall()
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

void tst_HttpTransportSessions::idleSessionsExpire()
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

QTEST_GUILESS_MAIN(tst_HttpTransportSessions)
#include "tst_httptransport_sessions.moc"
