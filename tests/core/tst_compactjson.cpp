// compactJson: one pass that validates JSON and drops the whitespace between tokens. Valid
// inputs come back compact and otherwise unchanged (and mean what QJsonDocument reads in them);
// invalid ones are refused, as QJsonDocument refuses them.

#include "core/upstream/compactjson.h"
#include "core/upstream/responseshaper.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge::upstream;

class TestCompactJson : public QObject
{
    Q_OBJECT

private slots:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void depthLimit();
};

void TestCompactJson::valid_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("count");
    QTest::newRow("object") << QByteArray("{ \"b\" : 1 ,\n \"a\" : [ 1 , 2 ] }")
                            << QByteArray("{\"b\":1,\"a\":[1,2]}") << int(QJsonValue::Object) << 2;
    QTest::newRow("pretty array") << QByteArray("[\n  {\n    \"id\": 1\n  },\n  {}\n]\n")
                                  << QByteArray("[{\"id\":1},{}]") << int(QJsonValue::Array) << 2;
    QTest::newRow("empty array") << QByteArray(" [ ] ") << QByteArray("[]")
                                 << int(QJsonValue::Array) << 0;
    QTest::newRow("empty object") << QByteArray("{}") << QByteArray("{}") << int(QJsonValue::Object)
                                  << 0;
    QTest::newRow("spaces in strings kept")
        << QByteArray("{\"a b\": \" x  y \"}") << QByteArray("{\"a b\":\" x  y \"}")
        << int(QJsonValue::Object) << 1;
    QTest::newRow("escapes kept") << QByteArray("[\"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"]")
                                  << QByteArray("[\"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"]")
                                  << int(QJsonValue::Array) << 1;
    QTest::newRow("utf-8") << QByteArray("[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8d\xb2\"]")
                           << QByteArray("[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8d\xb2\"]")
                           << int(QJsonValue::Array) << 1;
    QTest::newRow("numbers") << QByteArray("[0, -0, 12, -3.25, 1e5, 2E-3, 9007199254740993]")
                             << QByteArray("[0,-0,12,-3.25,1e5,2E-3,9007199254740993]")
                             << int(QJsonValue::Array) << 7;
    QTest::newRow("literals") << QByteArray("[true,false,null]") << QByteArray("[true,false,null]")
                              << int(QJsonValue::Array) << 3;
    QTest::newRow("nested counts only the top")
        << QByteArray("{\"a\":{\"b\":1,\"c\":2}}") << QByteArray("{\"a\":{\"b\":1,\"c\":2}}")
        << int(QJsonValue::Object) << 1;
    QTest::newRow("string") << QByteArray(" \"x\" ") << QByteArray("\"x\"")
                            << int(QJsonValue::String) << 0;
    QTest::newRow("number") << QByteArray("42\n") << QByteArray("42") << int(QJsonValue::Double)
                            << 0;
    QTest::newRow("null") << QByteArray("null") << QByteArray("null") << int(QJsonValue::Null) << 0;
}

void TestCompactJson::valid()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QFETCH(int, type);
    QFETCH(int, count);
    const auto compact = compactJson(input);
    QVERIFY(compact);
    QCOMPARE(compact->text, expected);
    QCOMPARE(int(compact->type), type);
    QCOMPARE(compact->count, count);
    // The same value as Qt reads in the original.
    const auto original = ResponseShaper::parseJson(input);
    QVERIFY(original);
    QVERIFY(ResponseShaper::parseJson(compact->text) == original);
}

void TestCompactJson::invalid_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("only space") << QByteArray("  \n");
    QTest::newRow("html") << QByteArray("<!DOCTYPE html><html></html>");
    QTest::newRow("garbage after") << QByteArray("{} x");
    QTest::newRow("two values") << QByteArray("[] []");
    QTest::newRow("trailing comma") << QByteArray("[1,]");
    QTest::newRow("trailing comma object") << QByteArray("{\"a\":1,}");
    QTest::newRow("missing colon") << QByteArray("{\"a\" 1}");
    QTest::newRow("unquoted key") << QByteArray("{a:1}");
    QTest::newRow("single quotes") << QByteArray("['a']");
    QTest::newRow("unclosed") << QByteArray("{\"a\":[1,2}");
    QTest::newRow("unterminated string") << QByteArray("[\"abc]");
    QTest::newRow("control in string") << QByteArray("[\"a\tb\"]");
    QTest::newRow("bad escape") << QByteArray("[\"\\x\"]");
    QTest::newRow("short unicode escape") << QByteArray("[\"\\u12\"]");
    QTest::newRow("leading zero") << QByteArray("[01]");
    QTest::newRow("bare minus") << QByteArray("[-]");
    QTest::newRow("dot without digits") << QByteArray("[1.]");
    QTest::newRow("exponent without digits") << QByteArray("[1e+]");
    QTest::newRow("plus sign") << QByteArray("[+1]");
    QTest::newRow("NaN") << QByteArray("[NaN]");
    QTest::newRow("truncated literal") << QByteArray("[tru]");
    QTest::newRow("invalid utf-8") << QByteArray("[\"\xff\"]");
    QTest::newRow("overlong utf-8") << QByteArray("[\"\xc0\xaf\"]");
    QTest::newRow("cut utf-8") << QByteArray("[\"\xe2\x82\"]");
    QTest::newRow("utf-8 surrogate") << QByteArray("[\"\xed\xa0\x80\"]");
    QTest::newRow("comment") << QByteArray("[1 /* one */]");
    QTest::newRow("close mismatch") << QByteArray("[1}");
}

void TestCompactJson::invalid()
{
    QFETCH(QByteArray, input);
    QVERIFY(!compactJson(input));
}

void TestCompactJson::depthLimit()
{
    const QByteArray deepest
        = QByteArray(CompactJsonMaxDepth, '[') + QByteArray(CompactJsonMaxDepth, ']');
    QVERIFY(compactJson(deepest));
    const QByteArray tooDeep = '[' + deepest + ']';
    QVERIFY(!compactJson(tooDeep));
}

QTEST_GUILESS_MAIN(TestCompactJson)
#include "tst_compactjson.moc"
