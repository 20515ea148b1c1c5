// PlainHttpClient, the light keep-alive client for plain http:// upstreams, on its own against
// the FixtureUpstream and a scripted server on 127.0.0.1: connection reuse and its limit,
// chunked, read-until-close and bodiless answers, a server that closes mid-answer or drops a
// kept-alive connection, a dead port, cancellation, and when it stands aside for a proxy.
// tst_plainhttpinvoker covers RestInvoker calling through it.

#include "core/upstream/httpbodydecoder.h"
#include "core/upstream/plainhttpclient.h"
#include "tests/core/scriptedhttpserver.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace mcpbridge::upstream;
using mcpbridge::fixtures::FixtureUpstream;
using mcpbridge::testing::answer;
using mcpbridge::testing::ScriptedServer;

namespace {

PlainHttpRequest get(const QString &url)
{
    return {QByteArrayLiteral("GET"), QUrl(url), {}, {}};
}

// Waits for the reply to finish and returns its whole body (a text no body equals when it never
// finished).
QByteArray finish(PlainHttpReply *reply, int timeoutMs = 10000)
{
    QByteArray body;
    QObject::connect(reply, &PlainHttpReply::readyRead, reply,
                     [reply, &body] { body += reply->readAll(); });
    if (!reply->isFinished()
        && !QTest::qWaitFor([reply] { return reply->isFinished(); }, timeoutMs))
        return QByteArrayLiteral("(the reply never finished)");
    body += reply->readAll();
    return body;
}

// Content-Encoding bodies made with qCompress (a 4-byte length, then a zlib stream): "deflate"
// is the zlib stream, raw deflate is its middle, gzip wraps the middle with a CRC-32.
QByteArray zlibStream(const QByteArray &data)
{
    return qCompress(data, 9).mid(4);
}

QByteArray rawDeflate(const QByteArray &data)
{
    return zlibStream(data).mid(2).chopped(4);
}

QByteArray gzipped(const QByteArray &data)
{
    quint32 crc = 0xffffffffu;
    for (const char c : data) {
        crc ^= static_cast<unsigned char>(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    crc ^= 0xffffffffu;
    auto le32 = [](quint32 v) {
        QByteArray out;
        for (int i = 0; i < 4; ++i)
            out += char((v >> (8 * i)) & 0xff);
        return out;
    };
    return QByteArray::fromHex("1f8b0800000000000003") + rawDeflate(data) + le32(crc)
           + le32(quint32(data.size()));
}

QByteArray encodedAnswer(const QByteArray &coding, const QByteArray &body)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: " + coding
           + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace

class TestPlainHttpClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void keepAliveReuse();
    void waitsBeyondSixConnections();
    void chunked();
    void readUntilClose();
    void answersWithoutBody();
    void idleConnectionClosedByTheServer();
    void closedMidAnswer();
    void keptAliveConnectionClosedIsResent();
    void deadPort();
    void cancellation();
    void carriesOnlyPlainHttpWithoutProxy();
    void compressedAnswers_data();
    void compressedAnswers();
    void compressedAnswerIsDecodedInPieces();
    void acceptEncodingOfTheCallerIsLeftAlone();

private:
    FixtureUpstream m_fixture;
};

void TestPlainHttpClient::initTestCase()
{
    QVERIFY(m_fixture.listen());
}

void TestPlainHttpClient::init()
{
    m_fixture.clearRequests();
}

void TestPlainHttpClient::keepAliveReuse()
{
    PlainHttpClient client;
    const QString url = m_fixture.baseUrl().toString() + u"/json"_s;
    for (int i = 0; i < 3; ++i) {
        PlainHttpReply *reply = client.send(get(url));
        const QByteArray body = finish(reply);
        QCOMPARE(reply->error(), PlainHttpReply::Error::None);
        QCOMPARE(reply->status(), 200);
        QCOMPARE(reply->reasonPhrase(), QByteArray("OK"));
        QCOMPARE(reply->header("content-type"), QByteArray("application/json"));
        QCOMPARE(body, QByteArray("{\"message\":\"hello\",\"items\":[1,2,3]}"));
        QCOMPARE(reply->reusedConnection(), i > 0);
        delete reply;
    }
    QCOMPARE(client.connectionsOpened(), 1);
    QCOMPARE(client.openConnections(), 1);
    QCOMPARE(m_fixture.requests().size(), 3);
    QCOMPARE(m_fixture.lastRequest().header("host"),
             u"127.0.0.1:%1"_s.arg(m_fixture.port()).toLatin1());
}

void TestPlainHttpClient::waitsBeyondSixConnections()
{
    PlainHttpClient client;
    QList<PlainHttpReply *> replies;
    for (int i = 0; i < 9; ++i)
        replies << client.send(get(m_fixture.baseUrl().toString() + u"/delay/100"_s));
    for (PlainHttpReply *reply : std::as_const(replies)) {
        QCOMPARE(finish(reply), QByteArray("{\"delayed\":100}"));
        QCOMPARE(reply->status(), 200);
    }
    QCOMPARE(client.connectionsOpened(), PlainHttpClient::MaxConnectionsPerHost);
    qDeleteAll(replies);
}

void TestPlainHttpClient::chunked()
{
    ScriptedServer server([](QTcpSocket *s, int, int, const QByteArray &) {
        // Split across writes, with a chunk extension and a trailer.
        s->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                 "\r\n5;ext=1\r\nHello\r\n");
        s->flush();
        s->write("7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n");
    });
    QVERIFY(server.listen());
    PlainHttpClient client;
    for (int i = 0; i < 2; ++i) {
        PlainHttpReply *reply = client.send(get(server.base() + u"/c"_s));
        QCOMPARE(finish(reply), QByteArray("Hello, world"));
        QCOMPARE(reply->error(), PlainHttpReply::Error::None);
        QCOMPARE(reply->contentLength(), -1);
        delete reply;
    }
    QCOMPARE(server.connections(), 1); // the connection survived the chunked answer
}

void TestPlainHttpClient::readUntilClose()
{
    ScriptedServer server([](QTcpSocket *s, int, int, const QByteArray &) {
        s->write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it");
        s->disconnectFromHost();
    });
    QVERIFY(server.listen());
    PlainHttpClient client;
    PlainHttpReply *reply = client.send(get(server.base() + u"/"_s));
    QCOMPARE(finish(reply), QByteArray("all of it"));
    QCOMPARE(reply->error(), PlainHttpReply::Error::None);
    delete reply;
    QTRY_COMPARE(client.openConnections(), 0);
}

void TestPlainHttpClient::answersWithoutBody()
{
    // HEAD, 204 and 304 have no body whatever their headers say; an interim 100 Continue is
    // skipped. The connection carries on with the next request.
    ScriptedServer server([](QTcpSocket *s, int, int request, const QByteArray &) {
        switch (request) {
        case 0: s->write("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"); break;
        case 1: s->write("HTTP/1.1 204 No Content\r\n\r\n"); break;
        case 2: s->write("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"); break;
        default: s->write("HTTP/1.1 100 Continue\r\n\r\n" + answer("after continue"));
        }
    });
    QVERIFY(server.listen());
    PlainHttpClient client;
    const QList<std::pair<QByteArray, int>> cases{{"HEAD", 200}, {"GET", 204}, {"GET", 304}};
    for (const auto &[method, status] : cases) {
        PlainHttpReply *reply = client.send({method, QUrl(server.base() + u"/x"_s), {}, {}});
        QCOMPARE(finish(reply), QByteArray());
        QCOMPARE(reply->error(), PlainHttpReply::Error::None);
        QCOMPARE(reply->status(), status);
        delete reply;
    }
    PlainHttpReply *last = client.send(get(server.base() + u"/x"_s));
    QCOMPARE(finish(last), QByteArray("after continue"));
    QCOMPARE(last->status(), 200);
    delete last;
    QCOMPARE(server.connections(), 1);
}

void TestPlainHttpClient::idleConnectionClosedByTheServer()
{
    // The server closes a kept-alive connection while it is idle: the client lets it go, and
    // the next request opens a new one without a failure.
    ScriptedServer server([](QTcpSocket *s, int, int, const QByteArray &) {
        s->write(answer("bye"));
        s->flush();
        QTimer::singleShot(50, s, [s] { s->disconnectFromHost(); });
    });
    QVERIFY(server.listen());
    PlainHttpClient client;
    PlainHttpReply *first = client.send(get(server.base() + u"/a"_s));
    QCOMPARE(finish(first), QByteArray("bye"));
    QTRY_COMPARE_WITH_TIMEOUT(client.openConnections(), 0, 5000);
    PlainHttpReply *second = client.send(get(server.base() + u"/b"_s));
    QVERIFY(!second->reusedConnection());
    QCOMPARE(finish(second), QByteArray("bye"));
    QCOMPARE(second->error(), PlainHttpReply::Error::None);
    QCOMPARE(server.connections(), 2);
    delete first;
    delete second;
}

void TestPlainHttpClient::closedMidAnswer()
{
    ScriptedServer server([](QTcpSocket *s, int, int, const QByteArray &) {
        s->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b");
        s->flush();
        s->disconnectFromHost();
    });
    QVERIFY(server.listen());
    PlainHttpClient client;
    PlainHttpReply *reply = client.send(get(server.base() + u"/"_s));
    finish(reply);
    QVERIFY(reply->isFinished());
    QCOMPARE(reply->error(), PlainHttpReply::Error::ConnectionClosed);
    QCOMPARE(reply->status(), 200);
    delete reply;
    QTRY_COMPARE(client.openConnections(), 0);
}

void TestPlainHttpClient::keptAliveConnectionClosedIsResent()
{
    // The second request on a connection finds it closed by the server: it goes out again on a
    // new connection, once, and the caller never notices.
    ScriptedServer server([](QTcpSocket *s, int, int request, const QByteArray &) {
        if (request == 0)
            s->write(answer("first"));
        else
            s->abort();
    });
    QVERIFY(server.listen());
    PlainHttpClient client;
    PlainHttpReply *first = client.send(get(server.base() + u"/a"_s));
    QCOMPARE(finish(first), QByteArray("first"));
    PlainHttpReply *second = client.send(get(server.base() + u"/b"_s));
    QVERIFY(second->reusedConnection());
    QCOMPARE(finish(second), QByteArray("first")); // request 0 of the new connection
    QCOMPARE(second->error(), PlainHttpReply::Error::None);
    QCOMPARE(server.connections(), 2);
    QCOMPARE(server.heads().size(), 3);
    QVERIFY(server.heads().at(2).startsWith("GET /b HTTP/1.1"));
    delete first;
    delete second;
}

void TestPlainHttpClient::deadPort()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const QString url = u"http://127.0.0.1:%1/json"_s.arg(probe.serverPort());
    probe.close();
    PlainHttpClient client;
    PlainHttpReply *reply = client.send(get(url));
    QSignalSpy finished(reply, &PlainHttpReply::finished);
    QCOMPARE(finished.size(), 0); // never from inside send()
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->error(), PlainHttpReply::Error::ConnectionRefused);
    delete reply;
    QTRY_COMPARE(client.openConnections(), 0);
}

void TestPlainHttpClient::cancellation()
{
    PlainHttpClient client;
    PlainHttpReply *reply = client.send(get(m_fixture.baseUrl().toString() + u"/delay/3000"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.requests().size(), 1, 5000);
    QSignalSpy finished(reply, &PlainHttpReply::finished);
    reply->abort();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(reply->error(), PlainHttpReply::Error::Aborted);
    reply->abort(); // a second time changes nothing
    QCOMPARE(finished.size(), 1);
    delete reply;
    QTRY_COMPARE(client.openConnections(), 0); // an aborted connection is never reused
    // Deleting a reply before it finished cancels it as well; the next request works.
    delete client.send(get(m_fixture.baseUrl().toString() + u"/delay/3000"_s));
    PlainHttpReply *next = client.send(get(m_fixture.baseUrl().toString() + u"/text"_s));
    QCOMPARE(finish(next), QByteArray("Hello from the fixture upstream"));
    delete next;
}

void TestPlainHttpClient::carriesOnlyPlainHttpWithoutProxy()
{
    PlainHttpClient client;
    QVERIFY(client.canCarry(QUrl(u"http://127.0.0.1:8080/x"_s)));
    QVERIFY(!client.canCarry(QUrl(u"https://127.0.0.1:8443/x"_s)));
    QVERIFY(!client.canCarry(QUrl(u"ftp://127.0.0.1/x"_s)));
    // With an application proxy Qt would use it, so this client stands aside.
    QNetworkProxy::setApplicationProxy(
        QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, 3128));
    PlainHttpClient proxied;
    QVERIFY(!proxied.canCarry(QUrl(u"http://api.example.com/x"_s)));
    QNetworkProxy::setApplicationProxy(QNetworkProxy(QNetworkProxy::DefaultProxy));
    QNetworkProxyFactory::setUseSystemConfiguration(true); // as Qt starts
}
void TestPlainHttpClient::compressedAnswers_data()
{
    QTest::addColumn<QByteArray>("coding");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("valid");
    const QByteArray json = "{\"recipes\":[{\"id\":9,\"title\":\"Red Lentil Soup\"}],\"total\":1}";
    QTest::newRow("gzip") << QByteArray("gzip") << gzipped(json) << true;
    QTest::newRow("deflate") << QByteArray("deflate") << zlibStream(json) << true;
    QTest::newRow("raw deflate") << QByteArray("deflate") << rawDeflate(json) << true;
    QTest::newRow("x-gzip") << QByteArray("x-gzip") << gzipped(json) << true;
    QByteArray broken = gzipped(json);
    broken[12] = char(0xff);
    broken[13] = char(0xff);
    QTest::newRow("corrupt") << QByteArray("gzip") << broken << false;
}

void TestPlainHttpClient::compressedAnswers()
{
    if (!HttpBodyDecoder::available())
        QSKIP("built without zlib: the client asks for uncompressed answers only");
    QFETCH(QByteArray, coding);
    QFETCH(QByteArray, body);
    QFETCH(bool, valid);
    QByteArray acceptEncoding;
    ScriptedServer server([&](QTcpSocket *s, int, int, const QByteArray &head) {
        for (const QByteArray &line : head.split('\n')) {
            if (line.toLower().startsWith("accept-encoding:"))
                acceptEncoding = line.mid(16).trimmed();
        }
        s->write(encodedAnswer(coding, body));
    });
    QVERIFY(server.listen());
    PlainHttpClient client;
    PlainHttpReply *reply = client.send(get(server.base() + u"/c"_s));
    const QByteArray decoded = finish(reply);
    QCOMPARE(acceptEncoding, QByteArray("gzip, deflate"));
    if (!valid) {
        QVERIFY(reply->isFinished());
        QCOMPARE(reply->error(), PlainHttpReply::Error::Protocol);
        QVERIFY2(reply->errorString().startsWith(u"The compressed answer could not be decoded"_s),
                 qPrintable(reply->errorString()));
        delete reply;
        return;
    }
    QCOMPARE(decoded,
             QByteArray("{\"recipes\":[{\"id\":9,\"title\":\"Red Lentil Soup\"}],\"total\":1}"));
    QCOMPARE(reply->error(), PlainHttpReply::Error::None);
    // As with Qt: the encoding stays visible, the length of the encoded body does not.
    QCOMPARE(reply->header("content-encoding"), coding);
    QVERIFY(reply->header("content-length").isEmpty());
    QCOMPARE(reply->contentLength(), -1);
    delete reply;
}

void TestPlainHttpClient::compressedAnswerIsDecodedInPieces()
{
    if (!HttpBodyDecoder::available())
        QSKIP("built without zlib");
    // 20 MB of one letter packs into a few kilobytes: it must come out a piece at a time, so a
    // reader that stops early never holds it all.
    const QByteArray big(20 * 1024 * 1024, 'x');
    const QByteArray packed = gzipped(big);
    QVERIFY(packed.size() < 100 * 1024);
    ScriptedServer server([&](QTcpSocket *s, int, int, const QByteArray &) {
        s->write(encodedAnswer("gzip", packed));
    });
    QVERIFY(server.listen());
    PlainHttpClient client;
    PlainHttpReply *reply = client.send(get(server.base() + u"/big"_s));
    qsizetype largest = 0, total = 0;
    int pieces = 0;
    connect(reply, &PlainHttpReply::readyRead, reply, [&] {
        const QByteArray piece = reply->readAll();
        largest = std::max(largest, piece.size());
        total += piece.size();
        ++pieces;
    });
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 20000);
    total += reply->readAll().size();
    QCOMPARE(reply->error(), PlainHttpReply::Error::None);
    QCOMPARE(total, big.size());
    QVERIFY(pieces >= 20);
    QVERIFY2(largest <= 512 * 1024, qPrintable(QString::number(largest)));

    // A reader that stops after the first piece stops the decoding there too.
    PlainHttpReply *stopped = client.send(get(server.base() + u"/big"_s));
    int read = 0;
    connect(stopped, &PlainHttpReply::readyRead, stopped, [&] {
        read += int(stopped->readAll().size());
        stopped->abort();
    });
    QTRY_VERIFY_WITH_TIMEOUT(stopped->isFinished(), 20000);
    QCOMPARE(stopped->error(), PlainHttpReply::Error::Aborted);
    QVERIFY(read > 0 && read <= 512 * 1024);
    delete reply;
    delete stopped;
}

void TestPlainHttpClient::acceptEncodingOfTheCallerIsLeftAlone()
{
    // A document that sets Accept-Encoding itself gets the body as the API sent it (as with Qt).
    const QByteArray packed = gzipped("{\"a\":1}");
    QList<QByteArray> heads;
    ScriptedServer server([&](QTcpSocket *s, int, int, const QByteArray &head) {
        heads << head;
        s->write(encodedAnswer("gzip", packed));
    });
    QVERIFY(server.listen());
    PlainHttpClient client;
    PlainHttpReply *reply = client.send({QByteArrayLiteral("GET"),
                                         QUrl(server.base() + u"/a"_s),
                                         {{"Accept-Encoding", "gzip"}},
                                         {}});
    QCOMPARE(finish(reply), packed);
    QCOMPARE(heads.size(), 1);
    QCOMPARE(heads.first().count("ccept-Encoding"), 1);
    QVERIFY(heads.first().contains("Accept-Encoding: gzip\r\n"));
    QCOMPARE(reply->contentLength(), packed.size());
    delete reply;
}

QTEST_GUILESS_MAIN(TestPlainHttpClient)
#include "tst_plainhttpclient.moc"
