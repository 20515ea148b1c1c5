#include "prompteditor.h"

#include "core/util/jsontext.h"
#include "editorparts.h"
#include "fieldmessage.h"
#include "itemchecks.h"
#include "itemlint.h"
#include "promptargumentmodel.h"
#include "promptmessagemodel.h"
#include "promptsample.h"

#include <QComboBox>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStringListModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

namespace {

// "Argument 2 (diet): ..." lines for the problems under `base` ("/arguments"), one entry each.
QString listProblemText(const QList<bridge::Problem> &problems, const QString &base,
                        const std::function<QString(int)> &label)
{
    QStringList lines;
    for (const bridge::Problem &p : problemsAt(problems, base)) {
        const QString rest = p.pointer.mid(base.size() + 1);
        bool isNumber = false;
        const int row = rest.section(u'/', 0, 0).toInt(&isNumber);
        lines.append(problemText({p}, isNumber ? label(row) + u": "_s : QString()));
    }
    return lines.join(u'\n');
}

} // namespace

PromptEditor::PromptEditor(QWidget *parent)
    : QWidget(parent)
{
    layOutEditor(
        this, [this] { return buildForm(); },
        [this](QWidget *splitter) { return buildPreview(splitter); });

    connectEdits();
    setDocument({}, -1);
}

void PromptEditor::connectEdits()
{
    connect(m_name, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_prompt.name = text;
        edited();
    });
    connect(m_title, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_prompt.title = text;
        edited();
    });
    connect(m_description, &QPlainTextEdit::textChanged, this, [this] {
        if (m_loading)
            return;
        m_prompt.description = m_description->toPlainText();
        edited();
    });

    connect(m_arguments, &PromptArgumentModel::argumentRenamed, this,
            &PromptEditor::renameArgument);
    connect(m_arguments, &PromptArgumentModel::argumentsEdited, this, [this] {
        if (m_loading)
            return;
        m_prompt.arguments = m_arguments->arguments();
        edited();
    });
    connect(m_addArgument, &QPushButton::clicked, this, [this] {
        editCell(m_argumentView, m_arguments->addArgument(), PromptArgumentModel::Name);
    });
    connect(m_removeArgument, &QPushButton::clicked, this,
            [this] { removeSelectedRows(m_argumentView); });
    connect(m_argumentView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        m_removeArgument->setEnabled(m_argumentView->selectionModel()->hasSelection());
    });

    connect(m_messages, &PromptMessageModel::messagesEdited, this, [this] {
        if (m_loading)
            return;
        m_prompt.messages = m_messages->messages();
        edited();
    });
    connect(m_messageView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &PromptEditor::loadMessage);
    connect(m_addMessage, &QPushButton::clicked, this, [this] {
        selectMessage(m_messages->addMessage());
        m_text->setFocus();
    });
    connect(m_removeMessage, &QPushButton::clicked, this, [this] {
        const int row = currentMessage();
        if (row < 0)
            return;
        m_messages->removeRow(row);
        selectMessage(std::min(row, m_messages->rowCount() - 1));
    });
    connect(m_moveUp, &QPushButton::clicked, this, [this] { moveMessage(-1); });
    connect(m_moveDown, &QPushButton::clicked, this, [this] { moveMessage(+1); });

    connect(m_role, &QComboBox::activated, this, [this] {
        const QString role = m_role->currentData().toString();
        editMessage([&](bridge::PromptMessage &m) { m.role = role; });
    });
    connect(m_type, &QComboBox::activated, this, [this] {
        const QString type = m_type->currentData().toString();
        editMessage([&](bridge::PromptMessage &m) { m.type = type; });
        loadMessage(); // shows the text or the resource field
    });
    connect(m_text, &QPlainTextEdit::textChanged, this, [this] {
        const QString text = m_text->toPlainText();
        editMessage([&](bridge::PromptMessage &m) { m.text = text; });
    });
    connect(m_uri, &QLineEdit::textChanged, this, [this](const QString &uri) {
        editMessage([&](bridge::PromptMessage &m) { m.uri = uri; });
    });
}

void PromptEditor::setDocument(const bridge::BridgeDocument &document, int index)
{
    m_others = document;
    m_prompt = {};
    if (index >= 0 && index < m_others.prompts.size())
        m_prompt = m_others.prompts.takeAt(index);
    QStringList uris;
    for (const bridge::Resource &r : std::as_const(m_others.resources))
        uris.append(r.uri);
    for (const bridge::ResourceTemplate &t : std::as_const(m_others.resourceTemplates))
        uris.append(t.uriTemplate);
    m_uriChoices->setStringList(uris);
    loadFields();
    refresh();
}

void PromptEditor::loadFields()
{
    m_loading = true;
    m_name->setText(m_prompt.name);
    m_title->setText(m_prompt.title);
    m_description->setPlainText(m_prompt.description);
    m_arguments->setArguments(m_prompt.arguments);
    m_argumentView->resizeColumnsToContents();
    m_messages->setMessages(m_prompt.messages);
    m_loading = false;
    selectMessage(m_prompt.messages.isEmpty() ? -1 : 0);
}

int PromptEditor::currentMessage() const
{
    const QModelIndex current = m_messageView->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void PromptEditor::selectMessage(int row)
{
    if (row >= 0 && row < m_messages->rowCount())
        m_messageView->setCurrentIndex(m_messages->index(row));
    else
        m_messageView->setCurrentIndex({});
    loadMessage();
}

void PromptEditor::loadMessage()
{
    const int row = currentMessage();
    const bool has = row >= 0;
    const bridge::PromptMessage m = m_messages->message(row);
    const bool loading = std::exchange(m_loading, true);
    m_messageDetail->setEnabled(has);
    m_removeMessage->setEnabled(has);
    m_moveUp->setEnabled(has && row > 0);
    m_moveDown->setEnabled(has && row + 1 < m_messages->rowCount());
    m_role->setCurrentIndex(std::max(0, m_role->findData(m.role)));
    m_type->setCurrentIndex(std::max(0, m_type->findData(m.type)));
    if (m_text->toPlainText() != m.text)
        m_text->setPlainText(m.text);
    if (m_uri->text() != m.uri)
        m_uri->setText(m.uri);
    const bool isText = m.type != u"resource" && m.type != u"image";
    m_text->setVisible(isText);
    m_textLabel->setVisible(isText);
    m_uri->setVisible(!isText);
    m_uriLabel->setVisible(!isText);
    m_loading = loading;
    showProblems();
}

void PromptEditor::editMessage(const std::function<void(bridge::PromptMessage &)> &edit)
{
    const int row = currentMessage();
    if (m_loading || row < 0)
        return;
    bridge::PromptMessage m = m_messages->message(row);
    edit(m);
    m_messages->setMessage(row, m); // emits messagesEdited when it changed
}

void PromptEditor::renameArgument(const QString &oldName, const QString &newName)
{
    // The messages follow the new name, so renaming never leaves a placeholder behind.
    const QString from = u'{' + oldName + u'}';
    const QString to = u'{' + newName + u'}';
    const bool loading = std::exchange(m_loading, true);
    for (int row = 0; row < m_messages->rowCount(); ++row) {
        bridge::PromptMessage m = m_messages->message(row);
        m.text.replace(from, to);
        m.uri.replace(from, to);
        m_messages->setMessage(row, m);
    }
    m_loading = loading;
    m_prompt.messages = m_messages->messages();
    loadMessage();
}

void PromptEditor::moveMessage(int by)
{
    const int row = currentMessage();
    const int target = row + by;
    if (row < 0 || target < 0 || target >= m_messages->rowCount())
        return;
    m_messages->moveRow({}, row, {}, by > 0 ? target + 1 : target);
    selectMessage(target);
}

void PromptEditor::edited()
{
    if (m_loading)
        return;
    refresh();
    // Also while invalid: the document keeps what the user typed (see ToolEditor::edited).
    emit promptChanged(m_prompt);
}

void PromptEditor::refresh()
{
    const bool wasValid = m_valid;
    m_problems = promptProblems(m_prompt, m_others);
    m_valid = !hasErrors(m_problems);
    showProblems();
    if (wasValid != m_valid)
        emit validityChanged(m_valid);

    m_hints = lintPromptDescription(m_prompt, m_others);
    showHints(m_hintModel, m_hints, tr("No suggestions: the prompt reads well."));

    QStringList names;
    for (const bridge::PromptArgument &a : std::as_const(m_prompt.arguments)) {
        if (!a.name.isEmpty())
            names.append(u'{' + a.name + u'}');
    }
    m_placeholders->setText(names.isEmpty()
                                ? tr("Add arguments to write their values into a message.")
                                : tr("Placeholders you can write: %1").arg(names.join(u"  "_s)));

    const QJsonObject arguments = sampleArguments(m_prompt);
    QStringList values;
    for (auto it = arguments.begin(); it != arguments.end(); ++it)
        values.append(u"%1 = %2"_s.arg(it.key(), it.value().toString()));
    m_sampleCaption->setText(values.isEmpty() ? tr("What the model receives when the prompt is "
                                                   "used:")
                                              : tr("What the model receives when the prompt is "
                                                   "used with %1:")
                                                    .arg(values.join(u", "_s)));
    showPreview(m_preview, previewText());
    showPreview(m_samplePreview, samplePreviewText());
}

void PromptEditor::showProblems()
{
    showFieldMessage(m_nameMessage, m_name, problemText(problemsAt(m_problems, u"/name"_s)));
    showFieldMessage(m_descriptionMessage, m_description,
                     problemText(problemsAt(m_problems, u"/description"_s)));
    showFieldMessage(m_argumentsMessage, m_argumentView,
                     listProblemText(m_problems, u"/arguments"_s, [this](int row) {
                         const QString name = m_prompt.arguments.value(row).name;
                         return name.isEmpty() ? tr("Argument %1").arg(row + 1)
                                               : tr("Argument %1 (%2)").arg(row + 1).arg(name);
                     }));

    QList<int> flagged;
    QList<bridge::Problem> listLevel;
    for (const bridge::Problem &p : problemsAt(m_problems, u"/messages"_s)) {
        bool isNumber = false;
        const int row = p.pointer.section(u'/', 2, 2).toInt(&isNumber);
        if (!isNumber)
            listLevel.append(p);
        else if (!flagged.contains(row))
            flagged.append(row);
    }
    m_messages->setFlaggedRows(flagged);
    showFieldMessage(m_messagesMessage, m_messageView, problemText(listLevel));
    const int row = currentMessage();
    const QList<bridge::Problem> mine
        = row < 0 ? QList<bridge::Problem>{} : problemsAt(m_problems, u"/messages/%1"_s.arg(row));
    const bool isText = m_messages->message(row).type == u"text";
    showFieldMessage(m_messageMessage, isText ? static_cast<QWidget *>(m_text) : m_uri,
                     problemText(mine));

    QList<bridge::Problem> rest = m_problems;
    rest.removeIf([](const bridge::Problem &p) {
        for (const QString &known :
             {u"/name"_s, u"/description"_s, u"/arguments"_s, u"/messages"_s}) {
            if (p.pointer == known || p.pointer.startsWith(known + u'/'))
                return true;
        }
        return false;
    });
    showFieldMessage(m_otherMessage, nullptr, problemText(rest));
}

QString PromptEditor::previewText() const
{
    return QString::fromUtf8(json::pretty(m_prompt.toMcp()));
}

QString PromptEditor::samplePreviewText() const
{
    return QString::fromUtf8(
        json::pretty(samplePromptResult(m_prompt, sampleArguments(m_prompt), m_others)));
}

} // namespace mcpbridge::editors
