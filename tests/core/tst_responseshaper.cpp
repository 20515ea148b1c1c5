// ResponseShaper: HTTP response -> MCP content for every content type, with truncation on UTF-8
// boundaries, charsets, multipart, JSON fields/maxItems and output schemas; error texts.

#include "core/upstream/errorhints.h"
#include "core/upstream/responseshaper.h"
#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::upstream;

namespace {

HttpResponse response(const QByteArray &contentType, const QByteArray &body, int status = 200)
{
    HttpResponse r;
    r.status = status;
    r.reason = status == 200 ? u"OK"_s : QString();
    if (!contentType.isEmpty())
        r.headers.append({"Content-Type", contentType});
    r.body = body;
    r.totalBytes = body.size();
    r.url = u"http://127.0.0.1:1/api/thing"_s;
    return r;
}

bridge::Tool plainTool()
{
    bridge::Tool t;
    t.name = u"t"_s;
    t.path = u"/thing"_s;
    return t;
}

QJsonObject block(const QJsonObject &result, int i = 0)
{
    return result.value(u"content"_s).toArray().at(i).toObject();
}

QString text(const QJsonObject &result, int i = 0)
{
    return block(result, i).value(u"text"_s).toString();
}

} // namespace

class TestResponseShaper : public QObject
{
    Q_OBJECT

private slots:
    void formatSize_data();
    void formatSize();
    void cutUtf8_data();
    void cutUtf8();
    void contentTypes_data();
    void contentTypes();
    void jsonCompactAsSent();
    void jsonAsWrittenIsMadeAsText();
    void jsonFields_data();
    void jsonFields();
    void maxItems();
    void emptyList();
    void wrongJson();
    void textTruncation_data();
    void textTruncation();
    void truncationWithUnknownTotal();
    void charsets_data();
    void charsets();
    void asResource();
    void binaryTooLarge();
    void multipart();
    void outputSchema();
    void emptyBody();
    void apiMessage_data();
    void apiMessage();
    void retryAfter();
    void errorText();
    void resourceContents();
};

void TestResponseShaper::formatSize_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("text");
    QTest::newRow("0") << qint64(0) << u"0 bytes"_s;
    QTest::newRow("1") << qint64(1) << u"1 byte"_s;
    QTest::newRow("512") << qint64(512) << u"512 bytes"_s;
    QTest::newRow("1 KB") << qint64(1024) << u"1 KB"_s;
    QTest::newRow("3.1 KB") << qint64(3174) << u"3.1 KB"_s;
    QTest::newRow("100 KB") << qint64(100 * 1024) << u"100 KB"_s;
    QTest::newRow("2.3 MB") << qint64(2411724) << u"2.3 MB"_s;
    QTest::newRow("50 MB") << qint64(50LL * 1024 * 1024) << u"50 MB"_s;
}

void TestResponseShaper::formatSize()
{
    QFETCH(qint64, bytes);
    QFETCH(QString, text);
    QCOMPARE(hints::formatSize(bytes), text);
}

void TestResponseShaper::cutUtf8_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("max");
    QTest::addColumn<QString>("expected");
    QTest::newRow("ascii") << u"abcdef"_s << 3 << u"abc"_s;
    QTest::newRow("fits") << u"abc"_s << 10 << u"abc"_s;
    QTest::newRow("two byte split") << u"a\u00e9b"_s << 2 << u"a"_s;
    QTest::newRow("two byte whole") << u"a\u00e9b"_s << 3 << u"a\u00e9"_s;
    QTest::newRow("three byte split") << u"\u20ac\u20ac"_s << 5 << u"\u20ac"_s;
    QTest::newRow("four byte split") << u"x\U0001F600"_s << 4 << u"x"_s;
    QTest::newRow("zero") << u"abc"_s << 0 << QString();
}

void TestResponseShaper::cutUtf8()
{
    QFETCH(QString, input);
    QFETCH(int, max);
    QFETCH(QString, expected);
    const QByteArray cut = ResponseShaper::cutUtf8(input.toUtf8(), max);
    QVERIFY(cut.size() <= max);
    QCOMPARE(QString::fromUtf8(cut), expected);
    QCOMPARE(QString::fromUtf8(cut).toUtf8(), cut); // valid UTF-8, nothing replaced
}

void TestResponseShaper::contentTypes_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("mimeType"); // of image/audio/resource blocks

    const QByteArray bin("\x00\x01\x02\xff\xfe", 5);
    QTest::newRow("json") << QByteArray("application/json") << QByteArray("{\"a\":1}") << u"text"_s
                          << QString();
    QTest::newRow("problem json") << QByteArray("application/problem+json")
                                  << QByteArray("{\"a\":1}") << u"text"_s << QString();
    QTest::newRow("text") << QByteArray("text/plain") << QByteArray("hi") << u"text"_s << QString();
    QTest::newRow("html") << QByteArray("text/html; charset=utf-8") << QByteArray("<b>hi</b>")
                          << u"text"_s << QString();
    QTest::newRow("xml") << QByteArray("application/xml") << QByteArray("<a/>") << u"text"_s
                         << QString();
    QTest::newRow("png") << QByteArray("image/png") << bin << u"image"_s << u"image/png"_s;
    QTest::newRow("jpg alias") << QByteArray("image/jpg") << bin << u"image"_s << u"image/jpeg"_s;
    QTest::newRow("wav") << QByteArray("audio/wav") << bin << u"audio"_s << u"audio/wav"_s;
    QTest::newRow("x-wav") << QByteArray("audio/x-wav") << bin << u"audio"_s << u"audio/wav"_s;
    QTest::newRow("wave") << QByteArray("audio/wave") << bin << u"audio"_s << u"audio/wav"_s;
    QTest::newRow("mpeg") << QByteArray("audio/mpeg") << bin << u"audio"_s << u"audio/mpeg"_s;
    QTest::newRow("octet") << QByteArray("application/octet-stream") << bin << u"resource"_s
                           << u"application/octet-stream"_s;
    QTest::newRow("pdf") << QByteArray("application/pdf") << bin << u"resource"_s
                         << u"application/pdf"_s;
    QTest::newRow("sniff json") << QByteArray() << QByteArray("[1,2]") << u"text"_s << QString();
    QTest::newRow("sniff text") << QByteArray() << QByteArray("plain words") << u"text"_s
                                << QString();
    QTest::newRow("sniff binary") << QByteArray() << bin << u"resource"_s
                                  << u"application/octet-stream"_s;
}

void TestResponseShaper::contentTypes()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, type);
    QFETCH(QString, mimeType);
    QString summary;
    const QJsonObject result
        = ResponseShaper::toolResult(response(contentType, body), plainTool(), &summary);
    QVERIFY(!result.value(u"isError"_s).toBool());
    QCOMPARE(result.value(u"content"_s).toArray().size(), 1);
    const QJsonObject b = block(result);
    QCOMPARE(b.value(u"type"_s).toString(), type);
    QVERIFY(!summary.isEmpty());
    if (type == u"image" || type == u"audio") {
        QCOMPARE(b.value(u"mimeType"_s).toString(), mimeType);
        QCOMPARE(QByteArray::fromBase64(b.value(u"data"_s).toString().toLatin1()), body);
    } else if (type == u"resource") {
        const QJsonObject r = b.value(u"resource"_s).toObject();
        QCOMPARE(r.value(u"mimeType"_s).toString(), mimeType);
        QCOMPARE(r.value(u"uri"_s).toString(), u"http://127.0.0.1:1/api/thing"_s);
        QCOMPARE(QByteArray::fromBase64(r.value(u"blob"_s).toString().toLatin1()), body);
    } else {
        QVERIFY(!b.value(u"text"_s).toString().isEmpty());
    }
}

void TestResponseShaper::jsonCompactAsSent()
{
    // The model gets the API's JSON without the whitespace between tokens: its key order and
    // number spelling kept, fewer tokens than indented text.
    QString summary;
    QJsonObject result = ResponseShaper::toolResult(
        response("application/json", "{\n  \"b\": 1.50,\n  \"a\": [ 1, 2 ]\n}\n"), plainTool(),
        &summary);
    QCOMPARE(text(result), u"{\"b\":1.50,\"a\":[1,2]}"_s);
    QCOMPARE(summary, u"JSON object, 2 keys"_s);
    result = ResponseShaper::toolResult(response("application/json", "{\"a\":[1,2]}"), plainTool());
    QCOMPARE(text(result), u"{\"a\":[1,2]}"_s);

    QJsonArray big;
    for (int i = 0; i < 2000; ++i)
        big.append(QJsonObject{{u"id"_s, i}});
    const QByteArray compact = QJsonDocument(big).toJson(QJsonDocument::Compact);
    bridge::Tool t = plainTool();
    t.response.maxBytes = 1024 * 1024;
    result = ResponseShaper::toolResult(response("application/json", compact), t, &summary);
    QCOMPARE(text(result), QString::fromUtf8(compact));
    QCOMPARE(summary, u"JSON, 2000 items"_s);
    // Indented input comes out the same.
    result = ResponseShaper::toolResult(
        response("application/json", QJsonDocument(big).toJson(QJsonDocument::Indented)), t);
    QCOMPARE(text(result), QString::fromUtf8(compact));
}

void TestResponseShaper::jsonAsWrittenIsMadeAsText()
{
    // The common answer is made as the result's text directly; it must be the text the object
    // would serialise to, escapes, cut and truncation note included.
    const QByteArray body = "{\"name\": \"Zo\xc3\xab \\\"the\\\" chef\\\\\", \"n\": [1, 2]}";
    upstream::ToolResult result
        = ResponseShaper::toolResult(response("application/json", body), plainTool());
    QVERIFY(result.hasCompactJson());
    QVERIFY(!result.isError());
    QCOMPARE(result.compactJson(), json::compact(result.toObject()));
    QCOMPARE(text(result), u"{\"name\":\"Zo\u00eb \\\"the\\\" chef\\\\\",\"n\":[1,2]}"_s);

    bridge::Tool small = plainTool();
    small.response.maxBytes = 12;
    result = ResponseShaper::toolResult(response("application/json", body), small);
    QVERIFY(result.hasCompactJson());
    QCOMPARE(result.compactJson(), json::compact(result.toObject()));
    const QByteArray compacted = "{\"name\":\"Zo\xc3\xab \\\"the\\\" chef\\\\\",\"n\":[1,2]}";
    const QByteArray shown = ResponseShaper::cutUtf8(compacted, 12);
    QCOMPARE(text(result), QString::fromUtf8(shown) + u"\n\n"_s
                               + hints::truncated(shown.size(), compacted.size()));

    // Escapes the API wrote stay as written, inside the text's own escaping.
    result = ResponseShaper::toolResult(
        response("application/json", "[\"tab\\there\",\"\\u00e9\\n\"]"), plainTool());
    QVERIFY(result.hasCompactJson());
    QCOMPARE(result.compactJson(), json::compact(result.toObject()));
    QCOMPARE(text(result), u"[\"tab\\there\",\"\\u00e9\\n\"]"_s);

    // Structured content needs the value: made as an object.
    bridge::Tool structured = plainTool();
    structured.outputSchema = QJsonObject{{u"type"_s, u"object"_s}};
    result = ResponseShaper::toolResult(response("application/json", body), structured);
    QVERIFY(!result.hasCompactJson());
    QCOMPARE(result.toObject().value("structuredContent"_L1).toObject().value("n"_L1),
             QJsonValue(QJsonArray{1, 2}));
}

void TestResponseShaper::jsonFields_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("fields");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("one key") << QByteArray(R"({"message":"hello","items":[1,2,3]})")
                             << QStringList{u"/message"_s} << QByteArray(R"({"message":"hello"})");
    QTest::newRow("nested") << QByteArray(R"({"a":{"b":1,"c":2},"d":3})")
                            << QStringList{u"/a/c"_s, u"/d"_s}
                            << QByteArray(R"({"a":{"c":2},"d":3})");
    QTest::newRow("across array") << QByteArray(
        R"([{"id":1,"name":"x","big":"..."},{"id":2,"name":"y"}])")
                                  << QStringList{u"/name"_s}
                                  << QByteArray(R"([{"name":"x"},{"name":"y"}])");
    QTest::newRow("inside results")
        << QByteArray(R"({"results":[{"id":1,"t":"a"},{"id":2,"t":"b"}],"next":"n"})")
        << QStringList{u"/results/id"_s} << QByteArray(R"({"results":[{"id":1},{"id":2}]})");
    QTest::newRow("index") << QByteArray(R"({"l":[10,20,30]})") << QStringList{u"/l/1"_s}
                           << QByteArray(R"({"l":[20]})");
    QTest::newRow("escaped") << QByteArray(R"({"a/b":1,"c~d":2,"e":3})")
                             << QStringList{u"/a~1b"_s, u"/c~0d"_s}
                             << QByteArray(R"({"a/b":1,"c~d":2})");
    QTest::newRow("missing") << QByteArray(R"({"a":1})") << QStringList{u"/zzz"_s}
                             << QByteArray(R"({})");
}

void TestResponseShaper::jsonFields()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, fields);
    QFETCH(QByteArray, expected);
    bridge::Tool t = plainTool();
    t.response.fields = fields;
    const QJsonObject result = ResponseShaper::toolResult(response("application/json", body), t);
    const auto shown = ResponseShaper::parseJson(text(result).toUtf8());
    QVERIFY(shown);
    QCOMPARE(*shown, *ResponseShaper::parseJson(expected));
}

void TestResponseShaper::maxItems()
{
    bridge::Tool t = plainTool();
    t.response.maxItems = 2;
    QJsonObject result = ResponseShaper::toolResult(response("application/json", "[1,2,3,4,5]"), t);
    QCOMPARE(text(result), u"[1,2]\n\n"_s + hints::itemsCapped(2, 5));
    result = ResponseShaper::toolResult(
        response("application/json", R"({"results":[1,2,3],"total":3})"), t);
    QVERIFY(text(result).startsWith(u"{\"results\":[1,2],\"total\":3}\n\n"_s));
    QVERIFY(text(result).endsWith(hints::itemsCapped(2, 3)));
    // Within the cap: no note.
    result = ResponseShaper::toolResult(response("application/json", "[1]"), t);
    QVERIFY(!text(result).contains(u"Showing"_s));
}

void TestResponseShaper::emptyList()
{
    QString summary;
    const QJsonObject result
        = ResponseShaper::toolResult(response("application/json", " [ ] "), plainTool(), &summary);
    QCOMPARE(text(result), u"The API returned an empty list (no items matched)."_s);
    QCOMPARE(summary, u"JSON, empty list"_s);
}

void TestResponseShaper::wrongJson()
{
    const QByteArray html = "<!DOCTYPE html><html><body>Hi</body></html>";
    const QJsonObject result
        = ResponseShaper::toolResult(response("application/json", html), plainTool());
    QVERIFY(!result.value(u"isError"_s).toBool());
    QVERIFY(text(result).startsWith(QString::fromUtf8(html)
                                    + u"\n\n[The API said this is JSON "
                                      "(application/json) but it is not "
                                      "valid JSON ("_s));
    QVERIFY(text(result).endsWith(u"); shown as text.]"_s));
}

void TestResponseShaper::textTruncation_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("maxBytes");
    QTest::addColumn<QString>("shown");
    QTest::newRow("ascii") << QString(300, u'a') << 100 << QString(100, u'a');
    QTest::newRow("euro boundary") << QString(100, u'\u20ac') << 100 << QString(33, u'\u20ac');
    QTest::newRow("umlaut boundary") << QString(100, u'\u00fc') << 101 << QString(50, u'\u00fc');
    QTest::newRow("emoji boundary")
        << QString(u"\U0001F600"_s).repeated(30) << 10 << QString(u"\U0001F600"_s).repeated(2);
}

void TestResponseShaper::textTruncation()
{
    QFETCH(QString, body);
    QFETCH(int, maxBytes);
    QFETCH(QString, shown);
    bridge::Tool t = plainTool();
    t.response.maxBytes = maxBytes;
    const QByteArray utf8 = body.toUtf8();
    const QJsonObject result
        = ResponseShaper::toolResult(response("text/plain; charset=utf-8", utf8), t);
    const QString expected
        = shown + u"\n\n"_s + hints::truncated(shown.toUtf8().size(), utf8.size());
    QCOMPARE(text(result), expected);
    QVERIFY(!text(result).contains(QChar::ReplacementCharacter));
}

void TestResponseShaper::truncationWithUnknownTotal()
{
    bridge::Tool t = plainTool();
    t.response.maxBytes = 10;
    HttpResponse r = response("text/plain", QByteArray(11, 'y'));
    r.complete = false;
    r.totalBytes = -1;
    QCOMPARE(text(ResponseShaper::toolResult(r, t)),
             QString(10, u'y')
                 + u"\n\n[Response truncated: the first 10 bytes shown; the API "
                   "sent more. Ask for fewer results, e.g. with a limit or filter "
                   "argument.]"_s);
    // With a known Content-Length the note names it.
    r.totalBytes = 2411724;
    QVERIFY(text(ResponseShaper::toolResult(r, t))
                .endsWith(u"[Response truncated: 10 bytes of 2.3 MB shown. Ask for fewer results, "
                          u"e.g. with a "
                          "limit or filter argument.]"_s));
}

void TestResponseShaper::charsets_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("latin1") << QByteArray("text/plain; charset=iso-8859-1") << QByteArray("caf\xe9")
                            << u"caf\u00e9"_s;
    QTest::newRow("latin1 quoted upper") << QByteArray("text/plain; charset=\"ISO-8859-1\"")
                                         << QByteArray("na\xefve") << u"na\u00efve"_s;
    QTest::newRow("utf8") << QByteArray("text/plain; charset=utf-8") << QByteArray("caf\xc3\xa9")
                          << u"caf\u00e9"_s;
    QTest::newRow("no charset") << QByteArray("text/plain") << QByteArray("caf\xc3\xa9")
                                << u"caf\u00e9"_s;
    QTest::newRow("utf16le") << QByteArray("text/plain; charset=utf-16le")
                             << QByteArray("h\0i\0", 4) << u"hi"_s;
}

void TestResponseShaper::charsets()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    QCOMPARE(text(ResponseShaper::toolResult(response(contentType, body), plainTool())), expected);
}

void TestResponseShaper::asResource()
{
    bridge::Tool t = plainTool();
    t.response.as = u"resource"_s;
    QJsonObject result = ResponseShaper::toolResult(response("text/csv", "a,b\n1,2\n"), t);
    QCOMPARE(result.value(u"content"_s).toArray().size(), 1);
    QCOMPARE(block(result).value(u"type"_s).toString(), u"resource"_s);
    QCOMPARE(block(result).value(u"resource"_s).toObject(),
             (QJsonObject{{u"uri"_s, u"http://127.0.0.1:1/api/thing"_s},
                          {u"mimeType"_s, u"text/csv"_s},
                          {u"text"_s, u"a,b\n1,2\n"_s}}));
    t.response.resourceUri = u"test://fixture/report"_s;
    result = ResponseShaper::toolResult(response("image/png", "\x89PNG"), t);
    const QJsonObject r = block(result).value(u"resource"_s).toObject();
    QCOMPARE(r.value(u"uri"_s).toString(), u"test://fixture/report"_s);
    QCOMPARE(r.value(u"mimeType"_s).toString(), u"image/png"_s);
    QCOMPARE(QByteArray::fromBase64(r.value(u"blob"_s).toString().toLatin1()),
             QByteArray("\x89PNG"));
    QVERIFY(!r.contains(u"text"_s));
    // JSON embedded as a resource keeps its text.
    result = ResponseShaper::toolResult(response("application/json", "{\"a\":1}"), t);
    QCOMPARE(block(result).value(u"resource"_s).toObject().value(u"text"_s).toString(),
             u"{\"a\":1}"_s);
}

void TestResponseShaper::binaryTooLarge()
{
    HttpResponse r = response("image/png", QByteArray(100, 'p'));
    r.complete = false;
    r.totalBytes = 20LL * 1024 * 1024;
    const QJsonObject result = ResponseShaper::toolResult(r, plainTool());
    QCOMPARE(block(result).value(u"type"_s).toString(), u"text"_s);
    QCOMPARE(text(result), hints::binaryTooLarge(u"image/png"_s, 20LL * 1024 * 1024,
                                                 ResponseShaper::binaryLimit(100 * 1024)));
}

void TestResponseShaper::multipart()
{
    const QByteArray body = "preamble\r\n"
                            "--b1\r\nContent-Type: text/plain\r\n\r\nFirst part.\r\n"
                            "--b1\r\nContent-Type: image/gif\r\n\r\nGIF89a\r\n"
                            "--b1\r\nContent-Type: application/json\r\n"
                            "Content-Location: test://doc/1\r\n\r\n{\"k\":1}\r\n"
                            "--b1\r\n\r\nNo headers at all.\r\n"
                            "--b1--\r\nepilogue";
    QString summary;
    const QJsonObject result = ResponseShaper::toolResult(
        response("multipart/mixed; boundary=\"b1\"", body), plainTool(), &summary);
    const QJsonArray content = result.value(u"content"_s).toArray();
    QCOMPARE(content.size(), 4);
    QCOMPARE(summary, u"multipart, 4 parts"_s);
    QCOMPARE(text(result, 0), u"First part."_s);
    QCOMPARE(block(result, 1).value(u"type"_s).toString(), u"image"_s);
    QCOMPARE(QByteArray::fromBase64(block(result, 1).value(u"data"_s).toString().toLatin1()),
             QByteArray("GIF89a"));
    QCOMPARE(block(result, 2).value(u"resource"_s).toObject(),
             (QJsonObject{{u"uri"_s, u"test://doc/1"_s},
                          {u"mimeType"_s, u"application/json"_s},
                          {u"text"_s, u"{\"k\":1}"_s}}));
    QCOMPARE(text(result, 3), u"No headers at all."_s);
}

void TestResponseShaper::outputSchema()
{
    bridge::Tool t = plainTool();
    t.outputSchema = QJsonObject{{u"type"_s, u"object"_s}};
    QJsonObject result = ResponseShaper::toolResult(response("application/json", "{\"a\":1}"), t);
    QCOMPARE(result.value(u"structuredContent"_s).toObject(), (QJsonObject{{u"a"_s, 1}}));
    QCOMPARE(text(result), u"{\"a\":1}"_s);

    // fields apply to structuredContent as well.
    t.response.fields = {u"/a"_s};
    result = ResponseShaper::toolResult(response("application/json", "{\"a\":1,\"b\":2}"), t);
    QCOMPARE(result.value(u"structuredContent"_s).toObject(), (QJsonObject{{u"a"_s, 1}}));
    t.response.fields.clear();

    t.outputSchema = QJsonObject{
        {u"type"_s, u"object"_s},
        {u"properties"_s, QJsonObject{{u"result"_s, QJsonObject{{u"type"_s, u"array"_s}}}}}};
    result = ResponseShaper::toolResult(response("application/json", "[1,2]"), t);
    QCOMPARE(result.value(u"structuredContent"_s).toObject(),
             (QJsonObject{{u"result"_s, QJsonArray{1, 2}}}));
    result = ResponseShaper::toolResult(response("application/json", "42"), t);
    QCOMPARE(result.value(u"structuredContent"_s).toObject(), (QJsonObject{{u"result"_s, 42}}));

    t.outputSchema = QJsonObject{{u"type"_s, u"object"_s}};
    result = ResponseShaper::toolResult(response("application/json", "[1,2]"), t);
    QVERIFY(result.value(u"isError"_s).toBool());
    QVERIFY(!result.contains(u"structuredContent"_s));
    QCOMPARE(text(result), hints::outputSchemaMismatch(u"array"_s));
    // No schema: no structuredContent.
    QVERIFY(!ResponseShaper::toolResult(response("application/json", "{\"a\":1}"), plainTool())
                 .toObject()
                 .contains(u"structuredContent"_s));
}

void TestResponseShaper::emptyBody()
{
    HttpResponse r = response({}, {}, 204);
    r.reason = u"No Content"_s;
    QCOMPARE(text(ResponseShaper::toolResult(r, plainTool())),
             u"The API answered 204 No Content with no content."_s);
}

void TestResponseShaper::apiMessage_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    QTest::newRow("message") << QByteArray("application/json")
                             << QByteArray(R"({"message":"name is required"})")
                             << u"name is required"_s;
    QTest::newRow("nested error") << QByteArray("application/json")
                                  << QByteArray(R"({"error":{"code":3,"message":"bad id"}})")
                                  << u"bad id"_s;
    QTest::newRow("problem detail")
        << QByteArray("application/problem+json")
        << QByteArray(R"({"title":"Invalid","detail":"qty < 0"})") << u"qty < 0"_s;
    QTest::newRow("errors list") << QByteArray("application/json")
                                 << QByteArray(R"({"errors":[{"message":"first"}]})") << u"first"_s;
    QTest::newRow("plain text") << QByteArray("text/plain") << QByteArray("Nope.\n") << u"Nope."_s;
    QTest::newRow("html") << QByteArray("text/html") << QByteArray("<h1>x</h1>") << QString();
    QTest::newRow("nothing useful")
        << QByteArray("application/json") << QByteArray("{\"a\":1}") << QString();
}

void TestResponseShaper::apiMessage()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    QCOMPARE(ResponseShaper::apiMessage(response(contentType, body, 400)), message);
}

void TestResponseShaper::retryAfter()
{
    HttpResponse r = response("application/json", "{}", 429);
    QCOMPARE(r.retryAfterSeconds(), -1);
    r.headers.append({QByteArray("Retry-After"), QByteArray("5")});
    QCOMPARE(r.retryAfterSeconds(), 5);
    r.headers.last().second
        = QDateTime::currentDateTimeUtc().addSecs(120).toString(Qt::RFC2822Date).toLatin1();
    QVERIFY(r.retryAfterSeconds() >= 115 && r.retryAfterSeconds() <= 121);
    r.headers.last().second = "soon";
    QCOMPARE(r.retryAfterSeconds(), -1);
}

void TestResponseShaper::errorText()
{
    HttpResponse r = response("application/json", QByteArray(5000, 'e'), 500);
    r.reason = u"Internal Server Error"_s;
    const QString t = ResponseShaper::httpErrorText(r, u"GET"_s, u"/x"_s, u"Hint."_s);
    QVERIFY(t.startsWith(u"The API answered 500 Internal Server Error to GET /x.\nHint.\n\n"
                         "The API's answer (excerpt):\n"_s));
    QCOMPARE(t.section(u"(excerpt):\n"_s, 1),
             QString(ResponseShaper::ExcerptBytes, u'e') + u" …"_s);
    // Binary bodies are described, not dumped.
    const HttpResponse png = response("image/png", QByteArray(75, '\x01'), 502);
    QVERIFY(ResponseShaper::httpErrorText(png, u"GET"_s, u"/p"_s, {})
                .endsWith(u"[75 bytes of image/png]"_s));
    const QJsonObject result = ResponseShaper::errorResult(u"x"_s);
    QCOMPARE(result, (QJsonObject{{u"content"_s, QJsonArray{QJsonObject{{u"type"_s, u"text"_s},
                                                                        {u"text"_s, u"x"_s}}}},
                                  {u"isError"_s, true}}));
}

void TestResponseShaper::resourceContents()
{
    QCOMPARE(ResponseShaper::resourceContents(response("text/plain; charset=iso-8859-1", "caf\xe9"),
                                              u"test://a"_s, {}),
             (QJsonArray{QJsonObject{{u"uri"_s, u"test://a"_s},
                                     {u"mimeType"_s, u"text/plain"_s},
                                     {u"text"_s, u"caf\u00e9"_s}}}));
    const QJsonArray bin = ResponseShaper::resourceContents(response("image/png", "\x89PNG"),
                                                            u"test://b"_s, u"image/png"_s);
    QCOMPARE(bin.first().toObject().value(u"blob"_s).toString(),
             QString::fromLatin1(QByteArray("\x89PNG").toBase64()));
    // The declared mimeType wins over the response's.
    QCOMPARE(ResponseShaper::resourceContents(response("text/plain", "x"), u"test://c"_s,
                                              u"text/markdown"_s)
                 .first()
                 .toObject()
                 .value(u"mimeType"_s)
                 .toString(),
             u"text/markdown"_s);
}

QTEST_GUILESS_MAIN(TestResponseShaper)
#include "tst_responseshaper.moc"
