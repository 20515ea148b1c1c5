// Importing a spec from an http(s) URL on a real loopback server: relative server URLs resolve
// against the spec's URL, progress is reported, and a dead or failing server gets a clear error.

#include "core/openapi/openapiimporter.h"

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;

namespace {
const QByteArray petsYaml
    = "openapi: 3.0.3\n"
      "info: {title: Remote pets, version: '1'}\n"
      "servers:\n"
      "  - url: /api/v3\n"
      "paths:\n"
      "  /pets/{petId}:\n"
      "    get:\n"
      "      operationId: getPet\n"
      "      summary: Get a pet by its id\n"
      "      parameters:\n"
      "        - {name: petId, in: path, required: true, schema: {type: integer}}\n"
      "      responses: {'200': {description: The pet}}\n";
} // namespace

class TestOpenApiLoader : public QObject
{
    Q_OBJECT

    QHttpServer m_server;
    quint16 m_port = 0;

    QString url(const QString &path) const
    {
        return u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path);
    }

    static Result<openapi::ImportReport> load(const QString &location, bool *progressed = nullptr)
    {
        openapi::OpenApiLoader loader;
        loader.setTimeout(10000);
        QSignalSpy finished(&loader, &openapi::OpenApiLoader::finished);
        QSignalSpy spy(&loader, &openapi::OpenApiLoader::progress);
        loader.start(location);
        if (loader.isRunning() && !finished.wait(15000))
            return fail(u"the loader did not finish"_s);
        if (progressed)
            *progressed = !spy.isEmpty();
        if (!loader.result())
            return fail(u"no result"_s);
        return *loader.result();
    }

private slots:
    void initTestCase()
    {
        m_server.route(u"/specs/pets.yaml"_s,
                       [] { return QHttpServerResponse("application/yaml", petsYaml); });
        m_server.route(u"/specs/broken.json"_s, [] {
            return QHttpServerResponse("application/json", QByteArray("{\"openapi\": \"3.0.0\", "));
        });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_port != 0);
    }

    void relativeServerUrlResolvesAgainstTheSpecUrl()
    {
        bool progressed = false;
        const auto report = load(url(u"/specs/pets.yaml"_s), &progressed);
        QVERIFY2(report, qPrintable(report ? QString() : report.error().toString()));
        QCOMPARE(report->document.upstream.baseUrl, url(u"/api/v3"_s));
        QCOMPARE(report->document.tools.size(), 1);
        QCOMPARE(report->document.tools.constFirst().path, u"/pets/{petId}"_s);
        QCOMPARE(report->document.tools.constFirst().parameters.constFirst().in, u"path"_s);
        QVERIFY2(progressed, "the loader reports progress while it downloads");
    }

    void failuresAreExplained_data()
    {
        QTest::addColumn<QString>("location");
        QTest::addColumn<QString>("expected");
        QTest::newRow("404") << u"/specs/missing.json"_s << u"404"_s;
        QTest::newRow("broken JSON") << u"/specs/broken.json"_s << u"broken.json"_s;
    }
    void failuresAreExplained()
    {
        QFETCH(QString, location);
        QFETCH(QString, expected);
        const auto report = load(url(location));
        QVERIFY(!report);
        QVERIFY2(report.error().toString().contains(expected),
                 qPrintable(report.error().toString()));
    }

    void deadServerIsExplained()
    {
        QTcpServer reserve; // a port nobody listens on once closed
        QVERIFY(reserve.listen(QHostAddress::LocalHost, 0));
        const quint16 dead = reserve.serverPort();
        reserve.close();
        const auto report = load(u"http://127.0.0.1:%1/openapi.json"_s.arg(dead));
        QVERIFY(!report);
        QVERIFY2(report.error().toString().contains(u"could not be downloaded"_s),
                 qPrintable(report.error().toString()));
    }
};

QTEST_GUILESS_MAIN(TestOpenApiLoader)
#include "tst_openapiloader.moc"
