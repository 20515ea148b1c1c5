// Asking the user through the client (elicitation/create): for required arguments the model
// left out, and for confirmation before a destructive call.

#include "core/mcp/serverprivate.h"
#include "core/upstream/requestbuilder.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mcpbridge::mcp {

namespace {

// Follows a local "$ref" ("#/$defs/x", "#/definitions/x"); the referring object's own
// annotations (title, description, default) win over the target's.
QJsonObject resolved(const QJsonObject &property, const QJsonObject &root)
{
    const QString ref = property.value("$ref"_L1).toString();
    if (!ref.startsWith("#/"_L1))
        return property;
    QJsonValue target = root;
    for (const QString &token : ref.mid(2).split(u'/')) {
        QString name = token;
        name.replace("~1"_L1, "/"_L1).replace("~0"_L1, "~"_L1);
        target = target.toObject().value(name);
    }
    if (!target.isObject())
        return property;
    QJsonObject result = target.toObject();
    for (auto it = property.begin(); it != property.end(); ++it)
        if (it.key() != "$ref"_L1)
            result.insert(it.key(), it.value());
    return result;
}

QString primitiveType(const QJsonObject &schema)
{
    const QJsonValue type = schema.value("type"_L1);
    if (type.isString())
        return type.toString();
    if (type.isArray()) {
        for (const QJsonValue &entry : type.toArray())
            if (entry.isString() && entry.toString() != "null"_L1)
                return entry.toString();
    }
    if (schema.contains("enum"_L1) || schema.contains("oneOf"_L1))
        return u"string"_s;
    return {};
}

bool allStrings(const QJsonArray &array)
{
    return std::all_of(array.begin(), array.end(),
                       [](const QJsonValue &v) { return v.isString(); });
}

// [{const, title}] entries of a titled choice list; nullopt when one is not of that shape.
std::optional<QJsonArray> titledChoices(const QJsonArray &entries)
{
    QJsonArray choices;
    for (const QJsonValue &entry : entries) {
        const QJsonObject choice = entry.toObject();
        if (!choice.value("const"_L1).isString())
            return std::nullopt;
        QJsonObject kept{{u"const"_s, choice.value("const"_L1)}};
        kept.insert(u"title"_s, choice.value("title"_L1).isString() ? choice.value("title"_L1)
                                                                    : choice.value("const"_L1));
        choices.append(kept);
    }
    return choices;
}

void copy(const QJsonObject &from, QJsonObject &to, std::initializer_list<QLatin1StringView> keys)
{
    for (const auto key : keys)
        if (from.contains(key))
            to.insert(key, from.value(key));
}

} // namespace

std::optional<QJsonObject> elicitationSchemaFor(const QJsonObject &declared,
                                                const QJsonObject &root)
{
    const QJsonObject property = resolved(declared, root);
    const QString type = primitiveType(property);
    QJsonObject result{{u"type"_s, type}};
    copy(property, result, {"title"_L1, "description"_L1});

    if (type == "string"_L1) {
        if (property.value("default"_L1).isString())
            result.insert(u"default"_s, property.value("default"_L1));
        if (property.contains("enum"_L1)) {
            const QJsonArray values = property.value("enum"_L1).toArray();
            if (!allStrings(values))
                return std::nullopt;
            result.insert(u"enum"_s, values);
            const QJsonArray names = property.value("enumNames"_L1).toArray();
            if (!names.isEmpty() && names.size() == values.size() && allStrings(names))
                result.insert(u"enumNames"_s, names);
        } else if (property.contains("oneOf"_L1)) {
            const auto choices = titledChoices(property.value("oneOf"_L1).toArray());
            if (!choices)
                return std::nullopt;
            result.insert(u"oneOf"_s, *choices);
        }
        static const QStringList formats{u"email"_s, u"uri"_s, u"date"_s, u"date-time"_s};
        if (formats.contains(property.value("format"_L1).toString()))
            result.insert(u"format"_s, property.value("format"_L1));
        copy(property, result, {"minLength"_L1, "maxLength"_L1});
        return result;
    }
    if (type == "number"_L1 || type == "integer"_L1) {
        if (property.value("default"_L1).isDouble())
            result.insert(u"default"_s, property.value("default"_L1));
        copy(property, result, {"minimum"_L1, "maximum"_L1});
        return result;
    }
    if (type == "boolean"_L1) {
        if (property.value("default"_L1).isBool())
            result.insert(u"default"_s, property.value("default"_L1));
        return result;
    }
    if (type == "array"_L1) {
        // Only multi-select lists: arrays of enum strings or of titled choices.
        const QJsonObject items = resolved(property.value("items"_L1).toObject(), root);
        QJsonObject keptItems;
        if (items.value("enum"_L1).isArray() && allStrings(items.value("enum"_L1).toArray())) {
            keptItems.insert(u"type"_s, u"string"_s);
            keptItems.insert(u"enum"_s, items.value("enum"_L1));
        } else if (items.value("anyOf"_L1).isArray()) {
            const auto choices = titledChoices(items.value("anyOf"_L1).toArray());
            if (!choices)
                return std::nullopt;
            keptItems.insert(u"anyOf"_s, *choices);
        } else {
            return std::nullopt;
        }
        result.insert(u"items"_s, keptItems);
        if (property.value("default"_L1).isArray())
            result.insert(u"default"_s, property.value("default"_L1));
        copy(property, result, {"minItems"_L1, "maxItems"_L1});
        return result;
    }
    return std::nullopt;
}

void McpServer::Private::elicitMissing(const InFlightPtr &request, const bridge::Tool &tool,
                                       const QJsonObject &arguments, const QStringList &missing,
                                       const QJsonObject &requestedSchema)
{
    const QJsonObject properties = requestedSchema.value("properties"_L1).toObject();
    QStringList wanted;
    for (const QString &name : missing) {
        const QJsonObject property = properties.value(name).toObject();
        QString label = property.value("title"_L1).toString(name);
        const QString description = property.value("description"_L1).toString();
        if (!description.isEmpty() && description != label)
            label += u" (" + description + u')';
        wanted.append(label);
    }
    QJsonObject params{
        {u"message"_s, u"To run \"%1\", the assistant still needs: %2."_s.arg(
                           toolDisplayName(tool), wanted.join(u"; "_s))},
        {u"requestedSchema"_s, requestedSchema},
    };
    // `mode` arrived with 2025-11-25; older clients validate against a schema without it.
    if (request->session->protocolVersion() == "2025-11-25"_L1)
        params.insert(u"mode"_s, u"form"_s);

    std::weak_ptr<InFlight> weak = request;
    const bridge::Tool *toolPtr = &tool; // lives in request->document, kept alive by the request
    requestFromClient(request, u"elicitation/create"_s, params,
                      [this, weak, toolPtr, arguments, missing](const jsonrpc::Message &response) {
                          if (const InFlightPtr r = weak.lock())
                              elicitationAnswered(r, *toolPtr, arguments, missing, response);
                      });
}

void McpServer::Private::elicitationAnswered(const InFlightPtr &request, const bridge::Tool &tool,
                                             const QJsonObject &arguments,
                                             const QStringList &missing,
                                             const jsonrpc::Message &response)
{
    const QString what = joinedNames(missing);
    if (response.kind == jsonrpc::Message::Kind::Error) {
        respond(request, errorResult(u"The client could not ask the user for %1 (%2), so \"%3\" "
                                     "was not called. Call it again with these arguments."_s.arg(
                                         what, response.error.message, tool.name)));
        return;
    }
    const QJsonObject result = response.result.toObject();
    const QString action = result.value("action"_L1).toString();
    if (action == "accept"_L1) {
        QJsonObject merged = arguments;
        const QJsonObject content = result.value("content"_L1).toObject();
        for (const QString &name : missing)
            if (content.contains(name))
                merged.insert(name, content.value(name));
        // No second question: whatever is still wrong goes back to the model.
        validateAndCall(request, tool, merged, false);
        return;
    }
    if (action == "decline"_L1 || action == "cancel"_L1) {
        respond(request,
                errorResult(u"The user declined to provide %1%2, so \"%3\" was not called."_s.arg(
                    what, action == "cancel"_L1 ? u" (the question was dismissed)"_s : QString(),
                    tool.name)));
        return;
    }
    respond(request,
            errorResult(u"The client answered the question for %1 with an unknown "
                        "action \"%2\", so \"%3\" was not called."_s.arg(what, action, tool.name)));
}

void McpServer::Private::askConfirmation(const InFlightPtr &request, const bridge::Tool &tool,
                                         const QJsonObject &arguments)
{
    // Exactly what will be called (method, URL with the arguments in place, body), never a
    // credential: the user confirms the real request, not a summary of the tool.
    const Result<QString> what
        = upstream::RequestBuilder::describeCall(*request->document, tool, arguments);
    if (!what) {
        respond(request, errorResult(what.error().message));
        return;
    }
    QJsonObject params{
        {u"message"_s, u"\"%1\" wants to change or delete data:\n%2\nRun it?"_s.arg(
                           toolDisplayName(tool), *what)},
        {u"requestedSchema"_s,
         QJsonObject{
             {u"type"_s, u"object"_s},
             {u"properties"_s,
              QJsonObject{{u"confirm"_s,
                           QJsonObject{{u"type"_s, u"boolean"_s},
                                       {u"title"_s, u"Run this call"_s},
                                       {u"description"_s, u"Check to let the call above run."_s},
                                       {u"default"_s, false}}}}},
             {u"required"_s, QJsonArray{u"confirm"_s}}}},
    };
    if (request->session->protocolVersion() == "2025-11-25"_L1)
        params.insert(u"mode"_s, u"form"_s);
    std::weak_ptr<InFlight> weak = request;
    const bridge::Tool *toolPtr = &tool;
    const QString described = *what;
    requestFromClient(
        request, u"elicitation/create"_s, params,
        [this, weak, toolPtr, arguments, described](const jsonrpc::Message &response) {
            const InFlightPtr r = weak.lock();
            if (!r)
                return;
            const QJsonObject result = response.result.toObject();
            const bool accepted
                = response.kind == jsonrpc::Message::Kind::Response
                  && result.value("action"_L1).toString() == "accept"_L1
                  && result.value("content"_L1).toObject().value("confirm"_L1) == QJsonValue(true);
            if (accepted) {
                invokeTool(r, *toolPtr, arguments);
                return;
            }
            respond(r, errorResult(u"The user did not confirm the call, so \"%1\" was not run "
                                   "(%2). Do not retry it unless the user asks for it."_s.arg(
                                       toolPtr->name, described)));
        });
}

} // namespace mcpbridge::mcp
