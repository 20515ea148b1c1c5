// The bridge document members for calling real APIs safely: upstream.tls, retry,
// connectTimeoutMs, maxConcurrent, rateLimit and tool.timeoutMs, connectTimeoutMs,
// idempotencyKey. Read, written back (defaults left out, format stays 1) and validated with
// messages that name the member.

#include "core/bridge/documentio.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge::bridge;

class TestUpstreamSettings : public QObject
{
    Q_OBJECT

private slots:
    void readsEveryMember();
    void roundTripIsCanonical();
    void defaultsAreLeftOut();
    void wrongTypesAreNamed();
    void invalidValues_data();
    void invalidValues();
    void insecureSkipVerifyWarns();
    void keyPassphraseIsASecretName();
};

namespace {

const QByteArray Full = R"({
  "format": 1,
  "server": {
    "name": "safe"
  },
  "upstream": {
    "baseUrl": "https://api.example.com/v1",
    "auth": {
      "kind": "oauth2ClientCredentials",
      "secret": "client_secret",
      "tokenUrl": "https://auth.example.com/token",
      "clientId": "bridge",
      "scopes": ["read", "write"]
    },
    "connectTimeoutMs": 2000,
    "tls": {
      "caBundle": "/etc/ssl/company-ca.pem",
      "clientCertificate": "/etc/ssl/bridge.pem",
      "clientKey": "/etc/ssl/bridge.key",
      "clientKeySecret": "key_passphrase"
    },
    "retry": {
      "maxAttempts": 5,
      "baseDelayMs": 100,
      "maxDelayMs": 5000
    },
    "maxConcurrent": 4,
    "rateLimit": {
      "requestsPerSecond": 2.5,
      "burst": 5
    }
  },
  "tools": [
    {
      "name": "create_order",
      "description": "Creates an order.",
      "method": "POST",
      "path": "/orders",
      "confirmDestructive": true,
      "timeoutMs": 60000,
      "connectTimeoutMs": 1000,
      "idempotencyKey": true
    }
  ]
}
)";

QStringList messages(const QList<Problem> &problems, Problem::Severity severity)
{
    QStringList out;
    for (const Problem &p : problems) {
        if (p.severity == severity)
            out.append(p.pointer + u": "_s + p.message);
    }
    return out;
}

} // namespace

void TestUpstreamSettings::readsEveryMember()
{
    const LoadReport report = parseDocument(Full, u"safe.mcpbridge.json"_s);
    QVERIFY2(!report.hasErrors(), qPrintable(report.problems.value(0).toString()));
    const Upstream &up = report.document->upstream;
    QCOMPARE(up.connectTimeoutMs, 2000);
    QCOMPARE(up.tls.caBundle, u"/etc/ssl/company-ca.pem"_s);
    QCOMPARE(up.tls.clientCertificate, u"/etc/ssl/bridge.pem"_s);
    QCOMPARE(up.tls.clientKey, u"/etc/ssl/bridge.key"_s);
    QCOMPARE(up.tls.clientKeySecret, u"key_passphrase"_s);
    QCOMPARE(up.tls.insecureSkipVerify, false);
    QCOMPARE(up.retry.maxAttempts, 5);
    QCOMPARE(up.retry.baseDelayMs, 100);
    QCOMPARE(up.retry.maxDelayMs, 5000);
    QCOMPARE(up.maxConcurrent, 4);
    QCOMPARE(up.rateLimit.requestsPerSecond, 2.5);
    QCOMPARE(up.rateLimit.burst, 5);
    const Tool &t = report.document->tools.first();
    QCOMPARE(t.timeoutMs, 60000);
    QCOMPARE(t.connectTimeoutMs, 1000);
    QVERIFY(t.idempotencyKey);
    QVERIFY(t.confirmDestructive);
    QVERIFY(messages(validateDocument(*report.document), Problem::Severity::Error).isEmpty());
}

void TestUpstreamSettings::roundTripIsCanonical()
{
    const LoadReport report = parseDocument(Full);
    QVERIFY(report.document);
    QCOMPARE(QString::fromUtf8(serializeDocument(*report.document)), QString::fromUtf8(Full));
}

void TestUpstreamSettings::defaultsAreLeftOut()
{
    BridgeDocument d;
    d.server.name = u"plain"_s;
    d.upstream.baseUrl = u"https://api.example.com"_s;
    const QByteArray text = serializeDocument(d);
    for (const char *member : {"tls", "retry", "connectTimeoutMs", "maxConcurrent", "rateLimit",
                               "idempotencyKey", "insecureSkipVerify"})
        QVERIFY2(!text.contains(member), member);
    QVERIFY(text.startsWith("{\n  \"format\": 1,"));
    // A default read back is the same document.
    QCOMPARE(parseDocument(text).document.value(), d);
}

void TestUpstreamSettings::wrongTypesAreNamed()
{
    const LoadReport report = parseDocument(R"({"format": 1, "server": {"name": "x"},
        "upstream": {"baseUrl": "https://a.example", "tls": {"insecureSkipVerify": "yes"},
                     "retry": {"maxAttempts": 2.5}, "rateLimit": {"requestsPerSecond": "fast"}},
        "tools": [{"name": "t", "path": "/t", "idempotencyKey": 1}]})");
    const QStringList errors = messages(report.problems, Problem::Severity::Error);
    QVERIFY2(errors.contains(
                 u"/upstream/tls/insecureSkipVerify: expected true or false, found a string"_s),
             qPrintable(errors.join(u'\n')));
    QVERIFY2(errors.contains(u"/upstream/retry/maxAttempts: expected a whole number, found 2.5"_s),
             qPrintable(errors.join(u'\n')));
    QVERIFY2(errors.contains(
                 u"/upstream/rateLimit/requestsPerSecond: expected a number, found a string"_s),
             qPrintable(errors.join(u'\n')));
    QVERIFY2(errors.contains(u"/tools/0/idempotencyKey: expected true or false, found a number"_s),
             qPrintable(errors.join(u'\n')));
}

void TestUpstreamSettings::invalidValues_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("message");
    QTest::newRow("connect timeout") << u"/upstream/connectTimeoutMs"_s
                                     << u"must be a positive number of milliseconds, found 0"_s;
    QTest::newRow("attempts") << u"/upstream/retry/maxAttempts"_s
                              << u"must be 1 (no retries) to 10, found 0"_s;
    QTest::newRow("max delay")
        << u"/upstream/retry/maxDelayMs"_s
        << u"must be at least baseDelayMs (250) and at most 300000 milliseconds, found 100"_s;
    QTest::newRow("concurrency") << u"/upstream/maxConcurrent"_s
                                 << u"must be 0 (no cap) or a positive number of calls, found -1"_s;
    QTest::newRow("rate") << u"/upstream/rateLimit/requestsPerSecond"_s
                          << u"must be 0 (no limit) or a positive number, found -2"_s;
    QTest::newRow("burst") << u"/upstream/rateLimit/burst"_s
                           << u"must be at least 1 call, found 0"_s;
    QTest::newRow("key without certificate")
        << u"/upstream/tls/clientCertificate"_s
        << u"missing: a client certificate needs both clientCertificate and clientKey (PEM files)"_s;
    QTest::newRow("tool timeout")
        << u"/tools/0/timeoutMs"_s
        << u"must be a positive number of milliseconds (or left out), found -5"_s;
}

void TestUpstreamSettings::invalidValues()
{
    QFETCH(QString, pointer);
    QFETCH(QString, message);
    BridgeDocument d;
    d.server.name = u"bad"_s;
    d.upstream.baseUrl = u"https://api.example.com"_s;
    Tool t;
    t.name = u"t"_s;
    t.description = u"A tool."_s;
    t.path = u"/t"_s;
    d.tools = {t};
    if (pointer == u"/upstream/connectTimeoutMs")
        d.upstream.connectTimeoutMs = 0;
    else if (pointer == u"/upstream/retry/maxAttempts")
        d.upstream.retry.maxAttempts = 0;
    else if (pointer == u"/upstream/retry/maxDelayMs")
        d.upstream.retry.maxDelayMs = 100;
    else if (pointer == u"/upstream/maxConcurrent")
        d.upstream.maxConcurrent = -1;
    else if (pointer == u"/upstream/rateLimit/requestsPerSecond")
        d.upstream.rateLimit.requestsPerSecond = -2;
    else if (pointer == u"/upstream/rateLimit/burst")
        d.upstream.rateLimit.burst = 0;
    else if (pointer == u"/upstream/tls/clientCertificate")
        d.upstream.tls.clientKey = u"/k.pem"_s;
    else if (pointer == u"/tools/0/timeoutMs")
        d.tools[0].timeoutMs = -5;
    const QStringList errors = messages(validateDocument(d), Problem::Severity::Error);
    QCOMPARE(errors, QStringList{pointer + u": "_s + message});
}

void TestUpstreamSettings::insecureSkipVerifyWarns()
{
    BridgeDocument d;
    d.server.name = u"insecure"_s;
    d.upstream.baseUrl = u"https://api.example.com"_s;
    d.upstream.tls.insecureSkipVerify = true;
    const QList<Problem> problems = validateDocument(d);
    QVERIFY(messages(problems, Problem::Severity::Error).isEmpty());
    QCOMPARE(messages(problems, Problem::Severity::Warning),
             QStringList{u"/upstream/tls/insecureSkipVerify: the API's certificate is not "
                         "checked: anyone on the network path can read and change the calls, "
                         "credentials included. Use caBundle instead"_s});
    QVERIFY(serializeDocument(d).contains("\"insecureSkipVerify\": true"));
}

void TestUpstreamSettings::keyPassphraseIsASecretName()
{
    BridgeDocument d;
    d.server.name = u"mtls"_s;
    d.upstream.baseUrl = u"https://api.example.com"_s;
    d.upstream.tls.clientCertificate = u"/c.pem"_s;
    d.upstream.tls.clientKey = u"/k.pem"_s;
    d.upstream.tls.clientKeySecret = u"key_pass"_s;
    // Listed with the document's secrets, so the studio and `mcpbridge secret status` ask for it.
    QVERIFY(d.secretNames().contains(u"key_pass"_s));
    d.upstream.tls.clientKeySecret = u"not a name!"_s;
    QCOMPARE(messages(validateDocument(d), Problem::Severity::Error),
             QStringList{u"/upstream/tls/clientKeySecret: \"not a name!\" is not a secret name; "
                         "use letters, digits, \"_\", \".\" and \"-\""_s});
}

QTEST_GUILESS_MAIN(TestUpstreamSettings)
#include "tst_upstreamsettings.moc"
