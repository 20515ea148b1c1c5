// Secret stores: memory, environment variables, the chain, and the real OS keychain through a
// private Secret Service (run under tests/fixtures/with-keyring.sh). Without a keyring the
// keychain tests skip, unless MCPBRIDGE_REQUIRE_KEYRING=1 demands one.

#include "core/secrets/chainsecretstore.h"
#include "core/secrets/envsecretstore.h"
#include "core/secrets/keychainsecretstore.h"
#include "core/secrets/memorysecretstore.h"

#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QUuid>

#include <optional>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::secrets;

namespace {

// Waits (bounded) for an asynchronous read.
std::optional<Result<QString>> readSync(SecretStore &store, const QString &bridge,
                                        const QString &name, int timeoutMs = 15000)
{
    std::optional<Result<QString>> out;
    int calls = 0;
    store.read(bridge, name, [&](Result<QString> r) {
        ++calls;
        out = std::move(r);
    });
    (void)QTest::qWaitFor([&] { return out.has_value(); }, timeoutMs);
    QTest::qWait(10);
    if (calls != 1)
        qWarning("read callback ran %d times", calls);
    return calls == 1 ? out : std::nullopt;
}

std::optional<Result<void>> writeSync(SecretStore &store, const QString &bridge,
                                      const QString &name, const QString &value,
                                      int timeoutMs = 15000)
{
    std::optional<Result<void>> out;
    store.write(bridge, name, value, [&](Result<void> r) { out = std::move(r); });
    (void)QTest::qWaitFor([&] { return out.has_value(); }, timeoutMs);
    return out;
}

std::optional<Result<void>> removeSync(SecretStore &store, const QString &bridge,
                                       const QString &name, int timeoutMs = 15000)
{
    std::optional<Result<void>> out;
    store.remove(bridge, name, [&](Result<void> r) { out = std::move(r); });
    (void)QTest::qWaitFor([&] { return out.has_value(); }, timeoutMs);
    return out;
}

// A store that always fails reads with a given code, to test the chain's reporting.
class FailingStore : public SecretStore
{
public:
    FailingStore(QString message, int code)
        : m_message(std::move(message))
        , m_code(code)
    {}
    void read(const QString &, const QString &name, ReadCallback done) override
    {
        ++reads;
        done(fail(m_message, name, m_code));
    }
    void write(const QString &, const QString &name, const QString &, WriteCallback done) override
    {
        done(fail(m_message, name, m_code));
    }
    void remove(const QString &, const QString &name, WriteCallback done) override
    {
        done(fail(m_message, name, m_code));
    }
    QString describe() const override { return u"a failing store"_s; }
    int reads = 0;

private:
    QString m_message;
    int m_code;
};

} // namespace

class TestSecretStores : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void memoryRoundTrip();
    void memoryMissingNamesTheSecret();

    void envVariableName_data();
    void envVariableName();
    void envRead();
    void envMissingMessage();
    void envEmptyCountsAsMissing();
    void envIsReadOnly();

    void chainFirstHitWins();
    void chainFallsThrough();
    void chainReportsLastStoresMessage();
    void chainMentionsUnavailableStores();
    void chainWritesToFirstWritable();
    void chainRemovesEverywhere();

    void keychainRoundTrip();
    void keychainMissingEntry();
    void keychainCachesValuesRead();
    void keychainQueuedOperationsKeepOrder();
    void keychainUnavailableIsClearAndNeverPlaintext();

private:
    bool requireKeyring() const
    {
        return qEnvironmentVariable("MCPBRIDGE_REQUIRE_KEYRING") == u"1";
    }
    bool m_keyringReachable = false;
    QString m_keyringProblem;
    QString m_bridge; // unique per run so leftovers of another run never matter
};

void TestSecretStores::initTestCase()
{
    m_bridge = u"tst-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
    KeychainSecretStore probe;
    probe.setTimeoutMs(10000);
    const auto r = readSync(probe, m_bridge, u"probe"_s);
    QVERIFY(r.has_value());
    if (*r) {
        m_keyringReachable = true;
    } else {
        m_keyringReachable = r->error().code == SecretNotFound;
        m_keyringProblem = r->error().message;
    }
    qInfo("OS keychain reachable: %s%s", m_keyringReachable ? "yes" : "no",
          m_keyringReachable ? "" : qPrintable(u" ("_s + m_keyringProblem + u')'));
}

// ---- memory --------------------------------------------------------------------------------

void TestSecretStores::memoryRoundTrip()
{
    MemorySecretStore store;
    const auto w = writeSync(store, u"pantry"_s, u"api_token"_s, u"s3cr3t-value"_s);
    QVERIFY(w && *w);
    auto r = readSync(store, u"pantry"_s, u"api_token"_s);
    QVERIFY(r && *r);
    QCOMPARE(**r, u"s3cr3t-value"_s);
    // Bridges are separate namespaces.
    r = readSync(store, u"other"_s, u"api_token"_s);
    QVERIFY(r && !*r);
    QVERIFY(removeSync(store, u"pantry"_s, u"api_token"_s).value().has_value());
    QVERIFY(!store.contains(u"pantry"_s, u"api_token"_s));
}

void TestSecretStores::memoryMissingNamesTheSecret()
{
    MemorySecretStore store;
    const auto r = readSync(store, u"pantry"_s, u"api_token"_s);
    QVERIFY(r && !*r);
    QCOMPARE(r->error().code, int(SecretNotFound));
    QVERIFY2(r->error().message.contains(u"\"api_token\""_s), qPrintable(r->error().message));
}

// ---- environment ---------------------------------------------------------------------------

void TestSecretStores::envVariableName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("variable");
    QTest::newRow("snake") << u"api_token"_s << u"MCPBRIDGE_SECRET_API_TOKEN"_s;
    QTest::newRow("dashes and dots") << u"my-key.v2"_s << u"MCPBRIDGE_SECRET_MY_KEY_V2"_s;
    QTest::newRow("camel") << u"apiKey"_s << u"MCPBRIDGE_SECRET_APIKEY"_s;
    QTest::newRow("digits") << u"token2"_s << u"MCPBRIDGE_SECRET_TOKEN2"_s;
    QTest::newRow("space and slash") << u"a b/c"_s << u"MCPBRIDGE_SECRET_A_B_C"_s;
    QTest::newRow("non-ascii") << u"clé"_s << u"MCPBRIDGE_SECRET_CL_"_s;
}

void TestSecretStores::envVariableName()
{
    QFETCH(QString, name);
    QFETCH(QString, variable);
    QCOMPARE(EnvSecretStore::variableName(name), variable);
}

void TestSecretStores::envRead()
{
    qputenv("MCPBRIDGE_SECRET_TST_ENV_TOKEN", "from-the-environment");
    EnvSecretStore store;
    const auto r = readSync(store, u"pantry"_s, u"tst-env.token"_s);
    qunsetenv("MCPBRIDGE_SECRET_TST_ENV_TOKEN");
    QVERIFY(r && *r);
    QCOMPARE(**r, u"from-the-environment"_s);
}

void TestSecretStores::envMissingMessage()
{
    qunsetenv("MCPBRIDGE_SECRET_API_TOKEN");
    EnvSecretStore store;
    const auto r = readSync(store, u"pantry"_s, u"api_token"_s);
    QVERIFY(r && !*r);
    QCOMPARE(r->error().code, int(SecretNotFound));
    QCOMPARE(r->error().message,
             u"The secret \"api_token\" is not set. Set the environment variable "
             "MCPBRIDGE_SECRET_API_TOKEN, or store it in the keychain with the studio."_s);
}

void TestSecretStores::envEmptyCountsAsMissing()
{
    qputenv("MCPBRIDGE_SECRET_EMPTY_ONE", "");
    EnvSecretStore store;
    const auto r = readSync(store, u"pantry"_s, u"empty_one"_s);
    qunsetenv("MCPBRIDGE_SECRET_EMPTY_ONE");
    QVERIFY(r && !*r);
    QCOMPARE(r->error().code, int(SecretNotFound));
}

void TestSecretStores::envIsReadOnly()
{
    EnvSecretStore store;
    const auto w = writeSync(store, u"pantry"_s, u"api_token"_s, u"value"_s);
    QVERIFY(w && !*w);
    QCOMPARE(w->error().code, int(StoreReadOnly));
    QVERIFY(w->error().message.contains(u"MCPBRIDGE_SECRET_API_TOKEN"_s));
    QVERIFY(qEnvironmentVariableIsEmpty("MCPBRIDGE_SECRET_API_TOKEN"));
}

// ---- chain ---------------------------------------------------------------------------------

void TestSecretStores::chainFirstHitWins()
{
    MemorySecretStore first, second;
    first.set(u"b"_s, u"k"_s, u"one"_s);
    second.set(u"b"_s, u"k"_s, u"two"_s);
    ChainSecretStore chain({&first, &second});
    const auto r = readSync(chain, u"b"_s, u"k"_s);
    QVERIFY(r && *r);
    QCOMPARE(**r, u"one"_s);
    QCOMPARE(second.readCount(), 0); // never asked once the first had it
}

void TestSecretStores::chainFallsThrough()
{
    MemorySecretStore first, second;
    second.set(u"b"_s, u"k"_s, u"two"_s);
    ChainSecretStore chain({&first, &second});
    const auto r = readSync(chain, u"b"_s, u"k"_s);
    QVERIFY(r && *r);
    QCOMPARE(**r, u"two"_s);
    QCOMPARE(first.readCount(), 1);
}

void TestSecretStores::chainReportsLastStoresMessage()
{
    qunsetenv("MCPBRIDGE_SECRET_API_TOKEN");
    MemorySecretStore memory;
    EnvSecretStore env;
    ChainSecretStore chain({&memory, &env});
    const auto r = readSync(chain, u"pantry"_s, u"api_token"_s);
    QVERIFY(r && !*r);
    QCOMPARE(r->error().message, EnvSecretStore::missingMessage(u"api_token"_s));
    QCOMPARE(r->error().code, int(SecretNotFound));
}

void TestSecretStores::chainMentionsUnavailableStores()
{
    FailingStore broken(u"No OS keychain is available (test)."_s, StoreUnavailable);
    EnvSecretStore env;
    ChainSecretStore chain({&broken, &env});
    const auto r = readSync(chain, u"pantry"_s, u"zz_missing"_s);
    QVERIFY(r && !*r);
    QVERIFY2(r->error().message.startsWith(EnvSecretStore::missingMessage(u"zz_missing"_s)),
             qPrintable(r->error().message));
    QVERIFY2(r->error().message.contains(u"No OS keychain is available (test)."_s),
             qPrintable(r->error().message));
    QCOMPARE(broken.reads, 1);
}

void TestSecretStores::chainWritesToFirstWritable()
{
    EnvSecretStore env;
    MemorySecretStore memory;
    ChainSecretStore chain({&env, &memory});
    const auto w = writeSync(chain, u"b"_s, u"k"_s, u"v"_s);
    QVERIFY(w && *w);
    QVERIFY(memory.contains(u"b"_s, u"k"_s));

    FailingStore broken(u"broken keychain"_s, StoreUnavailable);
    ChainSecretStore onlyBad({&broken, &env});
    const auto w2 = writeSync(onlyBad, u"b"_s, u"k"_s, u"v"_s);
    QVERIFY(w2 && !*w2);
    QCOMPARE(w2->error().message, u"broken keychain"_s); // the real failure, not "read-only"
}

void TestSecretStores::chainRemovesEverywhere()
{
    MemorySecretStore a, b;
    EnvSecretStore env;
    a.set(u"x"_s, u"k"_s, u"1"_s);
    b.set(u"x"_s, u"k"_s, u"2"_s);
    ChainSecretStore chain({&a, &env, &b});
    const auto r = removeSync(chain, u"x"_s, u"k"_s);
    QVERIFY(r && *r);
    QVERIFY(!a.contains(u"x"_s, u"k"_s));
    QVERIFY(!b.contains(u"x"_s, u"k"_s));
}

// ---- keychain ------------------------------------------------------------------------------

#define REQUIRE_KEYRING() \
    do { \
        if (!m_keyringReachable) { \
            if (requireKeyring()) \
                QFAIL(qPrintable(u"MCPBRIDGE_REQUIRE_KEYRING=1 but no keyring: "_s \
                                 + m_keyringProblem)); \
            QSKIP("No Secret Service reachable; run under tests/fixtures/with-keyring.sh"); \
        } \
    } while (false)

void TestSecretStores::keychainRoundTrip()
{
    REQUIRE_KEYRING();
    const QString value = u"kc-value-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    {
        KeychainSecretStore store;
        const auto w = writeSync(store, m_bridge, u"api_token"_s, value);
        QVERIFY(w.has_value());
        QVERIFY2(*w, qPrintable(w->has_value() ? QString() : w->error().message));
    }
    // A fresh store has no cache: the value really came back from the keyring.
    KeychainSecretStore fresh;
    const auto r = readSync(fresh, m_bridge, u"api_token"_s);
    QVERIFY(r && *r);
    QCOMPARE(**r, value);

    const auto rm = removeSync(fresh, m_bridge, u"api_token"_s);
    QVERIFY(rm && *rm);
    KeychainSecretStore after;
    const auto gone = readSync(after, m_bridge, u"api_token"_s);
    QVERIFY(gone && !*gone);
    QCOMPARE(gone->error().code, int(SecretNotFound));
    // Removing again is not an error.
    const auto again = removeSync(after, m_bridge, u"api_token"_s);
    QVERIFY(again && *again);
}

void TestSecretStores::keychainMissingEntry()
{
    REQUIRE_KEYRING();
    KeychainSecretStore store;
    const auto r = readSync(store, m_bridge, u"never_stored"_s);
    QVERIFY(r && !*r);
    QCOMPARE(r->error().code, int(SecretNotFound));
    QCOMPARE(r->error().message,
             u"The secret \"never_stored\" is not in the OS keychain for bridge \"%1\". Store it "
             "with the studio (Credentials), or set the environment variable "
             "MCPBRIDGE_SECRET_NEVER_STORED."_s.arg(m_bridge));
}

void TestSecretStores::keychainCachesValuesRead()
{
    REQUIRE_KEYRING();
    KeychainSecretStore writer, reader;
    QVERIFY(writeSync(writer, m_bridge, u"cached"_s, u"first-value"_s).value().has_value());
    auto r = readSync(reader, m_bridge, u"cached"_s);
    QVERIFY(r && *r);
    QCOMPARE(**r, u"first-value"_s);
    // Changed behind the reader's back: the reader keeps answering from its cache...
    QVERIFY(writeSync(writer, m_bridge, u"cached"_s, u"second-value"_s).value().has_value());
    bool immediate = false;
    reader.read(m_bridge, u"cached"_s,
                [&](Result<QString> v) { immediate = v && *v == u"first-value"_s; });
    QVERIFY(immediate); // answered synchronously, without a keychain job
    // ...until the cache is cleared.
    reader.clearCache();
    r = readSync(reader, m_bridge, u"cached"_s);
    QVERIFY(r && *r);
    QCOMPARE(**r, u"second-value"_s);
    QVERIFY(removeSync(writer, m_bridge, u"cached"_s).value().has_value());
}

void TestSecretStores::keychainQueuedOperationsKeepOrder()
{
    REQUIRE_KEYRING();
    // Several jobs issued at once, one started from another's callback: all complete, in order.
    KeychainSecretStore store;
    QStringList order;
    std::optional<QString> nested;
    store.write(m_bridge, u"q1"_s, u"v1"_s, [&](Result<void> r) {
        order << (r ? u"w1"_s : u"w1-failed"_s);
        store.read(m_bridge, u"q1"_s, [&](Result<QString> v) { nested = v ? *v : u"failed"_s; });
    });
    store.write(m_bridge, u"q2"_s, u"v2"_s,
                [&](Result<void> r) { order << (r ? u"w2"_s : u"w2-failed"_s); });
    store.remove(m_bridge, u"q1"_s,
                 [&](Result<void> r) { order << (r ? u"rm1"_s : u"rm1-failed"_s); });
    store.remove(m_bridge, u"q2"_s,
                 [&](Result<void> r) { order << (r ? u"rm2"_s : u"rm2-failed"_s); });
    QTRY_VERIFY_WITH_TIMEOUT(order.size() == 4 && nested.has_value(), 20000);
    QCOMPARE(order, (QStringList{u"w1"_s, u"w2"_s, u"rm1"_s, u"rm2"_s}));
    // The nested read was queued after rm1, so it may see either value; it must not hang or fail
    // for a reason other than "not found".
    QVERIFY(*nested == u"v1"_s || *nested == u"failed"_s);
}

void TestSecretStores::keychainUnavailableIsClearAndNeverPlaintext()
{
    if (m_keyringReachable)
        QSKIP("A keyring is reachable; this checks the behaviour without one.");

    QTemporaryDir home;
    KeychainSecretStore store;
    const auto w = writeSync(store, m_bridge, u"api_token"_s, u"must-not-land-on-disk"_s);
    QVERIFY(w && !*w);
    QCOMPARE(w->error().code, int(StoreUnavailable));
    QVERIFY2(w->error().message.startsWith(u"No OS keychain is available to save the secret "
                                           "\"api_token\""_s),
             qPrintable(w->error().message));
    QVERIFY(w->error().message.contains(u"never stores secrets in plain text"_s));
    QVERIFY(w->error().message.contains(u"MCPBRIDGE_SECRET_API_TOKEN"_s));

    const auto r = readSync(store, m_bridge, u"api_token"_s);
    QVERIFY(r && !*r);
    QCOMPARE(r->error().code, int(StoreUnavailable));
    QVERIFY(r->error().message.startsWith(u"No OS keychain is available to read"_s));

    // QtKeychain's insecure fallback would have written QSettings of the service: nothing there.
    QSettings fallback(KeychainSecretStore::service());
    QVERIFY(fallback.allKeys().isEmpty() || !fallback.allKeys().join(u' ').contains(m_bridge));
}

QTEST_GUILESS_MAIN(TestSecretStores)
#include "tst_secretstores.moc"
