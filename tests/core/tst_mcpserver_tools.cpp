// McpServer tools (fixture in mcpserverfixture.h): listing and calling them against the fixture
// upstream, asking the user for missing arguments (elicitation) and for confirmation, progress
// and log notifications during a call.

#include "tests/core/mcpserverfixture.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::tests::mcpserverfixture;
using jsonrpc::Message;

class TestMcpServerTools : public McpServerFixture
{
    Q_OBJECT

private slots:
    // --- tools

    void toolsList_pagination()
    {
        mcp::Session *session = initialized();
        m_server->setPageSize(4);
        QStringList names;
        QJsonValue cursor;
        int pages = 0;
        do {
            QJsonObject params;
            if (!cursor.isUndefined())
                params.insert(u"cursor"_s, cursor);
            const Message page = call(session, qint64(100 + pages), u"tools/list"_s, params);
            QCOMPARE(page.kind, Message::Kind::Response);
            const QJsonArray tools = page.result.toObject().value("tools"_L1).toArray();
            QVERIFY(tools.size() <= 4);
            for (const QJsonValue &t : tools) {
                names.append(t.toObject().value("name"_L1).toString());
                QVERIFY(t.toObject().value("inputSchema"_L1).isObject());
            }
            cursor = page.result.toObject().value("nextCursor"_L1);
            ++pages;
        } while (!cursor.isUndefined() && pages < 10);
        QCOMPARE(pages, 2);
        QStringList expected;
        for (const bridge::Tool &t : m_server->document()->tools)
            expected.append(t.name);
        QCOMPARE(names, expected);
    }

    void toolsList_badCursor_data()
    {
        QTest::addColumn<QJsonValue>("cursor");
        QTest::newRow("garbage") << QJsonValue(u"%%% not a cursor"_s);
        QTest::newRow("base64 of other text") << QJsonValue(u"aGVsbG8"_s);
        QTest::newRow("number") << QJsonValue(3);
        QTest::newRow("past the end") << QJsonValue(u"bWNwYnJpZGdlLXBhZ2U6OTk5"_s);
    }

    void toolsList_badCursor()
    {
        QFETCH(QJsonValue, cursor);
        mcp::Session *session = initialized();
        const Message response = call(session, qint64(1), u"tools/list"_s, {{u"cursor"_s, cursor}});
        QCOMPARE(response.kind, Message::Kind::Error);
        QCOMPARE(response.error.code, int(jsonrpc::InvalidParams));
        QVERIFY(response.error.message.contains("cursor"_L1));
    }

    void toolsCall_reachesUpstream()
    {
        mcp::Session *session = initialized();
        const Message response
            = call(session, qint64(3), u"tools/call"_s,
                   {{u"name"_s, u"get_recipe"_s},
                    {u"arguments"_s, QJsonObject{{u"id"_s, u"a b/c"_s}, {u"servings"_s, 2}}}});
        QCOMPARE(response.kind, Message::Kind::Response);
        QVERIFY2(!response.result.toObject().value("isError"_L1).toBool(),
                 qPrintable(contentText(response)));
        QCOMPARE(m_upstream.requests().size(), 1);
        const fixtures::RecordedRequest request = m_upstream.lastRequest();
        QCOMPARE(request.method, QByteArray("GET"));
        QCOMPARE(request.rawPath, QByteArray("/echo/recipes/a%20b%2Fc"));
        QCOMPARE(request.queryValues(u"servings"_s), QStringList{u"2"_s});
        QVERIFY2(contentText(response).contains("/echo/recipes/"_L1),
                 qPrintable(contentText(response)));
    }

    void toolsCall_bytesOnlySessionGetsTheSameAnswer()
    {
        // stdio and HTTP only write text: a JSON answer reaches them as the text it was made
        // as, with no result object built, and it says what a session wanting values gets.
        mcp::Session *values = initialized();
        mcp::Session *bytes = initialized();
        bytes->setWritesBytesOnly(true);
        const QJsonObject params{{u"name"_s, u"get_recipe"_s},
                                 {u"arguments"_s, QJsonObject{{u"id"_s, u"soup"_s}}}};
        const Message fromValues = call(values, qint64(5), u"tools/call"_s, params);
        const Message fromBytes = call(bytes, qint64(5), u"tools/call"_s, params);
        QCOMPARE(fromBytes.kind, Message::Kind::Response);
        QVERIFY(fromValues.result.isObject());
        QVERIFY(fromBytes.result.isUndefined());
        const auto reparsed = jsonrpc::parse(fromBytes.serialize());
        QVERIFY(reparsed.has_value());
        QCOMPARE(reparsed->result, fromValues.result);
        QCOMPARE(fromBytes.serialize(), fromValues.serialize());
        // The traffic log keeps that text too.
        const QList<traffic::TrafficEvent> events = m_log->snapshot();
        QVERIFY(std::any_of(events.begin(), events.end(), [&](const traffic::TrafficEvent &e) {
            return e.direction == traffic::Direction::Outbound && e.sessionId == bytes->id()
                   && e.body == fromBytes.serialize();
        }));
    }

    void toolsCall_invalidArguments_data()
    {
        QTest::addColumn<QJsonObject>("arguments");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("number for string")
            << QJsonObject{{u"id"_s, 5}} << QStringList{u"/id:"_s, u"string"_s};
        QTest::newRow("two problems") << QJsonObject{{u"id"_s, true}, {u"servings"_s, u"many"_s}}
                                      << QStringList{u"/id:"_s, u"/servings:"_s};
        QTest::newRow("below minimum")
            << QJsonObject{{u"id"_s, u"x"_s}, {u"servings"_s, 0}} << QStringList{u"/servings:"_s};
    }

    void toolsCall_invalidArguments()
    {
        QFETCH(QJsonObject, arguments);
        QFETCH(QStringList, mentions);
        mcp::Session *session = initialized({{u"elicitation"_s, QJsonObject()}});
        const Message response = call(session, qint64(4), u"tools/call"_s,
                                      {{u"name"_s, u"get_recipe"_s}, {u"arguments"_s, arguments}});
        QCOMPARE(response.kind, Message::Kind::Response);
        QCOMPARE(response.result.toObject().value("isError"_L1), QJsonValue(true));
        const QString text = contentText(response);
        QVERIFY2(text.startsWith("Invalid arguments for tool \"get_recipe\":"_L1),
                 qPrintable(text));
        for (const QString &mention : mentions)
            QVERIFY2(text.contains(mention), qPrintable(text));
        QVERIFY(!serverRequest(session, u"elicitation/create"_s)); // not only missing ones
        QCOMPARE(m_upstream.requests().size(), 0);
    }

    void toolsCall_unknownToolIsProtocolError()
    {
        mcp::Session *session = initialized();
        const Message response = call(session, qint64(9), u"tools/call"_s,
                                      {{u"name"_s, u"nope"_s}, {u"arguments"_s, QJsonObject()}});
        QCOMPARE(response.kind, Message::Kind::Error);
        QCOMPARE(response.error.code, int(jsonrpc::InvalidParams));
        QCOMPARE(response.error.message, u"Unknown tool: nope"_s);

        const Message noName = call(session, qint64(10), u"tools/call"_s, {});
        QCOMPARE(noName.error.code, int(jsonrpc::InvalidParams));
        QVERIFY(noName.error.message.contains("name"_L1));
    }

    void toolsCall_upstreamFailureIsErrorResult()
    {
        mcp::Session *session = initialized();
        const Message response
            = call(session, qint64(11), u"tools/call"_s, {{u"name"_s, u"failing"_s}});
        QCOMPARE(response.kind, Message::Kind::Response);
        QCOMPARE(response.result.toObject().value("isError"_L1), QJsonValue(true));
        QVERIFY(!contentText(response).isEmpty());
    }

    // --- elicitation

    void elicitation_accept()
    {
        mcp::Session *session = initialized({{u"elicitation"_s, QJsonObject()}});
        m_server->receive(session,
                          Message::request(qint64(20), u"tools/call"_s,
                                           {{u"name"_s, u"register_user"_s},
                                            {u"arguments"_s, QJsonObject{{u"note"_s, u"hi"_s}}}}));
        QTRY_VERIFY_WITH_TIMEOUT(serverRequest(session, u"elicitation/create"_s).has_value(), 5000);
        const Sent ask = *serverRequest(session, u"elicitation/create"_s);
        QCOMPARE(ask.relatedTo, std::optional<jsonrpc::Id>(qint64(20)));
        QVERIFY(std::holds_alternative<QString>(*ask.message.id));
        QVERIFY(std::get<QString>(*ask.message.id).startsWith("mcpbridge-"_L1));
        const QJsonObject params = ask.message.paramsObject();
        QCOMPARE(params.value("mode"_L1).toString(), u"form"_s);
        QVERIFY(params.value("message"_L1).toString().contains("Login name"_L1));
        const QJsonObject schema = params.value("requestedSchema"_L1).toObject();
        QCOMPARE(schema.value("type"_L1).toString(), u"object"_s);
        QCOMPARE(schema.value("required"_L1).toArray(), (QJsonArray{u"username"_s, u"email"_s}));
        const QJsonObject properties = schema.value("properties"_L1).toObject();
        QCOMPARE(properties.keys(), (QStringList{u"email"_s, u"username"_s}));
        const QJsonObject email = properties.value("email"_L1).toObject();
        QCOMPARE(email.value("format"_L1).toString(), u"email"_s);
        QCOMPARE(email.value("description"_L1).toString(), u"E-mail address"_s);
        QVERIFY(!email.contains("x-internal"_L1)); // reduced to what a form allows
        QVERIFY(!responseFor(session, qint64(20)));
        QCOMPARE(m_upstream.requests().size(), 0);

        m_server->receive(
            session,
            Message::response(
                *ask.message.id,
                QJsonObject{{u"action"_s, u"accept"_s},
                            {u"content"_s, QJsonObject{{u"username"_s, u"ann"_s},
                                                       {u"email"_s, u"ann@example.com"_s}}}}));
        QTRY_VERIFY_WITH_TIMEOUT(responseFor(session, qint64(20)).has_value(), 10000);
        const Message response = *responseFor(session, qint64(20));
        QVERIFY2(!response.result.toObject().value("isError"_L1).toBool(),
                 qPrintable(contentText(response)));
        QCOMPARE(m_upstream.requests().size(), 1);
        const auto request = m_upstream.lastRequest();
        QCOMPARE(request.queryValues(u"username"_s), QStringList{u"ann"_s});
        QCOMPARE(request.queryValues(u"email"_s), QStringList{u"ann@example.com"_s});
        QCOMPARE(request.queryValues(u"note"_s), QStringList{u"hi"_s});
    }

    void elicitation_declined_data()
    {
        QTest::addColumn<QString>("action");
        QTest::newRow("decline") << u"decline"_s;
        QTest::newRow("cancel") << u"cancel"_s;
    }

    void elicitation_declined()
    {
        QFETCH(QString, action);
        mcp::Session *session = initialized({{u"elicitation"_s, QJsonObject()}}, u"2025-06-18"_s);
        m_server->receive(
            session, Message::request(u"call"_s, u"tools/call"_s,
                                      {{u"name"_s, u"register_user"_s},
                                       {u"arguments"_s, QJsonObject{{u"username"_s, u"ann"_s}}}}));
        QTRY_VERIFY_WITH_TIMEOUT(serverRequest(session, u"elicitation/create"_s).has_value(), 5000);
        const Sent ask = *serverRequest(session, u"elicitation/create"_s);
        QVERIFY(!ask.message.paramsObject().contains("mode"_L1)); // 2025-06-18 has no mode
        QCOMPARE(ask.message.paramsObject()
                     .value("requestedSchema"_L1)
                     .toObject()
                     .value("required"_L1)
                     .toArray(),
                 QJsonArray{u"email"_s});
        m_server->receive(session,
                          Message::response(*ask.message.id, QJsonObject{{u"action"_s, action}}));
        QTRY_VERIFY_WITH_TIMEOUT(responseFor(session, u"call"_s).has_value(), 5000);
        const Message response = *responseFor(session, u"call"_s);
        QCOMPARE(response.result.toObject().value("isError"_L1), QJsonValue(true));
        QVERIFY2(contentText(response).contains("The user declined to provide email"_L1),
                 qPrintable(contentText(response)));
        QCOMPARE(m_upstream.requests().size(), 0);
    }

    void elicitation_notOfferedWithoutCapability()
    {
        mcp::Session *session = initialized();
        const Message response = call(session, qint64(21), u"tools/call"_s,
                                      {{u"name"_s, u"register_user"_s},
                                       {u"arguments"_s, QJsonObject{{u"email"_s, u"a@b.c"_s}}}});
        QVERIFY(!serverRequest(session, u"elicitation/create"_s));
        QCOMPARE(response.result.toObject().value("isError"_L1), QJsonValue(true));
        QVERIFY2(contentText(response).contains("username"_L1), qPrintable(contentText(response)));
        QCOMPARE(m_upstream.requests().size(), 0);
    }

    void elicitation_notOfferedForObjectParameter()
    {
        mcp::Session *session = initialized({{u"elicitation"_s, QJsonObject()}});
        const Message response
            = call(session, qint64(22), u"tools/call"_s, {{u"name"_s, u"store_blob"_s}});
        QVERIFY(!serverRequest(session, u"elicitation/create"_s));
        QCOMPARE(response.result.toObject().value("isError"_L1), QJsonValue(true));
        QVERIFY(contentText(response).contains("blob"_L1));
    }

    void elicitation_acceptedButStillInvalid()
    {
        mcp::Session *session = initialized({{u"elicitation"_s, QJsonObject()}});
        m_server->receive(
            session, Message::request(qint64(23), u"tools/call"_s, {{u"name"_s, u"get_recipe"_s}}));
        QTRY_VERIFY_WITH_TIMEOUT(serverRequest(session, u"elicitation/create"_s).has_value(), 5000);
        const Sent ask = *serverRequest(session, u"elicitation/create"_s);
        m_server->receive(
            session, Message::response(*ask.message.id,
                                       QJsonObject{{u"action"_s, u"accept"_s},
                                                   {u"content"_s, QJsonObject{{u"id"_s, 42}}}}));
        QTRY_VERIFY_WITH_TIMEOUT(responseFor(session, qint64(23)).has_value(), 5000);
        const Message response = *responseFor(session, qint64(23));
        QCOMPARE(response.result.toObject().value("isError"_L1), QJsonValue(true));
        QVERIFY(contentText(response).contains("/id:"_L1));
        int asks = 0;
        for (const Sent &s : sent(session))
            asks += s.message.method == "elicitation/create"_L1;
        QCOMPARE(asks, 1);
    }

    void confirmDestructive_data()
    {
        QTest::addColumn<QJsonObject>("answer");
        QTest::addColumn<int>("upstreamCalls");
        QTest::newRow("accept and confirm")
            << QJsonObject{{u"action"_s, u"accept"_s},
                           {u"content"_s, QJsonObject{{u"confirm"_s, true}}}}
            << 1;
        QTest::newRow("accept without confirm")
            << QJsonObject{{u"action"_s, u"accept"_s},
                           {u"content"_s, QJsonObject{{u"confirm"_s, false}}}}
            << 0;
        QTest::newRow("accept, no content") << QJsonObject{{u"action"_s, u"accept"_s}} << 0;
        QTest::newRow("decline") << QJsonObject{{u"action"_s, u"decline"_s}} << 0;
        QTest::newRow("cancel") << QJsonObject{{u"action"_s, u"cancel"_s}} << 0;
    }

    void confirmDestructive()
    {
        QFETCH(QJsonObject, answer);
        QFETCH(int, upstreamCalls);
        mcp::Session *session = initialized({{u"elicitation"_s, QJsonObject()}});
        m_server->receive(
            session, Message::request(qint64(24), u"tools/call"_s, {{u"name"_s, u"delete_all"_s}}));
        QTRY_VERIFY_WITH_TIMEOUT(serverRequest(session, u"elicitation/create"_s).has_value(), 5000);
        const Sent ask = *serverRequest(session, u"elicitation/create"_s);
        const QJsonObject params = ask.message.paramsObject();
        const QString call = u"DELETE %1/echo/all"_s.arg(m_upstream.baseUrl().toString());
        QCOMPARE(params.value("message"_L1).toString(),
                 u"\"delete_all title\" wants to change or delete data:\n%1\nRun it?"_s.arg(call));
        const QJsonObject schema = params.value("requestedSchema"_L1).toObject();
        QCOMPARE(schema.value("required"_L1).toArray(), QJsonArray{u"confirm"_s});
        QCOMPARE(schema.value("properties"_L1)
                     .toObject()
                     .value("confirm"_L1)
                     .toObject()
                     .value("type"_L1)
                     .toString(),
                 u"boolean"_s);
        m_server->receive(session, Message::response(*ask.message.id, answer));
        QTRY_VERIFY_WITH_TIMEOUT(responseFor(session, qint64(24)).has_value(), 5000);
        QCOMPARE(m_upstream.requests().size(), upstreamCalls);
        const Message response = *responseFor(session, qint64(24));
        QCOMPARE(response.result.toObject().value("isError"_L1).toBool(), upstreamCalls == 0);
        if (upstreamCalls == 0)
            QCOMPARE(contentText(response),
                     u"The user did not confirm the call, so \"delete_all\" was not run (%1). Do "
                     "not retry it unless the user asks for it."_s.arg(call));
    }

    void confirmDestructiveWithoutElicitationRuns()
    {
        // A client that cannot ask its user gets the call run (its host asks before tool calls).
        mcp::Session *session = initialized(); // no elicitation capability
        const Message response
            = call(session, qint64(25), u"tools/call"_s, {{u"name"_s, u"delete_all"_s}});
        QCOMPARE(response.result.toObject().value("isError"_L1).toBool(), false);
        QCOMPARE(m_upstream.requests().size(), 1);
        QCOMPARE(m_upstream.requests().constFirst().method, QByteArray("DELETE"));
        QVERIFY(!serverRequest(session, u"elicitation/create"_s).has_value());
    }

    // --- progress and logging

    void progressNotifications()
    {
        mcp::Session *session = initialized();
        const Message response
            = call(session, qint64(30), u"tools/call"_s,
                   {{u"name"_s, u"slow"_s},
                    {u"arguments"_s, QJsonObject{{u"ms"_s, 100}}},
                    {u"_meta"_s, QJsonObject{{u"progressToken"_s, u"tok-1"_s}}}});
        QCOMPARE(response.kind, Message::Kind::Response);
        QList<Sent> progress;
        for (const Sent &s : sent(session))
            if (s.message.method == "notifications/progress"_L1)
                progress.append(s);
        QVERIFY2(progress.size() >= 3, qPrintable(QString::number(progress.size())));
        double last = -1;
        for (const Sent &s : progress) {
            QCOMPARE(s.relatedTo, std::optional<jsonrpc::Id>(qint64(30)));
            const QJsonObject params = s.message.paramsObject();
            QCOMPARE(params.value("progressToken"_L1).toString(), u"tok-1"_s);
            QVERIFY(params.value("progress"_L1).toDouble() >= last);
            last = params.value("progress"_L1).toDouble();
        }
        // Every notification comes before the response.
        QVERIFY(sent(session).constLast().message.isResponse());

        // Without a token: no progress at all.
        sent(session).clear();
        call(session, qint64(31), u"tools/call"_s,
             {{u"name"_s, u"slow"_s}, {u"arguments"_s, QJsonObject{{u"ms"_s, 10}}}});
        QCOMPARE(notifications(session, u"notifications/progress"_s).size(), 0);
    }

    void logging_data()
    {
        QTest::addColumn<QString>("level"); // empty: never set
        QTest::addColumn<bool>("expectSome");
        QTest::newRow("not set") << QString() << false;
        QTest::newRow("debug") << u"debug"_s << true;
        QTest::newRow("emergency") << u"emergency"_s << false;
    }

    void logging()
    {
        QFETCH(QString, level);
        QFETCH(bool, expectSome);
        mcp::Session *session = initialized();
        if (!level.isEmpty()) {
            const Message set
                = call(session, qint64(40), u"logging/setLevel"_s, {{u"level"_s, level}});
            QCOMPARE(set.kind, Message::Kind::Response);
            QCOMPARE(session->logLevel(), level);
        }
        call(session, qint64(41), u"tools/call"_s,
             {{u"name"_s, u"slow"_s}, {u"arguments"_s, QJsonObject{{u"ms"_s, 50}}}});
        const QList<Message> logs = notifications(session, u"notifications/message"_s);
        QCOMPARE(!logs.isEmpty(), expectSome);
        if (expectSome)
            QVERIFY2(logs.size() >= 3, qPrintable(QString::number(logs.size())));
        for (const Sent &s : sent(session)) {
            if (s.message.method != "notifications/message"_L1)
                continue;
            QCOMPARE(s.relatedTo, std::optional<jsonrpc::Id>(qint64(41)));
            QCOMPARE(s.message.paramsObject().value("logger"_L1).toString(),
                     u"mcpbridge.upstream"_s);
            QVERIFY(!s.message.paramsObject().value("data"_L1).toString().isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestMcpServerTools)
#include "tst_mcpserver_tools.moc"
