#include "core/client/mcpclient.h"

#include "core/mcp/mcpserver.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace mcpbridge::client {

Q_LOGGING_CATEGORY(lcClient, "mcpbridge.client")

namespace {

QString secondsText(int ms)
{
    if (ms % 1000 == 0)
        return ms == 1000 ? u"1 second"_s : u"%1 seconds"_s.arg(ms / 1000);
    return u"%1 seconds"_s.arg(ms / 1000.0, 0, 'f', 1);
}

} // namespace

McpClient::McpClient(QObject *parent)
    : QObject(parent)
{}

McpClient::~McpClient() = default;

QString McpClient::serverTitle() const
{
    const QString title = m_serverInfo.value("title"_L1).toString();
    return title.isEmpty() ? m_serverInfo.value("name"_L1).toString() : title;
}

qint64 McpClient::call(const QString &method, const QJsonObject &params, Done done, int timeoutMs)
{
    return send(method, params, std::move(done), timeoutMs, false);
}

void McpClient::notify(const QString &method, const QJsonObject &params)
{
    if (m_state == State::Closed) {
        qCInfo(lcClient) << "Not sending" << method << "on a closed client";
        return;
    }
    const jsonrpc::Message message = jsonrpc::Message::notification(method, params);
    if (m_state == State::Ready)
        sendMessage(message);
    else
        m_queue.append(message);
}

qint64 McpClient::send(const QString &method, const QJsonObject &params, Done done, int timeoutMs,
                       bool beforeReady)
{
    const qint64 id = m_nextId++;
    if (m_state == State::Closed) {
        // Later, like every other answer, so callers can rely on call() returning first.
        const Error error{
            u"The bridge is not running, so %1 could not be sent. %2"_s.arg(method, m_closeReason),
            {},
            0};
        QTimer::singleShot(0, this, [done = std::move(done), error] {
            if (done)
                done(std::unexpected(error));
        });
        return id;
    }
    const int ms = timeoutMs < 0 ? m_timeoutMs : timeoutMs;
    PendingCall pending{method, std::move(done), nullptr};
    if (ms > 0) {
        pending.timer = new QTimer(this);
        pending.timer->setSingleShot(true);
        connect(pending.timer, &QTimer::timeout, this, [this, id] { timedOut(id); });
        pending.timer->start(ms);
    }
    m_calls.insert(id, std::move(pending));
    const jsonrpc::Message message = jsonrpc::Message::request(id, method, params);
    if (m_state == State::Ready || beforeReady)
        sendMessage(message);
    else
        m_queue.append(message);
    return id;
}

void McpClient::cancel(qint64 id, const QString &reason)
{
    if (!m_calls.contains(id))
        return;
    if (m_state != State::Closed) {
        QJsonObject params{{u"requestId"_s, id}};
        if (!reason.isEmpty())
            params.insert(u"reason"_s, reason);
        // A call still in the queue never reached the server: drop it instead of cancelling.
        const auto queued
            = std::find_if(m_queue.begin(), m_queue.end(), [id](const jsonrpc::Message &message) {
                  return message.id && *message.id == jsonrpc::Id(id);
              });
        if (queued != m_queue.end())
            m_queue.erase(queued);
        else
            sendMessage(jsonrpc::Message::notification(u"notifications/cancelled"_s, params));
    }
    const QString method = m_calls.value(id).method;
    finishCall(id, fail(u"The call was cancelled before the bridge answered."_s, method));
}

void McpClient::close()
{
    if (m_state == State::Closed)
        return;
    // Cancel what is still running first: a stdio bridge drains its calls after end of input
    // (up to 10 s), and the studio would wait for that while stopping it.
    const QList<qint64> running = m_calls.keys();
    for (qint64 id : running)
        if (m_calls.contains(id) && m_calls.value(id).method != "initialize"_L1)
            cancel(id, u"The studio closed the connection."_s);
    shutdown();
    connectionClosed(u"The connection to the bridge was closed."_s);
}

void McpClient::startHandshake()
{
    const QJsonObject params{
        {u"protocolVersion"_s, mcp::McpServer::latestProtocolVersion()},
        // No elicitation (nor sampling, roots): the server must never wait for the studio's UI.
        {u"capabilities"_s, QJsonObject()},
        {u"clientInfo"_s,
         QJsonObject{{u"name"_s, ClientName}, {u"title"_s, u"McpBridge Studio"_s}}},
    };
    send(
        u"initialize"_s, params, [this](const Result<QJsonObject> &result) { initialized(result); },
        -1, true);
}

void McpClient::initialized(const Result<QJsonObject> &result)
{
    if (m_state != State::Connecting)
        return;
    if (!result) {
        const QString why = u"The bridge did not start a session: %1"_s.arg(result.error().message);
        shutdown();
        connectionClosed(why);
        return;
    }
    m_serverInfo = result->value("serverInfo"_L1).toObject();
    m_serverCapabilities = result->value("capabilities"_L1).toObject();
    m_protocolVersion = result->value("protocolVersion"_L1).toString();
    m_instructions = result->value("instructions"_L1).toString();
    sendMessage(jsonrpc::Message::notification(u"notifications/initialized"_s));
    // Ready from the event loop: a connection that delivers from there too (in-process) has
    // handed notifications/initialized to the server by then.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_state != State::Connecting)
                return;
            m_state = State::Ready;
            const QList<jsonrpc::Message> queue = std::exchange(m_queue, {});
            for (const jsonrpc::Message &message : queue)
                sendMessage(message);
            emit ready();
        },
        Qt::QueuedConnection);
}

void McpClient::handleMessage(const jsonrpc::Message &message)
{
    switch (message.kind) {
    case jsonrpc::Message::Kind::Request: answerServerRequest(message); return;
    case jsonrpc::Message::Kind::Notification:
        emit notificationReceived(message.method, message.paramsObject());
        return;
    case jsonrpc::Message::Kind::Response:
    case jsonrpc::Message::Kind::Error: break;
    }
    if (!message.id || !std::holds_alternative<qint64>(*message.id)) {
        qCWarning(lcClient) << "The bridge sent an answer the studio cannot pair with a call:"
                            << message.serialize();
        return;
    }
    const qint64 id = std::get<qint64>(*message.id);
    const auto it = m_calls.constFind(id);
    if (it == m_calls.constEnd()) {
        qCInfo(lcClient) << "Ignoring an answer to call" << id << "(cancelled or timed out)";
        return;
    }
    const QString method = it->method;
    if (message.kind == jsonrpc::Message::Kind::Error) {
        finishCall(id, fail(u"The bridge refused %1: %2 (JSON-RPC error %3)"_s
                                .arg(method, message.error.message)
                                .arg(message.error.code),
                            method, message.error.code));
    } else if (!message.result.isObject()) {
        finishCall(
            id,
            fail(u"The bridge answered %1 with something that is not a JSON object."_s.arg(method),
                 method));
    } else {
        finishCall(id, message.result.toObject());
    }
}

void McpClient::answerServerRequest(const jsonrpc::Message &request)
{
    if (m_state == State::Closed || !request.id)
        return;
    if (request.method == "ping"_L1) {
        sendMessage(jsonrpc::Message::response(*request.id, QJsonObject()));
        return;
    }
    // Elicitation, sampling, roots: the studio offers none of them, so it says so at once.
    sendMessage(jsonrpc::Message::errorResponse(
        *request.id, jsonrpc::MethodNotFound,
        u"McpBridge Studio does not support %1."_s.arg(request.method)));
}

void McpClient::finishCall(qint64 id, Result<QJsonObject> result)
{
    PendingCall pending = m_calls.take(id);
    if (pending.timer)
        pending.timer->deleteLater();
    if (pending.done)
        pending.done(std::move(result));
}

void McpClient::timedOut(qint64 id)
{
    const auto it = m_calls.constFind(id);
    if (it == m_calls.constEnd())
        return;
    const QString method = it->method;
    const int ms = it->timer ? it->timer->interval() : m_timeoutMs;
    if (m_state != State::Closed) {
        const qsizetype queued = m_queue.removeIf([id](const jsonrpc::Message &message) {
            return message.id && *message.id == jsonrpc::Id(id);
        });
        if (queued == 0) {
            sendMessage(jsonrpc::Message::notification(
                u"notifications/cancelled"_s,
                {{u"requestId"_s, id},
                 {u"reason"_s, u"No answer in time (the studio gave up)."_s}}));
        }
    }
    finishCall(id, fail(u"The bridge did not answer %1 within %2."_s.arg(method, secondsText(ms)),
                        method));
}

void McpClient::connectionClosed(const QString &why)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_closeReason = why;
    m_queue.clear();
    QPointer<McpClient> self(this);
    const QList<qint64> ids = m_calls.keys();
    for (qint64 id : ids) {
        if (!self)
            return;
        if (!m_calls.contains(id))
            continue;
        const QString method = m_calls.value(id).method;
        finishCall(id, fail(u"The connection to the bridge ended before it answered %1. %2"_s.arg(
                                method, why),
                            method));
    }
    if (self)
        emit closed(why);
}

void McpClient::forgetCalls()
{
    for (PendingCall &pending : m_calls)
        delete pending.timer;
    m_calls.clear();
    m_queue.clear();
}

} // namespace mcpbridge::client
