// RestInvoker against the in-process FixtureUpstream (real HTTP on 127.0.0.1): parameter
// placement as the server received it, auth kinds, secrets kept out of traffic and logs, every
// error kind's exact text, abort, timeout, content shaping end to end, resources.

#include "core/secrets/envsecretstore.h"
#include "core/secrets/memorysecretstore.h"
#include "core/traffic/trafficlog.h"
#include "core/upstream/errorhints.h"
#include "core/upstream/responseshaper.h"
#include "core/upstream/restinvoker.h"
#include "tests/fixtures/fixturedocuments.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using mcpbridge::tests::firstText;
using mcpbridge::tests::tool;
using namespace mcpbridge;
using namespace mcpbridge::upstream;
using mcpbridge::fixtures::FixtureUpstream;

namespace {

const QString Token = u"fixture-secret-token"_s;

bridge::Parameter param(const QString &name, const QString &in, const QString &wire = {})
{
    bridge::Parameter p;
    p.name = name;
    p.in = in;
    p.wireName = wire;
    return p;
}

struct Recorder
{
    QList<std::pair<QString, QString>> logs;
    QList<double> progress;
    double total = 0;

    upstream::CallContext context(const QString &rpcId = u"7"_s)
    {
        upstream::CallContext c;
        c.sessionId = u"session-1"_s;
        c.rpcId = rpcId;
        c.transport = u"in-process"_s;
        c.log = [this](const QString &level, const QString &message) {
            logs.append({level, message});
        };
        c.progress = [this](double p, double t, const QString &) {
            progress.append(p);
            total = t;
        };
        return c;
    }
};

} // namespace

class TestRestInvoker : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void placementAsReceived();
    void hostileArgumentsStayUnderTheBase();
    void refusedBuildIsAnErrorResult();
    void auth_data();
    void auth();
    void wrongCredentialsHint();
    void missingSecretQuotesTheStore();
    void secretsNeverInTrafficOrLogs();
    void httpErrors_data();
    void httpErrors();
    void notFoundNamesTheListTool();
    void connectionRefused();
    void connectionReset();
    void tlsFailure();
    void timeout();
    void toolTimeoutOverridesUpstream();
    void hostNotFound();
    void responseTooLarge();
    void abortNeverCallsDone();
    void logAndProgress();
    void trafficEvent();
    void content_data();
    void content();
    void multipart();
    void truncation();
    void endlessIsCut();
    void outputSchema();
    void resources();
    void resourceErrors();

private:
    bridge::BridgeDocument doc(const QString &base = {}) const;
    std::optional<QJsonObject> call(const bridge::BridgeDocument &d, const bridge::Tool &t,
                                    const QJsonObject &args = {}, Recorder *rec = nullptr,
                                    int timeoutMs = 15000);
    QString base() const { return m_fixture.baseUrl().toString(); }

    FixtureUpstream m_fixture;
    secrets::MemorySecretStore m_secrets;
    traffic::TrafficLog m_traffic;
    std::unique_ptr<RestInvoker> m_invoker;
};

void TestRestInvoker::initTestCase()
{
    QVERIFY(m_fixture.listen());
    m_secrets.set(u"fixture"_s, u"token"_s, Token);
    m_invoker = std::make_unique<RestInvoker>(&m_secrets, &m_traffic);
}

void TestRestInvoker::init()
{
    m_fixture.clearRequests();
    m_traffic.clear();
}

bridge::BridgeDocument TestRestInvoker::doc(const QString &baseUrl) const
{
    bridge::BridgeDocument d;
    d.server.name = u"fixture"_s;
    d.upstream.baseUrl = baseUrl.isEmpty() ? base() : baseUrl;
    d.upstream.timeoutMs = 10000;
    return d;
}

std::optional<QJsonObject> TestRestInvoker::call(const bridge::BridgeDocument &d,
                                                 const bridge::Tool &t, const QJsonObject &args,
                                                 Recorder *rec, int timeoutMs)
{
    std::optional<QJsonObject> out;
    int calls = 0;
    Recorder local;
    Recorder *r = rec ? rec : &local;
    m_invoker->callTool(d, t, args, r->context(), [&](QJsonObject result) {
        ++calls;
        out = result;
    });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, timeoutMs))
        return std::nullopt;
    QTest::qWait(5);
    if (calls != 1)
        return std::nullopt;
    return out;
}

void TestRestInvoker::placementAsReceived()
{
    auto t = tool(u"echo_all"_s, u"/echo/{id}"_s, u"POST"_s);
    t.parameters
        = {param(u"item"_s, u"path"_s, u"id"_s), param(u"tags"_s, u"query"_s),
           param(u"page"_s, u"query"_s),         param(u"trace"_s, u"header"_s, u"X-Trace"_s),
           param(u"title"_s, u"body"_s),         param(u"qty"_s, u"body"_s, u"quantity"_s)};
    const auto result = call(doc(), t,
                             {{u"item"_s, u"a/b c"_s},
                              {u"tags"_s, QJsonArray{u"x"_s, u"y&z"_s}},
                              {u"page"_s, 2},
                              {u"trace"_s, u"trace-1"_s},
                              {u"title"_s, u"Milk"_s},
                              {u"qty"_s, 3}});
    QVERIFY(result);
    QVERIFY(!result->value(u"isError"_s).toBool());
    const auto requests = m_fixture.requests();
    QCOMPARE(requests.size(), 1);
    const auto &r = requests.first();
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.target, QByteArray("/echo/a%2Fb%20c?tags=x&tags=y%26z&page=2"));
    QCOMPARE(r.path, u"/echo/a/b c"_s);
    QCOMPARE(r.queryValues(u"tags"_s), (QStringList{u"x"_s, u"y&z"_s}));
    QCOMPARE(r.header("X-Trace"), QByteArray("trace-1"));
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(r.header("Accept"), QByteArray("application/json, */*;q=0.8"));
    QVERIFY(r.header("User-Agent").startsWith("mcpbridge/"));
    QCOMPARE(QJsonDocument::fromJson(r.body).object(),
             (QJsonObject{{u"title"_s, u"Milk"_s}, {u"quantity"_s, 3}}));
    // The echo comes back as the tool's JSON text.
    const QJsonObject echoed = QJsonDocument::fromJson(firstText(*result).toUtf8()).object();
    QCOMPARE(echoed.value(u"method"_s).toString(), u"POST"_s);
}

void TestRestInvoker::hostileArgumentsStayUnderTheBase()
{
    auto t = tool(u"echo_id"_s, u"/echo/{id}"_s);
    t.parameters = {param(u"id"_s, u"path"_s)};
    const QStringList values = {u"@evil.com"_s, u"http://evil.com"_s, u"a?b=c"_s,       u"a#frag"_s,
                                u"%2f"_s,       u"\\\\evil"_s,        u"\uFF2E\uFF2E"_s};
    for (const QString &value : values) {
        m_fixture.clearRequests();
        const auto result = call(doc(), t, {{u"id"_s, value}});
        QVERIFY(result);
        QVERIFY2(!result->value(u"isError"_s).toBool(), qPrintable(value));
        QCOMPARE(m_fixture.requests().size(), 1);
        const auto r = m_fixture.lastRequest();
        QVERIFY2(r.rawPath.startsWith("/echo/"), r.target.constData());
        QCOMPARE(r.rawPath.count('/'), 2); // one segment below /echo, whatever the value
        QVERIFY(r.query.isEmpty());
        QCOMPARE(QString::fromUtf8(QByteArray::fromPercentEncoding(r.rawPath.mid(6))), value);
    }
}

void TestRestInvoker::refusedBuildIsAnErrorResult()
{
    auto t = tool(u"echo_id"_s, u"/echo/{id}"_s);
    t.parameters = {param(u"id"_s, u"path"_s)};
    const auto result = call(doc(), t, {{u"id"_s, u"../admin"_s}});
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QVERIFY(firstText(*result).contains(u"\"id\""_s));
    QCOMPARE(m_fixture.requests().size(), 0); // nothing was sent
}

void TestRestInvoker::auth_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("name");
    QTest::newRow("bearer") << u"/auth/bearer"_s << u"bearer"_s << QString() << QString();
    QTest::newRow("basic") << u"/auth/basic"_s << u"basic"_s << QString() << QString();
    QTest::newRow("apiKey header")
        << u"/auth/apikey"_s << u"apiKey"_s << u"header"_s << u"X-Api-Key"_s;
    QTest::newRow("apiKey query") << u"/auth/apikey"_s << u"apiKey"_s << u"query"_s << u"api_key"_s;
    QTest::newRow("apiKey cookie")
        << u"/auth/apikey"_s << u"apiKey"_s << u"cookie"_s << u"api_key"_s;
}

void TestRestInvoker::auth()
{
    QFETCH(QString, path);
    QFETCH(QString, kind);
    QFETCH(QString, in);
    QFETCH(QString, name);
    auto d = doc();
    d.upstream.auth.kind = kind;
    d.upstream.auth.secret = u"token"_s;
    d.upstream.auth.in = in;
    d.upstream.auth.name = name;
    d.upstream.auth.username = u"user"_s;
    const auto result = call(d, tool(u"auth"_s, path));
    QVERIFY(result);
    QVERIFY2(!result->value(u"isError"_s).toBool(), qPrintable(firstText(*result)));
    QCOMPARE(QJsonDocument::fromJson(firstText(*result).toUtf8()).object(),
             (QJsonObject{{u"ok"_s, true}}));
    // Without auth the same endpoint refuses: the credential above really did the work.
    const auto without = call(doc(), tool(u"auth"_s, path));
    QVERIFY(without && without->value(u"isError"_s).toBool());
}

void TestRestInvoker::wrongCredentialsHint()
{
    secrets::MemorySecretStore wrong;
    wrong.set(u"fixture"_s, u"token"_s, u"not-the-token"_s);
    RestInvoker invoker(&wrong, nullptr);
    auto d = doc();
    d.upstream.auth.kind = u"bearer"_s;
    d.upstream.auth.secret = u"token"_s;
    std::optional<QJsonObject> result;
    invoker.callTool(d, tool(u"auth"_s, u"/auth/bearer"_s), {}, {},
                     [&](QJsonObject r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
    QVERIFY(result->value(u"isError"_s).toBool());
    const QString text = firstText(*result);
    QVERIFY2(text.startsWith(u"The API answered 401 Unauthorized to GET /auth/bearer.\n"_s),
             qPrintable(text));
    QVERIFY(text.contains(hints::credentialsRejected(401, u"token"_s)));
    QVERIFY(!text.contains(u"not-the-token"_s));
}

void TestRestInvoker::missingSecretQuotesTheStore()
{
    qunsetenv("MCPBRIDGE_SECRET_API_TOKEN");
    secrets::EnvSecretStore env;
    RestInvoker invoker(&env, &m_traffic);
    auto d = doc();
    d.upstream.auth.kind = u"bearer"_s;
    d.upstream.auth.secret = u"api_token"_s;
    std::optional<QJsonObject> result;
    invoker.callTool(d, tool(u"json"_s, u"/json"_s), {}, {}, [&](QJsonObject r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*result), secrets::EnvSecretStore::missingMessage(u"api_token"_s));
    QCOMPARE(m_fixture.requests().size(), 0);
}

void TestRestInvoker::secretsNeverInTrafficOrLogs()
{
    const QList<std::pair<QString, QString>> kinds = {{u"bearer"_s, QString()},
                                                      {u"basic"_s, QString()},
                                                      {u"apiKey"_s, u"query"_s},
                                                      {u"apiKey"_s, u"cookie"_s},
                                                      {u"apiKey"_s, u"header"_s}};
    const QString base64 = QString::fromLatin1(QString(u"user:"_s + Token).toUtf8().toBase64());
    for (const auto &[kind, in] : kinds) {
        m_traffic.clear();
        auto d = doc();
        d.upstream.auth.kind = kind;
        d.upstream.auth.secret = u"token"_s;
        d.upstream.auth.in = in;
        d.upstream.auth.name = in == u"header" ? u"X-Api-Key"_s : u"api_key"_s;
        d.upstream.auth.username = u"user"_s;
        d.upstream.headers.insert(u"X-Signature"_s, u"sig ${secret:token}"_s);
        Recorder rec;
        // /echo sends every header back in the body: the response body carries the secret too.
        const auto result = call(d, tool(u"echo"_s, u"/echo"_s), {}, &rec);
        QVERIFY(result);
        QVERIFY(m_fixture.lastRequest().target.contains("echo"));
        const auto events = m_traffic.snapshot();
        QCOMPARE(events.size(), 1);
        const QByteArray all = QJsonDocument(events.first().toJson()).toJson();
        QVERIFY2(!all.contains(Token.toUtf8()), qPrintable(kind + u' ' + in));
        QVERIFY2(!all.contains(base64.toUtf8()), qPrintable(kind));
        QVERIFY(all.contains("[redacted]"));
        for (const auto &[level, line] : rec.logs)
            QVERIFY2(!line.contains(Token) && !line.contains(base64), qPrintable(line));
        const QJsonObject body = QJsonDocument::fromJson(events.first().body).object();
        const QJsonObject headers
            = body.value(u"request"_s).toObject().value(u"headers"_s).toObject();
        if (kind != u"apiKey" || in == u"header") {
            const QString header = kind == u"apiKey" ? u"X-Api-Key"_s : u"Authorization"_s;
            QCOMPARE(headers.value(header).toString(), u"[redacted]"_s);
        }
        QCOMPARE(headers.value(u"X-Signature"_s).toString(), u"[redacted]"_s);
    }
}

void TestRestInvoker::httpErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("hint");
    const QString msg = u"The fixture was told to answer %1."_s;
    QTest::newRow("400") << 400 << u"Bad Request"_s << hints::badRequest(msg.arg(400));
    QTest::newRow("401") << 401 << u"Unauthorized"_s << hints::credentialsRejected(401, {});
    QTest::newRow("403") << 403 << u"Forbidden"_s << hints::credentialsRejected(403, {});
    QTest::newRow("404") << 404 << u"Not Found"_s << hints::notFound({});
    QTest::newRow("409") << 409 << u"Conflict"_s << hints::conflict(msg.arg(409));
    QTest::newRow("422") << 422 << u"Unprocessable Content"_s << hints::unprocessable(msg.arg(422));
    QTest::newRow("429") << 429 << u"Too Many Requests"_s << hints::rateLimited(1);
    QTest::newRow("500") << 500 << u"Internal Server Error"_s << hints::serverFailed(500, -1);
    QTest::newRow("503") << 503 << u"Service Unavailable"_s << hints::serverFailed(503, 1);
}

void TestRestInvoker::httpErrors()
{
    QFETCH(int, status);
    QFETCH(QString, reason);
    QFETCH(QString, hint);
    const QString path = u"/status/%1"_s.arg(status);
    const auto result = call(doc(), tool(u"fail"_s, path));
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(result->value(u"content"_s).toArray().size(), 1);
    const QString expected = hints::statusLine(status, reason, u"GET"_s, path) + u'\n' + hint
                             + u"\n\n"_s + hints::bodyExcerptHeading()
                             + u"\n{\"error\":\"fixture error %1\",\"message\":\"The "
                               "fixture was told to answer %1.\"}"_s.arg(status);
    QCOMPARE(firstText(*result), expected);
    // The next call on the same invoker still works.
    const auto next = call(doc(), tool(u"json"_s, u"/json"_s));
    QVERIFY(next);
    QVERIFY(!next->value(u"isError"_s).toBool());
}

void TestRestInvoker::notFoundNamesTheListTool()
{
    auto d = doc();
    d.tools = {tool(u"list_things"_s, u"/status"_s), tool(u"unrelated"_s, u"/json"_s),
               tool(u"get_thing"_s, u"/status/{id}"_s)};
    d.tools[2].parameters = {param(u"id"_s, u"path"_s)};
    const auto result = call(d, d.tools[2], {{u"id"_s, u"404"_s}});
    QVERIFY(result);
    QVERIFY(firstText(*result).contains(u'\n' + hints::notFound(u"list_things"_s) + u'\n'));
}

void TestRestInvoker::connectionRefused()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const QString closed = u"http://127.0.0.1:%1"_s.arg(probe.serverPort());
    probe.close();
    const auto result = call(doc(closed), tool(u"json"_s, u"/json"_s));
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*result), hints::connectionRefused(closed));
    // A GET is retried after a refused connection: one traffic event per attempt.
    const auto events = m_traffic.snapshot();
    QCOMPARE(events.size(), bridge::RetryConfig{}.maxAttempts);
    for (const auto &event : events) {
        QCOMPARE(event.httpStatus, 0);
        QVERIFY(event.isError);
    }
    // And the fixture is still fine afterwards.
    QVERIFY(call(doc(), tool(u"json"_s, u"/json"_s)).has_value());
}

void TestRestInvoker::connectionReset()
{
    const auto result = call(doc(), tool(u"reset"_s, u"/reset"_s));
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*result), hints::connectionClosed(base()));
    const auto next = call(doc(), tool(u"json"_s, u"/json"_s));
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

void TestRestInvoker::tlsFailure()
{
    // The fixture speaks plain HTTP; an https:// base URL to it fails the TLS handshake.
    const QString https = u"https://127.0.0.1:%1"_s.arg(m_fixture.port());
    const auto result = call(doc(https), tool(u"json"_s, u"/json"_s));
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QVERIFY2(firstText(*result).startsWith(
                 u"A secure (TLS) connection to the API at %1 could not be made: "_s.arg(https)),
             qPrintable(firstText(*result)));
    QVERIFY(firstText(*result).endsWith(u". Check the base URL and the API's certificate."_s));
    const auto next = call(doc(), tool(u"json"_s, u"/json"_s));
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

void TestRestInvoker::toolTimeoutOverridesUpstream()
{
    auto d = doc();
    d.upstream.timeoutMs = 20000;
    auto t = tool(u"slow"_s, u"/delay/5000"_s);
    t.timeoutMs = 1000;
    const auto result = call(d, t);
    QVERIFY(result);
    QCOMPARE(firstText(*result), hints::timedOut(base(), 1));
    // A timed-out call is not retried (it may have done its work): one request only.
    QCOMPARE(m_fixture.requests().size(), 1);
    const auto next = call(d, tool(u"json"_s, u"/json"_s));
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

void TestRestInvoker::hostNotFound()
{
    // RFC 2606 reserves .invalid: it never resolves, on any network.
    const QString unknown = u"http://mcpbridge-fixture.invalid:8080/v1"_s;
    const auto result = call(doc(unknown), tool(u"json"_s, u"/json"_s), {}, nullptr, 60000);
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*result), hints::hostNotFound(u"mcpbridge-fixture.invalid"_s, unknown));
    QCOMPARE(firstText(*result),
             u"The API host \"mcpbridge-fixture.invalid\" was not found. Check the base URL "
             "http://mcpbridge-fixture.invalid:8080/v1 and the network connection."_s);
    const auto next = call(doc(), tool(u"json"_s, u"/json"_s));
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

void TestRestInvoker::responseTooLarge()
{
    // JSON is read whole (fields and maxItems need all of it); past the hard limit it is refused.
    const qint64 size = ResponseShaper::HardLimitBytes + 1024;
    const auto result
        = call(doc(), tool(u"big"_s, u"/big-json/%1"_s.arg(size)), {}, nullptr, 60000);
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*result), hints::tooLarge(ResponseShaper::HardLimitBytes));
    QCOMPARE(firstText(*result),
             u"The API's answer is larger than 16 MB, too large to pass on. Ask for fewer "
             "results, e.g. with a limit or filter argument."_s);
    const auto next = call(doc(), tool(u"json"_s, u"/json"_s));
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

void TestRestInvoker::timeout()
{
    auto d = doc();
    d.upstream.timeoutMs = 1000;
    QElapsedTimer clock;
    clock.start();
    const auto result = call(d, tool(u"slow"_s, u"/delay/5000"_s));
    QVERIFY(result);
    QVERIFY(clock.elapsed() < 4500);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*result), hints::timedOut(base(), 1));
    QVERIFY(firstText(*result).contains(u"did not answer within 1 s"_s));
    const auto next = call(doc(), tool(u"fast"_s, u"/delay/10"_s));
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

void TestRestInvoker::abortNeverCallsDone()
{
    bool called = false;
    Recorder rec;
    QPointer<PendingCall> pending
        = m_invoker->callTool(doc(), tool(u"slow"_s, u"/delay/1500"_s), {}, rec.context(),
                              [&](QJsonObject) { called = true; });
    QVERIFY(pending);
    QTRY_VERIFY_WITH_TIMEOUT(m_fixture.requests().size() == 1, 5000);
    pending->abort();
    QTest::qWait(2000);
    QVERIFY(!called);
    QVERIFY(!pending); // the call cleaned itself up
    // Aborting before anything was sent works too.
    bool early = false;
    QPointer<PendingCall> second = m_invoker->callTool(doc(), tool(u"j"_s, u"/json"_s), {}, {},
                                                       [&](QJsonObject) { early = true; });
    second->abort();
    QTest::qWait(200);
    QVERIFY(!early);
}

void TestRestInvoker::logAndProgress()
{
    Recorder rec;
    const auto result = call(doc(), tool(u"json"_s, u"/json"_s), {}, &rec);
    QVERIFY(result);
    QVERIFY2(rec.logs.size() >= 3, qPrintable(QString::number(rec.logs.size())));
    QCOMPARE(rec.logs.at(0).first, u"info"_s);
    QCOMPARE(rec.logs.at(0).second, u"GET %1/json"_s.arg(base()));
    QVERIFY(QRegularExpression(u"^200 OK after \\d+ ms, 35 bytes application/json$"_s)
                .match(rec.logs.at(1).second)
                .hasMatch());
    QCOMPARE(rec.logs.at(2),
             (std::pair{u"debug"_s, u"Shaped the response: JSON object, 2 keys"_s}));
    QCOMPARE(rec.progress, (QList<double>{1, 2, 3}));
    QCOMPARE(rec.total, 3.0);

    Recorder failing;
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const QString closed = u"http://127.0.0.1:%1"_s.arg(probe.serverPort());
    probe.close();
    QVERIFY(call(doc(closed), tool(u"json"_s, u"/json"_s), {}, &failing));
    QVERIFY(failing.logs.size() >= 3);
    QCOMPARE(failing.progress, (QList<double>{1, 2, 3}));
}

void TestRestInvoker::trafficEvent()
{
    Recorder rec;
    QVERIFY(call(doc(), tool(u"json"_s, u"/json"_s), {}, &rec));
    const auto events = m_traffic.snapshot();
    QCOMPARE(events.size(), 1);
    const auto &e = events.first();
    QVERIFY(e.kind == traffic::EventKind::Upstream);
    QVERIFY(e.direction == traffic::Direction::Outbound);
    QCOMPARE(e.relatedRpcId, u"7"_s);
    QCOMPARE(e.sessionId, u"session-1"_s);
    QCOMPARE(e.httpMethod, u"GET"_s);
    QCOMPARE(e.url, base() + u"/json"_s);
    QCOMPARE(e.httpStatus, 200);
    QCOMPARE(e.size, 35);
    QVERIFY(!e.isError);
    QVERIFY(e.durationMs >= 0);
    QVERIFY2(QRegularExpression(u"^GET /json → 200 \\(\\d+ ms\\)$"_s).match(e.summary).hasMatch(),
             qPrintable(e.summary));
    const QJsonObject body = QJsonDocument::fromJson(e.body).object();
    QCOMPARE(body.value(u"request"_s).toObject().value(u"method"_s).toString(), u"GET"_s);
    QCOMPARE(body.value(u"response"_s).toObject().value(u"status"_s).toInt(), 200);
    QCOMPARE(body.value(u"response"_s).toObject().value(u"body"_s).toString(),
             u"{\"message\":\"hello\",\"items\":[1,2,3]}"_s);
}

void TestRestInvoker::content_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("expectedText");
    QTest::addColumn<QByteArray>("expectedData");
    QTest::addColumn<QString>("mimeType");
    QTest::newRow("text") << u"/text"_s << u"text"_s << u"Hello from the fixture upstream"_s
                          << QByteArray() << QString();
    QTest::newRow("empty array") << u"/empty-array"_s << u"text"_s << hints::emptyList()
                                 << QByteArray() << QString();
    QTest::newRow("latin1") << u"/latin1"_s << u"text"_s << u"caf\u00e9"_s << QByteArray()
                            << QString();
    QTest::newRow("image") << u"/image.png"_s << u"image"_s << QString()
                           << FixtureUpstream::pngBytes() << u"image/png"_s;
    QTest::newRow("audio") << u"/audio.wav"_s << u"audio"_s << QString()
                           << FixtureUpstream::wavBytes() << u"audio/wav"_s;
}

void TestRestInvoker::content()
{
    QFETCH(QString, path);
    QFETCH(QString, type);
    QFETCH(QString, expectedText);
    QFETCH(QByteArray, expectedData);
    QFETCH(QString, mimeType);
    const auto result = call(doc(), tool(u"c"_s, path));
    QVERIFY(result);
    QVERIFY(!result->value(u"isError"_s).toBool());
    const QJsonArray content = result->value(u"content"_s).toArray();
    QCOMPARE(content.size(), 1);
    const QJsonObject block = content.first().toObject();
    QCOMPARE(block.value(u"type"_s).toString(), type);
    if (!expectedText.isNull())
        QCOMPARE(block.value(u"text"_s).toString(), expectedText);
    if (!expectedData.isEmpty()) {
        QCOMPARE(QByteArray::fromBase64(block.value(u"data"_s).toString().toLatin1()),
                 expectedData);
        QCOMPARE(block.value(u"mimeType"_s).toString(), mimeType);
    }
}

void TestRestInvoker::multipart()
{
    const auto result = call(doc(), tool(u"mixed"_s, u"/multipart"_s));
    QVERIFY(result);
    const QJsonArray content = result->value(u"content"_s).toArray();
    QCOMPARE(content.size(), 3);
    QCOMPARE(content[0].toObject().value(u"text"_s).toString(),
             u"Here is a picture and a document."_s);
    QCOMPARE(content[1].toObject().value(u"type"_s).toString(), u"image"_s);
    QCOMPARE(QByteArray::fromBase64(content[1].toObject().value(u"data"_s).toString().toLatin1()),
             FixtureUpstream::pngBytes());
    const QJsonObject resource = content[2].toObject().value(u"resource"_s).toObject();
    QCOMPARE(content[2].toObject().value(u"type"_s).toString(), u"resource"_s);
    QCOMPARE(resource.value(u"uri"_s).toString(), u"test://fixture/document"_s);
    QCOMPARE(resource.value(u"text"_s).toString(), u"An embedded document."_s);
    QCOMPARE(resource.value(u"mimeType"_s).toString(), u"text/plain"_s);
}

void TestRestInvoker::truncation()
{
    auto t = tool(u"huge"_s, u"/huge/3000000"_s);
    t.response.maxBytes = 100 * 1024;
    const auto result = call(doc(), t);
    QVERIFY(result);
    const QString text = firstText(*result);
    QVERIFY(text.startsWith(QString(100 * 1024, u'x') + u"\n\n"_s));
    QVERIFY2(text.endsWith(hints::truncated(100 * 1024, 3000000)), qPrintable(text.right(200)));
    QVERIFY(text.endsWith(u"[Response truncated: 100 KB of 2.9 MB shown. Ask for fewer results, "
                          "e.g. with a limit or filter argument.]"_s));
}

void TestRestInvoker::endlessIsCut()
{
    auto t = tool(u"endless"_s, u"/endless"_s);
    t.response.maxBytes = 20 * 1024;
    QElapsedTimer clock;
    clock.start();
    const auto result = call(doc(), t);
    QVERIFY(result);
    QVERIFY(clock.elapsed() < 5000);
    QVERIFY2(firstText(*result).endsWith(hints::truncated(20 * 1024, -1)),
             QJsonDocument(*result).toJson().left(300).constData());
}

void TestRestInvoker::outputSchema()
{
    auto t = tool(u"json"_s, u"/json"_s);
    t.outputSchema = QJsonObject{{u"type"_s, u"object"_s}};
    auto result = call(doc(), t);
    QVERIFY(result);
    QCOMPARE(result->value(u"structuredContent"_s).toObject(),
             (QJsonObject{{u"message"_s, u"hello"_s}, {u"items"_s, QJsonArray{1, 2, 3}}}));

    // A list is wrapped only when the schema has a "result" property...
    auto list = tool(u"list"_s, u"/empty-array"_s);
    list.outputSchema = QJsonObject{{u"type"_s, u"object"_s},
                                    {u"properties"_s, QJsonObject{{u"result"_s, QJsonObject{}}}}};
    result = call(doc(), list);
    QVERIFY(result);
    QCOMPARE(result->value(u"structuredContent"_s).toObject(),
             (QJsonObject{{u"result"_s, QJsonArray{}}}));
    // ...otherwise the mismatch is explained.
    list.outputSchema = QJsonObject{{u"type"_s, u"object"_s}};
    result = call(doc(), list);
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*result), hints::outputSchemaMismatch(u"array"_s));
}

void TestRestInvoker::resources()
{
    std::optional<Result<QJsonArray>> text, binary, templ;
    m_invoker->readResource(doc(), u"/static-text"_s, u"test://static-text"_s, u"text/plain"_s, {},
                            [&](Result<QJsonArray> r) { text = r; });
    m_invoker->readResource(doc(), u"/static-binary"_s, u"test://static-binary"_s, {}, {},
                            [&](Result<QJsonArray> r) { binary = r; });
    m_invoker->readResource(doc(), u"/template/12%2F3/data"_s, u"test://template/12%2F3/data"_s, {},
                            {}, [&](Result<QJsonArray> r) { templ = r; });
    QTRY_VERIFY_WITH_TIMEOUT(text && binary && templ, 10000);
    QVERIFY(*text && *binary && *templ);
    QCOMPARE(**text,
             (QJsonArray{QJsonObject{{u"uri"_s, u"test://static-text"_s},
                                     {u"mimeType"_s, u"text/plain"_s},
                                     {u"text"_s, u"This is the static text resource."_s}}}));
    const QJsonObject blob = (**binary).first().toObject();
    QCOMPARE(blob.value(u"mimeType"_s).toString(), u"image/png"_s);
    QCOMPARE(QByteArray::fromBase64(blob.value(u"blob"_s).toString().toLatin1()),
             FixtureUpstream::pngBytes());
    QCOMPARE((**templ).first().toObject().value(u"text"_s).toString(), u"Data for item 12/3"_s);
}

void TestRestInvoker::resourceErrors()
{
    std::optional<Result<QJsonArray>> missing;
    m_invoker->readResource(doc(), u"/status/404"_s, u"test://gone"_s, {}, {},
                            [&](Result<QJsonArray> r) { missing = r; });
    QTRY_VERIFY_WITH_TIMEOUT(missing.has_value(), 10000);
    QVERIFY(!*missing);
    QCOMPARE(missing->error().code, 404);
    QVERIFY2(
        missing->error().message.startsWith(
            u"Reading test://gone failed. The API answered 404 Not Found to GET /status/404."_s),
        qPrintable(missing->error().message));

    std::optional<Result<QJsonArray>> escaping;
    m_invoker->readResource(doc(), u"/../etc/passwd"_s, u"test://x"_s, {}, {},
                            [&](Result<QJsonArray> r) { escaping = r; });
    QTRY_VERIFY_WITH_TIMEOUT(escaping.has_value(), 10000);
    QVERIFY(!*escaping);
    QCOMPARE(m_fixture.requests().size(), 1); // only the 404 above reached the fixture
}

QTEST_GUILESS_MAIN(TestRestInvoker)
#include "tst_restinvoker.moc"
