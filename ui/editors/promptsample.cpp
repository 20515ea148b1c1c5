#include "promptsample.h"

#include "itemchecks.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

namespace {

struct Served
{
    QString path;
    QString mimeType;
};

std::optional<Served> servedBy(const bridge::BridgeDocument &document, const QString &uri)
{
    if (const bridge::Resource *r = document.findResource(uri))
        return Served{r->path, r->mimeType};
    for (const bridge::ResourceTemplate &t : document.resourceTemplates) {
        const auto variables = t.match(uri);
        if (!variables)
            continue;
        QString path = t.path;
        for (auto it = variables->begin(); it != variables->end(); ++it)
            path.replace(u'{' + it.key() + u'}', it.value());
        return Served{path, t.mimeType};
    }
    return std::nullopt;
}

QJsonObject textContent(const QString &text)
{
    return {{u"type"_s, u"text"_s}, {u"text"_s, text}};
}

} // namespace

QJsonObject sampleArguments(const bridge::Prompt &prompt)
{
    QJsonObject arguments;
    for (const bridge::PromptArgument &a : prompt.arguments) {
        if (!a.name.isEmpty())
            arguments.insert(a.name, sampleValue(a));
    }
    return arguments;
}

QJsonObject samplePromptResult(const bridge::Prompt &prompt, const QJsonObject &arguments,
                               const bridge::BridgeDocument &document)
{
    QJsonArray messages;
    for (const bridge::PromptMessage &source : prompt.messages) {
        QJsonObject content;
        if (source.type != u"resource" && source.type != u"image") {
            content = textContent(prompt.fill(source.text, arguments));
        } else {
            const QString uri = prompt.fill(source.uri, arguments);
            const std::optional<Served> served = servedBy(document, uri);
            const QString note
                = served
                      ? u"(The answer of GET %1, read from the API when the prompt is used.)"_s.arg(
                          served->path)
                      : u"(The resource %1 is not served by this bridge, so the model gets a "
                        "note saying it is missing.)"_s.arg(uri);
            if (source.type == u"image") {
                content = served ? QJsonObject{{u"type"_s, u"image"_s},
                                               {u"data"_s, note},
                                               {u"mimeType"_s, served->mimeType.isEmpty()
                                                                   ? u"image/png"_s
                                                                   : served->mimeType}}
                                 : textContent(note);
            } else {
                QJsonObject resource{{u"uri"_s, uri}};
                resource.insert(u"mimeType"_s, served && !served->mimeType.isEmpty()
                                                   ? served->mimeType
                                                   : u"text/plain"_s);
                resource.insert(u"text"_s, note);
                content = {{u"type"_s, u"resource"_s}, {u"resource"_s, resource}};
            }
        }
        messages.append(QJsonObject{{u"role"_s, source.role}, {u"content"_s, content}});
    }
    QJsonObject result{{u"messages"_s, messages}};
    if (!prompt.description.isEmpty())
        result.insert(u"description"_s, prompt.description);
    return result;
}

} // namespace mcpbridge::editors
