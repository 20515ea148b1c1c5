#include "core/schema/schemanormalizer.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace mcpbridge::schema::detail {

namespace {

// Keywords whose value is one schema, a list of schemas, or a map of name -> schema. Anything
// else (enum, const, default, examples ...) is data and must not be rewritten.
const QStringList &singleSchemaKeywords()
{
    static const QStringList k{u"additionalProperties"_s,
                               u"additionalItems"_s,
                               u"items"_s,
                               u"contains"_s,
                               u"propertyNames"_s,
                               u"not"_s,
                               u"if"_s,
                               u"then"_s,
                               u"else"_s,
                               u"unevaluatedProperties"_s,
                               u"unevaluatedItems"_s};
    return k;
}
const QStringList &schemaListKeywords()
{
    static const QStringList k{u"allOf"_s, u"anyOf"_s, u"oneOf"_s, u"prefixItems"_s, u"items"_s};
    return k;
}
const QStringList &schemaMapKeywords()
{
    static const QStringList k{u"properties"_s,  u"patternProperties"_s, u"$defs"_s,
                               u"definitions"_s, u"dependentSchemas"_s,  u"dependencies"_s};
    return k;
}

// Keywords that carry no validation and may sit beside "$ref" without meaning anything.
bool isAnnotation(const QString &key)
{
    static const QStringList k{u"$ref"_s,      u"$schema"_s,     u"$id"_s,        u"$comment"_s,
                               u"$defs"_s,     u"definitions"_s, u"title"_s,      u"description"_s,
                               u"default"_s,   u"examples"_s,    u"deprecated"_s, u"readOnly"_s,
                               u"writeOnly"_s, u"$anchor"_s};
    return k.contains(key);
}

QJsonValue normalizeValue(const QJsonValue &value, Dialect dialect, int depth, bool noPatterns);

QJsonObject normalizeObject(const QJsonObject &in, Dialect dialect, int depth, bool noPatterns)
{
    if (depth > 200)
        return in;
    QJsonObject out;
    for (auto it = in.begin(); it != in.end(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        if ((key == "format"_L1 || (noPatterns && key == "pattern"_L1)) && v.isString())
            continue;
        if (singleSchemaKeywords().contains(key) && (v.isObject() || v.isBool())) {
            out.insert(key, normalizeValue(v, dialect, depth + 1, noPatterns));
        } else if (schemaListKeywords().contains(key) && v.isArray()) {
            QJsonArray list;
            for (const QJsonValue &s : v.toArray())
                list.append(normalizeValue(s, dialect, depth + 1, noPatterns));
            out.insert(key, list);
        } else if (schemaMapKeywords().contains(key) && v.isObject()) {
            QJsonObject map;
            const QJsonObject m = v.toObject();
            for (auto mi = m.begin(); mi != m.end(); ++mi) {
                // "dependencies" may map to a list of names (draft 4-7); keep those as data.
                map.insert(mi.key(), mi.value().isArray() ? mi.value()
                                                          : normalizeValue(mi.value(), dialect,
                                                                           depth + 1, noPatterns));
            }
            out.insert(key, map);
        } else {
            out.insert(key, v);
        }
    }
    if (dialect != Dialect::Draft2020)
        return out;

    if (out.contains("prefixItems"_L1)) {
        const QJsonValue rest = out.value("items"_L1);
        out.insert("items"_L1, out.take("prefixItems"_L1));
        if (!rest.isUndefined())
            out.insert("additionalItems"_L1, rest);
    }
    if (out.contains("dependentRequired"_L1) || out.contains("dependentSchemas"_L1)) {
        QJsonObject deps = out.value("dependencies"_L1).toObject();
        const QJsonObject required = out.take("dependentRequired"_L1).toObject();
        for (auto it = required.begin(); it != required.end(); ++it)
            deps.insert(it.key(), it.value());
        const QJsonObject schemas = out.take("dependentSchemas"_L1).toObject();
        for (auto it = schemas.begin(); it != schemas.end(); ++it)
            deps.insert(it.key(), it.value());
        out.insert("dependencies"_L1, deps);
    }
    // Since 2019-09 "$ref" is a keyword like any other; draft 7 ignores its siblings.
    if (out.contains("$ref"_L1)) {
        bool hasSiblings = false;
        for (auto it = out.begin(); it != out.end() && !hasSiblings; ++it)
            hasSiblings = !isAnnotation(it.key());
        if (hasSiblings) {
            const QJsonValue ref = out.take("$ref"_L1);
            QJsonArray all = out.value("allOf"_L1).toArray();
            all.prepend(QJsonObject{{"$ref"_L1, ref}});
            out.insert("allOf"_L1, all);
        }
    }
    return out;
}

QJsonValue normalizeValue(const QJsonValue &value, Dialect dialect, int depth, bool noPatterns)
{
    if (!value.isObject())
        return value;
    return normalizeObject(value.toObject(), dialect, depth, noPatterns);
}

QString unescapeToken(QString token)
{
    token.replace(u"~1"_s, u"/"_s);
    token.replace(u"~0"_s, u"~"_s);
    return token;
}

void expandInto(const QJsonObject &root, const QJsonValue &node, QList<QJsonObject> &out, int depth)
{
    if (depth > 32 || !node.isObject())
        return;
    const QJsonObject s = node.toObject();
    if (out.contains(s))
        return;
    out.append(s);
    if (s.contains("$ref"_L1))
        expandInto(root, resolveLocalRef(root, s.value("$ref"_L1).toString()), out, depth + 1);
    for (const auto key : {"allOf"_L1, "anyOf"_L1, "oneOf"_L1}) {
        for (const QJsonValue &sub : s.value(key).toArray())
            expandInto(root, sub, out, depth + 1);
    }
    for (const auto key : {"then"_L1, "else"_L1})
        expandInto(root, s.value(key), out, depth + 1);
}

} // namespace

Dialect dialectOf(const QJsonObject &schema)
{
    const QString uri = schema.value("$schema"_L1).toString();
    if (uri.contains("draft-03"_L1))
        return Dialect::Draft3;
    if (uri.contains("draft-04"_L1))
        return Dialect::Draft4;
    if (uri.contains("draft-06"_L1) || uri.contains("draft-07"_L1))
        return Dialect::Draft7;
    return Dialect::Draft2020;
}

QJsonObject normalize(const QJsonObject &schema, Dialect dialect, bool withoutPatterns)
{
    return normalizeObject(schema, dialect, 0, withoutPatterns);
}

QJsonValue resolveLocalRef(const QJsonObject &root, const QString &ref)
{
    if (!ref.startsWith(u'#'))
        return QJsonValue::Undefined;
    const QString pointer = QUrl::fromPercentEncoding(ref.mid(1).toUtf8());
    QJsonValue current = root;
    if (pointer.isEmpty())
        return current;
    if (!pointer.startsWith(u'/'))
        return QJsonValue::Undefined; // an anchor name; not supported here
    const QStringList tokens = pointer.mid(1).split(u'/');
    for (const QString &raw : tokens) {
        const QString token = unescapeToken(raw);
        if (current.isObject()) {
            current = current.toObject().value(token);
        } else if (current.isArray()) {
            bool ok = false;
            const int index = token.toInt(&ok);
            if (!ok)
                return QJsonValue::Undefined;
            current = current.toArray().at(index);
        } else {
            return QJsonValue::Undefined;
        }
        if (current.isUndefined())
            return current;
    }
    return current;
}

QList<QJsonObject> schemasAt(const QJsonObject &root, const QStringList &tokens)
{
    QList<QJsonObject> current;
    expandInto(root, root, current, 0);
    for (const QString &token : tokens) {
        QList<QJsonObject> next;
        for (const QJsonObject &s : std::as_const(current)) {
            bool matched = false;
            const QJsonObject props = s.value("properties"_L1).toObject();
            if (props.contains(token)) {
                expandInto(root, props.value(token), next, 0);
                matched = true;
            }
            const QJsonObject patterns = s.value("patternProperties"_L1).toObject();
            for (auto it = patterns.begin(); it != patterns.end(); ++it) {
                if (QRegularExpression(it.key()).match(token).hasMatch()) {
                    expandInto(root, it.value(), next, 0);
                    matched = true;
                }
            }
            if (!matched)
                expandInto(root, s.value("additionalProperties"_L1), next, 0);
            bool isIndex = false;
            const int index = token.toInt(&isIndex);
            const QJsonValue items = s.value("items"_L1);
            if (items.isObject()) {
                expandInto(root, items, next, 0);
            } else if (items.isArray() && isIndex) {
                if (index < items.toArray().size())
                    expandInto(root, items.toArray().at(index), next, 0);
                else
                    expandInto(root, s.value("additionalItems"_L1), next, 0);
            }
        }
        current = next;
    }
    return current;
}

} // namespace mcpbridge::schema::detail
