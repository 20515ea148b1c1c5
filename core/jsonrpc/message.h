#pragma once

// JSON-RPC 2.0 messages as values: parse bytes into a Request, Notification or Response (or the
// error to send back), and serialize them again. Used by the transports and by McpServer.

#include "core/util/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>
#include <variant>

namespace mcpbridge::jsonrpc {

// A request id is an integer or a string. A missing id (notification) and a null id (error
// response to an unreadable request) are different things: see Message::id and Message::nullId.
using Id = std::variant<qint64, QString>;

QJsonValue idToJson(const Id &id);
// The id as it appears in JSON text: 7 or "abc" (with quotes), for logs and the traffic view.
QString idToText(const Id &id);

enum ErrorCode : int {
    ParseError = -32700,
    InvalidRequest = -32600,
    MethodNotFound = -32601,
    InvalidParams = -32602,
    InternalError = -32603,
    // MCP: the requested resource does not exist.
    ResourceNotFound = -32002,
};

struct ErrorObject
{
    int code = InternalError;
    QString message;
    QJsonValue data = QJsonValue::Undefined; // Undefined: no "data" member

    bool operator==(const ErrorObject &) const = default;
};

struct Message
{
    enum class Kind { Request, Notification, Response, Error };

    Kind kind = Kind::Notification;
    std::optional<Id> id;                      // Request, Response, Error (nullopt: "id": null)
    QString method;                            // Request, Notification
    QJsonValue params = QJsonValue::Undefined; // Request, Notification: object, array or absent
    QJsonValue result = QJsonValue::Undefined; // Response
    ErrorObject error;                         // Error
    // The message's JSON text when it is already known: the bytes it was parsed from, or the
    // text made once with withText(). serialize() returns it, so a message is not encoded again
    // for the traffic log and the wire. Messages are not changed after parsing; code that
    // changes a member must clear this.
    QByteArray text;

    bool isRequest() const { return kind == Kind::Request; }
    bool isNotification() const { return kind == Kind::Notification; }
    bool isResponse() const { return kind == Kind::Response || kind == Kind::Error; }

    // params as an object; an absent params is an empty object.
    QJsonObject paramsObject() const { return params.toObject(); }

    static Message request(Id id, QString method, QJsonObject params = {});
    static Message notification(QString method, QJsonObject params = {});
    static Message response(Id id, QJsonValue result);
    // A response whose result is given as its compact JSON text (`resultJson`, one JSON value)
    // and not as a value: `text` is the whole message, `result` stays Undefined. For sessions
    // that only write bytes (Session::writesBytesOnly), so a result the bridge wrote as text
    // is not built as an object only to be serialized again.
    static Message responseFromText(Id id, const QByteArray &resultJson);
    static Message errorResponse(std::optional<Id> id, int code, QString message,
                                 QJsonValue data = QJsonValue::Undefined);

    QJsonObject toJson() const;
    // Compact JSON text without a trailing newline (`text` when set).
    QByteArray serialize() const;
    // This message with `text` filled in, for a message that is recorded and then sent.
    Message withText() const;
};

// Why bytes could not become a Message, and the error response to send back for them
// (ParseError or InvalidRequest; `id` is set when the request's id could still be read).
struct ParseFailure
{
    ErrorObject error;
    std::optional<Id> id;

    Message toResponse() const
    {
        return Message::errorResponse(id, error.code, error.message, error.data);
    }
};

// Parses exactly one JSON-RPC message. Never throws; every failure names what was wrong.
std::expected<Message, ParseFailure> parse(QByteArrayView bytes);

// Parses an already decoded JSON value (used for the members of a batch).
std::expected<Message, ParseFailure> fromJson(const QJsonValue &value);

// A payload that is a JSON array is a batch (allowed by protocol versions before 2025-06-18).
struct Payload
{
    bool isBatch = false;
    QList<std::expected<Message, ParseFailure>> messages; // one entry unless isBatch
};
// Parses one message or a batch. An empty batch is one InvalidRequest failure.
Payload parsePayload(QByteArrayView bytes);

} // namespace mcpbridge::jsonrpc
