// `mcpbridge secret set|delete|status` run as the real program: against a private GNOME Keyring
// (the test runs under tests/fixtures/with-keyring.sh, so children share its session bus), and
// without any keychain (the plain error that points at MCPBRIDGE_SECRET_<NAME>). The value is
// never printed.

#include "core/secrets/keychainsecretstore.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

const QString Value = u"s3cret-value-for-the-keychain"_s;

} // namespace

class TestSecretCommand : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void usageErrors_data();
    void usageErrors();
    void setStatusDeleteWithTheKeyring();
    void documentPathAndStatusOfEverySecret();
    void environmentVariableWins();
    void noKeychainIsAPlainError();

private:
    Run run(const QStringList &args, const QByteArray &stdinBytes = {},
            const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());
    bool haveKeyring() const { return qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"); }

    QString m_program;
    QTemporaryDir m_dir;
};

void TestSecretCommand::initTestCase()
{
    m_program = qEnvironmentVariable("MCPBRIDGE_BINARY_DIR") + u"/app/cli/mcpbridge"_s;
    if (!QFile::exists(m_program))
        QFAIL(qPrintable(u"%1 is not built; build the mcpbridge target first"_s.arg(m_program)));
    QFile doc(m_dir.filePath(u"shop.mcpbridge.json"_s));
    QVERIFY(doc.open(QIODevice::WriteOnly));
    doc.write(R"({
  "format": 1,
  "server": {"name": "secret-cli-shop"},
  "upstream": {
    "baseUrl": "https://api.example.com",
    "headers": {"X-Tenant": "${secret:tenant_key}"},
    "auth": {"kind": "bearer", "secret": "api_token"}
  }
}
)");
}

Run TestSecretCommand::run(const QStringList &args, const QByteArray &stdinBytes,
                           const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(m_program, QStringList{u"secret"_s} + args);
    if (!p.waitForStarted(10000))
        return {};
    p.write(stdinBytes);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished(5000);
        return {};
    }
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

void TestSecretCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("nothing") << QStringList{}
                             << u"Usage: mcpbridge secret set|delete|status BRIDGE NAME"_s;
    QTest::newRow("unknown action") << QStringList{u"show"_s, u"shop"_s, u"api_token"_s}
                                    << u"unknown action \"show\"; use set, delete or status."_s;
    QTest::newRow("missing file") << QStringList{u"set"_s, u"./nope.mcpbridge.json"_s, u"x"_s}
                                  << u"is neither a bridge document (no such file) nor a bridge "
                                     "name"_s;
    QTest::newRow("bad secret name") << QStringList{u"set"_s, u"shop"_s, u"api token"_s}
                                     << u"\"api token\" is not a secret name"_s;
    QTest::newRow("set without name") << QStringList{u"set"_s, u"shop"_s}
                                      << u"name the secret, e.g. mcpbridge secret set shop "
                                         "api_token"_s;
}

void TestSecretCommand::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = run(args, Value.toUtf8());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(!r.out.contains(Value) && !r.err.contains(Value));
}

void TestSecretCommand::setStatusDeleteWithTheKeyring()
{
    if (!haveKeyring())
        QSKIP("needs the private keyring of with-keyring.sh (ctest runs this as "
              "tst_secretcommand_keyring)");
    Run r = run({u"set"_s, u"secret-cli-test"_s, u"api_token"_s}, Value.toUtf8() + '\n');
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(
        r.out,
        u"Stored the secret \"api_token\" of the bridge \"secret-cli-test\" in the OS keychain.\n"_s);
    QVERIFY(!r.out.contains(Value) && !r.err.contains(Value));

    // What the bridge will read: exactly the value, without the line break that ended it.
    secrets::KeychainSecretStore store;
    std::optional<Result<QString>> read;
    store.read(u"secret-cli-test"_s, u"api_token"_s, [&](Result<QString> v) { read = v; });
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 20000);
    QVERIFY(read->has_value());
    QCOMPARE(**read, Value);

    r = run({u"status"_s, u"secret-cli-test"_s, u"api_token"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, u"api_token: stored in the OS keychain.\n"_s);

    r = run({u"delete"_s, u"secret-cli-test"_s, u"api_token"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(
        r.out,
        u"Deleted the secret \"api_token\" of the bridge \"secret-cli-test\" from the OS keychain.\n"_s);

    r = run({u"status"_s, u"secret-cli-test"_s, u"api_token"_s});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(
        r.out,
        u"api_token: not set. Store it with: mcpbridge secret set secret-cli-test api_token\n"_s);

    r = run({u"set"_s, u"secret-cli-test"_s, u"api_token"_s}, "\n");
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(u"the value is empty; nothing was stored."_s));
}

void TestSecretCommand::documentPathAndStatusOfEverySecret()
{
    if (!haveKeyring())
        QSKIP("needs the private keyring of with-keyring.sh");
    const QString doc = m_dir.filePath(u"shop.mcpbridge.json"_s);
    Run r = run({u"set"_s, doc, u"tenant_key"_s}, "tenant-123");
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(u"of the bridge \"secret-cli-shop\""_s)); // the document's server.name
    r = run({u"set"_s, doc, u"unused"_s}, "x");
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.err.contains(
        u"Note: the document does not use a secret named \"unused\"; it uses: api_token, tenant_key."_s));
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove(u"MCPBRIDGE_SECRET_API_TOKEN"_s);
    r = run({u"status"_s, doc}, {}, env);
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.out, u"api_token: not set. Store it with: mcpbridge secret set %1 api_token\n"
                    "tenant_key: stored in the OS keychain.\n"_s.arg(doc));
    QVERIFY(!r.out.contains(u"tenant-123"_s));
}

void TestSecretCommand::environmentVariableWins()
{
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(u"MCPBRIDGE_SECRET_API_TOKEN"_s, Value);
    const Run r = run({u"status"_s, u"anything"_s, u"api_token"_s}, {}, env);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, u"api_token: set by the environment variable MCPBRIDGE_SECRET_API_TOKEN.\n"_s);
    QVERIFY(!r.out.contains(Value));
}

void TestSecretCommand::noKeychainIsAPlainError()
{
    QTemporaryDir runtime;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=%1/no-bus"_s.arg(runtime.path()));
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    const Run r = run({u"set"_s, u"headless"_s, u"api_token"_s}, Value.toUtf8(), env);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.startsWith(u"mcpbridge secret: could not store \"api_token\" in the keychain: "
                              "no secret service is running; on a headless server use the "
                              "environment variable MCPBRIDGE_SECRET_API_TOKEN instead.\n"_s),
             qPrintable(r.err));
    QVERIFY(!r.out.contains(Value) && !r.err.contains(Value));
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestSecretCommand)
#include "tst_secretcommand.moc"
