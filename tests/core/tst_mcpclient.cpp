// The studio's MCP clients: InProcessClient through a real McpServer (demo bridge over the
// in-process DemoApi, and the fixture upstream for a slow call), StdioChildClient against the
// built `mcpbridge serve --stdio`, and the shared handshake/queue/timeout logic on a fake wire.

#include "core/bridge/documentio.h"
#include "core/client/inprocessclient.h"
#include "core/client/mcpbridgeprogram.h"
#include "core/client/stdiochildclient.h"
#include "core/demo/demoapi.h"
#include "core/mcp/mcpserver.h"
#include "core/mcp/session.h"
#include "core/secrets/memorysecretstore.h"
#include "core/traffic/trafficlog.h"
#include "tests/fixtures/fixturedocuments.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <optional>

using namespace Qt::StringLiterals;
using mcpbridge::tests::firstText;
using namespace mcpbridge;

namespace {

// Collects the outcome of one call.
struct Outcome
{
    std::optional<Result<QJsonObject>> result;
    client::McpClient::Done done()
    {
        return [this](Result<QJsonObject> r) { result = std::move(r); };
    }
    bool finished() const { return result.has_value(); }
};

bool processExists(qint64 pid)
{
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno != ESRCH);
}

// The shared client logic on a wire the test controls.
class FakeClient : public client::McpClient
{
public:
    QList<jsonrpc::Message> sent;
    int shutdowns = 0;

    FakeClient() { startHandshake(); }
    ~FakeClient() override { forgetCalls(); }
    QString sessionId() const override { return u"fake"_s; }
    QString transportName() const override { return u"fake"_s; }
    void receive(const jsonrpc::Message &message) { handleMessage(message); }
    void drop(const QString &why) { connectionClosed(why); }

protected:
    void sendMessage(const jsonrpc::Message &message) override { sent.append(message); }
    void shutdown() override { ++shutdowns; }
};

} // namespace

class tst_McpClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void fake_handshakeThenQueuedCalls();
    void fake_answersServerRequests();
    void fake_timeoutFailsAndCancels();
    void fake_closedClientFailsAtOnce();
    void fake_refusedInitializeCloses();

    void inProcess_readyAndToolsList();
    void inProcess_callsBeforeReadyWait();
    void inProcess_toolsCallResult();
    void inProcess_errorResponse();
    void inProcess_trafficLogRecordsSession();
    void inProcess_upstreamErrorIsToolError();
    void inProcess_closeEndsSession();
    void inProcess_destroyEndsSession();
    void inProcess_serverEndsSession();
    void inProcess_timeoutOnSlowCall();

    void program_foundInBuildTree();
    void stdio_readyCallAndStop();
    void stdio_destroyLeavesNoProcess();
    void stdio_stopDoesNotWaitForRunningCalls();
    void stdio_badConfigSaysWhy();
    void stdio_missingProgramSaysWhy();

private:
    std::shared_ptr<bridge::BridgeDocument> demoDocument() const;
    mcp::McpServer *makeServer();
    QString binary() const;
    QString writeDemoConfig();

    demo::DemoApi m_demo;
    QString m_demoUrl;
    std::optional<bridge::BridgeDocument> m_document;
    traffic::TrafficLog *m_log = nullptr;
    secrets::MemorySecretStore *m_secrets = nullptr;
    mcp::McpServer *m_server = nullptr;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_McpClient::initTestCase()
{
    QVERIFY2(m_demo.listen(QHostAddress::LocalHost, 0), qPrintable(m_demo.errorString()));
    m_demoUrl = u"http://127.0.0.1:%1"_s.arg(m_demo.port());
    const QString source = qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR");
    QVERIFY2(!source.isEmpty(), "run through ctest (MCPBRIDGE_SOURCE_DIR is not set)");
    const bridge::LoadReport report
        = bridge::loadDocument(source + u"/resources/demo/pantry.mcpbridge.json"_s);
    QVERIFY(!report.hasErrors() && report.document);
    m_document = *report.document;
    m_document->upstream.baseUrl = m_demoUrl;
}

void tst_McpClient::cleanup()
{
    delete m_server;
    m_server = nullptr;
    delete m_log;
    m_log = nullptr;
    delete m_secrets;
    m_secrets = nullptr;
    m_dir.reset();
}

std::shared_ptr<bridge::BridgeDocument> tst_McpClient::demoDocument() const
{
    return std::make_shared<bridge::BridgeDocument>(*m_document);
}

mcp::McpServer *tst_McpClient::makeServer()
{
    m_log = new traffic::TrafficLog;
    m_secrets = new secrets::MemorySecretStore;
    m_server = new mcp::McpServer(demoDocument(), m_secrets, m_log);
    return m_server;
}

QString tst_McpClient::binary() const
{
    return qEnvironmentVariable("MCPBRIDGE_BINARY_DIR") + u"/app/cli/mcpbridge"_s;
}

QString tst_McpClient::writeDemoConfig()
{
    m_dir = std::make_unique<QTemporaryDir>();
    const QString path = m_dir->filePath(u"pantry.mcpbridge.json"_s);
    const Result<void> saved = bridge::saveDocument(*m_document, path);
    if (!saved)
        qWarning() << "cannot write the config:" << saved.error().message;
    return path;
}

// --- the shared logic -------------------------------------------------------------------------

void tst_McpClient::fake_handshakeThenQueuedCalls()
{
    FakeClient client;
    QCOMPARE(client.sent.size(), 1);
    const jsonrpc::Message init = client.sent.at(0);
    QCOMPARE(init.method, u"initialize"_s);
    const QJsonObject params = init.paramsObject();
    QCOMPARE(params.value("protocolVersion"_L1).toString(),
             mcp::McpServer::latestProtocolVersion());
    QCOMPARE(params.value("clientInfo"_L1).toObject().value("name"_L1).toString(),
             u"mcpbridge-studio"_s);
    QVERIFY(params.value("capabilities"_L1).toObject().isEmpty()); // no elicitation

    Outcome outcome;
    const qint64 id = client.call(u"tools/list"_s, {}, outcome.done());
    client.notify(u"notifications/roots/list_changed"_s);
    QCOMPARE(client.sent.size(), 1); // both wait for the handshake
    QVERIFY(!client.isReady());

    QSignalSpy ready(&client, &client::McpClient::ready);
    client.receive(jsonrpc::Message::response(
        *init.id, QJsonObject{{u"protocolVersion"_s, u"2025-11-25"_s},
                              {u"serverInfo"_s,
                               QJsonObject{{u"name"_s, u"pantry"_s}, {u"title"_s, u"Pantry"_s}}},
                              {u"capabilities"_s, QJsonObject{{u"tools"_s, QJsonObject()}}}}));
    QVERIFY(!client.isReady()); // ready comes from the event loop
    QTRY_COMPARE(ready.size(), 1);
    QVERIFY(client.isReady());
    QCOMPARE(client.serverTitle(), u"Pantry"_s);
    QVERIFY(client.serverCapabilities().contains("tools"_L1));
    QCOMPARE(client.sent.size(), 4);
    QCOMPARE(client.sent.at(1).method, u"notifications/initialized"_s);
    QCOMPARE(client.sent.at(2).method, u"tools/list"_s);
    QCOMPARE(client.sent.at(2).id, std::optional<jsonrpc::Id>(id));
    QCOMPARE(client.sent.at(3).method, u"notifications/roots/list_changed"_s);

    client.receive(jsonrpc::Message::response(id, QJsonObject{{u"tools"_s, QJsonArray()}}));
    QVERIFY(outcome.finished());
    QVERIFY(outcome.result->has_value());
    QVERIFY((*outcome.result)->contains("tools"_L1));
}

void tst_McpClient::fake_answersServerRequests()
{
    FakeClient client;
    client.receive(jsonrpc::Message::response(*client.sent.at(0).id, QJsonObject()));
    QTRY_VERIFY(client.isReady());
    client.sent.clear();

    client.receive(jsonrpc::Message::request(u"p1"_s, u"ping"_s));
    QCOMPARE(client.sent.size(), 1);
    QCOMPARE(client.sent.at(0).kind, jsonrpc::Message::Kind::Response);
    QCOMPARE(client.sent.at(0).id, std::optional<jsonrpc::Id>(u"p1"_s));

    client.receive(jsonrpc::Message::request(qint64(9), u"elicitation/create"_s));
    QCOMPARE(client.sent.size(), 2);
    QCOMPARE(client.sent.at(1).kind, jsonrpc::Message::Kind::Error);
    QCOMPARE(client.sent.at(1).error.code, int(jsonrpc::MethodNotFound));

    QSignalSpy notified(&client, &client::McpClient::notificationReceived);
    client.receive(jsonrpc::Message::notification(u"notifications/tools/list_changed"_s));
    QCOMPARE(notified.size(), 1);
    QCOMPARE(notified.at(0).at(0).toString(), u"notifications/tools/list_changed"_s);
}

void tst_McpClient::fake_timeoutFailsAndCancels()
{
    FakeClient client;
    client.receive(jsonrpc::Message::response(*client.sent.at(0).id, QJsonObject()));
    QTRY_VERIFY(client.isReady());
    client.sent.clear();
    Outcome outcome;
    const qint64 id = client.call(u"tools/call"_s, {{u"name"_s, u"x"_s}}, outcome.done(), 50);
    QTRY_VERIFY_WITH_TIMEOUT(outcome.finished(), 5000);
    QVERIFY(!outcome.result->has_value());
    const QString message = outcome.result->error().message;
    QVERIFY2(message.contains("did not answer tools/call"_L1), qPrintable(message));
    QCOMPARE(client.sent.size(), 2);
    QCOMPARE(client.sent.at(1).method, u"notifications/cancelled"_s);
    QCOMPARE(client.sent.at(1).paramsObject().value("requestId"_L1).toInteger(), id);
    // A late answer is ignored, not delivered twice.
    client.receive(jsonrpc::Message::response(id, QJsonObject()));
    QVERIFY(!outcome.result->has_value());
}

void tst_McpClient::fake_closedClientFailsAtOnce()
{
    FakeClient client;
    Outcome waiting;
    client.call(u"tools/list"_s, {}, waiting.done());
    QSignalSpy closed(&client, &client::McpClient::closed);
    client.drop(u"The line went dead."_s);
    QCOMPARE(closed.size(), 1);
    QVERIFY(waiting.finished());
    QVERIFY(waiting.result->error().message.contains("The line went dead."_L1));

    Outcome late;
    QElapsedTimer timer;
    timer.start();
    client.call(u"tools/list"_s, {}, late.done());
    QVERIFY(!late.finished()); // never inside call()
    QTRY_VERIFY_WITH_TIMEOUT(late.finished(), 5000);
    QVERIFY(timer.elapsed() < 2000);
    const QString message = late.result->error().message;
    QVERIFY2(message.contains("not running"_L1) && message.contains("The line went dead."_L1),
             qPrintable(message));
    QCOMPARE(closed.size(), 1); // only once
}

void tst_McpClient::fake_refusedInitializeCloses()
{
    FakeClient client;
    QSignalSpy closed(&client, &client::McpClient::closed);
    client.receive(jsonrpc::Message::errorResponse(*client.sent.at(0).id, jsonrpc::InvalidParams,
                                                   u"Unsupported protocol version"_s));
    QCOMPARE(closed.size(), 1);
    const QString why = closed.at(0).at(0).toString();
    QVERIFY2(why.contains("Unsupported protocol version"_L1) && why.contains("-32602"_L1),
             qPrintable(why));
    QCOMPARE(client.shutdowns, 1);
}

// --- in-process -------------------------------------------------------------------------------

void tst_McpClient::inProcess_readyAndToolsList()
{
    mcp::McpServer *server = makeServer();
    client::InProcessClient client(server);
    QVERIFY(!client.isReady());
    QSignalSpy ready(&client, &client::McpClient::ready);
    QVERIFY(ready.wait(5000));
    QVERIFY(client.isReady());
    QCOMPARE(client.serverTitle(), u"Pantry & Recipes"_s);
    QVERIFY(client.serverCapabilities().contains("tools"_L1));
    QCOMPARE(client.protocolVersion(), mcp::McpServer::latestProtocolVersion());
    mcp::Session *session = server->session(client.sessionId());
    QVERIFY(session);
    QCOMPARE(session->transport(), u"in-process"_s);
    QVERIFY(session->isInitialized());
    QVERIFY(!session->clientSupportsElicitation());

    Outcome outcome;
    client.call(u"tools/list"_s, {}, outcome.done());
    QTRY_VERIFY_WITH_TIMEOUT(outcome.finished(), 5000);
    QVERIFY(outcome.result->has_value());
    QStringList names;
    for (const QJsonValue &tool : (*outcome.result)->value("tools"_L1).toArray())
        names.append(tool.toObject().value("name"_L1).toString());
    QVERIFY2(names.contains(u"search_recipes"_s) && names.contains(u"get_recipe"_s),
             qPrintable(names.join(u", "_s)));
}

void tst_McpClient::inProcess_callsBeforeReadyWait()
{
    client::InProcessClient client(makeServer());
    Outcome outcome;
    client.call(u"tools/list"_s, {}, outcome.done()); // before the handshake finished
    QVERIFY(!outcome.finished());
    QTRY_VERIFY_WITH_TIMEOUT(outcome.finished(), 5000);
    QVERIFY2(outcome.result->has_value(), qPrintable(outcome.result->error().message));
    QVERIFY(client.isReady());
}

void tst_McpClient::inProcess_toolsCallResult()
{
    client::InProcessClient client(makeServer());
    Outcome outcome;
    client.call(
        u"tools/call"_s,
        {{u"name"_s, u"search_recipes"_s}, {u"arguments"_s, QJsonObject{{u"query"_s, u"soup"_s}}}},
        outcome.done());
    QTRY_VERIFY_WITH_TIMEOUT(outcome.finished(), 10000);
    QVERIFY2(outcome.result->has_value(), qPrintable(outcome.result->error().message));
    const QJsonObject result = **outcome.result;
    QVERIFY(!result.value("isError"_L1).toBool());
    QVERIFY2(firstText(result).contains("Red Lentil Soup"_L1), qPrintable(firstText(result)));
    QVERIFY(!firstText(result).contains("Overnight Oats"_L1));
}

void tst_McpClient::inProcess_errorResponse()
{
    client::InProcessClient client(makeServer());
    Outcome unknown;
    client.call(u"recipes/bake"_s, {}, unknown.done());
    QTRY_VERIFY_WITH_TIMEOUT(unknown.finished(), 5000);
    QVERIFY(!unknown.result->has_value());
    const Error error = unknown.result->error();
    QCOMPARE(error.code, int(jsonrpc::MethodNotFound));
    QVERIFY2(error.message.contains("Method not found: recipes/bake"_L1)
                 && error.message.contains("-32601"_L1),
             qPrintable(error.message));

    Outcome badParams;
    client.call(u"tools/call"_s, {{u"name"_s, u"no_such_tool"_s}}, badParams.done());
    QTRY_VERIFY_WITH_TIMEOUT(badParams.finished(), 5000);
    QVERIFY(!badParams.result->has_value());
    QVERIFY2(badParams.result->error().message.contains("no_such_tool"_L1),
             qPrintable(badParams.result->error().message));
}

void tst_McpClient::inProcess_trafficLogRecordsSession()
{
    client::InProcessClient client(makeServer());
    Outcome outcome;
    const qint64 id = client.call(
        u"tools/call"_s,
        {{u"name"_s, u"search_recipes"_s}, {u"arguments"_s, QJsonObject{{u"query"_s, u"curry"_s}}}},
        outcome.done());
    QTRY_VERIFY_WITH_TIMEOUT(outcome.finished(), 10000);
    QVERIFY(outcome.result->has_value());

    const QString rpcId = QString::number(id);
    bool request = false, response = false, initialize = false, upstream = false;
    for (const traffic::TrafficEvent &event : m_log->snapshot()) {
        if (event.sessionId != client.sessionId())
            continue;
        if (event.kind == traffic::EventKind::Mcp) {
            QCOMPARE(event.transport, u"in-process"_s);
            initialize |= event.method == "initialize"_L1;
            if (event.rpcId == rpcId && event.direction == traffic::Direction::Inbound)
                request = event.method == "tools/call"_L1;
            if (event.rpcId == rpcId && event.direction == traffic::Direction::Outbound)
                response = event.messageType == "response"_L1;
        } else if (event.kind == traffic::EventKind::Upstream && event.relatedRpcId == rpcId) {
            upstream = event.httpMethod == "GET"_L1 && event.url.contains("/recipes"_L1)
                       && event.httpStatus == 200;
        }
    }
    QVERIFY(initialize);
    QVERIFY(request);
    QVERIFY(response);
    QVERIFY(upstream);
}

void tst_McpClient::inProcess_upstreamErrorIsToolError()
{
    client::InProcessClient client(makeServer());
    Outcome outcome;
    client.call(u"tools/call"_s,
                {{u"name"_s, u"get_recipe"_s}, {u"arguments"_s, QJsonObject{{u"id"_s, 9999}}}},
                outcome.done());
    QTRY_VERIFY_WITH_TIMEOUT(outcome.finished(), 10000);
    QVERIFY(outcome.result->has_value()); // a tool result, not a protocol error
    QVERIFY((*outcome.result)->value("isError"_L1).toBool());
    QVERIFY2(firstText(**outcome.result).contains("404"_L1),
             qPrintable(firstText(**outcome.result)));
}

void tst_McpClient::inProcess_closeEndsSession()
{
    mcp::McpServer *server = makeServer();
    client::InProcessClient client(server);
    QSignalSpy ready(&client, &client::McpClient::ready);
    QVERIFY(ready.wait(5000));
    const QString sessionId = client.sessionId();
    QVERIFY(server->session(sessionId));
    QSignalSpy closed(&client, &client::McpClient::closed);
    client.close();
    QCOMPARE(closed.size(), 1);
    QVERIFY(!server->session(sessionId));
    QVERIFY(client.isClosed());

    Outcome outcome;
    client.call(u"tools/list"_s, {}, outcome.done());
    QTRY_VERIFY_WITH_TIMEOUT(outcome.finished(), 2000);
    QVERIFY(!outcome.result->has_value());
    QVERIFY2(outcome.result->error().message.contains("not running"_L1),
             qPrintable(outcome.result->error().message));
}

void tst_McpClient::inProcess_destroyEndsSession()
{
    mcp::McpServer *server = makeServer();
    auto client = std::make_unique<client::InProcessClient>(server);
    const QString sessionId = client->sessionId();
    QVERIFY(server->session(sessionId));
    Outcome outcome;
    client->call(u"tools/list"_s, {}, outcome.done());
    client.reset();
    QVERIFY(!server->session(sessionId));
    // The queued messages of a destroyed client go nowhere, and its callbacks never run.
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QVERIFY(!outcome.finished());
}

void tst_McpClient::inProcess_serverEndsSession()
{
    mcp::McpServer *server = makeServer();
    client::InProcessClient client(server);
    QSignalSpy ready(&client, &client::McpClient::ready);
    QVERIFY(ready.wait(5000));
    QSignalSpy closed(&client, &client::McpClient::closed);
    server->closeSession(client.session());
    QCOMPARE(closed.size(), 1);
    QVERIFY2(closed.at(0).at(0).toString().contains("ended"_L1),
             qPrintable(closed.at(0).at(0).toString()));
}

void tst_McpClient::inProcess_timeoutOnSlowCall()
{
    fixtures::FixtureUpstream upstream;
    QVERIFY(upstream.listen(0));
    m_log = new traffic::TrafficLog;
    m_secrets = new secrets::MemorySecretStore;
    m_server = new mcp::McpServer(
        tests::echoAndDelayDocument(upstream.baseUrl(), u"slowbridge"_s, u"Slow"_s), m_secrets,
        m_log);
    client::InProcessClient client(m_server);
    client.setTimeoutMs(300);
    Outcome outcome;
    const qint64 id = client.call(
        u"tools/call"_s, {{u"name"_s, u"slow"_s}, {u"arguments"_s, QJsonObject{{u"ms"_s, 5000}}}},
        outcome.done());
    QTRY_VERIFY_WITH_TIMEOUT(outcome.finished(), 4000);
    QVERIFY(!outcome.result->has_value());
    QVERIFY2(outcome.result->error().message.contains("did not answer tools/call within 0.3"_L1),
             qPrintable(outcome.result->error().message));
    // The server heard that the studio gave up.
    auto cancelled = [&] {
        for (const traffic::TrafficEvent &event : m_log->snapshot())
            if (event.method == "notifications/cancelled"_L1
                && event.summary.contains(QString::number(id)))
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(cancelled(), 2000);
}

// Stopping the child while a call waits on a slow API cancels that call first, so the bridge
// exits at once instead of draining it (which would freeze the studio for up to 10 s).
void tst_McpClient::stdio_stopDoesNotWaitForRunningCalls()
{
    QVERIFY2(QFileInfo(binary()).isExecutable(), qPrintable(binary() + u" is not built"_s));
    fixtures::FixtureUpstream upstream;
    QVERIFY(upstream.listen(0));
    m_dir = std::make_unique<QTemporaryDir>();
    const QString config = m_dir->filePath(u"slow.mcpbridge.json"_s);
    QVERIFY(
        bridge::saveDocument(
            *tests::echoAndDelayDocument(upstream.baseUrl(), u"slowbridge"_s, u"Slow"_s), config)
            .has_value());
    client::StdioChildClient client(binary(), {u"serve"_s, u"--stdio"_s, u"--config"_s, config});
    QSignalSpy ready(&client, &client::McpClient::ready);
    QVERIFY2(ready.wait(15000), qPrintable(client.stderrTail().join(u'\n')));
    const qint64 pid = client.processId();
    Outcome outcome;
    client.call(u"tools/call"_s,
                {{u"name"_s, u"slow"_s}, {u"arguments"_s, QJsonObject{{u"ms"_s, 8000}}}},
                outcome.done());
    QTest::qWait(300); // the call reaches the bridge and the bridge calls the API

    QElapsedTimer stopping;
    stopping.start();
    client.stop();
    QVERIFY(!processExists(pid));
    // The bridge left at end of input, before the 2 s after which stop() would terminate it
    // (it would otherwise drain the call for up to 10 s, the studio frozen meanwhile).
    QVERIFY2(stopping.elapsed() < 1500, qPrintable(QString::number(stopping.elapsed())));
    QVERIFY(outcome.finished());
    QVERIFY(!outcome.result->has_value());
}

// --- the mcpbridge program --------------------------------------------------------------------

void tst_McpClient::program_foundInBuildTree()
{
    // This test runs from <build>/tests/core; the build tree's app/cli/mcpbridge is found.
    const QString found = client::mcpbridgeProgram();
    QVERIFY2(!found.isEmpty(), "mcpbridge not found");
    QCOMPARE(QFileInfo(found).canonicalFilePath(), QFileInfo(binary()).canonicalFilePath());
}

void tst_McpClient::stdio_readyCallAndStop()
{
    QVERIFY2(QFileInfo(binary()).isExecutable(), qPrintable(binary() + u" is not built"_s));
    const QString config = writeDemoConfig();
    client::StdioChildClient client(
        binary(), {u"serve"_s, u"--stdio"_s, u"--config"_s, config, u"--base-url"_s, m_demoUrl});
    QSignalSpy ready(&client, &client::McpClient::ready);
    QSignalSpy closed(&client, &client::McpClient::closed);
    QVERIFY2(ready.wait(15000), qPrintable(client.stderrTail().join(u'\n')));
    QCOMPARE(client.serverTitle(), u"Pantry & Recipes"_s);
    const qint64 pid = client.processId();
    QVERIFY(pid > 0);
    QVERIFY(processExists(pid));

    Outcome outcome;
    client.call(
        u"tools/call"_s,
        {{u"name"_s, u"search_recipes"_s}, {u"arguments"_s, QJsonObject{{u"query"_s, u"soup"_s}}}},
        outcome.done());
    QTRY_VERIFY_WITH_TIMEOUT(outcome.finished(), 15000);
    QVERIFY2(outcome.result->has_value(), qPrintable(outcome.result->error().message));
    QVERIFY2(firstText(**outcome.result).contains("Red Lentil Soup"_L1),
             qPrintable(firstText(**outcome.result)));

    client.stop();
    QCOMPARE(closed.size(), 1);
    QVERIFY(!client.isRunning());
    QVERIFY(!processExists(pid));
    QCOMPARE(closed.at(0).at(0).toString(), u"The bridge was stopped."_s);
}

void tst_McpClient::stdio_destroyLeavesNoProcess()
{
    const QString config = writeDemoConfig();
    auto client = std::make_unique<client::StdioChildClient>(
        binary(),
        QStringList{u"serve"_s, u"--stdio"_s, u"--config"_s, config, u"--base-url"_s, m_demoUrl});
    QSignalSpy ready(client.get(), &client::McpClient::ready);
    QVERIFY(ready.wait(15000));
    const qint64 pid = client->processId();
    QVERIFY(processExists(pid));
    client.reset();
    QVERIFY(!processExists(pid));
}

void tst_McpClient::stdio_badConfigSaysWhy()
{
    m_dir = std::make_unique<QTemporaryDir>();
    const QString missing = m_dir->filePath(u"missing-bridge.mcpbridge.json"_s);
    client::StdioChildClient client(binary(), {u"serve"_s, u"--stdio"_s, u"--config"_s, missing});
    Outcome outcome;
    client.call(u"tools/list"_s, {}, outcome.done());
    QSignalSpy closed(&client, &client::McpClient::closed);
    QVERIFY(closed.wait(15000));
    const QString why = closed.at(0).at(0).toString();
    QVERIFY2(why.startsWith("The bridge stopped: "_L1) && why.contains("missing-bridge"_L1),
             qPrintable(why));
    QVERIFY(!client.stderrTail().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(outcome.finished(), 2000);
    QVERIFY(!outcome.result->has_value());
    QVERIFY2(outcome.result->error().message.contains(why),
             qPrintable(outcome.result->error().message));
}

void tst_McpClient::stdio_missingProgramSaysWhy()
{
    client::StdioChildClient client(u"/nonexistent/dir/mcpbridge"_s, {u"serve"_s});
    QSignalSpy closed(&client, &client::McpClient::closed);
    QVERIFY(closed.wait(5000));
    const QString why = closed.at(0).at(0).toString();
    QVERIFY2(why.contains("could not be started"_L1) && why.contains("mcpbridge"_L1),
             qPrintable(why));
    QCOMPARE(client.processId(), 0);
}

QTEST_GUILESS_MAIN(tst_McpClient)
#include "tst_mcpclient.moc"
