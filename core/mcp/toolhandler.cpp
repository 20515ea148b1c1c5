// tools/list and tools/call: argument validation, elicitation of what is missing, and the
// upstream call.

#include "core/mcp/serverprivate.h"
#include "core/schema/schemavalidator.h"
#include "core/upstream/restinvoker.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mcpbridge::mcp {

QString toolDisplayName(const bridge::Tool &tool)
{
    if (!tool.title.isEmpty())
        return tool.title;
    if (!tool.annotations.title.isEmpty())
        return tool.annotations.title;
    return tool.name;
}

QString joinedNames(const QStringList &names)
{
    if (names.size() <= 1)
        return names.value(0);
    return names.mid(0, names.size() - 1).join(u", "_s) + u" and "_s + names.constLast();
}

QJsonObject errorResult(const QString &text)
{
    return {{u"content"_s, QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, text}}}},
            {u"isError"_s, true}};
}

namespace {

// Required properties of the input schema the arguments do not have, in schema order.
QStringList missingRequired(const QJsonObject &inputSchema, const QJsonObject &arguments)
{
    QStringList missing;
    const QJsonArray required = inputSchema.value("required"_L1).toArray();
    for (const QJsonValue &name : required)
        if (name.isString() && !arguments.contains(name.toString()))
            missing.append(name.toString());
    return missing;
}

// Whether a validator problem only says that one of `missing` is absent.
bool isMissingProblem(const schema::Problem &problem, const QStringList &missing)
{
    if (!problem.pointer.isEmpty() || !problem.message.contains("required"_L1, Qt::CaseInsensitive))
        return false;
    for (const QString &name : missing)
        if (problem.message.contains(name))
            return true;
    return false;
}

QString problemsText(const bridge::Tool &tool, const QList<schema::Problem> &problems)
{
    auto line = [](const schema::Problem &problem) -> QString {
        const QString where = problem.pointer.isEmpty() ? u"arguments"_s : problem.pointer;
        QString message = problem.message.trimmed();
        if (!message.endsWith(u'.'))
            message += u'.';
        return where + u": "_s + message;
    };
    QString text = u"Invalid arguments for tool \"%1\":"_s.arg(tool.name);
    if (problems.size() == 1) {
        text += u' ' + line(problems.constFirst());
    } else {
        for (const schema::Problem &problem : problems)
            text += u"\n- "_s + line(problem);
    }
    return text + u"\nFix the arguments to match the tool's input schema and call it again."_s;
}

} // namespace

void McpServer::Private::handleToolsList(const InFlightPtr &request, const QJsonObject &params)
{
    if (auto result = listPage(request, params, request->document->tools, u"tools"_s))
        respond(request, *result);
}

CompiledToolSchema McpServer::Private::compiledSchema(const bridge::BridgeDocument &doc,
                                                      const bridge::Tool &tool)
{
    auto compile = [&tool] {
        CompiledToolSchema entry;
        auto compiled = schema::CompiledSchema::compile(tool.effectiveInputSchema());
        if (compiled)
            entry.schema = std::make_shared<schema::CompiledSchema>(std::move(*compiled));
        else
            entry.error = compiled.error();
        return entry;
    };
    // Only the current document's schemas are cached; a request still running on a replaced
    // document compiles its own.
    if (&doc != document.get())
        return compile();
    if (schemaCacheDocument != &doc) {
        schemaCache.clear();
        schemaCacheDocument = &doc;
    }
    auto it = schemaCache.find(tool.name);
    if (it == schemaCache.end())
        it = schemaCache.insert(tool.name, compile());
    return *it;
}

void McpServer::Private::handleToolsCall(const InFlightPtr &request, const QJsonObject &params)
{
    const QJsonValue name = params.value("name"_L1);
    if (!name.isString()) {
        respondError(request, jsonrpc::InvalidParams,
                     u"tools/call: params.name is missing or not a string; it must name the tool "
                     "to call."_s);
        return;
    }
    const bridge::Tool *tool = request->document->findTool(name.toString());
    if (!tool) {
        respondError(request, jsonrpc::InvalidParams, u"Unknown tool: %1"_s.arg(name.toString()),
                     QJsonObject{{u"name"_s, name}});
        return;
    }
    const QJsonValue arguments = params.value("arguments"_L1);
    if (!arguments.isUndefined() && !arguments.isNull() && !arguments.isObject()) {
        respondError(request, jsonrpc::InvalidParams,
                     u"tools/call: params.arguments must be an object of argument names and "
                     "values."_s);
        return;
    }
    const QJsonValue token = params.value("_meta"_L1).toObject().value("progressToken"_L1);
    if (token.isString() || token.isDouble())
        request->progressToken = token;
    validateAndCall(request, *tool, arguments.toObject(), true);
}

void McpServer::Private::validateAndCall(const InFlightPtr &request, const bridge::Tool &tool,
                                         const QJsonObject &arguments, bool mayElicit)
{
    const CompiledToolSchema compiled = compiledSchema(*request->document, tool);
    if (!compiled.schema) {
        respond(request, errorResult(u"The tool \"%1\" cannot be called: its input schema in the "
                                     "bridge document is not usable (%2). Fix the document."_s.arg(
                                         tool.name, compiled.error)));
        return;
    }
    const QList<schema::Problem> problems = compiled.schema->validate(arguments);
    if (problems.isEmpty()) {
        confirmAndCall(request, tool, arguments);
        return;
    }
    const QJsonObject inputSchema = tool.effectiveInputSchema();
    const QStringList missing = missingRequired(inputSchema, arguments);
    const bool onlyMissing
        = !missing.isEmpty()
          && std::all_of(problems.begin(), problems.end(), [&](const schema::Problem &problem) {
                 return isMissingProblem(problem, missing);
             });
    if (mayElicit && onlyMissing && request->session
        && request->session->clientSupportsElicitation()) {
        QJsonObject properties;
        const QJsonObject declared = inputSchema.value("properties"_L1).toObject();
        bool askable = true;
        for (const QString &name : missing) {
            const auto reduced = elicitationSchemaFor(declared.value(name).toObject(), inputSchema);
            if (!reduced) {
                askable = false;
                break;
            }
            properties.insert(name, *reduced);
        }
        if (askable) {
            const QJsonObject requestedSchema{{u"type"_s, u"object"_s},
                                              {u"properties"_s, properties},
                                              {u"required"_s, QJsonArray::fromStringList(missing)}};
            elicitMissing(request, tool, arguments, missing, requestedSchema);
            return;
        }
    }
    respond(request, errorResult(problemsText(tool, problems)));
}

void McpServer::Private::confirmAndCall(const InFlightPtr &request, const bridge::Tool &tool,
                                        const QJsonObject &arguments)
{
    // The issue asks for confirmation "when the client supports elicitation". A client that
    // cannot ask runs the call: such hosts (Claude Desktop, ...) ask the user before every tool
    // call themselves, and refusing would make the tool unusable there.
    if (tool.confirmDestructive && request->session
        && request->session->clientSupportsElicitation()) {
        askConfirmation(request, tool, arguments);
        return;
    }
    invokeTool(request, tool, arguments);
}

void McpServer::Private::invokeTool(const InFlightPtr &request, const bridge::Tool &tool,
                                    const QJsonObject &arguments)
{
    if (request->finished)
        return;
    std::weak_ptr<InFlight> weak = request;
    upstream::PendingCall *call
        = invoker->callTool(*request->document, tool, arguments, callContext(request),
                            [this, weak](const upstream::ToolResult &result) {
                                if (const InFlightPtr r = weak.lock())
                                    respondToolResult(r, result);
                            });
    if (call && !request->finished)
        request->calls.emplace_back(call);
}

} // namespace mcpbridge::mcp
