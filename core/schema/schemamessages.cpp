#include "core/schema/schemamessages.h"

#include "core/schema/schemanormalizer.h"
#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QVariant>

#include <cmath>

using namespace Qt::StringLiterals;

namespace mcpbridge::schema::detail {

namespace {

constexpr int MaxListed = 12;

QString pointerOf(const QStringList &tokens)
{
    QString out;
    for (const QString &t : tokens)
        out += u'/' + json::escapePointerToken(t);
    return out;
}

QJsonValue valueAt(const QJsonValue &root, const QStringList &tokens)
{
    QJsonValue v = root;
    for (const QString &t : tokens) {
        if (v.isObject())
            v = v.toObject().value(t);
        else if (v.isArray())
            v = v.toArray().at(t.toInt());
        else
            return QJsonValue::Undefined;
    }
    return v;
}

bool isWholeNumber(const QJsonValue &v)
{
    if (!v.isDouble())
        return false;
    if (v.toVariant().typeId() == QMetaType::LongLong)
        return true;
    const double d = v.toDouble();
    return std::isfinite(d) && std::trunc(d) == d;
}

QString describeValue(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return v.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double:
        return (isWholeNumber(v) ? u"the integer "_s : u"the number "_s)
               + QString::fromUtf8(json::compact(v));
    case QJsonValue::String: return u"a string"_s;
    case QJsonValue::Array: return u"an array"_s;
    case QJsonValue::Object: return u"an object"_s;
    case QJsonValue::Undefined: break;
    }
    return u"nothing"_s;
}

QString typeName(const QString &type)
{
    if (type == "integer"_L1)
        return u"an integer (a whole number)"_s;
    if (type == "object"_L1 || type == "array"_L1)
        return u"an "_s + type;
    if (type == "null"_L1)
        return type;
    return u"a "_s + type;
}

QString joinOr(const QStringList &items)
{
    if (items.size() <= 1)
        return items.value(0);
    return QStringList(items.mid(0, items.size() - 1)).join(u", "_s) + u" or "_s + items.last();
}

// Distinct values of `keyword` among the schemas that apply at `tokens`.
QList<QJsonValue> keywordValues(const QJsonObject &schema, const QStringList &tokens,
                                QLatin1StringView keyword)
{
    QList<QJsonValue> out;
    for (const QJsonObject &s : schemasAt(schema, tokens)) {
        const QJsonValue v = s.value(keyword);
        if (!v.isUndefined() && !out.contains(v))
            out.append(v);
    }
    return out;
}

QString listValues(const QList<QJsonValue> &values)
{
    QStringList shown;
    for (const QJsonValue &v : values) {
        if (shown.size() == MaxListed) {
            shown << u"… (%1 in all)"_s.arg(values.size());
            break;
        }
        shown << QString::fromUtf8(json::compact(v));
    }
    return shown.join(u", "_s);
}

QString typeMessage(const QJsonObject &schema, const QStringList &tokens, const QJsonValue &value)
{
    QStringList types;
    for (const QJsonValue &t : keywordValues(schema, tokens, "type"_L1)) {
        const QJsonArray list = t.isArray() ? t.toArray() : QJsonArray{t};
        for (const QJsonValue &one : list) {
            if (one.isString() && !types.contains(one.toString()))
                types << one.toString();
        }
    }
    // An integer also satisfies "number": name the wider type only.
    if (types.contains("number"_L1))
        types.removeAll(u"integer"_s);
    QStringList names;
    for (const QString &t : std::as_const(types))
        names << typeName(t);
    if (names.isEmpty())
        return u"has a type that is not allowed here ("_s + describeValue(value) + u")"_s;
    return u"must be "_s + joinOr(names) + u", not "_s + describeValue(value);
}

QString numberText(const QString &engineText)
{
    bool ok = false;
    const double d = engineText.toDouble(&ok);
    return ok ? QString::number(d, 'g', 15) : engineText;
}

// The schema's own number for a bound when it is unambiguous; the engine prints "1.000000".
QString boundText(const QJsonObject &schema, const QStringList &tokens,
                  std::initializer_list<QLatin1StringView> keywords, const QString &engineText)
{
    QList<QJsonValue> found;
    for (const auto keyword : keywords) {
        for (const QJsonValue &v : keywordValues(schema, tokens, keyword)) {
            if (v.isDouble() && !found.contains(v))
                found << v;
        }
    }
    const QString fallback = numberText(engineText);
    for (const QJsonValue &v : std::as_const(found)) {
        if (QString::number(v.toDouble(), 'g', 15) == fallback
            || QString::number(v.toDouble(), 'f', 6) == engineText)
            return QString::fromUtf8(json::compact(v));
    }
    return fallback;
}

// Messages that only repeat that a child failed; the child's own problem says why.
bool isCascade(const QString &d)
{
    static const QStringList prefixes{
        u"Failed to validate against schema associated with property name"_s,
        u"Failed to validate item #"_s,
        u"Failed to validate against additional properties schema"_s,
        u"Failed to validate against additional items schema"_s,
        u"Failed to validate against schema associated with pattern"_s,
        u"Failed to validate against dependent schema"_s,
        u"Failed to validate against a conditional schema"_s,
        u"Failed to validate against child schema #"_s,
        u"Failed to validate against any child schemas allowed by allOf"_s,
    };
    for (const QString &p : prefixes) {
        if (d.startsWith(p))
            return true;
    }
    return false;
}

struct Translated
{
    QList<Problem> problems;
    bool alternativesSummary = false; // "none of anyOf/oneOf matched"
};

Translated translate(const QJsonObject &schema, const QJsonValue &instance, const RawError &e)
{
    const QString where = pointerOf(e.tokens);
    const QString d = e.description;
    const QJsonValue value = valueAt(instance, e.tokens);
    QRegularExpressionMatch m;
    auto matches = [&](const QString &pattern) {
        m = QRegularExpression(pattern).match(d);
        return m.hasMatch();
    };
    Translated t;
    auto one = [&](const QString &message) { t.problems << Problem{where, message}; };

    if (matches(u"^Missing required property '(.*)'\\.$"_s)) {
        one(u"missing required property \"%1\""_s.arg(m.captured(1)));
    } else if (matches(
                   u"^Object contains a property that could not be validated .*: '(.*)'\\.$"_s)) {
        // The engine names only the first; name every unexpected property and what is allowed.
        QStringList allowed;
        QList<QRegularExpression> patterns;
        for (const QJsonObject &s : schemasAt(schema, e.tokens)) {
            const QJsonObject props = s.value("properties"_L1).toObject();
            for (auto it = props.begin(); it != props.end(); ++it) {
                if (!allowed.contains(it.key()))
                    allowed << it.key();
            }
            const QJsonObject pp = s.value("patternProperties"_L1).toObject();
            for (auto it = pp.begin(); it != pp.end(); ++it)
                patterns << QRegularExpression(it.key());
        }
        QStringList unexpected;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            bool ok = allowed.contains(it.key());
            for (const QRegularExpression &p : std::as_const(patterns))
                ok = ok || p.match(it.key()).hasMatch();
            if (!ok)
                unexpected << it.key();
        }
        if (unexpected.isEmpty())
            unexpected << m.captured(1);
        QStringList quoted;
        for (const QString &a : std::as_const(allowed).mid(0, MaxListed))
            quoted << u'"' + a + u'"';
        const QString hint = allowed.isEmpty()
                                 ? u" (no properties are allowed here)"_s
                                 : u" (allowed: "_s + quoted.join(u", "_s)
                                       + (allowed.size() > MaxListed ? u", …)"_s : u")"_s);
        for (const QString &name : std::as_const(unexpected))
            one(u"unknown property \"%1\" is not allowed%2"_s.arg(name, hint));
    } else if (d.startsWith("Value type not permitted"_L1)) {
        one(typeMessage(schema, e.tokens, value));
    } else if (d.startsWith("Failed to match against any enum values"_L1)) {
        QList<QJsonValue> allowed;
        for (const QJsonValue &list : keywordValues(schema, e.tokens, "enum"_L1)) {
            for (const QJsonValue &v : list.toArray()) {
                if (!allowed.contains(v))
                    allowed << v;
            }
        }
        one(allowed.isEmpty() ? u"is not one of the allowed values"_s
                              : u"must be one of "_s + listValues(allowed));
    } else if (d.startsWith("Failed to match expected value set by 'const'"_L1)) {
        const QList<QJsonValue> consts = keywordValues(schema, e.tokens, "const"_L1);
        if (consts.size() == 1)
            one(u"must be exactly "_s + listValues(consts));
        else if (consts.size() > 1)
            one(u"must be one of "_s + listValues(consts));
        else
            one(u"is not the required value"_s);
    } else if (matches(u"^Expected number greater than or equal to (\\S+)"_s)) {
        one(u"must be at least "_s + boundText(schema, e.tokens, {"minimum"_L1}, m.captured(1)));
    } else if (matches(u"^Expected number greater than (\\S+)"_s)) {
        one(u"must be greater than "_s
            + boundText(schema, e.tokens, {"exclusiveMinimum"_L1, "minimum"_L1}, m.captured(1)));
    } else if (matches(u"^Expected number less than or equal to (\\S+)"_s)) {
        one(u"must be at most "_s + boundText(schema, e.tokens, {"maximum"_L1}, m.captured(1)));
    } else if (matches(u"^Expected number less than (\\S+)"_s)) {
        one(u"must be less than "_s
            + boundText(schema, e.tokens, {"exclusiveMaximum"_L1, "maximum"_L1}, m.captured(1)));
    } else if (matches(u"^String should be no fewer than (\\d+)"_s)) {
        one(u"must be at least %1 characters long"_s.arg(m.captured(1)));
    } else if (matches(u"^String should be no more than (\\d+)"_s)) {
        one(u"must be at most %1 characters long"_s.arg(m.captured(1)));
    } else if (matches(u"^Array should contain no fewer than (\\d+)"_s)) {
        one(u"must have at least %1 items"_s.arg(m.captured(1)));
    } else if (matches(u"^Array should contain no more than (\\d+)"_s)) {
        one(u"must have at most %1 items"_s.arg(m.captured(1)));
    } else if (matches(u"^Object should have no fewer than (\\d+)"_s)) {
        one(u"must have at least %1 properties"_s.arg(m.captured(1)));
    } else if (matches(u"^Object should have no more than (\\d+)"_s)) {
        one(u"must have at most %1 properties"_s.arg(m.captured(1)));
    } else if (matches(u"^Value should be a multiple of (\\S+)"_s)) {
        one(u"must be a multiple of "_s
            + boundText(schema, e.tokens, {"multipleOf"_L1}, m.captured(1)));
    } else if (d.startsWith("Failed to match regex specified by 'pattern'"_L1)) {
        const QList<QJsonValue> patterns = keywordValues(schema, e.tokens, "pattern"_L1);
        one(patterns.size() == 1 ? u"must match the pattern "_s + listValues(patterns)
                                 : u"does not match the required pattern"_s);
    } else if (matches(u"^Elements at indexes #(\\d+) and #(\\d+) violate uniqueness"_s)) {
        one(u"must not contain duplicates (items %1 and %2 are equal)"_s.arg(m.captured(1),
                                                                             m.captured(2)));
    } else if (d.startsWith("Array contains more items than allowed"_L1)
               || d.startsWith("Cannot validate item #"_L1)) {
        one(u"has more items than allowed"_s);
    } else if (matches(u"^Missing dependency '(.*)'\\.$"_s)) {
        one(u"missing property \"%1\", which another property present here requires"_s.arg(
            m.captured(1)));
    } else if (d.startsWith("Failed to validate against any schemas allowed by anyOf"_L1)
               || d.startsWith(
                   "Failed to validate against any child schemas allowed by oneOf"_L1)) {
        one(u"does not match any of the allowed alternatives"_s);
        t.alternativesSummary = true;
    } else if (d.startsWith("Failed to validate against exactly one child schema"_L1)) {
        one(u"matches more than one of the alternatives, but must match exactly one"_s);
    } else if (d.startsWith("Target should not validate against schema specified in 'not'"_L1)) {
        one(u"must not match the excluded schema (\"not\")"_s);
    } else if (d.startsWith("Failed to any values against subschema in 'contains'"_L1)) {
        one(u"must contain at least one item that matches the \"contains\" schema"_s);
    } else if (!isCascade(d)) {
        one(QString(d).replace(u'\n', u' '));
    }
    return t;
}

} // namespace

QList<Problem> describe(const QJsonObject &schema, const QJsonValue &instance,
                        const QList<RawError> &errors)
{
    QList<Problem> problems;
    QList<Problem> summaries;
    for (const RawError &e : errors) {
        const Translated t = translate(schema, instance, e);
        for (const Problem &p : t.problems) {
            QList<Problem> &into = t.alternativesSummary ? summaries : problems;
            const bool seen = std::any_of(into.cbegin(), into.cend(), [&](const Problem &q) {
                return q.pointer == p.pointer && q.message == p.message;
            });
            if (!seen)
                into << p;
        }
    }
    // "none of the alternatives matched" adds nothing when the alternatives' problems merged
    // into one ("must be a string or null, not the integer 3"); otherwise it explains why
    // several contradicting problems are listed.
    for (const Problem &s : std::as_const(summaries)) {
        const auto explaining
            = std::count_if(problems.cbegin(), problems.cend(), [&](const Problem &p) {
                  return p.pointer == s.pointer || p.pointer.startsWith(s.pointer + u'/');
              });
        if (explaining != 1)
            problems.prepend(s);
    }
    return problems;
}

} // namespace mcpbridge::schema::detail
