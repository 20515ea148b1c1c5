#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QVariant>

#include <array>
#include <cmath>
#include <cstring>

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

static void appendScalar(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String: appendCompactString(out, value.toString()); return;
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

// Extra bytes an ASCII character takes inside a JSON string as QJsonDocument writes it: 0, 1
// (\" \\ \b \f \n \r \t) or 5 (\u00XX). Bytes of multi-byte UTF-8 characters take none.
static constexpr std::array<uchar, 256> escapeExtra = [] {
    std::array<uchar, 256> extra{};
    for (int c = 0; c < 0x20; ++c)
        extra[c] = 5;
    for (const char c : {'"', '\\', '\b', '\f', '\n', '\r', '\t'})
        extra[uchar(c)] = 1;
    return extra;
}();

// Writes the escape of ASCII character `c` (one with escapeExtra[c] > 0) and returns the end.
template<typename Byte>
Byte *writeEscape(Byte *p, unsigned c)
{
    static constexpr char hex[] = "0123456789abcdef";
    *p++ = '\\';
    switch (c) {
    case '"': *p++ = '"'; break;
    case '\\': *p++ = '\\'; break;
    case '\b': *p++ = 'b'; break;
    case '\f': *p++ = 'f'; break;
    case '\n': *p++ = 'n'; break;
    case '\r': *p++ = 'r'; break;
    case '\t': *p++ = 't'; break;
    default:
        *p++ = 'u';
        *p++ = '0';
        *p++ = '0';
        *p++ = Byte(hex[c >> 4]);
        *p++ = Byte(hex[c & 0xf]);
    }
    return p;
}

// A string literal byte for byte as QJsonDocument writes it, in two passes (exact size, then
// the bytes) and without a UTF-8 copy of the text. A lone surrogate, which QJsonDocument writes
// as an escape, is rare enough to leave to QJsonDocument itself.
void appendCompactString(QByteArray &out, QStringView text)
{
    const char16_t *const begin = text.utf16();
    const char16_t *const end = begin + text.size();
    qsizetype length = 2;
    for (const char16_t *s = begin; s != end; ++s) {
        const char16_t u = *s;
        if (u < 0x80) {
            length += 1 + escapeExtra[u];
        } else if (u < 0x800) {
            length += 2;
        } else if (QChar::isHighSurrogate(u) && s + 1 != end && QChar::isLowSurrogate(s[1])) {
            length += 4;
            ++s;
        } else if (QChar::isSurrogate(u)) {
            const QByteArray wrapped
                = QJsonDocument(QJsonArray{text.toString()}).toJson(QJsonDocument::Compact);
            out.append(wrapped.constData() + 1, wrapped.size() - 2);
            return;
        } else {
            length += 3;
        }
    }
    const qsizetype start = out.size();
    out.resize(start + length);
    auto *p = reinterpret_cast<uchar *>(out.data() + start);
    *p++ = '"';
    for (const char16_t *s = begin; s != end; ++s) {
        const char16_t u = *s;
        if (u < 0x80) {
            if (escapeExtra[u])
                p = writeEscape(p, u);
            else
                *p++ = uchar(u);
        } else if (u < 0x800) {
            *p++ = uchar(0xc0 | (u >> 6));
            *p++ = uchar(0x80 | (u & 0x3f));
        } else if (QChar::isHighSurrogate(u)) { // a pair: checked above
            const char32_t c = QChar::surrogateToUcs4(u, *++s);
            *p++ = uchar(0xf0 | (c >> 18));
            *p++ = uchar(0x80 | ((c >> 12) & 0x3f));
            *p++ = uchar(0x80 | ((c >> 6) & 0x3f));
            *p++ = uchar(0x80 | (c & 0x3f));
        } else {
            *p++ = uchar(0xe0 | (u >> 12));
            *p++ = uchar(0x80 | ((u >> 6) & 0x3f));
            *p++ = uchar(0x80 | (u & 0x3f));
        }
    }
    *p = '"';
}

void appendCompactUtf8String(QByteArray &out, QByteArrayView utf8)
{
    // Only ASCII needs escaping, and with appendCompactString's escapes; the other bytes of
    // valid UTF-8 are what re-encoding the decoded text would give. Two passes (the exact size,
    // then the bytes) and one copy when nothing needs an escape, as is usual.
    const auto *const begin = reinterpret_cast<const uchar *>(utf8.data());
    const auto *const end = begin + utf8.size();
    qsizetype length = utf8.size() + 2;
    for (const uchar *s = begin; s != end; ++s)
        length += escapeExtra[*s];
    const qsizetype start = out.size();
    out.resize(start + length);
    char *p = out.data() + start;
    *p++ = '"';
    if (length == utf8.size() + 2) {
        if (!utf8.isEmpty())
            std::memcpy(p, begin, size_t(utf8.size()));
        p[utf8.size()] = '"';
        return;
    }
    for (const uchar *s = begin; s != end; ++s) {
        if (escapeExtra[*s])
            p = writeEscape(p, *s);
        else
            *p++ = char(*s);
    }
    *p = '"';
}

void appendCompact(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        out += '{';
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (it != object.constBegin())
                out += ',';
            appendCompactString(out, it.key());
            out += ':';
            appendCompact(out, it.value());
        }
        out += '}';
        return;
    }
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        out += '[';
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i > 0)
                out += ',';
            appendCompact(out, array.at(i));
        }
        out += ']';
        return;
    }
    case QJsonValue::String: appendCompactString(out, value.toString()); return;
    default: appendScalar(out, value); return;
    }
}

QByteArray compact(const QJsonValue &value)
{
    QByteArray out;
    appendCompact(out, value);
    return out;
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
            appendCompactString(out, it.key());
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
