// The widgets of PromptEditor: the form on the left, the previews on the right. Kept apart from
// prompteditor.cpp, which holds what happens when something is edited.

#include "editorparts.h"
#include "fieldmessage.h"
#include "promptargumentmodel.h"
#include "prompteditor.h"
#include "promptmessagemodel.h"

#include <QComboBox>
#include <QCompleter>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStringListModel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

QWidget *PromptEditor::buildForm()
{
    auto *form = new QWidget;
    auto *formLayout = new QFormLayout(form);
    formLayout->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_otherMessage = newFieldMessage(form, u"otherMessage"_s);
    formLayout->addRow(m_otherMessage);

    m_name = newLineEdit(u"name"_s, tr("Name"), tr("e.g. plan_week"),
                         tr("The name apps use for this prompt. Letters A to Z, digits and _ . - "
                            "only, at most 64 characters, different from every other prompt."),
                         form);
    m_nameMessage = newFieldMessage(form, u"nameMessage"_s);
    formLayout->addRow(fieldLabel(tr("&Name:"), m_name, form), fieldColumn(m_name, m_nameMessage));

    m_title = newLineEdit(u"title"_s, tr("Title"),
                          tr("A name for people, e.g. \"Plan the week's meals\""),
                          tr("A friendly name shown to people when they pick a prompt "
                             "(optional)."),
                          form);
    formLayout->addRow(fieldLabel(tr("&Title:"), m_title, form), m_title);

    m_description = newTextEdit(u"description"_s, tr("Description"),
                                tr("What the prompt does, e.g. \"Plans dinners for the "
                                   "week from what is in the pantry.\""),
                                tr("Shown to people when they pick a prompt, and sent to the model "
                                   "with it."),
                                form);
    const int line = m_description->fontMetrics().lineSpacing();
    m_description->setMinimumHeight(line * 3);
    m_description->setMaximumHeight(line * 7);
    m_descriptionMessage = newFieldMessage(form, u"descriptionMessage"_s);
    m_hintModel = new QStringListModel(this);
    m_hintView = newHintList(m_hintModel, tr("Hints about the description and arguments"),
                             tr("Suggestions to make the prompt easy to use. They are advice "
                                "only."),
                             form);
    m_hintView->setMaximumHeight(line * 5);
    formLayout->addRow(fieldLabel(tr("&Description:"), m_description, form),
                       fieldColumn(m_description, m_descriptionMessage, m_hintView));

    formLayout->addRow(buildArguments(form));
    formLayout->addRow(buildMessages(form));
    return form;
}

QWidget *PromptEditor::buildArguments(QWidget *parent)
{
    auto *box = new QGroupBox(tr("&Arguments"), parent);
    box->setToolTip(tr("The values people give when they use the prompt. Write {name} in a "
                       "message where a value belongs."));
    m_arguments = new PromptArgumentModel(this);
    m_argumentView = new QTableView(box);
    m_argumentView->setObjectName(u"arguments"_s);
    m_argumentView->setAccessibleName(tr("Arguments"));
    m_argumentView->setModel(m_arguments);
    m_argumentView->setSelectionBehavior(QAbstractItemView::SelectRows);
    setUpEditableTable(m_argumentView);
    m_argumentView->setToolTip(tr("Double-click or start typing in a cell to change it."));
    m_argumentView->setMinimumHeight(m_argumentView->fontMetrics().lineSpacing() * 5);
    m_argumentView->setMaximumHeight(m_argumentView->fontMetrics().lineSpacing() * 12);
    m_addArgument = newButton(tr("Add a&rgument"), u"addArgument"_s,
                              tr("Add a value people give when they use the prompt."), box);
    m_removeArgument = newButton(tr("Remo&ve argument"), u"removeArgument"_s,
                                 tr("Remove the selected arguments."), box);
    m_removeArgument->setEnabled(false);
    m_argumentsMessage = newFieldMessage(box, u"argumentsMessage"_s);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addArgument);
    buttons->addWidget(m_removeArgument);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_argumentView);
    layout->addLayout(buttons);
    layout->addWidget(m_argumentsMessage);
    return box;
}

QWidget *PromptEditor::buildMessages(QWidget *parent)
{
    auto *box = new QGroupBox(tr("&Messages"), parent);
    box->setToolTip(tr("What the model receives when someone uses the prompt, in order."));
    m_messages = new PromptMessageModel(this);
    m_messageView = new QListView(box);
    m_messageView->setObjectName(u"messages"_s);
    m_messageView->setAccessibleName(tr("Messages"));
    m_messageView->setModel(m_messages);
    m_messageView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_messageView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_messageView->setWordWrap(true);
    m_messageView->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_messageView->setToolTip(tr("Pick a message to change it below. A \u26A0 marks a message "
                                 "with a problem."));
    m_messageView->setMinimumHeight(m_messageView->fontMetrics().lineSpacing() * 5);
    m_messageView->setMaximumHeight(m_messageView->fontMetrics().lineSpacing() * 10);
    m_addMessage
        = newButton(tr("Add m&essage"), u"addMessage"_s, tr("Add a message at the end."), box);
    m_removeMessage = newButton(tr("Remove messa&ge"), u"removeMessage"_s,
                                tr("Remove the selected message."), box);
    m_moveUp
        = newButton(tr("Move &up"), u"moveUp"_s, tr("Send the selected message earlier."), box);
    m_moveDown
        = newButton(tr("Move do&wn"), u"moveDown"_s, tr("Send the selected message later."), box);
    auto *buttons = new QVBoxLayout;
    for (QPushButton *b : {m_addMessage, m_removeMessage, m_moveUp, m_moveDown})
        buttons->addWidget(b);
    buttons->addStretch(1);
    auto *listRow = new QHBoxLayout;
    listRow->addWidget(m_messageView, 1);
    listRow->addLayout(buttons);
    m_messagesMessage = newFieldMessage(box, u"messagesMessage"_s);

    // The selected message.
    m_messageDetail = new QWidget(box);
    auto *detail = new QFormLayout(m_messageDetail);
    detail->setContentsMargins(0, 0, 0, 0);
    detail->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_role = new QComboBox(m_messageDetail);
    m_role->setObjectName(u"role"_s);
    m_role->setAccessibleName(tr("Who says it"));
    m_role->addItem(tr("User"), u"user"_s);
    m_role->addItem(tr("Assistant"), u"assistant"_s);
    m_role->setToolTip(tr("User: the message comes from the person. Assistant: the model said "
                          "it earlier, e.g. to set an example."));
    m_type = new QComboBox(m_messageDetail);
    m_type->setObjectName(u"type"_s);
    m_type->setAccessibleName(tr("Kind of message"));
    m_type->addItem(tr("Text"), u"text"_s);
    m_type->addItem(tr("Resource (include its content)"), u"resource"_s);
    m_type->addItem(tr("Image (show a resource that is a picture)"), u"image"_s);
    m_type->setToolTip(tr("Text: words you write. Resource: the bridge reads a resource from the "
                          "API and includes it. Image: likewise, for a picture."));
    auto *kindRow = new QHBoxLayout;
    kindRow->addWidget(m_role);
    kindRow->addWidget(fieldLabel(tr("T&ype:"), m_type, m_messageDetail));
    kindRow->addWidget(m_type, 1);
    detail->addRow(fieldLabel(tr("R&ole:"), m_role, m_messageDetail), kindRow);

    m_text
        = newTextEdit(u"text"_s, tr("Message text"), tr("e.g. Plan dinners for {people} people."),
                      tr("The words of the message. Write {name} where the value of an "
                         "argument belongs."),
                      m_messageDetail);
    m_text->setMinimumHeight(m_text->fontMetrics().lineSpacing() * 4);
    m_text->setMaximumHeight(m_text->fontMetrics().lineSpacing() * 10);
    m_textLabel = fieldLabel(tr("Te&xt:"), m_text, m_messageDetail);
    detail->addRow(m_textLabel, m_text);

    m_uri = newLineEdit(u"messageUri"_s, tr("Resource to include"), tr("e.g. pantry://inventory"),
                        tr("The URI of one of this bridge's resources. It may use {name} "
                           "placeholders, e.g. recipe://{id}."),
                        m_messageDetail);
    m_uriChoices = new QStringListModel(this);
    auto *completer = new QCompleter(m_uriChoices, m_uri);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_uri->setCompleter(completer);
    m_uriLabel = fieldLabel(tr("Resour&ce:"), m_uri, m_messageDetail);
    detail->addRow(m_uriLabel, m_uri);

    m_placeholders = new QLabel(m_messageDetail);
    m_placeholders->setObjectName(u"placeholders"_s);
    m_placeholders->setWordWrap(true);
    m_placeholders->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_messageMessage = newFieldMessage(m_messageDetail, u"messageMessage"_s);
    detail->addRow(m_placeholders);
    detail->addRow(m_messageMessage);

    auto *layout = new QVBoxLayout(box);
    layout->addLayout(listRow);
    layout->addWidget(m_messagesMessage);
    layout->addWidget(m_messageDetail);
    return box;
}

QWidget *PromptEditor::buildPreview(QWidget *parent)
{
    auto *splitter = new QSplitter(Qt::Vertical, parent);
    splitter->setChildrenCollapsible(false);

    auto *listBox = new QGroupBox(tr("In the &list of prompts"), splitter);
    listBox->setToolTip(tr("Exactly the description of this prompt that apps and the model get "
                           "in the list of prompts."));
    m_preview
        = newJsonView(u"preview"_s, tr("The prompt in the list of prompts"),
                      tr("Read-only preview of the list entry. It updates as you edit."), listBox);
    auto *listLayout = new QVBoxLayout(listBox);
    listLayout->addWidget(m_preview);

    auto *sampleBox = new QGroupBox(tr("&Sample use"), splitter);
    sampleBox->setToolTip(tr("What the model receives when someone uses the prompt. Included "
                             "resources are read from the API at that moment, so here a note "
                             "stands in for their content."));
    m_sampleCaption = new QLabel(sampleBox);
    m_sampleCaption->setObjectName(u"sampleCaption"_s);
    m_sampleCaption->setWordWrap(true);
    m_sampleCaption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_samplePreview = newJsonView(u"samplePreview"_s, tr("Sample use of the prompt"),
                                  tr("Read-only preview of what the model receives, with example "
                                     "values. It updates as you edit."),
                                  sampleBox);
    auto *sampleLayout = new QVBoxLayout(sampleBox);
    sampleLayout->addWidget(m_sampleCaption);
    sampleLayout->addWidget(m_samplePreview);

    splitter->addWidget(listBox);
    splitter->addWidget(sampleBox);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    return splitter;
}

} // namespace mcpbridge::editors
