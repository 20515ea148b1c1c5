// completion/complete: suggestions for prompt arguments and resource template variables, taken
// from the values the bridge document lists for them.

#include "core/mcp/serverprivate.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mcpbridge::mcp {

namespace {
constexpr qsizetype MaxCompletions = 100; // the spec's cap per answer
} // namespace

void McpServer::Private::handleComplete(const InFlightPtr &request, const QJsonObject &params)
{
    const QJsonObject ref = params.value("ref"_L1).toObject();
    const QJsonObject argument = params.value("argument"_L1).toObject();
    const QString refType = ref.value("type"_L1).toString();
    if (!argument.value("name"_L1).isString()) {
        respondError(request, jsonrpc::InvalidParams,
                     u"completion/complete: params.argument.name is missing or not a string; it "
                     "must name the argument being completed."_s);
        return;
    }
    const QString argumentName = argument.value("name"_L1).toString();
    const QString typed = argument.value("value"_L1).toString();

    QStringList candidates;
    if (refType == "ref/prompt"_L1) {
        const QString name = ref.value("name"_L1).toString();
        const bridge::Prompt *prompt = request->document->findPrompt(name);
        if (!prompt) {
            respondError(request, jsonrpc::InvalidParams, u"Unknown prompt: %1"_s.arg(name),
                         QJsonObject{{u"ref"_s, ref}});
            return;
        }
        for (const bridge::PromptArgument &declared : prompt->arguments)
            if (declared.name == argumentName)
                candidates = declared.values;
    } else if (refType == "ref/resource"_L1) {
        const QString uri = ref.value("uri"_L1).toString();
        const bridge::ResourceTemplate *found = nullptr;
        for (const bridge::ResourceTemplate &candidate : request->document->resourceTemplates)
            if (candidate.uriTemplate == uri)
                found = &candidate;
        if (!found) {
            respondError(request, jsonrpc::InvalidParams,
                         u"Unknown resource template: %1"_s.arg(uri), QJsonObject{{u"ref"_s, ref}});
            return;
        }
        candidates = found->completions.value(argumentName);
    } else {
        respondError(request, jsonrpc::InvalidParams,
                     u"completion/complete: params.ref.type must be \"ref/prompt\" or "
                     "\"ref/resource\"."_s);
        return;
    }

    QStringList matches;
    for (const QString &candidate : std::as_const(candidates))
        if (candidate.startsWith(typed, Qt::CaseInsensitive))
            matches.append(candidate);
    respond(request,
            {{u"completion"_s,
              QJsonObject{{u"values"_s, QJsonArray::fromStringList(matches.mid(0, MaxCompletions))},
                          {u"total"_s, matches.size()},
                          {u"hasMore"_s, matches.size() > MaxCompletions}}}});
}

} // namespace mcpbridge::mcp
