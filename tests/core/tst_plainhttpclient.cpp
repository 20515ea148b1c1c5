// PlainHttpClient, the light keep-alive client for plain http:// upstreams, against the
// FixtureUpstream and a scripted server on 127.0.0.1 (for the framings and failures the fixture
// does not serve): connection reuse, chunked and read-until-close bodies, a server that closes
// mid-answer or drops a kept-alive connection, a dead port, timeouts, cancellation, size caps,
// redirects, and RestInvoker giving the same results and texts through it as through
// QNetworkAccessManager.

#include "core/traffic/trafficlog.h"
#include "core/upstream/errorhints.h"
#include "core/upstream/plainhttpclient.h"
#include "core/upstream/responseshaper.h"
#include "core/upstream/restinvoker.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <optional>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::upstream;
using mcpbridge::fixtures::FixtureUpstream;

namespace {

// A server whose answers the test writes byte for byte. `handler` gets each complete request
// head (and body, per Content-Length) with the number of the connection (from 0) and of the
// request on that connection (from 0).
class ScriptedServer
{
public:
    using Handler
        = std::function<void(QTcpSocket *, int connection, int request, const QByteArray &head)>;

    explicit ScriptedServer(Handler handler)
        : m_handler(std::move(handler))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                accept(socket);
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString base() const { return u"http://127.0.0.1:%1"_s.arg(m_server.serverPort()); }
    int connections() const { return m_connections; }
    QList<QByteArray> heads() const { return m_heads; }

private:
    void accept(QTcpSocket *socket)
    {
        const int connection = m_connections++;
        auto buffer = std::make_shared<QByteArray>();
        auto served = std::make_shared<int>(0);
        QObject::connect(
            socket, &QTcpSocket::readyRead, socket, [this, socket, connection, buffer, served] {
                *buffer += socket->readAll();
                for (;;) {
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    const QByteArray head = buffer->left(end);
                    qsizetype length = 0;
                    const qsizetype at = head.toLower().indexOf("content-length:");
                    if (at >= 0)
                        length = head.mid(at + 15).split('\r').first().trimmed().toInt();
                    if (buffer->size() < end + 4 + length)
                        return;
                    buffer->remove(0, end + 4 + length);
                    m_heads.append(head);
                    m_handler(socket, connection, (*served)++, head);
                    if (socket->state() != QAbstractSocket::ConnectedState)
                        return;
                }
            });
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

    QTcpServer m_server;
    Handler m_handler;
    int m_connections = 0;
    QList<QByteArray> m_heads;
};

QByteArray answer(const QByteArray &body, const QByteArray &extra = {})
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
           + QByteArray::number(body.size()) + "\r\n" + extra + "\r\n" + body;
}

PlainHttpRequest get(const QString &url)
{
    return {QByteArrayLiteral("GET"), QUrl(url), {}, {}};
}

// Waits for the reply to finish and returns its whole body.
QByteArray finish(PlainHttpReply *reply, int timeoutMs = 10000)
{
    QByteArray body;
    QObject::connect(reply, &PlainHttpReply::readyRead, reply,
                     [reply, &body] { body += reply->readAll(); });
    if (!reply->isFinished())
        (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, timeoutMs);
    body += reply->readAll();
    return body;
}

bridge::Tool tool(const QString &name, const QString &path, const QString &method = u"GET"_s)
{
    bridge::Tool t;
    t.name = name;
    t.path = path;
    t.method = method;
    return t;
}

QString firstText(const QJsonObject &result)
{
    return result.value(u"content"_s).toArray().first().toObject().value(u"text"_s).toString();
}

} // namespace

class TestPlainHttpClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void keepAliveReuse();
    void waitsBeyondSixConnections();
    void chunked();
    void readUntilClose();
    void closedMidAnswer();
    void keptAliveConnectionClosedIsResent();
    void deadPort();
    void cancellation();
    void carriesOnlyPlainHttpWithoutProxy();

    void invokerUsesTheLightClient();
    void sameResultsAsQt_data();
    void sameResultsAsQt();
    void timeoutHint();
    void abortedCallNeverAnswers();
    void bodyLargerThanTheCap();
    void closedMidAnswerHint();
    void redirects_data();
    void redirects();
    void redirectToAnotherOriginIsRefused();

private:
    bridge::BridgeDocument doc(const QString &base = {}) const;
    std::optional<QJsonObject> call(const bridge::BridgeDocument &d, const bridge::Tool &t,
                                    const QJsonObject &args = {});

    FixtureUpstream m_fixture;
    traffic::TrafficLog m_traffic;
    std::unique_ptr<RestInvoker> m_invoker;
};

void TestPlainHttpClient::initTestCase()
{
    QVERIFY(m_fixture.listen());
    m_invoker = std::make_unique<RestInvoker>(nullptr, &m_traffic);
}

void TestPlainHttpClient::init()
{
    m_fixture.clearRequests();
    m_traffic.clear();
    m_invoker->setPlainHttpEnabled(true);
}

bridge::BridgeDocument TestPlainHttpClient::doc(const QString &base) const
{
    bridge::BridgeDocument d;
    d.server.name = u"fixture"_s;
    d.upstream.baseUrl = base.isEmpty() ? m_fixture.baseUrl().toString() : base;
    d.upstream.timeoutMs = 10000;
    return d;
}

std::optional<QJsonObject> TestPlainHttpClient::call(const bridge::BridgeDocument &d,
                                                     const bridge::Tool &t, const QJsonObject &args)
{
    std::optional<QJsonObject> out;
    m_invoker->callTool(d, t, args, {}, [&](QJsonObject result) { out = result; });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 20000))
        return std::nullopt;
    return out;
}

// ---- the client on its own --------------------------------------------------------------------

void TestPlainHttpClient::keepAliveReuse()
{
    PlainHttpClient client;
    const QString url = m_fixture.baseUrl().toString() + u"/json"_s;
    for (int i = 0; i < 3; ++i) {
        PlainHttpReply *reply = client.send(get(url));
        const QByteArray body = finish(reply);
        QCOMPARE(reply->error(), PlainHttpReply::Error::None);
        QCOMPARE(reply->status(), 200);
        QCOMPARE(reply->reasonPhrase(), QByteArray("OK"));
        QCOMPARE(reply->header("content-type"), QByteArray("application/json"));
        QCOMPARE(body, QByteArray("{\"message\":\"hello\",\"items\":[1,2,3]}"));
        QCOMPARE(reply->reusedConnection(), i > 0);
        delete reply;
    }
    QCOMPARE(client.connectionsOpened(), 1);
    QCOMPARE(client.openConnections(), 1);
    QCOMPARE(m_fixture.requests().size(), 3);
    QCOMPARE(m_fixture.lastRequest().header("host"),
             u"127.0.0.1:%1"_s.arg(m_fixture.port()).toLatin1());
}

void TestPlainHttpClient::waitsBeyondSixConnections()
{
    PlainHttpClient client;
    QList<PlainHttpReply *> replies;
    for (int i = 0; i < 9; ++i)
        replies << client.send(get(m_fixture.baseUrl().toString() + u"/delay/100"_s));
    for (PlainHttpReply *reply : std::as_const(replies)) {
        QCOMPARE(finish(reply), QByteArray("{\"delayed\":100}"));
        QCOMPARE(reply->status(), 200);
    }
    QCOMPARE(client.connectionsOpened(), PlainHttpClient::MaxConnectionsPerHost);
    qDeleteAll(replies);
}

void TestPlainHttpClient::chunked()
{
    ScriptedServer server([](QTcpSocket *s, int, int, const QByteArray &) {
        // Split across writes, with a chunk extension and a trailer.
        s->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                 "\r\n5;ext=1\r\nHello\r\n");
        s->flush();
        s->write("7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n");
    });
    QVERIFY(server.listen());
    PlainHttpClient client;
    for (int i = 0; i < 2; ++i) {
        PlainHttpReply *reply = client.send(get(server.base() + u"/c"_s));
        QCOMPARE(finish(reply), QByteArray("Hello, world"));
        QCOMPARE(reply->error(), PlainHttpReply::Error::None);
        QCOMPARE(reply->contentLength(), -1);
        delete reply;
    }
    QCOMPARE(server.connections(), 1); // the connection survived the chunked answer
}

void TestPlainHttpClient::readUntilClose()
{
    ScriptedServer server([](QTcpSocket *s, int, int, const QByteArray &) {
        s->write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it");
        s->disconnectFromHost();
    });
    QVERIFY(server.listen());
    PlainHttpClient client;
    PlainHttpReply *reply = client.send(get(server.base() + u"/"_s));
    QCOMPARE(finish(reply), QByteArray("all of it"));
    QCOMPARE(reply->error(), PlainHttpReply::Error::None);
    delete reply;
    QTRY_COMPARE(client.openConnections(), 0);
}

void TestPlainHttpClient::closedMidAnswer()
{
    ScriptedServer server([](QTcpSocket *s, int, int, const QByteArray &) {
        s->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b");
        s->flush();
        s->disconnectFromHost();
    });
    QVERIFY(server.listen());
    PlainHttpClient client;
    PlainHttpReply *reply = client.send(get(server.base() + u"/"_s));
    finish(reply);
    QVERIFY(reply->isFinished());
    QCOMPARE(reply->error(), PlainHttpReply::Error::ConnectionClosed);
    QCOMPARE(reply->status(), 200);
    delete reply;
    QTRY_COMPARE(client.openConnections(), 0);
}

void TestPlainHttpClient::keptAliveConnectionClosedIsResent()
{
    // The second request on a connection finds it closed by the server: it goes out again on a
    // new connection, once, and the caller never notices.
    ScriptedServer server([](QTcpSocket *s, int, int request, const QByteArray &) {
        if (request == 0)
            s->write(answer("first"));
        else
            s->abort();
    });
    QVERIFY(server.listen());
    PlainHttpClient client;
    PlainHttpReply *first = client.send(get(server.base() + u"/a"_s));
    QCOMPARE(finish(first), QByteArray("first"));
    PlainHttpReply *second = client.send(get(server.base() + u"/b"_s));
    QVERIFY(second->reusedConnection());
    QCOMPARE(finish(second), QByteArray("first")); // request 0 of the new connection
    QCOMPARE(second->error(), PlainHttpReply::Error::None);
    QCOMPARE(server.connections(), 2);
    QCOMPARE(server.heads().size(), 3);
    QVERIFY(server.heads().at(2).startsWith("GET /b HTTP/1.1"));
    delete first;
    delete second;
}

void TestPlainHttpClient::deadPort()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const QString url = u"http://127.0.0.1:%1/json"_s.arg(probe.serverPort());
    probe.close();
    PlainHttpClient client;
    PlainHttpReply *reply = client.send(get(url));
    QSignalSpy finished(reply, &PlainHttpReply::finished);
    QCOMPARE(finished.size(), 0); // never from inside send()
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->error(), PlainHttpReply::Error::ConnectionRefused);
    delete reply;
    QTRY_COMPARE(client.openConnections(), 0);
}

void TestPlainHttpClient::cancellation()
{
    PlainHttpClient client;
    PlainHttpReply *reply = client.send(get(m_fixture.baseUrl().toString() + u"/delay/3000"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.requests().size(), 1, 5000);
    QSignalSpy finished(reply, &PlainHttpReply::finished);
    reply->abort();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(reply->error(), PlainHttpReply::Error::Aborted);
    reply->abort(); // a second time changes nothing
    QCOMPARE(finished.size(), 1);
    delete reply;
    QTRY_COMPARE(client.openConnections(), 0); // an aborted connection is never reused
    // Deleting a reply before it finished cancels it as well; the next request works.
    delete client.send(get(m_fixture.baseUrl().toString() + u"/delay/3000"_s));
    PlainHttpReply *next = client.send(get(m_fixture.baseUrl().toString() + u"/text"_s));
    QCOMPARE(finish(next), QByteArray("Hello from the fixture upstream"));
    delete next;
}

void TestPlainHttpClient::carriesOnlyPlainHttpWithoutProxy()
{
    PlainHttpClient client;
    QVERIFY(client.canCarry(QUrl(u"http://127.0.0.1:8080/x"_s)));
    QVERIFY(!client.canCarry(QUrl(u"https://127.0.0.1:8443/x"_s)));
    QVERIFY(!client.canCarry(QUrl(u"ftp://127.0.0.1/x"_s)));
    // With an application proxy Qt would use it, so this client stands aside.
    QNetworkProxy::setApplicationProxy(
        QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, 3128));
    PlainHttpClient proxied;
    QVERIFY(!proxied.canCarry(QUrl(u"http://api.example.com/x"_s)));
    QNetworkProxy::setApplicationProxy(QNetworkProxy(QNetworkProxy::DefaultProxy));
    QNetworkProxyFactory::setUseSystemConfiguration(true); // as Qt starts
}

// ---- through RestInvoker ----------------------------------------------------------------------

void TestPlainHttpClient::invokerUsesTheLightClient()
{
    QVERIFY(m_invoker->plainHttpEnabled());
    for (int i = 0; i < 3; ++i)
        QVERIFY(call(doc(), tool(u"json"_s, u"/json"_s)));
    // Kept alive: the fixture saw three requests; RestInvoker's QNetworkAccessManager none.
    QCOMPARE(m_fixture.requests().size(), 3);
    const PlainHttpClient *client = m_invoker->findChild<PlainHttpClient *>();
    QVERIFY(client);
    QVERIFY(client->connectionsOpened() >= 1);
    QVERIFY(client->openConnections() >= 1);
}

void TestPlainHttpClient::sameResultsAsQt_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::newRow("json") << u"GET"_s << u"/json"_s;
    QTest::newRow("text") << u"GET"_s << u"/text"_s;
    QTest::newRow("empty list") << u"GET"_s << u"/empty-array"_s;
    QTest::newRow("latin1") << u"GET"_s << u"/latin1"_s;
    QTest::newRow("image") << u"GET"_s << u"/image.png"_s;
    QTest::newRow("multipart") << u"GET"_s << u"/multipart"_s;
    QTest::newRow("not json") << u"GET"_s << u"/wrong-type"_s;
    QTest::newRow("404") << u"GET"_s << u"/status/404"_s;
    QTest::newRow("422 post") << u"POST"_s << u"/status/422"_s;
    QTest::newRow("delete") << u"DELETE"_s << u"/echo/x"_s;
    QTest::newRow("huge text cut") << u"GET"_s << u"/huge/300000"_s;
    QTest::newRow("reset") << u"GET"_s << u"/reset"_s;
}

void TestPlainHttpClient::sameResultsAsQt()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    auto t = tool(u"t"_s, path, method);
    t.response.maxBytes = 100 * 1024;
    auto d = doc();
    d.upstream.retry.maxAttempts = 1;
    const PlainHttpClient *client = m_invoker->findChild<PlainHttpClient *>();
    QVERIFY(client);
    const int sent = client->requestsSent();
    m_invoker->setPlainHttpEnabled(false);
    const auto viaQt = call(d, t);
    QCOMPARE(client->requestsSent(), sent);
    m_invoker->setPlainHttpEnabled(true);
    const auto viaPlain = call(d, t);
    QVERIFY(client->requestsSent() > sent);
    QVERIFY(viaQt);
    QVERIFY(viaPlain);
    // The echo route repeats the request headers, which differ by design (Qt adds its own).
    if (path.startsWith(u"/echo"_s)) {
        QCOMPARE(viaPlain->value(u"isError"_s), viaQt->value(u"isError"_s));
        QCOMPARE(QJsonDocument::fromJson(firstText(*viaPlain).toUtf8())[u"method"_s],
                 QJsonDocument::fromJson(firstText(*viaQt).toUtf8())[u"method"_s]);
        return;
    }
    QCOMPARE(*viaPlain, *viaQt);
}

void TestPlainHttpClient::timeoutHint()
{
    auto d = doc();
    d.upstream.timeoutMs = 1000;
    QElapsedTimer clock;
    clock.start();
    const auto result = call(d, tool(u"slow"_s, u"/delay/5000"_s));
    QVERIFY(result);
    QVERIFY(clock.elapsed() < 4500);
    QCOMPARE(firstText(*result), hints::timedOut(m_fixture.baseUrl().toString(), 1));
    QCOMPARE(m_fixture.requests().size(), 1);
    const auto next = call(doc(), tool(u"json"_s, u"/json"_s));
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

void TestPlainHttpClient::abortedCallNeverAnswers()
{
    bool called = false;
    QPointer<PendingCall> pending = m_invoker->callTool(
        doc(), tool(u"slow"_s, u"/delay/1500"_s), {}, {}, [&](QJsonObject) { called = true; });
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.requests().size(), 1, 5000);
    pending->abort();
    QTest::qWait(2000);
    QVERIFY(!called);
    QVERIFY(!pending);
    const auto next = call(doc(), tool(u"json"_s, u"/json"_s));
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

void TestPlainHttpClient::bodyLargerThanTheCap()
{
    // Text is cut at maxBytes; JSON past the hard limit is refused. Both stop reading early.
    auto t = tool(u"huge"_s, u"/huge/3000000"_s);
    t.response.maxBytes = 100 * 1024;
    const auto cut = call(doc(), t);
    QVERIFY(cut);
    QVERIFY(firstText(*cut).startsWith(QString(100 * 1024, u'x') + u"\n\n"_s));
    QVERIFY(firstText(*cut).endsWith(hints::truncated(100 * 1024, 3000000)));

    const qint64 size = ResponseShaper::HardLimitBytes + 1024;
    const auto refused = call(doc(), tool(u"big"_s, u"/big-json/%1"_s.arg(size)));
    QVERIFY(refused);
    QVERIFY(refused->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*refused), hints::tooLarge(ResponseShaper::HardLimitBytes));

    auto endless = tool(u"endless"_s, u"/endless"_s); // chunked, never ends
    endless.response.maxBytes = 20 * 1024;
    const auto stream = call(doc(), endless);
    QVERIFY(stream);
    QVERIFY(firstText(*stream).endsWith(hints::truncated(20 * 1024, -1)));

    const auto next = call(doc(), tool(u"json"_s, u"/json"_s));
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

void TestPlainHttpClient::closedMidAnswerHint()
{
    ScriptedServer server([](QTcpSocket *s, int, int, const QByteArray &) {
        s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n"
                 "{\"cut\":");
        s->flush();
        s->disconnectFromHost();
    });
    QVERIFY(server.listen());
    auto d = doc(server.base());
    d.upstream.retry.maxAttempts = 2;
    const auto result = call(d, tool(u"cut"_s, u"/cut"_s));
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*result), hints::connectionClosed(server.base()));
    QCOMPARE(server.heads().size(), 2); // a GET that lost its connection is tried again
}

void TestPlainHttpClient::redirects_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("method");
    for (int status : {301, 302, 303, 307, 308}) {
        for (const QString &method : {u"GET"_s, u"POST"_s}) {
            QTest::addRow("%d %s", status, qPrintable(method)) << status << method;
        }
    }
}

void TestPlainHttpClient::redirects()
{
    // The same redirect through QNetworkAccessManager and through the light client: the
    // server must see the same second request (method and body).
    QFETCH(int, status);
    QFETCH(QString, method);
    QList<QByteArray> arrivals;
    ScriptedServer server([&](QTcpSocket *s, int, int, const QByteArray &head) {
        const QByteArray line = head.split('\r').first();
        if (line.contains(" /from")) {
            s->write("HTTP/1.1 " + QByteArray::number(status)
                     + " Moved\r\nLocation: /to?x=1\r\nContent-Length: 5\r\n\r\nmoved");
            return;
        }
        arrivals << line + (head.toLower().contains("content-length: ") ? " +body" : "");
        s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
                 "{\"at\":\"to\"}");
    });
    QVERIFY(server.listen());
    auto t = tool(u"r"_s, u"/from"_s, method);
    bridge::Parameter body;
    body.name = u"note"_s;
    body.in = u"body"_s;
    t.parameters = {body};
    const QJsonObject args = method == u"POST" ? QJsonObject{{u"note"_s, u"hi"_s}} : QJsonObject{};

    m_invoker->setPlainHttpEnabled(false);
    const auto viaQt = call(doc(server.base()), t, args);
    m_invoker->setPlainHttpEnabled(true);
    const auto viaPlain = call(doc(server.base()), t, args);
    QVERIFY(viaQt);
    QVERIFY(viaPlain);
    QCOMPARE(firstText(*viaPlain), firstText(*viaQt));
    QCOMPARE(viaPlain->value(u"isError"_s).toBool(), false);
    QCOMPARE(arrivals.size(), 2);
    QCOMPARE(arrivals.at(1), arrivals.at(0));
}

void TestPlainHttpClient::redirectToAnotherOriginIsRefused()
{
    ScriptedServer server([&](QTcpSocket *s, int, int, const QByteArray &) {
        s->write("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:9/elsewhere\r\n"
                 "Content-Length: 0\r\n\r\n");
    });
    QVERIFY(server.listen());
    const auto result = call(doc(server.base()), tool(u"r"_s, u"/from"_s));
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*result), hints::redirectRefused(u"http://127.0.0.2:9/elsewhere"_s));
    QCOMPARE(server.heads().size(), 1);
}

QTEST_GUILESS_MAIN(TestPlainHttpClient)
#include "tst_plainhttpclient.moc"
