// TLS to the upstream: a throwaway CA, server and client certificates made with `openssl` when
// the test starts, and the fixture upstream serving HTTPS (and requiring a client certificate
// for mutual TLS). Unknown CA -> the TLS hint; caBundle -> success; mTLS without and with a
// client certificate (also a passphrase-protected key); insecureSkipVerify -> success plus a
// warning on every call; unreadable TLS files -> a hint naming the file.

#include "core/secrets/memorysecretstore.h"
#include "core/traffic/trafficlog.h"
#include "core/upstream/errorhints.h"
#include "core/upstream/restinvoker.h"
#include "tests/fixtures/fixturedocuments.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QSslKey>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using mcpbridge::tests::firstText;
using namespace mcpbridge;
using namespace mcpbridge::upstream;
using mcpbridge::fixtures::FixtureUpstream;

namespace {

const QString KeyPassphrase = u"key-pass-phrase"_s;

} // namespace

class TestUpstreamTls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void unknownCaFails();
    void caBundleSucceeds();
    void clientCertificateRequired();
    void clientCertificateAccepted();
    void encryptedClientKeyWithPassphraseSecret();
    void insecureSkipVerifyWarnsOnEveryCall();
    void unreadableTlsFiles_data();
    void unreadableTlsFiles();

private:
    bool openssl(const QStringList &arguments);
    QString file(const QString &name) const { return m_dir.filePath(name); }
    QSslConfiguration serverConfig(bool requireClientCertificate) const;
    bridge::BridgeDocument doc(const FixtureUpstream &server) const;
    std::optional<QJsonObject> call(const bridge::BridgeDocument &d,
                                    QList<std::pair<QString, QString>> *logs = nullptr);

    QTemporaryDir m_dir;
    FixtureUpstream m_tls;  // HTTPS
    FixtureUpstream m_mtls; // HTTPS requiring a client certificate
    secrets::MemorySecretStore m_secrets;
    traffic::TrafficLog m_traffic;
    std::unique_ptr<RestInvoker> m_invoker;
};

bool TestUpstreamTls::openssl(const QStringList &arguments)
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(u"openssl"_s, arguments);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning().noquote() << "openssl" << arguments.join(u' ')
                             << "failed:" << p.readAllStandardError();
        return false;
    }
    return true;
}

void TestUpstreamTls::initTestCase()
{
    if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
        QFAIL("the openssl command is needed to make the test certificates; install openssl");
    QVERIFY(m_dir.isValid());
    const QStringList ec
        = {u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s};
    QVERIFY(openssl(QStringList{u"req"_s, u"-x509"_s} + ec
                    + QStringList{u"-keyout"_s, u"ca.key"_s, u"-out"_s, u"ca.pem"_s, u"-days"_s,
                                  u"2"_s, u"-subj"_s, u"/CN=McpBridge Test CA"_s}));
    {
        QFile ext(file(u"server.ext"_s));
        QVERIFY(ext.open(QIODevice::WriteOnly));
        ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    }
    {
        QFile ext(file(u"client.ext"_s));
        QVERIFY(ext.open(QIODevice::WriteOnly));
        ext.write("extendedKeyUsage=clientAuth\n");
    }
    for (const QString &who : {u"server"_s, u"client"_s}) {
        QVERIFY(openssl(QStringList{u"req"_s} + ec
                        + QStringList{u"-keyout"_s, who + u".key"_s, u"-out"_s, who + u".csr"_s,
                                      u"-subj"_s, u"/CN=mcpbridge-test-"_s + who}));
        QVERIFY(openssl({u"x509"_s, u"-req"_s, u"-in"_s, who + u".csr"_s, u"-CA"_s, u"ca.pem"_s,
                         u"-CAkey"_s, u"ca.key"_s, u"-CAcreateserial"_s, u"-out"_s, who + u".pem"_s,
                         u"-days"_s, u"2"_s, u"-extfile"_s, who + u".ext"_s}));
    }
    QVERIFY(openssl({u"pkey"_s, u"-in"_s, u"client.key"_s, u"-aes256"_s, u"-passout"_s,
                     u"pass:"_s + KeyPassphrase, u"-out"_s, u"client-encrypted.key"_s}));

    m_tls.setTlsConfiguration(serverConfig(false));
    m_mtls.setTlsConfiguration(serverConfig(true));
    QVERIFY(m_tls.listen());
    QVERIFY(m_mtls.listen());
    QCOMPARE(m_tls.baseUrl().scheme(), u"https"_s);
    m_invoker = std::make_unique<RestInvoker>(&m_secrets, &m_traffic);
    m_secrets.set(u"tls"_s, u"key_passphrase"_s, KeyPassphrase);
}

void TestUpstreamTls::init()
{
    m_tls.clearRequests();
    m_mtls.clearRequests();
}

QSslConfiguration TestUpstreamTls::serverConfig(bool requireClientCertificate) const
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    QFile cert(file(u"server.pem"_s));
    QFile key(file(u"server.key"_s));
    cert.open(QIODevice::ReadOnly);
    key.open(QIODevice::ReadOnly);
    config.setLocalCertificate(QSslCertificate(cert.readAll(), QSsl::Pem));
    config.setPrivateKey(QSslKey(key.readAll(), QSsl::Ec, QSsl::Pem));
    if (requireClientCertificate) {
        config.setCaCertificates(QSslCertificate::fromPath(file(u"ca.pem"_s)));
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    return config;
}

bridge::BridgeDocument TestUpstreamTls::doc(const FixtureUpstream &server) const
{
    bridge::BridgeDocument d;
    d.server.name = u"tls"_s;
    d.upstream.baseUrl = server.baseUrl().toString();
    d.upstream.timeoutMs = 10000;
    d.upstream.retry.maxAttempts = 1;
    bridge::Tool t;
    t.name = u"json"_s;
    t.path = u"/json"_s;
    d.tools = {t};
    return d;
}

std::optional<QJsonObject> TestUpstreamTls::call(const bridge::BridgeDocument &d,
                                                 QList<std::pair<QString, QString>> *logs)
{
    std::optional<QJsonObject> out;
    CallContext context;
    context.log = [logs](const QString &level, const QString &message) {
        if (logs)
            logs->append({level, message});
    };
    m_invoker->callTool(d, d.tools.first(), {}, context, [&](QJsonObject r) { out = r; });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 15000))
        return std::nullopt;
    return out;
}

void TestUpstreamTls::unknownCaFails()
{
    const auto d = doc(m_tls);
    const auto result = call(d);
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    const QString text = firstText(*result);
    const QString lead = u"A secure (TLS) connection to the API at %1 could not be made: "_s.arg(
        d.upstream.baseUrl);
    QVERIFY2(text.startsWith(lead), qPrintable(text));
    QVERIFY2(text.endsWith(u". Check the base URL and the API's certificate."_s), qPrintable(text));
    QVERIFY(text.size() > lead.size() + 50); // names what was wrong with the certificate
    QVERIFY(m_tls.requests().isEmpty());     // nothing was sent over the unverified connection
}

void TestUpstreamTls::caBundleSucceeds()
{
    auto d = doc(m_tls);
    d.upstream.tls.caBundle = file(u"ca.pem"_s);
    const auto result = call(d);
    QVERIFY(result);
    QVERIFY2(!result->value(u"isError"_s).toBool(), qPrintable(firstText(*result)));
    QCOMPARE(m_tls.requests().size(), 1);
}

void TestUpstreamTls::clientCertificateRequired()
{
    auto d = doc(m_mtls);
    d.upstream.tls.caBundle = file(u"ca.pem"_s);
    const auto result = call(d);
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QVERIFY(m_mtls.requests().isEmpty());
    // The fixture speaks TLS 1.3, where a server that wants a client certificate closes the
    // connection after the handshake: the hint points at the client certificate.
    QCOMPARE(firstText(*result), hints::connectionClosedNoClientCertificate(d.upstream.baseUrl));
    QCOMPARE(
        firstText(*result),
        u"The API at %1 closed the connection without a complete answer. Try again later. If "
        "the API requires a client certificate (mutual TLS), set "
        "upstream.tls.clientCertificate and upstream.tls.clientKey."_s.arg(d.upstream.baseUrl));
    // Then with the certificate it works on the same invoker.
    d.upstream.tls.clientCertificate = file(u"client.pem"_s);
    d.upstream.tls.clientKey = file(u"client.key"_s);
    const auto next = call(d);
    QVERIFY(next && !next->value(u"isError"_s).toBool());
}

void TestUpstreamTls::clientCertificateAccepted()
{
    auto d = doc(m_mtls);
    d.upstream.tls.caBundle = file(u"ca.pem"_s);
    d.upstream.tls.clientCertificate = file(u"client.pem"_s);
    d.upstream.tls.clientKey = file(u"client.key"_s);
    const auto result = call(d);
    QVERIFY(result);
    QVERIFY2(!result->value(u"isError"_s).toBool(), qPrintable(firstText(*result)));
    QCOMPARE(m_mtls.requests().size(), 1);
}

void TestUpstreamTls::encryptedClientKeyWithPassphraseSecret()
{
    auto d = doc(m_mtls);
    d.upstream.tls.caBundle = file(u"ca.pem"_s);
    d.upstream.tls.clientCertificate = file(u"client.pem"_s);
    d.upstream.tls.clientKey = file(u"client-encrypted.key"_s);
    d.upstream.tls.clientKeySecret = u"key_passphrase"_s;
    const auto result = call(d);
    QVERIFY(result);
    QVERIFY2(!result->value(u"isError"_s).toBool(), qPrintable(firstText(*result)));

    // Without the passphrase the key cannot be opened: said before anything is sent.
    d.upstream.tls.clientKeySecret.clear();
    const auto refused = call(d);
    QVERIFY(refused);
    QVERIFY(refused->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*refused),
             hints::tlsFileProblem(u"client key"_s, d.upstream.tls.clientKey,
                                   u"it is not a PEM private key, or it needs a passphrase (set "
                                   "tls.clientKeySecret)"_s));
}

void TestUpstreamTls::insecureSkipVerifyWarnsOnEveryCall()
{
    auto d = doc(m_tls);
    d.upstream.tls.insecureSkipVerify = true;
    for (int i = 0; i < 2; ++i) {
        QList<std::pair<QString, QString>> logs;
        const auto result = call(d, &logs);
        QVERIFY(result);
        QVERIFY2(!result->value(u"isError"_s).toBool(), qPrintable(firstText(*result)));
        QVERIFY(logs.contains(std::pair<QString, QString>(
            u"warning"_s, hints::insecureTlsWarning(d.upstream.baseUrl))));
    }
    QCOMPARE(m_tls.requests().size(), 2);
    // Verified calls say nothing of the kind.
    auto verified = doc(m_tls);
    verified.upstream.tls.caBundle = file(u"ca.pem"_s);
    QList<std::pair<QString, QString>> logs;
    QVERIFY(call(verified, &logs));
    for (const auto &[level, message] : std::as_const(logs))
        QVERIFY(!message.contains(u"verification is OFF"_s));
}

void TestUpstreamTls::unreadableTlsFiles_data()
{
    QTest::addColumn<QString>("setting");
    QTest::addColumn<QString>("what");
    QTest::newRow("CA bundle missing") << u"caBundle"_s << u"CA bundle"_s;
    QTest::newRow("CA bundle not PEM") << u"caBundle-text"_s << u"CA bundle"_s;
    QTest::newRow("client certificate missing")
        << u"clientCertificate"_s << u"client certificate"_s;
}

void TestUpstreamTls::unreadableTlsFiles()
{
    QFETCH(QString, setting);
    QFETCH(QString, what);
    auto d = doc(m_tls);
    const QString missing = file(u"no-such-file.pem"_s);
    QString path = missing;
    QString detail = u"No such file or directory"_s;
    if (setting == u"caBundle") {
        d.upstream.tls.caBundle = missing;
    } else if (setting == u"caBundle-text") {
        path = file(u"server.ext"_s);
        d.upstream.tls.caBundle = path;
        detail = u"it holds no PEM certificate"_s;
    } else {
        d.upstream.tls.clientCertificate = missing;
        d.upstream.tls.clientKey = file(u"client.key"_s);
    }
    const auto result = call(d);
    QVERIFY(result);
    QVERIFY(result->value(u"isError"_s).toBool());
    QCOMPARE(firstText(*result), hints::tlsFileProblem(what, path, detail));
    QVERIFY(m_tls.requests().isEmpty());
}

QTEST_GUILESS_MAIN(TestUpstreamTls)
#include "tst_upstreamtls.moc"
