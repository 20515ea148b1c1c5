#include "core/traffic/trafficevent.h"

#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace mcpbridge::traffic {

namespace {

bool isValidUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString s = decoder(bytes);
    Q_UNUSED(s);
    return !decoder.hasError();
}

std::optional<EventKind> kindFromString(const QString &s)
{
    if (s == "mcp"_L1)
        return EventKind::Mcp;
    if (s == "upstream"_L1)
        return EventKind::Upstream;
    if (s == "note"_L1)
        return EventKind::Note;
    return std::nullopt;
}

std::optional<Direction> directionFromString(const QString &s)
{
    if (s == "inbound"_L1)
        return Direction::Inbound;
    if (s == "outbound"_L1)
        return Direction::Outbound;
    return std::nullopt;
}

} // namespace

QString toString(EventKind kind)
{
    switch (kind) {
    case EventKind::Mcp: return u"mcp"_s;
    case EventKind::Upstream: return u"upstream"_s;
    case EventKind::Note: return u"note"_s;
    }
    return u"mcp"_s;
}

QString toString(Direction direction)
{
    return direction == Direction::Inbound ? u"inbound"_s : u"outbound"_s;
}

QJsonObject TrafficEvent::toJson() const
{
    // Numbers are written as qint64 so that seq and times stay exact in the JSON text.
    QJsonObject o{
        {"seq"_L1, qint64(seq)},
        {"timeMs"_L1, timeMs},
        {"kind"_L1, toString(kind)},
        {"direction"_L1, toString(direction)},
        {"sessionId"_L1, sessionId},
        {"transport"_L1, transport},
        {"messageType"_L1, messageType},
        {"method"_L1, method},
        {"rpcId"_L1, rpcId},
        {"httpMethod"_L1, httpMethod},
        {"url"_L1, url},
        {"httpStatus"_L1, httpStatus},
        {"relatedRpcId"_L1, relatedRpcId},
        {"durationMs"_L1, durationMs},
        {"size"_L1, size},
        {"isError"_L1, isError},
        {"summary"_L1, summary},
    };
    // A JSON body is embedded as JSON so an exported log reads naturally; anything else is kept
    // as text, or as base64 when it is not even UTF-8.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (!body.isEmpty() && error.error == QJsonParseError::NoError) {
        o.insert("body"_L1, doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()));
    } else if (isValidUtf8(body)) {
        o.insert("body"_L1, QString::fromUtf8(body));
    } else {
        o.insert("bodyBase64"_L1, QString::fromLatin1(body.toBase64()));
    }
    return o;
}

std::optional<TrafficEvent> TrafficEvent::fromJson(const QJsonObject &o)
{
    const auto kind = kindFromString(o.value("kind"_L1).toString());
    const auto direction = directionFromString(o.value("direction"_L1).toString());
    if (!kind || !direction)
        return std::nullopt;
    const QJsonValue seqValue = o.value("seq"_L1);
    if (!seqValue.isDouble() || seqValue.toInteger(-1) < 0)
        return std::nullopt;

    TrafficEvent e;
    e.seq = quint64(seqValue.toInteger());
    e.timeMs = o.value("timeMs"_L1).toInteger();
    e.kind = *kind;
    e.direction = *direction;
    e.sessionId = o.value("sessionId"_L1).toString();
    e.transport = o.value("transport"_L1).toString();
    e.messageType = o.value("messageType"_L1).toString();
    e.method = o.value("method"_L1).toString();
    e.rpcId = o.value("rpcId"_L1).toString();
    e.httpMethod = o.value("httpMethod"_L1).toString();
    e.url = o.value("url"_L1).toString();
    e.httpStatus = int(o.value("httpStatus"_L1).toInteger());
    e.relatedRpcId = o.value("relatedRpcId"_L1).toString();
    e.durationMs = o.value("durationMs"_L1).toInteger(-1);
    e.size = o.value("size"_L1).toInteger();
    e.isError = o.value("isError"_L1).toBool();
    e.summary = o.value("summary"_L1).toString();
    const QJsonValue body = o.value("body"_L1);
    if (body.isObject() || body.isArray())
        e.body = json::compact(body);
    else if (body.isString())
        e.body = body.toString().toUtf8();
    else if (o.contains("bodyBase64"_L1))
        e.body = QByteArray::fromBase64(o.value("bodyBase64"_L1).toString().toLatin1());
    return e;
}

} // namespace mcpbridge::traffic
