// prompts/list and prompts/get: argument checks, {placeholder} filling, and the resources and
// images a prompt embeds (read through the same path as resources/read).

#include "core/mcp/serverprivate.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mcpbridge::mcp {

namespace {

QJsonObject textContent(const QString &text)
{
    return {{u"type"_s, u"text"_s}, {u"text"_s, text}};
}

// What a prompt gets when one of its messages names a resource this bridge does not serve: a
// note in place of the content, so the prompt stays usable and the model knows what is missing.
QString notServedNote(const QString &uri)
{
    return u"The resource %1 is not served by this bridge, so its content could not be "
           "included here."_s.arg(uri);
}

// The state of one prompts/get while its resources are read.
struct Assembly
{
    QList<QJsonObject> messages;
    int pending = 1; // the loop that starts the reads holds one
    bool failed = false;
};

} // namespace

void McpServer::Private::handlePromptsList(const InFlightPtr &request, const QJsonObject &params)
{
    if (auto result = listPage(request, params, request->document->prompts, u"prompts"_s))
        respond(request, *result);
}

void McpServer::Private::handlePromptsGet(const InFlightPtr &request, const QJsonObject &params)
{
    const QJsonValue name = params.value("name"_L1);
    if (!name.isString()) {
        respondError(request, jsonrpc::InvalidParams,
                     u"prompts/get: params.name is missing or not a string; it must name the "
                     "prompt."_s);
        return;
    }
    const bridge::Prompt *prompt = request->document->findPrompt(name.toString());
    if (!prompt) {
        respondError(request, jsonrpc::InvalidParams, u"Unknown prompt: %1"_s.arg(name.toString()),
                     QJsonObject{{u"name"_s, name}});
        return;
    }
    const QJsonValue argumentsValue = params.value("arguments"_L1);
    if (!argumentsValue.isUndefined() && !argumentsValue.isNull() && !argumentsValue.isObject()) {
        respondError(request, jsonrpc::InvalidParams,
                     u"prompts/get: params.arguments must be an object of argument names and "
                     "string values."_s);
        return;
    }
    const QJsonObject arguments = argumentsValue.toObject();
    for (auto it = arguments.begin(); it != arguments.end(); ++it) {
        if (!it.value().isString()) {
            respondError(request, jsonrpc::InvalidParams,
                         u"prompts/get: argument \"%1\" of prompt \"%2\" must be a string."_s.arg(
                             it.key(), prompt->name));
            return;
        }
    }
    for (const bridge::PromptArgument &argument : prompt->arguments) {
        if (argument.required && !arguments.contains(argument.name)) {
            respondError(request, jsonrpc::InvalidParams,
                         u"Missing required argument \"%1\" for prompt \"%2\"."_s.arg(argument.name,
                                                                                      prompt->name),
                         QJsonObject{{u"argument"_s, argument.name}});
            return;
        }
    }

    auto assembly = std::make_shared<Assembly>();
    std::weak_ptr<InFlight> weak = request;
    auto finishOne = [this, weak, assembly, prompt] {
        if (--assembly->pending > 0 || assembly->failed)
            return;
        const InFlightPtr r = weak.lock();
        if (!r)
            return;
        QJsonArray messages;
        for (const QJsonObject &message : std::as_const(assembly->messages))
            messages.append(message);
        QJsonObject result{{u"messages"_s, messages}};
        if (!prompt->description.isEmpty())
            result.insert(u"description"_s, prompt->description);
        respond(r, result);
    };
    auto failWith = [this, weak, assembly, prompt](const QString &uri, const Error &error) {
        assembly->failed = true;
        if (const InFlightPtr r = weak.lock())
            respondError(
                r, jsonrpc::InternalError,
                u"Prompt \"%1\" could not read %2: %3"_s.arg(prompt->name, uri, error.message),
                QJsonObject{{u"uri"_s, uri}});
    };

    for (const bridge::PromptMessage &source : prompt->messages) {
        const qsizetype slot = assembly->messages.size();
        assembly->messages.append({{u"role"_s, source.role}});
        if (source.type != "resource"_L1 && source.type != "image"_L1) {
            assembly->messages[slot].insert(u"content"_s,
                                            textContent(prompt->fill(source.text, arguments)));
            continue;
        }
        const QString uri = prompt->fill(source.uri, arguments);
        const bool image = source.type == "image"_L1;
        ++assembly->pending;
        readUri(
            request, uri,
            [assembly, slot, uri, image, finishOne, failWith](Result<QJsonArray> contents) {
                if (assembly->failed)
                    return;
                QJsonObject content;
                if (!contents) {
                    if (contents.error().code != jsonrpc::ResourceNotFound) {
                        failWith(uri, contents.error());
                        return;
                    }
                    content = image ? textContent(notServedNote(uri))
                                    : QJsonObject{{u"type"_s, u"resource"_s},
                                                  {u"resource"_s,
                                                   QJsonObject{{u"uri"_s, uri},
                                                               {u"mimeType"_s, u"text/plain"_s},
                                                               {u"text"_s, notServedNote(uri)}}}};
                } else {
                    QJsonObject first = contents->isEmpty()
                                            ? QJsonObject{{u"uri"_s, uri}, {u"text"_s, QString()}}
                                            : contents->first().toObject();
                    if (!first.contains("uri"_L1))
                        first.insert(u"uri"_s, uri);
                    if (!image) {
                        content = {{u"type"_s, u"resource"_s}, {u"resource"_s, first}};
                    } else if (first.contains("blob"_L1)) {
                        content = {
                            {u"type"_s, u"image"_s},
                            {u"data"_s, first.value("blob"_L1)},
                            {u"mimeType"_s,
                             first.value("mimeType"_L1).toString(u"application/octet-stream"_s)}};
                    } else {
                        content = textContent(
                            u"The resource %1 is not an image (it is %2), so it could not be "
                            "shown here."_s.arg(uri,
                                                first.value("mimeType"_L1).toString(u"text"_s)));
                    }
                }
                assembly->messages[slot].insert(u"content"_s, content);
                finishOne();
            });
        if (request->finished)
            return;
    }
    finishOne();
}

} // namespace mcpbridge::mcp
