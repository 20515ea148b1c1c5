#include "core/jsonrpc/message.h"

#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringBuilder>
#include <QVariant>

#include <cmath>

using namespace Qt::StringLiterals;

namespace mcpbridge::jsonrpc {

namespace {

// Integers up to 2^53 survive a double exactly; QJsonDocument keeps integer literals that fit
// qint64 as integers, but values that arrive as doubles (1.0, 1e3) are only exact up to here.
constexpr double MaxExactDouble = 9007199254740992.0;

ParseFailure failure(int code, QString message, std::optional<Id> id = std::nullopt)
{
    return ParseFailure{ErrorObject{code, std::move(message), QJsonValue::Undefined},
                        std::move(id)};
}

ParseFailure invalid(const QString &what, std::optional<Id> id = std::nullopt)
{
    return failure(InvalidRequest, u"Invalid request: "_s + what, std::move(id));
}

QString describeType(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return u"a boolean"_s;
    case QJsonValue::Double: return u"a number"_s;
    case QJsonValue::String: return u"a string"_s;
    case QJsonValue::Array: return u"an array"_s;
    case QJsonValue::Object: return u"an object"_s;
    case QJsonValue::Undefined: break;
    }
    return u"missing"_s;
}

// Reads an integer member exactly; nullopt when it is not a whole number we can represent.
// QJsonValue hides whether the text held an integer literal; toVariant() still tells.
std::optional<qint64> exactInteger(const QJsonValue &value, QString *why)
{
    if (!value.isDouble()) {
        *why = u"must be an integer, not "_s + describeType(value);
        return std::nullopt;
    }
    const QVariant v = value.toVariant();
    if (v.typeId() == QMetaType::LongLong)
        return v.toLongLong();
    const double d = value.toDouble();
    if (!std::isfinite(d) || std::trunc(d) != d) {
        *why = u"must be an integer, not a fraction"_s;
        return std::nullopt;
    }
    if (std::fabs(d) > MaxExactDouble) {
        *why = u"is too large to be handled exactly (integer ids must be between "
               "-9223372036854775808 and 9223372036854775807; use a string id instead)"_s;
        return std::nullopt;
    }
    return static_cast<qint64>(d);
}

struct IdRead
{
    bool present = false;
    bool isNull = false;
    std::optional<Id> id; // set when present and usable
    QString problem;      // set when present but unusable
};

IdRead readId(const QJsonObject &object)
{
    IdRead r;
    const auto it = object.constFind("id"_L1);
    if (it == object.constEnd())
        return r;
    r.present = true;
    const QJsonValue v = it.value();
    if (v.isNull()) {
        r.isNull = true;
    } else if (v.isString()) {
        r.id = Id{v.toString()};
    } else if (v.isDouble()) {
        QString why;
        if (const auto n = exactInteger(v, &why))
            r.id = Id{*n};
        else
            r.problem = u"\"id\" "_s + why;
    } else {
        r.problem = u"\"id\" must be a string or an integer, not "_s + describeType(v);
    }
    return r;
}

QString parseErrorMessage(QByteArrayView bytes, const QJsonParseError &error)
{
    const QByteArray text = bytes.toByteArray();
    const json::TextPosition pos = json::positionOf(text, error.offset);
    QString what = error.errorString();
    switch (error.error) {
    case QJsonParseError::IllegalUTF8String: what = u"text that is not valid UTF-8"_s; break;
    case QJsonParseError::DeepNesting: what = u"nested too deeply"_s; break;
    case QJsonParseError::IllegalNumber:
        what = u"a number that is out of range or malformed"_s;
        break;
    case QJsonParseError::GarbageAtEnd:
        what = u"unexpected text after the end of the JSON value"_s;
        break;
    default: break;
    }
    return u"Parse error: the message is not valid JSON (%1 at byte %2, line %3, column %4)"_s
        .arg(what)
        .arg(error.offset)
        .arg(pos.line)
        .arg(pos.column);
}

bool isBlank(QByteArrayView bytes)
{
    for (const char c : bytes) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return false;
    }
    return true;
}

// QJsonDocument accepts raw control characters (even NUL) inside strings; JSON does not, and a
// raw newline would also break newline-delimited framing. Returns the offending offset or -1.
qsizetype controlCharacterInString(QByteArrayView bytes)
{
    bool inString = false;
    bool escaped = false;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const uchar c = uchar(bytes[i]);
        if (!inString) {
            if (c == '"')
                inString = true;
        } else if (escaped) {
            escaped = false;
        } else if (c == '\\') {
            escaped = true;
        } else if (c == '"') {
            inString = false;
        } else if (c < 0x20) {
            return i;
        }
    }
    return -1;
}

std::expected<QJsonValue, ParseFailure> controlCharacterFailure(QByteArrayView bytes,
                                                                qsizetype offset)
{
    const json::TextPosition pos = json::positionOf(bytes.toByteArray(), offset);
    return std::unexpected(failure(
        ParseError,
        u"Parse error: the message is not valid JSON (a raw control character 0x%1 inside a "
        "string at byte %2, line %3, column %4; write it escaped, e.g. \\n or \\u0000)"_s
            .arg(uint(uchar(bytes[offset])), 2, 16, QChar(u'0'))
            .arg(offset)
            .arg(pos.line)
            .arg(pos.column)));
}

// Decodes one JSON value of any type. QJsonDocument only accepts an object or an array at the
// top level, so a bare scalar is recognised by retrying inside brackets; its error messages
// still refer to the original bytes.
std::expected<QJsonValue, ParseFailure> decode(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return std::unexpected(failure(ParseError, u"Parse error: the message is empty"_s));
    if (isBlank(bytes))
        return std::unexpected(
            failure(ParseError, u"Parse error: the message contains only whitespace"_s));
    QJsonParseError error;
    // Read in place: the document copies what it keeps.
    const QJsonDocument doc
        = QJsonDocument::fromJson(QByteArray::fromRawData(bytes.data(), bytes.size()), &error);
    if (error.error == QJsonParseError::NoError) {
        if (const qsizetype bad = controlCharacterInString(bytes); bad >= 0)
            return controlCharacterFailure(bytes, bad);
        if (doc.isArray())
            return QJsonValue(doc.array());
        return QJsonValue(doc.object());
    }
    QByteArray wrapped;
    wrapped.reserve(bytes.size() + 2);
    wrapped += '[';
    wrapped += bytes;
    wrapped += ']';
    QJsonParseError wrappedError;
    const QJsonDocument scalar = QJsonDocument::fromJson(wrapped, &wrappedError);
    if (wrappedError.error == QJsonParseError::NoError && scalar.isArray()
        && scalar.array().size() == 1) {
        const QJsonValue v = scalar.array().at(0);
        if (!v.isArray() && !v.isObject()) {
            if (const qsizetype bad = controlCharacterInString(bytes); bad >= 0)
                return controlCharacterFailure(bytes, bad);
            return v;
        }
    }
    return std::unexpected(failure(ParseError, parseErrorMessage(bytes, error)));
}

std::expected<ErrorObject, QString> readError(const QJsonValue &value)
{
    if (!value.isObject())
        return std::unexpected(u"\"error\" must be an object, not "_s + describeType(value));
    const QJsonObject e = value.toObject();
    const QJsonValue code = e.value("code"_L1);
    if (code.isUndefined())
        return std::unexpected(u"\"error\" has no \"code\""_s);
    QString why;
    const auto n = exactInteger(code, &why);
    if (!n)
        return std::unexpected(u"\"error.code\" "_s + why);
    if (*n < std::numeric_limits<int>::min() || *n > std::numeric_limits<int>::max())
        return std::unexpected(u"\"error.code\" is out of range"_s);
    const QJsonValue message = e.value("message"_L1);
    if (!message.isString())
        return std::unexpected(u"\"error.message\" must be a string, not "_s
                               + describeType(message));
    return ErrorObject{int(*n), message.toString(), e.value("data"_L1)};
}

} // namespace

QJsonValue idToJson(const Id &id)
{
    if (const auto *n = std::get_if<qint64>(&id))
        return QJsonValue(*n);
    return QJsonValue(std::get<QString>(id));
}

QString idToText(const Id &id)
{
    if (const auto *n = std::get_if<qint64>(&id))
        return QString::number(*n);
    return QString::fromUtf8(json::compact(QJsonValue(std::get<QString>(id))));
}

Message Message::request(Id id, QString method, QJsonObject params)
{
    Message m;
    m.kind = Kind::Request;
    m.id = std::move(id);
    m.method = std::move(method);
    if (!params.isEmpty())
        m.params = params;
    return m;
}

Message Message::notification(QString method, QJsonObject params)
{
    Message m;
    m.kind = Kind::Notification;
    m.method = std::move(method);
    if (!params.isEmpty())
        m.params = params;
    return m;
}

Message Message::response(Id id, QJsonValue result)
{
    Message m;
    m.kind = Kind::Response;
    m.id = std::move(id);
    m.result = std::move(result);
    return m;
}

Message Message::responseFromText(Id id, const QByteArray &resultJson)
{
    Message m = response(std::move(id), QJsonValue::Null);
    // What serialize() writes for a response, with the result's text in place of null.
    QByteArray text = m.serialize();
    text.chop(int(sizeof("null}") - 1));
    text += resultJson;
    text += '}';
    m.result = QJsonValue::Undefined;
    m.text = std::move(text);
    return m;
}

Message Message::errorResponse(std::optional<Id> id, int code, QString message, QJsonValue data)
{
    Message m;
    m.kind = Kind::Error;
    m.id = std::move(id);
    m.error = ErrorObject{code, std::move(message), std::move(data)};
    return m;
}

QJsonObject Message::toJson() const
{
    QJsonObject o;
    o.insert("jsonrpc"_L1, u"2.0"_s);
    const QJsonValue idValue = id ? idToJson(*id) : QJsonValue(QJsonValue::Null);
    switch (kind) {
    case Kind::Request: o.insert("id"_L1, idValue); Q_FALLTHROUGH();
    case Kind::Notification:
        o.insert("method"_L1, method);
        if (!params.isUndefined())
            o.insert("params"_L1, params);
        break;
    case Kind::Response:
        o.insert("id"_L1, idValue);
        // "result" is required; an absent result is written as null rather than dropped.
        o.insert("result"_L1, result.isUndefined() ? QJsonValue(QJsonValue::Null) : result);
        break;
    case Kind::Error: {
        o.insert("id"_L1, idValue);
        QJsonObject e;
        e.insert("code"_L1, error.code);
        e.insert("message"_L1, error.message);
        if (!error.data.isUndefined())
            e.insert("data"_L1, error.data);
        o.insert("error"_L1, e);
        break;
    }
    }
    return o;
}

QByteArray Message::serialize() const
{
    if (!text.isEmpty())
        return text;
    // Written directly, members in the order toJson()'s QJsonObject keeps them (sorted), so
    // the text is what QJsonDocument(toJson()) would write: building that object and document
    // for every answer was the largest part of what sending one cost.
    QByteArray out;
    auto appendId = [&] {
        out += "\"id\":";
        if (!id)
            out += "null";
        else if (const auto *n = std::get_if<qint64>(&*id))
            out += QByteArray::number(*n);
        else
            json::appendCompactString(out, std::get<QString>(*id));
    };
    out += '{';
    switch (kind) {
    case Kind::Request:
        appendId();
        out += ',';
        Q_FALLTHROUGH();
    case Kind::Notification:
        out += "\"jsonrpc\":\"2.0\",\"method\":";
        json::appendCompactString(out, method);
        if (!params.isUndefined()) {
            out += ",\"params\":";
            json::appendCompact(out, params);
        }
        break;
    case Kind::Response:
        appendId();
        out += ",\"jsonrpc\":\"2.0\",\"result\":";
        // "result" is required; an absent result is written as null rather than dropped.
        json::appendCompact(out, result); // Undefined is written as null
        break;
    case Kind::Error:
        out += "\"error\":{\"code\":";
        out += QByteArray::number(error.code);
        if (!error.data.isUndefined()) {
            out += ",\"data\":";
            json::appendCompact(out, error.data);
        }
        out += ",\"message\":";
        json::appendCompactString(out, error.message);
        out += "},";
        appendId();
        out += ",\"jsonrpc\":\"2.0\"";
        break;
    }
    out += '}';
    out.squeeze(); // kept in the traffic log: no spare capacity
    return out;
}

Message Message::withText() const
{
    Message copy = *this;
    copy.text = serialize();
    return copy;
}

std::expected<Message, ParseFailure> fromJson(const QJsonValue &value)
{
    if (!value.isObject())
        return std::unexpected(
            invalid(u"a message must be a JSON object, not "_s + describeType(value)));
    const QJsonObject o = value.toObject();
    const IdRead idRead = readId(o);

    const QJsonValue version = o.value("jsonrpc"_L1);
    if (version.isUndefined())
        return std::unexpected(invalid(u"\"jsonrpc\": \"2.0\" is missing"_s, idRead.id));
    if (version != QJsonValue(u"2.0"_s))
        return std::unexpected(invalid(u"\"jsonrpc\" must be \"2.0\""_s, idRead.id));

    if (!idRead.problem.isEmpty())
        return std::unexpected(invalid(idRead.problem));

    const bool hasMethod = o.contains("method"_L1);
    const bool hasResult = o.contains("result"_L1);
    const bool hasError = o.contains("error"_L1);

    if (hasMethod) {
        if (hasResult || hasError)
            return std::unexpected(invalid(
                u"a message cannot have both \"method\" and \"result\"/\"error\""_s, idRead.id));
        const QJsonValue method = o.value("method"_L1);
        if (!method.isString() || method.toString().isEmpty())
            return std::unexpected(invalid(
                method.isString() ? u"\"method\" must not be empty"_s
                                  : u"\"method\" must be a string, not "_s + describeType(method),
                idRead.id));
        const QJsonValue params = o.value("params"_L1);
        if (!params.isUndefined() && !params.isObject() && !params.isArray())
            return std::unexpected(
                invalid(u"\"params\" must be an object or an array, not "_s + describeType(params),
                        idRead.id));
        if (idRead.isNull)
            return std::unexpected(invalid(u"\"id\" must be a string or an integer, not null"_s));
        Message m;
        m.kind = idRead.present ? Message::Kind::Request : Message::Kind::Notification;
        m.id = idRead.id;
        m.method = method.toString();
        m.params = params;
        return m;
    }

    if (hasResult && hasError)
        return std::unexpected(
            invalid(u"a response must have either \"result\" or \"error\", not both"_s, idRead.id));
    if (!hasResult && !hasError)
        return std::unexpected(invalid(
            u"a message needs \"method\" (a request or notification) or \"result\"/\"error\" "
            "(a response)"_s,
            idRead.id));
    if (!idRead.present)
        return std::unexpected(invalid(u"a response must have an \"id\""_s));

    Message m;
    m.id = idRead.id;
    if (hasResult) {
        if (idRead.isNull)
            return std::unexpected(invalid(u"\"id\" of a successful response must not be null"_s));
        m.kind = Message::Kind::Response;
        m.result = o.value("result"_L1);
        return m;
    }
    auto error = readError(o.value("error"_L1));
    if (!error)
        return std::unexpected(invalid(error.error(), idRead.id));
    m.kind = Message::Kind::Error;
    m.error = std::move(*error);
    return m;
}

std::expected<Message, ParseFailure> parse(QByteArrayView bytes)
{
    auto value = decode(bytes);
    if (!value)
        return std::unexpected(std::move(value.error()));
    if (value->isArray())
        return std::unexpected(
            invalid(u"expected one message (a JSON object) but got an array (a batch)"_s));
    auto message = fromJson(*value);
    if (message)
        message->text = QByteArray(bytes.data(), bytes.size()).trimmed();
    return message;
}

Payload parsePayload(QByteArrayView bytes)
{
    Payload payload;
    auto value = decode(bytes);
    if (!value) {
        payload.messages.append(std::unexpected(std::move(value.error())));
        return payload;
    }
    if (!value->isArray()) {
        auto message = fromJson(*value);
        if (message) // keep the bytes as received (without the line end) for the traffic log
            message->text = QByteArray(bytes.data(), bytes.size()).trimmed();
        payload.messages.append(std::move(message));
        return payload;
    }
    const QJsonArray batch = value->toArray();
    if (batch.isEmpty()) {
        payload.messages.append(
            std::unexpected(invalid(u"the batch is empty (an empty JSON array)"_s)));
        return payload;
    }
    payload.isBatch = true;
    payload.messages.reserve(batch.size());
    for (const QJsonValue &member : batch)
        payload.messages.append(fromJson(member));
    return payload;
}

} // namespace mcpbridge::jsonrpc
