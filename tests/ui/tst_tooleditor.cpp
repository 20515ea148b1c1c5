// The tool editor: edits reach the preview and toolChanged, names are checked as typed, path
// variables become parameters, the parameters model is sound, and the description hints fire.

#include "tests/ui/editortesthelpers.h"
#include "ui/editors/descriptionlint.h"
#include "ui/editors/parametertablemodel.h"
#include "ui/editors/tooleditor.h"
#include "ui/editors/toolnamecheck.h"

#include "core/util/jsontext.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::tests;
using editors::LintHint;
using editors::ParameterTableModel;
using editors::ToolEditor;

Q_DECLARE_METATYPE(QList<LintHint::Rule>)

namespace {

const QString GoodDescription
    = u"Finds recipes that use an ingredient. Use this when the user asks what they can cook."_s;

bridge::Tool recipeTool()
{
    bridge::Tool t;
    t.name = u"find_recipes"_s;
    t.title = u"Find recipes"_s;
    t.description = GoodDescription;
    t.method = u"GET"_s;
    t.path = u"/recipes"_s;
    bridge::Parameter p;
    p.name = u"ingredient"_s;
    p.in = u"query"_s;
    p.description = u"One ingredient, e.g. eggs"_s;
    p.schema = {{u"type"_s, u"string"_s}};
    t.parameters = {p};
    return t;
}

bridge::BridgeDocument documentWith(const bridge::Tool &tool)
{
    bridge::BridgeDocument doc;
    bridge::Tool other;
    other.name = u"add_item"_s;
    other.description = u"Adds an item to the pantry. Use it to record groceries bought."_s;
    other.method = u"POST"_s;
    other.path = u"/items"_s;
    doc.tools = {other, tool};
    return doc;
}

QList<LintHint::Rule> rulesOf(const QList<LintHint> &hints)
{
    QList<LintHint::Rule> rules;
    for (const LintHint &h : hints)
        rules.append(h.rule);
    return rules;
}

} // namespace

class TestToolEditor : public QObject
{
    Q_OBJECT

private slots:
    void showsToolAndExactPreview()
    {
        const bridge::Tool tool = recipeTool();
        ToolEditor editor;
        editor.setDocument(documentWith(tool));
        editor.setTool(tool);
        QCOMPARE(child<QLineEdit>(editor, u"name"_s)->text(), tool.name);
        QCOMPARE(child<QLineEdit>(editor, u"path"_s)->text(), tool.path);
        QCOMPARE(child<QPlainTextEdit>(editor, u"preview"_s)->toPlainText(),
                 QString::fromUtf8(json::pretty(tool.toMcp())));
        QVERIFY(editor.isValid());
        QCOMPARE(editor.tool(), tool);
    }

    void editsUpdatePreviewAndEmit()
    {
        const bridge::Tool tool = recipeTool();
        ToolEditor editor;
        editor.setDocument(documentWith(tool));
        editor.setTool(tool);
        QSignalSpy spy(&editor, &ToolEditor::toolChanged);

        QTest::keyClicks(child<QLineEdit>(editor, u"title"_s), u" fast"_s);
        QCOMPARE(spy.count(), 5);
        QCOMPARE(lastOf<bridge::Tool>(spy).title, u"Find recipes fast"_s);
        QCOMPARE(previewJson(editor).value(u"title"_s).toString(), u"Find recipes fast"_s);

        auto *description = child<QPlainTextEdit>(editor, u"description"_s);
        description->setPlainText(GoodDescription + u" Returns at most 20."_s);
        QCOMPARE(lastOf<bridge::Tool>(spy).description,
                 GoodDescription + u" Returns at most 20."_s);
        QCOMPARE(previewJson(editor).value(u"description"_s).toString(),
                 GoodDescription + u" Returns at most 20."_s);

        child<QCheckBox>(editor, u"readOnly"_s)->setChecked(true);
        QCOMPARE(previewJson(editor)
                     .value(u"annotations"_s)
                     .toObject()
                     .value(u"readOnlyHint"_s)
                     .toBool(),
                 true);
        QCOMPARE(lastOf<bridge::Tool>(spy).annotations.readOnlyHint, true);

        child<QSpinBox>(editor, u"maxItems"_s)->setValue(25);
        child<QSpinBox>(editor, u"maxSize"_s)->setValue(8);
        child<QPlainTextEdit>(editor, u"fields"_s)->setPlainText(u"/items\n\n /total \n"_s);
        const bridge::Tool last = lastOf<bridge::Tool>(spy);
        QCOMPARE(last.response.maxItems, 25);
        QCOMPARE(last.response.maxBytes, qint64(8 * 1024));
        QCOMPARE(last.response.fields, (QStringList{u"/items"_s, u"/total"_s}));
        QCOMPARE(editor.tool(), last);
        QCOMPARE(child<QPlainTextEdit>(editor, u"preview"_s)->toPlainText(),
                 QString::fromUtf8(json::pretty(last.toMcp())));

        child<QComboBox>(editor, u"method"_s)->setCurrentText(u"DELETE"_s);
        QCOMPARE(lastOf<bridge::Tool>(spy).method, u"DELETE"_s);
    }

    void annotationDefaults_data()
    {
        QTest::addColumn<QString>("box");
        QTest::addColumn<QString>("hint");
        QTest::addColumn<bool>("mcpDefault");
        QTest::newRow("read-only") << u"readOnly"_s << u"readOnlyHint"_s << false;
        QTest::newRow("destructive") << u"destructive"_s << u"destructiveHint"_s << true;
        QTest::newRow("idempotent") << u"idempotent"_s << u"idempotentHint"_s << false;
        QTest::newRow("open world") << u"openWorld"_s << u"openWorldHint"_s << true;
    }

    void annotationDefaults()
    {
        QFETCH(QString, box);
        QFETCH(QString, hint);
        QFETCH(bool, mcpDefault);
        ToolEditor editor;
        editor.setTool(recipeTool());
        auto *check = child<QCheckBox>(editor, box);
        QCOMPARE(check->isChecked(), mcpDefault); // an absent hint shows the MCP default
        check->setChecked(!mcpDefault);
        QCOMPARE(previewJson(editor).value(u"annotations"_s).toObject().value(hint),
                 QJsonValue(!mcpDefault));
        check->setChecked(mcpDefault);
        QVERIFY(!previewJson(editor).value(u"annotations"_s).toObject().contains(hint));
    }

    void invalidNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("inMessage");
        QTest::newRow("empty") << QString() << u"needs a name"_s;
        QTest::newRow("space") << u"find recipes"_s << u"a space"_s;
        QTest::newRow("slash") << u"find/recipes"_s << u"\u201C/\u201D"_s;
        QTest::newRow("accent") << u"caf\u00E9"_s << u"\u201C\u00E9\u201D"_s;
        QTest::newRow("65 characters") << QString(65, u'a') << u"65 characters"_s;
        QTest::newRow("duplicate") << u"add_item"_s << u"already called \u201Cadd_item\u201D"_s;
    }

    void invalidNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, inMessage);
        const bridge::Tool tool = recipeTool();
        ToolEditor editor;
        editor.setDocument(documentWith(tool));
        editor.setTool(tool);
        editor.show();
        QSignalSpy changed(&editor, &ToolEditor::toolChanged);
        QSignalSpy validity(&editor, &ToolEditor::validityChanged);
        auto *field = child<QLineEdit>(editor, u"name"_s);
        replaceText(field, name);
        QVERIFY(!editor.isValid());
        QVERIFY2(editor.nameProblem().contains(inMessage), qPrintable(editor.nameProblem()));
        auto *message = child<QLabel>(editor, u"nameMessage"_s);
        QVERIFY(message->isVisible());
        QCOMPARE(message->text(), editor.nameProblem());
        QCOMPARE(validity.count(), 1);
        QCOMPARE(validity.last().at(0).toBool(), false);
        // What the user typed still leaves the editor, so the window's document keeps it.
        QVERIFY(!changed.isEmpty());
        QCOMPARE(lastOf<bridge::Tool>(changed).name, name);

        // Back to a good name: the message goes and the tool is emitted.
        field->setText(QString());
        QTest::keyClicks(field, u"find.recipes-2"_s);
        QVERIFY(editor.isValid());
        QVERIFY(!message->isVisible());
        QCOMPARE(validity.last().at(0).toBool(), true);
        QCOMPARE(lastOf<bridge::Tool>(changed).name, u"find.recipes-2"_s);
    }

    void documentHoldingTheEdits()
    {
        // The window applies each toolChanged to its document and hands it back by index:
        // the renamed entry is the tool itself, not a clash.
        const bridge::Tool tool = recipeTool();
        bridge::BridgeDocument doc = documentWith(tool);
        ToolEditor editor;
        editor.setDocument(doc, 1);
        editor.setTool(tool);
        QSignalSpy changed(&editor, &ToolEditor::toolChanged);
        auto *field = child<QLineEdit>(editor, u"name"_s);
        QTest::keyClicks(field, u"_v2"_s);
        QCOMPARE(changed.count(), 3);
        doc.tools[1] = lastOf<bridge::Tool>(changed);
        editor.setDocument(doc, 1);
        QVERIFY2(editor.isValid(), qPrintable(editor.nameProblem()));
        QVERIFY(!rulesOf(editor.lintHints()).contains(LintHint::Rule::NearDuplicate));
        // ...while the other tool's name still clashes.
        field->setText(QString());
        QTest::keyClicks(field, u"add_item"_s);
        QVERIFY(!editor.isValid());
    }

    void validNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("own name") << u"find_recipes"_s;
        QTest::newRow("all kinds") << u"A-z_0.9"_s;
        QTest::newRow("64 characters") << QString(64, u'x');
    }

    void validNames()
    {
        QFETCH(QString, name);
        const bridge::Tool tool = recipeTool();
        QCOMPARE(editors::toolNameProblem(name, documentWith(tool), tool.name), QString());
    }

    void duplicateWhenDocumentHasTwo()
    {
        // The tool's own entry is skipped once only: a real second tool of that name clashes.
        bridge::BridgeDocument doc = documentWith(recipeTool());
        doc.tools.append(recipeTool());
        QVERIFY(!editors::toolNameProblem(u"find_recipes"_s, doc, u"find_recipes"_s).isEmpty());
    }

    void pathVariablesAddParameters()
    {
        bridge::Tool tool = recipeTool();
        ToolEditor editor;
        editor.setDocument(documentWith(tool));
        editor.setTool(tool);
        QSignalSpy spy(&editor, &ToolEditor::toolChanged);
        auto *path = child<QLineEdit>(editor, u"path"_s);
        path->setText(QString());
        QTest::keyClicks(path, u"/recipes/{id}"_s);

        const bridge::Tool edited = lastOf<bridge::Tool>(spy);
        QCOMPARE(edited.path, u"/recipes/{id}"_s);
        const bridge::Parameter *id = edited.findParameter(u"id");
        QVERIFY(id);
        QCOMPARE(id->in, u"path"_s);
        QVERIFY(id->required);
        QCOMPARE(edited.parameters.size(), 2); // typing "{i" then "{id" did not leave "i"...
        QVERIFY(!edited.findParameter(u"i"));  // ...because a variable counts once closed
        const QJsonObject schema = previewJson(editor).value(u"inputSchema"_s).toObject();
        QVERIFY(schema.value(u"properties"_s).toObject().contains(u"id"_s));
        QVERIFY(schema.value(u"required"_s).toArray().contains(u"id"_s));

        // An existing query parameter named like a new variable moves to the path.
        QTest::keyClicks(path, u"/{ingredient}"_s);
        const bridge::Tool moved = lastOf<bridge::Tool>(spy);
        QCOMPARE(moved.parameters.size(), 2);
        QCOMPARE(moved.findParameter(u"ingredient")->in, u"path"_s);
        QVERIFY(moved.findParameter(u"ingredient")->required);
    }

    void parameterButtons()
    {
        ToolEditor editor;
        editor.setTool(recipeTool());
        QSignalSpy spy(&editor, &ToolEditor::toolChanged);
        child<QPushButton>(editor, u"addParameter"_s)->click();
        QCOMPARE(lastOf<bridge::Tool>(spy).parameters.size(), 2);
        QVERIFY(editor.tool().findParameter(u"parameter"));
        auto *remove = child<QPushButton>(editor, u"removeParameter"_s);
        QVERIFY(remove->isEnabled()); // the new row is selected
        remove->click();
        QCOMPARE(editor.tool().parameters.size(), 1);
    }

    void parameterModel()
    {
        ParameterTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setParameters(recipeTool().parameters);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.columnCount(), int(ParameterTableModel::ColumnCount));

        const int row = model.addParameter();
        QCOMPARE(row, 1);
        auto at = [&](int column) { return model.index(row, column); };
        QVERIFY(model.setData(at(ParameterTableModel::Name), u"limit"_s));
        QVERIFY(model.setData(at(ParameterTableModel::Type), u"integer"_s));
        QVERIFY(model.setData(at(ParameterTableModel::Default), u"10"_s));
        QVERIFY(model.setData(at(ParameterTableModel::Enum), u"10, 20,,50"_s));
        QVERIFY(model.setData(at(ParameterTableModel::Description), u"How many"_s));
        QVERIFY(model.setData(at(ParameterTableModel::Required), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(!model.setData(at(ParameterTableModel::In), u"cookie"_s));
        QVERIFY(!model.setData(at(ParameterTableModel::Type), u"text"_s));
        QVERIFY(!model.setData(at(ParameterTableModel::Name), u"  "_s));

        const bridge::Parameter p = model.parameters().at(row);
        QCOMPARE(p.name, u"limit"_s);
        QCOMPARE(p.in, u"query"_s);
        QVERIFY(p.required);
        QCOMPARE(p.description, u"How many"_s);
        QCOMPARE(p.schema.value(u"type"_s).toString(), u"integer"_s);
        QCOMPARE(p.schema.value(u"default"_s), QJsonValue(10));
        QCOMPARE(p.schema.value(u"enum"_s).toArray(), (QJsonArray{10, 20, 50}));
        QCOMPARE(model.data(at(ParameterTableModel::Enum)).toString(), u"10, 20, 50"_s);
        QCOMPARE(model.data(at(ParameterTableModel::Default)).toString(), u"10"_s);

        // Changing the type re-reads default and allowed values.
        QVERIFY(model.setData(at(ParameterTableModel::Type), u"string"_s));
        QCOMPARE(model.parameters().at(row).schema.value(u"default"_s), QJsonValue(u"10"_s));

        // A path parameter is always required and its box cannot be unchecked.
        QVERIFY(model.setData(at(ParameterTableModel::In), u"path"_s));
        QVERIFY(!(model.flags(at(ParameterTableModel::Required)) & Qt::ItemIsUserCheckable));
        model.setData(at(ParameterTableModel::Required), Qt::Unchecked, Qt::CheckStateRole);
        QVERIFY(model.parameters().at(row).required);

        QCOMPARE(model.ensurePathParameters(u"/a/{x}/{limit}"_s), QStringList{u"x"_s});
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.removeRows(0, 2));
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(!model.removeRows(0, 5));
        QCOMPARE(model.headerData(ParameterTableModel::In, Qt::Horizontal).toString(),
                 u"Goes in"_s);
    }

    void lintRules_data()
    {
        QTest::addColumn<QString>("description");
        QTest::addColumn<bool>("parameterDescribed");
        QTest::addColumn<QString>("otherDescription");
        QTest::addColumn<QList<LintHint::Rule>>("rules");
        using R = LintHint::Rule;
        const QString unrelated = u"Deletes an order for good and tells the kitchen about it."_s;
        QTest::newRow("good") << GoodDescription << true << unrelated << QList<R>{};
        QTest::newRow("empty") << QString() << true << unrelated
                               << QList<R>{R::TooShort, R::NoUsageGuidance};
        QTest::newRow("short with guidance")
            << u"Use this to find recipes."_s << true << unrelated << QList<R>{R::TooShort};
        QTest::newRow("long without guidance")
            << u"Finds recipes that contain the given ingredient, newest first."_s << true
            << unrelated << QList<R>{R::NoUsageGuidance};
        QTest::newRow("call ... when")
            << u"Finds recipes by ingredient. Call it when someone wants dinner ideas."_s << true
            << unrelated << QList<R>{};
        QTest::newRow("undescribed parameter")
            << GoodDescription << false << unrelated << QList<R>{R::UndescribedParameters};
        QTest::newRow("near duplicate")
            << GoodDescription << true
            << u"Finds recipes that use an ingredient! Use this when the user asks what they "
               "can cook."_s
            << QList<R>{R::NearDuplicate};
        QTest::newRow("similar but different")
            << GoodDescription << true
            << u"Finds shops that sell an ingredient. Use this when the user asks where to "
               "buy it."_s
            << QList<R>{};
        QTest::newRow("everything") << u"Recipes."_s << false << u"recipes"_s
                                    << QList<R>{R::TooShort, R::NoUsageGuidance,
                                                R::UndescribedParameters, R::NearDuplicate};
    }

    void lintRules()
    {
        QFETCH(QString, description);
        QFETCH(bool, parameterDescribed);
        QFETCH(QString, otherDescription);
        QFETCH(QList<LintHint::Rule>, rules);
        bridge::Tool tool = recipeTool();
        tool.description = description;
        if (!parameterDescribed)
            tool.parameters[0].description.clear();
        bridge::BridgeDocument doc = documentWith(tool);
        doc.tools[0].description = otherDescription;

        const QList<LintHint> hints = editors::lintDescription(tool, doc, tool.name);
        QCOMPARE(rulesOf(hints), rules);
        for (const LintHint &h : hints) {
            QVERIFY(!h.message.isEmpty());
            if (h.rule == LintHint::Rule::UndescribedParameters) {
                QCOMPARE(h.subjects, QStringList{u"ingredient"_s});
                QVERIFY(h.message.contains(u"ingredient"_s));
            }
            if (h.rule == LintHint::Rule::NearDuplicate) {
                QCOMPARE(h.subjects, QStringList{u"add_item"_s});
                QVERIFY(h.message.contains(u"add_item"_s));
            }
        }

        // The editor shows the same hints.
        ToolEditor editor;
        editor.setDocument(doc);
        editor.setTool(tool);
        QCOMPARE(rulesOf(editor.lintHints()), rules);
    }

    void similarity()
    {
        QCOMPARE(editors::wordSimilarity(u"a b c"_s, u"C, B. A!"_s), 1.0);
        QCOMPARE(editors::wordSimilarity(u"a b"_s, u"c d"_s), 0.0);
        QCOMPARE(editors::wordSimilarity(u"a b c d"_s, u"a b c e"_s), 3.0 / 5.0);
        QCOMPARE(editors::wordSimilarity(QString(), QString()), 0.0);
    }

    void hintsUpdateLive()
    {
        bridge::Tool tool = recipeTool();
        tool.description = u"Recipes."_s;
        ToolEditor editor;
        editor.setTool(tool);
        QVERIFY(rulesOf(editor.lintHints()).contains(LintHint::Rule::TooShort));
        child<QPlainTextEdit>(editor, u"description"_s)->setPlainText(GoodDescription);
        QCOMPARE(rulesOf(editor.lintHints()), QList<LintHint::Rule>{});
    }
};

QTEST_MAIN(TestToolEditor)
#include "tst_tooleditor.moc"
