#include "core/openapi/operationparts.h"

#include "core/openapi/textbudget.h"
#include "core/openapi/toolnaming.h"
#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QSet>

using namespace Qt::StringLiterals;

namespace mcpbridge::openapi {

using Severity = ImportNote::Severity;
using namespace detail;

namespace {

QString pathVariableName(const QString &raw)
{
    // Path template variables may only use [A-Za-z0-9_] (RFC 6570 level 1 as the bridge reads it).
    QString out;
    for (const QChar c : raw) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z')
                        || (u >= u'0' && u <= u'9') || u == u'_';
        if (ok)
            out += c;
        else if (!out.endsWith(u'_'))
            out += u'_';
    }
    while (out.startsWith(u'_') && out.size() > 1)
        out.remove(0, 1);
    while (out.endsWith(u'_') && out.size() > 1)
        out.chop(1);
    return out == u"_" ? QString() : out;
}

QString locationWord(const QString &in)
{
    if (in == u"body")
        return u"body field"_s;
    return in + u" parameter"_s;
}

} // namespace

OperationMapper::OperationMapper(const SpecResolver &resolver, SchemaConverter &converter,
                                 bool swagger2, QList<ImportNote> *notes)
    : m_resolver(resolver)
    , m_converter(converter)
    , m_swagger2(swagger2)
    , m_notes(notes)
{
    const QJsonObject root = resolver.root().toObject();
    m_globalConsumes = stringList(root.value(u"consumes"_s));
    m_globalProduces = stringList(root.value(u"produces"_s));
}

bool OperationMapper::isReservedHeader(const QString &name)
{
    return name.compare(u"Accept"_s, Qt::CaseInsensitive) == 0
           || name.compare(u"Content-Type"_s, Qt::CaseInsensitive) == 0
           || name.compare(u"Authorization"_s, Qt::CaseInsensitive) == 0;
}

void OperationMapper::note(Severity severity, const QString &pointer, const QString &message)
{
    m_notes->append({severity, pointer, m_current->method + u' ' + m_current->path, message});
}

QJsonObject OperationMapper::swagger2ParameterSchema(const QJsonObject &param,
                                                     const QString &pointer)
{
    // Swagger 2.0 puts the schema keywords of non-body parameters on the parameter itself.
    static const QStringList keys = {u"type"_s,       u"format"_s,           u"items"_s,
                                     u"enum"_s,       u"default"_s,          u"maximum"_s,
                                     u"minimum"_s,    u"exclusiveMaximum"_s, u"exclusiveMinimum"_s,
                                     u"maxLength"_s,  u"minLength"_s,        u"pattern"_s,
                                     u"maxItems"_s,   u"minItems"_s,         u"uniqueItems"_s,
                                     u"multipleOf"_s, u"x-nullable"_s,       u"x-example"_s};
    QJsonObject raw;
    for (const QString &k : keys)
        if (param.contains(k))
            raw.insert(k == u"x-example" ? u"example"_s : k, param.value(k));
    if (!raw.contains(u"type"_s))
        raw.insert(u"type"_s, u"string"_s);
    return m_converter.convert({raw, 0, pointer});
}

std::optional<OperationMapper::Candidate> OperationMapper::parameterCandidate(
    const SpecResolver::Located &param)
{
    const QJsonObject p = param.value.toObject();
    Candidate c;
    c.name = p.value(u"name"_s).toString();
    c.in = p.value(u"in"_s).toString();
    if (c.name.isEmpty()) {
        note(Severity::Degraded, param.pointer, u"A parameter without a name was left out."_s);
        return std::nullopt;
    }
    c.required = p.value(u"required"_s).toBool();
    if (m_swagger2) {
        c.schema = swagger2ParameterSchema(p, param.pointer);
    } else if (p.contains(u"schema"_s)) {
        c.schema
            = m_converter.convert({p.value(u"schema"_s), param.doc, param.pointer + u"/schema"_s});
    } else if (p.value(u"content"_s).isObject() && !p.value(u"content"_s).toObject().isEmpty()) {
        const QJsonObject content = p.value(u"content"_s).toObject();
        const QString media = content.constBegin().key();
        c.schema = m_converter.convert(
            {content.constBegin().value().toObject().value(u"schema"_s), param.doc,
             param.pointer + u"/content/"_s + json::escapePointerToken(media) + u"/schema"_s});
    } else {
        c.schema = QJsonObject{{u"type"_s, u"string"_s}};
    }
    for (const QString &problem : m_converter.takeProblems())
        note(Severity::Degraded, param.pointer,
             u"The schema of the %1 \"%2\" is incomplete: %3."_s.arg(locationWord(c.in), c.name,
                                                                     problem));
    if (!c.schema.contains(u"examples"_s)) {
        QJsonValue example = p.value(u"example"_s);
        if (example.isUndefined() && p.value(u"examples"_s).isObject()) {
            const QJsonObject examples = p.value(u"examples"_s).toObject();
            if (!examples.isEmpty())
                example = examples.constBegin().value().toObject().value(u"value"_s);
        }
        if (!example.isUndefined() && !example.isNull() && json::compact(example).size() <= 160)
            c.schema.insert(u"examples"_s, QJsonArray{example});
    }
    c.description = compactText(p.value(u"description"_s).toString(), ParameterDescriptionBudget);
    if (p.value(u"deprecated"_s).toBool())
        c.description
            = c.description.isEmpty() ? u"Deprecated."_s : u"Deprecated. "_s + c.description;
    if (!c.description.isEmpty())
        c.schema.remove(u"description"_s);
    return c;
}

MappedOperation OperationMapper::map(const OperationInput &input)
{
    m_current = &input;
    MappedOperation result;
    const QJsonObject &op = input.operation;

    // Path-level parameters first; an operation parameter with the same name and place wins.
    QList<SpecResolver::Located> params;
    QStringList keys;
    const QString pathPointer = input.pointer.left(input.pointer.lastIndexOf(u'/'));
    const auto collect = [&](const QJsonArray &list, const QString &base) {
        for (qsizetype i = 0; i < list.size(); ++i) {
            QString error;
            const QString pointer = base + u"/parameters/"_s + QString::number(i);
            const auto p = m_resolver.deref({list.at(i), 0, pointer}, &error);
            if (!p || !p->value.isObject()) {
                note(Severity::Degraded, pointer,
                     u"A parameter could not be read and was left out: %1."_s.arg(
                         error.isEmpty() ? u"it is not an object"_s : error));
                continue;
            }
            const QJsonObject o = p->value.toObject();
            const QString key = o.value(u"in"_s).toString() + u':' + o.value(u"name"_s).toString();
            const qsizetype existing = keys.indexOf(key);
            if (existing >= 0) {
                params[existing] = *p;
            } else {
                keys.append(key);
                params.append(*p);
            }
        }
    };
    collect(input.pathItem.value(u"parameters"_s).toArray(), pathPointer);
    collect(op.value(u"parameters"_s).toArray(), input.pointer);

    QList<Candidate> pathParams, queryParams, headerParams;
    std::optional<SpecResolver::Located> swaggerBody;
    QList<SpecResolver::Located> formParams;
    for (const SpecResolver::Located &param : params) {
        const QJsonObject p = param.value.toObject();
        const QString in = p.value(u"in"_s).toString();
        const QString name = p.value(u"name"_s).toString();
        if (m_swagger2 && in == u"body") {
            swaggerBody = param;
            continue;
        }
        if (m_swagger2 && in == u"formData") {
            formParams.append(param);
            continue;
        }
        if (in == u"cookie") {
            note(p.value(u"required"_s).toBool() ? Severity::Degraded : Severity::Info,
                 param.pointer,
                 u"The cookie parameter \"%1\" was left out: the bridge does not send cookies "
                 u"per call."_s.arg(name));
            continue;
        }
        if (in == u"header" && isReservedHeader(name)) {
            note(Severity::Info, param.pointer,
                 u"The header parameter \"%1\" was left out: the bridge sets this header itself."_s
                     .arg(name));
            continue;
        }
        if (in != u"path" && in != u"query" && in != u"header") {
            note(Severity::Degraded, param.pointer,
                 u"The parameter \"%1\" was left out: \"%2\" is not a known place for a "
                 u"parameter."_s.arg(name, in));
            continue;
        }
        std::optional<Candidate> c = parameterCandidate(param);
        if (!c)
            continue;
        (in == u"path" ? pathParams : in == u"query" ? queryParams : headerParams).append(*c);
    }

    // The request body.
    bool skip = false;
    std::optional<Body> body;
    if (m_swagger2 && swaggerBody) {
        const QJsonObject p = swaggerBody->value.toObject();
        QStringList consumes = stringList(op.value(u"consumes"_s));
        if (consumes.isEmpty())
            consumes = m_globalConsumes;
        bool json = consumes.isEmpty();
        for (const QString &c : consumes)
            json = json || classify(c) == MediaKind::Json;
        const QString schemaPointer = swaggerBody->pointer + u"/schema"_s;
        QJsonObject schema
            = m_converter.convert({p.value(u"schema"_s), swaggerBody->doc, schemaPointer});
        for (const QString &problem : m_converter.takeProblems())
            note(Severity::Degraded, schemaPointer,
                 u"The request body schema is incomplete: %1."_s.arg(problem));
        if (!json)
            note(Severity::Degraded, swaggerBody->pointer,
                 u"The API expects the body as %1; the bridge sends JSON."_s.arg(
                     consumes.join(u", "_s)));
        body = bodyFromSchema(schema, p.value(u"required"_s).toBool(), {},
                              p.value(u"description"_s).toString(), swaggerBody->pointer, &skip);
    } else if (m_swagger2 && !formParams.isEmpty()) {
        body = formData20(formParams, &skip);
    } else if (!m_swagger2) {
        body = requestBody30(op, input.pointer, &skip);
    }
    if (skip)
        return result;

    // Path parameters follow the template: declared ones missing from it go, undeclared ones are
    // added (the URL cannot be built without them).
    const QStringList vars = bridge::templateVariables(input.path);
    QList<Candidate> orderedPath;
    for (const QString &v : vars) {
        auto it = std::find_if(pathParams.begin(), pathParams.end(),
                               [&](const Candidate &c) { return c.name == v; });
        if (it != pathParams.end()) {
            orderedPath.append(*it);
        } else {
            note(Severity::Degraded, input.pointer,
                 u"The path has {%1} but no parameter declares it; it was added as a required "
                 u"text argument."_s.arg(v));
            orderedPath.append(
                {v, u"path"_s, true, false, {}, QJsonObject{{u"type"_s, u"string"_s}}});
        }
    }
    for (const Candidate &c : pathParams)
        if (!vars.contains(c.name))
            note(Severity::Info, input.pointer,
                 u"The path parameter \"%1\" is not in the path and was left out."_s.arg(c.name));

    // Arguments: path parameters keep their names; a later clash is renamed "<place>_<name>".
    bridge::Tool tool;
    UniqueNames names(MaxToolNameLength, false);
    QString path = input.path;
    for (Candidate &c : orderedPath) {
        QString name = pathVariableName(c.name);
        if (name.isEmpty())
            name = u"param"_s;
        name = names.claim(name);
        if (name != c.name)
            path.replace(u'{' + c.name + u'}', u'{' + name + u'}');
        bridge::Parameter p;
        p.name = name;
        p.in = u"path"_s;
        p.required = true;
        p.description = c.description;
        p.schema = c.schema;
        tool.parameters.append(p);
    }
    QList<Candidate> rest = queryParams + headerParams;
    if (body) {
        rest += body->fields;
        tool.bodyMediaType = body->mediaType;
    }
    for (const Candidate &c : rest) {
        QString base = sanitizeArgumentName(c.name);
        if (base.isEmpty())
            base = c.in;
        const bool clash = names.isTaken(base);
        if (clash)
            base = c.in + u'_' + base;
        bridge::Parameter p;
        p.name = names.claim(base);
        if (clash)
            note(Severity::Info, input.pointer,
                 u"The %1 \"%2\" is offered as \"%3\", because another argument already has "
                 u"its name."_s.arg(locationWord(c.in), c.name, p.name));
        p.in = c.in;
        p.wholeBody = c.wholeBody;
        if (!c.wholeBody && p.name != c.name)
            p.wireName = c.name;
        p.required = c.required;
        p.description = c.description;
        p.schema = c.schema;
        tool.parameters.append(p);
    }

    // A huge body schema (deeply nested alternatives) would dominate tools/list: drop the
    // annotations of nested fields first; the structure and the top-level descriptions stay.
    qsizetype schemaChars = 0;
    for (const bridge::Parameter &p : tool.parameters)
        schemaChars += json::compact(p.schema).size();
    if (schemaChars > ToolSchemaBudget) {
        for (bridge::Parameter &p : tool.parameters)
            SchemaConverter::stripAnnotations(p.schema, 1);
        note(Severity::Info, input.pointer,
             u"Its arguments are large (%1 characters of schema); the descriptions and examples of "
             u"nested fields were left out to keep the tool compact."_s.arg(schemaChars));
    }

    // Tool text: summary + description, Markdown kept, within the budget.
    const QString summary = cleanText(op.value(u"summary"_s).toString());
    const QString description = cleanText(op.value(u"description"_s).toString());
    QString text = summary;
    if (!description.isEmpty()) {
        if (summary.isEmpty() || description.startsWith(summary))
            text = description;
        else
            text = summary + u"\n\n"_s + description;
    }
    if (text.isEmpty())
        text = cleanText(input.pathItem.value(u"summary"_s).toString());
    if (text.isEmpty())
        text = cleanText(input.pathItem.value(u"description"_s).toString());
    if (text.isEmpty())
        text = u"Calls %1 %2."_s.arg(input.method, input.path);
    if (op.value(u"deprecated"_s).toBool()) {
        text = u"Deprecated. "_s + text;
        note(Severity::Info, input.pointer, u"The operation is marked deprecated."_s);
    }

    tool.name = input.toolName;
    tool.title = trimToBudget(summary.section(u'\n', 0, 0), TitleBudget);
    tool.description = trimToBudget(text, ToolDescriptionBudget);
    tool.method = input.method;
    tool.path = input.pathPrefix + path;
    tool.annotations.title = tool.title;
    if (input.method == u"GET" || input.method == u"HEAD") {
        tool.annotations.readOnlyHint = true;
    } else if (input.method == u"DELETE") {
        tool.annotations.destructiveHint = true;
        tool.annotations.idempotentHint = true;
    } else if (input.method == u"PUT") {
        tool.annotations.idempotentHint = true;
    }
    result.responseMimeType = responseMimeType(op);
    result.tool = tool;
    return result;
}

} // namespace mcpbridge::openapi
