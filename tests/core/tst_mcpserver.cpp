// McpServer driven directly: sessions fed jsonrpc::Message objects, answers collected from
// Session::send, upstream calls going to a real FixtureUpstream on 127.0.0.1.

#include "core/bridge/bridgedocument.h"
#include "core/jsonrpc/message.h"
#include "core/mcp/mcpserver.h"
#include "core/mcp/session.h"
#include "core/secrets/memorysecretstore.h"
#include "core/traffic/trafficlog.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using jsonrpc::Message;

namespace {

struct Sent
{
    Message message;
    std::optional<jsonrpc::Id> relatedTo;
};

bridge::Parameter param(const QString &name, const QString &in, bool required,
                        const QJsonObject &schema, const QString &description = {})
{
    bridge::Parameter p;
    p.name = name;
    p.in = in;
    p.required = required;
    p.schema = schema;
    p.description = description;
    return p;
}

bridge::Tool tool(const QString &name, const QString &method, const QString &path,
                  QList<bridge::Parameter> parameters = {})
{
    bridge::Tool t;
    t.name = name;
    t.title = name + u" title"_s;
    t.description = u"Test tool "_s + name;
    t.method = method;
    t.path = path;
    t.parameters = std::move(parameters);
    return t;
}

const QJsonObject stringSchema{{u"type"_s, u"string"_s}};

std::shared_ptr<bridge::BridgeDocument> makeDocument(const QUrl &baseUrl)
{
    auto doc = std::make_shared<bridge::BridgeDocument>();
    doc->server.name = u"testbridge"_s;
    doc->server.title = u"Test Bridge"_s;
    doc->server.version = u"2.1.0"_s;
    doc->server.instructions = u"Use the recipe tools for food questions."_s;
    doc->upstream.baseUrl = baseUrl.toString();
    doc->upstream.timeoutMs = 10000;

    doc->tools.append(tool(
        u"get_recipe"_s, u"GET"_s, u"/echo/recipes/{id}"_s,
        {param(u"id"_s, u"path"_s, true, stringSchema, u"Recipe id"_s),
         param(u"servings"_s, u"query"_s, false, {{u"type"_s, u"integer"_s}, {u"minimum"_s, 1}})}));
    doc->tools.append(
        tool(u"register_user"_s, u"GET"_s, u"/echo/users"_s,
             {param(u"note"_s, u"query"_s, false, stringSchema),
              param(u"username"_s, u"query"_s, true, stringSchema, u"Login name"_s),
              param(u"email"_s, u"query"_s, true,
                    {{u"type"_s, u"string"_s}, {u"format"_s, u"email"_s}, {u"x-internal"_s, 1}},
                    u"E-mail address"_s)}));
    doc->tools.append(tool(u"store_blob"_s, u"POST"_s, u"/echo/blobs"_s,
                           {param(u"blob"_s, u"body"_s, true, {{u"type"_s, u"object"_s}})}));
    doc->tools.append(tool(u"slow"_s, u"GET"_s, u"/delay/{ms}"_s,
                           {param(u"ms"_s, u"path"_s, true, {{u"type"_s, u"integer"_s}})}));
    doc->tools.append(tool(u"failing"_s, u"GET"_s, u"/status/500"_s));
    auto destructive = tool(u"delete_all"_s, u"DELETE"_s, u"/echo/all"_s);
    destructive.confirmDestructive = true;
    doc->tools.append(destructive);

    bridge::Resource text;
    text.uri = u"test://static-text"_s;
    text.name = u"static-text"_s;
    text.description = u"Fixed text"_s;
    text.mimeType = u"text/plain"_s;
    text.path = u"/static-text"_s;
    bridge::Resource binary = text;
    binary.uri = u"test://static-binary"_s;
    binary.name = u"static-binary"_s;
    binary.mimeType = u"image/png"_s;
    binary.path = u"/static-binary"_s;
    doc->resources = {text, binary};

    bridge::ResourceTemplate item;
    item.uriTemplate = u"test://template/{id}/data"_s;
    item.name = u"item"_s;
    item.description = u"One item"_s;
    item.mimeType = u"text/plain"_s;
    item.path = u"/template/{id}/data"_s;
    item.completions.insert(u"id"_s, {u"123"_s, u"124"_s, u"456"_s});
    doc->resourceTemplates = {item};

    bridge::Prompt greet;
    greet.name = u"greet"_s;
    greet.description = u"Greets someone"_s;
    greet.arguments = {{u"name"_s, {}, {}, true, {u"Alice"_s, u"albert"_s, u"Bob"_s}},
                       {u"mood"_s, {}, {}, false, {}}};
    greet.messages = {{u"user"_s, u"text"_s, u"Hello {name}, you seem {mood}."_s, {}},
                      {u"assistant"_s, u"text"_s, u"Noted: {name}"_s, {}}};
    bridge::Prompt embed;
    embed.name = u"embed"_s;
    embed.description = u"Embeds a resource"_s;
    embed.arguments = {{u"uri"_s, {}, {}, true, {}}};
    embed.messages = {{u"user"_s, u"resource"_s, {}, u"{uri}"_s},
                      {u"user"_s, u"text"_s, u"Please read {uri}."_s, {}}};
    bridge::Prompt picture;
    picture.name = u"picture"_s;
    picture.description = u"Shows a picture"_s;
    picture.messages = {{u"user"_s, u"image"_s, {}, u"test://static-binary"_s}};
    bridge::Prompt many;
    many.name = u"many"_s;
    many.description = u"Many suggestions"_s;
    bridge::PromptArgument numbered{u"n"_s, {}, {}, false, {}};
    for (int i = 0; i < 150; ++i)
        numbered.values.append(u"v%1"_s.arg(i, 3, 10, QChar(u'0')));
    many.arguments = {numbered};
    many.messages = {{u"user"_s, u"text"_s, u"{n}"_s, {}}};
    doc->prompts = {greet, embed, picture, many};
    return doc;
}

QJsonObject firstContent(const Message &response)
{
    return response.result.toObject().value("content"_L1).toArray().first().toObject();
}

QString contentText(const Message &response)
{
    return firstContent(response).value("text"_L1).toString();
}

} // namespace

class TestMcpServer : public QObject
{
    Q_OBJECT

private:
    fixtures::FixtureUpstream m_upstream;
    secrets::MemorySecretStore m_secrets;
    std::unique_ptr<traffic::TrafficLog> m_log;
    std::unique_ptr<mcp::McpServer> m_server;
    QHash<mcp::Session *, QList<Sent>> m_sent;

    mcp::Session *newSession(const QString &transport = u"in-process"_s)
    {
        mcp::Session *session = m_server->createSession(transport);
        connect(session, &mcp::Session::send, this,
                [this, session](const Message &message, const std::optional<jsonrpc::Id> &related) {
                    m_sent[session].append({message, related});
                });
        return session;
    }

    QList<Sent> &sent(mcp::Session *session) { return m_sent[session]; }

    std::optional<Message> responseFor(mcp::Session *session, const jsonrpc::Id &id)
    {
        for (const Sent &s : std::as_const(m_sent[session]))
            if (s.message.isResponse() && s.message.id == id)
                return s.message;
        return std::nullopt;
    }

    // Sends a request and waits (bounded) for its response.
    Message call(mcp::Session *session, const jsonrpc::Id &id, const QString &method,
                 const QJsonObject &params = {}, int timeoutMs = 10000)
    {
        m_server->receive(session, Message::request(id, method, params));
        QElapsedTimer timer;
        timer.start();
        while (!responseFor(session, id) && timer.elapsed() < timeoutMs)
            QTest::qWait(10);
        const auto response = responseFor(session, id);
        if (!response) {
            qWarning("no response for %s", qPrintable(method));
            return Message::errorResponse(id, 0, u"test: no response"_s);
        }
        return *response;
    }

    mcp::Session *initialized(const QJsonObject &capabilities = {},
                              const QString &version = u"2025-11-25"_s)
    {
        mcp::Session *session = newSession();
        const Message response
            = call(session, qint64(0), u"initialize"_s,
                   {{u"protocolVersion"_s, version},
                    {u"capabilities"_s, capabilities},
                    {u"clientInfo"_s, QJsonObject{{u"name"_s, u"tst"_s}, {u"version"_s, u"1"_s}}}});
        if (response.kind != Message::Kind::Response)
            qWarning("initialize failed");
        m_server->receive(session, Message::notification(u"notifications/initialized"_s));
        sent(session).clear();
        return session;
    }

    QList<Message> notifications(mcp::Session *session, const QString &method)
    {
        QList<Message> result;
        for (const Sent &s : std::as_const(m_sent[session]))
            if (s.message.isNotification() && s.message.method == method)
                result.append(s.message);
        return result;
    }

    std::optional<Sent> serverRequest(mcp::Session *session, const QString &method)
    {
        for (const Sent &s : std::as_const(m_sent[session]))
            if (s.message.isRequest() && s.message.method == method)
                return s;
        return std::nullopt;
    }

private slots:
    void initTestCase() { QVERIFY(m_upstream.listen()); }

    void init()
    {
        m_log = std::make_unique<traffic::TrafficLog>();
        m_server = std::make_unique<mcp::McpServer>(makeDocument(m_upstream.baseUrl()), &m_secrets,
                                                    m_log.get());
        m_sent.clear();
        m_upstream.clearRequests();
    }

    void cleanup()
    {
        m_server.reset();
        m_log.reset();
    }

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

    // --- progress, logging, cancellation

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

    // --- resources

    void resources_list()
    {
        mcp::Session *session = initialized();
        const Message list = call(session, qint64(1), u"resources/list"_s);
        const QJsonArray resources = list.result.toObject().value("resources"_L1).toArray();
        QCOMPARE(resources.size(), 2);
        QCOMPARE(resources.at(0).toObject().value("uri"_L1).toString(), u"test://static-text"_s);
        const Message templates = call(session, qint64(2), u"resources/templates/list"_s);
        const QJsonArray entries
            = templates.result.toObject().value("resourceTemplates"_L1).toArray();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.at(0).toObject().value("uriTemplate"_L1).toString(),
                 u"test://template/{id}/data"_s);
    }

    void resources_read_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QByteArray>("upstreamPath");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("blob");
        QTest::newRow("fixed text") << u"test://static-text"_s << QByteArray("/static-text")
                                    << u"This is the static text resource."_s << QByteArray();
        QTest::newRow("fixed binary")
            << u"test://static-binary"_s << QByteArray("/static-binary") << QString()
            << fixtures::FixtureUpstream::pngBytes().toBase64();
        QTest::newRow("template") << u"test://template/123/data"_s
                                  << QByteArray("/template/123/data") << u"Data for item 123"_s
                                  << QByteArray();
        QTest::newRow("template, encoded")
            << u"test://template/a%20b%3Fc/data"_s << QByteArray("/template/a%20b%3Fc/data")
            << u"Data for item a b?c"_s << QByteArray();
    }

    void resources_read()
    {
        QFETCH(QString, uri);
        QFETCH(QByteArray, upstreamPath);
        QFETCH(QString, text);
        QFETCH(QByteArray, blob);
        mcp::Session *session = initialized();
        const Message response = call(session, qint64(3), u"resources/read"_s, {{u"uri"_s, uri}});
        QCOMPARE(response.kind, Message::Kind::Response);
        const QJsonObject content
            = response.result.toObject().value("contents"_L1).toArray().first().toObject();
        QCOMPARE(content.value("uri"_L1).toString(), uri);
        QVERIFY(!content.value("mimeType"_L1).toString().isEmpty());
        if (!text.isEmpty())
            QCOMPARE(content.value("text"_L1).toString(), text);
        if (!blob.isEmpty())
            QCOMPARE(content.value("blob"_L1).toString().toLatin1(), blob);
        QCOMPARE(m_upstream.lastRequest().rawPath, upstreamPath);
    }

    void resources_readUnknown()
    {
        mcp::Session *session = initialized();
        const Message response
            = call(session, qint64(4), u"resources/read"_s, {{u"uri"_s, u"test://nowhere"_s}});
        QCOMPARE(response.kind, Message::Kind::Error);
        QCOMPARE(response.error.code, int(jsonrpc::ResourceNotFound));
        QCOMPARE(response.error.message, u"Resource not found: test://nowhere"_s);
        QCOMPARE(response.error.data.toObject().value("uri"_L1).toString(), u"test://nowhere"_s);
        QCOMPARE(m_upstream.requests().size(), 0);

        const Message climbing = call(session, qint64(5), u"resources/read"_s,
                                      {{u"uri"_s, u"test://template/../data"_s}});
        QCOMPARE(climbing.error.code, int(jsonrpc::ResourceNotFound));
        QCOMPARE(m_upstream.requests().size(), 0);
    }

    void resources_subscribe()
    {
        mcp::Session *session = initialized();
        const Message sub = call(session, qint64(6), u"resources/subscribe"_s,
                                 {{u"uri"_s, u"test://static-text"_s}});
        QCOMPARE(sub.result.toObject(), QJsonObject());
        QCOMPARE(session->subscriptions(), QSet<QString>{u"test://static-text"_s});
        const Message unsub = call(session, qint64(7), u"resources/unsubscribe"_s,
                                   {{u"uri"_s, u"test://static-text"_s}});
        QCOMPARE(unsub.kind, Message::Kind::Response);
        QVERIFY(session->subscriptions().isEmpty());
        const Message bad = call(session, qint64(8), u"resources/subscribe"_s);
        QCOMPARE(bad.error.code, int(jsonrpc::InvalidParams));
    }

    // --- prompts and completion

    void prompts_getWithPlaceholders()
    {
        mcp::Session *session = initialized();
        const Message list = call(session, qint64(1), u"prompts/list"_s);
        QCOMPARE(list.result.toObject().value("prompts"_L1).toArray().size(), 4);

        const Message response
            = call(session, qint64(2), u"prompts/get"_s,
                   {{u"name"_s, u"greet"_s},
                    {u"arguments"_s, QJsonObject{{u"name"_s, u"Ann"_s}, {u"mood"_s, u"happy"_s}}}});
        const QJsonObject result = response.result.toObject();
        QCOMPARE(result.value("description"_L1).toString(), u"Greets someone"_s);
        const QJsonArray messages = result.value("messages"_L1).toArray();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages.at(0).toObject().value("role"_L1).toString(), u"user"_s);
        QCOMPARE(messages.at(0).toObject().value("content"_L1).toObject().value("text"_L1),
                 QJsonValue(u"Hello Ann, you seem happy."_s));
        QCOMPARE(messages.at(1).toObject().value("role"_L1).toString(), u"assistant"_s);
    }

    void prompts_errors_data()
    {
        QTest::addColumn<QJsonObject>("params");
        QTest::addColumn<QString>("mention");
        QTest::newRow("unknown prompt") << QJsonObject{{u"name"_s, u"nope"_s}} << u"nope"_s;
        QTest::newRow("missing argument")
            << QJsonObject{{u"name"_s, u"greet"_s},
                           {u"arguments"_s, QJsonObject{{u"mood"_s, u"x"_s}}}}
            << u"\"name\""_s;
        QTest::newRow("non-string argument")
            << QJsonObject{{u"name"_s, u"greet"_s}, {u"arguments"_s, QJsonObject{{u"name"_s, 3}}}}
            << u"\"name\""_s;
        QTest::newRow("no name") << QJsonObject{} << u"params.name"_s;
    }

    void prompts_errors()
    {
        QFETCH(QJsonObject, params);
        QFETCH(QString, mention);
        mcp::Session *session = initialized();
        const Message response = call(session, qint64(3), u"prompts/get"_s, params);
        QCOMPARE(response.kind, Message::Kind::Error);
        QCOMPARE(response.error.code, int(jsonrpc::InvalidParams));
        QVERIFY2(response.error.message.contains(mention), qPrintable(response.error.message));
    }

    void prompts_embeddedResource_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("textContains");
        QTest::newRow("served") << u"test://static-text"_s << u"static text resource"_s;
        QTest::newRow("template") << u"test://template/7/data"_s << u"Data for item 7"_s;
        QTest::newRow("not served") << u"test://example-resource"_s << u"not served"_s;
    }

    void prompts_embeddedResource()
    {
        QFETCH(QString, uri);
        QFETCH(QString, textContains);
        mcp::Session *session = initialized();
        const Message response
            = call(session, qint64(4), u"prompts/get"_s,
                   {{u"name"_s, u"embed"_s}, {u"arguments"_s, QJsonObject{{u"uri"_s, uri}}}});
        QCOMPARE(response.kind, Message::Kind::Response);
        const QJsonArray messages = response.result.toObject().value("messages"_L1).toArray();
        QCOMPARE(messages.size(), 2);
        const QJsonObject content = messages.at(0).toObject().value("content"_L1).toObject();
        QCOMPARE(content.value("type"_L1).toString(), u"resource"_s);
        const QJsonObject resource = content.value("resource"_L1).toObject();
        QCOMPARE(resource.value("uri"_L1).toString(), uri);
        QVERIFY(!resource.value("mimeType"_L1).toString().isEmpty());
        QVERIFY2(resource.value("text"_L1).toString().contains(textContains),
                 qPrintable(resource.value("text"_L1).toString()));
        QCOMPARE(messages.at(1).toObject().value("content"_L1).toObject().value("text"_L1),
                 QJsonValue(u"Please read "_s + uri + u'.'));
    }

    void prompts_image()
    {
        mcp::Session *session = initialized();
        const Message response
            = call(session, qint64(5), u"prompts/get"_s, {{u"name"_s, u"picture"_s}});
        const QJsonObject content = response.result.toObject()
                                        .value("messages"_L1)
                                        .toArray()
                                        .first()
                                        .toObject()
                                        .value("content"_L1)
                                        .toObject();
        QCOMPARE(content.value("type"_L1).toString(), u"image"_s);
        QCOMPARE(content.value("mimeType"_L1).toString(), u"image/png"_s);
        QCOMPARE(content.value("data"_L1).toString().toLatin1(),
                 fixtures::FixtureUpstream::pngBytes().toBase64());
    }

    void completion_data()
    {
        QTest::addColumn<QJsonObject>("ref");
        QTest::addColumn<QString>("argument");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QStringList>("values");
        QTest::addColumn<int>("total");
        QTest::addColumn<bool>("hasMore");
        const QJsonObject greet{{u"type"_s, u"ref/prompt"_s}, {u"name"_s, u"greet"_s}};
        const QJsonObject item{{u"type"_s, u"ref/resource"_s},
                               {u"uri"_s, u"test://template/{id}/data"_s}};
        QTest::newRow("prompt, case-insensitive prefix")
            << greet << u"name"_s << u"AL"_s << QStringList{u"Alice"_s, u"albert"_s} << 2 << false;
        QTest::newRow("prompt, empty prefix")
            << greet << u"name"_s << QString() << QStringList{u"Alice"_s, u"albert"_s, u"Bob"_s}
            << 3 << false;
        QTest::newRow("prompt, argument without values")
            << greet << u"mood"_s << u"h"_s << QStringList() << 0 << false;
        QTest::newRow("template") << item << u"id"_s << u"12"_s << QStringList{u"123"_s, u"124"_s}
                                  << 2 << false;
        QStringList first100;
        for (int i = 0; i < 100; ++i)
            first100.append(u"v%1"_s.arg(i, 3, 10, QChar(u'0')));
        QTest::newRow("capped at 100")
            << QJsonObject{{u"type"_s, u"ref/prompt"_s}, {u"name"_s, u"many"_s}} << u"n"_s << u"v"_s
            << first100 << 150 << true;
    }

    void completion()
    {
        QFETCH(QJsonObject, ref);
        QFETCH(QString, argument);
        QFETCH(QString, typed);
        QFETCH(QStringList, values);
        QFETCH(int, total);
        QFETCH(bool, hasMore);
        mcp::Session *session = initialized();
        const Message response
            = call(session, qint64(6), u"completion/complete"_s,
                   {{u"ref"_s, ref},
                    {u"argument"_s, QJsonObject{{u"name"_s, argument}, {u"value"_s, typed}}}});
        const QJsonObject completion = response.result.toObject().value("completion"_L1).toObject();
        QCOMPARE(completion.value("values"_L1).toVariant().toStringList(), values);
        QCOMPARE(completion.value("total"_L1).toInt(), total);
        QCOMPARE(completion.value("hasMore"_L1).toBool(), hasMore);
    }

    void completion_unknownRef()
    {
        mcp::Session *session = initialized();
        const QJsonObject argument{{u"name"_s, u"x"_s}, {u"value"_s, u""_s}};
        for (const QJsonObject &ref :
             {QJsonObject{{u"type"_s, u"ref/prompt"_s}, {u"name"_s, u"nope"_s}},
              QJsonObject{{u"type"_s, u"ref/resource"_s}, {u"uri"_s, u"test://nope/{x}"_s}},
              QJsonObject{{u"type"_s, u"ref/other"_s}}}) {
            const Message response = call(session, qint64(7), u"completion/complete"_s,
                                          {{u"ref"_s, ref}, {u"argument"_s, argument}});
            QCOMPARE(response.error.code, int(jsonrpc::InvalidParams));
            sent(session).clear();
        }
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

QTEST_GUILESS_MAIN(TestMcpServer)
#include "tst_mcpserver.moc"
