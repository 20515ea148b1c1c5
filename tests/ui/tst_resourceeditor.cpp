// The resource editor on the demo bridge: edits made through the widgets reach the emitted
// resource or template and the preview, URIs and names are checked as typed, template variables
// are listed and compared with the path, and the preview is exactly what McpServer sends.

#include "tests/ui/editortesthelpers.h"
#include "tests/ui/mcproundtrip.h"
#include "ui/editors/itemchecks.h"
#include "ui/editors/resourceeditor.h"
#include "ui/editors/templatevariablemodel.h"

#include "core/demo/demoapi.h"
#include "core/util/jsontext.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::tests;
using editors::LintHint;
using editors::ResourceEditor;
using editors::TemplateVariableModel;

class TestResourceEditor : public QObject
{
    Q_OBJECT

private slots:
    void showsResourceAndExactPreview()
    {
        const bridge::BridgeDocument doc = demoDocument();
        ResourceEditor editor;
        editor.setDocument(doc, 0);
        const bridge::Resource &resource = doc.resources.at(0);
        QCOMPARE(editor.mode(), ResourceEditor::Mode::Resource);
        QCOMPARE(editor.resource(), resource);
        QCOMPARE(child<QLineEdit>(editor, u"uri"_s)->text(), u"pantry://inventory"_s);
        QCOMPARE(child<QLineEdit>(editor, u"name"_s)->text(), resource.name);
        QCOMPARE(child<QComboBox>(editor, u"mimeType"_s)->currentText(), u"application/json"_s);
        QCOMPARE(child<QLineEdit>(editor, u"path"_s)->text(), u"/pantry"_s);
        QVERIFY2(editor.isValid(), qPrintable(editors::problemText(editor.problems())));
        QCOMPARE(child<QPlainTextEdit>(editor, u"preview"_s)->toPlainText(),
                 QString::fromUtf8(json::pretty(resource.toMcp())));
        const QJsonObject preview = previewJson(editor);
        QCOMPARE(preview.keys(),
                 (QStringList{u"description"_s, u"mimeType"_s, u"name"_s, u"title"_s, u"uri"_s}));
        QVERIFY(!preview.contains(u"path"_s)); // the model never sees the API call
        QCOMPARE(child<QLabel>(editor, u"request"_s)->text(),
                 u"Reading pantry://inventory calls GET http://127.0.0.1:8766/pantry."_s);
        QVERIFY(!child<QWidget>(editor, u"variables"_s)->isVisibleTo(&editor));
    }

    void editsEmitAndUpdatePreview()
    {
        const bridge::BridgeDocument doc = demoDocument();
        ResourceEditor editor;
        editor.setDocument(doc, 0);
        QSignalSpy spy(&editor, &ResourceEditor::resourceChanged);
        QSignalSpy templates(&editor, &ResourceEditor::templateChanged);

        QTest::keyClicks(child<QLineEdit>(editor, u"title"_s), u" now"_s);
        QCOMPARE(spy.count(), 4);
        QCOMPARE(lastOf<bridge::Resource>(spy).title, u"Pantry inventory now"_s);
        QCOMPARE(previewJson(editor).value(u"title"_s).toString(), u"Pantry inventory now"_s);

        auto *uri = child<QLineEdit>(editor, u"uri"_s);
        replaceText(uri, u"pantry://stock"_s);
        QCOMPARE(lastOf<bridge::Resource>(spy).uri, u"pantry://stock"_s);
        QCOMPARE(previewJson(editor).value(u"uri"_s).toString(), u"pantry://stock"_s);

        auto *mime = child<QComboBox>(editor, u"mimeType"_s);
        replaceText(mime->lineEdit(), u"text/csv"_s);
        QCOMPARE(lastOf<bridge::Resource>(spy).mimeType, u"text/csv"_s);
        QCOMPARE(previewJson(editor).value(u"mimeType"_s).toString(), u"text/csv"_s);
        // Cleared: no mimeType at all in what the model gets.
        mime->lineEdit()->selectAll();
        QTest::keyClick(mime->lineEdit(), Qt::Key_Backspace);
        QVERIFY(!previewJson(editor).contains(u"mimeType"_s));

        child<QPlainTextEdit>(editor, u"description"_s)->setPlainText(u"All food at home."_s);
        QCOMPARE(lastOf<bridge::Resource>(spy).description, u"All food at home."_s);
        QTest::keyClicks(child<QLineEdit>(editor, u"path"_s), u"/items"_s);
        const bridge::Resource last = lastOf<bridge::Resource>(spy);
        QCOMPARE(last.path, u"/pantry/items"_s);
        QCOMPARE(editor.resource(), last);
        QVERIFY(child<QLabel>(editor, u"request"_s)
                    ->text()
                    .contains(u"GET http://127.0.0.1:8766/pantry/items"_s));
        QCOMPARE(templates.count(), 0);
    }

    void invalidUris_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("inMessage");
        QTest::newRow("empty") << QString() << u"Missing: every resource needs a uri"_s;
        QTest::newRow("no scheme") << u"pantry-inventory"_s << u"is not a URI"_s;
        QTest::newRow("space") << u"pantry://my inventory"_s << u"is not a URI"_s;
        QTest::newRow("duplicate") << u"shopping://list"_s << u"used by another resource"_s;
        QTest::newRow("variable") << u"pantry://{shelf}"_s << u"resource template"_s;
    }

    void invalidUris()
    {
        QFETCH(QString, uri);
        QFETCH(QString, inMessage);
        ResourceEditor editor;
        editor.setDocument(demoDocument(), 0);
        editor.show();
        QSignalSpy changed(&editor, &ResourceEditor::resourceChanged);
        QSignalSpy validity(&editor, &ResourceEditor::validityChanged);
        auto *field = child<QLineEdit>(editor, u"uri"_s);
        replaceText(field, uri);
        QVERIFY(!editor.isValid());
        const QString messages = messagesAt(editor, u"/uri"_s);
        QVERIFY2(messages.contains(inMessage), qPrintable(messages));
        auto *label = child<QLabel>(editor, u"uriMessage"_s);
        QVERIFY(label->isVisible());
        QCOMPARE(label->text(), messages);
        QCOMPARE(field->accessibleDescription(), messages);
        QCOMPARE(validity.last().at(0).toBool(), false);
        // What the user typed still leaves the editor, so the window's document keeps it.
        QVERIFY(!changed.isEmpty());
        QCOMPARE(lastOf<bridge::Resource>(changed).uri, uri);

        replaceText(field, u"pantry://inventory2"_s);
        QVERIFY2(editor.isValid(), qPrintable(editors::problemText(editor.problems())));
        QVERIFY(!label->isVisible());
        QCOMPARE(validity.last().at(0).toBool(), true);
        QCOMPARE(lastOf<bridge::Resource>(changed).uri, u"pantry://inventory2"_s);
    }

    void invalidNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("inMessage");
        QTest::newRow("empty") << QString() << u"needs a name"_s;
        QTest::newRow("other resource") << u"shopping-list"_s << u"already called"_s;
        QTest::newRow("a template") << u"recipe"_s << u"already called"_s;
    }

    void invalidNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, inMessage);
        ResourceEditor editor;
        editor.setDocument(demoDocument(), 0);
        QSignalSpy validity(&editor, &ResourceEditor::validityChanged);
        auto *field = child<QLineEdit>(editor, u"name"_s);
        replaceText(field, name);
        QVERIFY(!editor.isValid());
        QCOMPARE(validity.count(), 1);
        QVERIFY2(messagesAt(editor, u"/name"_s).contains(inMessage),
                 qPrintable(messagesAt(editor, u"/name"_s)));
        QCOMPARE(child<QLabel>(editor, u"nameMessage"_s)->text(), messagesAt(editor, u"/name"_s));
        replaceText(field, u"pantry-inventory"_s); // its own name is no clash
        QVERIFY(editor.isValid());
        QCOMPARE(validity.count(), 2);
    }

    void badPathAndMimeType()
    {
        ResourceEditor editor;
        editor.setDocument(demoDocument(), 1);
        auto *path = child<QLineEdit>(editor, u"path"_s);
        replaceText(path, u"shopping-list"_s);
        QVERIFY(!editor.isValid());
        QVERIFY2(messagesAt(editor, u"/path"_s).contains(u"start with \"/\""_s),
                 qPrintable(messagesAt(editor, u"/path"_s)));
        QVERIFY(child<QLabel>(editor, u"request"_s)->text().isEmpty());
        replaceText(path, u"/shopping-list"_s);
        QVERIFY(editor.isValid());

        // An odd content type is a warning: the resource stays valid and is emitted.
        QSignalSpy changed(&editor, &ResourceEditor::resourceChanged);
        replaceText(child<QComboBox>(editor, u"mimeType"_s)->lineEdit(), u"json"_s);
        QVERIFY(editor.isValid());
        QCOMPARE(lastOf<bridge::Resource>(changed).mimeType, u"json"_s);
        const auto problems = editors::problemsAt(editor.problems(), u"/mimeType"_s);
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.first().severity, bridge::Problem::Severity::Warning);
        QVERIFY(child<QLabel>(editor, u"mimeTypeMessage"_s)->text().startsWith(u"Warning: "_s));
    }

    void mimeTypeSuggestions()
    {
        ResourceEditor editor;
        auto *combo = child<QComboBox>(editor, u"mimeType"_s);
        QVERIFY(combo->isEditable());
        QStringList items;
        for (int i = 0; i < combo->count(); ++i)
            items.append(combo->itemText(i));
        for (const QString &type : {u"application/json"_s, u"text/plain"_s, u"text/markdown"_s,
                                    u"text/csv"_s, u"image/png"_s})
            QVERIFY2(items.contains(type), qPrintable(type));
        for (const QString &type : std::as_const(items))
            QVERIFY(editors::looksLikeMimeType(type));
        QVERIFY(editors::looksLikeMimeType(u"text/plain; charset=utf-8"_s));
        QVERIFY(!editors::looksLikeMimeType(u"text"_s));
        QVERIFY(!editors::looksLikeMimeType(u"text/ plain"_s));
    }

    void templateVariables()
    {
        const bridge::BridgeDocument doc = demoDocument();
        ResourceEditor editor;
        editor.setTemplate(doc, 0);
        QCOMPARE(editor.mode(), ResourceEditor::Mode::Template);
        QCOMPARE(editor.resourceTemplate(), doc.resourceTemplates.at(0));
        QVERIFY(child<QWidget>(editor, u"variables"_s)->isVisibleTo(&editor));
        QVERIFY(editor.isValid());
        QCOMPARE(child<QPlainTextEdit>(editor, u"preview"_s)->toPlainText(),
                 QString::fromUtf8(json::pretty(doc.resourceTemplates.at(0).toMcp())));
        QCOMPARE(previewJson(editor).value(u"uriTemplate"_s).toString(), u"recipe://{id}"_s);
        QCOMPARE(child<QLabel>(editor, u"request"_s)->text(),
                 u"For example, reading recipe://1 calls GET http://127.0.0.1:8766/recipes/1."_s);

        TemplateVariableModel *model = editor.variableModel();
        QCOMPARE(model->variables(), QStringList{u"id"_s});
        QCOMPARE(model->data(model->index(0, TemplateVariableModel::InUri)).toString(), u"Yes"_s);
        QCOMPARE(model->data(model->index(0, TemplateVariableModel::InPath)).toString(), u"Yes"_s);
        QVERIFY(model->data(model->index(0, TemplateVariableModel::Values))
                    .toString()
                    .startsWith(u"1, 2, 3"_s));

        // A variable only in the URI template: an error under the path, "No" in the table.
        QSignalSpy changed(&editor, &ResourceEditor::templateChanged);
        QSignalSpy validity(&editor, &ResourceEditor::validityChanged);
        auto *uri = child<QLineEdit>(editor, u"uri"_s);
        QTest::keyClicks(uri, u"/{lang}"_s);
        QVERIFY(!editor.isValid());
        QCOMPARE(validity.count(), 1);
        QVERIFY2(messagesAt(editor, u"/path"_s).contains(u"\"lang\""_s),
                 qPrintable(messagesAt(editor, u"/path"_s)));
        QCOMPARE(model->variables(), (QStringList{u"id"_s, u"lang"_s}));
        QCOMPARE(model->mismatched(), QStringList{u"lang"_s});
        QCOMPARE(model->data(model->index(1, TemplateVariableModel::InPath)).toString(), u"No"_s);
        const int emittedWhileInvalid = int(changed.count());

        // ...and the other way round: only in the path.
        auto *path = child<QLineEdit>(editor, u"path"_s);
        QTest::keyClicks(path, u"/{lang}/{size}"_s);
        QCOMPARE(model->mismatched(), QStringList{u"size"_s});
        QVERIFY(!editor.isValid());
        replaceText(path, u"/recipes/{id}/{lang}"_s);
        QVERIFY2(editor.isValid(), qPrintable(editors::problemText(editor.problems())));
        QCOMPARE(validity.last().at(0).toBool(), true);
        QVERIFY(changed.count() > emittedWhileInvalid);
        QCOMPARE(lastOf<bridge::ResourceTemplate>(changed).path, u"/recipes/{id}/{lang}"_s);

        // Suggested values edited in the table become completions.
        QVERIFY(model->setData(model->index(1, TemplateVariableModel::Values), u"en, de,, fr"_s));
        const bridge::ResourceTemplate last = lastOf<bridge::ResourceTemplate>(changed);
        QCOMPARE(last.completions.value(u"lang"_s), (QStringList{u"en"_s, u"de"_s, u"fr"_s}));
        QCOMPARE(editor.resourceTemplate(), last);
        QVERIFY(!model->setData(model->index(1, TemplateVariableModel::Name), u"x"_s));
    }

    void templateUriChecks()
    {
        bridge::BridgeDocument doc = demoDocument();
        bridge::ResourceTemplate second = doc.resourceTemplates.at(0);
        second.uriTemplate = u"plan://{day}"_s;
        second.name = u"plan-day"_s;
        second.path = u"/meal-plan/{day}"_s;
        second.completions.clear();
        doc.resourceTemplates.append(second);
        ResourceEditor editor;
        editor.setTemplate(doc, 1);
        QVERIFY(editor.isValid());
        auto *uri = child<QLineEdit>(editor, u"uri"_s);
        replaceText(uri, u"recipe://{id}"_s);
        QVERIFY(messagesAt(editor, u"/uriTemplate"_s).contains(u"used by another"_s));
        replaceText(uri, u"plan://{day"_s);
        QVERIFY(messagesAt(editor, u"/uriTemplate"_s).contains(u"without a matching"_s));
        QVERIFY(!editor.isValid());
        QVERIFY(child<QLabel>(editor, u"uriMessage"_s)->isVisibleTo(&editor));
    }

    void descriptionHints()
    {
        bridge::BridgeDocument doc = demoDocument();
        doc.resources[0].description = u"Food."_s;
        ResourceEditor editor;
        editor.setDocument(doc, 0);
        QCOMPARE(editor.lintHints().size(), 1);
        QCOMPARE(editor.lintHints().first().rule, LintHint::Rule::TooShort);
        // Almost the words of the shopping list's description.
        child<QPlainTextEdit>(editor, u"description"_s)
            ->setPlainText(u"The last generated shopping list, with the items already ticked "
                           "off."_s);
        QCOMPARE(editor.lintHints().size(), 1);
        QCOMPARE(editor.lintHints().first().rule, LintHint::Rule::NearDuplicate);
        QCOMPARE(editor.lintHints().first().subjects, QStringList{u"shopping-list"_s});
        child<QPlainTextEdit>(editor, u"description"_s)
            ->setPlainText(u"Everything at home right now, with quantities and expiry dates."_s);
        QCOMPARE(editor.lintHints(), QList<LintHint>{});
        QVERIFY(editor.isValid()); // hints never hold an edit back
    }

    void newResourceOutOfRange()
    {
        ResourceEditor editor;
        editor.setDocument(demoDocument(), 99);
        QCOMPARE(editor.resource(), bridge::Resource{});
        QVERIFY(!editor.isValid());
        QSignalSpy validity(&editor, &ResourceEditor::validityChanged);
        QSignalSpy changed(&editor, &ResourceEditor::resourceChanged);
        QTest::keyClicks(child<QLineEdit>(editor, u"uri"_s), u"notes://all"_s);
        QTest::keyClicks(child<QLineEdit>(editor, u"name"_s), u"notes"_s);
        QTest::keyClicks(child<QLineEdit>(editor, u"path"_s), u"/notes"_s);
        QVERIFY2(editor.isValid(), qPrintable(editors::problemText(editor.problems())));
        QCOMPARE(validity.count(), 1);
        QCOMPARE(lastOf<bridge::Resource>(changed).uri, u"notes://all"_s);
    }

    void previewIsWhatTheServerSends()
    {
        demo::DemoApi api;
        QVERIFY2(api.listen(), qPrintable(api.errorString()));
        bridge::BridgeDocument doc = demoDocument();
        doc.upstream.baseUrl = u"http://127.0.0.1:%1"_s.arg(api.port());

        ResourceEditor editor;
        editor.setDocument(doc, 0);
        QSignalSpy changed(&editor, &ResourceEditor::resourceChanged);
        QTest::keyClicks(child<QLineEdit>(editor, u"title"_s), u" (live)"_s);
        replaceText(child<QComboBox>(editor, u"mimeType"_s)->lineEdit(), u"application/json"_s);
        doc.resources[0] = lastOf<bridge::Resource>(changed);

        ResourceEditor templateEditor;
        templateEditor.setTemplate(doc, 0);
        QSignalSpy templateChanged(&templateEditor, &ResourceEditor::templateChanged);
        child<QPlainTextEdit>(templateEditor, u"description"_s)
            ->setPlainText(u"One recipe in full, by its id."_s);
        doc.resourceTemplates[0] = lastOf<bridge::ResourceTemplate>(templateChanged);

        tests::McpRoundTrip server(doc);
        const QJsonArray resources
            = server.result(u"resources/list"_s).value(u"resources"_s).toArray();
        QCOMPARE(resources.size(), doc.resources.size());
        QCOMPARE(resources.at(0).toObject(), previewJson(editor));
        const QJsonArray templates
            = server.result(u"resources/templates/list"_s).value(u"resourceTemplates"_s).toArray();
        QCOMPARE(templates.at(0).toObject(), previewJson(templateEditor));

        // The GET the editor names is the one that serves the resource.
        const QJsonArray contents
            = server.result(u"resources/read"_s, {{u"uri"_s, u"pantry://inventory"_s}})
                  .value(u"contents"_s)
                  .toArray();
        QCOMPARE(contents.size(), 1);
        QCOMPARE(contents.at(0).toObject().value(u"mimeType"_s).toString(), u"application/json"_s);
        QVERIFY(contents.at(0).toObject().value(u"text"_s).toString().contains(u"items"_s));
    }

    void variableModelIsSound()
    {
        TemplateVariableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        bridge::ResourceTemplate t;
        t.uriTemplate = u"a://{x}/{y}"_s;
        t.path = u"/{y}/{z}"_s;
        t.completions.insert(u"old"_s, {u"1"_s});
        model.setTemplate(t);
        QCOMPARE(model.variables(), (QStringList{u"x"_s, u"y"_s, u"z"_s, u"old"_s}));
        QCOMPARE(model.mismatched(), (QStringList{u"x"_s, u"z"_s}));
        QCOMPARE(model.columnCount(), int(TemplateVariableModel::ColumnCount));
        QVERIFY(model.setData(model.index(3, TemplateVariableModel::Values), QString()));
        QVERIFY(model.completions().isEmpty());
        t.path = u"/{x}/{y}"_s;
        model.setTemplate(t);
        QVERIFY(model.mismatched().isEmpty());
        QCOMPARE(model.headerData(TemplateVariableModel::Values, Qt::Horizontal).toString(),
                 u"Suggested values"_s);
    }

    void accessibleAndCompact_data()
    {
        QTest::addColumn<bool>("isTemplate");
        QTest::newRow("resource") << false;
        QTest::newRow("template") << true;
    }

    void accessibleAndCompact()
    {
        QFETCH(bool, isTemplate);
        ResourceEditor editor;
        if (isTemplate)
            editor.setTemplate(demoDocument(), 0);
        else
            editor.setDocument(demoDocument(), 0);
        editor.resize(900, 600);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QVERIFY(editor.minimumSizeHint().width() <= 900);
        QVERIFY(editor.minimumSizeHint().height() <= 600);

        const QList<QWidget *> controls = visibleControls(editor);
        for (QWidget *w : controls) {
            QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName()));
            QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(w->objectName()));
        }
        QVERIFY(controls.size() >= (isTemplate ? 8 : 7));
        QStringList texts;
        for (QLabel *label : editor.findChildren<QLabel *>()) {
            if (!label->text().contains(u'&') || !label->isVisibleTo(&editor))
                continue;
            QVERIFY2(label->buddy(), qPrintable(label->text()));
            texts.append(label->text());
        }
        const QString repeated = repeatedMnemonic(texts);
        QVERIFY2(repeated.isEmpty(), qPrintable(repeated));

        // Tab walks the fields in reading order.
        const QString tabProblem = tabOrderProblem(
            {child<QLineEdit>(editor, u"uri"_s), child<QLineEdit>(editor, u"name"_s),
             child<QLineEdit>(editor, u"title"_s),
             child<QPlainTextEdit>(editor, u"description"_s)});
        QVERIFY2(tabProblem.isEmpty(), qPrintable(tabProblem));
    }
};

QTEST_MAIN(TestResourceEditor)
#include "tst_resourceeditor.moc"
