#pragma once

// McpServer's shared state and the handlers of each MCP area (tools, resources, prompts,
// completion, elicitation). Internal to core/mcp: each area lives in its own .cpp file.

#include "core/mcp/mcpserver.h"
#include "core/mcp/pagination.h"
#include "core/traffic/trafficevent.h"
#include "core/upstream/restinvoker.h"
#include "core/util/result.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace mcpbridge::schema {
class CompiledSchema;
}

namespace mcpbridge::mcp {

Q_DECLARE_LOGGING_CATEGORY(lcMcp)

// The schema an elicitation form may use for one tool parameter (string, number, integer,
// boolean, or an array of enum choices), reduced from its JSON Schema `property`; `root` is the
// tool's whole input schema, for local $refs. nullopt: a form cannot ask for this value.
std::optional<QJsonObject> elicitationSchemaFor(const QJsonObject &property,
                                                const QJsonObject &root);
// The name a person reads for a tool: title, annotations.title, then name.
QString toolDisplayName(const bridge::Tool &tool);
// "a", "a and b", "a, b and c".
QString joinedNames(const QStringList &names);
// An isError CallToolResult with one text block.
QJsonObject errorResult(const QString &text);

// One line for people about a message: "tools/call get_recipe", "resources/read test://x".
QString summarize(const jsonrpc::Message &message);

// One client request being answered. Shared by the callbacks that finish it; once `finished`
// (answered, cancelled, or its session closed) every later callback does nothing.
struct InFlight
{
    QPointer<Session> session;
    QString sessionId;
    jsonrpc::Id id;
    QString key; // sessionId + id, the key in Private::inFlight
    QString method;
    QString summary; // "tools/call get_recipe", reused for the response's summary
    QElapsedTimer timer;
    // The document the request started with: kept alive until it is answered, even when the
    // studio swaps the document in between.
    std::shared_ptr<const bridge::BridgeDocument> document;
    std::vector<QPointer<upstream::PendingCall>> calls;
    std::optional<QString> elicitationKey; // a question to the client still unanswered
    QJsonValue progressToken = QJsonValue::Undefined;
    double lastProgress = 0;
    bool finished = false;
};
using InFlightPtr = std::shared_ptr<InFlight>;

// A request the server sent to a client (elicitation/create), waiting for its response.
struct OutgoingRequest
{
    InFlightPtr owner; // the client request it belongs to
    QString method;
    QElapsedTimer timer;
    std::function<void(const jsonrpc::Message &response)> onResponse;
};

// A compiled input schema, or why the tool's schema could not be compiled.
struct CompiledToolSchema
{
    std::shared_ptr<schema::CompiledSchema> schema;
    QString error;
};

struct McpServer::Private
{
    McpServer *q = nullptr;
    std::shared_ptr<const bridge::BridgeDocument> document;
    secrets::SecretStore *secrets = nullptr;
    traffic::TrafficLog *log = nullptr;
    upstream::RestInvoker *invoker = nullptr;
    QHash<QString, QPointer<Session>> sessions;
    QHash<QString, InFlightPtr> inFlight;     // key: requestKey(session, id)
    QHash<QString, OutgoingRequest> outgoing; // key: requestKey(session, server id)
    quint64 nextServerRequestId = 1;
    int pageSize = 100;
    const bridge::BridgeDocument *schemaCacheDocument = nullptr;
    QHash<QString, CompiledToolSchema> schemaCache; // tool name -> compiled schema

    static QString requestKey(const QString &sessionId, const jsonrpc::Id &id);

    // --- dispatch and lifecycle (mcpserver.cpp)
    // `summary`: summarize(message), made once for the traffic record and the request.
    void handleRequest(Session *session, const jsonrpc::Message &message, const QString &summary);
    void handleNotification(Session *session, const jsonrpc::Message &message);
    void handleClientResponse(Session *session, const jsonrpc::Message &message);
    void handleInitialize(const InFlightPtr &request, const QJsonObject &params);
    void handleSetLevel(const InFlightPtr &request, const QJsonObject &params);
    void cancelRequest(const InFlightPtr &request, const QString &why);

    // --- sending and recording (messaging.cpp)
    void record(Session *session, traffic::Direction direction, const jsonrpc::Message &message,
                const QString &method, const QString &summary, qint64 durationMs, bool isError);
    // `summary`: summarize(message) for a request or notification (unused for responses).
    void recordInbound(Session *session, const jsonrpc::Message &message, const QString &summary);
    void respond(const InFlightPtr &request, const QJsonObject &result);
    // A tool's result: sent as the text it was made as when the session only writes bytes.
    void respondToolResult(const InFlightPtr &request, const upstream::ToolResult &result);
    // Records and sends the response of a request already taken out of the books.
    void sendResult(const InFlightPtr &request, const jsonrpc::Message &message, bool isError);
    void respondError(const InFlightPtr &request, int code, const QString &message,
                      const QJsonValue &data = QJsonValue::Undefined);
    // A notification that belongs to the request (progress, log messages).
    void notifyRelated(const InFlightPtr &request, const QString &method,
                       const QJsonObject &params);
    // A notification that belongs to no request (list_changed).
    void notifySession(Session *session, const QString &method, const QJsonObject &params);
    // Sends a request to the client on behalf of `owner`; returns its key in `outgoing`.
    QString requestFromClient(const InFlightPtr &owner, const QString &method,
                              const QJsonObject &params,
                              std::function<void(const jsonrpc::Message &)> onResponse);
    // log / progress callbacks for the upstream, bound to the request.
    upstream::CallContext callContext(const InFlightPtr &request);
    void sendLog(const InFlightPtr &request, const QString &level, const QString &text);

    // --- tools (toolhandler.cpp)
    void handleToolsList(const InFlightPtr &request, const QJsonObject &params);
    void handleToolsCall(const InFlightPtr &request, const QJsonObject &params);
    CompiledToolSchema compiledSchema(const bridge::BridgeDocument &document,
                                      const bridge::Tool &tool);
    void validateAndCall(const InFlightPtr &request, const bridge::Tool &tool,
                         const QJsonObject &arguments, bool mayElicit);
    void confirmAndCall(const InFlightPtr &request, const bridge::Tool &tool,
                        const QJsonObject &arguments);
    void invokeTool(const InFlightPtr &request, const bridge::Tool &tool,
                    const QJsonObject &arguments);

    // --- elicitation (elicitation.cpp)
    void elicitMissing(const InFlightPtr &request, const bridge::Tool &tool,
                       const QJsonObject &arguments, const QStringList &missing,
                       const QJsonObject &requestedSchema);
    void elicitationAnswered(const InFlightPtr &request, const bridge::Tool &tool,
                             const QJsonObject &arguments, const QStringList &missing,
                             const jsonrpc::Message &response);
    void askConfirmation(const InFlightPtr &request, const bridge::Tool &tool,
                         const QJsonObject &arguments);

    // --- resources (resourcehandler.cpp)
    void handleResourcesList(const InFlightPtr &request, const QJsonObject &params);
    void handleTemplatesList(const InFlightPtr &request, const QJsonObject &params);
    void handleResourcesRead(const InFlightPtr &request, const QJsonObject &params);
    void handleSubscribe(const InFlightPtr &request, const QJsonObject &params, bool subscribe);
    // Reads `uri` the way resources/read does. `served` false: no resource or template of the
    // document matches it (the callback then gets an Error with code ResourceNotFound).
    void readUri(const InFlightPtr &request, const QString &uri,
                 std::function<void(Result<QJsonArray> contents)> done);

    // --- prompts and completion (prompthandler.cpp, completionhandler.cpp)
    void handlePromptsList(const InFlightPtr &request, const QJsonObject &params);
    void handlePromptsGet(const InFlightPtr &request, const QJsonObject &params);
    void handleComplete(const InFlightPtr &request, const QJsonObject &params);

    // The `cursor` of a list request -> page, or answers -32602 and returns nullopt.
    template<typename Entries>
    std::optional<QJsonObject> listPage(const InFlightPtr &request, const QJsonObject &params,
                                        const Entries &entries, const QString &member);
};

template<typename Entries>
std::optional<QJsonObject> McpServer::Private::listPage(const InFlightPtr &request,
                                                        const QJsonObject &params,
                                                        const Entries &entries,
                                                        const QString &member)
{
    const QJsonValue cursor = params.value(QLatin1StringView("cursor"));
    const auto page = pageFor(cursor, entries.size(), pageSize);
    if (!page) {
        respondError(request, jsonrpc::InvalidParams,
                     QStringLiteral("Invalid cursor for %1: params.cursor must be a nextCursor "
                                    "value from an earlier %1 answer.")
                         .arg(request->method),
                     QJsonObject{{QStringLiteral("cursor"), cursor}});
        return std::nullopt;
    }
    QJsonArray items;
    for (qsizetype i = page->begin; i < page->end; ++i)
        items.append(entries.at(i).toMcp());
    QJsonObject result{{member, items}};
    if (!page->nextCursor.isEmpty())
        result.insert(QStringLiteral("nextCursor"), page->nextCursor);
    return result;
}

} // namespace mcpbridge::mcp
