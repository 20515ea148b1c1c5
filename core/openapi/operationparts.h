#pragma once

// Module-private pieces shared by operationmapper.cpp (parameters, naming, the tool) and
// operationbody.cpp (request bodies). Not for use outside core/openapi.

#include "core/openapi/operationmapper.h"

#include <QJsonArray>

namespace mcpbridge::openapi {

struct OperationMapper::Candidate
{
    QString name; // as in the spec
    QString in;   // path | query | header | body
    bool required = false;
    bool wholeBody = false;
    QString description;
    QJsonObject schema;
};

struct OperationMapper::Body
{
    QList<Candidate> fields;
    QString mediaType; // empty: JSON
};

namespace detail {

using namespace Qt::StringLiterals;

enum class MediaKind { Json, Form, Multipart, Text, Other };

inline MediaKind classify(const QString &mediaType)
{
    const QString m = mediaType.section(u';', 0, 0).trimmed().toLower();
    if (m == u"application/json" || m.endsWith(u"+json") || m.contains(u"/json") || m == u"*/*"
        || m == u"application/*")
        return MediaKind::Json;
    if (m == u"application/x-www-form-urlencoded")
        return MediaKind::Form;
    if (m.startsWith(u"multipart/"))
        return MediaKind::Multipart;
    if (m.startsWith(u"text/"))
        return MediaKind::Text;
    return MediaKind::Other;
}

inline QString mediaTypeFor(MediaKind kind)
{
    switch (kind) {
    case MediaKind::Form: return u"application/x-www-form-urlencoded"_s;
    case MediaKind::Multipart: return u"multipart/form-data"_s;
    case MediaKind::Text: return u"text/plain"_s;
    default: return {};
    }
}

inline bool isFileSchema(const QJsonObject &schema)
{
    if (schema.value(u"format"_s).toString() == u"binary")
        return true;
    const QString media = schema.value(u"contentMediaType"_s).toString();
    if (!media.isEmpty() && !media.startsWith(u"text/") && classify(media) != MediaKind::Json)
        return true;
    if (schema.value(u"type"_s) == u"array"_s && schema.value(u"items"_s).isObject())
        return isFileSchema(schema.value(u"items"_s).toObject());
    return false;
}

inline QStringList stringList(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        if (s.isString())
            out.append(s.toString());
    return out;
}

} // namespace detail

} // namespace mcpbridge::openapi
