#include "core/traffic/trafficlog.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace mcpbridge::traffic;

namespace {

TrafficEvent mcpEvent(const QString &summary)
{
    TrafficEvent e;
    e.kind = EventKind::Mcp;
    e.summary = summary;
    return e;
}

QList<quint64> seqs(const TrafficLog &log)
{
    QList<quint64> out;
    for (const TrafficEvent &e : log.snapshot())
        out << e.seq;
    return out;
}

// Field-by-field comparison, naming the first field that differs.
QString difference(const TrafficEvent &a, const TrafficEvent &b)
{
// clang-format off
#define MCPB_CMP(field) \
    if (a.field != b.field) \
        return QStringLiteral(#field);
    MCPB_CMP(seq)
    MCPB_CMP(timeMs)
    MCPB_CMP(kind)
    MCPB_CMP(direction)
    MCPB_CMP(sessionId)
    MCPB_CMP(transport)
    MCPB_CMP(messageType)
    MCPB_CMP(method)
    MCPB_CMP(rpcId)
    MCPB_CMP(httpMethod)
    MCPB_CMP(url)
    MCPB_CMP(httpStatus)
    MCPB_CMP(relatedRpcId)
    MCPB_CMP(durationMs)
    MCPB_CMP(size)
    MCPB_CMP(isError)
    MCPB_CMP(summary)
    MCPB_CMP(body)
#undef MCPB_CMP
    return {};
    // clang-format on
}

} // namespace

class TestTrafficLog : public QObject
{
    Q_OBJECT

private slots:
    void dropsOldestWithSignalFirst();
    void shrinkingCapacityDrops();
    void capacityAtLeastOne();
    void seqStrictlyIncreasingAcrossClear();
    void stampsTime();
    void redaction_data();
    void redaction();
    void redactionOnlyAffectsLaterEvents();
    void shortSecretsIgnored_data();
    void shortSecretsIgnored();
    void eventAddedCarriesRedactedEvent();
    void jsonRoundTrip_data();
    void jsonRoundTrip();
    void fromJsonRejects_data();
    void fromJsonRejects();
    void enumNames();
};

void TestTrafficLog::dropsOldestWithSignalFirst()
{
    TrafficLog log;
    log.setCapacity(3);
    QStringList order;
    connect(&log, &TrafficLog::aboutToDrop, this, [&](int count) {
        // At the time of the signal the events to drop are still there.
        order << u"drop %1 (size %2, first %3)"_s.arg(count)
                     .arg(log.size())
                     .arg(log.snapshot().constFirst().seq);
    });
    connect(&log, &TrafficLog::eventAdded, this,
            [&](const TrafficEvent &e) { order << u"added %1"_s.arg(e.seq); });
    for (int i = 0; i < 5; ++i)
        log.append(mcpEvent(u"e%1"_s.arg(i)));

    QCOMPARE(order,
             (QStringList{u"added 1"_s, u"added 2"_s, u"added 3"_s, u"drop 1 (size 3, first 1)"_s,
                          u"added 4"_s, u"drop 1 (size 3, first 2)"_s, u"added 5"_s}));
    QCOMPARE(log.size(), 3);
    QCOMPARE(log.droppedCount(), 2u);
    QCOMPARE(seqs(log), (QList<quint64>{3, 4, 5}));
    QCOMPARE(log.snapshot().constFirst().summary, u"e2"_s);
}

void TestTrafficLog::shrinkingCapacityDrops()
{
    TrafficLog log;
    for (int i = 0; i < 5; ++i)
        log.append(mcpEvent(u"e%1"_s.arg(i)));
    QSignalSpy drops(&log, &TrafficLog::aboutToDrop);
    log.setCapacity(2);
    QCOMPARE(drops.size(), 1);
    QCOMPARE(drops.at(0).at(0).toInt(), 3);
    QCOMPARE(log.capacity(), 2);
    QCOMPARE(seqs(log), (QList<quint64>{4, 5}));
    QCOMPARE(log.droppedCount(), 3u);

    // Growing drops nothing.
    log.setCapacity(10);
    QCOMPARE(drops.size(), 1);
    QCOMPARE(log.size(), 2);
}

void TestTrafficLog::capacityAtLeastOne()
{
    TrafficLog log;
    QCOMPARE(log.capacity(), TrafficLog::DefaultCapacity);
    log.setCapacity(0);
    QCOMPARE(log.capacity(), 1);
    log.append(mcpEvent(u"a"_s));
    log.append(mcpEvent(u"b"_s));
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.snapshot().constFirst().summary, u"b"_s);
}

void TestTrafficLog::seqStrictlyIncreasingAcrossClear()
{
    TrafficLog log;
    QCOMPARE(log.append(mcpEvent(u"a"_s)), 1u);
    TrafficEvent preset = mcpEvent(u"b"_s);
    preset.seq = 1000; // callers cannot choose the seq
    QCOMPARE(log.append(preset), 2u);
    QSignalSpy cleared(&log, &TrafficLog::cleared);
    log.clear();
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(log.size(), 0);
    QVERIFY(log.snapshot().isEmpty());
    QCOMPARE(log.append(mcpEvent(u"c"_s)), 3u);
    QCOMPARE(seqs(log), (QList<quint64>{3}));
}

void TestTrafficLog::stampsTime()
{
    TrafficLog log;
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    log.append(mcpEvent(u"now"_s));
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    TrafficEvent old = mcpEvent(u"old"_s);
    old.timeMs = 1234;
    log.append(old);
    const auto events = log.snapshot();
    QVERIFY(events.at(0).timeMs >= before && events.at(0).timeMs <= after);
    QCOMPARE(events.at(1).timeMs, 1234);
}

void TestTrafficLog::redaction_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("mustNotContain"); // checked in url, summary and body
    QTest::addColumn<QStringList>("mustKeep");       // ordinary text that stays

    const QString tok = u"sk-live-51Habc"_s;
    QTest::newRow("plain everywhere, twice")
        << tok << u"https://api.example.com/r?key=%1&again=%1"_s.arg(tok)
        << u"GET /r?key=%1 200"_s.arg(tok)
        << (R"({"headers":{"Authorization":"Bearer )" + tok.toUtf8() + R"("},"x":")" + tok.toUtf8()
            + R"("})")
        << QStringList{tok} << QStringList{u"api.example.com"_s, u"Authorization"_s};

    const QString odd = u"p@ss w/rd&=1+%"_s;
    const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(odd));
    QTest::newRow("percent-encoded upper case")
        << odd << u"https://h/x?token="_s + encoded << u"sent "_s + encoded
        << (R"({"url":"https://h/x?token=)" + encoded.toUtf8() + R"("})")
        << QStringList{odd, encoded, u"w/rd"_s} << QStringList{u"token="_s};
    QTest::newRow("percent-encoded lower case")
        << odd << u"https://h/x?token="_s + encoded.toLower() << QString() << QByteArray()
        << QStringList{encoded.toLower(), u"ss%20w"_s} << QStringList{u"https://h/x?token="_s};
    // QUrlQuery style: only some characters are encoded; forms write a space as "+".
    QTest::newRow("partially encoded, space as plus")
        << odd << u"https://h/x?token=p@ss+w/rd%26%3D1%2B%25"_s << QString() << QByteArray()
        << QStringList{u"p@ss"_s, u"w/rd"_s} << QStringList{u"token="_s};

    const QString pw = u"correct horse"_s;
    for (const QString &user : {u"a"_s, u"ab"_s, u"abc"_s, u"alice"_s}) {
        // Every alignment of the password inside base64("user:password").
        const QByteArray basic = (user + u':' + pw).toUtf8().toBase64();
        QTest::addRow("basic auth, user %s", qPrintable(user))
            << pw << QString() << u"Authorization: Basic "_s + QString::fromLatin1(basic)
            << (R"({"request":{"headers":{"Authorization":"Basic )" + basic + R"("}}})")
            << QStringList{QString::fromLatin1(basic), QString::fromLatin1(basic.left(4))}
            << QStringList{u"Authorization: Basic "_s};
    }
    const QString binaryish = u"\u00ff\u00fe\u00fd>>??"_s; // base64 uses + and / here
    const QByteArray std64 = (u"u:"_s + binaryish).toUtf8().toBase64();
    const QByteArray url64 = (u"u:"_s + binaryish).toUtf8().toBase64(QByteArray::Base64UrlEncoding);
    QTest::newRow("base64url") << binaryish << u"https://h/cb?state="_s + QString::fromLatin1(url64)
                               << QString::fromLatin1(std64) << QByteArray()
                               << QStringList{QString::fromLatin1(url64),
                                              QString::fromLatin1(std64)}
                               << QStringList{u"state="_s};

    const QString quoted = u"ab\"c/d\\e"_s;
    QTest::newRow("JSON-escaped in body")
        << quoted << QString() << QString() << R"({"password":"ab\"c\/d\\e"})"_ba
        << QStringList{u"ab\\\"c"_s, u"d\\\\e"_s} << QStringList{u"password"_s};

    const QString umlaut = u"p\u00e4ssw\u00f6rd"_s;
    QTest::newRow("non-ASCII, plain and encoded")
        << umlaut << u"https://h/?k="_s + QString::fromLatin1(QUrl::toPercentEncoding(umlaut))
        << u"key "_s + umlaut << (R"({"k":")" + umlaut.toUtf8() + R"("})")
        << QStringList{umlaut, u"%C3%A4ssw"_s} << QStringList{u"https://h/?k="_s};
}

void TestTrafficLog::redaction()
{
    QFETCH(QString, secret);
    QFETCH(QString, url);
    QFETCH(QString, summary);
    QFETCH(QByteArray, body);
    QFETCH(QStringList, mustNotContain);
    QFETCH(QStringList, mustKeep);

    TrafficLog log;
    log.addSecret(secret);
    TrafficEvent e;
    e.kind = EventKind::Upstream;
    e.url = url;
    e.summary = summary;
    e.body = body;
    e.method = u"tools/call"_s;
    log.append(e);
    const TrafficEvent stored = log.snapshot().constFirst();

    const QString all
        = stored.url + u'\n' + stored.summary + u'\n' + QString::fromUtf8(stored.body);
    for (const QString &forbidden : mustNotContain)
        QVERIFY2(!all.contains(forbidden),
                 qPrintable(u"still contains "_s + forbidden + u" in "_s + all));
    for (const QString &kept : mustKeep)
        QVERIFY2(all.contains(kept), qPrintable(u"lost "_s + kept + u" in "_s + all));
    QVERIFY2(all.contains(u"[redacted]"_s), qPrintable(all));
    QCOMPARE(stored.method, u"tools/call"_s);
    // A body that was JSON stays JSON after redaction.
    if (!body.isEmpty() && !QJsonDocument::fromJson(body).isNull())
        QVERIFY2(!QJsonDocument::fromJson(stored.body).isNull(), stored.body.constData());
    // The public redact() helpers agree with what append() stored.
    QCOMPARE(log.redact(url), stored.url);
    QCOMPARE(log.redact(body), stored.body);
}

void TestTrafficLog::redactionOnlyAffectsLaterEvents()
{
    TrafficLog log;
    log.append(mcpEvent(u"token abcd1234 before"_s));
    log.addSecret(u"abcd1234"_s);
    log.append(mcpEvent(u"token abcd1234 after"_s));
    const auto events = log.snapshot();
    QCOMPARE(events.at(0).summary, u"token abcd1234 before"_s);
    QCOMPARE(events.at(1).summary, u"token [redacted] after"_s);
}

void TestTrafficLog::shortSecretsIgnored_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<bool>("redacted");
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("1 char") << u"a"_s << false;
    QTest::newRow("3 chars") << u"get"_s << false;
    QTest::newRow("4 chars") << u"gets"_s << true;
}

void TestTrafficLog::shortSecretsIgnored()
{
    QFETCH(QString, secret);
    QFETCH(bool, redacted);
    TrafficLog log;
    log.addSecret(secret);
    const QString text = u"GET /a gets it"_s;
    log.append(mcpEvent(text));
    QCOMPARE(log.snapshot().constFirst().summary.contains(u"[redacted]"_s), redacted);
    QCOMPARE(log.redact(text) == text, !redacted);
}

void TestTrafficLog::eventAddedCarriesRedactedEvent()
{
    TrafficLog log;
    log.addSecret(u"hunter22"_s);
    QSignalSpy added(&log, &TrafficLog::eventAdded);
    TrafficEvent e = mcpEvent(u"login hunter22"_s);
    e.body = R"({"pw":"hunter22"})";
    log.append(e);
    QCOMPARE(added.size(), 1);
    const auto event = added.at(0).at(0).value<TrafficEvent>();
    QCOMPARE(event.summary, u"login [redacted]"_s);
    QCOMPARE(event.body, R"({"pw":"[redacted]"})"_ba);
    QCOMPARE(event.seq, 1u);
}

void TestTrafficLog::jsonRoundTrip_data()
{
    QTest::addColumn<TrafficEvent>("event");
    QTest::addColumn<QString>("bodyKind"); // how the body appears in the JSON

    TrafficEvent mcp;
    mcp.seq = (quint64(1) << 60) + 1; // beyond double precision: must stay exact
    mcp.timeMs = 1760000000123;
    mcp.kind = EventKind::Mcp;
    mcp.direction = Direction::Inbound;
    mcp.sessionId = u"s-1"_s;
    mcp.transport = u"http"_s;
    mcp.messageType = u"request"_s;
    mcp.method = u"tools/call"_s;
    mcp.rpcId = u"\"a\""_s;
    mcp.durationMs = -1;
    mcp.size = 52;
    mcp.summary = u"tools/call search_recipes"_s;
    mcp.body = R"({"id":"a","jsonrpc":"2.0","method":"tools/call","params":{"q":"é"}})";
    QTest::newRow("mcp with JSON body") << mcp << u"object"_s;

    TrafficEvent up;
    up.seq = 7;
    up.timeMs = 5;
    up.kind = EventKind::Upstream;
    up.direction = Direction::Outbound;
    up.httpMethod = u"GET"_s;
    up.url = u"http://127.0.0.1:8766/recipes?q=a%20b"_s;
    up.httpStatus = 503;
    up.relatedRpcId = u"7"_s;
    up.durationMs = 120;
    up.size = 0;
    up.isError = true;
    up.summary = u"GET /recipes 503"_s;
    up.body = "[1,2,3]";
    QTest::newRow("upstream with array body") << up << u"array"_s;

    TrafficEvent text = up;
    text.kind = EventKind::Note;
    text.body = "not json {";
    QTest::newRow("text body") << text << u"string"_s;

    TrafficEvent pretty = up;
    pretty.body = "{\n  \"not\": \"compact\"\n}"; // embedded; comes back compact
    QTest::newRow("non-compact JSON body") << pretty << u"object"_s;

    TrafficEvent binary = up;
    binary.body = QByteArray("\xff\xfe\x00\x01", 4);
    QTest::newRow("binary body") << binary << u"base64"_s;

    TrafficEvent empty;
    empty.seq = 1;
    QTest::newRow("defaults") << empty << u"string"_s;
}

void TestTrafficLog::jsonRoundTrip()
{
    QFETCH(TrafficEvent, event);
    QFETCH(QString, bodyKind);

    const QJsonObject json = event.toJson();
    // Through text, as an exported log would go.
    const QJsonObject reread = QJsonDocument::fromJson(QJsonDocument(json).toJson()).object();
    QCOMPARE(reread, json);
    const auto back = TrafficEvent::fromJson(reread);
    QVERIFY(back.has_value());

    if (bodyKind == "object"_L1) {
        QVERIFY(json.value("body"_L1).isObject());
        // Embedded JSON comes back as the same JSON value (compact).
        QCOMPARE(QJsonDocument::fromJson(back->body), QJsonDocument::fromJson(event.body));
        TrafficEvent expected = event;
        expected.body = back->body;
        QCOMPARE(difference(*back, expected), QString());
    } else {
        if (bodyKind == "array"_L1)
            QVERIFY(json.value("body"_L1).isArray());
        else if (bodyKind == "string"_L1)
            QVERIFY(json.value("body"_L1).isString());
        else
            QVERIFY(json.contains("bodyBase64"_L1));
        QCOMPARE(difference(*back, event), QString());
    }
    // Stable camelCase field names.
    for (const auto key :
         {"seq"_L1, "timeMs"_L1, "kind"_L1, "direction"_L1, "sessionId"_L1, "transport"_L1,
          "messageType"_L1, "method"_L1, "rpcId"_L1, "httpMethod"_L1, "url"_L1, "httpStatus"_L1,
          "relatedRpcId"_L1, "durationMs"_L1, "size"_L1, "isError"_L1, "summary"_L1})
        QVERIFY2(json.contains(key), key.data());
    QCOMPARE(json.value("kind"_L1).toString(), toString(event.kind));
}

void TestTrafficLog::fromJsonRejects_data()
{
    QTest::addColumn<QJsonObject>("json");
    const QJsonObject good = mcpEvent(u"x"_s).toJson();
    QVERIFY(TrafficEvent::fromJson(good).has_value());
    QJsonObject noKind = good;
    noKind.remove("kind"_L1);
    QTest::newRow("no kind") << noKind;
    QJsonObject badKind = good;
    badKind.insert("kind"_L1, u"ftp"_s);
    QTest::newRow("unknown kind") << badKind;
    QJsonObject badDirection = good;
    badDirection.insert("direction"_L1, 1);
    QTest::newRow("direction not a string") << badDirection;
    QJsonObject badSeq = good;
    badSeq.insert("seq"_L1, u"1"_s);
    QTest::newRow("seq not a number") << badSeq;
    QTest::newRow("empty") << QJsonObject();
}

void TestTrafficLog::fromJsonRejects()
{
    QFETCH(QJsonObject, json);
    QVERIFY(!TrafficEvent::fromJson(json).has_value());
}

void TestTrafficLog::enumNames()
{
    QCOMPARE(toString(EventKind::Mcp), u"mcp"_s);
    QCOMPARE(toString(EventKind::Upstream), u"upstream"_s);
    QCOMPARE(toString(EventKind::Note), u"note"_s);
    QCOMPARE(toString(Direction::Inbound), u"inbound"_s);
    QCOMPARE(toString(Direction::Outbound), u"outbound"_s);
    QVERIFY(QMetaType::fromType<TrafficEvent>().isRegistered());
}

QTEST_GUILESS_MAIN(TestTrafficLog)
#include "tst_trafficlog.moc"
