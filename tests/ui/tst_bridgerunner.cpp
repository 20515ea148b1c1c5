// The studio's in-process bridge: serving over HTTP on a loopback port, counting clients, a
// busy port, edits reaching connected clients as list_changed, and documents with errors held
// back so clients keep the last good version.

#include "core/bridge/documentio.h"
#include "core/mcp/mcpserver.h"
#include "core/secrets/memorysecretstore.h"
#include "core/traffic/trafficlog.h"
#include "ui/bridgerunner.h"
#include "ui/traffic/trafficlogmodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using mcpbridge::ui::BridgeRunner;
namespace jsonrpc = mcpbridge::jsonrpc;

class TestBridgeRunner : public QObject
{
    Q_OBJECT

    static mcpbridge::bridge::BridgeDocument demo()
    {
        const auto report
            = mcpbridge::bridge::loadDocument(qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR")
                                              + u"/resources/demo/pantry.mcpbridge.json"_s);
        return *report.document;
    }

    // POSTs one JSON-RPC message to the bridge's /mcp and returns the reply's headers and body.
    static QNetworkReply *post(QNetworkAccessManager &network, const QUrl &url,
                               const QJsonObject &message, const QByteArray &session = {})
    {
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Accept", "application/json, text/event-stream");
        if (!session.isEmpty())
            request.setRawHeader("Mcp-Session-Id", session);
        return network.post(request, QJsonDocument(message).toJson(QJsonDocument::Compact));
    }

private slots:
    void servesOverHttpAndCountsClients()
    {
        mcpbridge::secrets::MemorySecretStore secrets;
        BridgeRunner runner(&secrets);
        QCOMPARE(runner.stateText(), u"Stopped"_s);
        QVERIFY(!runner.startHttp(QHostAddress::LocalHost, 0).has_value()); // no document yet
        runner.setDocument(demo());
        QVERIFY(runner.server());

        QSignalSpy changed(&runner, &BridgeRunner::stateChanged);
        const auto url = runner.startHttp(QHostAddress::LocalHost, 0);
        QVERIFY2(url.has_value(), qPrintable(url ? QString() : url.error().message));
        QVERIFY(runner.isServing());
        QCOMPARE(url->host(), u"127.0.0.1"_s);
        QCOMPARE(url->path(), u"/mcp"_s);
        QVERIFY(runner.stateText().contains(u"no client connected yet"_s));
        QVERIFY(changed.count() >= 1);

        QNetworkAccessManager network;
        const QJsonObject initialize{
            {u"jsonrpc"_s, u"2.0"_s},
            {u"id"_s, 1},
            {u"method"_s, u"initialize"_s},
            {u"params"_s, QJsonObject{{u"protocolVersion"_s, u"2025-06-18"_s},
                                      {u"capabilities"_s, QJsonObject{}},
                                      {u"clientInfo"_s, QJsonObject{{u"name"_s, u"test"_s},
                                                                    {u"version"_s, u"1"_s}}}}}};
        QNetworkReply *reply = post(network, *url, initialize);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(!reply->rawHeader("Mcp-Session-Id").isEmpty());
        reply->deleteLater();
        QTRY_COMPARE(runner.sessionCount(), 1);
        QVERIFY(runner.stateText().contains(u"1 client connected"_s));

        runner.stopHttp();
        QVERIFY(!runner.isServing());
        QCOMPARE(runner.stateText(), u"Stopped"_s);
        QCOMPARE(runner.sessionCount(), 0);
    }

    void aBusyPortIsAClearMessage()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        mcpbridge::secrets::MemorySecretStore secrets;
        BridgeRunner runner(&secrets);
        runner.setDocument(demo());
        const auto url = runner.startHttp(QHostAddress::LocalHost, squatter.serverPort());
        QVERIFY(!url.has_value());
        QVERIFY(url.error().message.contains(u"already in use"_s));
        QVERIFY(url.error().message.contains(QString::number(squatter.serverPort())));
        QVERIFY(!runner.isServing());
    }

    void keepsMoreTrafficThanAHeadlessBridge()
    {
        mcpbridge::secrets::MemorySecretStore secrets;
        BridgeRunner runner(&secrets);
        const mcpbridge::traffic::TrafficLog *log = runner.trafficLog();
        QCOMPARE(log->byteCapacity(), mcpbridge::ui::TrafficLogModel::DefaultByteCapacity);
        QVERIFY(log->byteCapacity() > mcpbridge::traffic::TrafficLog::DefaultByteCapacity);
        QCOMPARE(log->capacity(), mcpbridge::traffic::TrafficLog::DefaultCapacity);
    }

    void editsReachConnectedClientsAsListChanged()
    {
        mcpbridge::secrets::MemorySecretStore secrets;
        BridgeRunner runner(&secrets);
        runner.setPushDelayMs(10);
        runner.setDocument(demo());
        mcpbridge::mcp::McpServer *server = runner.server();
        mcpbridge::mcp::Session *session = server->createSession(u"in-process"_s);
        QStringList sent;
        connect(session, &mcpbridge::mcp::Session::send, this,
                [&sent](const jsonrpc::Message &message) { sent << message.method; });
        const QJsonObject params{
            {u"protocolVersion"_s, u"2025-06-18"_s},
            {u"capabilities"_s, QJsonObject{}},
            {u"clientInfo"_s, QJsonObject{{u"name"_s, u"t"_s}, {u"version"_s, u"1"_s}}}};
        server->receive(session,
                        jsonrpc::Message::request(jsonrpc::Id{qint64(1)}, u"initialize"_s, params));
        server->receive(session, jsonrpc::Message::notification(u"notifications/initialized"_s));

        auto edited = demo();
        edited.tools[0].description = u"Changed while a client is connected."_s;
        runner.setDocument(edited);
        QTRY_VERIFY(sent.contains(u"notifications/tools/list_changed"_s));
        QCOMPARE(runner.servedDocument().tools.at(0).description,
                 u"Changed while a client is connected."_s);

        // An edit with an error is held back: the clients keep the last good version.
        sent.clear();
        QSignalSpy heldBack(&runner, &BridgeRunner::heldBackChanged);
        auto broken = edited;
        broken.tools[1].name = broken.tools[0].name; // duplicate name
        runner.setDocument(broken);
        QVERIFY(heldBack.wait(5000));
        QVERIFY(!runner.heldBack().isEmpty());
        QVERIFY(runner.heldBack().contains(broken.tools[0].name));
        QCOMPARE(runner.servedDocument().tools.at(1).name, edited.tools.at(1).name);
        QVERIFY(!sent.contains(u"notifications/tools/list_changed"_s));

        runner.setDocument(edited, true); // fixed again
        QVERIFY(runner.heldBack().isEmpty());
    }

    void theBaseUrlOverrideIsWhatTheServerCalls()
    {
        mcpbridge::secrets::MemorySecretStore secrets;
        BridgeRunner runner(&secrets);
        runner.setDocument(demo());
        runner.setBaseUrlOverride(u"http://127.0.0.1:9"_s);
        QCOMPARE(runner.servedDocument().upstream.baseUrl, u"http://127.0.0.1:9"_s);
        runner.setBaseUrlOverride({});
        QCOMPARE(runner.servedDocument().upstream.baseUrl, demo().upstream.baseUrl);
    }
};

QTEST_MAIN(TestBridgeRunner)
#include "tst_bridgerunner.moc"
