#pragma once

// The StreamableHttpTransport fixture shared by the tst_httptransport_* tests: a raw HTTP client
// written here (RawExchange), so the tests send what real clients and attackers send (any Host,
// Origin, Accept) and read chunked event streams as they arrive; JSON-RPC body builders; and a
// QObject test base that starts a fresh fixture upstream, McpServer and transport on 127.0.0.1
// (port 0) for every test. The test classes derive from HttpTransportFixture.

#include "core/bridge/bridgedocument.h"
#include "core/jsonrpc/message.h"
#include "core/mcp/mcpserver.h"
#include "core/mcp/session.h"
#include "core/secrets/memorysecretstore.h"
#include "core/traffic/trafficlog.h"
#include "core/transport/streamablehttptransport.h"
#include "tests/fixtures/fixturedocuments.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

namespace mcpbridge::tests::httpfixture {

using namespace Qt::StringLiterals;

using Headers = QList<std::pair<QByteArray, QByteArray>>;

struct SseEvent
{
    QByteArray id;
    QByteArray type;
    QByteArray data;
    QByteArray retry;
};

// One HTTP/1.1 exchange on its own connection, parsed as bytes arrive.
class RawExchange
{
public:
    RawExchange(quint16 port, const QByteArray &method, Headers headers,
                const QByteArray &body = {}, bool defaultHost = true)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        QByteArray request = method + " /mcp HTTP/1.1\r\n";
        if (defaultHost)
            headers.prepend({"Host", "127.0.0.1:" + QByteArray::number(port)});
        for (const auto &[name, value] : headers)
            request += name + ": " + value + "\r\n";
        if (!body.isEmpty() || method == "POST")
            request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        request += "\r\n" + body;
        m_socket.write(request);
    }

    // Until the whole response is in (Content-Length satisfied or the last chunk seen).
    bool waitForComplete(int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!m_complete && !deadline.hasExpired()) {
            pump(deadline);
        }
        return m_complete;
    }
    bool waitForHead(int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (m_status == 0 && !deadline.hasExpired())
            pump(deadline);
        return m_status != 0;
    }
    // Until at least `count` SSE events (comments not counted) arrived.
    bool waitForEvents(int count, int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (events().size() < count && !deadline.hasExpired())
            pump(deadline);
        return events().size() >= count;
    }

    int status() const { return m_status; }
    QByteArray header(const QByteArray &name) const { return m_headers.value(name.toLower()); }
    QByteArray body() const { return m_body; }
    bool isComplete() const { return m_complete; }
    QJsonObject json() const { return QJsonDocument::fromJson(m_body).object(); }
    QJsonValue jsonValue() const
    {
        const QJsonDocument doc = QJsonDocument::fromJson(m_body);
        return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }
    QList<SseEvent> events() const
    {
        QList<SseEvent> out;
        const QList<QByteArray> blocks = m_body.split('\n');
        SseEvent current;
        bool any = false;
        for (const QByteArray &line : blocks) {
            if (line.isEmpty()) {
                if (any)
                    out.append(current);
                current = {};
                any = false;
                continue;
            }
            if (line.startsWith(':'))
                continue;
            const qsizetype colon = line.indexOf(':');
            const QByteArray field = colon < 0 ? line : line.left(colon);
            QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
            if (value.startsWith(' '))
                value.remove(0, 1);
            any = true;
            if (field == "id")
                current.id = value;
            else if (field == "event")
                current.type = value;
            else if (field == "data")
                current.data += value;
            else if (field == "retry")
                current.retry = value;
        }
        // An event is complete only after its blank line: the last partial one is left out.
        return out;
    }
    void abort() { m_socket.abort(); }
    QTcpSocket &socket() { return m_socket; }

private:
    void pump(const QDeadlineTimer &deadline)
    {
        // The server runs in this thread: spin the event loop, never block in the socket.
        if (m_socket.bytesAvailable() == 0 && !deadline.hasExpired())
            QTest::qWait(5);
        m_raw += m_socket.readAll();
        parse();
    }
    void parse()
    {
        if (m_status == 0) {
            const qsizetype end = m_raw.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> lines = m_raw.left(end).split('\n');
            m_status = lines.value(0).split(' ').value(1).toInt();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    m_headers.insert(line.left(colon).trimmed().toLower(),
                                     line.mid(colon + 1).trimmed());
            }
            m_raw.remove(0, end + 4);
            m_chunked = m_headers.value("transfer-encoding").toLower() == "chunked";
            m_length = m_headers.value("content-length", "-1").toLongLong();
            if (m_status == 204 || m_status == 304)
                m_length = 0; // no body by definition
        }
        if (m_chunked) {
            while (true) {
                const qsizetype lineEnd = m_raw.indexOf("\r\n");
                if (lineEnd < 0)
                    return;
                bool ok = false;
                const qsizetype size = m_raw.left(lineEnd).toLongLong(&ok, 16);
                if (!ok)
                    return;
                if (m_raw.size() < lineEnd + 2 + size + 2)
                    return;
                m_body += m_raw.mid(lineEnd + 2, size);
                m_raw.remove(0, lineEnd + 2 + size + 2);
                if (size == 0) {
                    m_complete = true;
                    return;
                }
            }
        }
        m_body += m_raw;
        m_raw.clear();
        if (m_length >= 0 && m_body.size() >= m_length)
            m_complete = true;
    }

    QTcpSocket m_socket;
    QByteArray m_raw;
    QByteArray m_body;
    int m_status = 0;
    QHash<QByteArray, QByteArray> m_headers;
    bool m_chunked = false;
    qint64 m_length = -1;
    bool m_complete = false;
};

inline std::shared_ptr<bridge::BridgeDocument> makeDocument(const QUrl &baseUrl, int toolCount = 2)
{
    auto doc = tests::echoAndDelayDocument(baseUrl, u"httptest"_s, u"HTTP Test"_s);
    while (doc->tools.size() > toolCount)
        doc->tools.removeLast();
    return doc;
}

inline QByteArray rpc(const QJsonValue &id, const QString &method, const QJsonObject &params = {})
{
    QJsonObject object{{u"jsonrpc"_s, u"2.0"_s}, {u"method"_s, method}};
    if (!id.isUndefined())
        object.insert(u"id"_s, id);
    if (!params.isEmpty())
        object.insert(u"params"_s, params);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

inline QByteArray initializeBody(const QString &version = u"2025-11-25"_s)
{
    return rpc(1, u"initialize"_s,
               {{u"protocolVersion"_s, version},
                {u"capabilities"_s, QJsonObject{}},
                {u"clientInfo"_s, QJsonObject{{u"name"_s, u"tst"_s}, {u"version"_s, u"1"_s}}}});
}

inline const Headers postHeaders{{"Content-Type", "application/json"},
                                 {"Accept", "application/json, text/event-stream"}};

inline Headers withSession(const QByteArray &session, Headers headers = postHeaders)
{
    headers.append({"Mcp-Session-Id", session});
    return headers;
}

class HttpTransportFixture : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

protected:
    QByteArray initialize(const QString &version = u"2025-11-25"_s);

    fixtures::FixtureUpstream *m_upstream = nullptr;
    secrets::MemorySecretStore *m_secrets = nullptr;
    traffic::TrafficLog *m_log = nullptr;
    mcp::McpServer *m_server = nullptr;
    transport::StreamableHttpTransport *m_transport = nullptr;
    quint16 m_port = 0;
};

inline void HttpTransportFixture::init()
{
    m_upstream = new fixtures::FixtureUpstream(this);
    QVERIFY(m_upstream->listen(0));
    m_secrets = new secrets::MemorySecretStore(this);
    m_log = new traffic::TrafficLog(this);
    m_server = new mcp::McpServer(makeDocument(m_upstream->baseUrl()), m_secrets, m_log, this);
    m_transport = new transport::StreamableHttpTransport(m_server, this);
    const Result<quint16> port = m_transport->listen(QHostAddress::LocalHost, 0);
    QVERIFY2(port.has_value(), qPrintable(port ? QString() : port.error().message));
    m_port = *port;
    QVERIFY(m_port != 0);
    QCOMPARE(m_transport->url().toString(), u"http://127.0.0.1:%1/mcp"_s.arg(m_port));
}

inline void HttpTransportFixture::cleanup()
{
    delete m_transport;
    m_transport = nullptr;
    delete m_server;
    m_server = nullptr;
    delete m_upstream;
    m_upstream = nullptr;
}

inline QByteArray HttpTransportFixture::initialize(const QString &version)
{
    RawExchange init(m_port, "POST", postHeaders, initializeBody(version));
    if (!init.waitForComplete() || init.status() != 200)
        return {};
    const QByteArray session = init.header("mcp-session-id");
    RawExchange initialized(m_port, "POST", withSession(session),
                            rpc(QJsonValue::Undefined, u"notifications/initialized"_s));
    if (!initialized.waitForComplete() || initialized.status() != 202)
        return {};
    return session;
}

} // namespace mcpbridge::tests::httpfixture
