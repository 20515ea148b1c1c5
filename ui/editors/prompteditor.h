#pragma once

// Edits one prompt of a bridge document: name (checked as you type), title, description with
// hints, its arguments as a table, and its messages (who says each, its text with {argument}
// placeholders, or a resource it includes). Checked with the same rules as `mcpbridge check`,
// plus warnings for arguments no message uses and resources the bridge does not serve. Two live
// previews: the prompts/list entry, and a sample prompts/get result with example values. Used
// by the studio main window.

#include "core/bridge/bridgedocument.h"
#include "core/bridge/documentio.h"
#include "descriptionlint.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QStringListModel;
class QTableView;

namespace mcpbridge::editors {

class PromptArgumentModel;
class PromptMessageModel;

class PromptEditor : public QWidget
{
    Q_OBJECT

public:
    explicit PromptEditor(QWidget *parent = nullptr);

    // Edits `document.prompts[index]`; the rest of `document` is what the name, descriptions
    // and included resources are checked against. An index out of range edits a new, empty
    // prompt. Does not emit promptChanged.
    void setDocument(const bridge::BridgeDocument &document, int index);
    bridge::Prompt prompt() const { return m_prompt; }

    bool isValid() const { return m_valid; }
    // Errors and warnings of the prompt; pointers are relative to it ("/name",
    // "/messages/1/text", "/arguments/0").
    QList<bridge::Problem> problems() const { return m_problems; }
    QList<LintHint> lintHints() const { return m_hints; }
    QString previewText() const;       // the prompts/list entry
    QString samplePreviewText() const; // a prompts/get result with example values

    PromptArgumentModel *argumentModel() const { return m_arguments; }
    PromptMessageModel *messageModel() const { return m_messages; }
    // Selects message `row` for editing beside the list.
    void selectMessage(int row);

signals:
    // After every edit, also one that leaves the prompt invalid (see isValid(), problems()).
    void promptChanged(const mcpbridge::bridge::Prompt &prompt);
    void validityChanged(bool valid);

private:
    QWidget *buildForm();
    QWidget *buildArguments(QWidget *parent);
    QWidget *buildMessages(QWidget *parent);
    QWidget *buildPreview(QWidget *parent);
    void connectEdits();
    void loadFields();
    void loadMessage(); // the selected message into the fields beside the list
    void editMessage(const std::function<void(bridge::PromptMessage &)> &edit);
    void renameArgument(const QString &oldName, const QString &newName);
    void moveMessage(int by);
    int currentMessage() const;
    void edited();
    void refresh();
    void showProblems();

    bridge::BridgeDocument m_others; // the document without the edited prompt
    bridge::Prompt m_prompt;
    QList<bridge::Problem> m_problems;
    QList<LintHint> m_hints;
    bool m_valid = true;
    bool m_loading = false;

    QLabel *m_otherMessage = nullptr;
    QLineEdit *m_name = nullptr;
    QLabel *m_nameMessage = nullptr;
    QLineEdit *m_title = nullptr;
    QPlainTextEdit *m_description = nullptr;
    QLabel *m_descriptionMessage = nullptr;
    QStringListModel *m_hintModel = nullptr;
    QListView *m_hintView = nullptr;

    PromptArgumentModel *m_arguments = nullptr;
    QTableView *m_argumentView = nullptr;
    QPushButton *m_addArgument = nullptr;
    QPushButton *m_removeArgument = nullptr;
    QLabel *m_argumentsMessage = nullptr;

    PromptMessageModel *m_messages = nullptr;
    QListView *m_messageView = nullptr;
    QPushButton *m_addMessage = nullptr;
    QPushButton *m_removeMessage = nullptr;
    QPushButton *m_moveUp = nullptr;
    QPushButton *m_moveDown = nullptr;
    QLabel *m_messagesMessage = nullptr;
    QWidget *m_messageDetail = nullptr;
    QComboBox *m_role = nullptr;
    QComboBox *m_type = nullptr;
    QLabel *m_textLabel = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QLabel *m_uriLabel = nullptr;
    QLineEdit *m_uri = nullptr;
    QStringListModel *m_uriChoices = nullptr;
    QLabel *m_placeholders = nullptr;
    QLabel *m_messageMessage = nullptr;

    QPlainTextEdit *m_preview = nullptr;
    QLabel *m_sampleCaption = nullptr;
    QPlainTextEdit *m_samplePreview = nullptr;
};

} // namespace mcpbridge::editors
