#pragma once

// The editor behind "Bridge settings" in the studio's outline: the name and title clients show,
// the instructions the model reads at the start of every conversation, the API's address and how
// long a call may take. Sign-in to the API has its own dialog, opened from here.

#include "core/bridge/bridgedocument.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace mcpbridge::ui {

class BridgeSettingsEditor : public QWidget
{
    Q_OBJECT
public:
    explicit BridgeSettingsEditor(QWidget *parent = nullptr);

    void setDocument(const bridge::BridgeDocument &document);
    // The document given to setDocument with this editor's fields applied.
    bridge::BridgeDocument document() const { return m_document; }
    // Writes this editor's fields (server info, API address, time limit) into `document`,
    // leaving everything else as it is there (sign-in, tools ...).
    void applyTo(bridge::BridgeDocument &document) const;
    QStringList problems() const { return m_problems; }

    QLineEdit *titleEdit() const { return m_title; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    QPlainTextEdit *instructionsEdit() const { return m_instructions; }
    QSpinBox *timeoutSpin() const { return m_timeout; }

signals:
    void documentChanged(const mcpbridge::bridge::BridgeDocument &document);
    void credentialsRequested();

private:
    void edited();
    void showProblems();

    bridge::BridgeDocument m_document;
    QStringList m_problems;
    bool m_loading = false;
    QLineEdit *m_title = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_version = nullptr;
    QPlainTextEdit *m_instructions = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QSpinBox *m_timeout = nullptr;
    QLabel *m_auth = nullptr;
    QPushButton *m_signIn = nullptr;
    QLabel *m_problemLabel = nullptr;
};

} // namespace mcpbridge::ui
