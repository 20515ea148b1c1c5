#include "core/upstream/responseshaper.h"

#include "core/upstream/compactjson.h"
#include "core/upstream/errorhints.h"
#include "core/upstream/multipart.h"
#include "core/util/jsontext.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace mcpbridge::upstream {

namespace {

QString mimeOf(const QByteArray &contentType)
{
    const qsizetype semi = contentType.indexOf(';');
    return QString::fromLatin1(semi < 0 ? contentType : contentType.left(semi)).trimmed().toLower();
}

QString charsetOf(const QByteArray &contentType)
{
    const QList<QByteArray> params = contentType.split(';');
    for (qsizetype i = 1; i < params.size(); ++i) {
        const QByteArray p = params[i].trimmed();
        const qsizetype eq = p.indexOf('=');
        if (eq > 0 && p.left(eq).trimmed().toLower() == "charset") {
            QByteArray value = p.mid(eq + 1).trimmed();
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.mid(1, value.size() - 2);
            return QString::fromLatin1(value).toLower();
        }
    }
    return {};
}

QJsonObject textBlock(const QString &text)
{
    return {{u"type"_s, u"text"_s}, {u"text"_s, text}};
}

QString typeName(QJsonValue::Type type)
{
    switch (type) {
    case QJsonValue::Array: return u"array"_s;
    case QJsonValue::Object: return u"object"_s;
    case QJsonValue::String: return u"string"_s;
    case QJsonValue::Double: return u"number"_s;
    case QJsonValue::Bool: return u"boolean"_s;
    case QJsonValue::Null: return u"null"_s;
    default: return u"value"_s;
    }
}

// Text cut to `maxBytes` of UTF-8 with the truncation note.
QString cappedText(const QString &text, qint64 maxBytes, qint64 totalBytes, bool complete,
                   bool *wasCut = nullptr)
{
    const QByteArray utf8 = text.toUtf8();
    const bool cut = utf8.size() > maxBytes || !complete;
    if (wasCut)
        *wasCut = cut;
    if (!cut)
        return text;
    const QByteArray shown = ResponseShaper::cutUtf8(utf8, maxBytes);
    qint64 total = totalBytes;
    if (total >= 0 && total < utf8.size())
        total = utf8.size();
    if (complete && total < 0)
        total = utf8.size();
    return QString::fromUtf8(shown) + u"\n\n"_s + hints::truncated(shown.size(), total);
}

// The same for complete UTF-8 text.
QString cappedUtf8(const QByteArray &utf8, qint64 maxBytes)
{
    if (utf8.size() <= maxBytes)
        return QString::fromUtf8(utf8);
    const QByteArray shown = ResponseShaper::cutUtf8(utf8, maxBytes);
    return QString::fromUtf8(shown) + u"\n\n"_s + hints::truncated(shown.size(), utf8.size());
}

// {"content":[{"text":...,"type":"text"}]} for complete UTF-8 text, capped like cappedUtf8,
// written directly: the bytes json::compact gives for that object (its keys sorted), without
// building it. How a JSON answer passed on as the API wrote it reaches the client.
ToolResult textResult(const QByteArray &utf8, qint64 maxBytes)
{
    const bool cut = utf8.size() > maxBytes;
    QByteArray text = cut ? ResponseShaper::cutUtf8(utf8, maxBytes) : utf8;
    const qsizetype shown = text.size();
    if (!text.isValidUtf8())
        text = QString::fromUtf8(text).toUtf8();
    if (cut)
        text += "\n\n" + hints::truncated(shown, utf8.size()).toUtf8();
    QByteArray out;
    out.reserve(text.size() + 48);
    out += "{\"content\":[{\"text\":";
    json::appendCompactUtf8String(out, text);
    out += ",\"type\":\"text\"}]}";
    return ToolResult::fromCompactJson(std::move(out), false);
}

// One body (a whole response or a multipart part) -> content blocks, without JSON structure.
QJsonArray shapeBody(const QString &mime, const QString &charset, const QByteArray &body,
                     qint64 totalBytes, bool complete, const bridge::ResponseOptions &options,
                     const QString &resourceUri, bool asResource, QString *kind)
{
    const QString type = ResponseShaper::normalizeMimeType(mime);
    const bool textual = ResponseShaper::isTextType(type) || options.as == u"text";
    const qint64 size = totalBytes >= 0 ? totalBytes : body.size();

    if (asResource) {
        QJsonObject resource{
            {u"uri"_s, resourceUri},
            {u"mimeType"_s, type.isEmpty() ? u"application/octet-stream"_s : type}};
        QJsonArray blocks;
        if (textual) {
            const QString text = ResponseShaper::decodeText(body, charset);
            const QByteArray utf8 = text.toUtf8();
            if (utf8.size() > options.maxBytes || !complete) {
                const QByteArray shown = ResponseShaper::cutUtf8(utf8, options.maxBytes);
                resource.insert(u"text"_s, QString::fromUtf8(shown));
                blocks.append(QJsonObject{{u"type"_s, u"resource"_s}, {u"resource"_s, resource}});
                blocks.append(textBlock(hints::truncated(
                    shown.size(), complete ? std::max<qint64>(size, utf8.size()) : totalBytes)));
                if (kind)
                    *kind = u"embedded text resource (truncated)"_s;
                return blocks;
            }
            resource.insert(u"text"_s, text);
        } else {
            const qint64 limit = ResponseShaper::binaryLimit(options.maxBytes);
            if (!complete || body.size() > limit) {
                if (kind)
                    *kind = u"binary too large"_s;
                return {textBlock(hints::binaryTooLarge(type, size, limit))};
            }
            resource.insert(u"blob"_s, QString::fromLatin1(body.toBase64()));
        }
        if (kind)
            *kind = textual ? u"embedded text resource"_s : u"embedded binary resource"_s;
        return {QJsonObject{{u"type"_s, u"resource"_s}, {u"resource"_s, resource}}};
    }

    if (textual) {
        if (kind)
            *kind = u"text"_s;
        return {textBlock(cappedText(ResponseShaper::decodeText(body, charset), options.maxBytes,
                                     totalBytes, complete))};
    }
    const bool image = type.startsWith(u"image/"_s);
    const bool audio = type.startsWith(u"audio/"_s);
    const qint64 limit = ResponseShaper::binaryLimit(options.maxBytes);
    if (!complete || body.size() > limit) {
        if (kind)
            *kind = u"binary too large"_s;
        return {textBlock(
            hints::binaryTooLarge(type.isEmpty() ? u"binary data"_s : type, size, limit))};
    }
    if (image || audio) {
        if (kind)
            *kind = image ? u"image"_s : u"audio"_s;
        return {QJsonObject{{u"type"_s, image ? u"image"_s : u"audio"_s},
                            {u"data"_s, QString::fromLatin1(body.toBase64())},
                            {u"mimeType"_s, type}}};
    }
    if (kind)
        *kind = u"embedded binary resource"_s;
    const QJsonObject resource{
        {u"uri"_s, resourceUri},
        {u"mimeType"_s, type.isEmpty() ? u"application/octet-stream"_s : type},
        {u"blob"_s, QString::fromLatin1(body.toBase64())}};
    return {QJsonObject{{u"type"_s, u"resource"_s}, {u"resource"_s, resource}}};
}

// Caps arrays at the top level and one level down ({"results": [...]}) to maxItems.
QJsonValue capItems(const QJsonValue &value, int maxItems, qint64 *shown, qint64 *total)
{
    if (maxItems < 0)
        return value;
    auto capArray = [&](const QJsonArray &array) {
        if (array.size() <= maxItems)
            return array;
        *shown += maxItems;
        *total += array.size();
        QJsonArray out;
        for (int i = 0; i < maxItems; ++i)
            out.append(array.at(i));
        return out;
    };
    if (value.isArray())
        return capArray(value.toArray());
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.value().isArray())
                it.value() = capArray(it.value().toArray());
        }
        return object;
    }
    return value;
}

bool schemaWantsResultWrapper(const QJsonObject &schema)
{
    return schema.value(u"properties"_s).toObject().contains(u"result"_s);
}

} // namespace

// ---- HttpResponse ---------------------------------------------------------------------------

QByteArray HttpResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString HttpResponse::mimeType() const
{
    return mimeOf(header("content-type"));
}

QString HttpResponse::charset() const
{
    return charsetOf(header("content-type"));
}

int HttpResponse::retryAfterSeconds() const
{
    const QByteArray value = header("retry-after").trimmed();
    if (value.isEmpty())
        return -1;
    bool ok = false;
    const int seconds = value.toInt(&ok);
    if (ok)
        return std::max(0, seconds);
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(value), Qt::RFC2822Date);
    if (!when.isValid())
        return -1;
    return int(std::max<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(when)));
}

// ---- helpers --------------------------------------------------------------------------------

QJsonObject ResponseShaper::errorResult(const QString &text)
{
    return {{u"content"_s, QJsonArray{textBlock(text)}}, {u"isError"_s, true}};
}

QString ResponseShaper::excerpt(const HttpResponse &response, qint64 maxBytes)
{
    if (response.body.isEmpty())
        return {};
    const QString mime = response.mimeType();
    const bool textual = mime.isEmpty() ? !response.body.contains('\0') : isTextType(mime);
    if (!textual)
        return u"[%1 of %2]"_s.arg(hints::formatSize(response.body.size()), mime);
    const QByteArray utf8 = decodeText(response.body, response.charset()).toUtf8();
    const QByteArray shown = cutUtf8(utf8, maxBytes);
    QString text = QString::fromUtf8(shown).trimmed();
    if (shown.size() < utf8.size() || !response.complete)
        text += u" …"_s;
    return text;
}

QString ResponseShaper::apiMessage(const HttpResponse &response)
{
    const auto parsed = parseJson(response.body);
    if (!parsed) {
        const QString mime = response.mimeType();
        if (mime == u"text/plain")
            return QString::fromUtf8(cutUtf8(response.body, 300)).trimmed();
        return {};
    }
    QJsonObject object = parsed->toObject();
    if (parsed->isArray() && !parsed->toArray().isEmpty())
        object = parsed->toArray().first().toObject();
    const QJsonValue error = object.value(u"error"_s);
    if (error.isObject()) {
        const QString nested = error.toObject().value(u"message"_s).toString();
        if (!nested.isEmpty())
            return nested;
    }
    for (const QString &key :
         {u"message"_s, u"detail"_s, u"error_description"_s, u"title"_s, u"error"_s, u"msg"_s}) {
        const QJsonValue v = object.value(key);
        if (v.isString() && !v.toString().trimmed().isEmpty())
            return v.toString().trimmed();
    }
    const QJsonArray errors = object.value(u"errors"_s).toArray();
    if (!errors.isEmpty()) {
        const QJsonValue first = errors.first();
        if (first.isString())
            return first.toString();
        const QString m = first.toObject().value(u"message"_s).toString();
        if (!m.isEmpty())
            return m;
    }
    return {};
}

QString ResponseShaper::httpErrorText(const HttpResponse &response, const QString &method,
                                      const QString &path, const QString &hint)
{
    QString text = hints::statusLine(response.status, response.reason, method, path);
    if (!hint.isEmpty())
        text += u'\n' + hint;
    const QString body = excerpt(response);
    if (!body.isEmpty())
        text += u"\n\n"_s + hints::bodyExcerptHeading() + u'\n' + body;
    return text;
}

// ---- shaping --------------------------------------------------------------------------------

ToolResult ResponseShaper::toolResult(const HttpResponse &response, const bridge::Tool &tool,
                                      QString *summary)
{
    const bridge::ResponseOptions &options = tool.response;
    const QByteArray contentType = response.header("content-type");
    QString mime = normalizeMimeType(mimeOf(contentType));
    const QString charset = charsetOf(contentType);
    const QString uri = options.resourceUri.isEmpty() ? response.url : options.resourceUri;
    auto result = [](const QJsonArray &content) { return QJsonObject{{u"content"_s, content}}; };
    auto setSummary = [summary](const QString &s) {
        if (summary)
            *summary = s;
    };

    if (response.body.isEmpty() && response.complete) {
        setSummary(u"no content"_s);
        return result({textBlock(hints::emptyBody(response.status, response.reason))});
    }

    // Without a declared type, sniff: JSON, else UTF-8 text, else bytes.
    if (mime.isEmpty()) {
        if (parseJson(response.body))
            mime = u"application/json"_s;
        else if (!response.body.contains('\0')
                 && QString::fromUtf8(response.body).toUtf8() == response.body)
            mime = u"text/plain"_s;
        else
            mime = u"application/octet-stream"_s;
    }

    if (options.as == u"resource") {
        QString kind;
        const QJsonArray blocks = shapeBody(mime, charset, response.body, response.totalBytes,
                                            response.complete, options, uri, true, &kind);
        setSummary(kind);
        return result(blocks);
    }

    if (mime.startsWith(u"multipart/"_s)) {
        const auto parts = parseMultipart(response.body, multipartBoundary(contentType));
        if (parts && response.complete) {
            QJsonArray blocks;
            for (const MultipartPart &part : *parts) {
                const QByteArray partType = part.header("content-type");
                const QString partMime = partType.isEmpty() ? u"text/plain"_s : mimeOf(partType);
                const QString location = QString::fromUtf8(part.header("content-location"));
                QString kind;
                const QJsonArray partBlocks = shapeBody(
                    partMime, charsetOf(partType), part.body, part.body.size(), true, options,
                    location.isEmpty() ? uri : location, !location.isEmpty(), &kind);
                for (const QJsonValue &b : partBlocks)
                    blocks.append(b);
            }
            setSummary(u"multipart, %1 parts"_s.arg(parts->size()));
            return result(blocks);
        }
        mime = u"text/plain"_s; // not really multipart: show what it is
    }

    if (isJsonType(mime) && options.as != u"text") {
        // Passed on as the API wrote it, minus the whitespace between tokens, unless fields or
        // maxItems reshape it: the API's key order and number spelling, fewer tokens for the
        // model, and no parse and re-serialisation for the common case. Only structured
        // content (an output schema) and reshaping need the parsed value.
        const bool reshaped = !options.fields.isEmpty() || options.maxItems >= 0;
        const std::optional<CompactJson> compacted
            = response.complete && !reshaped ? compactJson(response.body) : std::nullopt;
        const bool needsValue = !compacted || !tool.outputSchema.isEmpty();
        QString parseError;
        const auto parsed = response.complete && needsValue ? parseJson(response.body, &parseError)
                                                            : std::nullopt;
        if (needsValue && !parsed) {
            if (!response.complete)
                parseError = u"the answer was cut short"_s;
            setSummary(u"not JSON, shown as text"_s);
            const QString text = cappedText(decodeText(response.body, charset), options.maxBytes,
                                            response.totalBytes, response.complete);
            return result({textBlock(text + u"\n\n"_s + hints::notJson(mime, parseError))});
        }
        QJsonValue value;
        qint64 shownItems = 0, totalItems = 0;
        if (parsed) {
            value = keepFields(*parsed, options.fields);
            value = capItems(value, options.maxItems, &shownItems, &totalItems);
        }
        const QJsonValue::Type type = compacted ? compacted->type : value.type();
        const qsizetype count = compacted          ? compacted->count
                                : value.isArray()  ? value.toArray().size()
                                : value.isObject() ? value.toObject().size()
                                                   : 0;

        QJsonObject out;
        QString text;
        if (type == QJsonValue::Array && count == 0) {
            text = hints::emptyList();
            setSummary(u"JSON, empty list"_s);
        } else {
            if (type == QJsonValue::Array)
                setSummary(u"JSON, %1 items"_s.arg(count));
            else if (type == QJsonValue::Object)
                setSummary(u"JSON object, %1 keys"_s.arg(count));
            else
                setSummary(u"JSON %1"_s.arg(typeName(type)));
            if (compacted && tool.outputSchema.isEmpty())
                return textResult(compacted->text, options.maxBytes);
            text = cappedUtf8(compacted ? compacted->text : json::compact(value), options.maxBytes);
            if (totalItems > 0)
                text += u"\n\n"_s + hints::itemsCapped(shownItems, totalItems);
        }
        if (!tool.outputSchema.isEmpty()) {
            if (value.isObject()) {
                out.insert(u"structuredContent"_s, value.toObject());
            } else if (schemaWantsResultWrapper(tool.outputSchema)) {
                out.insert(u"structuredContent"_s, QJsonObject{{u"result"_s, value}});
            } else {
                setSummary(u"JSON %1 does not match the output schema"_s.arg(typeName(type)));
                return errorResult(hints::outputSchemaMismatch(typeName(type)));
            }
        }
        out.insert(u"content"_s, QJsonArray{textBlock(text)});
        return out;
    }

    QString kind;
    const QJsonArray blocks = shapeBody(mime, charset, response.body, response.totalBytes,
                                        response.complete, options, uri, false, &kind);
    setSummary(kind);
    return result(blocks);
}

QJsonArray ResponseShaper::resourceContents(const HttpResponse &response, const QString &uri,
                                            const QString &mimeType)
{
    const QString received = normalizeMimeType(response.mimeType());
    const QString mime = !mimeType.isEmpty()   ? mimeType
                         : !received.isEmpty() ? received
                                               : u"application/octet-stream"_s;
    const bool textual = received.isEmpty() ? isTextType(mime) : isTextType(received);
    QJsonObject content{{u"uri"_s, uri}, {u"mimeType"_s, mime}};
    if (textual)
        content.insert(u"text"_s, decodeText(response.body, response.charset()));
    else
        content.insert(u"blob"_s, QString::fromLatin1(response.body.toBase64()));
    return {content};
}

} // namespace mcpbridge::upstream
