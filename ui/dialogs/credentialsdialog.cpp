// The credentials dialog: auth kind and secret names into the document, secret values into the
// store (never kept), and a test call through the real RestInvoker.

#include "ui/dialogs/credentialsdialog.h"

#include "core/secrets/envsecretstore.h"
#include "core/secrets/secretstore.h"
#include "core/upstream/restinvoker.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <memory>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

namespace {

using Kind = CredentialsDialog::Kind;

QString defaultSecretName(Kind kind)
{
    switch (kind) {
    case Kind::None: return {};
    case Kind::Bearer: return u"api_token"_s;
    case Kind::ApiKeyHeader:
    case Kind::ApiKeyQuery:
    case Kind::ApiKeyCookie: return u"api_key"_s;
    case Kind::Basic: return u"password"_s;
    case Kind::OAuth2: return u"client_secret"_s;
    }
    return {};
}

QString defaultKeyName(Kind kind)
{
    return kind == Kind::ApiKeyHeader ? u"X-Api-Key"_s : u"api_key"_s;
}

bool isApiKey(Kind kind)
{
    return kind == Kind::ApiKeyHeader || kind == Kind::ApiKeyQuery || kind == Kind::ApiKeyCookie;
}

QString firstText(const QJsonObject &result)
{
    const QJsonArray content = result.value(u"content"_s).toArray();
    for (const QJsonValue &part : content) {
        if (part.toObject().value(u"type"_s).toString() == u"text")
            return part.toObject().value(u"text"_s).toString();
    }
    return {};
}

} // namespace

CredentialsDialog::CredentialsDialog(const bridge::BridgeDocument &document,
                                     secrets::SecretStore *store, QWidget *parent)
    : QDialog(parent)
    , m_document(document)
    , m_store(store)
    , m_invoker(new upstream::RestInvoker(store, nullptr, this))
{
    buildUi();
    loadAuth(document.upstream.auth);
}

CredentialsDialog::~CredentialsDialog()
{
    if (m_call)
        m_call->abort();
}

void CredentialsDialog::buildUi()
{
    setWindowTitle(tr("Sign-in to the API"));

    m_kind = new QComboBox(this);
    m_kind->setObjectName(u"kind"_s);
    m_kind->addItem(tr("No sign-in needed"));
    m_kind->addItem(tr("Access token (Bearer)"));
    m_kind->addItem(tr("API key in a header"));
    m_kind->addItem(tr("API key in the address (query)"));
    m_kind->addItem(tr("API key in a cookie"));
    m_kind->addItem(tr("User name and password (Basic)"));
    m_kind->addItem(tr("OAuth 2 client credentials"));
    m_kind->setToolTip(tr("How the API checks who is calling it. The API's documentation says "
                          "which one it uses."));

    m_keyName = new QLineEdit(this);
    m_keyName->setToolTip(tr("The name the API expects the key under, e.g. X-Api-Key"));
    m_username = new QLineEdit(this);
    m_username->setToolTip(tr("The user name to sign in with (not secret)"));
    m_tokenUrl = new QLineEdit(this);
    m_tokenUrl->setToolTip(tr("The address where the bridge gets an access token"));
    m_clientId = new QLineEdit(this);
    m_clientId->setToolTip(tr("The client ID the API gave you (not secret)"));
    m_scopes = new QLineEdit(this);
    m_scopes->setToolTip(tr("Permissions to ask for, separated by spaces (optional)"));
    m_secretName = new QLineEdit(this);
    m_secretName->setObjectName(u"secretName"_s);
    m_secretName->setToolTip(tr("A name for the secret. The bridge file stores only this name; "
                                "the value stays in %1.")
                                 .arg(m_store ? m_store->describe() : tr("the keychain")));

    m_secretValue = new QLineEdit(this);
    m_secretValue->setObjectName(u"secretValue"_s);
    m_secretValue->setEchoMode(QLineEdit::Password);
    m_secretValue->setToolTip(tr("Type or paste the secret, then press Store. It is saved in %1 "
                                 "and never shown again.")
                                  .arg(m_store ? m_store->describe() : tr("the keychain")));
    m_storeButton = new QPushButton(tr("&Store"), this);
    m_storeButton->setObjectName(u"storeButton"_s);
    m_storeButton->setToolTip(tr("Save the secret and clear the field"));
    auto *valueRow = new QWidget(this);
    auto *valueLayout = new QHBoxLayout(valueRow);
    valueLayout->setContentsMargins(0, 0, 0, 0);
    valueLayout->addWidget(m_secretValue, 1);
    valueLayout->addWidget(m_storeButton);

    m_secretStatus = new QLabel(this);
    m_secretStatus->setObjectName(u"secretStatus"_s);
    m_secretStatus->setWordWrap(true);
    m_secretStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_form = new QFormLayout;
    m_form->addRow(tr("&Kind of sign-in:"), m_kind);
    m_form->addRow(tr("Key na&me:"), m_keyName);
    m_form->addRow(tr("&User name:"), m_username);
    m_form->addRow(tr("Token addr&ess:"), m_tokenUrl);
    m_form->addRow(tr("C&lient ID:"), m_clientId);
    m_form->addRow(tr("Sco&pes:"), m_scopes);
    m_form->addRow(tr("Secret &name:"), m_secretName);
    m_form->addRow(tr("Secret &value:"), valueRow);
    m_form->addRow(QString(), m_secretStatus);

    auto *testBox = new QGroupBox(tr("Test the connection"), this);
    m_testTool = new QComboBox(testBox);
    m_testTool->setObjectName(u"testTool"_s);
    m_testTool->setToolTip(tr("A tool that only reads data and needs no input; it is called "
                              "once to check the sign-in."));
    for (const bridge::Tool &tool : m_document.tools) {
        if (tool.method.compare(u"GET"_s, Qt::CaseInsensitive) != 0)
            continue;
        const bool needsInput = std::any_of(tool.parameters.cbegin(), tool.parameters.cend(),
                                            [](const bridge::Parameter &p) { return p.required; })
                                || !tool.inputSchema.value(u"required"_s).toArray().isEmpty();
        if (!needsInput)
            m_testTool->addItem(tool.title.isEmpty() ? tool.name : tool.title, tool.name);
    }
    m_test = new QPushButton(tr("&Test connection"), testBox);
    m_test->setObjectName(u"testButton"_s);
    m_test->setToolTip(tr("Call the chosen tool with these settings and show the API's answer"));
    m_testResult = new QLabel(testBox);
    m_testResult->setObjectName(u"testResult"_s);
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (m_testTool->count() == 0) {
        m_testTool->setEnabled(false);
        m_test->setEnabled(false);
        m_testResult->setText(tr("No tool can be used for a test: it needs a GET tool without "
                                 "required inputs."));
    }
    auto *toolLabel = new QLabel(tr("T&ool:"), testBox);
    toolLabel->setBuddy(m_testTool);
    auto *testLayout = new QGridLayout(testBox);
    testLayout->addWidget(toolLabel, 0, 0);
    testLayout->addWidget(m_testTool, 0, 1);
    testLayout->addWidget(m_test, 0, 2);
    testLayout->addWidget(m_testResult, 1, 0, 1, 3);
    testLayout->setColumnStretch(1, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setToolTip(tr("Keep these sign-in settings"));
    buttons->button(QDialogButtonBox::Cancel)
        ->setToolTip(tr("Forget changes to the settings (stored secrets stay stored)"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *outer = new QVBoxLayout(this);
    outer->addLayout(m_form);
    outer->addWidget(testBox);
    outer->addStretch();
    outer->addWidget(buttons);
    // Room for the explanations without fixed pixels: follows the font (and so the DPI).
    setMinimumWidth(fontMetrics().averageCharWidth() * 90);

    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] { updateRows(); });
    connect(m_storeButton, &QPushButton::clicked, this, &CredentialsDialog::storeSecret);
    connect(m_secretValue, &QLineEdit::returnPressed, this, &CredentialsDialog::storeSecret);
    connect(m_test, &QPushButton::clicked, this, &CredentialsDialog::testConnection);
}

void CredentialsDialog::loadAuth(const bridge::AuthConfig &auth)
{
    Kind kind = Kind::None;
    if (auth.kind == u"bearer")
        kind = Kind::Bearer;
    else if (auth.kind == u"apiKey")
        kind = auth.in == u"query"    ? Kind::ApiKeyQuery
               : auth.in == u"cookie" ? Kind::ApiKeyCookie
                                      : Kind::ApiKeyHeader;
    else if (auth.kind == u"basic")
        kind = Kind::Basic;
    else if (auth.kind == u"oauth2ClientCredentials")
        kind = Kind::OAuth2;
    m_keyName->setText(auth.name);
    m_username->setText(auth.username);
    m_tokenUrl->setText(auth.tokenUrl);
    m_clientId->setText(auth.clientId);
    m_scopes->setText(auth.scopes.join(u' '));
    m_secretName->setText(auth.secret);
    m_lastKind = kind;
    const QSignalBlocker block(m_kind);
    m_kind->setCurrentIndex(static_cast<int>(kind));
    updateRows();
}

void CredentialsDialog::setRowVisible(QWidget *field, bool visible)
{
    m_form->setRowVisible(field, visible);
}

void CredentialsDialog::updateRows()
{
    const Kind k = kind();
    // Names the user has not changed follow the kind; typed ones are kept.
    if (m_secretName->text().isEmpty() || m_secretName->text() == defaultSecretName(m_lastKind))
        m_secretName->setText(defaultSecretName(k));
    if (isApiKey(k)
        && (m_keyName->text().isEmpty()
            || (isApiKey(m_lastKind) && m_keyName->text() == defaultKeyName(m_lastKind)))) {
        m_keyName->setText(defaultKeyName(k));
    }
    m_lastKind = k;

    setRowVisible(m_keyName, isApiKey(k));
    setRowVisible(m_username, k == Kind::Basic);
    setRowVisible(m_tokenUrl, k == Kind::OAuth2);
    setRowVisible(m_clientId, k == Kind::OAuth2);
    setRowVisible(m_scopes, k == Kind::OAuth2);
    setRowVisible(m_secretName, k != Kind::None);
    setRowVisible(m_secretValue->parentWidget(), k != Kind::None);
    setRowVisible(m_secretStatus, k != Kind::None);
    m_secretValue->setPlaceholderText(tr("Type the value to save it in %1")
                                          .arg(m_store ? m_store->describe() : tr("the keychain")));
    m_secretStatus->clear();
}

CredentialsDialog::Kind CredentialsDialog::kind() const
{
    return static_cast<Kind>(qMax(0, m_kind->currentIndex()));
}

void CredentialsDialog::setKind(Kind kind)
{
    m_kind->setCurrentIndex(static_cast<int>(kind));
}

QString CredentialsDialog::secretName() const
{
    return m_secretName->text().trimmed();
}

bridge::AuthConfig CredentialsDialog::authConfig() const
{
    bridge::AuthConfig auth;
    const Kind k = kind();
    switch (k) {
    case Kind::None: return auth;
    case Kind::Bearer: auth.kind = u"bearer"_s; break;
    case Kind::ApiKeyHeader:
    case Kind::ApiKeyQuery:
    case Kind::ApiKeyCookie:
        auth.kind = u"apiKey"_s;
        auth.in = k == Kind::ApiKeyHeader  ? u"header"_s
                  : k == Kind::ApiKeyQuery ? u"query"_s
                                           : u"cookie"_s;
        auth.name = m_keyName->text().trimmed();
        break;
    case Kind::Basic:
        auth.kind = u"basic"_s;
        auth.username = m_username->text().trimmed();
        break;
    case Kind::OAuth2:
        auth.kind = u"oauth2ClientCredentials"_s;
        auth.tokenUrl = m_tokenUrl->text().trimmed();
        auth.clientId = m_clientId->text().trimmed();
        auth.scopes = m_scopes->text().split(u' ', Qt::SkipEmptyParts);
        break;
    }
    auth.secret = secretName();
    return auth;
}

bridge::BridgeDocument CredentialsDialog::document() const
{
    bridge::BridgeDocument document = m_document;
    document.upstream.auth = authConfig();
    return document;
}

QStringList CredentialsDialog::testableTools() const
{
    QStringList names;
    for (int i = 0; i < m_testTool->count(); ++i)
        names << m_testTool->itemData(i).toString();
    return names;
}

QString CredentialsDialog::secretStatusText() const
{
    return m_secretStatus->text();
}

QString CredentialsDialog::testResultText() const
{
    return m_testResult->text();
}

void CredentialsDialog::storeSecret()
{
    const QString name = secretName();
    if (kind() == Kind::None)
        return;
    if (m_secretValue->text().isEmpty()) {
        m_secretStatus->setText(tr("Type the secret into the field first."));
        return;
    }
    if (name.isEmpty() || m_document.server.name.isEmpty()) {
        m_secretStatus->setText(name.isEmpty()
                                    ? tr("Give the secret a name first.")
                                    : tr("Give the bridge a name first: secrets are kept "
                                         "under it."));
        return;
    }
    if (!m_store) {
        m_secretStatus->setText(tr("There is no place to store secrets. Set the environment "
                                   "variable %1 before starting the bridge instead.")
                                    .arg(secrets::EnvSecretStore::variableName(name)));
        return;
    }
    // The value lives only in this local and the store's request; the field forgets it now.
    QString value = m_secretValue->text();
    m_secretValue->clear();
    m_secretStatus->setText(tr("Saving…"));
    const QString where = m_store->describe();
    QPointer<CredentialsDialog> self(this);
    m_store->write(m_document.server.name, name, value, [self, name, where](Result<void> done) {
        if (!self)
            return;
        if (done) {
            self->m_secretValue->setPlaceholderText(
                tr("Stored in %1. Type a new value to replace it.").arg(where));
            self->m_secretStatus->setText(tr("Stored \"%1\" in %2.").arg(name, where));
            Q_EMIT self->secretStored(name);
            return;
        }
        self->m_secretStatus->setText(
            tr("Could not save the secret in %1: %2\nInstead, set the environment variable %3 "
               "to the value before the bridge starts (for example in the app's config).")
                .arg(where, done.error().message, secrets::EnvSecretStore::variableName(name)));
    });
    value.fill(u'\0');
    value.clear();
}

void CredentialsDialog::testConnection()
{
    const QString toolName = m_testTool->currentData().toString();
    const bridge::BridgeDocument current = document();
    const bridge::Tool *tool = current.findTool(toolName);
    if (!tool) {
        m_testResult->setText(tr("Choose a tool to call first."));
        return;
    }
    if (m_call)
        m_call->abort();
    m_test->setEnabled(false);
    m_testResult->setText(tr("Calling %1…").arg(toolName));

    // The invoker's own log line carries the status and the time the API took to answer.
    struct Seen
    {
        QString status;
        QString ms;
    };
    auto seen = std::make_shared<Seen>();
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    upstream::CallContext context;
    context.transport = u"studio"_s;
    context.log = [seen](const QString &, const QString &message) {
        static const QRegularExpression outcome(u"^(\\d{3}(?: [^,]*?)?) after (\\d+) ms"_s);
        const QRegularExpressionMatch m = outcome.match(message);
        if (m.hasMatch()) {
            seen->status = m.captured(1);
            seen->ms = m.captured(2);
        }
    };
    QPointer<CredentialsDialog> self(this);
    m_call = m_invoker->callTool(
        current, *tool, QJsonObject(), context, [self, seen, clock](QJsonObject result) {
            if (!self)
                return;
            self->m_test->setEnabled(true);
            const bool isError = result.value(u"isError"_s).toBool();
            const QString ms = seen->ms.isEmpty() ? QString::number(clock->elapsed()) : seen->ms;
            QString text;
            if (!seen->status.isEmpty())
                text = tr("%1 in %2 ms").arg(seen->status, ms);
            if (isError) {
                const QString hint = firstText(result);
                text = text.isEmpty() ? hint : tr("%1: %2").arg(text, hint);
            }
            self->m_testResult->setText(text);
            Q_EMIT self->testFinished(!isError);
        });
}

} // namespace mcpbridge::ui
