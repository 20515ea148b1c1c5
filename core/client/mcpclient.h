#pragma once

// An MCP client as the studio needs one: it performs the initialize handshake itself, queues
// calls made before the server is ready, pairs answers with calls (with a timeout each) and
// answers what the server asks of it. InProcessClient and StdioChildClient carry the messages;
// the studio's Try-it panel and bridge runner use this interface.

#include "core/jsonrpc/message.h"
#include "core/util/result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

class QTimer;

namespace mcpbridge::client {

class McpClient : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<QJsonObject>)>;
    static constexpr int DefaultTimeoutMs = 60000;
    static inline const QString ClientName = QStringLiteral("mcpbridge-studio");

    ~McpClient() override;

    // Sends request `method`. `done` runs exactly once and never inside call(): with the result
    // object, or an Error whose message says what failed (JSON-RPC errors carry their code in
    // Error::code and in the text). Calls made before ready() wait for it. `timeoutMs` < 0 uses
    // timeoutMs(). Returns the request id, as the server and the traffic log see it
    // (TrafficEvent::rpcId / relatedRpcId are QString::number of it). A client destroyed with
    // calls still waiting drops their `done` without running it.
    qint64 call(const QString &method, const QJsonObject &params, Done done, int timeoutMs = -1);
    void notify(const QString &method, const QJsonObject &params = {});
    // Gives up on call `id`: the server is told (notifications/cancelled) and `done` gets an
    // Error saying the call was cancelled. Nothing happens for an id that is not waiting.
    void cancel(qint64 id, const QString &reason = {});
    bool isWaitingFor(qint64 id) const { return m_calls.contains(id); }

    // Initialized: the handshake is done and calls go out at once.
    bool isReady() const { return m_state == State::Ready; }
    bool isClosed() const { return m_state == State::Closed; }
    // Why the client closed (empty while open).
    QString closeReason() const { return m_closeReason; }

    // What the server said about itself in its initialize result.
    QString serverTitle() const; // serverInfo.title, else serverInfo.name
    QJsonObject serverInfo() const { return m_serverInfo; }
    QJsonObject serverCapabilities() const { return m_serverCapabilities; }
    QString protocolVersion() const { return m_protocolVersion; }
    QString instructions() const { return m_instructions; }

    // This client's session at the server, as TrafficEvent::sessionId names it.
    virtual QString sessionId() const = 0;
    // The transport as TrafficEvent::transport names it: "in-process", "stdio".
    virtual QString transportName() const = 0;

    int timeoutMs() const { return m_timeoutMs; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // Ends the connection; closed() follows unless the client was already closed. Calls still
    // waiting fail (their `done` runs before close() returns).
    void close();

signals:
    void ready();
    // Emitted once: the connection ended (or never came up). `why` is a sentence for people.
    void closed(const QString &why);
    // A notification from the server (list_changed, progress, log messages ...).
    void notificationReceived(const QString &method, const QJsonObject &params);

protected:
    explicit McpClient(QObject *parent = nullptr);

    // Sends initialize; subclasses call it once their connection can carry messages.
    void startHandshake();
    // Hands one message to the connection. Only called while the client is open.
    virtual void sendMessage(const jsonrpc::Message &message) = 0;
    // Tears the connection down (close() and the destructors call it).
    virtual void shutdown() = 0;
    // Subclasses pass every message that arrives from the server here.
    void handleMessage(const jsonrpc::Message &message);
    // The connection ended: waiting calls fail, closed(why) is emitted. Only the first counts.
    void connectionClosed(const QString &why);
    // Drops waiting calls without running their `done` (for destructors).
    void forgetCalls();

private:
    enum class State { Connecting, Ready, Closed };
    struct PendingCall
    {
        QString method;
        Done done;
        QTimer *timer = nullptr;
    };

    qint64 send(const QString &method, const QJsonObject &params, Done done, int timeoutMs,
                bool beforeReady);
    void finishCall(qint64 id, Result<QJsonObject> result);
    void timedOut(qint64 id);
    void answerServerRequest(const jsonrpc::Message &request);
    void initialized(const Result<QJsonObject> &result);

    State m_state = State::Connecting;
    QString m_closeReason;
    qint64 m_nextId = 1;
    int m_timeoutMs = DefaultTimeoutMs;
    QHash<qint64, PendingCall> m_calls;
    QList<jsonrpc::Message> m_queue; // requests and notifications waiting for ready()
    QJsonObject m_serverInfo;
    QJsonObject m_serverCapabilities;
    QString m_protocolVersion;
    QString m_instructions;
};

} // namespace mcpbridge::client
