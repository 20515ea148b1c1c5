#include "core/util/jsontext.h"
#include "core/util/result.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;
using namespace mcpbridge;

class TestJsonText : public QObject
{
    Q_OBJECT

private slots:
    void positionOf_data();
    void positionOf();
    void escapePointerToken_data();
    void escapePointerToken();
    void pointer();
    void compact_data();
    void compact();
    void pretty_data();
    void pretty();
    void prettyReparses();
    void prettyRoundTripsTrickyValues_data();
    void prettyRoundTripsTrickyValues();
    void compactIsWhatQJsonDocumentWrites_data();
    void compactIsWhatQJsonDocumentWrites();
    void compactUtf8StringIsCompactString_data();
    void compactUtf8StringIsCompactString();
    void errorToString();
};

void TestJsonText::positionOf_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qsizetype>("offset");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::newRow("start") << "abc"_ba << qsizetype(0) << 1 << 1;
    QTest::newRow("first line") << "abc"_ba << qsizetype(2) << 1 << 3;
    QTest::newRow("end of text") << "abc"_ba << qsizetype(3) << 1 << 4;
    QTest::newRow("on the newline") << "ab\ncd"_ba << qsizetype(2) << 1 << 3;
    QTest::newRow("after the newline") << "ab\ncd"_ba << qsizetype(3) << 2 << 1;
    QTest::newRow("third line") << "a\n\nxyz"_ba << qsizetype(5) << 3 << 3;
    QTest::newRow("CRLF counts one line") << "a\r\nb"_ba << qsizetype(3) << 2 << 1;
    QTest::newRow("past the end is clamped") << "a\nb"_ba << qsizetype(100) << 2 << 2;
    QTest::newRow("negative offset") << "a\nb"_ba << qsizetype(-5) << 1 << 1;
    QTest::newRow("empty") << ""_ba << qsizetype(0) << 1 << 1;
    // Columns count UTF-8 bytes: "é" is two.
    QTest::newRow("utf-8 bytes") << "\xc3\xa9x"_ba << qsizetype(2) << 1 << 3;
}

void TestJsonText::positionOf()
{
    QFETCH(QByteArray, text);
    QFETCH(qsizetype, offset);
    QFETCH(int, line);
    QFETCH(int, column);
    const json::TextPosition pos = json::positionOf(text, offset);
    QCOMPARE(pos.line, line);
    QCOMPARE(pos.column, column);
}

void TestJsonText::escapePointerToken_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("escaped");
    QTest::newRow("plain") << u"name"_s << u"name"_s;
    QTest::newRow("slash") << u"a/b"_s << u"a~1b"_s;
    QTest::newRow("tilde") << u"a~b"_s << u"a~0b"_s;
    // "~1" literally must not turn into "/" when read back: "~" is escaped first.
    QTest::newRow("tilde one") << u"~1"_s << u"~01"_s;
    QTest::newRow("both") << u"/~"_s << u"~1~0"_s;
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("unicode") << u"caf\u00e9"_s << u"caf\u00e9"_s;
}

void TestJsonText::escapePointerToken()
{
    QFETCH(QString, token);
    QFETCH(QString, escaped);
    QCOMPARE(json::escapePointerToken(token), escaped);
}

void TestJsonText::pointer()
{
    QCOMPARE(json::pointer({u"tools"_s, u"3"_s, u"name"_s}), u"/tools/3/name"_s);
    QCOMPARE(json::pointer({}), QString());
    QCOMPARE(json::pointer({json::escapePointerToken(u"a/b"_s)}), u"/a~1b"_s);
    QCOMPARE(json::pointer({QString()}), u"/"_s);
}

void TestJsonText::compact_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("object") << QJsonValue(QJsonObject{{"b"_L1, 1}, {"a"_L1, u"x"_s}})
                            << R"({"a":"x","b":1})"_ba;
    QTest::newRow("array") << QJsonValue(QJsonArray{1, true, QJsonValue()}) << "[1,true,null]"_ba;
    QTest::newRow("empty object") << QJsonValue(QJsonObject()) << "{}"_ba;
    QTest::newRow("string") << QJsonValue(u"a\"b\n"_s) << R"("a\"b\n")"_ba;
    QTest::newRow("integer") << QJsonValue(42) << "42"_ba;
    QTest::newRow("int64 exact") << QJsonValue(qint64(9007199254740993LL)) << "9007199254740993"_ba;
    QTest::newRow("double") << QJsonValue(0.5) << "0.5"_ba;
    QTest::newRow("true") << QJsonValue(true) << "true"_ba;
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << "null"_ba;
}

void TestJsonText::compact()
{
    QFETCH(QJsonValue, value);
    QFETCH(QByteArray, text);
    QCOMPARE(json::compact(value), text);
}

void TestJsonText::pretty_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("nested") << QJsonValue(QJsonObject{
        {"a"_L1, QJsonArray{1, QJsonObject{{"b"_L1, QJsonArray{}}}}}, {"c"_L1, QJsonObject()}})
                            << "{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n    }\n  ],\n"
                               "  \"c\": {}\n}\n"_ba;
    QTest::newRow("empty array") << QJsonValue(QJsonArray()) << "[]\n"_ba;
    QTest::newRow("scalar string") << QJsonValue(u"x"_s) << "\"x\"\n"_ba;
    QTest::newRow("scalar number") << QJsonValue(1.5) << "1.5\n"_ba;
    QTest::newRow("scalar null") << QJsonValue(QJsonValue::Null) << "null\n"_ba;
    QTest::newRow("key needing escapes")
        << QJsonValue(QJsonObject{{"a\"b"_L1, 1}}) << "{\n  \"a\\\"b\": 1\n}\n"_ba;
}

void TestJsonText::pretty()
{
    QFETCH(QJsonValue, value);
    QFETCH(QByteArray, text);
    QCOMPARE(json::pretty(value), text);
}

void TestJsonText::prettyReparses()
{
    const QJsonObject value{{"list"_L1, QJsonArray{1, 2.5, u"s"_s, QJsonObject{{"k"_L1, false}}}},
                            {"n"_L1, QJsonValue()}};
    const QByteArray text = json::pretty(value);
    QCOMPARE(QJsonDocument::fromJson(text).object(), value);
    // Two-space indentation, never QJsonDocument's four.
    QVERIFY(text.contains("\n  \"list\""));
    QVERIFY(!text.contains("\n    \"list\""));
}

void TestJsonText::errorToString()
{
    QCOMPARE((Error{u"bad"_s, u"file.json:1:2"_s, 0}).toString(), u"file.json:1:2: bad"_s);
    QCOMPARE((Error{u"bad"_s, QString(), 0}).toString(), u"bad"_s);
    const Result<int> r = fail(u"nope"_s, u"/a"_s, 7);
    QVERIFY(!r);
    QCOMPARE(r.error().code, 7);
    QCOMPARE(r.error().toString(), u"/a: nope"_s);
}

void TestJsonText::prettyRoundTripsTrickyValues_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("quotes and backslashes") << QJsonValue(u"say \"hi\" \\ back"_s);
    QTest::newRow("control characters") << QJsonValue(QString::fromUtf8("a\x01\x1f\b\f\n\r\tz"));
    QTest::newRow("non-ASCII") << QJsonValue(u"café ☕ 日本 😀"_s);
    QTest::newRow("largest exact integer") << QJsonValue(qint64(9007199254740993));
    QTest::newRow("int64 max") << QJsonValue(std::numeric_limits<qint64>::max());
    QTest::newRow("negative") << QJsonValue(-42);
    QTest::newRow("fraction") << QJsonValue(0.1);
    QTest::newRow("tiny") << QJsonValue(5e-324);
    QTest::newRow("huge") << QJsonValue(1.7976931348623157e308);
    QTest::newRow("nested") << QJsonValue(
        QJsonObject{{u"k\"ey"_s, QJsonArray{true, false, QJsonValue::Null, 2.5, u"x"_s}},
                    {u"empty"_s, QJsonObject{}},
                    {u"list"_s, QJsonArray{}}});
}

void TestJsonText::prettyRoundTripsTrickyValues()
{
    QFETCH(QJsonValue, value);
    // Wrapped in an array so scalars parse too; both writers must read back to the same value.
    const QJsonValue wrapped = QJsonArray{value};
    for (const QByteArray &text : {json::pretty(wrapped), json::compact(wrapped)}) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, text.constData());
        QCOMPARE(doc.array().at(0), value);
    }
}

void TestJsonText::compactIsWhatQJsonDocumentWrites_data()
{
    QTest::addColumn<QJsonValue>("value");
    QString everyAscii;
    for (char16_t c = 0; c < 0x80; ++c)
        everyAscii += QChar(c);
    QTest::newRow("every ASCII character") << QJsonValue(everyAscii);
    QTest::newRow("non-ASCII") << QJsonValue(u"café ☕ 日本 😀 \u00ff\u07ff\u0800\uffff"_s);
    QTest::newRow("lone high surrogate") << QJsonValue(QString(QChar(0xd800)) + u"x"_s);
    QTest::newRow("lone low surrogate") << QJsonValue(u"a"_s + QChar(0xdc00));
    QTest::newRow("high surrogate at the end") << QJsonValue(u"a"_s + QChar(0xdbff));
    QTest::newRow("empty string") << QJsonValue(QString());
    QTest::newRow("numbers") << QJsonValue(
        QJsonArray{0, -1, 42, 0.1, -2.5, 1e20, 1e-7, 5e-324, 1.7976931348623157e308,
                   qint64(9007199254740993LL), std::numeric_limits<qint64>::min(),
                   std::numeric_limits<qint64>::max(), 3.0, std::nan(""), qInf()});
    QTest::newRow("nested") << QJsonValue(QJsonObject{
        {u"zeta"_s, QJsonArray{true, false, QJsonValue::Null, QJsonObject{}, QJsonArray{}}},
        {u"alpha"_s, QJsonObject{{u"k\"ey\n"_s, u"v\u0001"_s}, {u"é"_s, 1}}},
        {u"Beta"_s, u"x"_s},
        {QString(), QString()}});
    QTest::newRow("array with undefined") << QJsonValue(QJsonArray{QJsonValue::Undefined, 1});
    QTest::newRow("tool result") << QJsonValue(QJsonObject{
        {u"content"_s,
         QJsonArray{QJsonObject{{u"type"_s, u"text"_s},
                                {u"text"_s, u"{\"recipes\":[{\"id\":9,\"tags\":[\"soup\"]}]}"_s}}}},
        {u"isError"_s, false}});
}

void TestJsonText::compactIsWhatQJsonDocumentWrites()
{
    QFETCH(QJsonValue, value);
    // Wrapped: QJsonDocument only writes objects and arrays.
    const QByteArray qt = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    QCOMPARE(json::compact(value), qt.mid(1, qt.size() - 2));
    QByteArray appended = "prefix";
    json::appendCompact(appended, value);
    QCOMPARE(appended, "prefix" + qt.mid(1, qt.size() - 2));
}

void TestJsonText::compactUtf8StringIsCompactString_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("plain") << u"Tomato soup"_s;
    QTest::newRow("quote and backslash") << u"say \"hi\" \\ bye"_s;
    QTest::newRow("short escapes") << u"\b\f\n\r\t"_s;
    QTest::newRow("other controls") << QString::fromLatin1("a\x01b\x1f\x7f");
    QTest::newRow("two and three bytes") << u"Zo\u00eb \u20ac"_s;
    QTest::newRow("four bytes") << u"\U0001F600!"_s;
    QTest::newRow("json text") << u"{\"a\":\"x\\\"y\",\"b\":[1,2]}"_s;
}

void TestJsonText::compactUtf8StringIsCompactString()
{
    // Text already in UTF-8 is written with the very bytes its UTF-16 form gets, so a result
    // made from the API's bytes is what serialising the object would have given.
    QFETCH(QString, text);
    QByteArray fromUtf16 = "x";
    json::appendCompactString(fromUtf16, text);
    QByteArray fromUtf8 = "x";
    json::appendCompactUtf8String(fromUtf8, text.toUtf8());
    QCOMPARE(fromUtf8, fromUtf16);
    QCOMPARE(QJsonDocument::fromJson("[" + fromUtf8.mid(1) + "]").array().at(0).toString(), text);
}

QTEST_GUILESS_MAIN(TestJsonText)
#include "tst_jsontext.moc"
