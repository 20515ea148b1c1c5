// McpServer sessions (fixture in mcpserverfixture.h): the initialize handshake and what is
// allowed before it, cancelling and closing, a document swap, concurrent calls, and the
// traffic log of both directions.

#include "tests/core/mcpserverfixture.h"

#include <QJsonArray>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::tests::mcpserverfixture;
using jsonrpc::Message;

class TestMcpServerSession : public McpServerFixture
{
    Q_OBJECT

private slots:
    // --- lifecycle

    void beforeInitialize_onlyInitializeAndPing()
    {
        mcp::Session *session = newSession();
        const Message ping = call(session, qint64(1), u"ping"_s);
        QCOMPARE(ping.kind, Message::Kind::Response);
        QCOMPARE(ping.result.toObject(), QJsonObject());

        const Message list = call(session, qint64(2), u"tools/list"_s);
        QCOMPARE(list.kind, Message::Kind::Error);
        QCOMPARE(list.error.code, int(jsonrpc::InvalidRequest));
        QVERIFY2(list.error.message.contains("initialize"_L1), qPrintable(list.error.message));
        QCOMPARE(m_upstream.requests().size(), 0);
    }

    void initialize_negotiatesVersion_data()
    {
        QTest::addColumn<QJsonValue>("requested");
        QTest::addColumn<QString>("expected"); // empty: an error naming protocolVersion
        QTest::newRow("2025-11-25") << QJsonValue(u"2025-11-25"_s) << u"2025-11-25"_s;
        QTest::newRow("2025-06-18") << QJsonValue(u"2025-06-18"_s) << u"2025-06-18"_s;
        QTest::newRow("2025-03-26") << QJsonValue(u"2025-03-26"_s) << u"2025-03-26"_s;
        QTest::newRow("2024-11-05") << QJsonValue(u"2024-11-05"_s) << u"2024-11-05"_s;
        QTest::newRow("unknown") << QJsonValue(u"2031-01-01"_s)
                                 << mcp::McpServer::latestProtocolVersion();
        QTest::newRow("empty string")
            << QJsonValue(u""_s) << mcp::McpServer::latestProtocolVersion();
        QTest::newRow("missing") << QJsonValue(QJsonValue::Undefined) << QString();
        QTest::newRow("number") << QJsonValue(20250618) << QString();
    }

    void initialize_negotiatesVersion()
    {
        QFETCH(QJsonValue, requested);
        QFETCH(QString, expected);
        mcp::Session *session = newSession();
        QJsonObject params{{u"capabilities"_s, QJsonObject()},
                           {u"clientInfo"_s, QJsonObject{{u"name"_s, u"c"_s}}}};
        if (!requested.isUndefined())
            params.insert(u"protocolVersion"_s, requested);
        const Message response = call(session, u"init"_s, u"initialize"_s, params);
        if (expected.isEmpty()) {
            QCOMPARE(response.kind, Message::Kind::Error);
            QCOMPARE(response.error.code, int(jsonrpc::InvalidParams));
            QVERIFY2(response.error.message.contains("protocolVersion"_L1),
                     qPrintable(response.error.message));
            QVERIFY(session->protocolVersion().isEmpty());
        } else {
            QCOMPARE(response.kind, Message::Kind::Response);
            QCOMPARE(response.result.toObject().value("protocolVersion"_L1).toString(), expected);
            QCOMPARE(session->protocolVersion(), expected);
        }
    }

    void initialize_result()
    {
        mcp::Session *session = newSession(u"stdio"_s);
        const QJsonObject capabilities{{u"elicitation"_s, QJsonObject()}};
        const Message response = call(session, qint64(1), u"initialize"_s,
                                      {{u"protocolVersion"_s, u"2025-06-18"_s},
                                       {u"capabilities"_s, capabilities},
                                       {u"clientInfo"_s, QJsonObject{{u"name"_s, u"client-x"_s}}}});
        const QJsonObject result = response.result.toObject();
        const QJsonObject serverInfo = result.value("serverInfo"_L1).toObject();
        QCOMPARE(serverInfo.value("name"_L1).toString(), u"testbridge"_s);
        QCOMPARE(serverInfo.value("title"_L1).toString(), u"Test Bridge"_s);
        QCOMPARE(serverInfo.value("version"_L1).toString(), u"2.1.0"_s);
        QCOMPARE(result.value("instructions"_L1).toString(),
                 u"Use the recipe tools for food questions."_s);
        const QJsonObject caps = result.value("capabilities"_L1).toObject();
        QCOMPARE(caps.value("tools"_L1).toObject().value("listChanged"_L1), QJsonValue(true));
        QCOMPARE(caps.value("resources"_L1).toObject().value("subscribe"_L1), QJsonValue(true));
        QCOMPARE(caps.value("prompts"_L1).toObject().value("listChanged"_L1), QJsonValue(true));
        QVERIFY(caps.value("completions"_L1).isObject());
        QVERIFY(caps.value("logging"_L1).isObject());

        QCOMPARE(session->clientCapabilities(), capabilities);
        QCOMPARE(session->clientInfo().value("name"_L1).toString(), u"client-x"_s);
        QVERIFY(session->clientSupportsElicitation());
        QVERIFY(!session->isInitialized());
        m_server->receive(session, Message::notification(u"notifications/initialized"_s));
        QVERIFY(session->isInitialized());

        const Message second
            = call(session, qint64(2), u"initialize"_s, {{u"protocolVersion"_s, u"2025-06-18"_s}});
        QCOMPARE(second.kind, Message::Kind::Error);
        QCOMPARE(second.error.code, int(jsonrpc::InvalidRequest));
        QCOMPARE(session->protocolVersion(), u"2025-06-18"_s);
    }

    void basics_pingUnknownMethodBadParams()
    {
        mcp::Session *session = initialized();
        const Message ping = call(session, qint64(5), u"ping"_s);
        QCOMPARE(ping.kind, Message::Kind::Response);
        QCOMPARE(ping.id, std::optional<jsonrpc::Id>(qint64(5)));

        const Message unknown = call(session, qint64(6), u"foo/bar"_s);
        QCOMPARE(unknown.error.code, int(jsonrpc::MethodNotFound));
        QCOMPARE(unknown.error.message, u"Method not found: foo/bar"_s);

        Message arrayParams = Message::request(qint64(7), u"tools/list"_s);
        arrayParams.params = QJsonArray{1, 2};
        m_server->receive(session, arrayParams);
        QTRY_VERIFY_WITH_TIMEOUT(responseFor(session, qint64(7)).has_value(), 5000);
        QCOMPARE(responseFor(session, qint64(7))->error.code, int(jsonrpc::InvalidParams));

        const Message badLevel
            = call(session, qint64(8), u"logging/setLevel"_s, {{u"level"_s, u"loud"_s}});
        QCOMPARE(badLevel.error.code, int(jsonrpc::InvalidParams));
        QVERIFY(badLevel.error.message.contains("level"_L1));

        // Unknown notifications are ignored: nothing is sent back.
        const auto before = sent(session).size();
        m_server->receive(session, Message::notification(u"notifications/whatever"_s));
        QCOMPARE(sent(session).size(), before);
    }

    // --- cancellation and closing

    void cancellation_sendsNoResponse()
    {
        mcp::Session *session = initialized();
        QSignalSpy abandoned(session, &mcp::Session::requestAbandoned);
        QSignalSpy upstreamSaw(&m_upstream, &fixtures::FixtureUpstream::requestReceived);
        m_server->receive(session,
                          Message::request(qint64(50), u"tools/call"_s,
                                           {{u"name"_s, u"slow"_s},
                                            {u"arguments"_s, QJsonObject{{u"ms"_s, 800}}}}));
        QVERIFY(upstreamSaw.wait(5000));
        m_server->receive(
            session, Message::notification(u"notifications/cancelled"_s,
                                           {{u"requestId"_s, 50}, {u"reason"_s, u"user stop"_s}}));
        QCOMPARE(abandoned.size(), 1);
        // Longer than the upstream's delay: its answer, had it been awaited, would be here.
        QTest::qWait(1300);
        QVERIFY(!responseFor(session, qint64(50)));
        for (const traffic::TrafficEvent &event : m_log->snapshot()) {
            if (event.kind == traffic::EventKind::Mcp
                && event.direction == traffic::Direction::Outbound)
                QVERIFY(event.rpcId != "50"_L1);
        }
        // The session still works.
        QCOMPARE(call(session, qint64(51), u"ping"_s).kind, Message::Kind::Response);
    }

    void closeSession_abortsCalls()
    {
        mcp::Session *session = initialized();
        QSignalSpy closed(m_server.get(), &mcp::McpServer::sessionClosed);
        QSignalSpy upstreamSaw(&m_upstream, &fixtures::FixtureUpstream::requestReceived);
        QPointer<mcp::Session> guard = session;
        const QString id = session->id();
        m_server->receive(session,
                          Message::request(qint64(1), u"tools/call"_s,
                                           {{u"name"_s, u"slow"_s},
                                            {u"arguments"_s, QJsonObject{{u"ms"_s, 500}}}}));
        QVERIFY(upstreamSaw.wait(5000));
        m_server->closeSession(session);
        QCOMPARE(closed.size(), 1);
        QCOMPARE(closed.first().first().toString(), id);
        QVERIFY(!m_server->session(id));
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 2000);
        QTest::qWait(800);
        QVERIFY(!responseFor(session, qint64(1)));
    }

    // --- document swap, concurrency, traffic

    void setDocument_announcesListChanges()
    {
        mcp::Session *ready = initialized();
        mcp::Session *fresh = newSession();
        auto next = makeDocument(m_upstream.baseUrl());
        next->tools.removeLast();
        m_server->setDocument(next);
        QStringList methods;
        for (const Sent &s : sent(ready)) {
            QVERIFY(s.message.isNotification());
            QVERIFY(!s.relatedTo.has_value());
            methods.append(s.message.method);
        }
        QCOMPARE(methods, (QStringList{u"notifications/tools/list_changed"_s,
                                       u"notifications/resources/list_changed"_s,
                                       u"notifications/prompts/list_changed"_s}));
        QVERIFY(sent(fresh).isEmpty());
        const Message list = call(ready, qint64(1), u"tools/list"_s);
        QCOMPARE(list.result.toObject().value("tools"_L1).toArray().size(), next->tools.size());
    }

    void concurrentCalls_sameIdOnTwoSessions()
    {
        mcp::Session *a = initialized();
        mcp::Session *b = initialized();
        m_server->receive(a, Message::request(qint64(1), u"tools/call"_s,
                                              {{u"name"_s, u"slow"_s},
                                               {u"arguments"_s, QJsonObject{{u"ms"_s, 400}}}}));
        m_server->receive(
            b, Message::request(qint64(1), u"tools/call"_s,
                                {{u"name"_s, u"get_recipe"_s},
                                 {u"arguments"_s, QJsonObject{{u"id"_s, u"from-b"_s}}}}));
        // The fast call on b is not held up by the slow one on a.
        QTRY_VERIFY_WITH_TIMEOUT(responseFor(b, qint64(1)).has_value(), 5000);
        QVERIFY(!responseFor(a, qint64(1)).has_value());
        QVERIFY(contentText(*responseFor(b, qint64(1))).contains("from-b"_L1));
        QTRY_VERIFY_WITH_TIMEOUT(responseFor(a, qint64(1)).has_value(), 5000);
        QVERIFY(contentText(*responseFor(a, qint64(1))).contains("400"_L1));
        QCOMPARE(sent(a).size(), 1);
        QCOMPARE(sent(b).size(), 1);
    }

    void duplicateIdInFlight_isRejected()
    {
        mcp::Session *session = initialized();
        m_server->receive(session,
                          Message::request(qint64(9), u"tools/call"_s,
                                           {{u"name"_s, u"slow"_s},
                                            {u"arguments"_s, QJsonObject{{u"ms"_s, 200}}}}));
        m_server->receive(session, Message::request(qint64(9), u"ping"_s));
        QTRY_VERIFY_WITH_TIMEOUT(responseFor(session, qint64(9)).has_value(), 2000);
        QCOMPARE(responseFor(session, qint64(9))->error.code, int(jsonrpc::InvalidRequest));
        // The first request still gets its own answer.
        QTRY_COMPARE_WITH_TIMEOUT(sent(session).size(), 2, 5000);
        QCOMPARE(sent(session).last().message.kind, Message::Kind::Response);
    }

    void traffic_recordsBothDirections()
    {
        mcp::Session *session = initialized();
        call(session, qint64(60), u"tools/call"_s,
             {{u"name"_s, u"get_recipe"_s}, {u"arguments"_s, QJsonObject{{u"id"_s, u"r1"_s}}}});
        call(session, qint64(61), u"tools/call"_s,
             {{u"name"_s, u"get_recipe"_s}, {u"arguments"_s, QJsonObject{{u"id"_s, 1}}}});
        call(session, qint64(62), u"tools/call"_s, {{u"name"_s, u"nope"_s}});

        QList<traffic::TrafficEvent> mcpEvents;
        for (const traffic::TrafficEvent &e : m_log->snapshot())
            if (e.kind == traffic::EventKind::Mcp && e.sessionId == session->id())
                mcpEvents.append(e);
        auto find = [&](traffic::Direction direction, const QString &rpcId) {
            for (const traffic::TrafficEvent &e : std::as_const(mcpEvents))
                if (e.direction == direction && e.rpcId == rpcId)
                    return e;
            return traffic::TrafficEvent{};
        };
        const traffic::TrafficEvent in = find(traffic::Direction::Inbound, u"60"_s);
        QCOMPARE(in.messageType, u"request"_s);
        QCOMPARE(in.method, u"tools/call"_s);
        QCOMPARE(in.summary, u"tools/call get_recipe"_s);
        QCOMPARE(in.transport, u"in-process"_s);
        QCOMPARE(in.size, qint64(in.body.size()));
        QVERIFY(in.body.contains("get_recipe"));

        const traffic::TrafficEvent out = find(traffic::Direction::Outbound, u"60"_s);
        QCOMPARE(out.messageType, u"response"_s);
        QCOMPARE(out.method, u"tools/call"_s);
        QVERIFY(out.durationMs >= 0);
        QVERIFY(!out.isError);
        QVERIFY2(out.summary.contains(u"→ result"_s), qPrintable(out.summary));

        const traffic::TrafficEvent invalid = find(traffic::Direction::Outbound, u"61"_s);
        QVERIFY(invalid.isError);
        QVERIFY2(invalid.summary.endsWith(u"→ result (isError)"_s), qPrintable(invalid.summary));

        const traffic::TrafficEvent unknown = find(traffic::Direction::Outbound, u"62"_s);
        QCOMPARE(unknown.messageType, u"error"_s);
        QVERIFY(unknown.isError);
        QVERIFY(unknown.summary.contains("-32602"_L1));

        // The notification that marked the session initialized was recorded too.
        bool sawInitialized = false;
        for (const traffic::TrafficEvent &e : std::as_const(mcpEvents))
            sawInitialized |= e.method == "notifications/initialized"_L1
                              && e.messageType == "notification"_L1 && e.rpcId.isEmpty();
        QVERIFY(sawInitialized);
    }

    void traffic_recordsElicitationExchange()
    {
        mcp::Session *session = initialized({{u"elicitation"_s, QJsonObject()}});
        m_server->receive(session, Message::request(qint64(70), u"tools/call"_s,
                                                    {{u"name"_s, u"register_user"_s}}));
        QTRY_VERIFY_WITH_TIMEOUT(serverRequest(session, u"elicitation/create"_s).has_value(), 5000);
        const Sent ask = *serverRequest(session, u"elicitation/create"_s);
        m_server->receive(
            session, Message::response(*ask.message.id, QJsonObject{{u"action"_s, u"decline"_s}}));
        QTRY_VERIFY_WITH_TIMEOUT(responseFor(session, qint64(70)).has_value(), 5000);
        bool sawAnswer = false;
        for (const traffic::TrafficEvent &e : m_log->snapshot()) {
            if (e.direction == traffic::Direction::Inbound && e.messageType == "response"_L1) {
                QCOMPARE(e.method, u"elicitation/create"_s);
                QVERIFY(e.durationMs >= 0);
                QVERIFY(e.summary.contains("decline"_L1));
                sawAnswer = true;
            }
        }
        QVERIFY(sawAnswer);
    }
};

QTEST_GUILESS_MAIN(TestMcpServerSession)
#include "tst_mcpserver_session.moc"
