// The request body of an operation: OpenAPI 3 requestBody (JSON, form, multipart text fields,
// text) and Swagger 2.0 body/formData parameters, spread into body arguments where it is an object.

#include "core/openapi/operationparts.h"
#include "core/openapi/textbudget.h"
#include "core/util/jsontext.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::openapi {

using Severity = ImportNote::Severity;
using namespace detail;

std::optional<OperationMapper::Body> OperationMapper::bodyFromSchema(
    QJsonObject schema, bool required, QString mediaType, const QString &description,
    const QString &pointer, bool *skip)
{
    Body body;
    body.mediaType = mediaType;
    const QJsonObject props = schema.value(u"properties"_s).toObject();
    const QStringList types = schema.value(u"type"_s).isArray()
                                  ? stringList(schema.value(u"type"_s))
                                  : QStringList{schema.value(u"type"_s).toString()};
    const bool objectish = types.contains(u"object"_s) || types == QStringList{QString()};
    const bool composite
        = schema.contains(u"oneOf"_s) || schema.contains(u"anyOf"_s) || schema.contains(u"not"_s);
    if (!props.isEmpty() && objectish && !composite) {
        const QStringList requiredNames = stringList(schema.value(u"required"_s));
        for (auto it = props.constBegin(); it != props.constEnd(); ++it) {
            Candidate c;
            c.name = it.key();
            c.in = u"body"_s;
            c.required = required && requiredNames.contains(it.key());
            c.schema = it.value().toObject();
            if (mediaType.startsWith(u"multipart/") || mediaType.startsWith(u"application/x-www"))
                if (isFileSchema(c.schema)) {
                    if (c.required) {
                        note(Severity::Skipped, pointer,
                             u"Skipped: it needs a file upload (the field \"%1\"), which a tool "
                             u"cannot send."_s.arg(c.name));
                        *skip = true;
                        return std::nullopt;
                    }
                    note(Severity::Degraded, pointer,
                         u"The file field \"%1\" was left out: a tool cannot upload files."_s.arg(
                             c.name));
                    continue;
                }
            c.description = c.schema.value(u"description"_s).toString();
            c.schema.remove(u"description"_s);
            body.fields.append(c);
        }
        if (schema.value(u"additionalProperties"_s).isObject()
            || schema.value(u"additionalProperties"_s).toBool())
            note(Severity::Info, pointer,
                 u"The request body also accepts fields that are not listed; only the listed ones "
                 u"are offered as arguments."_s);
        return body;
    }
    if (isFileSchema(schema)) {
        if (required) {
            note(Severity::Skipped, pointer,
                 u"Skipped: its request body is a file, which a tool cannot send."_s);
            *skip = true;
        } else {
            note(Severity::Degraded, pointer,
                 u"The request body (a file) was left out: a tool cannot upload files."_s);
        }
        return std::nullopt;
    }
    Candidate c;
    c.name = u"body"_s;
    c.in = u"body"_s;
    c.wholeBody = true;
    c.required = required;
    c.description = description.isEmpty() ? schema.value(u"description"_s).toString()
                                          : compactText(description, ParameterDescriptionBudget);
    if (c.description.isEmpty())
        c.description = u"The request body."_s;
    schema.remove(u"description"_s);
    c.schema = schema;
    body.fields.append(c);
    return body;
}

std::optional<OperationMapper::Body> OperationMapper::requestBody30(const QJsonObject &operation,
                                                                    const QString &pointer,
                                                                    bool *skip)
{
    if (!operation.contains(u"requestBody"_s))
        return std::nullopt;
    QString error;
    const auto rb = m_resolver.deref(
        {operation.value(u"requestBody"_s), 0, pointer + u"/requestBody"_s}, &error);
    if (!rb || !rb->value.isObject()) {
        note(Severity::Degraded, pointer + u"/requestBody"_s,
             u"The request body was left out: %1."_s.arg(error.isEmpty() ? u"it is not an object"_s
                                                                         : error));
        return std::nullopt;
    }
    const QJsonObject body = rb->value.toObject();
    const bool required = body.value(u"required"_s).toBool();
    const QJsonObject content = body.value(u"content"_s).toObject();
    if (content.isEmpty())
        return std::nullopt;
    QString chosen;
    MediaKind chosenKind = MediaKind::Other;
    for (const MediaKind wanted :
         {MediaKind::Json, MediaKind::Form, MediaKind::Multipart, MediaKind::Text}) {
        for (auto it = content.constBegin(); it != content.constEnd(); ++it) {
            if (classify(it.key()) == wanted) {
                chosen = it.key();
                chosenKind = wanted;
                break;
            }
        }
        if (!chosen.isEmpty())
            break;
    }
    const QString bodyPointer = rb->pointer;
    if (chosen.isEmpty()) {
        const QString kinds = content.keys().join(u", "_s);
        if (required) {
            note(Severity::Skipped, bodyPointer,
                 u"Skipped: its request body must be %1, which the bridge cannot send (it sends "
                 u"JSON, form fields and text)."_s.arg(kinds));
            *skip = true;
        } else {
            note(Severity::Degraded, bodyPointer,
                 u"The optional request body (%1) was left out: the bridge sends JSON, form "
                 u"fields and text."_s.arg(kinds));
        }
        return std::nullopt;
    }
    const QString schemaPointer
        = bodyPointer + u"/content/"_s + json::escapePointerToken(chosen) + u"/schema"_s;
    const QJsonObject media = content.value(chosen).toObject();
    QJsonObject schema;
    if (media.contains(u"schema"_s))
        schema = m_converter.convert({media.value(u"schema"_s), rb->doc, schemaPointer});
    else if (chosenKind == MediaKind::Text)
        schema = QJsonObject{{u"type"_s, u"string"_s}};
    for (const QString &problem : m_converter.takeProblems())
        note(Severity::Degraded, schemaPointer,
             u"The request body schema is incomplete: %1."_s.arg(problem));
    if (chosenKind == MediaKind::Text && schema.value(u"type"_s) != u"string"_s)
        schema = QJsonObject{{u"type"_s, u"string"_s}};
    return bodyFromSchema(schema, required, mediaTypeFor(chosenKind),
                          body.value(u"description"_s).toString(), bodyPointer, skip);
}

std::optional<OperationMapper::Body> OperationMapper::formData20(
    const QList<SpecResolver::Located> &params, bool *skip)
{
    QJsonObject properties;
    QJsonArray required;
    bool hasFile = false;
    for (const SpecResolver::Located &param : params) {
        const QJsonObject p = param.value.toObject();
        const QString name = p.value(u"name"_s).toString();
        if (name.isEmpty())
            continue;
        QJsonObject schema = swagger2ParameterSchema(p, param.pointer);
        if (p.value(u"description"_s).isString())
            schema.insert(u"description"_s, compactText(p.value(u"description"_s).toString(),
                                                        ParameterDescriptionBudget));
        hasFile = hasFile || p.value(u"type"_s) == u"file"_s;
        properties.insert(name, schema);
        if (p.value(u"required"_s).toBool())
            required.append(name);
    }
    QStringList consumes = stringList(m_current->operation.value(u"consumes"_s));
    if (consumes.isEmpty())
        consumes = m_globalConsumes;
    const bool multipart
        = hasFile || consumes.contains(u"multipart/form-data"_s, Qt::CaseInsensitive);
    QJsonObject schema{{u"type"_s, u"object"_s}, {u"properties"_s, properties}};
    if (!required.isEmpty())
        schema.insert(u"required"_s, required);
    return bodyFromSchema(
        schema, true, multipart ? u"multipart/form-data"_s : u"application/x-www-form-urlencoded"_s,
        {}, m_current->pointer, skip);
}

QString OperationMapper::responseMimeType(const QJsonObject &operation) const
{
    if (m_swagger2) {
        QStringList produces = stringList(operation.value(u"produces"_s));
        if (produces.isEmpty())
            produces = m_globalProduces;
        for (const QString &p : produces)
            if (classify(p) == MediaKind::Json)
                return u"application/json"_s;
        return produces.value(0);
    }
    const QJsonObject responses = operation.value(u"responses"_s).toObject();
    for (auto it = responses.constBegin(); it != responses.constEnd(); ++it) {
        if (!it.key().startsWith(u'2'))
            continue;
        const auto response = m_resolver.deref({it.value(), 0, {}});
        if (!response)
            continue;
        const QJsonObject content = response->value.toObject().value(u"content"_s).toObject();
        for (auto c = content.constBegin(); c != content.constEnd(); ++c)
            if (classify(c.key()) == MediaKind::Json)
                return u"application/json"_s;
        if (!content.isEmpty())
            return content.constBegin().key();
    }
    return {};
}

} // namespace mcpbridge::openapi
