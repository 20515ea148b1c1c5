#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace mcpbridge::json {

TextPosition positionOf(const QByteArray &text, qsizetype offset)
{
    TextPosition pos;
    const qsizetype end = std::min(offset, text.size());
    for (qsizetype i = 0; i < end; ++i) {
        if (text.at(i) == '\n') {
            ++pos.line;
            pos.column = 1;
        } else {
            ++pos.column;
        }
    }
    return pos;
}

QString escapePointerToken(const QString &token)
{
    QString out = token;
    out.replace(u'~', u"~0"_s);
    out.replace(u'/', u"~1"_s);
    return out;
}

QString pointer(std::initializer_list<QString> tokens)
{
    QString out;
    for (const QString &t : tokens)
        out += u'/' + t;
    return out;
}

static QByteArray encodeScalar(const QJsonValue &value)
{
    // QJsonDocument cannot serialize a bare scalar; wrap it in an array and strip the brackets.
    QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return text.mid(1, text.size() - 2);
}

QByteArray compact(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    return encodeScalar(value);
}

static void writePretty(QByteArray &out, const QJsonValue &value, int depth)
{
    const QByteArray indent(depth * 2, ' ');
    const QByteArray inner((depth + 1) * 2, ' ');
    if (value.isObject()) {
        const QJsonObject obj = value.toObject();
        if (obj.isEmpty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        bool first = true;
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            if (!first)
                out += ",\n";
            first = false;
            out += inner + encodeScalar(it.key()) + ": ";
            writePretty(out, it.value(), depth + 1);
        }
        out += '\n' + indent + '}';
    } else if (value.isArray()) {
        const QJsonArray arr = value.toArray();
        if (arr.isEmpty()) {
            out += "[]";
            return;
        }
        out += "[\n";
        for (qsizetype i = 0; i < arr.size(); ++i) {
            if (i)
                out += ",\n";
            out += inner;
            writePretty(out, arr.at(i), depth + 1);
        }
        out += '\n' + indent + ']';
    } else {
        out += encodeScalar(value);
    }
}

QByteArray pretty(const QJsonValue &value)
{
    QByteArray out;
    writePretty(out, value, 0);
    out += '\n';
    return out;
}

} // namespace mcpbridge::json
