// RequestBuilder: arguments -> HTTP request. Hostile path and header values must never move the
// request off the base URL (host, port, base path) or inject headers; placement and auth must
// put every value exactly where the document says.

#include "core/upstream/requestbuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::upstream;

namespace {

bridge::Parameter param(const QString &name, const QString &in, const QString &wire = {})
{
    bridge::Parameter p;
    p.name = name;
    p.in = in;
    p.wireName = wire;
    return p;
}

bridge::BridgeDocument document(const QString &baseUrl = u"http://127.0.0.1:8080/api/v1"_s)
{
    bridge::BridgeDocument doc;
    doc.server.name = u"test"_s;
    doc.upstream.baseUrl = baseUrl;
    return doc;
}

bridge::Tool itemTool()
{
    bridge::Tool tool;
    tool.name = u"get_item"_s;
    tool.method = u"GET"_s;
    tool.path = u"/items/{id}"_s;
    tool.parameters = {param(u"id"_s, u"path"_s)};
    return tool;
}

QList<std::pair<QString, QString>> queryPairs(const QUrl &url)
{
    QList<std::pair<QString, QString>> out;
    const QList<QByteArray> items = url.query(QUrl::FullyEncoded).toUtf8().split('&');
    for (const QByteArray &item : items) {
        if (item.isEmpty())
            continue;
        const qsizetype eq = item.indexOf('=');
        out.append({QString::fromUtf8(QByteArray::fromPercentEncoding(item.left(eq))),
                    QString::fromUtf8(QByteArray::fromPercentEncoding(item.mid(eq + 1)))});
    }
    return out;
}

} // namespace

class TestRequestBuilder : public QObject
{
    Q_OBJECT

private slots:
    void bodyMediaTypes_data();
    void bodyMediaTypes();
    void multipartBody();
    void oversizedBodyIsRefused();
    void describeCallForConfirmation();
    void hostilePathValues_data();
    void hostilePathValues();
    void hostileValuesUnderOtherBases_data();
    void hostileValuesUnderOtherBases();
    void hostileQueryValues_data();
    void hostileQueryValues();
    void pathQtWouldChangeIsRefused();
    void reservedHeaderParameters();
    void headerValues_data();
    void headerValues();
    void resolveUnderBase_data();
    void resolveUnderBase();
    void resolveUnderBaseQuery_data();
    void resolveUnderBaseQuery();
    void hostileTemplates_data();
    void hostileTemplates();
    void hostileResourcePaths_data();
    void hostileResourcePaths();
    void encodingMatchesQt_data();
    void encodingMatchesQt();
    void methodNames_data();
    void methodNames();
    void baseUrlChecks_data();
    void baseUrlChecks();

    void placement();
    void wireNamesOnTheWire();
    void valueFormatting();
    void undeclaredArgumentsFollowTheMethod();
    void missingPathArgument();
    void fixedQueryInTemplate();
    void standardHeaders();
    void defaultHeadersWithSecrets();
    void auth_data();
    void auth();
    void authMissingSecret();
    void secretsNeeded();
    void buildGetForResources();
};

void TestRequestBuilder::hostilePathValues_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("refused");
    QTest::addColumn<QByteArray>("encoded"); // expected last path segment when accepted

    QTest::newRow("parent then admin") << u"../admin"_s << true << QByteArray();
    QTest::newRow("dot dot") << u".."_s << true << QByteArray();
    QTest::newRow("dot") << u"."_s << true << QByteArray();
    QTest::newRow("encoded dot dot") << u"%2e%2e"_s << true << QByteArray();
    QTest::newRow("encoded dot dot upper") << u"%2E%2E"_s << true << QByteArray();
    QTest::newRow("mixed dot encoded") << u".%2e"_s << true << QByteArray();
    QTest::newRow("double encoded dot dot") << u"%252e%252e"_s << true << QByteArray();
    QTest::newRow("encoded parent slash") << u"..%2fadmin"_s << true << QByteArray();
    QTest::newRow("parent backslash") << u"..\\admin"_s << true << QByteArray();
    QTest::newRow("inner parent") << u"a/../b"_s << true << QByteArray();
    QTest::newRow("fullwidth dots") << u"\uFF0E\uFF0E"_s << true << QByteArray();
    QTest::newRow("two dot leader") << u"\u2025"_s << true << QByteArray();
    QTest::newRow("empty") << QString() << true << QByteArray();
    QTest::newRow("dot dot params") << u"..;x"_s << true << QByteArray();
    QTest::newRow("dot dot nul") << QString(u"..\0"_s) << true << QByteArray();
    QTest::newRow("five times encoded dots") << u"%2525252e%2525252e"_s << true << QByteArray();
    QTest::newRow("overlong dots") << u"%C0%AE%C0%AE"_s << true << QByteArray();

    QTest::newRow("slash") << u"a/b"_s << false << QByteArray("a%2Fb");
    QTest::newRow("only slash") << u"/"_s << false << QByteArray("%2F");
    QTest::newRow("query") << u"a?b=c"_s << false << QByteArray("a%3Fb%3Dc");
    QTest::newRow("fragment") << u"a#frag"_s << false << QByteArray("a%23frag");
    QTest::newRow("at host") << u"@evil.com"_s << false << QByteArray("%40evil.com");
    QTest::newRow("absolute url") << u"http://evil.com"_s << false
                                  << QByteArray("http%3A%2F%2Fevil.com");
    QTest::newRow("protocol relative")
        << u"//evil.com/x"_s << false << QByteArray("%2F%2Fevil.com%2Fx");
    QTest::newRow("backslashes") << u"\\\\evil"_s << false << QByteArray("%5C%5Cevil");
    QTest::newRow("fullwidth N") << u"\uFF2E\uFF2E"_s << false << QByteArray("%EF%BC%AE%EF%BC%AE");
    QTest::newRow("fullwidth solidus") << u"a\uFF0Fb"_s << false << QByteArray("a%EF%BC%8Fb");
    QTest::newRow("encoded slash") << u"%2f"_s << false << QByteArray("%252f");
    QTest::newRow("percent") << u"100%"_s << false << QByteArray("100%25");
    QTest::newRow("three dots") << u"..."_s << false << QByteArray("...");
    QTest::newRow("semicolon") << u"a;b"_s << false << QByteArray("a%3Bb");
    QTest::newRow("dot file") << u".env"_s << false << QByteArray(".env");
    QTest::newRow("dotted name") << u"v1.2"_s << false << QByteArray("v1.2");
    QTest::newRow("space") << u"a b"_s << false << QByteArray("a%20b");
    QTest::newRow("crlf") << u"a\r\nb"_s << false << QByteArray("a%0D%0Ab");
    QTest::newRow("nul") << QString(u"a\0b"_s) << false << QByteArray("a%00b");
    QTest::newRow("umlaut") << u"\u00FC"_s << false << QByteArray("%C3%BC");
    QTest::newRow("colon port") << u":9999"_s << false << QByteArray("%3A9999");
    QTest::newRow("unreserved stay") << u"Az09-._~"_s << false << QByteArray("Az09-._~");
}

void TestRequestBuilder::hostilePathValues()
{
    QFETCH(QString, value);
    QFETCH(bool, refused);
    QFETCH(QByteArray, encoded);

    const auto doc = document();
    const auto spec = RequestBuilder::build(doc, itemTool(), {{u"id"_s, value}}, {});
    if (refused) {
        QVERIFY2(!spec, spec ? qPrintable(spec->url.toString()) : "");
        QVERIFY2(spec.error().message.contains(u"\"id\""_s), qPrintable(spec.error().message));
        return;
    }
    QVERIFY2(spec, qPrintable(spec ? QString() : spec.error().message));
    const QUrl &url = spec->url;
    QCOMPARE(url.scheme(), u"http"_s);
    QCOMPARE(url.host(), u"127.0.0.1"_s);
    QCOMPARE(url.port(), 8080);
    QVERIFY(url.userInfo().isEmpty());
    QVERIFY(!url.hasFragment());
    QVERIFY(!url.hasQuery());
    const QByteArray path = url.path(QUrl::FullyEncoded).toUtf8();
    QVERIFY2(path.startsWith("/api/v1/items/"), path.constData());
    QCOMPARE(path.mid(qsizetype(strlen("/api/v1/items/"))), encoded);
    // What goes on the wire parses back to the same place.
    const QUrl reparsed = QUrl::fromEncoded(url.toEncoded(), QUrl::StrictMode);
    QCOMPARE(reparsed.host(), u"127.0.0.1"_s);
    QCOMPARE(reparsed.port(), 8080);
    QVERIFY(reparsed.path(QUrl::FullyEncoded).startsWith(u"/api/v1/items/"_s));
    // And the one segment decodes to exactly the argument.
    QCOMPARE(QString::fromUtf8(QByteArray::fromPercentEncoding(encoded)), value);
}

void TestRequestBuilder::hostileValuesUnderOtherBases_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("value");
    QTest::newRow("root base, at") << u"https://api.example.com"_s << u"@evil.com"_s;
    QTest::newRow("root base, url") << u"https://api.example.com"_s << u"https://evil.com/x"_s;
    QTest::newRow("trailing slash base") << u"http://127.0.0.1:9/v2/"_s << u"x/../../y"_s;
    QTest::newRow("ipv6 base") << u"http://[::1]:8081/api"_s << u"[::2]:80"_s;
    QTest::newRow("userinfo trick") << u"http://127.0.0.1:8080/api"_s << u"user:pw@evil"_s;
}

void TestRequestBuilder::hostileValuesUnderOtherBases()
{
    QFETCH(QString, base);
    QFETCH(QString, value);
    const QUrl baseUrl(base);
    const auto spec = RequestBuilder::build(document(base), itemTool(), {{u"id"_s, value}}, {});
    if (!spec)
        return; // refusing is always safe
    QCOMPARE(spec->url.scheme(), baseUrl.scheme());
    QCOMPARE(spec->url.host(), baseUrl.host());
    QCOMPARE(spec->url.port(), baseUrl.port());
    QString basePath = baseUrl.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    QVERIFY2(spec->url.path(QUrl::FullyEncoded).startsWith(basePath + u"/items/"_s),
             qPrintable(spec->url.toString()));
    QVERIFY(spec->url.userInfo().isEmpty());
}

void TestRequestBuilder::hostileQueryValues_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("ampersand") << u"a&admin=true"_s;
    QTest::newRow("hash") << u"x#frag"_s;
    QTest::newRow("plus and space") << u"a+b c"_s;
    QTest::newRow("percent") << u"%2e%2e%2f"_s;
    QTest::newRow("crlf") << u"a\r\nHost: evil"_s;
    QTest::newRow("unicode") << u"\uFF2E\u00FC\U0001F600"_s;
    QTest::newRow("equals") << u"=="_s;
}

void TestRequestBuilder::hostileQueryValues()
{
    QFETCH(QString, value);
    bridge::Tool tool;
    tool.name = u"search"_s;
    tool.path = u"/search"_s;
    tool.parameters = {param(u"q"_s, u"query"_s)};
    const auto spec = RequestBuilder::build(document(), tool, {{u"q"_s, value}}, {});
    QVERIFY(spec);
    QCOMPARE(spec->url.host(), u"127.0.0.1"_s);
    QCOMPARE(spec->url.path(), u"/api/v1/search"_s);
    QVERIFY(!spec->url.hasFragment());
    const auto items = queryPairs(spec->url);
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.first().first, u"q"_s);
    QCOMPARE(items.first().second, value);
}

void TestRequestBuilder::pathQtWouldChangeIsRefused()
{
    // Qt 6.4 normalises a request's path when it writes it and drops a two-character segment
    // that starts with "." on the way: "/files/.x/versions" would go out as "/files//versions".
    // What is checked, logged and confirmed must be what is sent.
    bridge::Tool tool;
    tool.name = u"delete_versions"_s;
    tool.method = u"DELETE"_s;
    tool.path = u"/files/{name}/versions"_s;
    tool.parameters = {param(u"name"_s, u"path"_s)};
    const auto doc = document();
    const auto dropped = RequestBuilder::build(doc, tool, {{u"name"_s, u".x"_s}}, {});
    QVERIFY2(!dropped, dropped ? qPrintable(dropped->url.toString()) : "");
    QVERIFY2(dropped.error().message.contains(u"starts with \".\""_s),
             qPrintable(dropped.error().message));
    const auto kept = RequestBuilder::build(doc, tool, {{u"name"_s, u".env"_s}}, {});
    QVERIFY2(kept, qPrintable(kept ? QString() : kept.error().message));
    QCOMPARE(kept->url.path(QUrl::FullyEncoded), u"/api/v1/files/.env/versions"_s);
    QCOMPARE(kept->url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority
                                 | QUrl::NormalizePathSegments),
             QByteArray("/api/v1/files/.env/versions"));
}

void TestRequestBuilder::reservedHeaderParameters()
{
    // Headers that route or frame the request are the bridge's: an argument cannot send the
    // call to another site behind a shared proxy, or break the framing.
    for (const QString &header : {u"Host"_s, u"content-length"_s, u"Transfer-Encoding"_s}) {
        bridge::Tool tool;
        tool.name = u"routed"_s;
        tool.path = u"/x"_s;
        tool.parameters = {param(u"h"_s, u"header"_s, header)};
        const auto spec
            = RequestBuilder::build(document(), tool, {{u"h"_s, u"evil.example"_s}}, {});
        QVERIFY(!spec);
        QVERIFY2(spec.error().message.contains(u"sets itself"_s), qPrintable(spec.error().message));
        QVERIFY(spec.error().message.contains(u"\"h\""_s));
    }
}

void TestRequestBuilder::headerValues_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("refused");
    QTest::newRow("crlf injection") << u"a\r\nX-Evil: 1"_s << true;
    QTest::newRow("lf injection") << u"a\nX-Evil: 1"_s << true;
    QTest::newRow("cr only") << u"a\rb"_s << true;
    QTest::newRow("nul") << QString(u"a\0b"_s) << true;
    QTest::newRow("escape char") << u"a\u001bb"_s << true;
    QTest::newRow("del") << u"a\u007fb"_s << true;
    QTest::newRow("plain") << u"abc-123"_s << false;
    QTest::newRow("tab and spaces") << u"a\tb c"_s << false;
    QTest::newRow("unicode") << u"caf\u00e9"_s << false;
}

void TestRequestBuilder::headerValues()
{
    QFETCH(QString, value);
    QFETCH(bool, refused);
    bridge::Tool tool;
    tool.name = u"with_header"_s;
    tool.path = u"/x"_s;
    tool.parameters = {param(u"trace"_s, u"header"_s, u"X-Trace"_s)};
    const auto spec = RequestBuilder::build(document(), tool, {{u"trace"_s, value}}, {});
    if (refused) {
        QVERIFY(!spec);
        QVERIFY2(spec.error().message.contains(u"\"trace\""_s), qPrintable(spec.error().message));
        QVERIFY(spec.error().message.contains(u"line break or control character"_s));
        return;
    }
    QVERIFY(spec);
    QCOMPARE(spec->header("X-Trace"), value.toUtf8());
    for (const auto &[name, v] : spec->headers) {
        QVERIFY(!name.contains('\n') && !v.contains('\n') && !v.contains('\r'));
        QVERIFY(name.compare("X-Evil", Qt::CaseInsensitive) != 0);
    }
}

void TestRequestBuilder::resolveUnderBase_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<bool>("ok");
    QTest::newRow("plain") << u"http://h:1/api"_s << QByteArray("/items") << true;
    QTest::newRow("base itself") << u"http://h:1/api"_s << QByteArray("") << true;
    QTest::newRow("parent") << u"http://h:1/api"_s << QByteArray("/../admin") << false;
    QTest::newRow("encoded parent") << u"http://h:1/api"_s << QByteArray("/%2e%2e/admin") << false;
    QTest::newRow("dot") << u"http://h:1/api"_s << QByteArray("/./x") << false;
    QTest::newRow("sibling prefix") << u"http://h:1/api"_s << QByteArray("x") << true;
    QTest::newRow("authority injection") << u"http://h:1/api"_s << QByteArray("@evil.com/") << true;
    QTest::newRow("double slash") << u"http://h:1"_s << QByteArray("//evil.com/x") << true;
    QTest::newRow("fragment") << u"http://h:1/api"_s << QByteArray("/x#y") << false;
    QTest::newRow("space") << u"http://h:1/api"_s << QByteArray("/a b") << false;
    // The bytes are checked before a QUrl is made: only path characters and whole escapes, and
    // no dot step in any decoding (a server may decode "%2e", "%2f" or "%5c" first).
    QTest::newRow("mixed case dots") << u"http://h:1/api"_s << QByteArray("/%2e%2E/x") << false;
    QTest::newRow("dot and escape") << u"http://h:1/api"_s << QByteArray("/x/%2E.") << false;
    QTest::newRow("trailing parent") << u"http://h:1/api"_s << QByteArray("/x/..") << false;
    QTest::newRow("trailing dot") << u"http://h:1/api"_s << QByteArray("/x/%2e") << false;
    QTest::newRow("double encoded parent")
        << u"http://h:1/api"_s << QByteArray("/%252e%252e/admin") << false;
    QTest::newRow("encoded slash parent")
        << u"http://h:1/api"_s << QByteArray("/x%2F..%2Fadmin") << false;
    QTest::newRow("encoded backslash parent")
        << u"http://h:1/api"_s << QByteArray("/x%5C..%5cadmin") << false;
    QTest::newRow("fullwidth dots")
        << u"http://h:1/api"_s << QByteArray("/%EF%BC%8E%EF%BC%8E/admin") << false;
    QTest::newRow("backslash") << u"http://h:1/api"_s << QByteArray("/a\\b") << false;
    QTest::newRow("question mark") << u"http://h:1/api"_s << QByteArray("/x?admin=1") << false;
    QTest::newRow("broken escape") << u"http://h:1/api"_s << QByteArray("/a%zz") << false;
    QTest::newRow("short escape") << u"http://h:1/api"_s << QByteArray("/a%2") << false;
    QTest::newRow("raw utf-8") << u"http://h:1/api"_s << QByteArray("/\xC3\xBC") << false;
    QTest::newRow("brackets") << u"http://h:1/api"_s << QByteArray("/[::1]") << false;
    QTest::newRow("dot step in base") << u"http://h:1/api/../x"_s << QByteArray("/y") << false;
    QTest::newRow("three dots") << u"http://h:1/api"_s << QByteArray("/.../x") << true;
    QTest::newRow("encoded three dots") << u"http://h:1/api"_s << QByteArray("/%2e%2e%2e") << true;
    QTest::newRow("dots inside") << u"http://h:1/api"_s << QByteArray("/a..b/v1.2") << true;
    QTest::newRow("encoded slash") << u"http://h:1/api"_s << QByteArray("/a%2Fb") << true;
    QTest::newRow("double slash under path")
        << u"http://h:1/api"_s << QByteArray("//evil.example/x") << true;
    QTest::newRow("escaped at") << u"http://h:1"_s << QByteArray("/%40evil.example") << true;
    QTest::newRow("brackets in base") << u"http://h:1/a[1]"_s << QByteArray("/x") << true;
}

void TestRequestBuilder::resolveUnderBase()
{
    QFETCH(QString, base);
    QFETCH(QByteArray, path);
    QFETCH(bool, ok);
    const auto baseUrl = RequestBuilder::parseBaseUrl(base);
    QVERIFY(baseUrl);
    const auto url = RequestBuilder::resolveUnderBase(*baseUrl, path, {});
    QCOMPARE(bool(url), ok);
    if (!url) {
        QVERIFY(url.error().message.contains(u"would leave the API's base URL"_s));
        return;
    }
    QCOMPARE(url->host(), u"h"_s);
    QCOMPARE(url->port(), 1);
    QVERIFY(url->path(QUrl::FullyEncoded).startsWith(baseUrl->path()));
    QVERIFY(url->userInfo().isEmpty());
    QVERIFY(!url->hasFragment());
    QVERIFY(!url->hasQuery());
    // What goes on the wire parses back to the same server.
    const QUrl reparsed = QUrl::fromEncoded(url->toEncoded(), QUrl::StrictMode);
    QCOMPARE(reparsed.host(), u"h"_s);
    QCOMPARE(reparsed.port(), 1);
    QCOMPARE(reparsed.path(QUrl::FullyEncoded), url->path(QUrl::FullyEncoded));
}

void TestRequestBuilder::resolveUnderBaseQuery_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<bool>("ok");
    QTest::newRow("plain") << QByteArray("a=1&b=2") << true;
    QTest::newRow("slash and question mark") << QByteArray("next=/a?b") << true;
    QTest::newRow("escapes") << QByteArray("q=%23%20%26") << true;
    QTest::newRow("fragment") << QByteArray("a=1#frag") << false;
    QTest::newRow("space") << QByteArray("a=1 2") << false;
    QTest::newRow("broken escape") << QByteArray("a=%zz") << false;
    QTest::newRow("line break") << QByteArray("a=1\r\nHost: evil") << false;
}

void TestRequestBuilder::resolveUnderBaseQuery()
{
    QFETCH(QByteArray, query);
    QFETCH(bool, ok);
    const auto baseUrl = RequestBuilder::parseBaseUrl(u"http://h:1/api"_s);
    QVERIFY(baseUrl);
    const auto url = RequestBuilder::resolveUnderBase(*baseUrl, "/x", query);
    QCOMPARE(bool(url), ok);
    if (!url)
        return;
    QCOMPARE(url->path(), u"/api/x"_s);
    QCOMPARE(url->query(QUrl::FullyEncoded).toUtf8(), query);
    QVERIFY(!url->hasFragment());
}

// Literal parts of a path template are written by whoever made the bridge, but they pass the
// same check as argument values: nothing may leave the base URL.
void TestRequestBuilder::hostileTemplates_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("refused");
    QTest::addColumn<QString>("expectedPath"); // FullyEncoded, when accepted
    const QString api = u"http://127.0.0.1:8080/api/v1"_s;
    const QString root = u"http://127.0.0.1:8080"_s;
    QTest::newRow("parent") << api << u"/items/../admin"_s << true << QString();
    QTest::newRow("encoded parent") << api << u"/items/%2e%2e/admin"_s << true << QString();
    QTest::newRow("mixed case parent") << api << u"/items/%2E%2e"_s << true << QString();
    QTest::newRow("encoded slash parent") << api << u"/a%2F..%2Fadmin"_s << true << QString();
    QTest::newRow("backslash parent") << api << u"/a\\..\\admin"_s << true << QString();
    QTest::newRow("parent before variable") << api << u"/../{id}"_s << true << QString();
    QTest::newRow("protocol relative")
        << api << u"//evil.example/x"_s << false << u"/api/v1//evil.example/x"_s;
    QTest::newRow("protocol relative at root")
        << root << u"//evil.example/x"_s << false << u"//evil.example/x"_s;
    QTest::newRow("at sign at root")
        << root << u"@evil.example/x"_s << false << u"/@evil.example/x"_s;
    QTest::newRow("absolute url") << root << u"http://evil.example/x"_s << false
                                  << u"/http://evil.example/x"_s;
    QTest::newRow("fragment is encoded") << api << u"/x#frag"_s << false << u"/api/v1/x%23frag"_s;
    QTest::newRow("encoded slash stays")
        << api << u"/files/a%2Fb"_s << false << u"/api/v1/files/a%2Fb"_s;
    QTest::newRow("space is encoded") << api << u"/a b"_s << false << u"/api/v1/a%20b"_s;
    QTest::newRow("dotted names") << api << u"/v1.2/.well-known"_s << false
                                  << u"/api/v1/v1.2/.well-known"_s;
}

void TestRequestBuilder::hostileTemplates()
{
    QFETCH(QString, base);
    QFETCH(QString, path);
    QFETCH(bool, refused);
    QFETCH(QString, expectedPath);
    bridge::Tool tool;
    tool.name = u"t"_s;
    tool.path = path;
    if (path.contains(u"{id}"_s))
        tool.parameters = {param(u"id"_s, u"path"_s)};
    const auto spec = RequestBuilder::build(document(base), tool, {{u"id"_s, u"7"_s}}, {});
    if (refused) {
        QVERIFY2(!spec, spec ? qPrintable(spec->url.toString()) : "");
        QVERIFY2(spec.error().message.contains(u"would leave the API's base URL"_s),
                 qPrintable(spec.error().message));
        return;
    }
    QVERIFY2(spec, qPrintable(spec ? QString() : spec.error().message));
    QCOMPARE(spec->url.host(), u"127.0.0.1"_s);
    QCOMPARE(spec->url.port(), 8080);
    QVERIFY(spec->url.userInfo().isEmpty());
    QVERIFY(!spec->url.hasFragment());
    QCOMPARE(spec->url.path(QUrl::FullyEncoded), expectedPath);
    const QUrl reparsed = QUrl::fromEncoded(spec->url.toEncoded(), QUrl::StrictMode);
    QCOMPARE(reparsed.host(), u"127.0.0.1"_s);
    QCOMPARE(reparsed.port(), 8080);
    QCOMPARE(reparsed.path(QUrl::FullyEncoded), expectedPath);
}

// Resource paths come from a URI template filled with the client's values (percent-encoded
// once); a value that still decodes to a step up must not get through.
void TestRequestBuilder::hostileResourcePaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("refused");
    QTest::newRow("parent") << u"/template/../secret"_s << true;
    QTest::newRow("double encoded parent") << u"/template/%252e%252e/secret"_s << true;
    QTest::newRow("encoded slash parent") << u"/template/a%2F..%2Fsecret"_s << true;
    QTest::newRow("encoded backslash parent") << u"/template/..%5Csecret"_s << true;
    QTest::newRow("fullwidth dots") << u"/template/%EF%BC%8E%EF%BC%8E/secret"_s << true;
    QTest::newRow("plain") << u"/template/a%2Fb/data"_s << false;
    QTest::newRow("protocol relative") << u"//evil.example/x"_s << false;
    QTest::newRow("fragment") << u"/x#y"_s << false;
}

void TestRequestBuilder::hostileResourcePaths()
{
    QFETCH(QString, path);
    QFETCH(bool, refused);
    const auto spec = RequestBuilder::buildGet(document(), path, {});
    QCOMPARE(!spec, refused);
    if (!spec)
        return;
    QCOMPARE(spec->url.host(), u"127.0.0.1"_s);
    QCOMPARE(spec->url.port(), 8080);
    QVERIFY(!spec->url.hasFragment());
    QVERIFY(!spec->url.hasQuery());
    QVERIFY(spec->url.path(QUrl::FullyEncoded).startsWith(u"/api/v1/"_s));
}

// Path values are encoded byte for byte like QByteArray::toPercentEncoding() of their UTF-8.
void TestRequestBuilder::encodingMatchesQt_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("ascii punctuation") << u" !\"#$%&'()*+,/:;<=>?@[\\]^`{|}"_s;
    QTest::newRow("controls") << QString(u"\0\x01\t\n\r\x7f"_s);
    QTest::newRow("latin-1") << u"\u00a0\u00e9\u00ff"_s;
    QTest::newRow("bmp") << u"\u20ac\u4e2d\uffff"_s;
    QTest::newRow("surrogate pair") << u"a\U0001F600b"_s;
    QTest::newRow("lone surrogate") << QString(QChar(0xD800)) + u"x"_s;
    QTest::newRow("escape-like") << u"%41%2e%zz"_s;
}

void TestRequestBuilder::encodingMatchesQt()
{
    QFETCH(QString, value);
    const auto encoded = RequestBuilder::encodePathValue(u"v"_s, value);
    QVERIFY2(encoded, qPrintable(encoded ? QString() : encoded.error().message));
    QCOMPARE(encoded->toLatin1(), value.toUtf8().toPercentEncoding());
}

void TestRequestBuilder::methodNames_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("empty") << QString() << QByteArray("GET");
    QTest::newRow("lower") << u"delete"_s << QByteArray("DELETE");
    QTest::newRow("mixed") << u"pAtCh"_s << QByteArray("PATCH");
    QTest::newRow("other") << u"purge"_s << QByteArray("PURGE");
    QTest::newRow("near miss") << u"GETS"_s << QByteArray("GETS");
}

void TestRequestBuilder::methodNames()
{
    QFETCH(QString, method);
    QFETCH(QByteArray, expected);
    bridge::Tool tool = itemTool();
    tool.method = method;
    const auto spec = RequestBuilder::build(document(), tool, {{u"id"_s, u"1"_s}}, {});
    QVERIFY(spec);
    QCOMPARE(spec->method, expected);
}

void TestRequestBuilder::baseUrlChecks_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<bool>("ok");
    QTest::newRow("http") << u"http://127.0.0.1:8766"_s << true;
    QTest::newRow("https path") << u"https://api.example.com/v1"_s << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("relative") << u"/api"_s << false;
    QTest::newRow("ftp") << u"ftp://example.com"_s << false;
    QTest::newRow("query") << u"http://h/api?x=1"_s << false;
    QTest::newRow("userinfo") << u"http://u:p@h/api"_s << false;
}

void TestRequestBuilder::baseUrlChecks()
{
    QFETCH(QString, base);
    QFETCH(bool, ok);
    const auto url = RequestBuilder::parseBaseUrl(base);
    QCOMPARE(bool(url), ok);
    if (!ok)
        QCOMPARE(url.error().where, u"/upstream/baseUrl"_s);
}

void TestRequestBuilder::placement()
{
    bridge::Tool tool;
    tool.name = u"create"_s;
    tool.method = u"post"_s;
    tool.path = u"/lists/{list}/items"_s;
    tool.parameters = {param(u"list"_s, u"path"_s),  param(u"tags"_s, u"query"_s),
                       param(u"dry"_s, u"query"_s),  param(u"trace"_s, u"header"_s, u"X-Trace"_s),
                       param(u"title"_s, u"body"_s), param(u"count"_s, u"body"_s),
                       param(u"meta"_s, u"body"_s),  param(u"unused"_s, u"query"_s)};
    const QJsonObject args{{u"list"_s, u"groceries"_s},
                           {u"tags"_s, QJsonArray{u"a"_s, u"b c"_s}},
                           {u"dry"_s, true},
                           {u"trace"_s, u"t-1"_s},
                           {u"title"_s, u"Milk"_s},
                           {u"count"_s, 2},
                           {u"meta"_s, QJsonObject{{u"k"_s, u"v"_s}}}};
    const auto spec = RequestBuilder::build(document(), tool, args, {});
    QVERIFY(spec);
    QCOMPARE(spec->method, QByteArray("POST"));
    QCOMPARE(spec->url.path(), u"/api/v1/lists/groceries/items"_s);
    const auto query = queryPairs(spec->url);
    QCOMPARE(query, (QList<std::pair<QString, QString>>{
                        {u"tags"_s, u"a"_s}, {u"tags"_s, u"b c"_s}, {u"dry"_s, u"true"_s}}));
    QCOMPARE(spec->header("X-Trace"), QByteArray("t-1"));
    QCOMPARE(spec->header("Content-Type"), QByteArray("application/json"));
    const QJsonObject body = QJsonDocument::fromJson(spec->body).object();
    QCOMPARE(body, (QJsonObject{{u"title"_s, u"Milk"_s},
                                {u"count"_s, 2},
                                {u"meta"_s, QJsonObject{{u"k"_s, u"v"_s}}}}));
}

void TestRequestBuilder::wireNamesOnTheWire()
{
    bridge::Tool tool;
    tool.name = u"clash"_s;
    tool.method = u"PUT"_s;
    tool.path = u"/things/{id}"_s;
    tool.parameters
        = {param(u"path_id"_s, u"path"_s, u"id"_s), param(u"query_id"_s, u"query"_s, u"id"_s),
           param(u"header_id"_s, u"header"_s, u"X-Id"_s), param(u"body_id"_s, u"body"_s, u"id"_s)};
    const auto spec = RequestBuilder::build(document(), tool,
                                            {{u"path_id"_s, u"p"_s},
                                             {u"query_id"_s, u"q"_s},
                                             {u"header_id"_s, u"h"_s},
                                             {u"body_id"_s, u"b"_s}},
                                            {});
    QVERIFY(spec);
    QCOMPARE(spec->url.path(), u"/api/v1/things/p"_s);
    QCOMPARE(queryPairs(spec->url), (QList<std::pair<QString, QString>>{{u"id"_s, u"q"_s}}));
    QCOMPARE(spec->header("X-Id"), QByteArray("h"));
    QCOMPARE(QJsonDocument::fromJson(spec->body).object(), (QJsonObject{{u"id"_s, u"b"_s}}));
}

void TestRequestBuilder::valueFormatting()
{
    bridge::Tool tool;
    tool.name = u"fmt"_s;
    tool.path = u"/n/{n}"_s;
    tool.parameters = {param(u"n"_s, u"path"_s), param(u"f"_s, u"query"_s),
                       param(u"big"_s, u"query"_s), param(u"ids"_s, u"header"_s, u"X-Ids"_s)};
    const auto spec = RequestBuilder::build(
        document(), tool,
        {{u"n"_s, 42}, {u"f"_s, 2.5}, {u"big"_s, 1e15}, {u"ids"_s, QJsonArray{1, 2, 3}}}, {});
    QVERIFY(spec);
    QCOMPARE(spec->url.path(), u"/api/v1/n/42"_s);
    QCOMPARE(queryPairs(spec->url), (QList<std::pair<QString, QString>>{
                                        {u"f"_s, u"2.5"_s}, {u"big"_s, u"1000000000000000"_s}}));
    QCOMPARE(spec->header("X-Ids"), QByteArray("1,2,3"));
}

void TestRequestBuilder::undeclaredArgumentsFollowTheMethod()
{
    bridge::Tool get;
    get.name = u"g"_s;
    get.path = u"/g"_s;
    auto spec = RequestBuilder::build(document(), get, {{u"x"_s, u"1"_s}}, {});
    QVERIFY(spec);
    QCOMPARE(queryPairs(spec->url), (QList<std::pair<QString, QString>>{{u"x"_s, u"1"_s}}));
    QVERIFY(spec->body.isEmpty());

    bridge::Tool post = get;
    post.method = u"POST"_s;
    spec = RequestBuilder::build(document(), post, {{u"x"_s, u"1"_s}}, {});
    QVERIFY(spec);
    QVERIFY(!spec->url.hasQuery());
    QCOMPARE(QJsonDocument::fromJson(spec->body).object(), (QJsonObject{{u"x"_s, u"1"_s}}));
}

void TestRequestBuilder::missingPathArgument()
{
    const auto spec = RequestBuilder::build(document(), itemTool(), {}, {});
    QVERIFY(!spec);
    QCOMPARE(spec.error().message,
             u"The argument \"id\" is required: it is part of the API path /items/{id}."_s);
}

void TestRequestBuilder::fixedQueryInTemplate()
{
    bridge::Tool tool;
    tool.name = u"fixed"_s;
    tool.path = u"/search?type=all"_s;
    tool.parameters = {param(u"q"_s, u"query"_s)};
    const auto spec = RequestBuilder::build(document(), tool, {{u"q"_s, u"x"_s}}, {});
    QVERIFY(spec);
    QCOMPARE(spec->url.path(), u"/api/v1/search"_s);
    QCOMPARE(queryPairs(spec->url),
             (QList<std::pair<QString, QString>>{{u"type"_s, u"all"_s}, {u"q"_s, u"x"_s}}));
}

void TestRequestBuilder::standardHeaders()
{
    const auto spec = RequestBuilder::build(document(), itemTool(), {{u"id"_s, u"1"_s}}, {});
    QVERIFY(spec);
    QCOMPARE(spec->header("Accept"), QByteArray("application/json, */*;q=0.8"));
    QVERIFY(spec->header("User-Agent").startsWith("mcpbridge/"));
    QVERIFY(spec->header("User-Agent").size() > int(strlen("mcpbridge/")));
    QVERIFY(spec->body.isEmpty());
    QVERIFY(spec->header("Content-Type").isEmpty());
}

void TestRequestBuilder::defaultHeadersWithSecrets()
{
    auto doc = document();
    doc.upstream.headers.insert(u"X-Tenant"_s, u"acme"_s);
    doc.upstream.headers.insert(u"X-Signed"_s, u"key=${secret:sign_key};v=1"_s);
    const auto spec = RequestBuilder::build(doc, itemTool(), {{u"id"_s, u"1"_s}},
                                            {{u"sign_key"_s, u"k-123456"_s}});
    QVERIFY(spec);
    QCOMPARE(spec->header("X-Tenant"), QByteArray("acme"));
    QCOMPARE(spec->header("X-Signed"), QByteArray("key=k-123456;v=1"));
    QVERIFY(spec->secretValues.contains(u"k-123456"_s));

    const auto missing = RequestBuilder::build(doc, itemTool(), {{u"id"_s, u"1"_s}}, {});
    QVERIFY(!missing);
    QVERIFY(missing.error().message.contains(u"\"sign_key\""_s));

    doc.upstream.headers.insert(u"X-Bad"_s, u"${secret:nl}"_s);
    const auto newline = RequestBuilder::build(doc, itemTool(), {{u"id"_s, u"1"_s}},
                                               {{u"sign_key"_s, u"k"_s}, {u"nl"_s, u"a\r\nb"_s}});
    QVERIFY(!newline);
    QVERIFY(newline.error().message.contains(u"X-Bad"_s));
    QVERIFY(!newline.error().message.contains(u"a\r\nb"_s));
}

void TestRequestBuilder::auth_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("headerValue");
    QTest::addColumn<QString>("queryName");

    const QByteArray basic = "Basic " + QByteArray("alice:s3cret-token").toBase64();
    QTest::newRow("bearer") << u"bearer"_s << QString() << QString() << QByteArray("Authorization")
                            << QByteArray("Bearer s3cret-token") << QString();
    QTest::newRow("basic") << u"basic"_s << QString() << QString() << QByteArray("Authorization")
                           << basic << QString();
    QTest::newRow("apiKey header")
        << u"apiKey"_s << u"header"_s << u"X-Api-Key"_s << QByteArray("X-Api-Key")
        << QByteArray("s3cret-token") << QString();
    QTest::newRow("apiKey cookie")
        << u"apiKey"_s << u"cookie"_s << u"api_key"_s << QByteArray("Cookie")
        << QByteArray("api_key=s3cret-token") << QString();
    QTest::newRow("apiKey query") << u"apiKey"_s << u"query"_s << u"api_key"_s << QByteArray()
                                  << QByteArray() << u"api_key"_s;
}

void TestRequestBuilder::auth()
{
    QFETCH(QString, kind);
    QFETCH(QString, in);
    QFETCH(QString, name);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, headerValue);
    QFETCH(QString, queryName);
    auto doc = document();
    doc.upstream.auth.kind = kind;
    doc.upstream.auth.secret = u"token"_s;
    doc.upstream.auth.in = in;
    doc.upstream.auth.name = name;
    doc.upstream.auth.username = u"alice"_s;
    const auto spec = RequestBuilder::build(doc, itemTool(), {{u"id"_s, u"7"_s}},
                                            {{u"token"_s, u"s3cret-token"_s}});
    QVERIFY2(spec, qPrintable(spec ? QString() : spec.error().message));
    QVERIFY(spec->secretValues.contains(u"s3cret-token"_s));
    if (!header.isEmpty())
        QCOMPARE(spec->header(header), headerValue);
    if (!queryName.isEmpty()) {
        QCOMPARE(queryPairs(spec->url),
                 (QList<std::pair<QString, QString>>{{queryName, u"s3cret-token"_s}}));
        QCOMPARE(spec->secretQueryNames, QStringList{queryName});
    } else {
        QVERIFY(!spec->url.hasQuery());
    }
    QCOMPARE(spec->url.path(), u"/api/v1/items/7"_s);
}

void TestRequestBuilder::authMissingSecret()
{
    auto doc = document();
    doc.upstream.auth.kind = u"bearer"_s;
    doc.upstream.auth.secret = u"token"_s;
    const auto spec = RequestBuilder::build(doc, itemTool(), {{u"id"_s, u"7"_s}}, {});
    QVERIFY(!spec);
    QVERIFY(spec.error().message.contains(u"\"token\""_s));
}

void TestRequestBuilder::secretsNeeded()
{
    bridge::Upstream upstream;
    QVERIFY(RequestBuilder::secretsNeeded(upstream).isEmpty());
    upstream.auth.kind = u"bearer"_s;
    upstream.auth.secret = u"api_token"_s;
    upstream.headers.insert(u"X-A"_s, u"${secret:a} and ${secret:b}"_s);
    upstream.headers.insert(u"X-B"_s, u"${secret:api_token}"_s);
    QCOMPARE(RequestBuilder::secretsNeeded(upstream),
             (QStringList{u"api_token"_s, u"a"_s, u"b"_s}));
}

void TestRequestBuilder::buildGetForResources()
{
    auto doc = document();
    doc.upstream.auth.kind = u"bearer"_s;
    doc.upstream.auth.secret = u"token"_s;
    auto spec
        = RequestBuilder::buildGet(doc, u"/template/a%2Fb/data?x=1"_s, {{u"token"_s, u"t0ken"_s}});
    QVERIFY(spec);
    QCOMPARE(spec->url.path(QUrl::FullyEncoded), u"/api/v1/template/a%2Fb/data"_s);
    QCOMPARE(spec->url.query(), u"x=1"_s);
    QCOMPARE(spec->header("Authorization"), QByteArray("Bearer t0ken"));
    spec = RequestBuilder::buildGet(doc, u"/../secret"_s, {{u"token"_s, u"t0ken"_s}});
    QVERIFY(!spec);
}

void TestRequestBuilder::describeCallForConfirmation()
{
    auto doc = document();
    doc.upstream.auth.kind = u"bearer"_s;
    doc.upstream.auth.secret = u"token"_s;
    doc.upstream.headers.insert(u"X-Tenant"_s, u"${secret:tenant}"_s);
    bridge::Tool t;
    t.name = u"delete_item"_s;
    t.method = u"delete"_s;
    t.path = u"/items/{id}"_s;
    t.parameters = {param(u"id"_s, u"path"_s), param(u"force"_s, u"query"_s)};
    // No secrets are given: a description never needs (or shows) credentials.
    const auto text
        = RequestBuilder::describeCall(doc, t, {{u"id"_s, u"a b/42"_s}, {u"force"_s, true}});
    QVERIFY2(text, qPrintable(text ? QString() : text.error().message));
    QCOMPARE(*text, u"DELETE http://127.0.0.1:8080/api/v1/items/a%20b%2F42?force=true"_s);

    t.method = u"POST"_s;
    t.path = u"/items"_s;
    t.parameters = {param(u"title"_s, u"body"_s)};
    const auto withBody
        = RequestBuilder::describeCall(doc, t, {{u"title"_s, QString(30, u'x')}}, 20);
    QVERIFY(withBody);
    QCOMPARE(*withBody,
             u"POST http://127.0.0.1:8080/api/v1/items\nwith the body: {\"title\":\"xxxxxxxxxx…"_s);

    // Hostile arguments fail exactly as the call itself would.
    t.method = u"GET"_s;
    t.path = u"/items/{id}"_s;
    t.parameters = {param(u"id"_s, u"path"_s)};
    QVERIFY(!RequestBuilder::describeCall(doc, t, {{u"id"_s, u".."_s}}));
}

// The body follows the tool's media type (set by the OpenAPI importer); a wholeBody parameter is
// the entire body.
void TestRequestBuilder::bodyMediaTypes_data()
{
    QTest::addColumn<QString>("mediaType");
    QTest::addColumn<bool>("whole");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QByteArray>("expectedBody");
    QTest::addColumn<QByteArray>("expectedType");
    QTest::newRow("json fields") << QString() << false << QJsonValue(u"a b"_s)
                                 << QByteArray(R"({"note":"a b","qty":2})")
                                 << QByteArray("application/json");
    QTest::newRow("form fields") << u"application/x-www-form-urlencoded"_s << false
                                 << QJsonValue(u"a b&c=d"_s)
                                 << QByteArray("note=a%20b%26c%3Dd&qty=2")
                                 << QByteArray("application/x-www-form-urlencoded");
    QTest::newRow("whole json array") << QString() << true << QJsonValue(QJsonArray{1, u"x"_s})
                                      << QByteArray(R"([1,"x"])") << QByteArray("application/json");
    QTest::newRow("whole text") << u"text/plain"_s << true << QJsonValue(u"line 1\nline 2"_s)
                                << QByteArray("line 1\nline 2")
                                << QByteArray("text/plain; charset=utf-8");
}

void TestRequestBuilder::bodyMediaTypes()
{
    QFETCH(QString, mediaType);
    QFETCH(bool, whole);
    QFETCH(QJsonValue, value);
    QFETCH(QByteArray, expectedBody);
    QFETCH(QByteArray, expectedType);
    bridge::Tool tool;
    tool.name = u"send"_s;
    tool.method = u"POST"_s;
    tool.path = u"/items"_s;
    tool.bodyMediaType = mediaType;
    QJsonObject args;
    if (whole) {
        bridge::Parameter body = param(u"body"_s, u"body"_s);
        body.wholeBody = true;
        tool.parameters = {body};
        args.insert(u"body"_s, value);
    } else {
        tool.parameters = {param(u"note"_s, u"body"_s), param(u"qty"_s, u"body"_s)};
        args = {{u"note"_s, value}, {u"qty"_s, 2}};
    }
    const auto spec = RequestBuilder::build(document(), tool, args, {});
    QVERIFY2(spec, qPrintable(spec ? QString() : spec.error().toString()));
    QCOMPARE(spec->body, expectedBody);
    QCOMPARE(spec->header("Content-Type"), expectedType);
}

void TestRequestBuilder::multipartBody()
{
    bridge::Tool tool;
    tool.name = u"upload"_s;
    tool.method = u"POST"_s;
    tool.path = u"/notes"_s;
    tool.bodyMediaType = u"multipart/form-data"_s;
    tool.parameters = {param(u"title"_s, u"body"_s), param(u"tags"_s, u"body"_s)};
    // A value that tries to close the part and start one of its own.
    const QString hostile
        = u"hi\r\n--x\r\nContent-Disposition: form-data; name=\"admin\"\r\n\r\n1"_s;
    const auto spec = RequestBuilder::build(
        document(), tool, {{u"title"_s, hostile}, {u"tags"_s, QJsonArray{u"a"_s}}}, {});
    QVERIFY2(spec, qPrintable(spec ? QString() : spec.error().toString()));
    const QByteArray type = spec->header("Content-Type");
    QVERIFY(type.startsWith("multipart/form-data; boundary=mcpbridge-"));
    const QByteArray boundary = type.mid(type.indexOf("boundary=") + 9);
    QVERIFY(boundary.size() > 20);
    QVERIFY(!hostile.toUtf8().contains(boundary));
    // Exactly two parts and the closing delimiter, whatever the values contain.
    const QByteArray delimiter = QByteArray("--") + boundary;
    QCOMPARE(spec->body.count(QByteArray(delimiter + "\r\n")), 2);
    QVERIFY(spec->body.endsWith(QByteArray(delimiter + "--\r\n")));
    QVERIFY(spec->body.contains(
        QByteArray("name=\"title\"\r\n\r\n" + hostile.toUtf8() + "\r\n" + delimiter)));
    QVERIFY(spec->body.contains("name=\"tags\"\r\n\r\n[\"a\"]\r\n"));
}

void TestRequestBuilder::oversizedBodyIsRefused()
{
    bridge::Tool tool;
    tool.name = u"store"_s;
    tool.method = u"POST"_s;
    tool.path = u"/blobs"_s;
    tool.parameters = {param(u"data"_s, u"body"_s)};
    const QString justFits(RequestBuilder::MaxRequestBodyBytes - 20, u'a');
    QVERIFY(RequestBuilder::build(document(), tool, {{u"data"_s, justFits}}, {}));
    const QString tooMuch(RequestBuilder::MaxRequestBodyBytes + 1, u'a');
    const auto spec = RequestBuilder::build(document(), tool, {{u"data"_s, tooMuch}}, {});
    QVERIFY(!spec);
    QVERIFY2(spec.error().message.startsWith(u"The request body for \"store\" would be 1"_s),
             qPrintable(spec.error().message));
    QVERIFY(spec.error().message.contains(u"Send less data"_s));
}

QTEST_GUILESS_MAIN(TestRequestBuilder)
#include "tst_requestbuilder.moc"
