#include "core/jsonrpc/message.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge::jsonrpc;

Q_DECLARE_METATYPE(mcpbridge::jsonrpc::Message)
Q_DECLARE_METATYPE(mcpbridge::jsonrpc::Id)

namespace {

// Rows say what kind of message they expect, or which error code; -1 means "parsing fails".
constexpr int Failed = -1;

QByteArray request(const QByteArray &idAndRest)
{
    return R"({"jsonrpc":"2.0",)" + idAndRest + "}";
}

QByteArray nested(qsizetype depth)
{
    return R"({"jsonrpc":"2.0","id":1,"method":"x","params":{"a":)" + QByteArray(depth, '[')
           + QByteArray(depth, ']') + "}}";
}

QString idText(const std::optional<Id> &id)
{
    return id ? idToText(*id) : QString();
}

} // namespace

class TestJsonRpc : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void parseErrorOffset();
    void parsePayload_data();
    void parsePayload();
    void roundTrip_data();
    void roundTrip();
    void serializeIsCompact();
    void toResponseCarriesId_data();
    void toResponseCarriesId();
    void idToText_data();
    void idToText();
    void parsedMessageKeepsItsText();
    void responseFromText();
    void absentParamsIsEmptyObject();
};

void TestJsonRpc::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("kind");        // Message::Kind, or Failed
    QTest::addColumn<int>("code");        // expected error code when Failed
    QTest::addColumn<QString>("message"); // substring of the failure message
    QTest::addColumn<QString>("id");      // idToText of the expected id, "" for none

    const int req = int(Message::Kind::Request);
    const int note = int(Message::Kind::Notification);
    const int resp = int(Message::Kind::Response);
    const int err = int(Message::Kind::Error);

    // Not JSON at all.
    QTest::newRow("garbage") << "hello"_ba << Failed << int(ParseError) << u"not valid JSON"_s
                             << u""_s;
    QTest::newRow("empty") << ""_ba << Failed << int(ParseError) << u"empty"_s << u""_s;
    QTest::newRow("whitespace") << " \n\t\r "_ba << Failed << int(ParseError) << u"whitespace"_s
                                << u""_s;
    QTest::newRow("unterminated object")
        << R"({"jsonrpc":"2.0")"_ba << Failed << int(ParseError) << u"not valid JSON"_s << u""_s;
    QTest::newRow("object and garbage") << R"({"jsonrpc":"2.0","method":"ping"}xyz)"_ba << Failed
                                        << int(ParseError) << u"after the end"_s << u""_s;
    QTest::newRow("trailing NUL") << QByteArray(R"({"jsonrpc":"2.0","method":"ping"})"
                                                "\0",
                                                34)
                                  << Failed << int(ParseError) << u"after the end"_s << u""_s;
    // JSON, but not a message.
    QTest::newRow("null") << "null"_ba << Failed << int(InvalidRequest) << u"not null"_s << u""_s;
    QTest::newRow("number") << " 42 "_ba << Failed << int(InvalidRequest) << u"not a number"_s
                            << u""_s;
    QTest::newRow("string") << R"("ping")"_ba << Failed << int(InvalidRequest) << u"not a string"_s
                            << u""_s;
    QTest::newRow("empty array") << "[]"_ba << Failed << int(InvalidRequest) << u"array"_s << u""_s;
    QTest::newRow("batch to parse()") << ("[" + request(R"("id":1,"method":"ping")") + "]")
                                      << Failed << int(InvalidRequest) << u"batch"_s << u""_s;
    // The envelope.
    QTest::newRow("wrong jsonrpc")
        << R"({"jsonrpc":"1.0","id":3,"method":"ping"})"_ba << Failed << int(InvalidRequest)
        << u"Invalid request: \"jsonrpc\" must be \"2.0\""_s << u"3"_s;
    QTest::newRow("numeric jsonrpc") << R"({"jsonrpc":2.0,"id":"a","method":"ping"})"_ba << Failed
                                     << int(InvalidRequest) << u"must be \"2.0\""_s << u"\"a\""_s;
    QTest::newRow("missing jsonrpc") << R"({"id":4,"method":"ping"})"_ba << Failed
                                     << int(InvalidRequest) << u"is missing"_s << u"4"_s;
    QTest::newRow("missing method")
        << request(R"("id":5)") << Failed << int(InvalidRequest) << u"needs \"method\""_s << u"5"_s;
    QTest::newRow("numeric method")
        << request(R"("id":6,"method":12)") << Failed << int(InvalidRequest)
        << u"\"method\" must be a string"_s << u"6"_s;
    QTest::newRow("empty method") << request(R"("id":6,"method":"")") << Failed
                                  << int(InvalidRequest) << u"must not be empty"_s << u"6"_s;
    QTest::newRow("method and result") << request(R"("id":6,"method":"x","result":{})") << Failed
                                       << int(InvalidRequest) << u"both"_s << u"6"_s;
    // Ids.
    QTest::newRow("missing id: notification")
        << request(R"("method":"notifications/initialized")") << note << 0 << u""_s << u""_s;
    QTest::newRow("null id in request") << request(R"("id":null,"method":"ping")") << Failed
                                        << int(InvalidRequest) << u"not null"_s << u""_s;
    QTest::newRow("string id") << request(R"("id":"abc","method":"ping")") << req << 0 << u""_s
                               << u"\"abc\""_s;
    QTest::newRow("empty string id")
        << request(R"("id":"","method":"ping")") << req << 0 << u""_s << u"\"\""_s;
    QTest::newRow("integer id") << request(R"("id":7,"method":"ping")") << req << 0 << u""_s
                                << u"7"_s;
    QTest::newRow("negative id") << request(R"("id":-7,"method":"ping")") << req << 0 << u""_s
                                 << u"-7"_s;
    QTest::newRow("whole float id")
        << request(R"("id":2.0,"method":"ping")") << req << 0 << u""_s << u"2"_s;
    QTest::newRow("fractional id") << request(R"("id":1.5,"method":"ping")") << Failed
                                   << int(InvalidRequest) << u"fraction"_s << u""_s;
    QTest::newRow("id 2^53+1 exact") << request(R"("id":9007199254740993,"method":"ping")") << req
                                     << 0 << u""_s << u"9007199254740993"_s;
    QTest::newRow("id int64 max") << request(R"("id":9223372036854775807,"method":"ping")") << req
                                  << 0 << u""_s << u"9223372036854775807"_s;
    QTest::newRow("id int64 min") << request(R"("id":-9223372036854775808,"method":"ping")") << req
                                  << 0 << u""_s << u"-9223372036854775808"_s;
    QTest::newRow("id int64 max + 1") << request(R"("id":9223372036854775808,"method":"ping")")
                                      << Failed << int(InvalidRequest) << u"too large"_s << u""_s;
    QTest::newRow("id 1e30") << request(R"("id":1e30,"method":"ping")") << Failed
                             << int(InvalidRequest) << u"string id instead"_s << u""_s;
    QTest::newRow("id 1e400") << request(R"("id":1e400,"method":"ping")") << Failed
                              << int(ParseError) << u"out of range"_s << u""_s;
    QTest::newRow("bool id") << request(R"("id":true,"method":"ping")") << Failed
                             << int(InvalidRequest) << u"not a boolean"_s << u""_s;
    QTest::newRow("object id") << request(R"("id":{"a":1},"method":"ping")") << Failed
                               << int(InvalidRequest) << u"not an object"_s << u""_s;
    QTest::newRow("array id") << request(R"("id":[1],"method":"ping")") << Failed
                              << int(InvalidRequest) << u"not an array"_s << u""_s;
    // Params.
    QTest::newRow("params object") << request(R"("id":1,"method":"tools/call","params":{"a":1})")
                                   << req << 0 << u""_s << u"1"_s;
    QTest::newRow("params array") << request(R"("id":1,"method":"sum","params":[1,2])") << req << 0
                                  << u""_s << u"1"_s;
    QTest::newRow("params string")
        << request(R"("id":8,"method":"x","params":"a")") << Failed << int(InvalidRequest)
        << u"\"params\" must be an object or an array, not a string"_s << u"8"_s;
    QTest::newRow("params null") << request(R"("id":8,"method":"x","params":null)") << Failed
                                 << int(InvalidRequest) << u"not null"_s << u"8"_s;
    QTest::newRow("huge number in params")
        << request(R"("id":1,"method":"x","params":{"n":1e400})") << Failed << int(ParseError)
        << u"out of range"_s << u""_s;
    QTest::newRow("big but finite number")
        << request(R"("id":1,"method":"x","params":{"n":1e300})") << req << 0 << u""_s << u"1"_s;
    // Responses.
    QTest::newRow("result") << request(R"("id":9,"result":{"ok":true})") << resp << 0 << u""_s
                            << u"9"_s;
    QTest::newRow("result null") << request(R"("id":9,"result":null)") << resp << 0 << u""_s
                                 << u"9"_s;
    QTest::newRow("result with null id") << request(R"("id":null,"result":{})") << Failed
                                         << int(InvalidRequest) << u"must not be null"_s << u""_s;
    QTest::newRow("response without id")
        << request(R"("result":{})") << Failed << int(InvalidRequest) << u"must have an \"id\""_s
        << u""_s;
    QTest::newRow("result and error")
        << request(R"("id":9,"result":{},"error":{"code":1,"message":"m"})") << Failed
        << int(InvalidRequest) << u"not both"_s << u"9"_s;
    QTest::newRow("error") << request(R"("id":"r","error":{"code":-32601,"message":"no"})") << err
                           << 0 << u""_s << u"\"r\""_s;
    QTest::newRow("error with null id")
        << request(R"("id":null,"error":{"code":-32700,"message":"bad"})") << err << 0 << u""_s
        << u""_s;
    QTest::newRow("error without code") << request(R"("id":9,"error":{"message":"m"})") << Failed
                                        << int(InvalidRequest) << u"no \"code\""_s << u"9"_s;
    QTest::newRow("error fractional code")
        << request(R"("id":9,"error":{"code":1.5,"message":"m"})") << Failed << int(InvalidRequest)
        << u"error.code"_s << u"9"_s;
    QTest::newRow("error code out of int")
        << request(R"("id":9,"error":{"code":99999999999,"message":"m"})") << Failed
        << int(InvalidRequest) << u"out of range"_s << u"9"_s;
    QTest::newRow("error without message")
        << request(R"("id":9,"error":{"code":1})") << Failed << int(InvalidRequest)
        << u"\"error.message\""_s << u"9"_s;
    QTest::newRow("error not an object")
        << request(R"("id":9,"error":"boom")") << Failed << int(InvalidRequest)
        << u"\"error\" must be an object"_s << u"9"_s;
    // Hostile bytes.
    QTest::newRow("100000 nested arrays")
        << nested(100000) << Failed << int(ParseError) << u"nested too deeply"_s << u""_s;
    QTest::newRow("1000 nested arrays") << nested(1000) << req << 0 << u""_s << u"1"_s;
    QTest::newRow("invalid UTF-8") << request("\"id\":1,\"method\":\"a\xff\"") << Failed
                                   << int(ParseError) << u"not valid UTF-8"_s << u""_s;
    QTest::newRow("overlong UTF-8") << request("\"id\":1,\"method\":\"\xc0\xaf\"") << Failed
                                    << int(ParseError) << u"not valid UTF-8"_s << u""_s;
    QTest::newRow("UTF-8 surrogate") << request("\"id\":1,\"method\":\"\xed\xa0\x80\"") << Failed
                                     << int(ParseError) << u"not valid UTF-8"_s << u""_s;
    QTest::newRow("truncated UTF-8") << request("\"id\":1,\"method\":\"\xe2\x82\"") << Failed
                                     << int(ParseError) << u"not valid UTF-8"_s << u""_s;
    QTest::newRow("NUL in string")
        << request(QByteArray("\"id\":1,\"method\":\"a") + '\0' + "b\"") << Failed
        << int(ParseError) << u"control character 0x00"_s << u""_s;
    QTest::newRow("raw newline in string")
        << request("\"id\":1,\"method\":\"a\nb\"") << Failed << int(ParseError)
        << u"control character 0x0a"_s << u""_s;
    QTest::newRow("escaped NUL is fine")
        << request(R"("id":1,"method":"a\u0000b")") << req << 0 << u""_s << u"1"_s;
    QTest::newRow("NUL outside strings")
        << QByteArray("{\0}", 3) << Failed << int(ParseError) << u"not valid JSON"_s << u""_s;
    QTest::newRow("valid UTF-8 method")
        << request("\"id\":1,\"method\":\"caf\xc3\xa9\"") << req << 0 << u""_s << u"1"_s;
}

void TestJsonRpc::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(int, kind);
    QFETCH(int, code);
    QFETCH(QString, message);
    QFETCH(QString, id);

    const auto result = mcpbridge::jsonrpc::parse(input);
    if (kind == Failed) {
        QVERIFY2(!result, "expected a failure");
        QCOMPARE(result.error().error.code, code);
        QVERIFY2(result.error().error.message.contains(message),
                 qPrintable(result.error().error.message));
        QCOMPARE(idText(result.error().id), id);
        QVERIFY(!result.error().error.message.isEmpty());
    } else {
        QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().error.message));
        QCOMPARE(int(result->kind), kind);
        QCOMPARE(idText(result->id), id);
    }
}

void TestJsonRpc::parseErrorOffset()
{
    // Text after the object starts at byte 43, which is line 5, column 1.
    const QByteArray input = "{\n  \"jsonrpc\": \"2.0\",\n  \"method\": \"ping\"\n}\nextra";
    QCOMPARE(input.indexOf("extra"), 43);
    const auto result = mcpbridge::jsonrpc::parse(input);
    QVERIFY(!result);
    QCOMPARE(result.error().error.code, int(ParseError));
    const QString message = result.error().error.message;
    QVERIFY2(message.contains(u"byte 43, line 5, column 1"_s), qPrintable(message));
}

void TestJsonRpc::parsePayload_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("isBatch");
    QTest::addColumn<QList<int>>("codes"); // 0 for a message that parsed

    const QByteArray ping = request(R"("id":1,"method":"ping")");
    const QByteArray note = request(R"("method":"notifications/initialized")");
    QTest::newRow("single") << ping << false << QList<int>{0};
    QTest::newRow("single invalid") << "null"_ba << false << QList<int>{int(InvalidRequest)};
    QTest::newRow("empty array") << "[]"_ba << false << QList<int>{int(InvalidRequest)};
    QTest::newRow("empty array with spaces")
        << " [ ] "_ba << false << QList<int>{int(InvalidRequest)};
    QTest::newRow("mixed batch") << ("[" + ping + ",1,{\"jsonrpc\":\"2.0\"}," + note + ",null]")
                                 << true
                                 << QList<int>{0, int(InvalidRequest), int(InvalidRequest), 0,
                                               int(InvalidRequest)};
    QTest::newRow("batch of one") << ("[" + ping + "]") << true << QList<int>{0};
    QTest::newRow("nested batch") << "[[]]"_ba << true << QList<int>{int(InvalidRequest)};
    QTest::newRow("broken batch") << ("[" + ping + ",") << false << QList<int>{int(ParseError)};
    QTest::newRow("garbage") << "}{"_ba << false << QList<int>{int(ParseError)};
}

void TestJsonRpc::parsePayload()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, isBatch);
    QFETCH(QList<int>, codes);

    const Payload payload = mcpbridge::jsonrpc::parsePayload(input);
    QCOMPARE(payload.isBatch, isBatch);
    QCOMPARE(payload.messages.size(), codes.size());
    for (qsizetype i = 0; i < codes.size(); ++i) {
        const auto &m = payload.messages.at(i);
        if (codes.at(i) == 0) {
            QVERIFY2(m.has_value(), qPrintable(m ? QString() : m.error().error.message));
        } else {
            QVERIFY(!m.has_value());
            QCOMPARE(m.error().error.code, codes.at(i));
        }
    }
}

void TestJsonRpc::roundTrip_data()
{
    QTest::addColumn<Message>("message");
    QTest::newRow("request") << Message::request(Id{qint64(1)}, u"tools/call"_s,
                                                 QJsonObject{{"name"_L1, u"x"_s}});
    QTest::newRow("request string id, no params") << Message::request(Id{u"a/\"b\""_s}, u"ping"_s);
    QTest::newRow("request int64 max id")
        << Message::request(Id{std::numeric_limits<qint64>::max()}, u"ping"_s);
    QTest::newRow("request 2^53+1 id") << Message::request(Id{qint64(9007199254740993LL)}, u"p"_s);
    QTest::newRow("notification") << Message::notification(u"notifications/initialized"_s);
    QTest::newRow("notification with params") << Message::notification(
        u"notifications/progress"_s, QJsonObject{{"progress"_L1, 0.5}, {"token"_L1, u"t"_s}});
    QTest::newRow("response") << Message::response(Id{qint64(-3)},
                                                   QJsonObject{{"tools"_L1, QJsonArray{}}});
    QTest::newRow("response null result") << Message::response(Id{u"x"_s}, QJsonValue::Null);
    QTest::newRow("error with data")
        << Message::errorResponse(Id{qint64(4)}, InvalidParams, u"bad"_s, QJsonObject{{"f"_L1, 1}});
    QTest::newRow("error null id") << Message::errorResponse(std::nullopt, ParseError, u"bad"_s);
    QTest::newRow("error unicode")
        << Message::errorResponse(Id{qint64(0)}, InternalError, u"caf\u00e9 \u2603"_s);
    QTest::newRow("request with array params") << [] {
        Message m = Message::request(Id{u"\u00e9\n"_s}, u"m\"x"_s);
        m.params = QJsonArray{1, u"two"_s, QJsonValue::Null};
        return m;
    }();
    QTest::newRow("response absent result") << Message::response(Id{qint64(7)}, QJsonValue());
    QTest::newRow("response tool result") << Message::response(
        Id{qint64(101)},
        QJsonObject{
            {"content"_L1, QJsonArray{QJsonObject{{"type"_L1, u"text"_s},
                                                  {"text"_L1, u"{\"a\":[1,\"\\u00e9\"]}"_s}}}},
            {"isError"_L1, false},
            {"structuredContent"_L1, QJsonObject{{"n"_L1, 2.5}, {"e"_L1, QJsonObject{}}}}});
    QTest::newRow("error with array data") << Message::errorResponse(
        Id{u""_s}, MethodNotFound, u"tab\there"_s, QJsonArray{u"x"_s, true});
}

void TestJsonRpc::roundTrip()
{
    QFETCH(Message, message);
    const QByteArray text = message.serialize();
    const auto parsed = mcpbridge::jsonrpc::parse(text);
    QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().error.message));
    QCOMPARE(parsed->kind, message.kind);
    QCOMPARE(idText(parsed->id), idText(message.id));
    QCOMPARE(parsed->method, message.method);
    QCOMPARE(parsed->params, message.params);
    QCOMPARE(parsed->result, message.result);
    QCOMPARE(parsed->error, message.error);
    QCOMPARE(parsed->serialize(), text);
    // Written by hand, but byte for byte what QJsonDocument makes of toJson().
    QCOMPARE(text, QJsonDocument(message.toJson()).toJson(QJsonDocument::Compact));
}

void TestJsonRpc::serializeIsCompact()
{
    const QByteArray text = Message::request(Id{qint64(1)}, u"ping"_s).serialize();
    QCOMPARE(text, R"({"id":1,"jsonrpc":"2.0","method":"ping"})"_ba);
    const QByteArray withParams
        = Message::notification(u"n"_s, QJsonObject{{"a"_L1, 1}}).serialize();
    QVERIFY(!withParams.contains('\n'));
    QVERIFY(!withParams.contains(' '));
    QVERIFY(withParams.contains(R"("params":{"a":1})"));
}

void TestJsonRpc::toResponseCarriesId_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expectedId"); // as it appears in the serialized error
    QTest::addColumn<int>("code");
    QTest::newRow("missing method, integer id")
        << request(R"("id":5)") << "5"_ba << int(InvalidRequest);
    QTest::newRow("bad params, string id")
        << request(R"("id":"q","method":"x","params":1)") << R"("q")"_ba << int(InvalidRequest);
    QTest::newRow("bool id") << request(R"("id":false,"method":"x")") << "null"_ba
                             << int(InvalidRequest);
    QTest::newRow("parse error") << "{oops"_ba
                                 << "null"_ba << int(ParseError);
    QTest::newRow("huge id") << request(R"("id":18446744073709551616,"method":"x")") << "null"_ba
                             << int(InvalidRequest);
}

void TestJsonRpc::toResponseCarriesId()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expectedId);
    QFETCH(int, code);
    const auto result = mcpbridge::jsonrpc::parse(input);
    QVERIFY(!result);
    const Message response = result.error().toResponse();
    QCOMPARE(response.kind, Message::Kind::Error);
    QCOMPARE(response.error.code, code);
    const QByteArray text = response.serialize();
    QVERIFY2(text.contains(QByteArray("\"id\":" + expectedId)), text.constData());
    // The response itself must be a valid JSON-RPC error message.
    const auto reparsed = mcpbridge::jsonrpc::parse(text);
    QVERIFY(reparsed.has_value());
    QCOMPARE(reparsed->kind, Message::Kind::Error);
    QCOMPARE(reparsed->error.message, result.error().error.message);
}

void TestJsonRpc::idToText_data()
{
    QTest::addColumn<Id>("id");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QJsonValue>("json");
    QTest::newRow("integer") << Id{qint64(7)} << u"7"_s << QJsonValue(7);
    QTest::newRow("negative") << Id{qint64(-12)} << u"-12"_s << QJsonValue(-12);
    QTest::newRow("string") << Id{u"abc"_s} << u"\"abc\""_s << QJsonValue(u"abc"_s);
    QTest::newRow("string with quote") << Id{u"a\"b"_s} << u"\"a\\\"b\""_s << QJsonValue(u"a\"b"_s);
    QTest::newRow("numeric string") << Id{u"7"_s} << u"\"7\""_s << QJsonValue(u"7"_s);
}

void TestJsonRpc::idToText()
{
    QFETCH(Id, id);
    QFETCH(QString, text);
    QFETCH(QJsonValue, json);
    QCOMPARE(mcpbridge::jsonrpc::idToText(id), text);
    QCOMPARE(idToJson(id), json);
}

void TestJsonRpc::parsedMessageKeepsItsText()
{
    // The traffic log shows a message as it was received, and a message the server made is
    // encoded once for both the log and the wire.
    const QByteArray received = "  {\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"ping\"}\r\n";
    const auto parsed = mcpbridge::jsonrpc::parse(received);
    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->serialize(), received.trimmed());
    const auto payload = mcpbridge::jsonrpc::parsePayload(received);
    QCOMPARE(payload.messages.constFirst()->serialize(), received.trimmed());

    const Message made = Message::response(Id{qint64(7)}, QJsonObject{{"ok"_L1, true}});
    QVERIFY(made.text.isEmpty());
    const Message withText = made.withText();
    QCOMPARE(withText.text, made.serialize());
    QCOMPARE(withText.serialize(), QByteArray(R"({"id":7,"jsonrpc":"2.0","result":{"ok":true}})"));

    Message changed = *parsed;
    changed.method = u"tools/list"_s;
    changed.text.clear(); // whoever changes a member clears the text
    QVERIFY(changed.serialize().contains("tools/list"));
}

void TestJsonRpc::responseFromText()
{
    // A result the bridge wrote as text goes out as exactly the response serialize() writes
    // for the same value, with no value built.
    const QByteArray resultJson = "{\"content\":[{\"text\":\"a \\\"b\\\"\",\"type\":\"text\"}]}";
    const QJsonObject result = QJsonDocument::fromJson(resultJson).object();
    QVERIFY(!result.isEmpty());
    for (const Id &id : {Id{qint64(7)}, Id{u"req \"1\""_s}}) {
        const Message made = Message::responseFromText(id, resultJson);
        QCOMPARE(made.kind, Message::Kind::Response);
        QCOMPARE(made.id, std::optional<Id>(id));
        QVERIFY(made.result.isUndefined());
        QCOMPARE(made.serialize(), Message::response(id, result).serialize());
        const auto reparsed = mcpbridge::jsonrpc::parse(made.serialize());
        QVERIFY(reparsed.has_value());
        QCOMPARE(reparsed->result.toObject(), result);
    }
}

void TestJsonRpc::absentParamsIsEmptyObject()
{
    const auto parsed = mcpbridge::jsonrpc::parse(request(R"("id":1,"method":"tools/list")"));
    QVERIFY(parsed.has_value());
    QVERIFY(parsed->params.isUndefined());
    QVERIFY(parsed->paramsObject().isEmpty());
    QVERIFY(!parsed->serialize().contains("params"));
}

QTEST_GUILESS_MAIN(TestJsonRpc)
#include "tst_jsonrpc.moc"
