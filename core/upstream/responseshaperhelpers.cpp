#include "core/upstream/responseshaper.h"

#include <QJsonDocument>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

// ResponseShaper's building blocks: media types, charsets, UTF-8 cuts, JSON parsing and field
// selection. Split out of responseshaper.cpp for size.

namespace mcpbridge::upstream {

namespace {

QJsonValue keepPaths(const QJsonValue &value, const QList<QStringList> &paths)
{
    for (const QStringList &path : paths) {
        if (path.isEmpty())
            return value;
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        bool numeric = true;
        for (const QStringList &path : paths) {
            bool ok = false;
            path.first().toInt(&ok);
            numeric = numeric && ok;
        }
        QJsonArray out;
        if (numeric) {
            for (qsizetype i = 0; i < array.size(); ++i) {
                QList<QStringList> rests;
                for (const QStringList &path : paths) {
                    if (path.first().toInt() == i)
                        rests.append(path.mid(1));
                }
                if (!rests.isEmpty())
                    out.append(keepPaths(array.at(i), rests));
            }
        } else {
            for (const QJsonValue &item : array)
                out.append(keepPaths(item, paths));
        }
        return out;
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        QJsonObject out;
        for (auto it = object.begin(); it != object.end(); ++it) {
            QList<QStringList> rests;
            for (const QStringList &path : paths) {
                if (path.first() == it.key())
                    rests.append(path.mid(1));
            }
            if (!rests.isEmpty()) {
                const QJsonValue kept = keepPaths(it.value(), rests);
                if (!kept.isUndefined())
                    out.insert(it.key(), kept);
            }
        }
        return out;
    }
    return QJsonValue(QJsonValue::Undefined);
}

} // namespace

qint64 ResponseShaper::binaryLimit(qint64 maxBytes)
{
    return std::max<qint64>(maxBytes, 5 * 1024 * 1024);
}

bool ResponseShaper::isJsonType(const QString &mimeType)
{
    return mimeType == u"application/json" || mimeType == u"text/json"
           || mimeType.endsWith(u"+json"_s);
}

bool ResponseShaper::isTextType(const QString &mimeType)
{
    static const QStringList textual = {u"application/json"_s,
                                        u"application/xml"_s,
                                        u"application/javascript"_s,
                                        u"application/ecmascript"_s,
                                        u"application/x-www-form-urlencoded"_s,
                                        u"application/yaml"_s,
                                        u"application/x-yaml"_s,
                                        u"application/graphql"_s,
                                        u"application/sql"_s,
                                        u"application/x-ndjson"_s,
                                        u"application/csv"_s};
    return mimeType.startsWith(u"text/"_s) || textual.contains(mimeType)
           || mimeType.endsWith(u"+json"_s) || mimeType.endsWith(u"+xml"_s);
}

QString ResponseShaper::normalizeMimeType(const QString &mimeType)
{
    const QString m = mimeType.trimmed().toLower();
    if (m == u"audio/x-wav" || m == u"audio/wave" || m == u"audio/vnd.wave"
        || m == u"audio/x-pn-wav")
        return u"audio/wav"_s;
    if (m == u"audio/mp3" || m == u"audio/x-mp3" || m == u"audio/mpeg3")
        return u"audio/mpeg"_s;
    if (m == u"image/jpg" || m == u"image/pjpeg")
        return u"image/jpeg"_s;
    return m;
}

QString ResponseShaper::decodeText(const QByteArray &bytes, const QString &charset)
{
    if (charset.isEmpty() || charset == u"utf-8" || charset == u"utf8" || charset == u"us-ascii"
        || charset == u"ascii") {
        return QString::fromUtf8(bytes);
    }
    if (charset == u"iso-8859-1" || charset == u"latin1" || charset == u"iso8859-1"
        || charset == u"latin-1" || charset == u"windows-1252" || charset == u"cp1252") {
        // windows-1252 differs from Latin-1 only in 0x80-0x9F; close enough for a model.
        return QString::fromLatin1(bytes);
    }
    QStringDecoder decoder(charset.toLatin1().constData());
    if (!decoder.isValid())
        return QString::fromUtf8(bytes);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return QString::fromUtf8(bytes);
    return text;
}

QByteArray ResponseShaper::cutUtf8(const QByteArray &utf8, qint64 maxBytes)
{
    if (utf8.size() <= maxBytes)
        return utf8;
    qsizetype end = qsizetype(std::max<qint64>(0, maxBytes));
    // Step back over continuation bytes (10xxxxxx) so no character is split.
    while (end > 0 && (uchar(utf8.at(end)) & 0xC0) == 0x80)
        --end;
    return utf8.left(end);
}

std::optional<QJsonValue> ResponseShaper::parseJson(const QByteArray &bytes, QString *error)
{
    // QJsonDocument only takes objects and arrays at the top; wrapping takes any value.
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + bytes + "\n]", &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1) {
        if (error) {
            *error = parseError.error != QJsonParseError::NoError
                         ? u"%1 at byte %2"_s.arg(parseError.errorString())
                               .arg(std::max(0, parseError.offset - 1))
                         : u"more than one JSON value"_s;
        }
        return std::nullopt;
    }
    return doc.array().at(0);
}

QJsonValue ResponseShaper::keepFields(const QJsonValue &value, const QStringList &pointers)
{
    if (pointers.isEmpty())
        return value;
    QList<QStringList> paths;
    for (const QString &pointer : pointers) {
        QStringList tokens = pointer.split(u'/');
        if (!tokens.isEmpty() && tokens.first().isEmpty())
            tokens.removeFirst(); // the empty token before the leading "/"
        for (QString &token : tokens)
            token.replace(u"~1"_s, u"/"_s).replace(u"~0"_s, u"~"_s);
        if (pointer.isEmpty())
            tokens.clear();
        paths.append(tokens);
    }
    const QJsonValue kept = keepPaths(value, paths);
    return kept.isUndefined() ? QJsonValue(QJsonObject()) : kept;
}

} // namespace mcpbridge::upstream
