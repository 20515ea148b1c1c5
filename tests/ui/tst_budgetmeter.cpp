// The context budget meter: the estimate follows the document and the level follows thresholds.

#include "ui/editors/budgetmeter.h"
#include "ui/editors/tokenestimate.h"

#include "core/openapi/importreport.h"
#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using editors::BudgetMeter;

namespace {

bridge::Tool makeTool(const QString &name, const QString &description)
{
    bridge::Tool t;
    t.name = name;
    t.description = description;
    t.path = u"/items"_s;
    return t;
}

} // namespace

class TestBudgetMeter : public QObject
{
    Q_OBJECT

private slots:
    void estimateMatchesHeuristic()
    {
        bridge::BridgeDocument doc;
        doc.tools = {makeTool(u"a"_s, u"Lists items."_s), makeTool(u"b"_s, u"Gets one."_s)};
        QJsonArray tools;
        for (const auto &t : doc.tools)
            tools.append(t.toMcp());
        const qint64 chars = json::compact(QJsonObject{{u"tools"_s, tools}}).size();
        const qint64 expected = (chars + openapi::CharsPerToken - 1) / openapi::CharsPerToken;
        QCOMPARE(editors::estimateToolsListTokens(doc), expected);

        BudgetMeter meter;
        meter.setDocument(doc);
        QCOMPARE(meter.estimatedTokens(), expected);
        QVERIFY(meter.summary().contains(QLocale().toString(expected)));
        QVERIFY(meter.toolTip().contains(QLocale().toString(expected)));
    }

    void resourcesDoNotCount()
    {
        bridge::BridgeDocument doc;
        doc.tools = {makeTool(u"a"_s, u"Lists items."_s)};
        const qint64 before = editors::estimateToolsListTokens(doc);
        bridge::Resource r;
        r.uri = u"pantry://all"_s;
        r.name = u"all"_s;
        r.description = QString(400, u'x');
        doc.resources.append(r);
        QCOMPARE(editors::estimateToolsListTokens(doc), before);
    }

    void growsWithDescription()
    {
        bridge::BridgeDocument doc;
        doc.tools = {makeTool(u"find"_s, u"Finds recipes."_s)};
        BudgetMeter meter;
        meter.setDocument(doc);
        const qint64 small = meter.estimatedTokens();
        QVERIFY(small > 0);

        doc.tools[0].description += QString(400, u'a');
        meter.setDocument(doc);
        QVERIFY2(meter.estimatedTokens() >= small + 100,
                 qPrintable(u"%1 -> %2"_s.arg(small).arg(meter.estimatedTokens())));
        auto *bar = meter.findChild<QProgressBar *>(u"budgetBar"_s);
        QVERIFY(bar);
        QCOMPARE(bar->value(), int(meter.estimatedTokens()));
    }

    void levels_data()
    {
        QTest::addColumn<qint64>("tokens");
        QTest::addColumn<BudgetMeter::Level>("level");
        QTest::addColumn<QString>("word");
        QTest::newRow("empty") << qint64(0) << BudgetMeter::Level::Comfortable << u"small"_s;
        QTest::newRow("just under amber")
            << BudgetMeter::AmberTokens - 1 << BudgetMeter::Level::Comfortable << u"small"_s;
        QTest::newRow("amber") << BudgetMeter::AmberTokens << BudgetMeter::Level::Large
                               << u"large"_s;
        QTest::newRow("just under red")
            << BudgetMeter::RedTokens - 1 << BudgetMeter::Level::Large << u"large"_s;
        QTest::newRow("red") << BudgetMeter::RedTokens << BudgetMeter::Level::TooLarge
                             << u"too large"_s;
        QTest::newRow("far over") << qint64(1000000) << BudgetMeter::Level::TooLarge
                                  << u"too large"_s;
    }

    void levels()
    {
        QFETCH(qint64, tokens);
        QFETCH(BudgetMeter::Level, level);
        QFETCH(QString, word);
        BudgetMeter meter;
        meter.setEstimatedTokens(tokens);
        QCOMPARE(meter.level(), level);
        QCOMPARE(BudgetMeter::levelFor(tokens), level);
        QVERIFY2(meter.summary().endsWith(u"(%1)"_s.arg(word)), qPrintable(meter.summary()));
    }

    void thresholdsChangeState()
    {
        // A real document crossing the thresholds as its descriptions grow.
        bridge::BridgeDocument doc;
        for (int i = 0; i < 10; ++i)
            doc.tools.append(makeTool(u"tool%1"_s.arg(i), u"Short."_s));
        BudgetMeter meter;
        QSignalSpy spy(&meter, &BudgetMeter::levelChanged);
        meter.setDocument(doc);
        QCOMPARE(meter.level(), BudgetMeter::Level::Comfortable);
        QCOMPARE(spy.count(), 0);
        auto *bar = meter.findChild<QProgressBar *>(u"budgetBar"_s);
        const QColor green = bar->palette().color(QPalette::Highlight);

        for (auto &t : doc.tools)
            t.description = QString(3000, u'w'); // ~750 tokens each
        meter.setDocument(doc);
        QCOMPARE(meter.level(), BudgetMeter::Level::Large);
        QCOMPARE(spy.count(), 1);
        const QColor amber = bar->palette().color(QPalette::Highlight);
        QVERIFY(amber != green);

        for (auto &t : doc.tools)
            t.description = QString(15000, u'w');
        meter.setDocument(doc);
        QCOMPARE(meter.level(), BudgetMeter::Level::TooLarge);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.last().at(0).value<BudgetMeter::Level>(), BudgetMeter::Level::TooLarge);
        const QColor red = bar->palette().color(QPalette::Highlight);
        QVERIFY(red != amber && red != green);
        QCOMPARE(bar->value(), bar->maximum()); // clamped, not overflowing
    }

    void followsDarkPalette()
    {
        BudgetMeter meter;
        meter.setEstimatedTokens(100);
        auto *bar = meter.findChild<QProgressBar *>(u"budgetBar"_s);
        QPalette light;
        light.setColor(QPalette::Window, QColor::fromHslF(0, 0, 0.95));
        meter.setPalette(light);
        const QColor onLight = bar->palette().color(QPalette::Highlight);
        QPalette dark;
        dark.setColor(QPalette::Window, QColor::fromHslF(0, 0, 0.12));
        meter.setPalette(dark);
        const QColor onDark = bar->palette().color(QPalette::Highlight);
        QVERIFY(onDark.lightnessF() > onLight.lightnessF());
    }
};

QTEST_MAIN(TestBudgetMeter)
#include "tst_budgetmeter.moc"
