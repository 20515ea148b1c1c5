// No secret leaks: the real `mcpbridge serve --stdio --verbose` with secrets from the
// environment (bearer token, API key, basic password, OAuth 2 client secret) against the fixture
// upstream, a successful call with every auth kind (and an OAuth token refresh), then a search of
// the server's stdout and stderr, the traffic it publishes (`mcpbridge traffic --json`), and every
// file an export writes (`mcpbridge export --client X --merge-into FILE`, for each client) for
// the secret values, the issued access tokens and their base64 and percent-encoded forms.

#include "tests/fixtures/fixtureupstream.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using mcpbridge::fixtures::FixtureUpstream;
using mcpbridge::fixtures::RecordedRequest;

namespace {

struct Kind
{
    QString name; // bridge name and auth kind label
    QString auth; // the document's auth object
    QString secretName;
    QString value;
    QString path; // the fixture endpoint that checks it
};

QList<Kind> kinds()
{
    return {
        {u"leak-bearer"_s, uR"({"kind": "bearer", "secret": "bearer_token"})"_s, u"bearer_token"_s,
         u"bearer-Tok3n+/=value"_s, u"/auth/bearer"_s},
        {u"leak-apikey"_s,
         uR"({"kind": "apiKey", "secret": "api_key", "in": "header", "name": "X-Api-Key"})"_s,
         u"api_key"_s, u"api-K3y&value=1"_s, u"/auth/apikey"_s},
        {u"leak-basic"_s, uR"({"kind": "basic", "secret": "basic_password", "username": "user"})"_s,
         u"basic_password"_s, u"basic-Pa55 word:%"_s, u"/auth/basic"_s},
        {u"leak-oauth"_s,
         uR"({"kind": "oauth2ClientCredentials", "secret": "client_secret", "tokenUrl": "TOKEN_URL", "clientId": "leak-client", "scopes": ["read"]})"_s,
         u"client_secret"_s, u"oauth-Cl1ent/secret+value"_s, u"/auth/oauth"_s},
    };
}

QStringList encodings(const QString &secret)
{
    const QByteArray utf8 = secret.toUtf8();
    QStringList forms{secret, QString::fromLatin1(utf8.toPercentEncoding()),
                      QString::fromLatin1(utf8.toBase64()),
                      QString::fromLatin1(utf8.toBase64(QByteArray::Base64UrlEncoding
                                                        | QByteArray::OmitTrailingEquals))};
    // Also the form-encoded variant ("+" for space) and a JSON-escaped one.
    forms << QString::fromLatin1(utf8.toPercentEncoding(" ")).replace(u' ', u'+');
    forms << QString::fromUtf8(QJsonDocument(QJsonArray{secret}).toJson(QJsonDocument::Compact))
                 .mid(2)
                 .chopped(2);
    forms.removeDuplicates();
    return forms;
}

} // namespace

class TestSecretLeak : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void noSecretAnywhere();

private:
    QProcessEnvironment environment() const;
    QByteArray runOnce(const QStringList &args, int *exitCode = nullptr);

    QString m_program;
    QTemporaryDir m_dir;
    QTemporaryDir m_runtime;
    FixtureUpstream m_fixture;
};

void TestSecretLeak::initTestCase()
{
    m_program = qEnvironmentVariable("MCPBRIDGE_BINARY_DIR") + u"/app/cli/mcpbridge"_s;
    if (!QFile::exists(m_program))
        QFAIL(qPrintable(u"%1 is not built; build the mcpbridge target first"_s.arg(m_program)));
    QVERIFY(m_fixture.listen());
    QFile::setPermissions(m_runtime.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

QProcessEnvironment TestSecretLeak::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_RUNTIME_DIR"_s, m_runtime.path());
    env.insert(u"HOME"_s, m_dir.path());
    env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s); // secrets come from the environment only
    for (const Kind &k : kinds())
        env.insert(u"MCPBRIDGE_SECRET_"_s + k.secretName.toUpper(), k.value);
    return env;
}

QByteArray TestSecretLeak::runOnce(const QStringList &args, int *exitCode)
{
    QProcess p;
    p.setProcessEnvironment(environment());
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(m_program, args);
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 30000))
        p.kill();
    p.waitForFinished(5000);
    if (exitCode)
        *exitCode = p.exitCode();
    return p.readAll();
}

void TestSecretLeak::noSecretAnywhere()
{
    m_fixture.setOAuthClient(u"leak-client"_s, kinds().last().value);
    QByteArray everything; // every byte the bridge and its tools showed or wrote
    QStringList forbidden;
    for (const Kind &k : kinds())
        forbidden << encodings(k.value);
    forbidden << encodings(u"user:"_s + kinds()[2].value); // basic credentials
    forbidden << encodings(
        u"leak-client:"_s + QString::fromLatin1(kinds().last().value.toUtf8().toPercentEncoding()));

    for (const Kind &k : kinds()) {
        m_fixture.setToken(k.value);
        const QString docPath = m_dir.filePath(k.name + u".mcpbridge.json"_s);
        QFile doc(docPath);
        QVERIFY(doc.open(QIODevice::WriteOnly));
        QString auth = k.auth;
        auth.replace(u"TOKEN_URL"_s, m_fixture.baseUrl().toString() + u"/oauth/token"_s);
        doc.write(uR"({
  "format": 1,
  "server": {"name": "%1"},
  "upstream": {"baseUrl": "%2", "auth": %3},
  "tools": [{"name": "protected", "description": "Calls the protected endpoint.", "path": "%4"}]
}
)"_s.arg(k.name, m_fixture.baseUrl().toString(), auth, k.path)
                      .toUtf8());
        doc.close();

        QProcess serve;
        serve.setProcessEnvironment(environment());
        serve.start(m_program, {u"serve"_s, u"--config"_s, docPath, u"--stdio"_s, u"--verbose"_s});
        QVERIFY(serve.waitForStarted(10000));
        QByteArray out;
        auto waitForId = [&](int id) -> QJsonObject {
            const QByteArray needle = "\"id\":" + QByteArray::number(id);
            QJsonObject found;
            // The fixture runs in this process: wait with the event loop running. A timeout
            // leaves `found` empty, which the callers check.
            (void)QTest::qWaitFor(
                [&] {
                    out += serve.readAllStandardOutput();
                    const QList<QByteArray> lines = out.split('\n');
                    for (const QByteArray &line : lines) {
                        const QJsonObject o = QJsonDocument::fromJson(line).object();
                        if (o.value(u"id"_s).toInt(-1) == id) {
                            found = o;
                            return true;
                        }
                    }
                    return false;
                },
                30000);
            return found;
        };
        auto send = [&](const QByteArray &json) { serve.write(json + '\n'); };
        send(
            R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"leak-test","version":"1"}}})");
        QVERIFY2(!waitForId(1).isEmpty(), serve.readAllStandardError().constData());
        send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
        const int calls = k.name == u"leak-oauth" ? 2 : 1;
        for (int i = 0; i < calls; ++i) {
            if (i == 1)
                m_fixture.revokeOAuthTokens(); // forces the 401 -> new token path
            const int id = 10 + i;
            send(R"({"jsonrpc":"2.0","id":)" + QByteArray::number(id)
                 + R"(,"method":"tools/call","params":{"name":"protected","arguments":{}}})");
            const QJsonObject response = waitForId(id);
            const QJsonObject result = response.value(u"result"_s).toObject();
            QVERIFY2(
                !result.isEmpty() && !result.value(u"isError"_s).toBool(),
                qPrintable(k.name + u": "_s + QString::fromUtf8(QJsonDocument(response).toJson())));
        }

        // The traffic the bridge publishes, as `mcpbridge traffic --json` shows it.
        int trafficExit = -1;
        const QByteArray traffic = runOnce(
            {u"traffic"_s, QString::number(serve.processId()), u"--json"_s}, &trafficExit);
        QVERIFY2(trafficExit == 0, traffic.constData());
        QVERIFY2(traffic.contains(k.path.toUtf8()), traffic.constData()); // it saw the calls
        everything += traffic;

        serve.closeWriteChannel();
        if (!QTest::qWaitFor([&] { return serve.state() == QProcess::NotRunning; }, 10000))
            serve.kill();
        serve.waitForFinished(5000);
        out += serve.readAllStandardOutput();
        const QByteArray err = serve.readAllStandardError();
        QVERIFY2(err.contains(k.path.toUtf8()), err.constData()); // --verbose did log the calls
        everything += out + err;

        // Every export, printed and merged into a client config file (with its backup).
        for (const QString &client :
             {u"claude-desktop"_s, u"cursor"_s, u"vscode"_s, u"claude-code"_s}) {
            everything += runOnce({u"export"_s, u"--client"_s, client, u"--config"_s, docPath});
            const QString target = m_dir.filePath(u"exports/%1-%2.json"_s.arg(client, k.name));
            QDir().mkpath(QFileInfo(target).path());
            QFile existing(target);
            QVERIFY(existing.open(QIODevice::WriteOnly));
            existing.write("{}\n");
            existing.close();
            everything += runOnce({u"export"_s, u"--client"_s, client, u"--config"_s, docPath,
                                   u"--merge-into"_s, target});
        }
    }

    // The access tokens the fixture issued are secrets too.
    const auto requests = m_fixture.requests();
    for (const RecordedRequest &r : requests) {
        if (r.path == u"/auth/oauth")
            forbidden << encodings(QString::fromUtf8(r.header("authorization").mid(7)));
    }
    QVERIFY(m_fixture.oauthTokensIssued() >= 2);

    // Every file written anywhere under the test's folders.
    int files = 0;
    for (const QString &root : {m_dir.path(), m_runtime.path()}) {
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.fileName().endsWith(u".mcpbridge.json"_s) || !f.open(QIODevice::ReadOnly))
                continue;
            everything += f.readAll();
            ++files;
        }
    }
    QVERIFY(files >= 4);
    QVERIFY(everything.size() > 1000);
    forbidden.removeDuplicates();
    for (const QString &secret : std::as_const(forbidden)) {
        if (secret.size() < 6)
            continue;
        QVERIFY2(!everything.contains(secret.toUtf8()),
                 qPrintable(u"found a secret form: "_s + secret));
    }
}

QTEST_GUILESS_MAIN(TestSecretLeak)
#include "tst_secretleak.moc"
