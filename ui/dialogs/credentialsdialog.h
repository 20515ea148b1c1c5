#pragma once

// The studio's "API sign-in" dialog: how the bridge authenticates to the upstream API (the kind
// and the names of its secrets, written to the document) and the secret values themselves, which
// go straight to a SecretStore and are never shown again. Opened from the main window.

#include "core/bridge/bridgedocument.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace mcpbridge::secrets {
class SecretStore;
}
namespace mcpbridge::upstream {
class PendingCall;
class RestInvoker;
} // namespace mcpbridge::upstream

namespace mcpbridge::ui {

class CredentialsDialog : public QDialog
{
    Q_OBJECT
public:
    // The choices of the kind combo box, in its order.
    enum class Kind { None, Bearer, ApiKeyHeader, ApiKeyQuery, ApiKeyCookie, Basic, OAuth2 };

    CredentialsDialog(const bridge::BridgeDocument &document, secrets::SecretStore *store,
                      QWidget *parent = nullptr);
    ~CredentialsDialog() override;

    // The document with the auth settings as they are in the dialog now (names only).
    bridge::BridgeDocument document() const;
    bridge::AuthConfig authConfig() const;

    Kind kind() const;
    void setKind(Kind kind);

    // The names of the GET tools "Test connection" can call (no required arguments).
    QStringList testableTools() const;

    QString secretStatusText() const;
    QString testResultText() const;

public Q_SLOTS:
    // Sends what is typed in the secret field to the store and clears the field.
    void storeSecret();
    // Calls the tool chosen for testing with the current settings.
    void testConnection();

Q_SIGNALS:
    void secretStored(const QString &secretName);
    void testFinished(bool ok);

private:
    void buildUi();
    void loadAuth(const bridge::AuthConfig &auth);
    void updateRows();
    void setRowVisible(QWidget *field, bool visible);
    QString secretName() const;

    bridge::BridgeDocument m_document;
    QPointer<secrets::SecretStore> m_store;
    upstream::RestInvoker *m_invoker = nullptr;
    QPointer<upstream::PendingCall> m_call;
    Kind m_lastKind = Kind::None;

    QFormLayout *m_form = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_keyName = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_tokenUrl = nullptr;
    QLineEdit *m_clientId = nullptr;
    QLineEdit *m_scopes = nullptr;
    QLineEdit *m_secretName = nullptr;
    QLineEdit *m_secretValue = nullptr;
    QPushButton *m_storeButton = nullptr;
    QLabel *m_secretStatus = nullptr;
    QComboBox *m_testTool = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_testResult = nullptr;
};

} // namespace mcpbridge::ui
