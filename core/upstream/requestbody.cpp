#include "core/upstream/requestparts.h"
#include "core/upstream/requesturl.h"

#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <cmath>

using namespace Qt::StringLiterals;

// Argument values as text on the wire, and the request body in the tool's media type.

namespace mcpbridge::upstream::detail {

QString scalarText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String: return value.toString();
    case QJsonValue::Bool: return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 9.007199254740992e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    default: return {};
    }
}

QString simpleText(const QJsonValue &value)
{
    if (!value.isArray())
        return scalarText(value);
    QStringList parts;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        parts.append(scalarText(item));
    return parts.join(u',');
}

Result<std::pair<QByteArray, QByteArray>> encodeBody(const bridge::Tool &tool,
                                                     const QJsonObject &fields,
                                                     const QJsonValue &wholeBody)
{
    const QString mediaType = tool.bodyMediaType.trimmed().toLower();
    auto fieldText = [](const QJsonValue &v) {
        return v.isObject() || v.isArray() ? QString::fromUtf8(json::compact(v)) : scalarText(v);
    };
    if (mediaType == u"text/plain") {
        const QJsonValue value = wholeBody.isUndefined() ? QJsonValue(fields) : wholeBody;
        return std::pair{fieldText(value).toUtf8(), QByteArray("text/plain; charset=utf-8")};
    }
    if (!wholeBody.isUndefined()) {
        if (!mediaType.isEmpty() && mediaType != u"application/json"
            && !mediaType.endsWith(u"+json"))
            return fail(u"The tool \"%1\" sends its whole body as %2, which the bridge can only "
                        "do for JSON and text/plain bodies."_s.arg(tool.name, tool.bodyMediaType));
        return std::pair{json::compact(wholeBody), QByteArray("application/json")};
    }
    if (mediaType == u"application/x-www-form-urlencoded") {
        QList<std::pair<QByteArray, QByteArray>> items;
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            const QJsonArray values
                = it.value().isArray() ? it.value().toArray() : QJsonArray{it.value()};
            for (const QJsonValue &v : values)
                items.append({encodeComponent(it.key()), encodeComponent(fieldText(v))});
        }
        QByteArray form;
        appendQuery(form, items);
        return std::pair{form, QByteArray("application/x-www-form-urlencoded")};
    }
    if (mediaType == u"multipart/form-data") {
        // A random boundary that no value contains, so no argument can start a part of its own.
        QByteArray boundary;
        QByteArray out;
        for (int attempt = 0; attempt < 8; ++attempt) {
            boundary = "mcpbridge-"
                       + QByteArray::number(QRandomGenerator::global()->generate64(), 16)
                       + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
            out.clear();
            bool clash = false;
            for (auto it = fields.begin(); it != fields.end() && !clash; ++it) {
                const QByteArray name = it.key().toUtf8();
                if (name.contains('"') || name.contains('\r') || name.contains('\n'))
                    return fail(
                        u"The body field name \"%1\" of the tool \"%2\" cannot be sent as a "
                        "form field (it has a quote or a line break)."_s.arg(it.key(), tool.name));
                const QByteArray value = fieldText(it.value()).toUtf8();
                clash = value.contains(boundary);
                out += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                       + "\"\r\n\r\n" + value + "\r\n";
            }
            if (!clash)
                break;
        }
        out += "--" + boundary + "--\r\n";
        return std::pair{out, "multipart/form-data; boundary=" + boundary};
    }
    return std::pair{QJsonDocument(fields).toJson(QJsonDocument::Compact),
                     QByteArray("application/json")};
}

} // namespace mcpbridge::upstream::detail
