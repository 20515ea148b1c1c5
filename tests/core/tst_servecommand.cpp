// `mcpbridge serve` as a user and an MCP client run it: the built binary in a QProcess, talking
// stdio over its pipes or HTTP on a port it picked, calling a FixtureUpstream on 127.0.0.1.

#include "core/bridge/bridgedocument.h"
#include "core/bridge/documentio.h"
#include "tests/fixtures/fixtureupstream.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace mcpbridge;

namespace {

bridge::BridgeDocument makeDocument(int toolCount)
{
    bridge::BridgeDocument doc;
    doc.server.name = u"servetest"_s;
    doc.server.title = u"Serve Test"_s;
    doc.upstream.baseUrl = u"http://127.0.0.1:9/unused"_s; // replaced by --base-url
    for (int i = 0; i < toolCount; ++i) {
        bridge::Tool echo;
        echo.name = u"echo_%1"_s.arg(i);
        echo.description = u"Echoes the request back (tool %1)."_s.arg(i);
        echo.method = u"GET"_s;
        echo.path = u"/echo"_s;
        bridge::Parameter text;
        text.name = u"text"_s;
        text.in = u"query"_s;
        text.required = true;
        text.description = u"Words to echo."_s;
        text.schema = QJsonObject{{u"type"_s, u"string"_s}};
        echo.parameters = {text};
        doc.tools.append(echo);
    }
    return doc;
}

QByteArray rpc(const QJsonValue &id, const QString &method, const QJsonObject &params = {})
{
    QJsonObject object{{u"jsonrpc"_s, u"2.0"_s}, {u"method"_s, method}};
    if (!id.isUndefined())
        object.insert(u"id"_s, id);
    if (!params.isEmpty())
        object.insert(u"params"_s, params);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray initializeMessage()
{
    return rpc(1, u"initialize"_s,
               {{u"protocolVersion"_s, u"2025-11-25"_s},
                {u"capabilities"_s, QJsonObject{}},
                {u"clientInfo"_s, QJsonObject{{u"name"_s, u"tst"_s}, {u"version"_s, u"1"_s}}}});
}

// Reads the stdout of a stdio bridge line by line.
class StdioClient
{
public:
    explicit StdioClient(QProcess *process)
        : m_process(process)
    {}

    void send(const QByteArray &message) { m_process->write(message + '\n'); }

    // Waits for a line satisfying `accept`; every line read on the way is kept in lines().
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &accept,
                        int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            while (m_process->canReadLine()) {
                const QByteArray line = m_process->readLine().chopped(1);
                m_lines.append(line);
                const QJsonObject object = QJsonDocument::fromJson(line).object();
                if (accept(object))
                    return object;
            }
            // The fixture upstream lives in this process: keep its event loop turning.
            QTest::qWait(5);
        }
        return {};
    }
    QJsonObject waitForId(int id, int timeoutMs = 5000)
    {
        return waitFor([id](const QJsonObject &o) { return o.value("id"_L1).toInt(-1) == id; },
                       timeoutMs);
    }
    QList<QByteArray> lines() const { return m_lines; }

private:
    QProcess *m_process;
    QList<QByteArray> m_lines;
};

} // namespace

class tst_ServeCommand : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void httpPrintsUrlAndAnswers();
    void busyPortExitsWithMessage();
    void brokenConfigExits2_data();
    void brokenConfigExits2();
    void badArguments_data();
    void badArguments();
    void stdioInitializeAndList();
    void stdioConfigEditSendsListChanged();

private:
    QString writeConfig(const bridge::BridgeDocument &document);
    void start(const QStringList &arguments);
    QProcess *m_process = nullptr;
    QString m_binary;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_configPath;
    fixtures::FixtureUpstream *m_upstream = nullptr;
};

void tst_ServeCommand::initTestCase()
{
    const QByteArray binaryDir = qgetenv("MCPBRIDGE_BINARY_DIR");
    QVERIFY2(!binaryDir.isEmpty(), "run through ctest (MCPBRIDGE_BINARY_DIR is not set)");
    m_binary = QString::fromLocal8Bit(binaryDir) + u"/app/cli/mcpbridge"_s;
    QVERIFY2(QFileInfo(m_binary).isExecutable(), qPrintable(m_binary + u" is not built"_s));
}

void tst_ServeCommand::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_upstream = new fixtures::FixtureUpstream(this);
    QVERIFY(m_upstream->listen(0));
    m_configPath = writeConfig(makeDocument(2));
}

void tst_ServeCommand::cleanup()
{
    if (m_process) {
        if (m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished(3000);
        }
        delete m_process;
        m_process = nullptr;
    }
    delete m_upstream;
    m_upstream = nullptr;
    m_dir.reset();
}

QString tst_ServeCommand::writeConfig(const bridge::BridgeDocument &document)
{
    const QString path = m_dir->filePath(u"bridge.mcpbridge.json"_s);
    const Result<void> saved = bridge::saveDocument(document, path);
    if (!saved)
        qWarning() << "cannot write the config:" << saved.error().message;
    return path;
}

void tst_ServeCommand::start(const QStringList &arguments)
{
    m_process = new QProcess;
    m_process->setProgram(m_binary);
    m_process->setArguments(arguments);
    m_process->start();
    QVERIFY(m_process->waitForStarted(5000));
}

void tst_ServeCommand::httpPrintsUrlAndAnswers()
{
    start({u"serve"_s, u"--config"_s, m_configPath, u"--http"_s, u"127.0.0.1:0"_s, u"--base-url"_s,
           m_upstream->baseUrl().toString()});
    QVERIFY(m_process->waitForReadyRead(5000));
    QTRY_VERIFY_WITH_TIMEOUT(m_process->canReadLine(), 5000);
    const QString line = QString::fromUtf8(m_process->readLine()).trimmed();
    static const QRegularExpression pattern(
        uR"(^mcpbridge: serving "Serve Test" at (http://127\.0\.0\.1:(\d+)/mcp)$)"_s);
    const QRegularExpressionMatch match = pattern.match(line);
    QVERIFY2(match.hasMatch(), qPrintable(line));
    const quint16 port = match.captured(2).toUShort();
    QVERIFY(port != 0);

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(socket.waitForConnected(3000));
    const QByteArray body = initializeMessage();
    socket.write("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
                 + "\r\nContent-Type: application/json\r\nAccept: application/json, "
                   "text/event-stream\r\nContent-Length: "
                 + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray answer;
    QDeadlineTimer deadline(5000);
    while (!answer.contains("\"result\"") && !deadline.hasExpired()) {
        socket.waitForReadyRead(100);
        answer += socket.readAll();
    }
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QVERIFY(answer.toLower().contains("mcp-session-id: "));
    QVERIFY(answer.contains("\"serverInfo\""));

    // Nothing else on stdout; SIGTERM stops it cleanly.
    QVERIFY(m_process->readAllStandardOutput().isEmpty());
    ::kill(pid_t(m_process->processId()), SIGTERM);
    QVERIFY(m_process->waitForFinished(5000));
    QCOMPARE(m_process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_process->exitCode(), 0);
}

void tst_ServeCommand::busyPortExitsWithMessage()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    const QString port = QString::number(blocker.serverPort());
    start({u"serve"_s, u"--config"_s, m_configPath, u"--http"_s, u"127.0.0.1:"_s + port});
    QVERIFY(m_process->waitForFinished(5000));
    QCOMPARE(m_process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_process->exitCode(), 1);
    const QString err = QString::fromUtf8(m_process->readAllStandardError());
    const QString expected = u"mcpbridge: cannot listen on 127.0.0.1:%1: the address is already in "
                             "use. Pick another port with --http 127.0.0.1:PORT, or 0 for any free "
                             "port."_s.arg(port);
    QVERIFY2(err.contains(expected), qPrintable(err));
    QVERIFY(m_process->readAllStandardOutput().isEmpty());
}

void tst_ServeCommand::brokenConfigExits2_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("expected"); // all must appear on stderr
    const QString dir
        = qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR") + u"/tests/fixtures/documents/"_s;
    QTest::newRow("syntax") << dir + u"broken-syntax.mcpbridge.json"_s
                            << QStringList{u"broken-syntax.mcpbridge.json:5:"_s, u"error"_s};
    QTest::newRow("semantics") << dir + u"broken-semantics.mcpbridge.json"_s
                               << QStringList{u"broken-semantics.mcpbridge.json"_s, u"/tools/0"_s,
                                              u"/upstream/baseUrl"_s};
    QTest::newRow("missing") << dir + u"no-such-file.mcpbridge.json"_s
                             << QStringList{u"no-such-file.mcpbridge.json"_s, u"does not exist"_s};
}

void tst_ServeCommand::brokenConfigExits2()
{
    QFETCH(QString, file);
    QFETCH(QStringList, expected);
    start({u"serve"_s, u"--config"_s, file, u"--stdio"_s});
    QVERIFY(m_process->waitForFinished(5000));
    QCOMPARE(m_process->exitCode(), 2);
    const QString err = QString::fromUtf8(m_process->readAllStandardError());
    for (const QString &text : expected)
        QVERIFY2(err.contains(text), qPrintable(u"missing \"%1\" in:\n%2"_s.arg(text, err)));
    QVERIFY(m_process->readAllStandardOutput().isEmpty()); // stdout is the protocol's
}

void tst_ServeCommand::badArguments_data()
{
    QTest::addColumn<QStringList>("arguments"); // CONFIG stands for the config path
    QTest::addColumn<QString>("expected");
    QTest::newRow("no transport") << QStringList{u"--config"_s, u"CONFIG"_s} << u"--stdio"_s;
    QTest::newRow("both transports")
        << QStringList{u"--config"_s, u"CONFIG"_s, u"--stdio"_s, u"--http"_s, u"0"_s}
        << u"choose one"_s;
    QTest::newRow("no config") << QStringList{u"--stdio"_s} << u"--config"_s;
    QTest::newRow("bad port") << QStringList{u"--config"_s, u"CONFIG"_s, u"--http"_s,
                                             u"127.0.0.1:99999"_s}
                              << u"65535"_s;
    QTest::newRow("host name") << QStringList{u"--config"_s, u"CONFIG"_s, u"--http"_s,
                                              u"example.com:80"_s}
                               << u"not an IP address"_s;
    QTest::newRow("bad base url") << QStringList{u"--config"_s, u"CONFIG"_s, u"--stdio"_s,
                                                 u"--base-url"_s, u"ftp://x"_s}
                                  << u"--base-url"_s;
    QTest::newRow("token env unset")
        << QStringList{u"--config"_s, u"CONFIG"_s,      u"--http"_s,
                       u"0"_s,        u"--token-env"_s, u"MCPBRIDGE_TEST_UNSET_TOKEN_VARIABLE"_s}
        << u"MCPBRIDGE_TEST_UNSET_TOKEN_VARIABLE"_s;
}

void tst_ServeCommand::badArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);
    arguments.replaceInStrings(u"CONFIG"_s, m_configPath);
    start(QStringList{u"serve"_s} + arguments);
    QVERIFY(m_process->waitForFinished(5000));
    QCOMPARE(m_process->exitCode(), 2);
    const QString err = QString::fromUtf8(m_process->readAllStandardError());
    QVERIFY2(err.contains(expected), qPrintable(err));
}

void tst_ServeCommand::stdioInitializeAndList()
{
    start({u"serve"_s, u"--config"_s, m_configPath, u"--stdio"_s, u"--base-url"_s,
           m_upstream->baseUrl().toString()});
    StdioClient client(m_process);
    client.send(initializeMessage());
    const QJsonObject init = client.waitForId(1);
    QCOMPARE(init.value("result"_L1)
                 .toObject()
                 .value("serverInfo"_L1)
                 .toObject()
                 .value("name"_L1)
                 .toString(),
             u"servetest"_s);
    client.send(rpc(QJsonValue::Undefined, u"notifications/initialized"_s));
    client.send(rpc(2, u"tools/list"_s));
    const QJsonObject list = client.waitForId(2);
    QCOMPARE(list.value("result"_L1).toObject().value("tools"_L1).toArray().size(), 2);
    client.send(rpc(
        3, u"tools/call"_s,
        {{u"name"_s, u"echo_0"_s}, {u"arguments"_s, QJsonObject{{u"text"_s, u"via stdio"_s}}}}));
    const QJsonObject call = client.waitForId(3, 10000);
    QVERIFY2(QJsonDocument(call).toJson().contains("via stdio"),
             QJsonDocument(call).toJson().constData());

    // EOF on stdin: exit 0. Every line on stdout was a JSON-RPC message.
    m_process->closeWriteChannel();
    QVERIFY(m_process->waitForFinished(5000));
    QCOMPARE(m_process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_process->exitCode(), 0);
    QByteArray rest = m_process->readAllStandardOutput();
    QList<QByteArray> lines = client.lines();
    for (const QByteArray &line : rest.split('\n'))
        if (!line.isEmpty())
            lines.append(line);
    QVERIFY(lines.size() >= 3);
    for (const QByteArray &line : std::as_const(lines)) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        QVERIFY2(error.error == QJsonParseError::NoError && doc.isObject(), line.constData());
        QCOMPARE(doc.object().value("jsonrpc"_L1).toString(), u"2.0"_s);
    }
}

void tst_ServeCommand::stdioConfigEditSendsListChanged()
{
    start({u"serve"_s, u"--config"_s, m_configPath, u"--stdio"_s, u"--base-url"_s,
           m_upstream->baseUrl().toString()});
    StdioClient client(m_process);
    client.send(initializeMessage());
    QVERIFY(!client.waitForId(1).isEmpty());
    client.send(rpc(QJsonValue::Undefined, u"notifications/initialized"_s));
    client.send(rpc(2, u"ping"_s));
    QVERIFY(!client.waitForId(2).isEmpty());

    // An editor saves a new version (atomically: a new file replaces the old one).
    writeConfig(makeDocument(3));
    const QJsonObject changed = client.waitFor([](const QJsonObject &o) {
        return o.value("method"_L1).toString() == u"notifications/tools/list_changed"_s;
    });
    QVERIFY2(!changed.isEmpty(), "no notifications/tools/list_changed after the edit");
    client.send(rpc(3, u"tools/list"_s));
    QCOMPARE(client.waitForId(3).value("result"_L1).toObject().value("tools"_L1).toArray().size(),
             3);

    // A broken edit is reported on stderr and the previous version keeps serving.
    {
        QFile file(m_configPath);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("{ \"format\": 1, \"server\": ");
    }
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT(
        (err += m_process->readAllStandardError()).contains("previous version"), 5000);
    client.send(rpc(4, u"tools/list"_s));
    QCOMPARE(client.waitForId(4).value("result"_L1).toObject().value("tools"_L1).toArray().size(),
             3);
    m_process->closeWriteChannel();
    QVERIFY(m_process->waitForFinished(5000));
    QCOMPARE(m_process->exitCode(), 0);
}

QTEST_GUILESS_MAIN(tst_ServeCommand)
#include "tst_servecommand.moc"
