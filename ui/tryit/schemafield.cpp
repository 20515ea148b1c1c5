#include "schemafield.h"

#include "core/util/jsontext.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>
#include <QRegularExpression>
#include <QStringList>

#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace mcpbridge::tryit {

namespace {

bool isScalar(const QJsonValue &value)
{
    return value.isString() || value.isDouble() || value.isBool();
}

// The schema's single type, ignoring "null" in a type list; empty when none or several.
QString singleType(const QJsonObject &schema)
{
    const QJsonValue type = schema.value("type"_L1);
    if (type.isString())
        return type.toString();
    QStringList types;
    for (const QJsonValue &entry : type.toArray())
        if (entry.toString() != "null"_L1)
            types.append(entry.toString());
    return types.size() == 1 ? types.constFirst() : QString();
}

// The enum (or const) of a schema when every allowed value is a scalar; null is left out.
QJsonArray scalarChoices(const QJsonObject &schema)
{
    QJsonArray values;
    if (schema.contains("enum"_L1))
        values = schema.value("enum"_L1).toArray();
    else if (schema.contains("const"_L1))
        values = QJsonArray{schema.value("const"_L1)};
    QJsonArray out;
    for (const QJsonValue &value : std::as_const(values)) {
        if (value.isNull())
            continue;
        if (!isScalar(value))
            return {};
        out.append(value);
    }
    return out;
}

QString numberText(double value)
{
    if (std::abs(value) < 1e15 && value == std::floor(value))
        return QString::number(qint64(value));
    return QString::number(value, 'g', 15);
}

std::optional<double> bound(const QJsonObject &schema, QLatin1StringView key)
{
    const QJsonValue value = schema.value(key);
    return value.isDouble() ? std::optional<double>(value.toDouble()) : std::nullopt;
}

QString formatHint(const QString &format)
{
    static const QHash<QString, QString> hints{
        {u"date"_s, u"e.g. 2025-01-31"_s},
        {u"date-time"_s, u"e.g. 2025-01-31T09:30:00Z"_s},
        {u"time"_s, u"e.g. 09:30:00"_s},
        {u"email"_s, u"e.g. name@example.com"_s},
        {u"uri"_s, u"e.g. https://example.com/page"_s},
        {u"url"_s, u"e.g. https://example.com/page"_s},
        {u"uuid"_s, u"e.g. 123e4567-e89b-12d3-a456-426614174000"_s},
        {u"ipv4"_s, u"e.g. 192.168.1.10"_s},
        {u"ipv6"_s, u"e.g. 2001:db8::1"_s},
        {u"hostname"_s, u"e.g. example.com"_s},
    };
    return hints.value(format);
}

QString rangeHint(const QJsonObject &schema, bool integer)
{
    const QString what = integer ? u"A whole number"_s : u"A number"_s;
    const auto low = bound(schema, "minimum"_L1);
    const auto high = bound(schema, "maximum"_L1);
    const auto above = bound(schema, "exclusiveMinimum"_L1);
    const auto below = bound(schema, "exclusiveMaximum"_L1);
    if (low && high)
        return u"%1 from %2 to %3"_s.arg(what, numberText(*low), numberText(*high));
    QStringList parts;
    if (low)
        parts.append(u"at least %1"_s.arg(numberText(*low)));
    if (above)
        parts.append(u"more than %1"_s.arg(numberText(*above)));
    if (high)
        parts.append(u"at most %1"_s.arg(numberText(*high)));
    if (below)
        parts.append(u"less than %1"_s.arg(numberText(*below)));
    return parts.isEmpty() ? what : what + u", "_s + parts.join(u" and "_s);
}

QJsonValue exampleFor(const QJsonObject &schema)
{
    if (schema.contains("default"_L1))
        return schema.value("default"_L1);
    const QJsonArray examples = schema.value("examples"_L1).toArray();
    if (!examples.isEmpty())
        return examples.first();
    const QJsonArray choices = schema.value("enum"_L1).toArray();
    if (!choices.isEmpty())
        return choices.first();
    const QString type = singleType(schema);
    if (type == "integer"_L1 || type == "number"_L1)
        return 1;
    if (type == "boolean"_L1)
        return true;
    if (type == "array"_L1)
        return QJsonArray();
    if (type == "object"_L1)
        return QJsonObject();
    return u"text"_s;
}

QString jsonHint(const FieldSpec &spec)
{
    const QJsonObject properties = spec.schema.value("properties"_L1).toObject();
    if (spec.jsonType == "object"_L1) {
        QJsonObject example;
        for (const QString &key : properties.keys().mid(0, 2))
            example.insert(key, exampleFor(properties.value(key).toObject()));
        if (example.isEmpty())
            example.insert(u"name"_s, u"value"_s);
        return u"A JSON object, e.g. %1"_s.arg(QString::fromUtf8(json::compact(example)));
    }
    if (spec.jsonType == "array"_L1) {
        const QJsonObject items = spec.schema.value("items"_L1).toObject();
        QJsonObject example;
        const QJsonObject itemProperties = items.value("properties"_L1).toObject();
        for (const QString &key : itemProperties.keys().mid(0, 2))
            example.insert(key, exampleFor(itemProperties.value(key).toObject()));
        const QJsonValue item = example.isEmpty() ? exampleFor(items) : QJsonValue(example);
        return u"A JSON list, e.g. %1"_s.arg(QString::fromUtf8(json::compact(QJsonArray{item})));
    }
    return u"A JSON value, e.g. \"text\", 42 or {\"name\": \"value\"}"_s;
}

QString listHint(const FieldSpec &spec)
{
    if (!spec.itemChoices.isEmpty()) {
        QStringList names;
        for (const QJsonValue &value : spec.itemChoices)
            names.append(valueLabel(value));
        return u"Any of %1, separated by commas"_s.arg(names.join(u", "_s));
    }
    if (spec.itemType == "integer"_L1)
        return u"Whole numbers separated by commas, e.g. 1, 2, 3"_s;
    if (spec.itemType == "number"_L1)
        return u"Numbers separated by commas, e.g. 1.5, 2"_s;
    if (spec.itemType == "boolean"_L1)
        return u"true or false, separated by commas"_s;
    return u"Values separated by commas, e.g. red, green"_s;
}

std::optional<double> readNumber(const QString &text)
{
    bool ok = false;
    double value = QLocale::c().toDouble(text, &ok);
    if (!ok)
        value = QLocale().toDouble(text, &ok);
    if (!ok || !std::isfinite(value))
        return std::nullopt;
    return value;
}

// One scalar of `type` from text, or a problem.
FieldValue readScalar(const QString &type, const QString &text)
{
    if (type == "integer"_L1 || type == "number"_L1) {
        const auto number = readNumber(text);
        if (!number)
            return {false, {}, u"\"%1\" is not a number"_s.arg(text)};
        if (type == "integer"_L1 && *number != std::floor(*number))
            return {false, {}, u"\"%1\" is not a whole number"_s.arg(text)};
        if (type == "integer"_L1 && std::abs(*number) < 9.0e15)
            return {true, qint64(*number), {}};
        return {true, *number, {}};
    }
    if (type == "boolean"_L1) {
        const QString lower = text.toLower();
        if (lower == "true"_L1 || lower == "yes"_L1)
            return {true, true, {}};
        if (lower == "false"_L1 || lower == "no"_L1)
            return {true, false, {}};
        return {false, {}, u"\"%1\" is not true or false"_s.arg(text)};
    }
    return {true, text, {}};
}

QString jsonErrorText(const QJsonParseError &error)
{
    switch (error.error) {
    case QJsonParseError::MissingNameSeparator: return u"a colon (:) is missing"_s;
    case QJsonParseError::MissingValueSeparator: return u"a comma is missing"_s;
    case QJsonParseError::UnterminatedObject: return u"a closing } is missing"_s;
    case QJsonParseError::UnterminatedArray: return u"a closing ] is missing"_s;
    case QJsonParseError::UnterminatedString: return u"a closing quote is missing"_s;
    case QJsonParseError::IllegalValue:
        return u"unexpected text (text needs double quotes, like \"this\")"_s;
    case QJsonParseError::IllegalNumber: return u"this number is not valid"_s;
    case QJsonParseError::IllegalEscapeSequence: return u"a backslash escape is not valid"_s;
    default: break;
    }
    return error.errorString();
}

FieldValue readJson(const FieldSpec &spec, const QString &text)
{
    // Wrapped in [ ] so that any JSON value parses, not only objects and arrays.
    const QByteArray textBytes = text.toUtf8();
    const QByteArray bytes = "[" + textBytes + "\n]";
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError) {
        // Qt's offset points just past the character it stumbled on; minus one more for "[".
        const qsizetype offset = std::clamp<qsizetype>(error.offset - 2, 0, textBytes.size());
        const json::TextPosition where = json::positionOf(textBytes, offset);
        return {false,
                {},
                u"not valid JSON (line %1, column %2): %3"_s.arg(where.line)
                    .arg(where.column)
                    .arg(jsonErrorText(error))};
    }
    const QJsonArray values = document.array();
    if (values.size() != 1)
        return {false, {}, u"enter one JSON value, not %1"_s.arg(values.size())};
    const QJsonValue value = values.first();
    if (spec.jsonType == "object"_L1 && !value.isObject())
        return {false, {}, u"must be a JSON object, like {\"name\": \"value\"}"_s};
    if (spec.jsonType == "array"_L1 && !value.isArray())
        return {false, {}, u"must be a JSON list, like [1, 2]"_s};
    return {true, value, {}};
}

} // namespace

QString valueLabel(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return numberText(value.toDouble());
    return QString::fromUtf8(json::compact(value));
}

FieldSpec describeField(const QString &name, const QJsonObject &schema, bool required)
{
    FieldSpec spec;
    spec.name = name;
    spec.schema = schema;
    spec.required = required;
    spec.label = schema.value("title"_L1).toString();
    if (spec.label.isEmpty())
        spec.label = name;
    spec.description = schema.value("description"_L1).toString();
    spec.defaultValue = schema.value("default"_L1);

    const QString type = singleType(schema);
    const QJsonArray choices = scalarChoices(schema);
    if (!choices.isEmpty()) {
        spec.kind = FieldKind::Choice;
        spec.choices = choices;
    } else if (type == "string"_L1) {
        spec.kind = FieldKind::Text;
        spec.placeholder = formatHint(schema.value("format"_L1).toString());
        const QJsonArray examples = schema.value("examples"_L1).toArray();
        if (spec.placeholder.isEmpty() && !examples.isEmpty())
            spec.placeholder = u"e.g. "_s + valueLabel(examples.first());
    } else if (type == "integer"_L1 || type == "number"_L1) {
        spec.kind = type == "integer"_L1 ? FieldKind::Integer : FieldKind::Number;
        spec.placeholder = rangeHint(schema, spec.kind == FieldKind::Integer);
    } else if (type == "boolean"_L1) {
        spec.kind = FieldKind::Boolean;
    } else if (type == "array"_L1) {
        const QJsonObject items = schema.value("items"_L1).toObject();
        QString itemType = singleType(items);
        const QJsonArray itemChoices = scalarChoices(items);
        if (itemType.isEmpty() && !itemChoices.isEmpty()) {
            bool allStrings = true;
            for (const QJsonValue &value : itemChoices)
                allStrings = allStrings && value.isString();
            if (allStrings)
                itemType = u"string"_s;
        }
        static const QStringList scalarTypes{u"string"_s, u"integer"_s, u"number"_s, u"boolean"_s};
        if (scalarTypes.contains(itemType)) {
            spec.kind = FieldKind::List;
            spec.itemType = itemType;
            spec.itemChoices = itemChoices;
            spec.placeholder = listHint(spec);
        } else {
            spec.kind = FieldKind::Json;
            spec.jsonType = u"array"_s;
        }
    } else {
        spec.kind = FieldKind::Json;
        if (type == "object"_L1 || (type.isEmpty() && schema.contains("properties"_L1)))
            spec.jsonType = u"object"_s;
    }
    if (spec.kind == FieldKind::Json)
        spec.placeholder = jsonHint(spec);
    if (spec.placeholder.isEmpty() && !required && spec.kind == FieldKind::Text)
        spec.placeholder = u"Optional"_s;
    return spec;
}

FieldValue parseFieldText(const FieldSpec &spec, const QString &text)
{
    const QString trimmed = text.trimmed();
    switch (spec.kind) {
    case FieldKind::Text:
        // Spaces inside text are the person's choice; only an empty field means "not set".
        if (text.isEmpty())
            return {};
        return {true, text, {}};
    case FieldKind::Integer:
    case FieldKind::Number: {
        if (trimmed.isEmpty())
            return {};
        const auto number = readNumber(trimmed);
        if (!number)
            return {false, {}, u"not a number"_s};
        if (spec.kind == FieldKind::Integer) {
            if (*number != std::floor(*number))
                return {false, {}, u"not a whole number"_s};
            if (std::abs(*number) < 9.0e15)
                return {true, qint64(*number), {}};
        }
        return {true, *number, {}};
    }
    case FieldKind::List: {
        if (trimmed.isEmpty())
            return {};
        QJsonArray items;
        const QStringList parts = trimmed.split(u',');
        for (const QString &part : parts) {
            const QString item = part.trimmed();
            if (item.isEmpty())
                continue;
            FieldValue value = readScalar(spec.itemType, item);
            if (!value.problem.isEmpty())
                return value;
            if (!spec.itemChoices.isEmpty() && !spec.itemChoices.contains(value.value)) {
                QStringList names;
                for (const QJsonValue &choice : spec.itemChoices)
                    names.append(valueLabel(choice));
                return {false, {}, u"\"%1\" is not one of %2"_s.arg(item, names.join(u", "_s))};
            }
            items.append(value.value);
        }
        if (items.isEmpty())
            return {};
        return {true, items, {}};
    }
    case FieldKind::Json:
        if (trimmed.isEmpty())
            return {};
        return readJson(spec, text);
    case FieldKind::Choice:
    case FieldKind::Boolean: break;
    }
    return {};
}

QString fieldText(const FieldSpec &spec, const QJsonValue &value)
{
    if (value.isUndefined())
        return {};
    switch (spec.kind) {
    case FieldKind::Text:
    case FieldKind::Integer:
    case FieldKind::Number: return valueLabel(value);
    case FieldKind::List: {
        if (!value.isArray())
            return valueLabel(value);
        QStringList parts;
        for (const QJsonValue &item : value.toArray())
            parts.append(valueLabel(item));
        return parts.join(u", "_s);
    }
    case FieldKind::Json: return QString::fromUtf8(json::pretty(value)).trimmed();
    case FieldKind::Choice:
    case FieldKind::Boolean: break;
    }
    return valueLabel(value);
}

QString checkValue(const FieldSpec &spec, const QJsonValue &value)
{
    const QJsonObject &schema = spec.schema;
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (const auto low = bound(schema, "minimum"_L1); low && number < *low)
            return u"must be at least %1"_s.arg(numberText(*low));
        if (const auto high = bound(schema, "maximum"_L1); high && number > *high)
            return u"must be at most %1"_s.arg(numberText(*high));
        if (const auto above = bound(schema, "exclusiveMinimum"_L1); above && number <= *above)
            return u"must be more than %1"_s.arg(numberText(*above));
        if (const auto below = bound(schema, "exclusiveMaximum"_L1); below && number >= *below)
            return u"must be less than %1"_s.arg(numberText(*below));
    } else if (value.isString()) {
        const qsizetype length = value.toString().size();
        const int minLength = schema.value("minLength"_L1).toInt(0);
        const int maxLength = schema.value("maxLength"_L1).toInt(-1);
        if (length < minLength)
            return u"must be at least %1 characters long"_s.arg(minLength);
        if (maxLength >= 0 && length > maxLength)
            return u"must be at most %1 characters long"_s.arg(maxLength);
        const QString pattern = schema.value("pattern"_L1).toString();
        if (!pattern.isEmpty()) {
            const QRegularExpression expression(pattern);
            if (expression.isValid() && !expression.match(value.toString()).hasMatch())
                return u"does not have the expected form (pattern %1)"_s.arg(pattern);
        }
    } else if (value.isArray() && spec.kind == FieldKind::List) {
        const qsizetype count = value.toArray().size();
        const int minItems = schema.value("minItems"_L1).toInt(0);
        const int maxItems = schema.value("maxItems"_L1).toInt(-1);
        if (count < minItems)
            return u"needs at least %1 values"_s.arg(minItems);
        if (maxItems >= 0 && count > maxItems)
            return u"takes at most %1 values"_s.arg(maxItems);
        const QJsonObject items = schema.value("items"_L1).toObject();
        FieldSpec item = spec;
        item.kind = FieldKind::Text;
        item.schema = items;
        for (const QJsonValue &entry : value.toArray()) {
            const QString problem = checkValue(item, entry);
            if (!problem.isEmpty())
                return u"%1 %2"_s.arg(valueLabel(entry), problem);
        }
    }
    return {};
}

} // namespace mcpbridge::tryit
