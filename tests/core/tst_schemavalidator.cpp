#include "core/schema/schemavalidator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge::schema;

// Declared before the raw-string schemas below: moc stops reading at them.
class TestSchemaValidator : public QObject
{
    Q_OBJECT

private slots:
    void validate_data();
    void validate();
    void everyProblemReported();
    void draft7Schema_data();
    void draft7Schema();
    void badSchemaRejected_data();
    void badSchemaRejected();
    void longStringsDoNotCrash_data();
    void longStringsDoNotCrash();
    void keywordNamedProperties();
    void emptySchemaAcceptsAnything();
    void movedSchemaStillWorks();
};

namespace {

QJsonObject object(const char *json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(json), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", qPrintable(error.errorString()));
    return doc.object();
}

QJsonValue value(const QByteArray &json)
{
    return QJsonDocument::fromJson("[" + json + "]").array().at(0);
}

QStringList texts(const QList<Problem> &problems)
{
    QStringList out;
    for (const Problem &p : problems)
        out << p.toString();
    return out;
}

const char *recipeSchema = R"({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["id"],
  "additionalProperties": false,
  "properties": {
    "id": {"type": "integer"},
    "title": {"type": "string", "minLength": 2, "maxLength": 10},
    "servings": {"type": "integer", "minimum": 1, "maximum": 12},
    "ratio": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.25},
    "unit": {"$ref": "#/$defs/unit"},
    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2, "uniqueItems": true},
    "kind": {"const": "recipe"},
    "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    "level": {"oneOf": [{"const": "easy", "title": "Easy"}, {"const": "hard", "title": "Hard"}]},
    "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
    "when": {"type": "string", "format": "date-time"},
    "color": {"type": "string", "format": "no-such-format"},
    "ingredient": {"$ref": "#/$defs/ingredient"},
    "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}],
             "items": false}
  },
  "$defs": {
    "unit": {"type": "string", "enum": ["g", "kg"]},
    "ingredient": {
      "type": "object",
      "required": ["name"],
      "properties": {"name": {"type": "string"}, "unit": {"$ref": "#/$defs/unit"}}
    }
  }
})";

} // namespace

void TestSchemaValidator::validate_data()
{
    QTest::addColumn<QByteArray>("instance");
    QTest::addColumn<QString>("pointer"); // "-" for a valid instance
    QTest::addColumn<QString>("message"); // substring of that problem's message

    QTest::newRow("minimal") << R"({"id": 1})"_ba << u"-"_s << QString();
    QTest::newRow("everything valid")
        << R"({"id": 1, "title": "Soup", "servings": 4, "ratio": 0.75, "unit": "kg",
              "tags": ["a", "b"], "kind": "recipe", "note": null, "level": "hard",
              "code": "ABC", "when": "not a date", "color": "x",
              "ingredient": {"name": "salt", "unit": "g"}, "pair": ["a", 1]})"_ba
        << u"-"_s << QString();
    QTest::newRow("3.0 counts as integer")
        << R"({"id": 3.0, "servings": 2.0})"_ba << u"-"_s << QString();
    QTest::newRow("missing required")
        << R"({})"_ba << u""_s << u"missing required property \"id\""_s;
    QTest::newRow("below minimum")
        << R"({"id": 1, "servings": 0})"_ba << u"/servings"_s << u"must be at least 1"_s;
    QTest::newRow("above maximum")
        << R"({"id": 1, "servings": 13})"_ba << u"/servings"_s << u"must be at most 12"_s;
    QTest::newRow("exclusive minimum")
        << R"({"id": 1, "ratio": 0})"_ba << u"/ratio"_s << u"must be greater than 0"_s;
    QTest::newRow("multipleOf") << R"({"id": 1, "ratio": 0.3})"_ba << u"/ratio"_s
                                << u"must be a multiple of 0.25"_s;
    QTest::newRow("fraction for integer")
        << R"({"id": 1.5})"_ba << u"/id"_s << u"must be an integer"_s;
    QTest::newRow("string for integer") << R"({"id": "1"})"_ba << u"/id"_s
                                        << u"must be an integer (a whole number), not a string"_s;
    QTest::newRow("enum via $defs ref")
        << R"({"id": 1, "unit": "lb"})"_ba << u"/unit"_s << u"must be one of \"g\", \"kg\""_s;
    QTest::newRow("nested ref and required")
        << R"({"id": 1, "ingredient": {"unit": "g"}})"_ba << u"/ingredient"_s
        << u"missing required property \"name\""_s;
    QTest::newRow("nested enum") << R"({"id": 1, "ingredient": {"name": "s", "unit": "oz"}})"_ba
                                 << u"/ingredient/unit"_s << u"must be one of \"g\", \"kg\""_s;
    QTest::newRow("additional property") << R"({"id": 1, "extra": true})"_ba << u""_s
                                         << u"unknown property \"extra\" is not allowed"_s;
    QTest::newRow("const") << R"({"id": 1, "kind": "menu"})"_ba << u"/kind"_s
                           << u"must be exactly \"recipe\""_s;
    QTest::newRow("anyOf of types") << R"({"id": 1, "note": 5})"_ba << u"/note"_s
                                    << u"must be a string or null, not the integer 5"_s;
    QTest::newRow("oneOf of consts") << R"({"id": 1, "level": "medium"})"_ba << u"/level"_s
                                     << u"must be one of \"easy\", \"hard\""_s;
    QTest::newRow("pattern") << R"({"id": 1, "code": "abc"})"_ba << u"/code"_s
                             << u"must match the pattern \"^[A-Z]{3}$\""_s;
    QTest::newRow("too short") << R"({"id": 1, "title": "S"})"_ba << u"/title"_s
                               << u"at least 2 characters"_s;
    QTest::newRow("too long") << R"({"id": 1, "title": "Soup of the day"})"_ba << u"/title"_s
                              << u"at most 10 characters"_s;
    QTest::newRow("array item type")
        << R"({"id": 1, "tags": ["a", 2]})"_ba << u"/tags/1"_s << u"must be a string"_s;
    QTest::newRow("too many items")
        << R"({"id": 1, "tags": ["a", "b", "c"]})"_ba << u"/tags"_s << u"at most 2 items"_s;
    QTest::newRow("duplicates") << R"({"id": 1, "tags": ["a", "a"]})"_ba << u"/tags"_s
                                << u"must not contain duplicates"_s;
    QTest::newRow("2020-12 prefixItems")
        << R"({"id": 1, "pair": [1, 1]})"_ba << u"/pair/0"_s << u"must be a string"_s;
    QTest::newRow("2020-12 items false")
        << R"({"id": 1, "pair": ["a", 1, 2]})"_ba << u"/pair"_s << u"more items than allowed"_s;
    QTest::newRow("not an object") << R"([1])"_ba << u""_s << u"must be an object, not an array"_s;
}

void TestSchemaValidator::validate()
{
    QFETCH(QByteArray, instance);
    QFETCH(QString, pointer);
    QFETCH(QString, message);

    const auto schema = CompiledSchema::compile(object(recipeSchema));
    QVERIFY2(schema.has_value(), qPrintable(schema ? QString() : schema.error()));
    const QJsonValue v = value(instance);
    QVERIFY(!v.isUndefined());
    const QList<Problem> problems = schema->validate(v);
    if (pointer == "-"_L1) {
        QVERIFY2(problems.isEmpty(), qPrintable(texts(problems).join(u"; "_s)));
        return;
    }
    const bool found = std::any_of(problems.cbegin(), problems.cend(), [&](const Problem &p) {
        return p.pointer == pointer && p.message.contains(message);
    });
    QVERIFY2(found, qPrintable(texts(problems).join(u"; "_s)));
    // No engine jargon leaks into messages for people.
    for (const Problem &p : problems) {
        QVERIFY2(!p.message.contains(u"constraint"_s), qPrintable(p.message));
        QVERIFY2(!p.message.contains(u"<root>"_s), qPrintable(p.message));
    }
}

void TestSchemaValidator::everyProblemReported()
{
    const auto schema = CompiledSchema::compile(object(recipeSchema));
    QVERIFY(schema.has_value());
    const QList<Problem> problems
        = schema->validate(value(R"({"servings": 0, "unit": "lb", "extra": 1, "more": 2})"));
    const QStringList t = texts(problems);
    QVERIFY2(t.contains(u"/servings: must be at least 1"_s), qPrintable(t.join(u"; "_s)));
    QVERIFY(t.contains(u"/unit: must be one of \"g\", \"kg\""_s));
    QVERIFY(t.contains(u"/: missing required property \"id\""_s));
    // Both unknown properties are named, not only the first.
    QVERIFY(std::any_of(t.cbegin(), t.cend(),
                        [](const QString &s) { return s.contains(u"\"extra\""_s); }));
    QVERIFY(std::any_of(t.cbegin(), t.cend(),
                        [](const QString &s) { return s.contains(u"\"more\""_s); }));
    QCOMPARE(problems.size(), 5);
}

void TestSchemaValidator::draft7Schema_data()
{
    QTest::addColumn<QByteArray>("instance");
    QTest::addColumn<int>("problems");
    QTest::newRow("valid") << R"({"a": {"b": "x"}})"_ba << 0;
    QTest::newRow("definitions ref") << R"({"a": {"b": 1}})"_ba << 1;
    // In draft 7 a "$ref" ignores its siblings: "required" beside it has no effect.
    QTest::newRow("ref siblings ignored") << R"({"c": {}})"_ba << 0;
}

void TestSchemaValidator::draft7Schema()
{
    QFETCH(QByteArray, instance);
    QFETCH(int, problems);
    const auto schema = CompiledSchema::compile(object(R"({
      "$schema": "http://json-schema.org/draft-07/schema#",
      "definitions": {"b": {"type": "object", "properties": {"b": {"type": "string"}}}},
      "properties": {"a": {"$ref": "#/definitions/b"},
                     "c": {"$ref": "#/definitions/b", "required": ["zz"]}}
    })"));
    QVERIFY2(schema.has_value(), qPrintable(schema ? QString() : schema.error()));
    QCOMPARE(schema->validate(value(instance)).size(), problems);

    // Without "$schema" (MCP's default dialect is 2020-12) the sibling does apply.
    const auto modern = CompiledSchema::compile(object(R"({
      "$defs": {"b": {"type": "object"}},
      "properties": {"c": {"$ref": "#/$defs/b", "required": ["zz"]}}
    })"));
    QVERIFY(modern.has_value());
    const auto found = modern->validate(value(R"({"c": {}})"));
    QCOMPARE(texts(found), QStringList{u"/c: missing required property \"zz\""_s});
}

void TestSchemaValidator::badSchemaRejected_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown type") << R"({"type": "text"})"_ba << u"text"_s;
    QTest::newRow("minimum not a number") << R"({"minimum": "one"})"_ba << u"minimum"_s;
    QTest::newRow("dangling ref") << R"({"properties": {"a": {"$ref": "#/$defs/missing"}}})"_ba
                                  << u"/properties/a/$ref: \"#/$defs/missing\" points to nothing"_s;
    QTest::newRow("remote ref") << R"({"$ref": "https://example.com/s.json"})"_ba
                                << u"another document"_s;
    QTest::newRow("bad regex") << R"({"properties": {"a": {"pattern": "(["}}})"_ba
                               << u"/properties/a/pattern"_s;
    QTest::newRow("bad patternProperties regex")
        << R"({"patternProperties": {"[": {}}})"_ba << u"\"[\" is not valid"_s;
    QTest::newRow("required not a list")
        << R"({"required": "id"})"_ba << u"/required: must be a list"_s;
    QTest::newRow("maximum not a number") << R"({"properties": {"n": {"maximum": "9"}}})"_ba
                                          << u"/properties/n/maximum: must be a number"_s;
}

void TestSchemaValidator::badSchemaRejected()
{
    QFETCH(QByteArray, schema);
    QFETCH(QString, message);
    const auto compiled = CompiledSchema::compile(object(schema.constData()));
    QVERIFY(!compiled.has_value());
    QVERIFY2(compiled.error().startsWith(u"The schema is not usable"_s),
             qPrintable(compiled.error()));
    QVERIFY2(compiled.error().contains(message, Qt::CaseInsensitive), qPrintable(compiled.error()));
}

void TestSchemaValidator::longStringsDoNotCrash_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<QString>("fill");
    QTest::addColumn<bool>("valid");
    // std::regex overflowed the stack at about 20000 characters with this pattern.
    QTest::newRow("short valid") << 10 << u"a"_s << true;
    QTest::newRow("short invalid") << 10 << u"c"_s << false;
    QTest::newRow("over the engine limit, valid") << 300 << u"b"_s << true;
    QTest::newRow("over the engine limit, invalid") << 300 << u"c"_s << false;
    QTest::newRow("200000, invalid") << 200000 << u"c"_s << false;
}

void TestSchemaValidator::longStringsDoNotCrash()
{
    QFETCH(int, length);
    QFETCH(QString, fill);
    QFETCH(bool, valid);
    const auto schema = CompiledSchema::compile(object(R"({
      "type": "object",
      "properties": {"s": {"type": "string", "pattern": "^(a|b)*$"},
                     "free": {"type": "string", "maxLength": 5}}
    })"));
    QVERIFY(schema.has_value());
    const QJsonObject instance{{"s"_L1, fill.repeated(length)}, {"free"_L1, u"toolong"_s}};
    const QList<Problem> problems = schema->validate(instance);
    const QStringList t = texts(problems);
    // Other keywords are still checked while patterns go through the fallback.
    QVERIFY2(t.contains(u"/free: must be at most 5 characters long"_s),
             qPrintable(t.join(u"; "_s)));
    const bool patternProblem
        = std::any_of(problems.cbegin(), problems.cend(), [](const Problem &p) {
              return p.pointer == "/s"_L1 && p.message.startsWith(u"must match the pattern"_s);
          });
    QCOMPARE(patternProblem, !valid);
}

void TestSchemaValidator::keywordNamedProperties()
{
    // Property names that happen to be keyword names are names, not keywords.
    const auto schema = CompiledSchema::compile(object(R"({
      "type": "object",
      "properties": {"required": {"type": "boolean"}, "minimum": {"type": "string"},
                     "pattern": {"type": "string"}, "format": {"enum": ["a"]}},
      "required": ["required"]
    })"));
    QVERIFY2(schema.has_value(), qPrintable(schema ? QString() : schema.error()));
    QVERIFY(
        schema->validate(value(R"({"required": true, "format": "a", "pattern": "x"})")).isEmpty());
    QCOMPARE(texts(schema->validate(value(R"({"required": true, "format": "b"})"))),
             QStringList{u"/format: must be one of \"a\""_s});
}

void TestSchemaValidator::emptySchemaAcceptsAnything()
{
    const auto schema = CompiledSchema::compile(QJsonObject());
    QVERIFY(schema.has_value());
    for (const QByteArray &v : {"1"_ba, "null"_ba, R"("x")"_ba, "[1,{}]"_ba, R"({"a":1})"_ba})
        QVERIFY2(schema->validate(value(v)).isEmpty(), v.constData());
}

void TestSchemaValidator::movedSchemaStillWorks()
{
    auto compiled = CompiledSchema::compile(object(R"({"type": "integer"})"));
    QVERIFY(compiled.has_value());
    CompiledSchema moved = std::move(*compiled);
    QVERIFY(moved.validate(QJsonValue(3)).isEmpty());
    QCOMPARE(texts(moved.validate(QJsonValue(u"x"_s))),
             QStringList{u"/: must be an integer (a whole number), not a string"_s});
    // A default-constructed schema reports instead of crashing.
    CompiledSchema empty;
    QCOMPARE(empty.validate(QJsonValue(1)).size(), 1);
}

QTEST_GUILESS_MAIN(TestSchemaValidator)
#include "tst_schemavalidator.moc"
