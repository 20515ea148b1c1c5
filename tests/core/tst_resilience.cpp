// Resilience of upstream calls: the retry policy (idempotent methods, retryable statuses,
// Retry-After in seconds or as a date, backoff with full jitter), retries end to end against the
// fixture upstream, Idempotency-Key, the connect timeout, the per-upstream concurrency cap and
// token-bucket rate limit (calls wait, they do not fail) and cancelling queued or backing-off
// calls.

#include "core/secrets/memorysecretstore.h"
#include "core/traffic/trafficlog.h"
#include "core/upstream/errorhints.h"
#include "core/upstream/restinvoker.h"
#include "core/upstream/retrypolicy.h"
#include "core/upstream/upstreamgate.h"
#include "tests/fixtures/fixturedocuments.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>
#include <QUuid>

#include <optional>

using namespace Qt::StringLiterals;
using mcpbridge::tests::firstText;
using mcpbridge::tests::tool;
using namespace mcpbridge;
using namespace mcpbridge::upstream;
using mcpbridge::fixtures::FixtureUpstream;
using mcpbridge::fixtures::RecordedRequest;

namespace {

QJsonObject bodyOf(const QJsonObject &result)
{
    return QJsonDocument::fromJson(firstText(result).toUtf8()).object();
}

struct Logs
{
    QList<std::pair<QString, QString>> lines;
    CallContext context()
    {
        CallContext c;
        c.rpcId = u"1"_s;
        c.log = [this](const QString &level, const QString &m) { lines.append({level, m}); };
        return c;
    }
    QStringList matching(const QString &level, const QString &start) const
    {
        QStringList out;
        for (const auto &[l, m] : lines) {
            if (l == level && m.startsWith(start))
                out.append(m);
        }
        return out;
    }
};

} // namespace

class TestResilience : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void idempotentMethods_data();
    void idempotentMethods();
    void retryableStatuses();
    void retryAfterParsing_data();
    void retryAfterParsing();
    void backoffHasFullJitterAndCap();
    void nextDelayStopsWhenUsedUpOrTooLong();

    void getRetriedOn503ThenSucceeds();
    void connectionResetRetried();
    void retryAfterHonoured();
    void retryAfterTooLongIsNotWaitedFor();
    void postIsNotRetried();
    void postWithIdempotencyKeyIsRetriedWithTheSameKey();
    void connectTimeoutIsSeparate();

    void gateQueuesOverTheRateWithAnInjectedClock();
    void gateCapsConcurrency();
    void concurrencyCapEndToEnd();
    void rateLimitEndToEnd();
    void abortWhileQueued();
    void abortDuringBackoff();

private:
    bridge::BridgeDocument doc() const;
    std::optional<QJsonObject> call(const bridge::BridgeDocument &d, const bridge::Tool &t,
                                    Logs *logs = nullptr, int timeoutMs = 20000);
    QList<RecordedRequest> requestsTo(const QString &prefix) const;

    FixtureUpstream m_fixture;
    secrets::MemorySecretStore m_secrets;
    traffic::TrafficLog m_traffic;
    std::unique_ptr<RestInvoker> m_invoker;
    QList<qint64> m_arrivals; // ms since the test started, per request received
    QElapsedTimer m_clock;
};

void TestResilience::initTestCase()
{
    QVERIFY(m_fixture.listen());
    m_invoker = std::make_unique<RestInvoker>(&m_secrets, &m_traffic);
    // Mid-range jitter: backoffs are predictable and short.
    m_invoker->setRandomSource([] { return 0.5; });
    m_clock.start();
    connect(&m_fixture, &FixtureUpstream::requestReceived, this,
            [this](const RecordedRequest &) { m_arrivals.append(m_clock.elapsed()); });
}

void TestResilience::init()
{
    m_fixture.clearRequests();
    m_traffic.clear();
    m_arrivals.clear();
}

bridge::BridgeDocument TestResilience::doc() const
{
    bridge::BridgeDocument d;
    d.server.name = u"resilience"_s;
    d.upstream.baseUrl = m_fixture.baseUrl().toString();
    d.upstream.timeoutMs = 10000;
    d.upstream.retry.baseDelayMs = 20;
    d.upstream.retry.maxDelayMs = 2000;
    return d;
}

std::optional<QJsonObject> TestResilience::call(const bridge::BridgeDocument &d,
                                                const bridge::Tool &t, Logs *logs, int timeoutMs)
{
    std::optional<QJsonObject> out;
    Logs local;
    Logs *l = logs ? logs : &local;
    m_invoker->callTool(d, t, {}, l->context(), [&](QJsonObject result) { out = result; });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, timeoutMs))
        return std::nullopt;
    return out;
}

QList<RecordedRequest> TestResilience::requestsTo(const QString &prefix) const
{
    QList<RecordedRequest> out;
    const auto all = m_fixture.requests();
    for (const RecordedRequest &r : all) {
        if (r.path.startsWith(prefix))
            out.append(r);
    }
    return out;
}

// ---- the policy -----------------------------------------------------------------------------

void TestResilience::idempotentMethods_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<bool>("key");
    QTest::addColumn<bool>("idempotent");
    QTest::newRow("GET") << QByteArray("GET") << false << true;
    QTest::newRow("HEAD") << QByteArray("HEAD") << false << true;
    QTest::newRow("PUT") << QByteArray("PUT") << false << true;
    QTest::newRow("DELETE") << QByteArray("DELETE") << false << true;
    QTest::newRow("lower-case get") << QByteArray("get") << false << true;
    QTest::newRow("POST") << QByteArray("POST") << false << false;
    QTest::newRow("PATCH") << QByteArray("PATCH") << false << false;
    QTest::newRow("POST with key") << QByteArray("POST") << true << true;
    QTest::newRow("PATCH with key") << QByteArray("PATCH") << true << true;
}

void TestResilience::idempotentMethods()
{
    QFETCH(QByteArray, method);
    QFETCH(bool, key);
    QFETCH(bool, idempotent);
    QCOMPARE(retry::isIdempotent(method, key), idempotent);
}

void TestResilience::retryableStatuses()
{
    QList<int> retryable;
    for (int status = 400; status < 600; ++status) {
        if (retry::isRetryableStatus(status))
            retryable.append(status);
    }
    QCOMPARE(retryable, (QList<int>{429, 502, 503, 504}));
}

void TestResilience::retryAfterParsing_data()
{
    const QDateTime now(QDate(2025, 3, 4), QTime(10, 0, 0), Qt::UTC);
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("seconds") << QByteArray("1") << now << qint64(1000);
    QTest::newRow("zero") << QByteArray("0") << now << qint64(0);
    QTest::newRow("spaces") << QByteArray("  120 ") << now << qint64(120000);
    QTest::newRow("http date") << QByteArray("Tue, 04 Mar 2025 10:00:30 GMT") << now
                               << qint64(30000);
    QTest::newRow("date in the past")
        << QByteArray("Tue, 04 Mar 2025 09:00:00 GMT") << now << qint64(0);
    QTest::newRow("empty") << QByteArray() << now << qint64(-1);
    QTest::newRow("negative") << QByteArray("-5") << now << qint64(-1);
    QTest::newRow("words") << QByteArray("soon") << now << qint64(-1);
    QTest::newRow("fraction") << QByteArray("1.5") << now << qint64(-1);
}

void TestResilience::retryAfterParsing()
{
    QFETCH(QByteArray, value);
    QFETCH(QDateTime, now);
    QFETCH(qint64, ms);
    QCOMPARE(retry::retryAfterMs(value, now), ms);
}

void TestResilience::backoffHasFullJitterAndCap()
{
    bridge::RetryConfig config;
    config.baseDelayMs = 100;
    config.maxDelayMs = 1000;
    const auto at = [](double r) { return [r] { return r; }; };
    QCOMPARE(retry::backoffMs(config, 1, at(0.0)), 0);
    QCOMPARE(retry::backoffMs(config, 1, at(0.5)), 50);
    QCOMPARE(retry::backoffMs(config, 2, at(0.5)), 100);
    QCOMPARE(retry::backoffMs(config, 3, at(0.5)), 200);
    QCOMPARE(retry::backoffMs(config, 3, at(0.999)), 399);
    // Capped at maxDelayMs however many attempts came before.
    QCOMPARE(retry::backoffMs(config, 10, at(0.999)), 999);
    QCOMPARE(retry::backoffMs(config, 40, at(0.5)), 500);
}

void TestResilience::nextDelayStopsWhenUsedUpOrTooLong()
{
    bridge::RetryConfig config; // 3 attempts, 250 ms base, 10 s max
    const auto half = [] { return 0.5; };
    QCOMPARE(retry::nextDelayMs(config, 1, -1, half), 125);
    QCOMPARE(retry::nextDelayMs(config, 2, -1, half), 250);
    QCOMPARE(retry::nextDelayMs(config, 3, -1, half), -1);
    QCOMPARE(retry::nextDelayMs(config, 1, 4000, half), 4000); // Retry-After wins
    QCOMPARE(retry::nextDelayMs(config, 1, 60000, half), -1);  // longer than maxDelayMs
    config.maxAttempts = 1;
    QCOMPARE(retry::nextDelayMs(config, 1, -1, half), -1);
}

// ---- retries end to end ---------------------------------------------------------------------

void TestResilience::getRetriedOn503ThenSucceeds()
{
    Logs logs;
    const auto result = call(doc(), tool(u"flaky"_s, u"/flaky/get503/2"_s), &logs);
    QVERIFY(result);
    QVERIFY2(!result->value(u"isError"_s).toBool(), qPrintable(firstText(*result)));
    QCOMPARE(bodyOf(*result).value(u"attempt"_s).toInt(), 3);
    QCOMPARE(requestsTo(u"/flaky/get503"_s).size(), 3);
    // Each retry is logged at warning level, with its wait (full jitter at 0.5: 10 then 20 ms).
    QCOMPARE(logs.matching(u"warning"_s, u"Retrying"_s),
             (QStringList{hints::retrying(10, 2, 3, u"503 Service Unavailable"_s),
                          hints::retrying(20, 3, 3, u"503 Service Unavailable"_s)}));
    // Every attempt is in the traffic log.
    QCOMPARE(m_traffic.snapshot().size(), 3);
}

void TestResilience::connectionResetRetried()
{
    const auto result = call(doc(), tool(u"flaky"_s, u"/flaky/reset/1/0"_s));
    QVERIFY(result);
    QVERIFY2(!result->value(u"isError"_s).toBool(), qPrintable(firstText(*result)));
    QCOMPARE(bodyOf(*result).value(u"attempt"_s).toInt(), 2);
}

void TestResilience::retryAfterHonoured()
{
    auto d = doc();
    d.upstream.retry.maxAttempts = 2;
    Logs logs;
    const auto result = call(d, tool(u"limited"_s, u"/retry-after/1"_s), &logs);
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QVERIFY(firstText(*result).contains(u'\n' + hints::rateLimited(1) + u'\n'));
    QCOMPARE(m_arrivals.size(), 2);
    // The second request waited for the Retry-After second (a lower bound, never flaky).
    QVERIFY2(m_arrivals[1] - m_arrivals[0] >= 990,
             qPrintable(QString::number(m_arrivals[1] - m_arrivals[0])));
    QCOMPARE(logs.matching(u"warning"_s, u"Retrying"_s),
             QStringList{hints::retrying(1000, 2, 2, u"429 Too Many Requests"_s)});
    // The server keeps serving.
    const auto next = call(d, tool(u"json"_s, u"/json"_s));
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

void TestResilience::retryAfterTooLongIsNotWaitedFor()
{
    Logs logs;
    const auto result = call(doc(), tool(u"limited"_s, u"/retry-after/120"_s), &logs);
    QVERIFY(result);
    QCOMPARE(m_arrivals.size(), 1);
    QVERIFY(firstText(*result).contains(u'\n' + hints::rateLimited(120) + u'\n'));
    QVERIFY(firstText(*result).contains(u"Retry after 120 s."_s));
    QCOMPARE(logs.matching(u"info"_s, u"Not retrying"_s).size(), 1);
}

void TestResilience::postIsNotRetried()
{
    const auto result = call(doc(), tool(u"create"_s, u"/flaky/post/1"_s, u"POST"_s));
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(requestsTo(u"/flaky/post"_s).size(), 1);
    QVERIFY(!requestsTo(u"/flaky/post"_s).first().hasHeader("Idempotency-Key"));
}

void TestResilience::postWithIdempotencyKeyIsRetriedWithTheSameKey()
{
    auto t = tool(u"create"_s, u"/flaky/postkey/2/502"_s, u"POST"_s);
    t.idempotencyKey = true;
    const auto result = call(doc(), t);
    QVERIFY(result);
    QVERIFY2(!result->value(u"isError"_s).toBool(), qPrintable(firstText(*result)));
    const auto requests = requestsTo(u"/flaky/postkey"_s);
    QCOMPARE(requests.size(), 3);
    const QByteArray key = requests.first().header("Idempotency-Key");
    QVERIFY(!QUuid::fromString(QString::fromLatin1(key)).isNull());
    for (const RecordedRequest &r : requests)
        QCOMPARE(r.header("Idempotency-Key"), key);

    // A new call is a new operation: a new key.
    auto again = tool(u"create"_s, u"/echo/again"_s, u"POST"_s);
    again.idempotencyKey = true;
    QVERIFY(call(doc(), again));
    const QByteArray second = m_fixture.lastRequest().header("Idempotency-Key");
    QVERIFY(!second.isEmpty());
    QVERIFY(second != key);
}

void TestResilience::connectTimeoutIsSeparate()
{
    // Accepts TCP (the kernel does) but never speaks TLS: the handshake never completes.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    const QString base = u"https://127.0.0.1:%1"_s.arg(silent.serverPort());
    auto d = doc();
    d.upstream.baseUrl = base;
    d.upstream.timeoutMs = 20000;
    d.upstream.connectTimeoutMs = 300;
    d.upstream.retry.maxAttempts = 2;
    Logs logs;
    const auto result = call(d, tool(u"json"_s, u"/json"_s), &logs, 15000);
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*result), hints::connectTimedOut(base, 1));
    QCOMPARE(firstText(*result),
             u"The API at %1 could not be connected to within 1 s. Check the base URL and the "
             "network (a firewall or VPN may block it), or raise connectTimeoutMs."_s.arg(base));
    // A connection that never opened is safe to try again.
    QCOMPARE(logs.matching(u"warning"_s, u"Retrying"_s).size(), 1);
    const auto next = call(doc(), tool(u"json"_s, u"/json"_s));
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

// ---- the gate -------------------------------------------------------------------------------

void TestResilience::gateQueuesOverTheRateWithAnInjectedClock()
{
    UpstreamGate gate;
    qint64 now = 1000;
    gate.setClock([&now] { return now; });
    gate.configure(0, 10, 2); // 10 per second, bursts of 2
    int ran = 0;
    for (int i = 0; i < 4; ++i)
        gate.acquire([&ran] { ++ran; });
    QCOMPARE(ran, 2); // the burst
    QCOMPARE(gate.waiting(), 2);
    // Time stands still: the timer fires, the bucket is still empty, nobody runs.
    QTest::qWait(250);
    QCOMPARE(ran, 2);
    now += 100; // one token
    QTRY_COMPARE_WITH_TIMEOUT(ran, 3, 2000);
    QCOMPARE(gate.waiting(), 1);
    now += 1000; // the bucket holds at most `burst`
    QTRY_COMPARE_WITH_TIMEOUT(ran, 4, 2000);
    QCOMPARE(gate.waiting(), 0);
}

void TestResilience::gateCapsConcurrency()
{
    UpstreamGate gate;
    gate.configure(2, 0, 1);
    int ran = 0;
    QList<quint64> tickets;
    for (int i = 0; i < 5; ++i)
        tickets.append(gate.acquire([&ran] { ++ran; }));
    QCOMPARE(ran, 2);
    QCOMPARE(gate.inFlight(), 2);
    gate.cancel(tickets[2]); // an aborted call leaves the queue
    gate.release();
    QTRY_COMPARE_WITH_TIMEOUT(ran, 3, 2000);
    QCOMPARE(gate.waiting(), 1);
    gate.release();
    QTRY_COMPARE_WITH_TIMEOUT(ran, 4, 2000);
    QCOMPARE(gate.waiting(), 0);
    QCOMPARE(gate.inFlight(), 2);
}

void TestResilience::concurrencyCapEndToEnd()
{
    auto d = doc();
    d.upstream.maxConcurrent = 1;
    int done = 0;
    int errors = 0;
    for (int i = 0; i < 3; ++i) {
        m_invoker->callTool(d, tool(u"slow"_s, u"/delay/150"_s), {}, {}, [&](QJsonObject r) {
            ++done;
            errors += r.value(u"isError"_s).toBool() ? 1 : 0;
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(done, 3, 15000);
    QCOMPARE(errors, 0); // queued, not failed
    QCOMPARE(m_arrivals.size(), 3);
    // One at a time: each request arrives only after the previous answer (150 ms later).
    QVERIFY2(m_arrivals[1] - m_arrivals[0] >= 145,
             qPrintable(QString::number(m_arrivals[1] - m_arrivals[0])));
    QVERIFY2(m_arrivals[2] - m_arrivals[1] >= 145,
             qPrintable(QString::number(m_arrivals[2] - m_arrivals[1])));
}

void TestResilience::rateLimitEndToEnd()
{
    auto d = doc();
    d.upstream.rateLimit.requestsPerSecond = 20; // one per 50 ms
    d.upstream.rateLimit.burst = 1;
    d.server.name = u"rate-limited"_s; // a fresh bucket
    int done = 0;
    for (int i = 0; i < 4; ++i)
        m_invoker->callTool(d, tool(u"json"_s, u"/json"_s), {}, {}, [&](QJsonObject r) {
            if (!r.value(u"isError"_s).toBool())
                ++done;
        });
    QTRY_COMPARE_WITH_TIMEOUT(done, 4, 15000);
    QCOMPARE(m_arrivals.size(), 4);
    // Four requests need at least three refills of 50 ms.
    QVERIFY2(m_arrivals[3] - m_arrivals[0] >= 140,
             qPrintable(QString::number(m_arrivals[3] - m_arrivals[0])));
}

void TestResilience::abortWhileQueued()
{
    auto d = doc();
    d.server.name = u"queue"_s;
    d.upstream.maxConcurrent = 1;
    bool firstDone = false;
    bool secondDone = false;
    m_invoker->callTool(d, tool(u"slow"_s, u"/delay/300"_s), {}, {},
                        [&](QJsonObject) { firstDone = true; });
    PendingCall *queued = m_invoker->callTool(d, tool(u"json"_s, u"/json"_s), {}, {},
                                              [&](QJsonObject) { secondDone = true; });
    QTRY_COMPARE_WITH_TIMEOUT(m_arrivals.size(), 1, 5000);
    queued->abort();
    QTRY_VERIFY_WITH_TIMEOUT(firstDone, 5000);
    QTest::qWait(100);
    QVERIFY(!secondDone);
    QVERIFY(requestsTo(u"/json"_s).isEmpty());
    // The slot was handed on: the next call runs.
    const auto next = call(d, tool(u"json"_s, u"/json"_s));
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

void TestResilience::abortDuringBackoff()
{
    auto d = doc();
    d.upstream.retry.baseDelayMs = 400; // jitter 0.5: the retry would come after 200 ms
    Logs logs;
    bool done = false;
    PendingCall *pending = m_invoker->callTool(d, tool(u"flaky"_s, u"/flaky/abort/5"_s), {},
                                               logs.context(), [&](QJsonObject) { done = true; });
    QTRY_COMPARE_WITH_TIMEOUT(logs.matching(u"warning"_s, u"Retrying"_s).size(), 1, 5000);
    pending->abort();
    QTest::qWait(600);
    QVERIFY(!done);
    QCOMPARE(requestsTo(u"/flaky/abort"_s).size(), 1);
}

QTEST_GUILESS_MAIN(TestResilience)
#include "tst_resilience.moc"
