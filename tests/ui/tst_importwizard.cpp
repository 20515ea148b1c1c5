// The new-bridge wizard driven offscreen: from a spec file to a saved bridge (load, pick by tag,
// search, count and token label, Finish writes exactly the selected tools), broken specs, the
// base-URL branch, and the wizard's models under QAbstractItemModelTester.

#include "core/bridge/documentio.h"
#include "ui/wizard/endpointmodel.h"
#include "ui/wizard/importwizard.h"
#include "ui/wizard/manualendpointmodel.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using ui::EndpointModel;
using ui::ImportWizard;

class TestImportWizard : public QObject
{
    Q_OBJECT

    static QString fixture(const QString &name)
    {
        return qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR") + u"/tests/fixtures/openapi/"_s + name;
    }

    static bridge::Tool tool(const QString &name, const QString &method, const QString &path)
    {
        bridge::Tool t;
        t.name = name;
        t.method = method;
        t.path = path;
        t.description = u"Does %1."_s.arg(name);
        return t;
    }

    // Opens the wizard on the spec branch and loads `location`.
    static void loadSpec(ImportWizard &wizard, const QString &location)
    {
        wizard.show();
        QCOMPARE(wizard.currentId(), int(ImportWizard::StartPageId));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ImportWizard::SourcePageId));
        auto *edit = wizard.currentPage()->findChild<QLineEdit *>(u"location"_s);
        QVERIFY(edit);
        edit->setText(location);
        QVERIFY(wizard.currentPage()->isComplete());
        wizard.next();
    }

    static QModelIndex tagIndex(const QAbstractItemModel *model, const QString &tag)
    {
        for (int r = 0; r < model->rowCount(); ++r) {
            const QModelIndex i = model->index(r, 0);
            if (i.data(EndpointModel::TagRole).toString() == tag)
                return i;
        }
        return {};
    }

private slots:
    void endpointModelUnderTester()
    {
        EndpointModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QList<bridge::Tool> tools{
            tool(u"a"_s, u"GET"_s, u"/a"_s), tool(u"b"_s, u"POST"_s, u"/b"_s),
            tool(u"c"_s, u"DELETE"_s, u"/c/{id}"_s), tool(u"d"_s, u"GET"_s, u"/d"_s)};
        model.setTools(tools, {{u"a"_s, u"one"_s}, {u"b"_s, u"two"_s}, {u"c"_s, u"one"_s}});
        QCOMPARE(model.tags(), (QStringList{u"one"_s, u"two"_s, u"Other operations"_s}));
        QCOMPARE(model.rowCount(), 3);
        const QModelIndex one = model.index(0, 0);
        QCOMPARE(model.rowCount(one), 2);
        QCOMPARE(model.index(1, 0, one).data(EndpointModel::ToolNameRole).toString(), u"c"_s);
        QCOMPARE(model.index(1, EndpointModel::MethodColumn, one).data().toString(), u"DELETE"_s);
        QCOMPARE(model.rowCount(model.index(2, 0)), 1); // "d" has no tag
        QCOMPARE(model.selectedCount(), 4);

        QSignalSpy changed(&model, &EndpointModel::selectionChanged);
        QVERIFY(model.setData(model.index(0, 0, one), Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(one.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::PartiallyChecked);
        QCOMPARE(model.selectedCount(), 3);
        QVERIFY(model.setData(one, Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(one.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
        QCOMPARE(model.index(1, 0, one).data(Qt::CheckStateRole).value<Qt::CheckState>(),
                 Qt::Unchecked);
        QCOMPARE(model.selectedCount(), 2);
        QCOMPARE(changed.size(), 2);
        QStringList names;
        for (const bridge::Tool &t : model.selectedTools())
            names.append(t.name);
        QCOMPARE(names, (QStringList{u"b"_s, u"d"_s}));
        const qint64 two = model.estimatedTokens();
        QVERIFY(model.setData(one, Qt::Checked, Qt::CheckStateRole));
        QVERIFY(model.estimatedTokens() > two);
        model.setAllChecked(false);
        QCOMPARE(model.selectedCount(), 0);
        QVERIFY(model.estimatedTokens() < two);
        model.setTools({}, {});
        QCOMPARE(model.rowCount(), 0);
    }

    void manualModelUnderTester()
    {
        ui::ManualEndpointModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.addEndpoint(u"get"_s, u"/items/{id}"_s), 0);
        QCOMPARE(model.addEndpoint(u"GET"_s, u"/items/{id}"_s), 1);
        QVERIFY(model.tools().at(0).name != model.tools().at(1).name);
        QCOMPARE(model.index(0, ui::ManualEndpointModel::ParametersColumn).data().toString(),
                 u"id"_s);
        model.removeEndpoint(0);
        QCOMPARE(model.rowCount(), 1);
    }

    void pathTemplatePrefillsParameters_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("parameters");
        QTest::newRow("none") << u"/items"_s << QStringList{};
        QTest::newRow("one") << u"/items/{id}"_s << QStringList{u"id"_s};
        QTest::newRow("two") << u"/users/{userId}/orders/{orderId}"_s
                             << QStringList{u"userId"_s, u"orderId"_s};
        QTest::newRow("no slash") << u"things/{thing}"_s << QStringList{u"thing"_s};
    }

    void pathTemplatePrefillsParameters()
    {
        QFETCH(QString, path);
        QFETCH(QStringList, parameters);
        const bridge::Tool t = ui::toolFromTemplate(u"delete"_s, path);
        QCOMPARE(t.method, u"DELETE"_s);
        QVERIFY(t.path.startsWith(u'/'));
        QStringList names;
        for (const bridge::Parameter &p : t.parameters) {
            names.append(p.name);
            QCOMPARE(p.in, u"path"_s);
            QVERIFY(p.required);
        }
        QCOMPARE(names, parameters);
    }

    void specFileToSavedBridge()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ImportWizard wizard;
        wizard.setDefaultFolder(dir.path());
        loadSpec(wizard, fixture(u"petstore-swagger2.json"_s));
        QTRY_COMPARE_WITH_TIMEOUT(wizard.currentId(), int(ImportWizard::PickerPageId), 10000);
        QVERIFY(wizard.report());
        const openapi::ImportReport report = *wizard.report();
        QVERIFY(report.document.tools.size() > 2);

        // Grouped by tag, as the report says.
        auto *view = wizard.currentPage()->findChild<QTreeView *>(u"endpoints"_s);
        auto *summary = wizard.currentPage()->findChild<QLabel *>(u"summary"_s);
        QVERIFY(view && summary);
        QAbstractItemModel *shown = view->model();
        EndpointModel *model = wizard.endpointModel();
        QVERIFY(model->tags().contains(u"pet"_s));
        QVERIFY(model->tags().contains(u"store"_s));
        for (const QString &tag : {u"pet"_s, u"store"_s}) {
            const QModelIndex i = tagIndex(shown, tag);
            QVERIFY(i.isValid());
            QCOMPARE(shown->rowCount(i), report.toolsPerTag.value(tag));
            for (int r = 0; r < shown->rowCount(i); ++r) {
                const QString name
                    = shown->index(r, 0, i).data(EndpointModel::ToolNameRole).toString();
                QCOMPARE(report.toolTags.value(name), tag);
                QVERIFY(
                    !shown->index(r, EndpointModel::MethodColumn, i).data().toString().isEmpty());
            }
        }
        QCOMPARE(model->selectedCount(), int(report.document.tools.size()));
        QVERIFY(summary->text().contains(QString::number(model->selectedCount())));

        // Unchecking a tag deselects its operations; the label follows.
        const QString before = summary->text();
        const qint64 tokensBefore = model->estimatedTokens();
        const QModelIndex store = tagIndex(shown, u"store"_s);
        const int storeCount = shown->rowCount(store);
        QVERIFY(shown->setData(store, Qt::Unchecked, Qt::CheckStateRole));
        for (int r = 0; r < storeCount; ++r)
            QCOMPARE(shown->index(r, 0, store).data(Qt::CheckStateRole).value<Qt::CheckState>(),
                     Qt::Unchecked);
        const int expected = int(report.document.tools.size()) - storeCount;
        QCOMPARE(model->selectedCount(), expected);
        QVERIFY(model->estimatedTokens() < tokensBefore);
        QVERIFY(summary->text() != before);
        QVERIFY(summary->text().contains(u"tokens per turn"_s));
        QVERIFY(summary->text().startsWith(QString::number(expected) + u' '));

        // The search filters by path, name, summary and tag.
        auto *search = wizard.currentPage()->findChild<QLineEdit *>(u"search"_s);
        QVERIFY(search);
        search->setText(u"findByStatus"_s);
        QCOMPARE(shown->rowCount(), 1);
        const QModelIndex pet = shown->index(0, 0);
        QCOMPARE(pet.data(EndpointModel::TagRole).toString(), u"pet"_s);
        QCOMPARE(shown->rowCount(pet), 1);
        QVERIFY(shown->index(0, EndpointModel::PathColumn, pet)
                    .data()
                    .toString()
                    .contains(u"findByStatus"_s));
        search->setText(u"store"_s); // a tag name keeps all its operations
        QCOMPARE(shown->rowCount(tagIndex(shown, u"store"_s)), storeCount);
        search->setText(u"no such endpoint at all"_s);
        QCOMPARE(shown->rowCount(), 0);
        search->clear();
        QCOMPARE(shown->rowCount(), model->rowCount());

        // Finish writes exactly the selected tools.
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ImportWizard::FinishPageId));
        auto *name = wizard.currentPage()->findChild<QLineEdit *>(u"name"_s);
        auto *file = wizard.currentPage()->findChild<QLineEdit *>(u"file"_s);
        QVERIFY(name && file);
        QVERIFY(!name->text().isEmpty());
        QVERIFY(file->text().startsWith(dir.path()));
        const QString path = dir.filePath(u"pets.mcpbridge.json"_s);
        file->setText(path);
        QVERIFY(wizard.button(QWizard::FinishButton)->isEnabled());
        wizard.button(QWizard::FinishButton)->click();
        QCOMPARE(wizard.result(), int(QDialog::Accepted));
        QCOMPARE(wizard.savedPath(), path);

        const bridge::LoadReport loaded = bridge::loadDocument(path);
        QVERIFY2(!loaded.hasErrors(), qPrintable(loaded.problems.value(0).toString()));
        QStringList selected;
        for (const bridge::Tool &t : model->selectedTools())
            selected.append(t.name);
        QStringList saved;
        for (const bridge::Tool &t : loaded.document->tools) {
            saved.append(t.name);
            QVERIFY(report.toolTags.value(t.name) != u"store"_s);
        }
        QCOMPARE(saved, selected);
        QCOMPARE(loaded.document->server.name, name->text());
        QCOMPARE(loaded.document->upstream.baseUrl, report.document.upstream.baseUrl);
        QCOMPARE(wizard.document().tools.size(), expected);
    }

    void brokenSpecStaysOnPage_data()
    {
        QTest::addColumn<QString>("location");
        QTest::newRow("broken json") << fixture(u"broken.json"_s);
        QTest::newRow("broken yaml") << fixture(u"broken.yaml"_s);
        QTest::newRow("not openapi") << fixture(u"not-openapi.json"_s);
        QTest::newRow("missing file") << fixture(u"no-such-file.json"_s);
    }

    void brokenSpecStaysOnPage()
    {
        QFETCH(QString, location);
        ImportWizard wizard;
        loadSpec(wizard, location);
        auto *error = wizard.currentPage()->findChild<QLabel *>(u"error"_s);
        QVERIFY(error);
        QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), 10000);
        QCOMPARE(wizard.currentId(), int(ImportWizard::SourcePageId));
        QVERIFY(error->text().size() > 30);
        QVERIFY(!wizard.report());
        auto *edit = wizard.currentPage()->findChild<QLineEdit *>(u"location"_s);
        QVERIFY(edit->isEnabled());
        QVERIFY(wizard.currentPage()->isComplete()); // the user can fix it and try again

        // ... and a good file then loads.
        edit->setText(fixture(u"petstore-swagger2.json"_s));
        QVERIFY(!error->isVisible());
        wizard.next();
        QTRY_COMPARE_WITH_TIMEOUT(wizard.currentId(), int(ImportWizard::PickerPageId), 10000);
    }

    void baseUrlBranchToSavedBridge()
    {
        QTemporaryDir dir;
        ImportWizard wizard;
        wizard.setDefaultFolder(dir.path());
        wizard.show();
        wizard.findChild<QAbstractButton *>(u"fromBaseUrl"_s)->setChecked(true);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ImportWizard::BaseUrlPageId));
        QWizardPage *page = wizard.currentPage();
        auto *baseUrl = page->findChild<QLineEdit *>(u"baseUrl"_s);
        auto *path = page->findChild<QLineEdit *>(u"path"_s);
        auto *add = page->findChild<QPushButton *>(u"addEndpoint"_s);
        QVERIFY(baseUrl && path && add);

        baseUrl->setText(u"ftp://example.com"_s);
        path->setText(u"/items/{itemId}/notes/{noteId}"_s);
        add->click();
        QVERIFY(!page->isComplete()); // not a web address
        baseUrl->setText(u"http://127.0.0.1:8766/api"_s);
        QVERIFY(page->isComplete());

        const bridge::Tool &added = wizard.manualModel()->tools().at(0);
        QCOMPARE(added.parameters.size(), 2);
        QCOMPARE(added.parameters.at(0).name, u"itemId"_s);
        QCOMPARE(added.parameters.at(1).name, u"noteId"_s);
        QVERIFY(added.parameters.at(0).required);
        QCOMPARE(added.parameters.at(1).in, u"path"_s);

        wizard.next();
        QCOMPARE(wizard.currentId(), int(ImportWizard::FinishPageId));
        QCOMPARE(wizard.currentPage()->findChild<QLineEdit *>(u"name"_s)->text(), u"127.0.0.1"_s);
        const QString file = wizard.currentPage()->findChild<QLineEdit *>(u"file"_s)->text();
        wizard.button(QWizard::FinishButton)->click();
        QCOMPARE(wizard.result(), int(QDialog::Accepted));
        const bridge::LoadReport loaded = bridge::loadDocument(file);
        QVERIFY2(!loaded.hasErrors(), qPrintable(loaded.problems.value(0).toString()));
        QCOMPARE(loaded.document->upstream.baseUrl, u"http://127.0.0.1:8766/api"_s);
        QCOMPARE(loaded.document->tools.size(), 1);
        QCOMPARE(loaded.document->tools.at(0).parameters, added.parameters);
    }

    void invalidDocumentIsNotSaved()
    {
        QTemporaryDir dir;
        ImportWizard wizard;
        wizard.setDefaultFolder(dir.path());
        wizard.show();
        wizard.findChild<QAbstractButton *>(u"fromBaseUrl"_s)->setChecked(true);
        wizard.next();
        QWizardPage *page = wizard.currentPage();
        page->findChild<QLineEdit *>(u"baseUrl"_s)->setText(u"https://api.example.com"_s);
        page->findChild<QLineEdit *>(u"path"_s)->setText(u"/items/{not a name}"_s);
        page->findChild<QPushButton *>(u"addEndpoint"_s)->click();
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ImportWizard::FinishPageId));
        const QString file = wizard.currentPage()->findChild<QLineEdit *>(u"file"_s)->text();
        wizard.button(QWizard::FinishButton)->click();
        QCOMPARE(wizard.currentId(), int(ImportWizard::FinishPageId));
        QVERIFY(wizard.isVisible());
        auto *problems = wizard.currentPage()->findChild<QLabel *>(u"problems"_s);
        QVERIFY(problems->isVisible());
        QVERIFY(problems->text().contains(u"/tools/0"_s));
        QVERIFY(!QFile::exists(file));
        QVERIFY(wizard.savedPath().isEmpty());
    }
};

QTEST_MAIN(TestImportWizard)
#include "tst_importwizard.moc"
