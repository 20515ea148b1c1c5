#pragma once

// What the Try-it form makes of one property of a tool's input schema: which editor it gets,
// its label, hint and default, and how text typed into it becomes a JSON argument (or a problem
// said in plain words). Pure functions, used by SchemaForm and tested on their own.

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace mcpbridge::tryit {

enum class FieldKind {
    Text,    // string: QLineEdit
    Choice,  // enum of scalars: QComboBox
    Integer, // QLineEdit checked as a whole number
    Number,  // QLineEdit checked as a number
    Boolean, // QCheckBox (tri-state when optional)
    List,    // array of scalars: comma-separated values in a QLineEdit
    Json,    // objects, arrays of objects, anything else: JSON in a QPlainTextEdit
};

struct FieldSpec
{
    QString name;        // the argument name
    QString label;       // title, else the name
    QString description; // shown as help text and tooltip
    bool required = false;
    FieldKind kind = FieldKind::Json;
    QJsonObject schema;
    QJsonArray choices;     // Choice: the allowed values
    QString itemType;       // List: string | integer | number | boolean
    QJsonArray itemChoices; // List: allowed item values (empty: any)
    QString jsonType;       // Json: object | array | "" (any value)
    QString placeholder;    // hint shown in an empty editor
    QJsonValue defaultValue = QJsonValue::Undefined;
};

// Describes property `name` with `schema` (a member of the input schema's "properties").
FieldSpec describeField(const QString &name, const QJsonObject &schema, bool required);

struct FieldValue
{
    bool isSet = false; // false: left empty, the argument is omitted
    QJsonValue value;
    QString problem; // non-empty: the text cannot be used, e.g. "not a number"
};

// Reads the text of a Text, Integer, Number, List or Json field.
FieldValue parseFieldText(const FieldSpec &spec, const QString &text);
// The text that shows `value` in a Text, Integer, Number, List or Json field.
QString fieldText(const FieldSpec &spec, const QJsonValue &value);
// Problems of a value against the simple keywords people can act on (range, length, pattern,
// item count), e.g. "must be at least 1". Empty when fine.
QString checkValue(const FieldSpec &spec, const QJsonValue &value);

// A JSON value as a short human label: strings without quotes, other values as JSON.
QString valueLabel(const QJsonValue &value);

} // namespace mcpbridge::tryit
