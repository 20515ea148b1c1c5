// The studio's main window on the demo bridge: the tree lists what the document offers and the
// preview shows exactly the tools/list entry a model receives.

#include "ui/mainwindow.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT

    static QString demoBridge()
    {
        return qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR")
               + u"/resources/demo/pantry.mcpbridge.json"_s;
    }

private slots:
    void initTestCase() { qputenv("MCPBRIDGE_NO_DIALOGS", "1"); }

    void opensTheDemoBridge()
    {
        mcpbridge::ui::MainWindow window;
        QVERIFY(window.openDocument(demoBridge()));
        QTreeWidget *tree = window.itemTree();
        QCOMPARE(tree->topLevelItemCount(), 3);
        QTreeWidgetItem *tools = tree->topLevelItem(0);
        QCOMPARE(tools->childCount(), window.document().tools.size());
        QVERIFY(tools->childCount() > 0);
        QCOMPARE(tools->child(0)->text(0), window.document().tools.first().name);
        QVERIFY(window.windowTitle().contains(u"pantry.mcpbridge.json"_s));
    }

    void previewShowsWhatTheModelReceives()
    {
        mcpbridge::ui::MainWindow window;
        QVERIFY(window.openDocument(demoBridge()));
        QTreeWidgetItem *first = window.itemTree()->topLevelItem(0)->child(0);
        window.itemTree()->setCurrentItem(first);
        const QJsonDocument shown
            = QJsonDocument::fromJson(window.preview()->toPlainText().toUtf8());
        QVERIFY(shown.isObject());
        QCOMPARE(shown.object(), window.document().tools.first().toMcp());
        QVERIFY(shown.object().value(u"inputSchema"_s).isObject());
    }

    void brokenDocumentIsRefusedAndNothingIsLost()
    {
        mcpbridge::ui::MainWindow window;
        QVERIFY(window.openDocument(demoBridge()));
        QTemporaryDir dir;
        const QString broken = dir.filePath(u"broken.mcpbridge.json"_s);
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ \"format\": 1, \"tools\": [ }");
        f.close();
        QVERIFY(!window.openDocument(broken));
        QCOMPARE(window.documentPath(), demoBridge()); // the open bridge stays open
        QVERIFY(window.itemTree()->topLevelItem(0)->childCount() > 0);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
