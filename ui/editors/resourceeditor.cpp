#include "resourceeditor.h"

#include "core/util/jsontext.h"
#include "editorparts.h"
#include "fieldmessage.h"
#include "itemchecks.h"
#include "itemlint.h"
#include "templatevariablemodel.h"

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
#include <QStringListModel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

QStringList ResourceEditor::mimeTypeSuggestions()
{
    return {u"application/json"_s, u"text/plain"_s,      u"text/markdown"_s,   u"text/csv"_s,
            u"text/html"_s,        u"application/xml"_s, u"application/pdf"_s, u"image/png"_s,
            u"image/jpeg"_s,       u"image/svg+xml"_s};
}

ResourceEditor::ResourceEditor(QWidget *parent)
    : QWidget(parent)
{
    layOutEditor(
        this, [this] { return buildForm(); },
        [this](QWidget *splitter) { return buildPreview(splitter); });
    connectEdits();
    load(Mode::Resource, {}, -1);
}

QWidget *ResourceEditor::buildPreview(QWidget *parent)
{
    auto *previewBox = new QGroupBox(tr("&What the model receives"), parent);
    previewBox->setToolTip(tr("Exactly the description of this resource that the bridge sends "
                              "to the model."));
    auto *previewLayout = new QVBoxLayout(previewBox);
    m_previewCaption = new QLabel(previewBox);
    m_previewCaption->setObjectName(u"previewCaption"_s);
    m_previewCaption->setWordWrap(true);
    // Wrapped: long descriptions stay readable in a narrow pane.
    m_preview = newJsonView(u"preview"_s, tr("What the model receives"),
                            tr("Read-only preview of this entry as the model sees it. It updates "
                               "as you edit."),
                            previewBox);
    previewLayout->addWidget(m_previewCaption);
    previewLayout->addWidget(m_preview);
    return previewBox;
}

QWidget *ResourceEditor::buildForm()
{
    auto *form = new QWidget;
    auto *formLayout = new QFormLayout(form);
    formLayout->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_otherMessage = newFieldMessage(form, u"otherMessage"_s);
    formLayout->addRow(m_otherMessage);

    m_uri = newLineEdit(u"uri"_s, QString(), QString(), QString(), form);
    m_uriMessage = newFieldMessage(form, u"uriMessage"_s);
    m_uriLabel = fieldLabel(tr("&URI:"), m_uri, form);
    formLayout->addRow(m_uriLabel, fieldColumn(m_uri, m_uriMessage));

    m_name = newLineEdit(u"name"_s, tr("Name"), tr("e.g. pantry-inventory"),
                         tr("A short name apps list this resource by. Different from every other "
                            "resource and template."),
                         form);
    m_nameMessage = newFieldMessage(form, u"nameMessage"_s);
    formLayout->addRow(fieldLabel(tr("&Name:"), m_name, form), fieldColumn(m_name, m_nameMessage));

    m_title
        = newLineEdit(u"title"_s, tr("Title"), tr("A name for people, e.g. \"Pantry inventory\""),
                      tr("A friendly name shown to people in the app that uses the bridge "
                         "(optional)."),
                      form);
    formLayout->addRow(fieldLabel(tr("&Title:"), m_title, form), m_title);

    m_description = newTextEdit(u"description"_s, tr("Description"),
                                tr("What it contains, e.g. \"Everything in the pantry "
                                   "right now, with quantities and expiry dates.\""),
                                tr("What this resource contains. Apps and the model read it to "
                                   "decide whether it is worth reading."),
                                form);
    const int line = m_description->fontMetrics().lineSpacing();
    m_description->setMinimumHeight(line * 4);
    m_description->setMaximumHeight(line * 8);
    m_hintModel = new QStringListModel(this);
    m_hintView = newHintList(m_hintModel, tr("Hints about the description"),
                             tr("Suggestions for the description. They are advice only."), form);
    m_hintView->setMaximumHeight(line * 5);
    formLayout->addRow(fieldLabel(tr("&Description:"), m_description, form),
                       fieldColumn(m_description, m_hintView));

    m_mimeType = new QComboBox(form);
    m_mimeType->setObjectName(u"mimeType"_s);
    m_mimeType->setAccessibleName(tr("Content type"));
    m_mimeType->setEditable(true);
    m_mimeType->setInsertPolicy(QComboBox::NoInsert);
    m_mimeType->addItems(mimeTypeSuggestions());
    m_mimeType->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_mimeType->setToolTip(tr("The kind of content the API sends back, such as application/json "
                              "or text/plain. Pick one or type your own; empty if unknown."));
    m_mimeType->lineEdit()->setPlaceholderText(tr("unknown"));
    m_mimeMessage = newFieldMessage(form, u"mimeTypeMessage"_s);
    formLayout->addRow(fieldLabel(tr("&Content type:"), m_mimeType, form),
                       fieldColumn(m_mimeType, m_mimeMessage));

    m_path = newLineEdit(u"path"_s, tr("Read from path"), tr("/pantry"), QString(), form);
    auto *get = new QLabel(u"GET"_s, form);
    get->setToolTip(tr("Resources are always read with a GET call to the API."));
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(get);
    pathRow->addWidget(m_path, 1);
    auto *pathColumn = new QVBoxLayout;
    pathColumn->addLayout(pathRow);
    m_pathMessage = newFieldMessage(form, u"pathMessage"_s);
    m_request = new QLabel(form);
    m_request->setObjectName(u"request"_s);
    m_request->setWordWrap(true);
    m_request->setTextFormat(Qt::PlainText);
    m_request->setTextInteractionFlags(Qt::TextSelectableByMouse);
    pathColumn->addWidget(m_pathMessage);
    pathColumn->addWidget(m_request);
    formLayout->addRow(fieldLabel(tr("&Read from:"), m_path, form), pathColumn);

    m_variablesBox = new QGroupBox(tr("&Variables"), form);
    m_variablesBox->setToolTip(tr("The parts of the address that change, written as {name}. "
                                  "Each must be in both the URI template and the path."));
    m_variables = new TemplateVariableModel(this);
    m_variableView = new QTableView(m_variablesBox);
    m_variableView->setObjectName(u"variables"_s);
    m_variableView->setAccessibleName(tr("Variables"));
    m_variableView->setModel(m_variables);
    setUpEditableTable(m_variableView);
    m_variableView->setToolTip(tr("Type in the \"Suggested values\" column to offer values, "
                                  "separated by commas."));
    m_variableView->setMaximumHeight(m_variableView->fontMetrics().lineSpacing() * 9);
    m_variablesMessage = newFieldMessage(m_variablesBox, u"variablesMessage"_s);
    auto *variablesLayout = new QVBoxLayout(m_variablesBox);
    variablesLayout->addWidget(m_variableView);
    variablesLayout->addWidget(m_variablesMessage);
    formLayout->addRow(m_variablesBox);
    return form;
}

void ResourceEditor::connectEdits()
{
    connect(m_uri, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (m_mode == Mode::Resource)
            m_resource.uri = text;
        else
            m_template.uriTemplate = text;
        edited();
    });
    connect(m_name, &QLineEdit::textEdited, this,
            [this](const QString &text) { apply([&](auto &item) { item.name = text; }); });
    connect(m_title, &QLineEdit::textEdited, this,
            [this](const QString &text) { apply([&](auto &item) { item.title = text; }); });
    connect(m_description, &QPlainTextEdit::textChanged, this, [this] {
        const QString text = m_description->toPlainText();
        apply([&](auto &item) { item.description = text; });
    });
    connect(m_mimeType, &QComboBox::editTextChanged, this, [this](const QString &text) {
        apply([&](auto &item) { item.mimeType = text.trimmed(); });
    });
    connect(m_path, &QLineEdit::textEdited, this,
            [this](const QString &text) { apply([&](auto &item) { item.path = text; }); });
    connect(m_variables, &TemplateVariableModel::completionsEdited, this, [this] {
        if (m_mode != Mode::Template)
            return;
        m_template.completions = m_variables->completions();
        edited();
    });
}

template<typename Edit>
void ResourceEditor::apply(Edit edit)
{
    if (m_loading)
        return;
    if (m_mode == Mode::Resource)
        edit(m_resource);
    else
        edit(m_template);
    edited();
}

void ResourceEditor::setDocument(const bridge::BridgeDocument &document, int index)
{
    load(Mode::Resource, document, index);
}

void ResourceEditor::setTemplate(const bridge::BridgeDocument &document, int index)
{
    load(Mode::Template, document, index);
}

void ResourceEditor::load(Mode mode, const bridge::BridgeDocument &document, int index)
{
    m_mode = mode;
    m_others = document;
    m_resource = {};
    m_template = {};
    if (mode == Mode::Resource && index >= 0 && index < m_others.resources.size())
        m_resource = m_others.resources.takeAt(index);
    else if (mode == Mode::Template && index >= 0 && index < m_others.resourceTemplates.size())
        m_template = m_others.resourceTemplates.takeAt(index);
    loadFields();
    refresh();
}

void ResourceEditor::loadFields()
{
    m_loading = true;
    const bool isTemplate = m_mode == Mode::Template;
    m_uriLabel->setText(isTemplate ? tr("URI te&mplate:") : tr("&URI:"));
    m_uri->setAccessibleName(isTemplate ? tr("URI template") : tr("URI"));
    m_uri->setPlaceholderText(isTemplate ? tr("e.g. recipe://{id}")
                                         : tr("e.g. pantry://inventory"));
    m_uri->setToolTip(isTemplate
                          ? tr("The address pattern of these resources. Write the parts that "
                               "change as {name}, e.g. recipe://{id}; the path uses the same "
                               "{name}.")
                          : tr("The address apps and the model use to ask for this resource: a "
                               "scheme, a colon and a name, e.g. pantry://inventory. Different "
                               "from every other resource."));
    m_path->setToolTip(isTemplate
                           ? tr("The address under the API's base address that is read, with "
                                "the same {name} parts as the URI template, e.g. /recipes/{id}.")
                           : tr("The address under the API's base address that is read when "
                                "the resource is asked for, e.g. /pantry."));
    m_previewCaption->setText(isTemplate
                                  ? tr("The entry the model gets in the list of resource "
                                       "templates:")
                                  : tr("The entry the model gets in the list of resources:"));
    m_variablesBox->setVisible(isTemplate);

    if (isTemplate) {
        m_uri->setText(m_template.uriTemplate);
        m_variables->setTemplate(m_template);
        m_variableView->resizeColumnsToContents();
    } else {
        m_uri->setText(m_resource.uri);
        m_variables->setTemplate({});
    }
    const auto fill = [this](const auto &item) {
        m_name->setText(item.name);
        m_title->setText(item.title);
        m_description->setPlainText(item.description);
        m_mimeType->setEditText(item.mimeType);
        m_path->setText(item.path);
    };
    if (isTemplate)
        fill(m_template);
    else
        fill(m_resource);
    m_loading = false;
}

void ResourceEditor::edited()
{
    if (m_loading)
        return;
    refresh();
    // Also while invalid: the document keeps what the user typed (see ToolEditor::edited).
    if (m_mode == Mode::Resource)
        emit resourceChanged(m_resource);
    else
        emit templateChanged(m_template);
}

void ResourceEditor::refresh()
{
    const bool wasValid = m_valid;
    const bool isTemplate = m_mode == Mode::Template;
    m_problems = isTemplate ? templateProblems(m_template, m_others)
                            : resourceProblems(m_resource, m_others);
    m_valid = !hasErrors(m_problems);
    if (isTemplate) {
        const bool loading = std::exchange(m_loading, true);
        m_variables->setTemplate(m_template);
        m_loading = loading;
    }
    showProblems();
    if (wasValid != m_valid)
        emit validityChanged(m_valid);

    m_hints = lintResourceDescription(isTemplate ? m_template.description : m_resource.description,
                                      m_others);
    showHints(m_hintModel, m_hints, tr("No suggestions: the description reads well."));

    m_request->setText(requestText());
    showPreview(m_preview, previewText());
}

void ResourceEditor::showProblems()
{
    const QString uriPointer = m_mode == Mode::Template ? u"/uriTemplate"_s : u"/uri"_s;
    const std::pair<QString, std::pair<QLabel *, QWidget *>> fields[] = {
        {uriPointer, {m_uriMessage, m_uri}},
        {u"/name"_s, {m_nameMessage, m_name}},
        {u"/mimeType"_s, {m_mimeMessage, m_mimeType}},
        {u"/path"_s, {m_pathMessage, m_path}},
        {u"/completions"_s, {m_variablesMessage, m_variableView}},
    };
    QList<bridge::Problem> rest = m_problems;
    for (const auto &[pointer, widgets] : fields) {
        const QList<bridge::Problem> here = problemsAt(m_problems, pointer);
        showFieldMessage(widgets.first, widgets.second, problemText(here));
        rest.removeIf([&](const bridge::Problem &p) {
            return p.pointer == pointer || p.pointer.startsWith(pointer + u'/');
        });
    }
    showFieldMessage(m_otherMessage, nullptr, problemText(rest));
}

QString ResourceEditor::requestText() const
{
    const bool isTemplate = m_mode == Mode::Template;
    QString uri = isTemplate ? m_template.uriTemplate : m_resource.uri;
    QString path = isTemplate ? m_template.path : m_resource.path;
    if (uri.isEmpty() || !path.startsWith(u'/'))
        return {};
    if (isTemplate) {
        // Show one real address: each variable filled with a suggested value or an example.
        for (const QString &name : m_variables->variables()) {
            const QString value = m_template.completions.value(name).value(0, u"1"_s);
            uri.replace(u'{' + name + u'}', value);
            path.replace(u'{' + name + u'}', value);
        }
    }
    QString base = m_others.upstream.baseUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    return isTemplate ? tr("For example, reading %1 calls GET %2.").arg(uri, base + path)
                      : tr("Reading %1 calls GET %2.").arg(uri, base + path);
}

QString ResourceEditor::previewText() const
{
    const QJsonObject entry = m_mode == Mode::Template ? m_template.toMcp() : m_resource.toMcp();
    return QString::fromUtf8(json::pretty(entry));
}

} // namespace mcpbridge::editors
