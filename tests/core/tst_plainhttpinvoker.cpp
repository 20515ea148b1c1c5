// RestInvoker calling plain http:// upstreams through PlainHttpClient: the same results, failure
// texts and redirect behaviour as through QNetworkAccessManager (each case runs both ways),
// deadlines, cancellation and read caps.

#include "core/traffic/trafficlog.h"
#include "core/upstream/errorhints.h"
#include "core/upstream/httpbodydecoder.h"
#include "core/upstream/plainhttpclient.h"
#include "core/upstream/responseshaper.h"
#include "core/upstream/restinvoker.h"
#include "tests/core/scriptedhttpserver.h"
#include "tests/fixtures/fixturedocuments.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using mcpbridge::tests::firstText;
using mcpbridge::tests::tool;
using namespace mcpbridge;
using namespace mcpbridge::upstream;
using mcpbridge::fixtures::FixtureUpstream;
using mcpbridge::testing::ScriptedServer;

namespace {} // namespace

class TestPlainHttpInvoker : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

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
    void compressedAnswerSameAsQt();
    void doneNeverRunsInsideCallTool();

private:
    bridge::BridgeDocument doc(const QString &base = {}) const;
    std::optional<QJsonObject> call(const bridge::BridgeDocument &d, const bridge::Tool &t,
                                    const QJsonObject &args = {});

    FixtureUpstream m_fixture;
    traffic::TrafficLog m_traffic;
    std::unique_ptr<RestInvoker> m_invoker;
};

void TestPlainHttpInvoker::initTestCase()
{
    QVERIFY(m_fixture.listen());
    m_invoker = std::make_unique<RestInvoker>(nullptr, &m_traffic);
}

void TestPlainHttpInvoker::init()
{
    m_fixture.clearRequests();
    m_traffic.clear();
    m_invoker->setPlainHttpEnabled(true);
}

bridge::BridgeDocument TestPlainHttpInvoker::doc(const QString &base) const
{
    bridge::BridgeDocument d;
    d.server.name = u"fixture"_s;
    d.upstream.baseUrl = base.isEmpty() ? m_fixture.baseUrl().toString() : base;
    d.upstream.timeoutMs = 10000;
    return d;
}

std::optional<QJsonObject> TestPlainHttpInvoker::call(const bridge::BridgeDocument &d,
                                                      const bridge::Tool &t,
                                                      const QJsonObject &args)
{
    std::optional<QJsonObject> out;
    m_invoker->callTool(d, t, args, {}, [&](QJsonObject result) { out = result; });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 20000))
        return std::nullopt;
    return out;
}
void TestPlainHttpInvoker::invokerUsesTheLightClient()
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

void TestPlainHttpInvoker::sameResultsAsQt_data()
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

void TestPlainHttpInvoker::sameResultsAsQt()
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

void TestPlainHttpInvoker::timeoutHint()
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

void TestPlainHttpInvoker::abortedCallNeverAnswers()
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

void TestPlainHttpInvoker::bodyLargerThanTheCap()
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

void TestPlainHttpInvoker::closedMidAnswerHint()
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

void TestPlainHttpInvoker::redirects_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("method");
    for (int status : {301, 302, 303, 307, 308}) {
        for (const QString &method : {u"GET"_s, u"POST"_s}) {
            QTest::addRow("%d %s", status, qPrintable(method)) << status << method;
        }
    }
}

void TestPlainHttpInvoker::redirects()
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

void TestPlainHttpInvoker::redirectToAnotherOriginIsRefused()
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
void TestPlainHttpInvoker::compressedAnswerSameAsQt()
{
    // An API that compresses when asked: both clients ask, both decode, the model gets the same.
    const QByteArray json = "{\"items\":[{\"id\":1,\"name\":\"flour\"}],\"total\":1}";
    const QByteArray packed = qCompress(json, 9).mid(4); // a zlib stream: "deflate"
    QList<QByteArray> asked;
    ScriptedServer server([&](QTcpSocket *s, int, int, const QByteArray &head) {
        const bool deflate
            = head.toLower().contains("accept-encoding:") && head.toLower().contains("deflate");
        asked << (deflate ? "deflate" : "identity");
        const QByteArray body = deflate ? packed : json;
        s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 + (deflate ? QByteArray("Content-Encoding: deflate\r\n") : QByteArray())
                 + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    });
    QVERIFY(server.listen());
    m_invoker->setPlainHttpEnabled(false);
    const auto viaQt = call(doc(server.base()), tool(u"z"_s, u"/z"_s));
    m_invoker->setPlainHttpEnabled(true);
    const auto viaPlain = call(doc(server.base()), tool(u"z"_s, u"/z"_s));
    QVERIFY(viaQt);
    QVERIFY(viaPlain);
    QCOMPARE(firstText(*viaPlain), QString::fromUtf8(json));
    QCOMPARE(*viaPlain, *viaQt);
    const QByteArray plainAsked = HttpBodyDecoder::available() ? "deflate" : "identity";
    QCOMPARE(asked, (QList<QByteArray>{"deflate", plainAsked}));
}

void TestPlainHttpInvoker::doneNeverRunsInsideCallTool()
{
    // A call with no secrets to read is sent at once; an ending found on the way (here a
    // request that cannot be built) still reaches `done` only from the event loop.
    int calls = 0;
    QJsonObject result;
    auto broken = tool(u"broken"_s, u"/echo/{id}"_s); // "id" is never given
    m_invoker->callTool(doc(), broken, {}, {}, [&](QJsonObject r) {
        ++calls;
        result = r;
    });
    QCOMPARE(calls, 0);
    QTRY_COMPARE(calls, 1);
    QVERIFY(result.value(u"isError"_s).toBool());
    QVERIFY(m_fixture.requests().isEmpty());

    bool answered = false;
    m_invoker->callTool(doc(), tool(u"json"_s, u"/json"_s), {}, {},
                        [&](QJsonObject) { answered = true; });
    QVERIFY(!answered);
    QTRY_VERIFY(answered);
    QCOMPARE(m_fixture.requests().size(), 1);
}

QTEST_GUILESS_MAIN(TestPlainHttpInvoker)
#include "tst_plainhttpinvoker.moc"
