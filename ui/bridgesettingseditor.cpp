#include "ui/bridgesettingseditor.h"

#include "core/bridge/documentio.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

namespace {

QString authSummary(const bridge::AuthConfig &auth)
{
    if (auth.kind.isEmpty() || auth.kind == "none"_L1)
        return QObject::tr("The API is called without signing in.");
    return QObject::tr("Signs in with %1; the secret \"%2\" is kept in your system keychain.")
        .arg(auth.kind, auth.secret);
}

} // namespace

BridgeSettingsEditor::BridgeSettingsEditor(QWidget *parent)
    : QWidget(parent)
{
    m_title = new QLineEdit;
    m_title->setToolTip(tr("The name people see for this bridge in their AI app"));
    m_title->setPlaceholderText(tr("e.g. Pantry & Recipes"));
    m_name = new QLineEdit;
    m_name->setToolTip(tr("A short machine name: letters, digits, '-' and '_'. Also names the "
                          "bridge in client configs and the keychain."));
    m_version = new QLineEdit;
    m_version->setToolTip(tr("Your own version number for this bridge, e.g. 1.0.0"));
    m_instructions = new QPlainTextEdit;
    m_instructions->setTabChangesFocus(true);
    m_instructions->setToolTip(tr("What the model reads before anything else: what this API is "
                                  "for and how to use its tools well"));
    m_instructions->setPlaceholderText(
        tr("e.g. Use these tools to look up recipes and keep the pantry list up to date. "
           "Search before fetching a recipe by id."));
    m_baseUrl = new QLineEdit;
    m_baseUrl->setToolTip(tr("The address every tool's path is added to, e.g. "
                             "https://api.example.com/v1. Calls can never leave it."));
    m_timeout = new QSpinBox;
    m_timeout->setRange(1, 600);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setToolTip(tr("How long one call to the API may take before it is given up"));
    m_auth = new QLabel;
    m_auth->setWordWrap(true);
    m_signIn = new QPushButton(tr("API &sign-in…"));
    m_signIn->setToolTip(tr("Choose how the bridge signs in to the API and store the token or "
                            "password in your system keychain"));
    connect(m_signIn, &QPushButton::clicked, this, &BridgeSettingsEditor::credentialsRequested);
    m_problemLabel = new QLabel;
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setAccessibleName(tr("Problems in the bridge settings"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Title:"), m_title);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Version:"), m_version);
    form->addRow(tr("&Instructions for the model:"), m_instructions);
    form->addRow(tr("API &address:"), m_baseUrl);
    form->addRow(tr("&Time limit per call:"), m_timeout);
    auto *authRow = new QHBoxLayout;
    authRow->addWidget(m_auth, 1);
    authRow->addWidget(m_signIn);
    form->addRow(tr("Sign-in:"), authRow);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problemLabel);
    layout->addStretch(1);

    for (QLineEdit *edit : {m_title, m_name, m_version, m_baseUrl})
        connect(edit, &QLineEdit::textEdited, this, &BridgeSettingsEditor::edited);
    connect(m_instructions, &QPlainTextEdit::textChanged, this, &BridgeSettingsEditor::edited);
    connect(m_timeout, &QSpinBox::valueChanged, this, &BridgeSettingsEditor::edited);
}

void BridgeSettingsEditor::setDocument(const bridge::BridgeDocument &document)
{
    m_loading = true;
    m_document = document;
    m_title->setText(document.server.title);
    m_name->setText(document.server.name);
    m_version->setText(document.server.version);
    if (m_instructions->toPlainText() != document.server.instructions)
        m_instructions->setPlainText(document.server.instructions);
    m_baseUrl->setText(document.upstream.baseUrl);
    m_timeout->setValue(qMax(1, document.upstream.timeoutMs / 1000));
    m_auth->setText(authSummary(document.upstream.auth));
    m_loading = false;
    showProblems();
}

void BridgeSettingsEditor::edited()
{
    if (m_loading)
        return;
    m_document.server.title = m_title->text();
    m_document.server.name = m_name->text().trimmed();
    m_document.server.version = m_version->text().trimmed();
    m_document.server.instructions = m_instructions->toPlainText();
    m_document.upstream.baseUrl = m_baseUrl->text().trimmed();
    // Keep sub-second precision a document may have unless the user changed the seconds.
    if (m_timeout->value() != qMax(1, m_document.upstream.timeoutMs / 1000))
        m_document.upstream.timeoutMs = m_timeout->value() * 1000;
    showProblems();
    emit documentChanged(m_document);
}

void BridgeSettingsEditor::applyTo(bridge::BridgeDocument &document) const
{
    document.server.title = m_document.server.title;
    document.server.name = m_document.server.name;
    document.server.version = m_document.server.version;
    document.server.instructions = m_document.server.instructions;
    document.upstream.baseUrl = m_document.upstream.baseUrl;
    document.upstream.timeoutMs = m_document.upstream.timeoutMs;
}

void BridgeSettingsEditor::showProblems()
{
    m_problems.clear();
    for (const bridge::Problem &problem : bridge::validateDocument(m_document))
        if (problem.pointer.startsWith("/server"_L1) || problem.pointer.startsWith("/upstream"_L1))
            m_problems << problem.message;
    m_problemLabel->setText(u"⚠ "_s + m_problems.join(u"\n⚠ "_s));
    m_problemLabel->setVisible(!m_problems.isEmpty());
}

} // namespace mcpbridge::ui
