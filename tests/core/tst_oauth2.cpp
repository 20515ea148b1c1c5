// OAuth 2 client credentials against the fixture's token endpoint: the token request (form,
// HTTP Basic client authentication, scopes), caching until shortly before expiry, one fetch
// shared by concurrent calls, one refresh and retry on 401, token endpoint failures as hints
// that name the secret and the token URL, and neither token nor client secret in traffic or logs.

#include "core/secrets/memorysecretstore.h"
#include "core/traffic/trafficlog.h"
#include "core/upstream/errorhints.h"
#include "core/upstream/restinvoker.h"
#include "tests/fixtures/fixturedocuments.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using mcpbridge::tests::firstText;
using namespace mcpbridge;
using namespace mcpbridge::upstream;
using mcpbridge::fixtures::FixtureUpstream;
using mcpbridge::fixtures::RecordedRequest;

namespace {

const QString ClientSecret = u"client-s3cret/with+odd&chars"_s;

} // namespace

class TestOAuth2 : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void tokenRequestAndBearer();
    void tokenIsCached();
    void concurrentCallsShareOneFetch();
    void expiredTokenIsRenewed();
    void revokedTokenRefreshesOnceAndRetries();
    void persistent401IsNotLooped();
    void wrongClientSecretHint();
    void unreachableTokenEndpointHint();
    void tokenAndSecretNeverInTrafficOrLogs();

private:
    bridge::BridgeDocument doc(const QString &bridgeName = u"oauth"_s) const;
    std::optional<QJsonObject> call(const bridge::BridgeDocument &d, QStringList *logs = nullptr);
    QList<RecordedRequest> requestsTo(const QString &path) const;

    FixtureUpstream m_fixture;
    secrets::MemorySecretStore m_secrets;
    traffic::TrafficLog m_traffic;
    std::unique_ptr<RestInvoker> m_invoker;
    QStringList m_logs;
};

void TestOAuth2::initTestCase()
{
    QVERIFY(m_fixture.listen());
    m_fixture.setOAuthClient(u"mcp-client"_s, ClientSecret);
    m_invoker = std::make_unique<RestInvoker>(&m_secrets, &m_traffic);
    for (const QString &bridge :
         {u"oauth"_s, u"oauth-2"_s, u"oauth-3"_s, u"oauth-4"_s, u"oauth-5"_s, u"oauth-6"_s})
        m_secrets.set(bridge, u"client_secret"_s, ClientSecret);
    m_secrets.set(u"wrong"_s, u"client_secret"_s, u"not-the-secret"_s);
}

void TestOAuth2::init()
{
    m_fixture.clearRequests();
    m_fixture.setOAuthTokenLifetime(3600);
    m_traffic.clear();
    m_logs.clear();
}

bridge::BridgeDocument TestOAuth2::doc(const QString &bridgeName) const
{
    bridge::BridgeDocument d;
    d.server.name = bridgeName;
    d.upstream.baseUrl = m_fixture.baseUrl().toString();
    d.upstream.timeoutMs = 10000;
    d.upstream.auth.kind = u"oauth2ClientCredentials"_s;
    d.upstream.auth.tokenUrl = m_fixture.baseUrl().toString() + u"/oauth/token"_s;
    d.upstream.auth.clientId = u"mcp-client"_s;
    d.upstream.auth.secret = u"client_secret"_s;
    d.upstream.auth.scopes = {u"read:items"_s, u"write:items"_s};
    bridge::Tool t;
    t.name = u"protected"_s;
    t.path = u"/auth/oauth"_s;
    d.tools = {t};
    return d;
}

std::optional<QJsonObject> TestOAuth2::call(const bridge::BridgeDocument &d, QStringList *logs)
{
    std::optional<QJsonObject> out;
    CallContext context;
    context.log = [this, logs](const QString &level, const QString &message) {
        m_logs.append(level + u": "_s + message);
        if (logs)
            logs->append(message);
    };
    m_invoker->callTool(d, d.tools.first(), {}, context, [&](QJsonObject r) { out = r; });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 15000))
        return std::nullopt;
    return out;
}

QList<RecordedRequest> TestOAuth2::requestsTo(const QString &path) const
{
    QList<RecordedRequest> out;
    const auto all = m_fixture.requests();
    for (const RecordedRequest &r : all) {
        if (r.path == path)
            out.append(r);
    }
    return out;
}

void TestOAuth2::tokenRequestAndBearer()
{
    const int before = m_fixture.oauthTokensIssued();
    const auto result = call(doc());
    QVERIFY(result);
    QVERIFY2(!result->value(u"isError"_s).toBool(), qPrintable(firstText(*result)));
    QCOMPARE(QJsonDocument::fromJson(firstText(*result).toUtf8()).object(),
             (QJsonObject{{u"ok"_s, true}}));
    QCOMPARE(m_fixture.oauthTokensIssued(), before + 1);

    const auto tokenRequests = requestsTo(u"/oauth/token"_s);
    QCOMPARE(tokenRequests.size(), 1);
    const RecordedRequest &tr = tokenRequests.first();
    QCOMPARE(tr.method, QByteArray("POST"));
    QCOMPARE(tr.header("content-type"), QByteArray("application/x-www-form-urlencoded"));
    QCOMPARE(m_fixture.lastOAuthForm(),
             (QList<std::pair<QString, QString>>{{u"grant_type"_s, u"client_credentials"_s},
                                                 {u"scope"_s, u"read:items write:items"_s}}));
    // The client secret travels only in the Basic header of the token request, form-encoded.
    QVERIFY(!tr.body.contains("s3cret"));
    QVERIFY(tr.header("authorization").startsWith("Basic "));

    const auto api = requestsTo(u"/auth/oauth"_s);
    QCOMPARE(api.size(), 1);
    QVERIFY(api.first().header("authorization").startsWith("Bearer fixture-access-"));
}

void TestOAuth2::tokenIsCached()
{
    const auto d = doc(u"oauth-2"_s);
    const int before = m_fixture.oauthTokensIssued();
    for (int i = 0; i < 3; ++i) {
        const auto result = call(d);
        QVERIFY(result && !result->value(u"isError"_s).toBool());
    }
    QCOMPARE(m_fixture.oauthTokensIssued(), before + 1);
    const auto api = requestsTo(u"/auth/oauth"_s);
    QCOMPARE(api.size(), 3);
    QCOMPARE(api[0].header("authorization"), api[2].header("authorization"));
}

void TestOAuth2::concurrentCallsShareOneFetch()
{
    const auto d = doc(u"oauth-3"_s);
    const int before = m_fixture.oauthTokensIssued();
    int ok = 0;
    for (int i = 0; i < 5; ++i) {
        m_invoker->callTool(d, d.tools.first(), {}, {}, [&](QJsonObject r) {
            if (!r.value(u"isError"_s).toBool())
                ++ok;
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(ok, 5, 15000);
    QCOMPARE(m_fixture.oauthTokensIssued(), before + 1);
    QCOMPARE(requestsTo(u"/oauth/token"_s).size(), 1);
}

void TestOAuth2::expiredTokenIsRenewed()
{
    m_fixture.setOAuthTokenLifetime(1);
    const auto d = doc(u"oauth-4"_s);
    const int before = m_fixture.oauthTokensIssued();
    QVERIFY(call(d));
    // Used until shortly before it expires (a tenth of its life), then fetched anew rather than
    // sent and refused.
    QTest::qWait(1100);
    const auto result = call(d);
    QVERIFY(result && !result->value(u"isError"_s).toBool());
    QCOMPARE(m_fixture.oauthTokensIssued(), before + 2);
    QCOMPARE(requestsTo(u"/auth/oauth"_s).size(), 2); // no 401 round trip
}

void TestOAuth2::revokedTokenRefreshesOnceAndRetries()
{
    const auto d = doc(u"oauth-5"_s);
    QVERIFY(call(d));
    m_fixture.clearRequests();
    m_fixture.revokeOAuthTokens();
    const int before = m_fixture.oauthTokensIssued();
    QStringList logs;
    const auto result = call(d, &logs);
    QVERIFY(result);
    QVERIFY2(!result->value(u"isError"_s).toBool(), qPrintable(firstText(*result)));
    QCOMPARE(m_fixture.oauthTokensIssued(), before + 1);
    const auto api = requestsTo(u"/auth/oauth"_s);
    QCOMPARE(api.size(), 2);
    QVERIFY(api[0].header("authorization") != api[1].header("authorization"));
    QVERIFY(logs.contains(u"The API rejected the OAuth 2 access token (401); getting a new one "
                          "and trying once more."_s));
}

void TestOAuth2::persistent401IsNotLooped()
{
    // The API refuses every token: one refresh, one retry, then the 401 hint.
    auto d = doc(u"oauth-6"_s);
    d.tools[0].path = u"/status/401"_s;
    const int before = m_fixture.oauthTokensIssued();
    const auto result = call(d);
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QVERIFY(firstText(*result).contains(hints::credentialsRejected(401, u"client_secret"_s)));
    QCOMPARE(requestsTo(u"/status/401"_s).size(), 2);
    QCOMPARE(m_fixture.oauthTokensIssued(), before + 2);
}

void TestOAuth2::wrongClientSecretHint()
{
    const auto d = doc(u"wrong"_s);
    const auto result = call(d);
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    const QString tokenUrl = d.upstream.auth.tokenUrl;
    QCOMPARE(firstText(*result),
             hints::tokenFailed(tokenUrl, u"client_secret"_s,
                                u"it answered HTTP 401, invalid_client (Client authentication "
                                "failed.)"_s));
    QCOMPARE(firstText(*result),
             u"The bridge could not get an OAuth 2 access token from %1: it answered HTTP 401, "
             "invalid_client (Client authentication failed.). Check the client id and the client "
             "secret \"client_secret\" (store it in the keychain with `mcpbridge secret set`, or "
             "set the environment variable MCPBRIDGE_SECRET_CLIENT_SECRET), and the scopes."_s.arg(
                 tokenUrl));
    QVERIFY(requestsTo(u"/auth/oauth"_s).isEmpty()); // the API was never called
    // The server keeps serving.
    const auto next = call(doc());
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

void TestOAuth2::unreachableTokenEndpointHint()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const QString tokenUrl = u"http://127.0.0.1:%1/oauth/token"_s.arg(probe.serverPort());
    probe.close();
    auto d = doc(u"oauth-unreachable"_s);
    m_secrets.set(u"oauth-unreachable"_s, u"client_secret"_s, ClientSecret);
    d.upstream.auth.tokenUrl = tokenUrl;
    const auto result = call(d);
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*result),
             hints::tokenFailed(tokenUrl, u"client_secret"_s,
                                u"it could not be reached (Connection refused)"_s));
}

void TestOAuth2::tokenAndSecretNeverInTrafficOrLogs()
{
    const auto d = doc(u"oauth-leak"_s);
    m_secrets.set(u"oauth-leak"_s, u"client_secret"_s, ClientSecret);
    QVERIFY(call(d));
    m_fixture.revokeOAuthTokens();
    QVERIFY(call(d)); // a refresh as well
    QStringList tokens;
    const auto api = requestsTo(u"/auth/oauth"_s);
    for (const RecordedRequest &r : api)
        tokens.append(QString::fromUtf8(r.header("authorization").mid(7)));
    QCOMPARE(tokens.size(), 3);
    QStringList forbidden = tokens;
    forbidden << ClientSecret << QString::fromLatin1(ClientSecret.toUtf8().toPercentEncoding())
              << QString::fromLatin1(ClientSecret.toUtf8().toBase64());
    QByteArray everything = m_logs.join(u'\n').toUtf8();
    const auto events = m_traffic.snapshot();
    QVERIFY(!events.isEmpty());
    for (const auto &event : events)
        everything += QJsonDocument(event.toJson()).toJson() + '\n';
    for (const QString &secret : std::as_const(forbidden))
        QVERIFY2(!everything.contains(secret.toUtf8()), qPrintable(secret));
}

QTEST_GUILESS_MAIN(TestOAuth2)
#include "tst_oauth2.moc"
