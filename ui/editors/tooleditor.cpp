#include "tooleditor.h"

#include "core/util/jsontext.h"
#include "editorparts.h"
#include "fieldmessage.h"
#include "parameterdelegate.h"
#include "parametertablemodel.h"
#include "toolnamecheck.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStringListModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

namespace {

// MCP defaults of the annotation hints (MCP-NOTES.md): a hint equal to its default is omitted.
constexpr bool ReadOnlyDefault = false;
constexpr bool DestructiveDefault = true;
constexpr bool IdempotentDefault = false;
constexpr bool OpenWorldDefault = true;

std::optional<bool> hintFor(bool checked, bool mcpDefault)
{
    if (checked == mcpDefault)
        return std::nullopt;
    return checked;
}

QStringList methods()
{
    return {u"GET"_s, u"POST"_s, u"PUT"_s, u"PATCH"_s, u"DELETE"_s, u"HEAD"_s};
}

} // namespace

ToolEditor::ToolEditor(QWidget *parent)
    : QWidget(parent)
{
    layOutEditor(
        this, [this] { return buildForm(); },
        [this](QWidget *splitter) {
            auto *previewBox = new QGroupBox(tr("What the model receives"), splitter);
            previewBox->setToolTip(tr("Exactly the description of this tool that the "
                                      "bridge sends to the model in its list of tools."));
            m_preview = newJsonView(u"preview"_s, QString(),
                                    tr("Read-only preview of this tool as the model sees "
                                       "it. It updates as you edit."),
                                    previewBox, QPlainTextEdit::NoWrap);
            auto *previewLayout = new QVBoxLayout(previewBox);
            previewLayout->addWidget(m_preview);
            return previewBox;
        });

    setTool(bridge::Tool{});
}

QWidget *ToolEditor::buildForm()
{
    auto *form = new QWidget;
    auto *formLayout = new QFormLayout(form);
    formLayout->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    // Name, with the problem (if any) right under it.
    m_name = newLineEdit(u"name"_s, QString(), QString(),
                         tr("The name the model calls this tool by. Letters A to Z, digits and "
                            "_ . - only, at most %1 characters, different from every other tool.")
                             .arg(MaxToolNameLength),
                         form);
    m_nameMessage = newFieldMessage(form, u"nameMessage"_s);
    formLayout->addRow(fieldLabel(tr("&Name:"), m_name, form), fieldColumn(m_name, m_nameMessage));

    m_title
        = newLineEdit(u"title"_s, QString(), tr("A short name for people, e.g. \"Find recipes\""),
                      tr("A friendly name shown to people in the app that uses the bridge."), form);
    formLayout->addRow(fieldLabel(tr("&Title:"), m_title, form), m_title);

    // Description with the hints beside it.
    m_description = newTextEdit(
        u"description"_s, QString(),
        tr("What the tool does, what it gives back, and when to use it. For example: "
           "\"Finds recipes by ingredient. Use this when the user asks what they can cook.\""),
        tr("The model reads only this text to decide when to call the "
           "tool. Say what it does, what it returns and when to use it."),
        form);
    m_description->setMinimumHeight(m_description->fontMetrics().lineSpacing() * 8);
    m_hintModel = new QStringListModel(this);
    m_hintView = newHintList(m_hintModel, QString(),
                             tr("Suggestions to help the model use this tool well. They are "
                                "advice only: the tool works without following them."),
                             form);
    auto *hintsLabel = new QLabel(tr("Hints:"), form);
    auto *hintsColumn = new QVBoxLayout;
    hintsColumn->addWidget(hintsLabel);
    hintsColumn->addWidget(m_hintView);
    auto *descriptionRow = new QHBoxLayout;
    descriptionRow->addWidget(m_description, 3);
    descriptionRow->addLayout(hintsColumn, 2);
    formLayout->addRow(fieldLabel(tr("&Description:"), m_description, form), descriptionRow);

    // Method and path.
    m_method = new QComboBox(form);
    m_method->setObjectName(u"method"_s);
    m_method->addItems(methods());
    m_method->setToolTip(tr("The kind of call made to the API: GET reads, POST creates, PUT and "
                            "PATCH change, DELETE removes."));
    m_path = newLineEdit(u"path"_s, QString(), tr("/recipes/{id}"),
                         tr("The address under the API's base address. Write a value the model "
                            "fills in as {name}; a parameter for it is added automatically."),
                         form);
    auto *callRow = new QHBoxLayout;
    callRow->addWidget(m_method);
    callRow->addWidget(m_path, 1);
    auto *callLabel = fieldLabel(tr("&Call:"), m_method, form);
    callLabel->setToolTip(tr("The method and path of the API call this tool makes."));
    formLayout->addRow(callLabel, callRow);

    // Parameters.
    auto *parametersBox = new QGroupBox(tr("&Parameters"), form);
    parametersBox->setToolTip(tr("The values the model gives when it calls this tool."));
    m_parameters = new ParameterTableModel(this);
    m_parameterView = new QTableView(parametersBox);
    m_parameterView->setObjectName(u"parameters"_s);
    m_parameterView->setModel(m_parameters);
    m_parameterView->setItemDelegate(new ParameterDelegate(m_parameterView));
    m_parameterView->setSelectionBehavior(QAbstractItemView::SelectRows);
    setUpEditableTable(m_parameterView);
    // Room for a handful of parameters before the table scrolls.
    m_parameterView->setMinimumHeight(m_parameterView->verticalHeader()->defaultSectionSize() * 6);
    m_parameterView->setToolTip(tr("Double-click or start typing in a cell to change it."));
    m_addParameter = newButton(tr("&Add parameter"), u"addParameter"_s,
                               tr("Add a new value the model can give."), parametersBox);
    m_removeParameter = newButton(tr("&Remove parameter"), u"removeParameter"_s,
                                  tr("Remove the selected parameters."), parametersBox);
    m_removeParameter->setEnabled(false);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addParameter);
    buttons->addWidget(m_removeParameter);
    buttons->addStretch(1);
    auto *parametersLayout = new QVBoxLayout(parametersBox);
    parametersLayout->addWidget(m_parameterView);
    parametersLayout->addLayout(buttons);
    formLayout->addRow(parametersBox);

    // Annotations.
    auto *annotationsBox = new QGroupBox(tr("What the tool does to data"), form);
    annotationsBox->setToolTip(tr("Hints for the app and the model. They are not enforced: the "
                                  "app may ask the user before calls that change data."));
    m_readOnly = new QCheckBox(tr("Only &reads data"), annotationsBox);
    m_readOnly->setObjectName(u"readOnly"_s);
    m_readOnly->setToolTip(tr("Checked: the tool never changes anything."));
    m_destructive = new QCheckBox(tr("May d&elete or overwrite data"), annotationsBox);
    m_destructive->setObjectName(u"destructive"_s);
    m_destructive->setToolTip(tr("Checked: a call may remove or replace existing data, so the "
                                 "app should ask the user first."));
    m_idempotent = new QCheckBox(tr("&Safe to repeat"), annotationsBox);
    m_idempotent->setObjectName(u"idempotent"_s);
    m_idempotent->setToolTip(tr("Checked: calling it twice with the same values has the same "
                                "effect as calling it once."));
    m_openWorld = new QCheckBox(tr("Reaches the &outside world"), annotationsBox);
    m_openWorld->setObjectName(u"openWorld"_s);
    m_openWorld->setToolTip(tr("Checked: the tool talks to systems beyond this API's own data "
                               "(for example the internet or other people)."));
    auto *annotationsLayout = new QVBoxLayout(annotationsBox);
    for (QCheckBox *box : {m_readOnly, m_destructive, m_idempotent, m_openWorld})
        annotationsLayout->addWidget(box);
    formLayout->addRow(annotationsBox);

    // Response shaping.
    auto *responseBox = new QGroupBox(tr("Size of the answer"), form);
    responseBox->setToolTip(tr("Keep answers small: everything the API returns goes into the "
                               "model's context."));
    auto *responseLayout = new QFormLayout(responseBox);
    m_maxKb = new QSpinBox(responseBox);
    m_maxKb->setObjectName(u"maxSize"_s);
    m_maxKb->setRange(1, 100 * 1024);
    m_maxKb->setSuffix(tr(" KB"));
    m_maxKb->setToolTip(tr("Longer answers are cut at this size, with a note to the model."));
    responseLayout->addRow(fieldLabel(tr("Largest &answer:"), m_maxKb, responseBox), m_maxKb);
    m_maxItems = new QSpinBox(responseBox);
    m_maxItems->setObjectName(u"maxItems"_s);
    m_maxItems->setRange(0, 1000000);
    m_maxItems->setSpecialValueText(tr("No limit"));
    m_maxItems->setToolTip(tr("Lists in the answer are cut to this many entries. \"No limit\" "
                              "keeps them whole."));
    responseLayout->addRow(fieldLabel(tr("Longest &list:"), m_maxItems, responseBox), m_maxItems);
    m_fields = newTextEdit(u"fields"_s, QString(), tr("/items\n/total"),
                           tr("Keep only these parts of a JSON answer, one per line, written as "
                              "a JSON pointer such as /items or /data/name. Empty keeps all."),
                           responseBox);
    m_fields->setMaximumHeight(m_fields->fontMetrics().lineSpacing() * 6);
    responseLayout->addRow(fieldLabel(tr("&Keep only:"), m_fields, responseBox), m_fields);
    // Numbers need no full-width fields.
    for (QSpinBox *spin : {m_maxKb, m_maxItems})
        spin->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    formLayout->addRow(responseBox);

    // Edits.
    connect(m_name, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_tool.name = text;
        edited();
    });
    connect(m_title, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_tool.title = text;
        edited();
    });
    connect(m_description, &QPlainTextEdit::textChanged, this, [this] {
        if (m_loading)
            return;
        m_tool.description = m_description->toPlainText();
        edited();
    });
    connect(m_method, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        if (m_loading)
            return;
        m_tool.method = text;
        edited();
    });
    connect(m_path, &QLineEdit::textEdited, this, &ToolEditor::onPathEdited);
    connect(m_parameters, &ParameterTableModel::parametersEdited, this, [this] {
        if (m_loading)
            return;
        m_tool.parameters = m_parameters->parameters();
        edited();
    });
    connect(m_addParameter, &QPushButton::clicked, this, [this] {
        editCell(m_parameterView, m_parameters->addParameter(), ParameterTableModel::Name);
    });
    connect(m_removeParameter, &QPushButton::clicked, this,
            [this] { removeSelectedRows(m_parameterView); });
    connect(m_parameterView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] {
                m_removeParameter->setEnabled(m_parameterView->selectionModel()->hasSelection());
            });
    for (QCheckBox *box : {m_readOnly, m_destructive, m_idempotent, m_openWorld})
        connect(box, &QCheckBox::toggled, this, &ToolEditor::onAnnotationToggled);
    connect(m_maxKb, &QSpinBox::valueChanged, this, [this](int kb) {
        if (m_loading)
            return;
        m_tool.response.maxBytes = qint64(kb) * 1024;
        edited();
    });
    connect(m_maxItems, &QSpinBox::valueChanged, this, [this](int items) {
        if (m_loading)
            return;
        m_tool.response.maxItems = items == 0 ? -1 : items;
        edited();
    });
    connect(m_fields, &QPlainTextEdit::textChanged, this, [this] {
        if (m_loading)
            return;
        QStringList fields;
        for (const QString &line : m_fields->toPlainText().split(u'\n')) {
            if (!line.trimmed().isEmpty())
                fields.append(line.trimmed());
        }
        m_tool.response.fields = fields;
        edited();
    });
    return form;
}

void ToolEditor::setDocument(const bridge::BridgeDocument &document, int toolIndex)
{
    m_document = document;
    m_selfRemoved = toolIndex >= 0 && toolIndex < m_document.tools.size();
    if (m_selfRemoved)
        m_document.tools.removeAt(toolIndex);
    refresh();
}

void ToolEditor::setTool(const bridge::Tool &tool)
{
    m_tool = tool;
    m_ownName = tool.name;
    loadFields();
    refresh();
}

void ToolEditor::loadFields()
{
    m_loading = true;
    m_name->setText(m_tool.name);
    m_title->setText(m_tool.title);
    m_description->setPlainText(m_tool.description);
    if (m_method->findText(m_tool.method) < 0)
        m_method->addItem(m_tool.method);
    m_method->setCurrentText(m_tool.method);
    m_path->setText(m_tool.path);
    m_parameters->setParameters(m_tool.parameters);
    m_parameterView->resizeColumnsToContents();
    const bridge::Annotations &a = m_tool.annotations;
    m_readOnly->setChecked(a.readOnlyHint.value_or(ReadOnlyDefault));
    m_destructive->setChecked(a.destructiveHint.value_or(DestructiveDefault));
    m_idempotent->setChecked(a.idempotentHint.value_or(IdempotentDefault));
    m_openWorld->setChecked(a.openWorldHint.value_or(OpenWorldDefault));
    m_destructive->setEnabled(!m_readOnly->isChecked());
    m_idempotent->setEnabled(!m_readOnly->isChecked());
    m_maxKb->setValue(
        int(std::clamp<qint64>((m_tool.response.maxBytes + 1023) / 1024, 1, m_maxKb->maximum())));
    m_maxItems->setValue(m_tool.response.maxItems < 0 ? 0 : m_tool.response.maxItems);
    m_fields->setPlainText(m_tool.response.fields.join(u'\n'));
    m_loading = false;
}

void ToolEditor::edited()
{
    if (m_loading)
        return;
    refresh();
    // Also while invalid: the document keeps what the user typed (nothing is lost), the outline
    // marks the problem, and the running bridge holds such a document back from clients.
    emit toolChanged(m_tool);
}

void ToolEditor::refresh()
{
    const bool wasValid = isValid();
    m_nameProblem = toolNameProblem(m_tool.name, m_document, selfName());
    // Screen readers announce the problem with the field.
    showFieldMessage(m_nameMessage, m_name, m_nameProblem);
    if (wasValid != isValid())
        emit validityChanged(isValid());

    m_hints = lintDescription(m_tool, m_document, selfName());
    showHints(m_hintModel, m_hints, tr("No suggestions: the description reads well."));
    showPreview(m_preview, previewText());
}

QString ToolEditor::previewText() const
{
    return QString::fromUtf8(json::pretty(m_tool.toMcp()));
}

void ToolEditor::onPathEdited(const QString &path)
{
    m_tool.path = path;
    // One edit, one toolChanged: the added parameters arrive with the path.
    m_loading = true;
    m_parameters->ensurePathParameters(path);
    m_loading = false;
    m_tool.parameters = m_parameters->parameters();
    edited();
}

void ToolEditor::onAnnotationToggled()
{
    if (m_loading)
        return;
    auto *box = qobject_cast<QCheckBox *>(sender());
    bridge::Annotations &a = m_tool.annotations;
    // Only the hint the user touched changes, so hints loaded from the file stay as written.
    if (box == m_readOnly) {
        a.readOnlyHint = hintFor(box->isChecked(), ReadOnlyDefault);
        m_destructive->setEnabled(!box->isChecked());
        m_idempotent->setEnabled(!box->isChecked());
    } else if (box == m_destructive) {
        a.destructiveHint = hintFor(box->isChecked(), DestructiveDefault);
    } else if (box == m_idempotent) {
        a.idempotentHint = hintFor(box->isChecked(), IdempotentDefault);
    } else if (box == m_openWorld) {
        a.openWorldHint = hintFor(box->isChecked(), OpenWorldDefault);
    }
    edited();
}

} // namespace mcpbridge::editors
