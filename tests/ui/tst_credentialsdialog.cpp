// The credentials dialog: names go to the document, values go to the store and vanish from the
// dialog, store failures point to the environment variable, and Test connection really calls
// the API (the in-process fixture upstream) with what was chosen.

#include "ui/dialogs/credentialsdialog.h"

#include "core/bridge/documentio.h"
#include "core/secrets/memorysecretstore.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using Kind = ui::CredentialsDialog::Kind;

Q_DECLARE_METATYPE(mcpbridge::ui::CredentialsDialog::Kind)

namespace {

const QString Token = u"fixture-secret-token"_s;

// A store that cannot be used, like a session without a keyring.
class BrokenStore : public secrets::SecretStore
{
public:
    using SecretStore::SecretStore;
    void read(const QString &, const QString &name, ReadCallback done) override
    {
        done(fail(u"No keyring is available to read \"%1\"."_s.arg(name), {},
                  secrets::StoreUnavailable));
    }
    void write(const QString &, const QString &, const QString &, WriteCallback done) override
    {
        done(fail(u"No keyring is available (the secret service is not running)."_s, {},
                  secrets::StoreUnavailable));
    }
    void remove(const QString &, const QString &, WriteCallback done) override
    {
        done(fail(u"No keyring is available."_s, {}, secrets::StoreUnavailable));
    }
    QString describe() const override { return u"the OS keychain"_s; }
};

bridge::Tool getTool(const QString &name, const QString &path)
{
    bridge::Tool tool;
    tool.name = name;
    tool.method = u"GET"_s;
    tool.path = path;
    return tool;
}

QString storedValue(secrets::SecretStore &store, const QString &bridge, const QString &name)
{
    QString value;
    store.read(bridge, name, [&](Result<QString> r) { value = r.value_or(QString()); });
    return value;
}

} // namespace

class TestCredentialsDialog : public QObject
{
    Q_OBJECT
private:
    fixtures::FixtureUpstream m_api;
    bridge::BridgeDocument m_doc;

    static void typeSecret(ui::CredentialsDialog &dialog, const QString &value)
    {
        auto *field = dialog.findChild<QLineEdit *>(u"secretValue"_s);
        QVERIFY(field);
        QCOMPARE(field->echoMode(), QLineEdit::Password);
        field->setFocus();
        QTest::keyClicks(field, value);
        QCOMPARE(field->text(), value);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"storeButton"_s), Qt::LeftButton);
    }
    static void chooseTool(ui::CredentialsDialog &dialog, const QString &name)
    {
        auto *combo = dialog.findChild<QComboBox *>(u"testTool"_s);
        const int index = combo->findData(name);
        QVERIFY(index >= 0);
        combo->setCurrentIndex(index);
    }
    static bool runTest(ui::CredentialsDialog &dialog)
    {
        QSignalSpy finished(&dialog, &ui::CredentialsDialog::testFinished);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"testButton"_s), Qt::LeftButton);
        if (!finished.wait(10000))
            return false;
        return finished.first().first().toBool();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_api.listen());
        m_api.setOAuthClient(u"fixture-client"_s, Token);
        m_doc.server.name = u"fixture"_s;
        m_doc.upstream.baseUrl = m_api.baseUrl().toString();
        m_doc.upstream.retry.maxAttempts = 1;
        m_doc.tools << getTool(u"check_bearer"_s, u"/auth/bearer"_s)
                    << getTool(u"check_key"_s, u"/auth/apikey"_s)
                    << getTool(u"check_basic"_s, u"/auth/basic"_s)
                    << getTool(u"check_oauth"_s, u"/auth/oauth"_s);
        bridge::Tool needsInput = getTool(u"get_item"_s, u"/echo/{id}"_s);
        needsInput.parameters << bridge::Parameter{u"id"_s, u"path"_s, {}, true, {}, {}, false};
        bridge::Tool post = getTool(u"add_item"_s, u"/echo"_s);
        post.method = u"POST"_s;
        m_doc.tools << needsInput << post;
    }

    void onlyGetToolsWithoutRequiredInputsAreOffered()
    {
        secrets::MemorySecretStore store;
        ui::CredentialsDialog dialog(m_doc, &store);
        QCOMPARE(dialog.testableTools(), (QStringList{u"check_bearer"_s, u"check_key"_s,
                                                      u"check_basic"_s, u"check_oauth"_s}));
    }

    void bearerTokenGoesToTheStoreOnly()
    {
        secrets::MemorySecretStore store;
        ui::CredentialsDialog dialog(m_doc, &store);
        QCOMPARE(dialog.kind(), Kind::None);
        dialog.setKind(Kind::Bearer);
        auto *name = dialog.findChild<QLineEdit *>(u"secretName"_s);
        QCOMPARE(name->text(), u"api_token"_s);

        QSignalSpy stored(&dialog, &ui::CredentialsDialog::secretStored);
        typeSecret(dialog, Token);
        QCOMPARE(stored.size(), 1);
        QVERIFY(store.contains(u"fixture"_s, u"api_token"_s));
        QCOMPARE(storedValue(store, u"fixture"_s, u"api_token"_s), Token);

        const bridge::AuthConfig auth = dialog.document().upstream.auth;
        QCOMPARE(auth.kind, u"bearer"_s);
        QCOMPARE(auth.secret, u"api_token"_s);
        QVERIFY(!QString::fromUtf8(bridge::serializeDocument(dialog.document())).contains(Token));

        auto *field = dialog.findChild<QLineEdit *>(u"secretValue"_s);
        QVERIFY(field->text().isEmpty());
        QVERIFY2(field->placeholderText().startsWith(u"Stored in"_s),
                 qPrintable(field->placeholderText()));
        QVERIFY(dialog.secretStatusText().contains(u"Stored"_s));
        QVERIFY(!dialog.secretStatusText().contains(Token));

        // Test connection with what was just stored.
        chooseTool(dialog, u"check_bearer"_s);
        QVERIFY(runTest(dialog));
        QVERIFY2(dialog.testResultText().contains(u"200"_s), qPrintable(dialog.testResultText()));
        QVERIFY2(
            QRegularExpression(u"\\bin \\d+ ms\\b"_s).match(dialog.testResultText()).hasMatch(),
            qPrintable(dialog.testResultText()));
        QCOMPARE(QString::fromUtf8(m_api.lastRequest().header("Authorization")),
                 u"Bearer "_s + Token);
        QVERIFY(!dialog.testResultText().contains(Token));
        // For looking at the dialog by eye: MCPBRIDGE_UI_GRAB=<folder>.
        if (const QString grab = qEnvironmentVariable("MCPBRIDGE_UI_GRAB"); !grab.isEmpty()) {
            dialog.show();
            dialog.grab().save(QDir(grab).filePath(u"credentials.png"_s));
        }
    }

    void rejectedCredentialsShowTheHint()
    {
        secrets::MemorySecretStore store;
        ui::CredentialsDialog dialog(m_doc, &store);
        dialog.setKind(Kind::Bearer);
        typeSecret(dialog, u"wrong-token"_s);
        chooseTool(dialog, u"check_bearer"_s);
        QVERIFY(!runTest(dialog));
        const QString text = dialog.testResultText();
        QVERIFY2(text.contains(u"401"_s), qPrintable(text));
        QVERIFY2(text.contains(u"api_token"_s), qPrintable(text));
        QVERIFY2(text.contains(u"MCPBRIDGE_SECRET_API_TOKEN"_s), qPrintable(text));
        QVERIFY(!text.contains(u"wrong-token"_s));
    }

    void eachKindWorksAgainstTheApi_data()
    {
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<QString>("tool");
        QTest::addColumn<QString>("expectedKind");
        QTest::addColumn<QString>("expectedIn");
        QTest::addColumn<QString>("expectedSecret");
        QTest::newRow("api key header")
            << Kind::ApiKeyHeader << u"check_key"_s << u"apiKey"_s << u"header"_s << u"api_key"_s;
        QTest::newRow("api key query")
            << Kind::ApiKeyQuery << u"check_key"_s << u"apiKey"_s << u"query"_s << u"api_key"_s;
        QTest::newRow("api key cookie")
            << Kind::ApiKeyCookie << u"check_key"_s << u"apiKey"_s << u"cookie"_s << u"api_key"_s;
        QTest::newRow("basic") << Kind::Basic << u"check_basic"_s << u"basic"_s << QString()
                               << u"password"_s;
        QTest::newRow("oauth2") << Kind::OAuth2 << u"check_oauth"_s << u"oauth2ClientCredentials"_s
                                << QString() << u"client_secret"_s;
    }
    void eachKindWorksAgainstTheApi()
    {
        QFETCH(Kind, kind);
        QFETCH(QString, tool);
        QFETCH(QString, expectedKind);
        QFETCH(QString, expectedIn);
        QFETCH(QString, expectedSecret);
        secrets::MemorySecretStore store;
        ui::CredentialsDialog dialog(m_doc, &store);
        dialog.setKind(kind);
        if (kind == Kind::ApiKeyHeader)
            QCOMPARE(dialog.authConfig().name, u"X-Api-Key"_s);
        else if (kind == Kind::ApiKeyQuery || kind == Kind::ApiKeyCookie)
            QCOMPARE(dialog.authConfig().name, u"api_key"_s);
        if (kind == Kind::Basic) {
            auto *user = dialog.findChildren<QLineEdit *>().at(1);
            user->setText(u"user"_s);
        }
        if (kind == Kind::OAuth2) {
            const QList<QLineEdit *> edits = dialog.findChildren<QLineEdit *>();
            edits.at(2)->setText(m_api.baseUrl().toString() + u"/oauth/token"_s);
            edits.at(3)->setText(u"fixture-client"_s);
        }
        typeSecret(dialog, Token);
        const bridge::AuthConfig auth = dialog.authConfig();
        QCOMPARE(auth.kind, expectedKind);
        QCOMPARE(auth.in, expectedIn);
        QCOMPARE(auth.secret, expectedSecret);
        QCOMPARE(storedValue(store, u"fixture"_s, expectedSecret), Token);
        QVERIFY(!QString::fromUtf8(bridge::serializeDocument(dialog.document())).contains(Token));

        chooseTool(dialog, tool);
        QVERIFY2(runTest(dialog), qPrintable(dialog.testResultText()));
        QVERIFY2(dialog.testResultText().startsWith(u"200"_s), qPrintable(dialog.testResultText()));
        if (kind == Kind::OAuth2)
            QCOMPARE(m_api.oauthTokensIssued() > 0, true);
    }

    void storeFailureNamesTheEnvironmentVariable()
    {
        BrokenStore store;
        ui::CredentialsDialog dialog(m_doc, &store);
        dialog.setKind(Kind::Bearer);
        typeSecret(dialog, Token);
        const QString text = dialog.secretStatusText();
        QVERIFY2(text.contains(u"No keyring is available"_s), qPrintable(text));
        QVERIFY2(text.contains(u"MCPBRIDGE_SECRET_API_TOKEN"_s), qPrintable(text));
        QVERIFY(!text.contains(Token));
        auto *field = dialog.findChild<QLineEdit *>(u"secretValue"_s);
        QVERIFY(field->text().isEmpty());
        QVERIFY(!field->placeholderText().startsWith(u"Stored"_s));
    }

    void existingAuthIsShownAndNamesKept()
    {
        bridge::BridgeDocument doc = m_doc;
        doc.upstream.auth.kind = u"apiKey"_s;
        doc.upstream.auth.in = u"query"_s;
        doc.upstream.auth.name = u"key"_s;
        doc.upstream.auth.secret = u"my_key"_s;
        secrets::MemorySecretStore store;
        ui::CredentialsDialog dialog(doc, &store);
        QCOMPARE(dialog.kind(), Kind::ApiKeyQuery);
        QCOMPARE(dialog.authConfig(), doc.upstream.auth);
        // A name the user chose survives a change of kind.
        dialog.setKind(Kind::Bearer);
        QCOMPARE(dialog.authConfig().secret, u"my_key"_s);
        dialog.setKind(Kind::None);
        QCOMPARE(dialog.document().upstream.auth, bridge::AuthConfig());
    }
};

QTEST_MAIN(TestCredentialsDialog)
#include "tst_credentialsdialog.moc"
