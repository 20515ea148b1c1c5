// The Try-it form made from an input schema: an editor per type, defaults, omitted optionals,
// problems in plain words, and restoring arguments.

#include "ui/tryit/schemafield.h"
#include "ui/tryit/schemaform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using tryit::SchemaForm;

namespace {

QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

// Every kind of property the form knows, with a title, defaults and limits.
QJsonObject allKinds()
{
    return object(
        "{\"type\":\"object\",\"required\":[\"query\",\"strict\"],\"properties\":{"
        "\"query\":{\"type\":\"string\",\"description\":\"Words to look for.\"},"
        "\"day\":{\"type\":\"string\",\"format\":\"date\"},"
        "\"sort\":{\"type\":\"string\",\"enum\":[\"name\",\"time\"],\"default\":\"time\"},"
        "\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":50,\"default\":20},"
        "\"price\":{\"type\":\"number\",\"title\":\"Price\"},"
        "\"vegan\":{\"type\":\"boolean\"},"
        "\"strict\":{\"type\":\"boolean\"},"
        "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
        "\"ids\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
        "\"filters\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}},"
        "\"lines\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
        "\"anything\":{\"description\":\"Any value.\"}}}");
}

template<typename T>
T *editorOf(const SchemaForm &form, const QString &name)
{
    return qobject_cast<T *>(form.editor(name));
}

} // namespace

class tst_SchemaForm : public QObject
{
    Q_OBJECT

private slots:
    void editorPerType()
    {
        SchemaForm form;
        form.setSchema(allKinds());
        QVERIFY(editorOf<QLineEdit>(form, u"query"_s));
        QVERIFY(editorOf<QLineEdit>(form, u"day"_s));
        QVERIFY(editorOf<QComboBox>(form, u"sort"_s));
        QVERIFY(editorOf<QLineEdit>(form, u"limit"_s));
        QVERIFY(editorOf<QLineEdit>(form, u"price"_s));
        QVERIFY(editorOf<QCheckBox>(form, u"vegan"_s));
        QVERIFY(editorOf<QCheckBox>(form, u"strict"_s));
        QVERIFY(editorOf<QLineEdit>(form, u"tags"_s));
        QVERIFY(editorOf<QLineEdit>(form, u"ids"_s));
        QVERIFY(editorOf<QPlainTextEdit>(form, u"filters"_s));
        QVERIFY(editorOf<QPlainTextEdit>(form, u"lines"_s));
        QVERIFY(editorOf<QPlainTextEdit>(form, u"anything"_s));

        // Labels: title or name, required marked; the description is the tooltip and help.
        QCOMPARE(form.label(u"query"_s)->text(), u"query *"_s);
        QCOMPARE(form.label(u"price"_s)->text(), u"Price"_s);
        QCOMPARE(form.editor(u"query"_s)->toolTip(), u"Words to look for."_s);
        QVERIFY(!form.findChildren<QLabel *>().isEmpty());
        bool helpShown = false;
        for (const QLabel *label : form.findChildren<QLabel *>())
            helpShown = helpShown || label->text() == "Words to look for."_L1;
        QVERIFY(helpShown);

        // Hints: format, range, list, JSON.
        QVERIFY(editorOf<QLineEdit>(form, u"day"_s)->placeholderText().contains("2025-01-31"_L1));
        QCOMPARE(editorOf<QLineEdit>(form, u"limit"_s)->placeholderText(),
                 u"A whole number from 1 to 50"_s);
        QVERIFY(editorOf<QLineEdit>(form, u"tags"_s)->placeholderText().contains("commas"_L1));
        QVERIFY(editorOf<QPlainTextEdit>(form, u"filters"_s)
                    ->placeholderText()
                    .contains("{\"a\":1}"_L1));

        // Optional booleans have a "not set" state; required ones do not.
        QVERIFY(editorOf<QCheckBox>(form, u"vegan"_s)->isTristate());
        QCOMPARE(editorOf<QCheckBox>(form, u"vegan"_s)->checkState(), Qt::PartiallyChecked);
        QVERIFY(!editorOf<QCheckBox>(form, u"strict"_s)->isTristate());
        // The optional enum offers "not set" besides its values; its default is chosen.
        QComboBox *sort = editorOf<QComboBox>(form, u"sort"_s);
        QCOMPARE(sort->count(), 3);
        QCOMPARE(sort->currentText(), u"time"_s);
        // Required first (in schema order), then the rest by name.
        QCOMPARE(form.fieldNames().mid(0, 2), (QStringList{u"query"_s, u"strict"_s}));
    }

    void defaultsAndOmittedOptionals()
    {
        SchemaForm form;
        form.setSchema(allKinds());
        // Defaults are filled in; empty optionals are left out; the required boolean is false.
        QCOMPARE(form.arguments(), object("{\"sort\":\"time\",\"limit\":20,\"strict\":false}"));
        QCOMPARE(form.problems(), QStringList{u"Required: query"_s});

        editorOf<QLineEdit>(form, u"query"_s)->setText(u"soup"_s);
        editorOf<QCheckBox>(form, u"vegan"_s)->setCheckState(Qt::Checked);
        editorOf<QLineEdit>(form, u"tags"_s)->setText(u"quick, soup ,, vegan"_s);
        editorOf<QLineEdit>(form, u"ids"_s)->setText(u"3, 4"_s);
        editorOf<QLineEdit>(form, u"price"_s)->setText(u"2.5"_s);
        editorOf<QPlainTextEdit>(form, u"filters"_s)->setPlainText(u"{\"a\": 1}"_s);
        editorOf<QPlainTextEdit>(form, u"lines"_s)->setPlainText(u"[{\"x\": true}]"_s);
        editorOf<QPlainTextEdit>(form, u"anything"_s)->setPlainText(u"\"free text\""_s);
        editorOf<QComboBox>(form, u"sort"_s)->setCurrentIndex(0); // (not set)
        QVERIFY2(form.problems().isEmpty(), qPrintable(form.problems().join(u"; "_s)));
        QCOMPARE(
            form.arguments(),
            object("{\"query\":\"soup\",\"limit\":20,\"strict\":false,\"vegan\":true,"
                   "\"tags\":[\"quick\",\"soup\",\"vegan\"],\"ids\":[3,4],\"price\":2.5,"
                   "\"filters\":{\"a\":1},\"lines\":[{\"x\":true}],\"anything\":\"free text\"}"));
    }

    void problemsInPlainWords_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("problem");
        QTest::newRow("not a number") << u"limit"_s << u"abc"_s << u"limit: not a number"_s;
        QTest::newRow("not whole") << u"limit"_s << u"2.5"_s << u"limit: not a whole number"_s;
        QTest::newRow("too small") << u"limit"_s << u"0"_s << u"limit: must be at least 1"_s;
        QTest::newRow("too large") << u"limit"_s << u"51"_s << u"limit: must be at most 50"_s;
        QTest::newRow("price") << u"price"_s << u"cheap"_s << u"Price: not a number"_s;
        QTest::newRow("list item") << u"ids"_s << u"1, x"_s << u"ids: \"x\" is not a number"_s;
        QTest::newRow("bad json") << u"filters"_s << u"{\"a\" 1}"_s
                                  << u"filters: not valid JSON (line 1, column 6)"_s;
        QTest::newRow("json on line 2") << u"filters"_s << u"{\n  \"a\": }"_s
                                        << u"filters: not valid JSON (line 2, column 8)"_s;
        QTest::newRow("unquoted text")
            << u"anything"_s << u"soup"_s << u"anything: not valid JSON (line 1, column 1)"_s;
        QTest::newRow("unclosed") << u"filters"_s << u"{\"a\": [1, 2}"_s
                                  << u"filters: not valid JSON (line 1, column 13)"_s;
        QTest::newRow("wrong json type")
            << u"filters"_s << u"[1]"_s << u"filters: must be a JSON object"_s;
        QTest::newRow("two values")
            << u"anything"_s << u"1, 2"_s << u"anything: enter one JSON value"_s;
    }

    void problemsInPlainWords()
    {
        QFETCH(QString, field);
        QFETCH(QString, text);
        QFETCH(QString, problem);
        SchemaForm form;
        form.setSchema(allKinds());
        editorOf<QLineEdit>(form, u"query"_s)->setText(u"soup"_s);
        if (auto *line = editorOf<QLineEdit>(form, field))
            line->setText(text);
        else
            editorOf<QPlainTextEdit>(form, field)->setPlainText(text);
        const QStringList problems = form.problems();
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().startsWith(problem), qPrintable(problems.first()));
        // Unreadable text is left out of the arguments; out-of-range numbers are kept.
        const bool readable = problem.contains("must be at"_L1);
        QCOMPARE(form.arguments().contains(field), readable);
        // The problem also shows beside the field.
        QString inline_ = problem.section(u": "_s, 1);
        inline_[0] = inline_[0].toUpper();
        bool shown = false;
        for (const QLabel *label : form.findChildren<QLabel *>())
            shown = shown || (label->isVisibleTo(&form) && label->text().startsWith(inline_));
        QVERIFY2(shown, qPrintable(inline_));
    }

    void setArgumentsRestoresValues()
    {
        SchemaForm form;
        form.setSchema(allKinds());
        const QJsonObject arguments = object(
            "{\"query\":\"pasta\",\"strict\":true,\"sort\":\"name\",\"vegan\":false,"
            "\"tags\":[\"a\",\"b\"],\"ids\":[7],\"filters\":{\"a\":2},\"anything\":[1,\"x\"]}");
        QSignalSpy changed(&form, &SchemaForm::changed);
        form.setArguments(arguments);
        QVERIFY(changed.size() >= 1);
        // limit is not in the arguments: emptied, not reset to its default.
        QCOMPARE(form.arguments(), arguments);
        QCOMPARE(editorOf<QLineEdit>(form, u"limit"_s)->text(), QString());
        QCOMPARE(editorOf<QLineEdit>(form, u"tags"_s)->text(), u"a, b"_s);
        form.resetToDefaults();
        QCOMPARE(editorOf<QLineEdit>(form, u"limit"_s)->text(), u"20"_s);
    }

    void changedOnEdit()
    {
        SchemaForm form;
        form.setSchema(allKinds());
        QSignalSpy changed(&form, &SchemaForm::changed);
        QTest::keyClicks(editorOf<QLineEdit>(form, u"query"_s), u"ab"_s);
        QCOMPARE(changed.size(), 2);
        editorOf<QCheckBox>(form, u"strict"_s)->click();
        QCOMPARE(changed.size(), 3);
        QCOMPARE(form.arguments().value("strict"_L1), QJsonValue(true));
    }

    void parameterOrderAndNoArguments()
    {
        SchemaForm form;
        form.setSchema(allKinds(), {u"tags"_s, u"missing"_s, u"limit"_s});
        QCOMPARE(form.fieldNames().mid(0, 4),
                 (QStringList{u"tags"_s, u"limit"_s, u"query"_s, u"strict"_s}));

        form.setSchema(object("{\"type\":\"object\",\"additionalProperties\":false}"));
        QVERIFY(!form.hasFields());
        QVERIFY(form.arguments().isEmpty());
        QVERIFY(form.problems().isEmpty());
        bool said = false;
        for (const QLabel *label : form.findChildren<QLabel *>())
            said = said || (label->isVisibleTo(&form) && label->text().contains("no arguments"_L1));
        QVERIFY(said);
    }

    void fieldSpecs_data()
    {
        QTest::addColumn<QString>("schema");
        QTest::addColumn<int>("kind");
        QTest::newRow("nullable string")
            << u"{\"type\":[\"string\",\"null\"]}"_s << int(tryit::FieldKind::Text);
        QTest::newRow("integer enum")
            << u"{\"type\":\"integer\",\"enum\":[1,2]}"_s << int(tryit::FieldKind::Choice);
        QTest::newRow("const") << u"{\"const\":\"fixed\"}"_s << int(tryit::FieldKind::Choice);
        QTest::newRow("enum items") << u"{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\"]}}"_s
                                    << int(tryit::FieldKind::List);
        QTest::newRow("two types")
            << u"{\"type\":[\"string\",\"integer\"]}"_s << int(tryit::FieldKind::Json);
        QTest::newRow("untyped object") << u"{\"properties\":{}}"_s << int(tryit::FieldKind::Json);
    }

    void fieldSpecs()
    {
        QFETCH(QString, schema);
        QFETCH(int, kind);
        const tryit::FieldSpec spec = tryit::describeField(
            u"x"_s, QJsonDocument::fromJson(schema.toUtf8()).object(), false);
        QCOMPARE(int(spec.kind), kind);
    }

    void listChoicesChecked()
    {
        const tryit::FieldSpec spec = tryit::describeField(
            u"tags"_s, object("{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\"]}}"), false);
        QCOMPARE(tryit::parseFieldText(spec, u"a, b"_s).value,
                 QJsonValue(QJsonArray{u"a"_s, u"b"_s}));
        QCOMPARE(tryit::parseFieldText(spec, u"a, c"_s).problem, u"\"c\" is not one of a, b"_s);
    }
};

QTEST_MAIN(tst_SchemaForm)
#include "tst_schemaform.moc"
