#include "core/openapi/schemaconverter.h"

#include "core/openapi/textbudget.h"
#include "core/util/jsontext.h"

#include <QJsonArray>

#include <regex>

using namespace Qt::StringLiterals;

namespace mcpbridge::openapi {

namespace {

constexpr qsizetype MaxExampleChars = 160;

QStringList typeList(const QJsonValue &type)
{
    if (type.isString())
        return {type.toString()};
    QStringList out;
    if (type.isArray()) {
        for (const QJsonValue &t : type.toArray())
            if (t.isString())
                out.append(t.toString());
    }
    return out;
}

QJsonValue typeValue(const QStringList &types)
{
    if (types.size() == 1)
        return types.first();
    return QJsonArray::fromStringList(types);
}

// Keywords copied as they are (after checking they have a sensible JSON type).
const QStringList &numericKeywords()
{
    static const QStringList k
        = {u"multipleOf"_s, u"maximum"_s,  u"minimum"_s,       u"maxLength"_s,    u"minLength"_s,
           u"maxItems"_s,   u"minItems"_s, u"maxProperties"_s, u"minProperties"_s};
    return k;
}

bool isSmall(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().size() <= MaxExampleChars;
    if (v.isObject() || v.isArray())
        return json::compact(v).size() <= MaxExampleChars;
    return !v.isUndefined();
}

QString refName(const QString &ref)
{
    const qsizetype slash = ref.lastIndexOf(u'/');
    QString name = slash >= 0 ? ref.mid(slash + 1) : ref;
    name.replace(u"~1"_s, u"/"_s);
    name.replace(u"~0"_s, u"~"_s);
    return name.isEmpty() ? ref : name;
}

void makeNullable(QJsonObject &schema)
{
    if (schema.contains(u"type"_s)) {
        QStringList types = typeList(schema.value(u"type"_s));
        if (!types.contains(u"null"_s)) {
            types.append(u"null"_s);
            schema.insert(u"type"_s, typeValue(types));
        }
    }
    if (schema.value(u"enum"_s).isArray()) {
        QJsonArray e = schema.value(u"enum"_s).toArray();
        if (!e.contains(QJsonValue::Null)) {
            e.append(QJsonValue::Null);
            schema.insert(u"enum"_s, e);
        }
    }
    for (const QString &key : {u"oneOf"_s, u"anyOf"_s}) {
        if (schema.value(key).isArray()) {
            QJsonArray members = schema.value(key).toArray();
            members.append(QJsonObject{{u"type"_s, u"null"_s}});
            schema.insert(key, members);
        }
    }
}

// Members of allOf bring their own properties; read-only ones are not sent by a caller.
void dropReadOnly(QJsonObject &schema)
{
    if (!schema.value(u"properties"_s).isObject())
        return;
    QJsonObject props = schema.value(u"properties"_s).toObject();
    QJsonArray required = schema.value(u"required"_s).toArray();
    bool changed = false;
    for (const QString &name : props.keys()) {
        if (props.value(name).toObject().value(u"readOnly"_s).toBool()) {
            props.remove(name);
            for (qsizetype i = required.size() - 1; i >= 0; --i)
                if (required.at(i).toString() == name)
                    required.removeAt(i);
            changed = true;
        }
    }
    if (!changed)
        return;
    schema.insert(u"properties"_s, props);
    if (required.isEmpty())
        schema.remove(u"required"_s);
    else
        schema.insert(u"required"_s, required);
}

} // namespace

SchemaConverter::SchemaConverter(const SpecResolver &resolver, Dialect dialect)
    : m_resolver(resolver)
    , m_dialect(dialect)
{}

QStringList SchemaConverter::takeProblems()
{
    return std::exchange(m_problems, {});
}

QJsonObject SchemaConverter::convert(const SpecResolver::Located &value)
{
    m_stack.clear();
    m_tainted = false;
    return convertNode(value.value, value.doc, 0);
}

QJsonObject SchemaConverter::cutCycle(const QString &ref, int doc) const
{
    QJsonObject cut;
    if (auto target = m_resolver.lookup(ref, doc); target && target->value.isObject()) {
        const QJsonValue type = target->value.toObject().value(u"type"_s);
        if (type.isString() || type.isArray())
            cut.insert(u"type"_s, type);
    }
    cut.insert(u"description"_s,
               u"A %1 (recursive structure, not expanded further)."_s.arg(refName(ref)));
    return cut;
}

QJsonObject SchemaConverter::convertNode(const QJsonValue &value, int doc, int depth)
{
    if (value.isBool())
        return value.toBool() ? QJsonObject{} : QJsonObject{{u"not"_s, QJsonObject{}}};
    if (!value.isObject())
        return {};
    const QJsonObject o = value.toObject();
    if (o.contains(u"$ref"_s) && o.value(u"$ref"_s).isString())
        return convertRef(o, doc, depth);
    if (depth > m_maxDepth) {
        m_tainted = true;
        QJsonObject summary;
        const QJsonValue type = o.value(u"type"_s);
        if (type.isString() || type.isArray())
            summary.insert(u"type"_s, type);
        summary.insert(u"description"_s, u"(nested too deeply to describe here)"_s);
        return summary;
    }

    QJsonObject result = convertOwn(o, doc, depth);
    const QJsonValue allOf = o.value(u"allOf"_s);
    if (allOf.isArray()) {
        for (const QJsonValue &member : allOf.toArray())
            result = mergeAllOf(result, convertNode(member, doc, depth));
        dropReadOnly(result);
    }
    const bool nullable = (m_dialect == Dialect::OpenApi30 && o.value(u"nullable"_s).toBool())
                          || (m_dialect == Dialect::Swagger2 && o.value(u"x-nullable"_s).toBool());
    if (nullable)
        makeNullable(result);
    return result;
}

QJsonObject SchemaConverter::convertRef(const QJsonObject &o, int doc, int depth)
{
    const QString ref = o.value(u"$ref"_s).toString();
    const QString key = m_resolver.canonical(ref, doc);
    QJsonObject base;
    if (m_stack.contains(key)) {
        m_tainted = true;
        base = cutCycle(ref, doc);
    } else if (const auto cached = m_cache.constFind(key); cached != m_cache.constEnd()) {
        base = cached.value();
    } else {
        QString error;
        const std::optional<SpecResolver::Located> target = m_resolver.lookup(ref, doc, &error);
        if (!target) {
            m_problems.append(error);
            return QJsonObject{{u"description"_s, u"(schema not available: %1)"_s.arg(error)}};
        }
        const bool outerTainted = std::exchange(m_tainted, false);
        m_stack.append(key);
        base = convertNode(target->value, target->doc, depth);
        m_stack.removeLast();
        if (!m_tainted)
            m_cache.insert(key, base);
        m_tainted = m_tainted || outerTainted;
    }
    // OpenAPI 3.1 allows keywords beside $ref; the common ones refine the target.
    if (o.size() > 1) {
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            if (it.key() == u"description" && it.value().isString()) {
                const QString text = compactText(it.value().toString(), SchemaDescriptionBudget);
                if (!text.isEmpty())
                    base.insert(u"description"_s, text);
            } else if (it.key() == u"default" || it.key() == u"deprecated"
                       || it.key() == u"readOnly") {
                base.insert(it.key(), it.value());
            } else if (it.key() == u"nullable" && it.value().toBool()) {
                makeNullable(base);
            }
        }
    }
    return base;
}

bool SchemaConverter::isUsablePattern(const QString &pattern)
{
    // Argument validation uses ECMAScript std::regex; a pattern it rejects would make the whole
    // tool unusable, so such a pattern is dropped (the looser schema still works).
    if (const auto it = m_patterns.constFind(pattern); it != m_patterns.constEnd())
        return it.value();
    bool ok = true;
    try {
        std::regex re(pattern.toStdString(), std::regex::ECMAScript);
    } catch (const std::exception &) {
        ok = false;
    }
    m_patterns.insert(pattern, ok);
    return ok;
}

QJsonObject SchemaConverter::convertOwn(const QJsonObject &o, int doc, int depth)
{
    QJsonObject out;

    // type (Swagger 2.0 "file" is an upload; it has no JSON Schema equivalent)
    if (const QJsonValue type = o.value(u"type"_s); !type.isUndefined()) {
        QStringList types = typeList(type);
        if (types.removeAll(u"file"_s) > 0) {
            types.append(u"string"_s);
            out.insert(u"format"_s, u"binary"_s);
        }
        types.removeDuplicates();
        if (!types.isEmpty())
            out.insert(u"type"_s, typeValue(types));
    }
    if (o.value(u"pattern"_s).isString()) {
        const QString pattern = o.value(u"pattern"_s).toString();
        if (isUsablePattern(pattern))
            out.insert(u"pattern"_s, pattern);
        else
            m_problems.append(u"the pattern \"%1\" is not a regular expression the bridge can "
                              u"check, so it was left out"_s.arg(pattern));
    }
    for (const QString &key : {u"format"_s, u"contentMediaType"_s, u"contentEncoding"_s}) {
        if (o.value(key).isString() && !out.contains(key))
            out.insert(key, o.value(key));
    }
    if (o.value(u"title"_s).isString()) {
        const QString title = compactText(o.value(u"title"_s).toString(), TitleBudget);
        if (!title.isEmpty())
            out.insert(u"title"_s, title);
    }
    if (o.value(u"description"_s).isString()) {
        const QString text
            = compactText(o.value(u"description"_s).toString(), SchemaDescriptionBudget);
        if (!text.isEmpty())
            out.insert(u"description"_s, text);
    }
    for (const QString &key : numericKeywords()) {
        if (o.value(key).isDouble())
            out.insert(key, o.value(key));
    }
    // 2.0/3.0 write exclusiveMinimum as a boolean beside minimum; JSON Schema wants the number.
    for (const auto &[exclusive, bound] : {std::pair{u"exclusiveMinimum"_s, u"minimum"_s},
                                           std::pair{u"exclusiveMaximum"_s, u"maximum"_s}}) {
        const QJsonValue v = o.value(exclusive);
        if (v.isDouble()) {
            out.insert(exclusive, v);
        } else if (v.toBool() && o.value(bound).isDouble()) {
            out.insert(exclusive, o.value(bound));
            out.remove(bound);
        }
    }
    for (const QString &key : {u"uniqueItems"_s, u"deprecated"_s, u"readOnly"_s}) {
        if (o.value(key).isBool() && o.value(key).toBool())
            out.insert(key, true);
    }
    if (o.contains(u"default"_s))
        out.insert(u"default"_s, o.value(u"default"_s));
    if (o.value(u"enum"_s).isArray() && !o.value(u"enum"_s).toArray().isEmpty())
        out.insert(u"enum"_s, o.value(u"enum"_s));
    if (o.contains(u"const"_s))
        out.insert(u"const"_s, o.value(u"const"_s));
    // One small example is worth its tokens; long ones are not.
    QJsonValue example;
    if (o.value(u"examples"_s).isArray() && !o.value(u"examples"_s).toArray().isEmpty())
        example = o.value(u"examples"_s).toArray().first();
    else if (o.contains(u"example"_s))
        example = o.value(u"example"_s);
    if (!example.isUndefined() && !example.isNull() && isSmall(example))
        out.insert(u"examples"_s, QJsonArray{example});

    // object
    if (o.value(u"properties"_s).isObject()) {
        const QJsonObject props = o.value(u"properties"_s).toObject();
        QJsonObject converted;
        QStringList readOnly;
        for (auto it = props.constBegin(); it != props.constEnd(); ++it) {
            QJsonObject p = convertNode(it.value(), doc, depth + 1);
            // Read-only properties come back from the API; a caller never sends them.
            if (p.value(u"readOnly"_s).toBool()) {
                readOnly.append(it.key());
                continue;
            }
            converted.insert(it.key(), p);
        }
        out.insert(u"properties"_s, converted);
        if (!out.contains(u"type"_s))
            out.insert(u"type"_s, u"object"_s);
        if (o.value(u"required"_s).isArray()) {
            QJsonArray required;
            for (const QJsonValue &r : o.value(u"required"_s).toArray()) {
                if (r.isString() && !readOnly.contains(r.toString()) && !required.contains(r))
                    required.append(r);
            }
            if (!required.isEmpty())
                out.insert(u"required"_s, required);
        }
    } else if (o.value(u"required"_s).isArray() && !o.value(u"required"_s).toArray().isEmpty()) {
        // required without properties (used inside allOf members)
        QJsonArray required;
        for (const QJsonValue &r : o.value(u"required"_s).toArray())
            if (r.isString())
                required.append(r);
        out.insert(u"required"_s, required);
    }
    if (const QJsonValue ap = o.value(u"additionalProperties"_s); ap.isBool()) {
        out.insert(u"additionalProperties"_s, ap);
    } else if (ap.isObject()) {
        out.insert(u"additionalProperties"_s, convertNode(ap, doc, depth + 1));
    }
    if (o.value(u"patternProperties"_s).isObject()) {
        QJsonObject pp;
        const QJsonObject src = o.value(u"patternProperties"_s).toObject();
        for (auto it = src.constBegin(); it != src.constEnd(); ++it)
            pp.insert(it.key(), convertNode(it.value(), doc, depth + 1));
        out.insert(u"patternProperties"_s, pp);
    }

    // array
    if (const QJsonValue items = o.value(u"items"_s); items.isObject() || items.isBool()) {
        out.insert(u"items"_s, convertNode(items, doc, depth + 1));
    } else if (items.isArray()) {
        QJsonArray prefix;
        for (const QJsonValue &i : items.toArray())
            prefix.append(convertNode(i, doc, depth + 1));
        out.insert(u"prefixItems"_s, prefix);
    }
    if (o.value(u"prefixItems"_s).isArray()) {
        QJsonArray prefix;
        for (const QJsonValue &i : o.value(u"prefixItems"_s).toArray())
            prefix.append(convertNode(i, doc, depth + 1));
        out.insert(u"prefixItems"_s, prefix);
    }
    // composition
    for (const QString &key : {u"oneOf"_s, u"anyOf"_s}) {
        if (!o.value(key).isArray())
            continue;
        QJsonArray members;
        for (const QJsonValue &m : o.value(key).toArray())
            members.append(convertNode(m, doc, depth + 1));
        if (!members.isEmpty())
            out.insert(key, members);
    }
    if (o.value(u"not"_s).isObject() || o.value(u"not"_s).isBool())
        out.insert(u"not"_s, convertNode(o.value(u"not"_s), doc, depth + 1));
    return out;
}

QJsonObject SchemaConverter::mergeAllOf(QJsonObject a, const QJsonObject &b)
{
    for (auto it = b.constBegin(); it != b.constEnd(); ++it) {
        const QString &key = it.key();
        if (key == u"properties") {
            QJsonObject props = a.value(key).toObject();
            const QJsonObject more = it.value().toObject();
            for (auto p = more.constBegin(); p != more.constEnd(); ++p) {
                if (props.contains(p.key()))
                    props.insert(p.key(),
                                 mergeAllOf(props.value(p.key()).toObject(), p.value().toObject()));
                else
                    props.insert(p.key(), p.value());
            }
            a.insert(key, props);
        } else if (key == u"required") {
            QJsonArray required = a.value(key).toArray();
            for (const QJsonValue &r : it.value().toArray())
                if (!required.contains(r))
                    required.append(r);
            a.insert(key, required);
        } else if (key == u"type") {
            if (!a.contains(key)) {
                a.insert(key, it.value());
                continue;
            }
            const QStringList mine = typeList(a.value(key));
            const QStringList theirs = typeList(it.value());
            QStringList both;
            for (const QString &t : mine) {
                if (theirs.contains(t))
                    both.append(t);
                else if (t == u"number" && theirs.contains(u"integer"_s))
                    both.append(u"integer"_s);
                else if (t == u"integer" && theirs.contains(u"number"_s))
                    both.append(t);
            }
            if (!both.isEmpty())
                a.insert(key, typeValue(both));
        } else if (key == u"enum" && a.value(key).isArray()) {
            QJsonArray common;
            const QJsonArray theirs = it.value().toArray();
            for (const QJsonValue &v : a.value(key).toArray())
                if (theirs.contains(v))
                    common.append(v);
            if (!common.isEmpty())
                a.insert(key, common);
        } else if (!a.contains(key)) {
            a.insert(key, it.value());
        }
    }
    // A property required by one member stays required, but never for a property that was
    // dropped as read-only: `required` must only name properties that can be sent.
    if (a.contains(u"properties"_s) && a.contains(u"required"_s)) {
        const QJsonObject props = a.value(u"properties"_s).toObject();
        QJsonArray required;
        for (const QJsonValue &r : a.value(u"required"_s).toArray())
            if (props.contains(r.toString()))
                required.append(r);
        if (required.isEmpty())
            a.remove(u"required"_s);
        else
            a.insert(u"required"_s, required);
    }
    return a;
}

void SchemaConverter::stripAnnotations(QJsonObject &schema, int depth)
{
    if (depth <= 0) {
        schema.remove(u"description"_s);
        schema.remove(u"title"_s);
        schema.remove(u"examples"_s);
    }
    const auto child = [depth](QJsonValue v) {
        if (!v.isObject())
            return v;
        QJsonObject o = v.toObject();
        stripAnnotations(o, depth - 1);
        return QJsonValue(o);
    };
    for (const QString &key : {u"items"_s, u"additionalProperties"_s, u"not"_s}) {
        if (schema.value(key).isObject())
            schema.insert(key, child(schema.value(key)));
    }
    for (const QString &key : {u"properties"_s, u"patternProperties"_s}) {
        if (!schema.value(key).isObject())
            continue;
        QJsonObject map = schema.value(key).toObject();
        for (auto it = map.begin(); it != map.end(); ++it)
            it.value() = child(it.value());
        schema.insert(key, map);
    }
    for (const QString &key : {u"oneOf"_s, u"anyOf"_s, u"allOf"_s, u"prefixItems"_s}) {
        if (!schema.value(key).isArray())
            continue;
        QJsonArray list = schema.value(key).toArray();
        for (qsizetype i = 0; i < list.size(); ++i)
            list[i] = child(list.at(i));
        schema.insert(key, list);
    }
}

} // namespace mcpbridge::openapi
