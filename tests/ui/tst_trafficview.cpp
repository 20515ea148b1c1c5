#include "core/traffic/trafficlog.h"
#include "trafficsamples.h"
#include "ui/traffic/trafficfilterproxy.h"
#include "ui/traffic/trafficlogmodel.h"
#include "ui/traffic/trafficview.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using ui::TrafficLogModel;

class TestTrafficView : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void selectingRowFillsDetail();
    void selectingExchangeShowsItsJson();
    void filterWidgetsDriveProxy();
    void copyAsCurlPutsTextOnClipboard();
    void exportWritesJsonLines();
    void clearEmptiesLog();
    void followsNewestUnlessScrolledUp();
    void everyControlHasTooltip();

private:
    void fill();
    std::unique_ptr<traffic::TrafficLog> m_log;
    std::unique_ptr<ui::TrafficView> m_view;
};

void TestTrafficView::init()
{
    m_log = std::make_unique<traffic::TrafficLog>();
    m_view = std::make_unique<ui::TrafficView>();
    m_view->setLog(m_log.get());
    m_view->resize(900, 500);
    m_view->show();
}

void TestTrafficView::fill()
{
    m_log->append(samples::request(u"s"_s, u"1"_s, u"tools/call"_s));
    m_log->append(samples::upstream(u"s"_s, u"1"_s));
    m_log->append(samples::response(u"s"_s, u"1"_s, u"tools/call"_s));
    m_log->append(samples::request(u"s"_s, u"2"_s, u"tools/list"_s));
    m_log->append(samples::response(u"s"_s, u"2"_s, u"tools/list"_s, true));
    m_log->append(samples::notification(u"s"_s, u"notifications/tools/list_changed"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_view->model()->rowCount(), 3, 5000);
}

void TestTrafficView::selectingRowFillsDetail()
{
    fill();
    m_view->tree()->setCurrentIndex(m_view->proxy()->index(0, 0));
    QVERIFY(m_view->detail()->toPlainText().contains(u"\"method\": \"tools/call\""_s));
    m_view->tree()->setCurrentIndex(m_view->proxy()->index(1, 0));
    const QString text = m_view->detail()->toPlainText();
    QVERIFY2(text.contains(u"\"method\": \"tools/list\""_s), qPrintable(text));
    QVERIFY2(text.contains(u"# Response"_s), qPrintable(text));
    QVERIFY(text.contains(u"\"answer\": 42"_s));
    QVERIFY(!m_view->copyCurlButton()->isEnabled());
}

void TestTrafficView::selectingExchangeShowsItsJson()
{
    fill();
    const QModelIndex parent = m_view->proxy()->index(0, 0);
    m_view->tree()->expand(parent);
    m_view->tree()->setCurrentIndex(m_view->proxy()->index(0, 0, parent));
    const QString text = m_view->detail()->toPlainText();
    QVERIFY2(text.contains(u"\"url\": \"http://127.0.0.1:8766/recipes?q=soup\""_s),
             qPrintable(text));
    QVERIFY(text.contains(u"\"status\": 200"_s));
    QVERIFY(text.contains(u"\"id\": 7"_s)); // the response body shown as JSON, not a string
    QVERIFY(m_view->copyCurlButton()->isEnabled());
}

void TestTrafficView::filterWidgetsDriveProxy()
{
    fill();
    QComboBox *combo = m_view->methodCombo();
    const int index = combo->findText(u"tools/list"_s);
    QVERIFY(index > 0);
    combo->setCurrentIndex(index);
    QCOMPARE(m_view->proxy()->methodFilter(), u"tools/list"_s);
    QCOMPARE(m_view->proxy()->rowCount(), 1);
    combo->setCurrentIndex(0);
    QCOMPARE(m_view->proxy()->rowCount(), 3);

    QTest::mouseClick(m_view->errorsOnlyBox(), Qt::LeftButton);
    QVERIFY(m_view->proxy()->errorsOnly());
    QCOMPARE(m_view->proxy()->rowCount(), 1);
    m_view->errorsOnlyBox()->setChecked(false);

    QTest::keyClicks(m_view->searchField(), u"list_changed"_s);
    QCOMPARE(m_view->proxy()->searchText(), u"list_changed"_s);
    QCOMPARE(m_view->proxy()->rowCount(), 1);
}

void TestTrafficView::copyAsCurlPutsTextOnClipboard()
{
    fill();
    QApplication::clipboard()->clear();
    const QModelIndex parent = m_view->proxy()->index(0, 0);
    m_view->tree()->setCurrentIndex(m_view->proxy()->index(0, 0, parent));
    QTest::mouseClick(m_view->copyCurlButton(), Qt::LeftButton);
    const QString text = QApplication::clipboard()->text();
    QVERIFY2(text.startsWith(u"curl -X POST 'http://127.0.0.1:8766/recipes?q=soup'"_s),
             qPrintable(text));
    QVERIFY(text.contains(u"Authorization: [redacted]"_s));
}

void TestTrafficView::exportWritesJsonLines()
{
    fill();
    QTemporaryDir dir;
    const QString path = dir.filePath(u"t.jsonl"_s);
    QCOMPARE(m_view->exportTo(path), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 6);
    QVERIFY(!m_view->exportTo(dir.filePath(u"missing/dir/t.jsonl"_s)).isEmpty());
}

void TestTrafficView::clearEmptiesLog()
{
    fill();
    m_view->tree()->setCurrentIndex(m_view->proxy()->index(0, 0));
    QTest::mouseClick(m_view->clearButton(), Qt::LeftButton);
    QCOMPARE(m_log->size(), 0);
    QCOMPARE(m_view->model()->rowCount(), 0);
    QVERIFY(m_view->detail()->toPlainText().isEmpty());
}

void TestTrafficView::followsNewestUnlessScrolledUp()
{
    QScrollBar *bar = m_view->tree()->verticalScrollBar();
    for (int i = 0; i < 300; ++i)
        m_log->append(samples::notification(u"s"_s, u"n"_s));
    QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > 0 && bar->value() == bar->maximum(), 5000);
    bar->setValue(0);
    QVERIFY(!m_view->followsNewest());
    const int max = bar->maximum();
    for (int i = 0; i < 100; ++i)
        m_log->append(samples::notification(u"s"_s, u"n"_s));
    QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > max, 5000);
    QCOMPARE(bar->value(), 0);
    bar->setValue(bar->maximum());
    QVERIFY(m_view->followsNewest());
}

void TestTrafficView::everyControlHasTooltip()
{
    const QList<QWidget *> controls{m_view->methodCombo(),  m_view->errorsOnlyBox(),
                                    m_view->searchField(),  m_view->copyCurlButton(),
                                    m_view->exportButton(), m_view->clearButton(),
                                    m_view->tree(),         m_view->detail()};
    for (QWidget *control : controls)
        QVERIFY2(!control->toolTip().isEmpty(), control->metaObject()->className());
}

QTEST_MAIN(TestTrafficView)
#include "tst_trafficview.moc"
