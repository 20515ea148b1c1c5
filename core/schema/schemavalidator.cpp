// The only translation unit that includes valijson and nlohmann: their exceptions are caught
// here and never leave this file.

#include "core/schema/schemavalidator.h"

#include "core/schema/schemamessages.h"
#include "core/schema/schemanormalizer.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QVariant>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <cmath>
#include <regex>

using namespace Qt::StringLiterals;

namespace mcpbridge::schema {

namespace {

// valijson compares types strictly, so a whole number must be an integer on its side:
// QJsonValue built in code stores 3.0 as a double, and "type": "integer" must accept it.
nlohmann::json toNlohmann(const QJsonValue &value, int depth = 0)
{
    if (depth > 512)
        return nullptr;
    switch (value.type()) {
    case QJsonValue::Bool: return value.toBool();
    case QJsonValue::Double: {
        const QVariant v = value.toVariant();
        if (v.typeId() == QMetaType::LongLong)
            return qint64(v.toLongLong());
        const double d = value.toDouble();
        if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.2e18)
            return qint64(d);
        return d;
    }
    case QJsonValue::String: return value.toString().toStdString();
    case QJsonValue::Array: {
        nlohmann::json out = nlohmann::json::array();
        for (const QJsonValue &v : value.toArray())
            out.push_back(toNlohmann(v, depth + 1));
        return out;
    }
    case QJsonValue::Object: {
        nlohmann::json out = nlohmann::json::object();
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            out[it.key().toStdString()] = toNlohmann(it.value(), depth + 1);
        return out;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined: break;
    }
    return nullptr;
}

valijson::SchemaParser::Version engineVersion(detail::Dialect dialect)
{
    switch (dialect) {
    case detail::Dialect::Draft3: return valijson::SchemaParser::kDraft3;
    case detail::Dialect::Draft4: return valijson::SchemaParser::kDraft4;
    case detail::Dialect::Draft7:
    case detail::Dialect::Draft2020: break;
    }
    return valijson::SchemaParser::kDraft7;
}

// std::regex (what the engine uses) throws on a pattern it cannot compile; find that while
// compiling the schema, with the place, instead of while validating a tool call.
// Also checks the shape of common keywords and local references, so the message names where
// the problem is (the engine's own messages do not).
std::optional<QString> checkPatterns(const QJsonValue &node, const QString &where, int depth,
                                     const QJsonObject *root)
{
    if (depth > 200)
        return std::nullopt;
    auto tryPattern = [&](const QString &pattern, const QString &at) -> std::optional<QString> {
        try {
            std::regex re(pattern.toStdString());
            Q_UNUSED(re);
        } catch (const std::exception &) {
            return u"%1: the regular expression \"%2\" is not valid"_s.arg(at, pattern);
        }
        return std::nullopt;
    };
    if (node.isObject()) {
        const QJsonObject o = node.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString at = where + u'/' + it.key();
            const QJsonValue v = it.value();
            const QString key = it.key();
            if (key == "$ref"_L1 && v.isString()) {
                const QString ref = v.toString();
                if (!ref.startsWith(u'#'))
                    return u"%1: \"%2\" refers to another document, which is not supported "
                           "(copy the definition into \"$defs\")"_s.arg(at, ref);
                if (detail::resolveLocalRef(*root, ref).isUndefined())
                    return u"%1: \"%2\" points to nothing in this schema"_s.arg(at, ref);
            }
            if (key == "required"_L1 && !v.isArray())
                return u"%1: must be a list of property names"_s.arg(at);
            if ((key == "enum"_L1 || key == "allOf"_L1 || key == "anyOf"_L1 || key == "oneOf"_L1)
                && !v.isArray())
                return u"%1: must be a list"_s.arg(at);
            if ((key == "properties"_L1 || key == "$defs"_L1 || key == "definitions"_L1
                 || key == "patternProperties"_L1)
                && !v.isObject())
                return u"%1: must be an object"_s.arg(at);
            static const QStringList numeric{
                u"minimum"_s,  u"maximum"_s,  u"multipleOf"_s,    u"minLength"_s,    u"maxLength"_s,
                u"minItems"_s, u"maxItems"_s, u"minProperties"_s, u"maxProperties"_s};
            if (numeric.contains(key) && !v.isDouble())
                return u"%1: must be a number"_s.arg(at);
            if (it.key() == "pattern"_L1 && it.value().isString()) {
                if (auto bad = tryPattern(it.value().toString(), at))
                    return bad;
            } else if (it.key() == "patternProperties"_L1 && it.value().isObject()) {
                const QJsonObject pp = it.value().toObject();
                for (auto p = pp.begin(); p != pp.end(); ++p) {
                    if (auto bad = tryPattern(p.key(), at))
                        return bad;
                }
            }
            if (it.key() == "enum"_L1 || it.key() == "const"_L1 || it.key() == "default"_L1
                || it.key() == "examples"_L1)
                continue;
            // In these the keys are names, not keywords: check each value as a schema.
            if ((key == "properties"_L1 || key == "patternProperties"_L1 || key == "$defs"_L1
                 || key == "definitions"_L1 || key == "dependencies"_L1
                 || key == "dependentSchemas"_L1)
                && v.isObject()) {
                const QJsonObject map = v.toObject();
                for (auto m = map.begin(); m != map.end(); ++m) {
                    if (auto bad = checkPatterns(m.value(), at + u'/' + m.key(), depth + 1, root))
                        return bad;
                }
                continue;
            }
            if (auto bad = checkPatterns(it.value(), at, depth + 1, root))
                return bad;
        }
    } else if (node.isArray()) {
        const QJsonArray a = node.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (auto bad
                = checkPatterns(a.at(i), where + u'/' + QString::number(i), depth + 1, root))
                return bad;
        }
    }
    return std::nullopt;
}

// libstdc++'s std::regex recurses once or more per character: a 20000-character string
// overflowed an 8 MB stack in our tests (about 500 bytes per character). Strings longer than
// this never reach it; their patterns are checked with QRegularExpression instead.
constexpr qsizetype MaxEngineRegexInput = 256;

struct StringAt
{
    QStringList tokens;
    QString value;
};

// Bytes of `text` in UTF-8, without making the UTF-8 copy.
qsizetype utf8Length(QStringView text)
{
    qsizetype length = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text[i].unicode();
        if (u < 0x80) {
            length += 1;
        } else if (u < 0x800) {
            length += 2;
        } else if (!QChar::isSurrogate(u)) {
            length += 3;
        } else if (QChar::isHighSurrogate(u) && i + 1 < text.size()
                   && QChar::isLowSurrogate(text[i + 1].unicode())) {
            length += 4;
            ++i;
        } else {
            return text.toUtf8().size(); // a lone surrogate: as QString::toUtf8 writes it
        }
    }
    return length;
}

// The length of the longest string and object key in the instance (and where the longest key
// is, when `keyPath`), and with `out` every string with its location. Locations are built only
// when asked for: most calls need neither.
void collectStrings(const QJsonValue &v, QStringList &tokens, QList<StringAt> *out,
                    qsizetype &longestString, qsizetype &longestKey, QStringList *keyPath,
                    int depth = 0)
{
    if (depth > 512)
        return;
    const bool paths = out || keyPath;
    if (v.isString()) {
        const QString s = v.toString();
        longestString = std::max(longestString, utf8Length(s));
        if (out)
            out->append(StringAt{tokens, s});
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (paths)
                tokens.append(QString::number(i));
            collectStrings(a.at(i), tokens, out, longestString, longestKey, keyPath, depth + 1);
            if (paths)
                tokens.removeLast();
        }
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString key = it.key();
            const qsizetype keyLength = utf8Length(key);
            if (keyLength > longestKey) {
                longestKey = keyLength;
                if (keyPath)
                    *keyPath = tokens;
            }
            if (paths)
                tokens.append(key);
            collectStrings(it.value(), tokens, out, longestString, longestKey, keyPath, depth + 1);
            if (paths)
                tokens.removeLast();
        }
    }
}

QString pointerOf(const QStringList &tokens)
{
    QString out;
    for (QString t : tokens)
        out += u'/' + t.replace(u'~', u"~0"_s).replace(u'/', u"~1"_s);
    return out;
}

bool containsKeyword(const QJsonValue &node, QLatin1StringView keyword, int depth = 0)
{
    if (depth > 200)
        return false;
    if (node.isObject()) {
        const QJsonObject o = node.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.key() == keyword || containsKeyword(it.value(), keyword, depth + 1))
                return true;
        }
    } else if (node.isArray()) {
        for (const QJsonValue &v : node.toArray()) {
            if (containsKeyword(v, keyword, depth + 1))
                return true;
        }
    }
    return false;
}

QStringList tokensOf(const std::vector<std::string> &context)
{
    QStringList tokens;
    for (const std::string &part : context) {
        if (part == "<root>")
            continue;
        QString token = QString::fromStdString(part);
        if (token.startsWith(u'[') && token.endsWith(u']'))
            token = token.mid(1, token.size() - 2);
        tokens << token;
    }
    return tokens;
}

} // namespace

QString Problem::toString() const
{
    return (pointer.isEmpty() ? u"/"_s : pointer) + u": "_s + message;
}

struct CompiledSchema::Impl
{
    QJsonObject normalized;
    nlohmann::json document;
    valijson::Schema schema;
    // The same schema without "pattern", used when the instance has long strings.
    bool hasPatterns = false;
    bool hasPatternProperties = false;
    nlohmann::json documentWithoutPatterns;
    valijson::Schema schemaWithoutPatterns;
};

CompiledSchema::CompiledSchema() = default;
CompiledSchema::~CompiledSchema() = default;
CompiledSchema::CompiledSchema(CompiledSchema &&) noexcept = default;
CompiledSchema &CompiledSchema::operator=(CompiledSchema &&) noexcept = default;

std::expected<CompiledSchema, QString> CompiledSchema::compile(const QJsonObject &schema)
{
    const detail::Dialect dialect = detail::dialectOf(schema);
    if (auto bad = checkPatterns(schema, QString(), 0, &schema))
        return std::unexpected(u"The schema is not usable: "_s + *bad);
    CompiledSchema compiled;
    compiled.d = std::make_unique<Impl>();
    compiled.d->normalized = detail::normalize(schema, dialect);
    try {
        compiled.d->document = toNlohmann(compiled.d->normalized);
        valijson::SchemaParser parser(engineVersion(dialect));
        valijson::adapters::NlohmannJsonAdapter adapter(compiled.d->document);
        // No fetch function: a reference to another document fails to compile instead of
        // reaching out to the network.
        parser.populateSchema(adapter, compiled.d->schema);
        compiled.d->hasPatternProperties = containsKeyword(schema, "patternProperties"_L1);
        const QJsonObject withoutPatterns = detail::normalize(schema, dialect, true);
        if (withoutPatterns != compiled.d->normalized) {
            compiled.d->hasPatterns = true;
            compiled.d->documentWithoutPatterns = toNlohmann(withoutPatterns);
            valijson::SchemaParser plainParser(engineVersion(dialect));
            valijson::adapters::NlohmannJsonAdapter plain(compiled.d->documentWithoutPatterns);
            plainParser.populateSchema(plain, compiled.d->schemaWithoutPatterns);
        }
    } catch (const std::exception &e) {
        return std::unexpected(u"The schema is not usable: "_s + QString::fromUtf8(e.what()));
    } catch (...) {
        return std::unexpected(u"The schema is not usable (unknown error while reading it)"_s);
    }
    return compiled;
}

QList<Problem> CompiledSchema::validate(const QJsonValue &instance) const
{
    if (!d)
        return {Problem{QString(), u"no schema was compiled"_s}};
    QList<StringAt> strings;
    qsizetype longestString = 0;
    qsizetype longestKey = 0;
    QStringList longKeyAt;
    QStringList tokens;
    collectStrings(instance, tokens, nullptr, longestString, longestKey,
                   d->hasPatternProperties ? &longKeyAt : nullptr);
    if (d->hasPatternProperties && longestKey > MaxEngineRegexInput) {
        return {Problem{pointerOf(longKeyAt),
                        u"has a property name that is too long to check (%1 bytes; at most %2)"_s
                            .arg(longestKey)
                            .arg(MaxEngineRegexInput)}};
    }
    const bool checkPatternsHere = d->hasPatterns && longestString > MaxEngineRegexInput;
    const valijson::Schema &engineSchema = checkPatternsHere ? d->schemaWithoutPatterns : d->schema;

    QList<Problem> patternProblems;
    if (checkPatternsHere) {
        qsizetype ignoredString = 0, ignoredKey = 0;
        collectStrings(instance, tokens, &strings, ignoredString, ignoredKey, nullptr);
        // Approximation: every pattern of a subschema that may apply at the string's location
        // must match (exact for patterns outside anyOf/oneOf/not/if).
        for (const StringAt &s : std::as_const(strings)) {
            for (const QJsonObject &sub : detail::schemasAt(d->normalized, s.tokens)) {
                const QJsonValue pattern = sub.value("pattern"_L1);
                if (!pattern.isString())
                    continue;
                const QRegularExpression re(pattern.toString());
                if (re.isValid() && !re.match(s.value).hasMatch()) {
                    // PCRE2 gives up (reported as "no match") when its stack limit is hit.
                    const QString note
                        = s.value.size() > 4096
                              ? u" (or is too long to check: %1 characters)"_s.arg(s.value.size())
                              : QString();
                    patternProblems << Problem{
                        pointerOf(s.tokens),
                        u"must match the pattern \"%1\"%2"_s.arg(pattern.toString(), note)};
                }
            }
        }
    }

    QList<detail::RawError> raw;
    try {
        const nlohmann::json target = toNlohmann(instance);
        valijson::adapters::NlohmannJsonAdapter adapter(target);
        valijson::Validator validator(valijson::Validator::kStrongTypes);
        valijson::ValidationResults results;
        if (validator.validate(engineSchema, adapter, &results))
            return patternProblems;
        valijson::ValidationResults::Error error;
        while (results.popError(error))
            raw << detail::RawError{tokensOf(error.context),
                                    QString::fromStdString(error.description)};
    } catch (const std::exception &e) {
        return {Problem{QString(), u"the value could not be checked against its schema: "_s
                                       + QString::fromUtf8(e.what())}};
    }
    QList<Problem> problems = detail::describe(d->normalized, instance, raw);
    problems += patternProblems;
    if (problems.isEmpty())
        problems << Problem{QString(), u"does not match the schema"_s};
    return problems;
}

} // namespace mcpbridge::schema
