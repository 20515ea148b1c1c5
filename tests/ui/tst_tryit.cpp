// The Try-it panel end to end: the demo API in-process, the demo bridge document pointed at it,
// a real McpServer and an InProcessClient; the panel fills the form, calls, and shows the result
// and the API requests the call made (from the server's traffic log).

#include "core/bridge/documentio.h"
#include "core/client/inprocessclient.h"
#include "core/demo/demoapi.h"
#include "core/mcp/mcpserver.h"
#include "core/secrets/memorysecretstore.h"
#include "core/traffic/trafficlog.h"
#include "tests/fixtures/fixturedocuments.h"
#include "tests/fixtures/fixtureupstream.h"
#include "ui/tryit/resultview.h"
#include "ui/tryit/schemaform.h"
#include "ui/tryit/tryitpanel.h"
#include "ui/tryit/upstreamexchangemodel.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using tryit::TryItPanel;
using tryit::UpstreamExchangeModel;

class tst_TryIt : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void searchShowsResultAndRequest();
    void upstreamErrorShowsAsError();
    void ctrlReturnCalls();
    void formProblemsStopTheCall();
    void noClientDisablesCall();
    void closedClientDisablesCall();
    void remembersArgumentsPerTool();
    void cancelStopsWaiting();
    void destroyedClientEndsTheCall();

private:
    const bridge::Tool &tool(const QString &name) const;
    QLineEdit *line(const QString &argument) const;
    bool callAndWait();

    demo::DemoApi m_demo;
    std::optional<bridge::BridgeDocument> m_document;
    std::unique_ptr<traffic::TrafficLog> m_log;
    std::unique_ptr<secrets::MemorySecretStore> m_secrets;
    std::unique_ptr<mcp::McpServer> m_server;
    std::unique_ptr<client::InProcessClient> m_client;
    std::unique_ptr<TryItPanel> m_panel;
};

void tst_TryIt::initTestCase()
{
    QVERIFY2(m_demo.listen(QHostAddress::LocalHost, 0), qPrintable(m_demo.errorString()));
    const QString source = qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR");
    QVERIFY2(!source.isEmpty(), "run through ctest (MCPBRIDGE_SOURCE_DIR is not set)");
    const bridge::LoadReport report
        = bridge::loadDocument(source + u"/resources/demo/pantry.mcpbridge.json"_s);
    QVERIFY(!report.hasErrors() && report.document);
    m_document = *report.document;
    m_document->upstream.baseUrl = u"http://127.0.0.1:%1"_s.arg(m_demo.port());
}

void tst_TryIt::init()
{
    m_log = std::make_unique<traffic::TrafficLog>();
    m_secrets = std::make_unique<secrets::MemorySecretStore>();
    m_server = std::make_unique<mcp::McpServer>(
        std::make_shared<bridge::BridgeDocument>(*m_document), m_secrets.get(), m_log.get());
    m_client = std::make_unique<client::InProcessClient>(m_server.get());
    QSignalSpy ready(m_client.get(), &client::McpClient::ready);
    QVERIFY(ready.wait(5000));
    m_panel = std::make_unique<TryItPanel>();
    m_panel->setTrafficLog(m_log.get());
    m_panel->setClient(m_client.get());
    m_panel->resize(700, 800);
}

void tst_TryIt::cleanup()
{
    m_panel.reset();
    m_client.reset();
    m_server.reset();
    m_secrets.reset();
    m_log.reset();
}

const bridge::Tool &tool_(const bridge::BridgeDocument &document, const QString &name)
{
    const bridge::Tool *found = document.findTool(name);
    Q_ASSERT(found);
    return *found;
}

const bridge::Tool &tst_TryIt::tool(const QString &name) const
{
    return tool_(*m_document, name);
}

QLineEdit *tst_TryIt::line(const QString &argument) const
{
    return qobject_cast<QLineEdit *>(m_panel->form()->editor(argument));
}

bool tst_TryIt::callAndWait()
{
    QSignalSpy finished(m_panel.get(), &TryItPanel::callFinished);
    QTest::mouseClick(m_panel->callButton(), Qt::LeftButton);
    if (!m_panel->isBusy())
        return false;
    return finished.wait(10000);
}

void tst_TryIt::searchShowsResultAndRequest()
{
    m_panel->setTool(tool(u"search_recipes"_s));
    QAbstractItemModelTester tester(m_panel->exchangeModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(m_panel->callButton()->isEnabled());
    QVERIFY(line(u"query"_s));
    QCOMPARE(line(u"limit"_s)->text(), u"20"_s); // the schema's default
    QTest::keyClicks(line(u"query"_s), u"soup"_s);

    QSignalSpy started(m_panel.get(), &TryItPanel::callStarted);
    QVERIFY(callAndWait());
    QCOMPARE(started.size(), 1);
    QCOMPARE(started.at(0).at(0).toString(), u"search_recipes"_s);

    tryit::ResultView *result = m_panel->resultView();
    QVERIFY(!result->isError());
    QVERIFY2(result->text().contains("Red Lentil Soup"_L1), qPrintable(result->text()));
    QVERIFY(!result->text().contains("Overnight Oats"_L1));
    // JSON text is shown indented.
    QVERIFY2(result->text().contains("\n  "_L1), qPrintable(result->text()));
    QVERIFY2(m_panel->statusText().startsWith("Answered in "_L1),
             qPrintable(m_panel->statusText()));
    QVERIFY(m_panel->lastElapsedMs() >= 0);

    UpstreamExchangeModel *exchanges = m_panel->exchangeModel();
    QTRY_COMPARE(exchanges->rowCount(), 1);
    auto cell = [&](int column) { return exchanges->index(0, column).data().toString(); };
    QCOMPARE(cell(UpstreamExchangeModel::MethodColumn), u"GET"_s);
    QVERIFY2(cell(UpstreamExchangeModel::UrlColumn).contains("/recipes?"_L1),
             qPrintable(cell(UpstreamExchangeModel::UrlColumn)));
    QVERIFY(cell(UpstreamExchangeModel::UrlColumn).contains("q=soup"_L1));
    QCOMPARE(cell(UpstreamExchangeModel::StatusColumn), u"200"_s);
    QVERIFY(cell(UpstreamExchangeModel::DurationColumn).endsWith(" ms"_L1));
}

void tst_TryIt::upstreamErrorShowsAsError()
{
    m_panel->setTool(tool(u"get_recipe"_s));
    line(u"id"_s)->setText(u"9999"_s);
    QSignalSpy finished(m_panel.get(), &TryItPanel::callFinished);
    QVERIFY(callAndWait());
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    tryit::ResultView *result = m_panel->resultView();
    QVERIFY(result->isError());
    QCOMPARE(result->heading(), u"The tool reported an error"_s);
    QVERIFY2(result->text().contains("404"_L1), qPrintable(result->text()));
    QVERIFY2(m_panel->statusText().contains("with an error"_L1), qPrintable(m_panel->statusText()));

    UpstreamExchangeModel *exchanges = m_panel->exchangeModel();
    QTRY_COMPARE(exchanges->rowCount(), 1);
    QCOMPARE(exchanges->index(0, UpstreamExchangeModel::StatusColumn).data().toString(), u"404"_s);
    QVERIFY(exchanges->index(0, 0).data(UpstreamExchangeModel::IsErrorRole).toBool());
    QVERIFY(exchanges->index(0, UpstreamExchangeModel::UrlColumn)
                .data()
                .toString()
                .endsWith("/recipes/9999"_L1));
}

void tst_TryIt::ctrlReturnCalls()
{
    m_panel->setTool(tool(u"search_recipes"_s));
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    m_panel->activateWindow();
    line(u"query"_s)->setFocus();
    QTest::keyClicks(line(u"query"_s), u"curry"_s);
    QSignalSpy finished(m_panel.get(), &TryItPanel::callFinished);
    QTest::keyClick(line(u"query"_s), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(finished.wait(10000));
    QVERIFY2(m_panel->resultView()->text().contains("Chickpea & Spinach Curry"_L1),
             qPrintable(m_panel->resultView()->text()));
}

void tst_TryIt::formProblemsStopTheCall()
{
    m_panel->setTool(tool(u"get_recipe"_s));
    QSignalSpy started(m_panel.get(), &TryItPanel::callStarted);
    QTest::mouseClick(m_panel->callButton(), Qt::LeftButton);
    QVERIFY(!m_panel->isBusy());
    QCOMPARE(started.size(), 0);
    QVERIFY2(m_panel->statusText().contains("Required: id"_L1), qPrintable(m_panel->statusText()));

    line(u"id"_s)->setText(u"two"_s);
    QTest::mouseClick(m_panel->callButton(), Qt::LeftButton);
    QCOMPARE(started.size(), 0);
    QVERIFY2(m_panel->statusText().contains("id: not a number"_L1),
             qPrintable(m_panel->statusText()));
    line(u"id"_s)->setText(u"2"_s);
    QVERIFY(m_panel->statusText().isEmpty()); // fixed: the complaint goes away
}

void tst_TryIt::noClientDisablesCall()
{
    m_panel->setTool(tool(u"search_recipes"_s));
    m_panel->setClient(nullptr);
    QVERIFY(!m_panel->callButton()->isEnabled());
    QVERIFY2(m_panel->callButton()->toolTip().contains("Start the bridge"_L1),
             qPrintable(m_panel->callButton()->toolTip()));
    m_panel->callTool();
    QVERIFY(!m_panel->isBusy());
    m_panel->setClient(m_client.get());
    QVERIFY(m_panel->callButton()->isEnabled());
}

void tst_TryIt::closedClientDisablesCall()
{
    m_panel->setTool(tool(u"search_recipes"_s));
    m_client->close();
    QVERIFY(!m_panel->callButton()->isEnabled());
    QVERIFY2(m_panel->callButton()->toolTip().contains("not running"_L1)
                 && m_panel->callButton()->toolTip().contains("Start the bridge again"_L1),
             qPrintable(m_panel->callButton()->toolTip()));
}

void tst_TryIt::remembersArgumentsPerTool()
{
    m_panel->setTool(tool(u"search_recipes"_s));
    line(u"query"_s)->setText(u"pasta"_s);
    line(u"limit"_s)->clear();
    m_panel->setTool(tool(u"get_recipe"_s));
    line(u"id"_s)->setText(u"3"_s);
    m_panel->setTool(tool(u"search_recipes"_s));
    QCOMPARE(line(u"query"_s)->text(), u"pasta"_s);
    QCOMPARE(line(u"limit"_s)->text(), QString()); // cleared stays cleared
    m_panel->setTool(tool(u"get_recipe"_s));
    QCOMPARE(line(u"id"_s)->text(), u"3"_s);
    QCOMPARE(m_panel->rememberedArguments(u"search_recipes"_s),
             QJsonObject({{u"query"_s, u"pasta"_s}}));
}

void tst_TryIt::cancelStopsWaiting()
{
    fixtures::FixtureUpstream upstream;
    QVERIFY(upstream.listen(0));
    auto document = tests::echoAndDelayDocument(upstream.baseUrl(), u"slow"_s, u"Slow"_s);
    mcp::McpServer server(document, m_secrets.get(), m_log.get());
    client::InProcessClient client(&server);
    m_panel->setClient(&client);
    m_panel->setTool(tool_(*document, u"slow"_s));
    line(u"ms"_s)->setText(u"10000"_s);
    QSignalSpy finished(m_panel.get(), &TryItPanel::callFinished);
    QTest::mouseClick(m_panel->callButton(), Qt::LeftButton);
    QVERIFY(m_panel->isBusy());
    QVERIFY(m_panel->cancelButton()->isEnabled());
    QVERIFY(!m_panel->callButton()->isEnabled());
    // Wait until the bridge is really calling the API, then give up.
    QTRY_VERIFY_WITH_TIMEOUT(!upstream.requests().isEmpty(), 5000);
    QTest::mouseClick(m_panel->cancelButton(), Qt::LeftButton);
    QVERIFY(!m_panel->isBusy());
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY2(m_panel->statusText().startsWith("Cancelled"_L1), qPrintable(m_panel->statusText()));
    QVERIFY(m_panel->callButton()->isEnabled());
    m_panel->setClient(nullptr);
}

void tst_TryIt::destroyedClientEndsTheCall()
{
    fixtures::FixtureUpstream upstream;
    QVERIFY(upstream.listen(0));
    auto document = tests::echoAndDelayDocument(upstream.baseUrl(), u"slow"_s, u"Slow"_s);
    mcp::McpServer server(document, m_secrets.get(), m_log.get());
    auto client = std::make_unique<client::InProcessClient>(&server);
    m_panel->setClient(client.get());
    m_panel->setTool(tool_(*document, u"slow"_s));
    line(u"ms"_s)->setText(u"10000"_s);
    QSignalSpy finished(m_panel.get(), &TryItPanel::callFinished);
    QTest::mouseClick(m_panel->callButton(), Qt::LeftButton);
    QVERIFY(m_panel->isBusy());
    client.reset();
    QVERIFY(!m_panel->isBusy());
    QCOMPARE(finished.size(), 1);
    QVERIFY(m_panel->resultView()->isError());
    QVERIFY2(m_panel->resultView()->text().contains("stopped"_L1),
             qPrintable(m_panel->resultView()->text()));
    QVERIFY(!m_panel->callButton()->isEnabled());
    QVERIFY(m_panel->callButton()->toolTip().contains("Start the bridge"_L1));
}

QTEST_MAIN(tst_TryIt)
#include "tst_tryit.moc"
