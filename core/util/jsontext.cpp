#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QVariant>

#include <cmath>

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

// Writes a JSON string literal. Done by hand: going through QJsonDocument for every scalar
// made pretty() the largest single cost of a tool call (it shapes every JSON response).
static void appendString(QByteArray &out, QStringView text)
{
    static constexpr char hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    out.reserve(out.size() + utf8.size() + 2);
    out += '"';
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (u < 0x20) {
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

static void appendScalar(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String: appendString(out, value.toString()); return;
    case QJsonValue::Bool: out += value.toBool() ? "true" : "false"; return;
    case QJsonValue::Double: {
        const QVariant v = value.toVariant(); // keeps qint64 exact where Qt stored an integer
        if (v.typeId() == QMetaType::LongLong) {
            out += QByteArray::number(v.toLongLong());
            return;
        }
        const double d = value.toDouble();
        if (!std::isfinite(d)) { // JSON has no NaN or infinity; QJsonDocument writes null too
            out += "null";
            return;
        }
        out += QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
        return;
    }
    default: out += "null"; return;
    }
}

static QByteArray encodeScalar(const QJsonValue &value)
{
    QByteArray out;
    appendScalar(out, value);
    return out;
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
            out += inner;
            appendString(out, it.key());
            out += ": ";
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
        appendScalar(out, value);
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
