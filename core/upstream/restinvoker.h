#pragma once

// Turns a tool call (or a resource read) into an HTTP request to the upstream API and its
// response into MCP content. Asynchronous on the Qt event loop; every exchange is recorded in
// the TrafficLog, linked to the MCP request that caused it. Used by McpServer.

#include "core/upstream/toolresult.h"
#include "core/bridge/bridgedocument.h"
#include "core/util/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace mcpbridge::secrets {
class SecretStore;
}
namespace mcpbridge::traffic {
class TrafficLog;
}

namespace mcpbridge::upstream {

// What the caller wants to hear while a call runs. All optional.
struct CallContext
{
    QString sessionId;
    QString rpcId; // jsonrpc::idToText of the MCP request, for the traffic log link
    QString transport;
    // One line per upstream step ("GET https://... ", "200 OK in 12 ms, 3.1 KB", ...).
    std::function<void(const QString &level, const QString &message)> log;
    // Whether a line at `level` would reach anyone (the client asked for that level); unset:
    // always. Lets the invoker skip making lines nobody reads.
    std::function<bool(const QString &level)> wantsLog;
    // Progress through the steps of the call (0..total).
    std::function<void(double progress, double total, const QString &message)> progress;
};

// A call in flight. abort() cancels the upstream request; `done` is then never called.
class PendingCall : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual void abort() = 0;
};

class RestInvoker : public QObject
{
    Q_OBJECT
public:
    RestInvoker(secrets::SecretStore *secrets, traffic::TrafficLog *log, QObject *parent = nullptr);
    ~RestInvoker() override;

    // Calls the tool with already validated arguments. `done` receives a complete MCP
    // CallToolResult ({content, isError?, structuredContent?}), as an object or as its compact
    // JSON text (ToolResult converts to QJsonObject, so `done` may take one); API failures are
    // isError results with a hint, never errors of the call itself.
    PendingCall *callTool(const bridge::BridgeDocument &document, const bridge::Tool &tool,
                          const QJsonObject &arguments, const CallContext &context,
                          std::function<void(ToolResult result)> done);

    // Reads a resource: GET `path` (variables already substituted) under the base URL.
    // `done` receives the `contents` array of a ReadResourceResult, or an Error whose message
    // explains why (upstream status, unreachable ...).
    PendingCall *readResource(const bridge::BridgeDocument &document, const QString &path,
                              const QString &uri, const QString &mimeType,
                              const CallContext &context,
                              std::function<void(Result<QJsonArray> contents)> done);

    QNetworkAccessManager *network() const;

    // Plain http:// upstreams go through a light keep-alive client of our own unless this is
    // off (or MCPBRIDGE_HTTP_CLIENT=qt is set); then QNetworkAccessManager carries every call.
    // Tests compare the two.
    void setPlainHttpEnabled(bool enabled);
    bool plainHttpEnabled() const;

    // Replaces the source of retry jitter (values in [0, 1)); tests make backoff predictable.
    void setRandomSource(std::function<double()> random);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mcpbridge::upstream
