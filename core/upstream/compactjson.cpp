#include "core/upstream/compactjson.h"

#include <QVarLengthArray>

namespace mcpbridge::upstream {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isHex(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The string starting at `p` (on its opening quote) is copied to `out` as it is; returns the
// position after its closing quote, or nullptr when it is not a valid JSON string of UTF-8.
const char *copyString(const char *p, const char *end, QByteArray &out)
{
    const char *start = p++;
    while (p < end) {
        const auto c = static_cast<unsigned char>(*p);
        if (c == '"') {
            ++p;
            out.append(start, p - start);
            return p;
        }
        if (c < 0x20)
            return nullptr;
        if (c == '\\') {
            if (++p == end)
                return nullptr;
            switch (*p) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't': ++p; break;
            case 'u':
                if (end - p < 5 || !isHex(p[1]) || !isHex(p[2]) || !isHex(p[3]) || !isHex(p[4]))
                    return nullptr;
                p += 5;
                break;
            default: return nullptr;
            }
            continue;
        }
        if (c < 0x80) {
            ++p;
            continue;
        }
        // A multi-byte UTF-8 sequence: no overlong forms, no surrogates, nothing past U+10FFFF.
        int extra = 0;
        unsigned char low = 0x80, high = 0xbf; // allowed range of the second byte
        if (c >= 0xc2 && c <= 0xdf) {
            extra = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            extra = 2;
            if (c == 0xe0)
                low = 0xa0;
            else if (c == 0xed)
                high = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            extra = 3;
            if (c == 0xf0)
                low = 0x90;
            else if (c == 0xf4)
                high = 0x8f;
        } else {
            return nullptr;
        }
        if (end - p <= extra)
            return nullptr;
        const auto second = static_cast<unsigned char>(p[1]);
        if (second < low || second > high)
            return nullptr;
        for (int i = 2; i <= extra; ++i) {
            if ((static_cast<unsigned char>(p[i]) & 0xc0) != 0x80)
                return nullptr;
        }
        p += extra + 1;
    }
    return nullptr;
}

// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
const char *copyNumber(const char *p, const char *end, QByteArray &out)
{
    const char *start = p;
    if (p < end && *p == '-')
        ++p;
    if (p == end)
        return nullptr;
    if (*p == '0') {
        ++p;
    } else if (*p >= '1' && *p <= '9') {
        while (p < end && isDigit(*p))
            ++p;
    } else {
        return nullptr;
    }
    if (p < end && *p == '.') {
        const char *digits = ++p;
        while (p < end && isDigit(*p))
            ++p;
        if (p == digits)
            return nullptr;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        if (p < end && (*p == '+' || *p == '-'))
            ++p;
        const char *digits = p;
        while (p < end && isDigit(*p))
            ++p;
        if (p == digits)
            return nullptr;
    }
    out.append(start, p - start);
    return p;
}

const char *copyLiteral(const char *p, const char *end, QByteArrayView word, QByteArray &out)
{
    if (end - p < word.size() || QByteArrayView(p, word.size()) != word)
        return nullptr;
    out.append(word);
    return p + word.size();
}

} // namespace

std::optional<CompactJson> compactJson(QByteArrayView json)
{
    enum class Next { Value, FirstValue, Key, FirstKey, Colon, CommaOrClose, Done };
    CompactJson result;
    QByteArray &out = result.text;
    out.reserve(json.size());
    const char *p = json.data();
    const char *const end = p + json.size();
    QVarLengthArray<char, 32> open; // '{' and '[' still open, innermost last
    Next next = Next::Value;

    auto close = [&] {
        out += *p++;
        open.removeLast();
        next = open.isEmpty() ? Next::Done : Next::CommaOrClose;
    };

    for (;;) {
        while (p < end && isSpace(*p))
            ++p;
        if (p == end)
            break;
        const char c = *p;
        switch (next) {
        case Next::Done: return std::nullopt; // something after the value
        case Next::Colon:
            if (c != ':')
                return std::nullopt;
            out += ':';
            ++p;
            next = Next::Value;
            continue;
        case Next::CommaOrClose:
            if (c == ',') {
                out += ',';
                ++p;
                next = open.last() == '{' ? Next::Key : Next::Value;
            } else if (c == (open.last() == '{' ? '}' : ']')) {
                close();
            } else {
                return std::nullopt;
            }
            continue;
        case Next::FirstKey:
            if (c == '}') {
                close();
                continue;
            }
            [[fallthrough]];
        case Next::Key:
            if (c != '"')
                return std::nullopt;
            if (open.size() == 1)
                ++result.count;
            p = copyString(p, end, out);
            if (!p)
                return std::nullopt;
            next = Next::Colon;
            continue;
        case Next::FirstValue:
            if (c == ']') {
                close();
                continue;
            }
            [[fallthrough]];
        case Next::Value:
            if (open.size() == 1 && open.last() == '[')
                ++result.count;
            if (c == '{' || c == '[') {
                if (open.size() >= CompactJsonMaxDepth)
                    return std::nullopt;
                if (open.isEmpty())
                    result.type = c == '{' ? QJsonValue::Object : QJsonValue::Array;
                open.append(c);
                out += c;
                ++p;
                next = c == '{' ? Next::FirstKey : Next::FirstValue;
                continue;
            }
            QJsonValue::Type type = QJsonValue::Double;
            if (c == '"') {
                type = QJsonValue::String;
                p = copyString(p, end, out);
            } else if (c == 't') {
                type = QJsonValue::Bool;
                p = copyLiteral(p, end, "true", out);
            } else if (c == 'f') {
                type = QJsonValue::Bool;
                p = copyLiteral(p, end, "false", out);
            } else if (c == 'n') {
                type = QJsonValue::Null;
                p = copyLiteral(p, end, "null", out);
            } else {
                p = copyNumber(p, end, out);
            }
            if (!p)
                return std::nullopt;
            if (open.isEmpty())
                result.type = type;
            next = open.isEmpty() ? Next::Done : Next::CommaOrClose;
            continue;
        }
    }
    if (next != Next::Done)
        return std::nullopt;
    return result;
}

} // namespace mcpbridge::upstream
