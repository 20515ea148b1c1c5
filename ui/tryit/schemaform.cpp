#include "schemaform.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mcpbridge::tryit {

struct SchemaForm::Field
{
    FieldSpec spec;
    QLabel *label = nullptr;
    QWidget *editor = nullptr; // one of the four below
    QLineEdit *line = nullptr;
    QComboBox *combo = nullptr;
    QCheckBox *check = nullptr;
    QPlainTextEdit *json = nullptr;
    QWidget *problemRow = nullptr;
    QLabel *problemText = nullptr;
};

namespace {

QString checkText(Qt::CheckState state)
{
    switch (state) {
    case Qt::Checked: return SchemaForm::tr("Yes");
    case Qt::Unchecked: return SchemaForm::tr("No");
    case Qt::PartiallyChecked: break;
    }
    return SchemaForm::tr("Not set");
}

} // namespace

SchemaForm::SchemaForm(QWidget *parent)
    : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_empty = new QLabel(tr("This tool takes no arguments."), this);
    m_empty->setWordWrap(true);
    outer->addWidget(m_empty);
    m_layout = new QFormLayout;
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_layout->setRowWrapPolicy(QFormLayout::WrapLongRows);
    outer->addLayout(m_layout);
    m_requiredNote = new QLabel(tr("* required"), this);
    m_requiredNote->setForegroundRole(QPalette::PlaceholderText);
    m_requiredNote->setAccessibleName(tr("Fields marked with a star are required"));
    outer->addWidget(m_requiredNote);
    outer->addStretch(1);
    setSchema({});
}

SchemaForm::~SchemaForm() = default;

void SchemaForm::clear()
{
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0);
    m_fields.clear();
}

void SchemaForm::setSchema(const QJsonObject &inputSchema, const QStringList &order)
{
    m_loading = true;
    clear();
    m_schema = inputSchema;
    const QJsonObject properties = inputSchema.value("properties"_L1).toObject();
    QStringList required;
    for (const QJsonValue &name : inputSchema.value("required"_L1).toArray())
        required.append(name.toString());

    QStringList names;
    for (const QString &name : order)
        if (properties.contains(name) && !names.contains(name))
            names.append(name);
    QStringList rest;
    for (auto it = properties.begin(); it != properties.end(); ++it)
        if (!names.contains(it.key()))
            rest.append(it.key());
    std::stable_sort(rest.begin(), rest.end(), [&](const QString &a, const QString &b) {
        return required.contains(a) && !required.contains(b);
    });
    names += rest;

    bool anyRequired = false;
    for (const QString &name : std::as_const(names)) {
        auto field = std::make_unique<Field>();
        field->spec
            = describeField(name, properties.value(name).toObject(), required.contains(name));
        anyRequired = anyRequired || field->spec.required;

        QWidget *cell = new QWidget(this);
        auto *column = new QVBoxLayout(cell);
        column->setContentsMargins(0, 0, 0, 0);
        column->setSpacing(2);
        column->addWidget(makeEditor(*field));
        if (!field->spec.description.isEmpty()) {
            auto *help = new QLabel(field->spec.description, cell);
            help->setWordWrap(true);
            help->setForegroundRole(QPalette::PlaceholderText);
            help->setTextInteractionFlags(Qt::TextSelectableByMouse);
            column->addWidget(help);
        }
        // Problems keep the palette's text colour (readable in light and dark mode), marked by
        // the standard warning icon and in words.
        field->problemRow = new QWidget(cell);
        auto *problemLayout = new QHBoxLayout(field->problemRow);
        problemLayout->setContentsMargins(0, 0, 0, 0);
        auto *icon = new QLabel(field->problemRow);
        const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
        icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(size, size));
        field->problemText = new QLabel(field->problemRow);
        field->problemText->setWordWrap(true);
        problemLayout->addWidget(icon, 0, Qt::AlignTop);
        problemLayout->addWidget(field->problemText, 1);
        field->problemRow->hide();
        column->addWidget(field->problemRow);

        const QString labelText
            = field->spec.required ? field->spec.label + u" *"_s : field->spec.label;
        field->label = new QLabel(labelText, this);
        field->label->setBuddy(field->editor);
        QString tip = field->spec.description;
        if (field->spec.label != name)
            tip = tip.isEmpty() ? tr("Argument \"%1\"").arg(name)
                                : tr("Argument \"%1\": %2").arg(name, tip);
        field->label->setToolTip(tip);
        field->editor->setToolTip(tip.isEmpty() ? field->spec.label : tip);
        field->editor->setAccessibleName(field->spec.label);
        field->editor->setAccessibleDescription(
            field->spec.required ? tr("Required. %1").arg(field->spec.description)
                                 : tr("Optional. %1").arg(field->spec.description));
        field->editor->setObjectName(u"arg_"_s + name);
        m_layout->addRow(field->label, cell);
        m_fields.push_back(std::move(field));
    }
    m_empty->setVisible(m_fields.empty());
    m_requiredNote->setVisible(anyRequired);
    m_loading = false;
    resetToDefaults();
}

QWidget *SchemaForm::makeEditor(Field &field)
{
    const FieldSpec &spec = field.spec;
    switch (spec.kind) {
    case FieldKind::Text:
    case FieldKind::Integer:
    case FieldKind::Number:
    case FieldKind::List:
        field.line = new QLineEdit(this);
        field.line->setPlaceholderText(spec.placeholder);
        field.line->setClearButtonEnabled(true);
        connect(field.line, &QLineEdit::textChanged, this, &SchemaForm::onEdited);
        field.editor = field.line;
        break;
    case FieldKind::Choice: {
        field.combo = new QComboBox(this);
        const bool hasDefault = !spec.defaultValue.isUndefined() && !spec.defaultValue.isNull();
        if (!spec.required)
            field.combo->addItem(tr("(not set)"));
        else if (!hasDefault)
            field.combo->addItem(tr("(choose one)"));
        for (const QJsonValue &choice : spec.choices)
            field.combo->addItem(valueLabel(choice), QVariant::fromValue(choice));
        connect(field.combo, &QComboBox::currentIndexChanged, this, &SchemaForm::onEdited);
        field.editor = field.combo;
        break;
    }
    case FieldKind::Boolean:
        field.check = new QCheckBox(this);
        field.check->setTristate(!spec.required);
        connect(field.check, &QCheckBox::stateChanged, this, [this, check = field.check] {
            check->setText(checkText(check->checkState()));
            onEdited();
        });
        if (!spec.required)
            field.check->setWhatsThis(tr("Half-checked: not set, so the argument is left out."));
        field.editor = field.check;
        break;
    case FieldKind::Json:
        field.json = new QPlainTextEdit(this);
        field.json->setPlaceholderText(spec.placeholder);
        field.json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        field.json->setTabChangesFocus(true);
        field.json->setMinimumHeight(field.json->fontMetrics().lineSpacing() * 3);
        field.json->setMaximumHeight(field.json->fontMetrics().lineSpacing() * 7);
        connect(field.json, &QPlainTextEdit::textChanged, this, &SchemaForm::onEdited);
        field.editor = field.json;
        break;
    }
    return field.editor;
}

void SchemaForm::setValue(Field &field, const QJsonValue &value)
{
    const FieldSpec &spec = field.spec;
    switch (spec.kind) {
    case FieldKind::Text:
    case FieldKind::Integer:
    case FieldKind::Number:
    case FieldKind::List: field.line->setText(fieldText(spec, value)); break;
    case FieldKind::Json: field.json->setPlainText(fieldText(spec, value)); break;
    case FieldKind::Choice: {
        int index = 0; // the "(not set)" / "(choose one)" entry, or the first choice
        for (int i = 0; i < field.combo->count(); ++i) {
            const QVariant data = field.combo->itemData(i);
            if (data.isValid() && data.value<QJsonValue>() == value) {
                index = i;
                break;
            }
        }
        field.combo->setCurrentIndex(index);
        break;
    }
    case FieldKind::Boolean: {
        Qt::CheckState state = spec.required ? Qt::Unchecked : Qt::PartiallyChecked;
        if (value.isBool())
            state = value.toBool() ? Qt::Checked : Qt::Unchecked;
        field.check->setCheckState(state);
        field.check->setText(checkText(state));
        break;
    }
    }
}

FieldValue SchemaForm::value(const Field &field) const
{
    switch (field.spec.kind) {
    case FieldKind::Choice: {
        const QVariant data = field.combo->currentData();
        if (!data.isValid())
            return {};
        return {true, data.value<QJsonValue>(), {}};
    }
    case FieldKind::Boolean:
        if (field.check->checkState() == Qt::PartiallyChecked)
            return {};
        return {true, field.check->checkState() == Qt::Checked, {}};
    case FieldKind::Json: return parseFieldText(field.spec, field.json->toPlainText());
    case FieldKind::Text:
    case FieldKind::Integer:
    case FieldKind::Number:
    case FieldKind::List: break;
    }
    return parseFieldText(field.spec, field.line->text());
}

QString SchemaForm::problemOf(const Field &field) const
{
    const FieldValue v = value(field);
    if (!v.problem.isEmpty())
        return v.problem;
    return v.isSet ? checkValue(field.spec, v.value) : QString();
}

void SchemaForm::updateProblem(Field &field)
{
    const QString problem = problemOf(field);
    field.problemText->setText(problem.isEmpty() ? QString()
                                                 : problem.left(1).toUpper() + problem.mid(1));
    field.problemRow->setVisible(!problem.isEmpty());
    field.problemText->setAccessibleName(problem);
}

void SchemaForm::onEdited()
{
    if (m_loading)
        return;
    for (const auto &field : m_fields)
        updateProblem(*field);
    emit changed();
}

QJsonObject SchemaForm::arguments() const
{
    QJsonObject arguments;
    for (const auto &field : m_fields) {
        const FieldValue v = value(*field);
        if (v.isSet && v.problem.isEmpty())
            arguments.insert(field->spec.name, v.value);
    }
    return arguments;
}

QStringList SchemaForm::problems() const
{
    QStringList problems;
    for (const auto &field : m_fields) {
        const FieldValue v = value(*field);
        if (!v.isSet && v.problem.isEmpty()) {
            if (field->spec.required)
                problems.append(tr("Required: %1").arg(field->spec.label));
            continue;
        }
        const QString problem = problemOf(*field);
        if (!problem.isEmpty())
            problems.append(u"%1: %2"_s.arg(field->spec.label, problem));
    }
    return problems;
}

void SchemaForm::setArguments(const QJsonObject &arguments)
{
    m_loading = true;
    for (const auto &field : m_fields)
        setValue(*field, arguments.value(field->spec.name));
    m_loading = false;
    onEdited();
}

void SchemaForm::resetToDefaults()
{
    m_loading = true;
    for (const auto &field : m_fields)
        setValue(*field, field->spec.defaultValue);
    m_loading = false;
    onEdited();
}

QStringList SchemaForm::fieldNames() const
{
    QStringList names;
    for (const auto &field : m_fields)
        names.append(field->spec.name);
    return names;
}

const SchemaForm::Field *SchemaForm::find(const QString &name) const
{
    for (const auto &field : m_fields)
        if (field->spec.name == name)
            return field.get();
    return nullptr;
}

FieldSpec SchemaForm::field(const QString &name) const
{
    const Field *field = find(name);
    return field ? field->spec : FieldSpec{};
}

QWidget *SchemaForm::editor(const QString &name) const
{
    const Field *field = find(name);
    return field ? field->editor : nullptr;
}

QLabel *SchemaForm::label(const QString &name) const
{
    const Field *field = find(name);
    return field ? field->label : nullptr;
}

} // namespace mcpbridge::tryit
