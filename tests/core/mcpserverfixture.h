#pragma once

// The McpServer fixture shared by the tst_mcpserver_* tests: a test bridge document over a real
// FixtureUpstream on 127.0.0.1, and a QObject test base that builds a fresh McpServer for every
// test, feeds sessions jsonrpc::Message objects and collects what Session::send emits. The test
// classes derive from McpServerFixture, which owns initTestCase(), init() and cleanup().

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

#include <memory>
#include <optional>

namespace mcpbridge::tests::mcpserverfixture {

using namespace Qt::StringLiterals;
using jsonrpc::Message;

struct Sent
{
    Message message;
    std::optional<jsonrpc::Id> relatedTo;
};

inline bridge::Parameter param(const QString &name, const QString &in, bool required,
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

inline bridge::Tool tool(const QString &name, const QString &method, const QString &path,
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

inline const QJsonObject stringSchema{{u"type"_s, u"string"_s}};

inline std::shared_ptr<bridge::BridgeDocument> makeDocument(const QUrl &baseUrl)
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

inline QJsonObject firstContent(const Message &response)
{
    return response.result.toObject().value("content"_L1).toArray().first().toObject();
}

inline QString contentText(const Message &response)
{
    return firstContent(response).value("text"_L1).toString();
}

class McpServerFixture : public QObject
{
    Q_OBJECT

protected:
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
};

} // namespace mcpbridge::tests::mcpserverfixture
