// The prompt editor on the demo bridge: edits made through the widgets reach promptChanged and
// both previews, names and placeholders are checked as typed, arguments are added, renamed and
// removed through their table, and the previews match what McpServer sends for prompts/list
// and prompts/get.

#include "tests/ui/editortesthelpers.h"
#include "tests/ui/mcproundtrip.h"
#include "ui/editors/itemchecks.h"
#include "ui/editors/promptargumentmodel.h"
#include "ui/editors/prompteditor.h"
#include "ui/editors/promptmessagemodel.h"
#include "ui/editors/promptsample.h"

#include "core/demo/demoapi.h"
#include "core/util/jsontext.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QCompleter>
#include <QGroupBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::tests;
using editors::LintHint;
using editors::PromptArgumentModel;
using editors::PromptEditor;
using editors::PromptMessageModel;

namespace {

// The demo bridge with a second prompt, so names can clash.
// Whether the message list marks `row` as having a problem.
bool flagged(const PromptEditor &editor, int row)
{
    const QAbstractItemModel *messages = editor.messageModel();
    return messages->data(messages->index(row, 0)).toString().startsWith(u"\u26A0"_s);
}

bridge::BridgeDocument twoPrompts()
{
    bridge::BridgeDocument doc = demoDocument();
    bridge::Prompt other;
    other.name = u"use_up"_s;
    other.description = u"Suggests a recipe for what expires soon."_s;
    other.messages = {{u"user"_s, u"text"_s, u"What should I cook first?"_s, {}}};
    doc.prompts.append(other);
    return doc;
}

} // namespace

class TestPromptEditor : public QObject
{
    Q_OBJECT

private slots:
    void showsPromptAndPreviews()
    {
        const bridge::BridgeDocument doc = demoDocument();
        const bridge::Prompt &prompt = doc.prompts.at(0);
        PromptEditor editor;
        editor.setDocument(doc, 0);
        QCOMPARE(editor.prompt(), prompt);
        QVERIFY2(editor.isValid(), qPrintable(editors::problemText(editor.problems())));
        QCOMPARE(child<QLineEdit>(editor, u"name"_s)->text(), u"plan_week"_s);
        QCOMPARE(editor.argumentModel()->rowCount(), 2);
        QCOMPARE(editor.messageModel()->rowCount(), 3);
        QCOMPARE(child<QPlainTextEdit>(editor, u"preview"_s)->toPlainText(),
                 QString::fromUtf8(json::pretty(prompt.toMcp())));
        const QJsonObject entry = jsonOf(editor, u"preview"_s);
        QCOMPARE(entry.keys(),
                 (QStringList{u"arguments"_s, u"description"_s, u"name"_s, u"title"_s}));
        QCOMPARE(jsonAt(entry, u"arguments/0/required"_s), QJsonValue(true));

        // The sample uses the first suggested values: vegetarian, 1 person.
        const QJsonObject sample = jsonOf(editor, u"samplePreview"_s);
        QCOMPARE(sample.value(u"description"_s).toString(), prompt.description);
        const QJsonArray messages = sample.value(u"messages"_s).toArray();
        QCOMPARE(messages.size(), 3);
        const QJsonObject first = messages.at(0).toObject();
        QCOMPARE(first.value(u"role"_s).toString(), u"user"_s);
        QCOMPARE(jsonAt(first, u"content/type"_s), QJsonValue(u"text"_s));
        const QString text = jsonAt(first, u"content/text"_s).toString();
        QVERIFY2(text.startsWith(u"Please plan dinners for monday to sunday for 1 people. Diet: "
                                 "vegetarian"_s),
                 qPrintable(text));
        const QJsonObject embedded = messages.at(1).toObject().value(u"content"_s).toObject();
        QCOMPARE(embedded.value(u"type"_s).toString(), u"resource"_s);
        QCOMPARE(jsonAt(embedded, u"resource/uri"_s), QJsonValue(u"pantry://inventory"_s));
        QCOMPARE(jsonAt(embedded, u"resource/mimeType"_s), QJsonValue(u"application/json"_s));
        QVERIFY(jsonAt(embedded, u"resource/text"_s).toString().contains(u"GET /pantry"_s));
        QVERIFY(child<QLabel>(editor, u"sampleCaption"_s)->text().contains(u"diet = vegetarian"_s));
        // The first message is selected and shown beside the list.
        QCOMPARE(child<QPlainTextEdit>(editor, u"text"_s)->toPlainText(),
                 prompt.messages.at(0).text);
    }

    void editsEmitAndUpdatePreviews()
    {
        PromptEditor editor;
        editor.setDocument(demoDocument(), 0);
        editor.show();
        QSignalSpy spy(&editor, &PromptEditor::promptChanged);

        QTest::keyClicks(child<QLineEdit>(editor, u"title"_s), u" now"_s);
        QCOMPARE(spy.count(), 4);
        QCOMPARE(lastOf<bridge::Prompt>(spy).title, u"Plan the week's meals now"_s);
        QCOMPARE(jsonOf(editor, u"preview"_s).value(u"title"_s).toString(),
                 u"Plan the week's meals now"_s);

        child<QPlainTextEdit>(editor, u"description"_s)->setPlainText(u"Plans dinners."_s);
        QCOMPARE(lastOf<bridge::Prompt>(spy).description, u"Plans dinners."_s);
        QCOMPARE(jsonOf(editor, u"samplePreview"_s).value(u"description"_s).toString(),
                 u"Plans dinners."_s);

        // The selected message's text, typed at its end.
        auto *text = child<QPlainTextEdit>(editor, u"text"_s);
        text->moveCursor(QTextCursor::End);
        QTest::keyClicks(text, u" Thanks!"_s);
        QVERIFY(lastOf<bridge::Prompt>(spy).messages.at(0).text.endsWith(u"my pantry: Thanks!"_s));
        QVERIFY(jsonAt(jsonOf(editor, u"samplePreview"_s), u"messages/0/content/text"_s)
                    .toString()
                    .endsWith(u"Thanks!"_s));

        // Who says it: chosen with the keyboard.
        auto *role = child<QComboBox>(editor, u"role"_s);
        role->setFocus();
        QTest::keyClick(role, Qt::Key_Down);
        QCOMPARE(lastOf<bridge::Prompt>(spy).messages.at(0).role, u"assistant"_s);
        QCOMPARE(editor.prompt(), lastOf<bridge::Prompt>(spy));
    }

    void invalidNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("inMessage");
        QTest::newRow("empty") << QString() << u"every prompt needs a name"_s;
        QTest::newRow("space") << u"plan week"_s << u"not a valid prompt name"_s;
        QTest::newRow("slash") << u"plan/week"_s << u"not a valid prompt name"_s;
        QTest::newRow("accent") << u"planifi\u00E9"_s << u"not a valid prompt name"_s;
        QTest::newRow("65 characters") << QString(65, u'p') << u"not a valid prompt name"_s;
        QTest::newRow("duplicate") << u"use_up"_s << u"used by another prompt"_s;
    }

    void invalidNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, inMessage);
        PromptEditor editor;
        editor.setDocument(twoPrompts(), 0);
        editor.show();
        QSignalSpy changed(&editor, &PromptEditor::promptChanged);
        QSignalSpy validity(&editor, &PromptEditor::validityChanged);
        auto *field = child<QLineEdit>(editor, u"name"_s);
        replaceText(field, name);
        QVERIFY(!editor.isValid());
        QCOMPARE(validity.count(), 1);
        QCOMPARE(validity.last().at(0).toBool(), false);
        const QString messages = messagesAt(editor, u"/name"_s);
        QVERIFY2(messages.contains(inMessage), qPrintable(messages));
        auto *label = child<QLabel>(editor, u"nameMessage"_s);
        QVERIFY(label->isVisible());
        QCOMPARE(label->text(), messages);
        QCOMPARE(field->accessibleDescription(), messages);
        // What the user typed still leaves the editor, so the window's document keeps it.
        QVERIFY(!changed.isEmpty());
        QCOMPARE(lastOf<bridge::Prompt>(changed).name, name);

        replaceText(field, u"plan_week-2"_s);
        QVERIFY(editor.isValid());
        QVERIFY(!label->isVisible());
        QCOMPARE(validity.last().at(0).toBool(), true);
        QCOMPARE(lastOf<bridge::Prompt>(changed).name, u"plan_week-2"_s);
    }

    void placeholderWarnings()
    {
        PromptEditor editor;
        editor.setDocument(demoDocument(), 0);
        editor.show();
        QSignalSpy changed(&editor, &PromptEditor::promptChanged);
        auto *text = child<QPlainTextEdit>(editor, u"text"_s);
        text->moveCursor(QTextCursor::End);
        QTest::keyClicks(text, u" Avoid {allergy}."_s);

        // A placeholder no argument fills: an error on that message, flagged in the list.
        QVERIFY(!editor.isValid());
        const QString problem = messagesAt(editor, u"/messages/0/text"_s);
        QVERIFY2(problem.contains(u"{allergy} is not an argument"_s), qPrintable(problem));
        QCOMPARE(child<QLabel>(editor, u"messageMessage"_s)->text(), problem);
        QVERIFY(flagged(editor, 0));
        QVERIFY(!flagged(editor, 1));
        // The text is kept as typed (the window's document holds it, problem and all).
        QVERIFY(lastOf<bridge::Prompt>(changed).messages.at(0).text.contains(u"{allergy}"_s));

        // Declaring it makes the prompt whole again; unused as required, it is warned about.
        PromptArgumentModel *arguments = editor.argumentModel();
        child<QPushButton>(editor, u"addArgument"_s)->click();
        QVERIFY(arguments->setData(arguments->index(2, PromptArgumentModel::Name), u"allergy"_s));
        QVERIFY2(editor.isValid(), qPrintable(editors::problemText(editor.problems())));
        QVERIFY(
            lastOf<bridge::Prompt>(changed).messages.at(0).text.endsWith(u"Avoid {allergy}."_s));
        QCOMPARE(lastOf<bridge::Prompt>(changed).arguments.at(2).name, u"allergy"_s);
        QVERIFY(!flagged(editor, 0));
        QVERIFY(child<QLabel>(editor, u"placeholders"_s)->text().contains(u"{allergy}"_s));

        // A required argument no message uses is a warning, not an error.
        QTest::keyClick(text, Qt::Key_Backspace);
        for (int i = 0; i < QStringLiteral("{allergy}.").size(); ++i)
            QTest::keyClick(text, Qt::Key_Backspace);
        QVERIFY(arguments->setData(arguments->index(2, PromptArgumentModel::Required), Qt::Checked,
                                   Qt::CheckStateRole));
        QVERIFY(editor.isValid());
        const auto unused = editors::problemsAt(editor.problems(), u"/arguments/2"_s);
        QCOMPARE(unused.size(), 1);
        QCOMPARE(unused.first().severity, bridge::Problem::Severity::Warning);
        QVERIFY2(unused.first().message.contains(u"required argument \u201Callergy\u201D is not "
                                                 "used"_s),
                 qPrintable(unused.first().message));
        QVERIFY(child<QLabel>(editor, u"argumentsMessage"_s)
                    ->text()
                    .startsWith(u"Argument 3 (allergy): Warning: "_s));
        QVERIFY(lastOf<bridge::Prompt>(changed).arguments.at(2).required);
    }

    void argumentsAddRenameRemove()
    {
        PromptEditor editor;
        editor.setDocument(demoDocument(), 0);
        editor.show();
        QSignalSpy changed(&editor, &PromptEditor::promptChanged);
        PromptArgumentModel *model = editor.argumentModel();
        auto *view = child<QTableView>(editor, u"arguments"_s);

        child<QPushButton>(editor, u"addArgument"_s)->click();
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(lastOf<bridge::Prompt>(changed).arguments.size(), 3);
        QCOMPARE(lastOf<bridge::Prompt>(changed).arguments.at(2).name, u"argument"_s);
        QCOMPARE(jsonOf(editor, u"preview"_s).value(u"arguments"_s).toArray().size(), 3);
        QVERIFY(model->setData(model->index(2, PromptArgumentModel::Values), u"a, b,, c"_s));
        QCOMPARE(lastOf<bridge::Prompt>(changed).arguments.at(2).values,
                 (QStringList{u"a"_s, u"b"_s, u"c"_s}));

        // Renaming an argument rewrites its placeholders in every message.
        QVERIFY(model->setData(model->index(1, PromptArgumentModel::Name), u"guests"_s));
        const bridge::Prompt renamed = lastOf<bridge::Prompt>(changed);
        QCOMPARE(renamed.arguments.at(1).name, u"guests"_s);
        QVERIFY(renamed.messages.at(0).text.contains(u"for {guests} people"_s));
        QVERIFY(renamed.messages.at(2).text.contains(u"against {guests} people"_s));
        QVERIFY(!renamed.messages.at(0).text.contains(u"{people}"_s));
        QVERIFY(editor.isValid());

        // A second argument of the same name is an error on it.
        QVERIFY(model->setData(model->index(2, PromptArgumentModel::Name), u"diet"_s));
        QVERIFY(!editor.isValid());
        QVERIFY(messagesAt(editor, u"/arguments/2/name"_s).contains(u"used by another argument"_s));

        // Removed with the button, like a person would.
        const int before = int(changed.count());
        view->selectRow(2);
        auto *remove = child<QPushButton>(editor, u"removeArgument"_s);
        QVERIFY(remove->isEnabled());
        remove->click();
        QCOMPARE(model->rowCount(), 2);
        QVERIFY(editor.isValid());
        QCOMPARE(changed.count(), before + 1);
        QCOMPARE(lastOf<bridge::Prompt>(changed).arguments.size(), 2);
    }

    void messageButtons()
    {
        PromptEditor editor;
        editor.setDocument(demoDocument(), 0);
        editor.show();
        QSignalSpy changed(&editor, &PromptEditor::promptChanged);
        const bridge::Prompt original = editor.prompt();

        auto *add = child<QPushButton>(editor, u"addMessage"_s);
        add->click();
        QCOMPARE(editor.messageModel()->rowCount(), 4);
        QVERIFY(!editor.isValid()); // a text message needs its text
        QVERIFY(messagesAt(editor, u"/messages/3/text"_s).contains(u"needs its text"_s));
        QTest::keyClicks(child<QPlainTextEdit>(editor, u"text"_s), u"Keep it cheap."_s);
        QVERIFY(editor.isValid());
        QCOMPARE(lastOf<bridge::Prompt>(changed).messages.at(3).text, u"Keep it cheap."_s);

        auto *up = child<QPushButton>(editor, u"moveUp"_s);
        auto *down = child<QPushButton>(editor, u"moveDown"_s);
        QVERIFY(!down->isEnabled()); // the last one is selected
        up->click();
        QCOMPARE(lastOf<bridge::Prompt>(changed).messages.at(2).text, u"Keep it cheap."_s);
        QCOMPARE(lastOf<bridge::Prompt>(changed).messages.at(3), original.messages.at(2));
        QVERIFY(down->isEnabled());
        down->click();
        QCOMPARE(lastOf<bridge::Prompt>(changed).messages.at(3).text, u"Keep it cheap."_s);

        child<QPushButton>(editor, u"removeMessage"_s)->click();
        QCOMPARE(lastOf<bridge::Prompt>(changed).messages, original.messages);
        QCOMPARE(jsonOf(editor, u"samplePreview"_s).value(u"messages"_s).toArray().size(), 3);

        // Without any message the prompt is not valid.
        for (int i = 0; i < 3; ++i) {
            editor.selectMessage(0);
            child<QPushButton>(editor, u"removeMessage"_s)->click();
        }
        QVERIFY(!editor.isValid());
        QVERIFY(child<QLabel>(editor, u"messagesMessage"_s)->text().contains(u"at least one"_s));
        QVERIFY(!child<QWidget>(editor, u"text"_s)->isEnabled());
    }

    void includedResources()
    {
        PromptEditor editor;
        editor.setDocument(demoDocument(), 0);
        editor.show();
        editor.selectMessage(1);
        auto *uri = child<QLineEdit>(editor, u"messageUri"_s);
        QVERIFY(uri->isVisible());
        QVERIFY(!child<QPlainTextEdit>(editor, u"text"_s)->isVisible());
        QCOMPARE(uri->text(), u"pantry://inventory"_s);
        QStringList offered;
        QAbstractItemModel *choices = uri->completer()->model();
        for (int i = 0; i < choices->rowCount(); ++i)
            offered.append(choices->index(i, 0).data().toString());
        QCOMPARE(offered,
                 (QStringList{u"pantry://inventory"_s, u"shopping://list"_s, u"recipe://{id}"_s}));

        replaceText(uri, u"pantry://fridge"_s);
        const QString warning = messagesAt(editor, u"/messages/1/uri"_s);
        QVERIFY2(warning.contains(u"no resource with the address"_s), qPrintable(warning));
        QVERIFY(editor.isValid()); // only a warning: the model gets a note instead
        QVERIFY(child<QLabel>(editor, u"messageMessage"_s)->text().startsWith(u"Warning: "_s));

        // A template's address with an argument in it is served.
        replaceText(uri, u"recipe://{people}"_s);
        QCOMPARE(messagesAt(editor, u"/messages/1/uri"_s), QString());
        QCOMPARE(jsonAt(jsonOf(editor, u"samplePreview"_s), u"messages/1/content/resource/uri"_s),
                 QJsonValue(u"recipe://1"_s));
        // An address made only of an argument cannot be judged before use.
        bridge::Prompt p = editor.prompt();
        QCOMPARE(editors::servesUri(demoDocument(), p, u"{people}"_s), std::nullopt);

        // Switching the kind shows the text field again.
        auto *type = child<QComboBox>(editor, u"type"_s);
        type->setFocus();
        QTest::keyClick(type, Qt::Key_Up);
        QCOMPARE(editor.prompt().messages.at(1).type, u"text"_s);
        QVERIFY(child<QPlainTextEdit>(editor, u"text"_s)->isVisible());
        QVERIFY(!uri->isVisible());
    }

    void previewsAreWhatTheServerSends()
    {
        demo::DemoApi api;
        QVERIFY2(api.listen(), qPrintable(api.errorString()));
        bridge::BridgeDocument doc = demoDocument();
        doc.upstream.baseUrl = u"http://127.0.0.1:%1"_s.arg(api.port());

        PromptEditor editor;
        editor.setDocument(doc, 0);
        QSignalSpy changed(&editor, &PromptEditor::promptChanged);
        auto *text = child<QPlainTextEdit>(editor, u"text"_s);
        text->moveCursor(QTextCursor::End);
        QTest::keyClicks(text, u" ({diet}!)"_s);
        doc.prompts[0] = lastOf<bridge::Prompt>(changed);

        tests::McpRoundTrip server(doc);
        const QJsonArray prompts = server.result(u"prompts/list"_s).value(u"prompts"_s).toArray();
        QCOMPARE(prompts.size(), 1);
        QCOMPARE(prompts.at(0).toObject(), jsonOf(editor, u"preview"_s));

        const QJsonObject arguments = editors::sampleArguments(doc.prompts[0]);
        QCOMPARE(arguments, (QJsonObject{{u"diet"_s, u"vegetarian"_s}, {u"people"_s, u"1"_s}}));
        const QJsonObject sent = server.result(
            u"prompts/get"_s, {{u"name"_s, u"plan_week"_s}, {u"arguments"_s, arguments}});
        const QJsonObject sample = jsonOf(editor, u"samplePreview"_s);
        QCOMPARE(sample.keys(), sent.keys());
        QCOMPARE(sample.value(u"description"_s), sent.value(u"description"_s));
        const QJsonArray sentMessages = sent.value(u"messages"_s).toArray();
        const QJsonArray sampleMessages = sample.value(u"messages"_s).toArray();
        QCOMPARE(sampleMessages.size(), sentMessages.size());
        for (qsizetype i = 0; i < sentMessages.size(); ++i) {
            const QJsonObject real = sentMessages.at(i).toObject();
            const QJsonObject shown = sampleMessages.at(i).toObject();
            if (jsonAt(real, u"content/type"_s) == u"text"_s) {
                QCOMPARE(shown, real); // text messages are exactly what the server sends
                continue;
            }
            // An included resource: same place, kind, address and content type; the server
            // has its content, the sample a note.
            QCOMPARE(shown.value(u"role"_s), real.value(u"role"_s));
            const QJsonObject realContent = real.value(u"content"_s).toObject();
            const QJsonObject shownContent = shown.value(u"content"_s).toObject();
            QCOMPARE(shownContent.value(u"type"_s), realContent.value(u"type"_s));
            QCOMPARE(shownContent.value(u"resource"_s).toObject().keys(),
                     realContent.value(u"resource"_s).toObject().keys());
            for (const QString &key : {u"resource/uri"_s, u"resource/mimeType"_s})
                QCOMPARE(jsonAt(shownContent, key), jsonAt(realContent, key));
        }
        QVERIFY(jsonAt(sentMessages, u"0/content/text"_s).toString().endsWith(u"(vegetarian!)"_s));
    }

    void fillMatchesServerRules()
    {
        bridge::Prompt p;
        p.arguments = {{u"a"_s, {}, {}, true, {}}, {u"b-c"_s, {}, {}, false, {}}};
        QCOMPARE(p.fill(u"{a} and {b-c} and {a} and {x}"_s, {{u"a"_s, u"1"_s}}),
                 u"1 and  and 1 and {x}"_s);
    }

    void lintHints()
    {
        bridge::BridgeDocument doc = twoPrompts();
        doc.prompts[0].arguments[0].description.clear();
        PromptEditor editor;
        editor.setDocument(doc, 0);
        QCOMPARE(editor.lintHints().size(), 1);
        QCOMPARE(editor.lintHints().first().rule, LintHint::Rule::UndescribedParameters);
        QCOMPARE(editor.lintHints().first().subjects, QStringList{u"diet"_s});
        child<QPlainTextEdit>(editor, u"description"_s)
            ->setPlainText(u"Suggests a recipe for what expires soon!"_s);
        QCOMPARE(editor.lintHints().size(), 2);
        QCOMPARE(editor.lintHints().at(1).rule, LintHint::Rule::NearDuplicate);
        QCOMPARE(editor.lintHints().at(1).subjects, QStringList{u"use_up"_s});
    }

    void modelsAreSound()
    {
        PromptArgumentModel arguments;
        QAbstractItemModelTester argumentTester(
            &arguments, QAbstractItemModelTester::FailureReportingMode::QtTest);
        arguments.setArguments(demoDocument().prompts.at(0).arguments);
        QCOMPARE(arguments.columnCount(), int(PromptArgumentModel::ColumnCount));
        QSignalSpy renamed(&arguments, &PromptArgumentModel::argumentRenamed);
        QVERIFY(!arguments.setData(arguments.index(0, PromptArgumentModel::Name), u"  "_s));
        QVERIFY(arguments.setData(arguments.index(0, PromptArgumentModel::Name), u" food "_s));
        QCOMPARE(renamed.count(), 1);
        QCOMPARE(renamed.last().at(0).toString(), u"diet"_s);
        QCOMPARE(renamed.last().at(1).toString(), u"food"_s);
        QCOMPARE(arguments.data(arguments.index(1, PromptArgumentModel::Values)).toString(),
                 u"1, 2, 3, 4, 6"_s);
        QCOMPARE(
            arguments.data(arguments.index(1, PromptArgumentModel::Required), Qt::CheckStateRole),
            QVariant(Qt::Checked));
        QCOMPARE(arguments.addArgument(), 2);
        QCOMPARE(arguments.addArgument(), 3);
        QCOMPARE(arguments.arguments().at(3).name, u"argument2"_s);
        QVERIFY(arguments.removeRows(2, 2));
        QVERIFY(!arguments.removeRows(1, 5));
        QCOMPARE(arguments.headerData(PromptArgumentModel::Values, Qt::Horizontal).toString(),
                 u"Suggested values"_s);

        PromptMessageModel messages;
        QAbstractItemModelTester messageTester(
            &messages, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QList<bridge::PromptMessage> demo = demoDocument().prompts.at(0).messages;
        messages.setMessages(demo);
        QVERIFY(messages.data(messages.index(1)).toString().contains(u"pantry://inventory"_s));
        QVERIFY(messages.moveRow({}, 0, {}, 3));
        QCOMPARE(messages.messages().at(2), demo.at(0));
        QVERIFY(messages.moveRow({}, 2, {}, 0));
        QCOMPARE(messages.messages(), demo);
        QVERIFY(!messages.moveRow({}, 1, {}, 2)); // no move at all
        messages.setFlaggedRows({2});
        QVERIFY(messages.data(messages.index(2), Qt::AccessibleTextRole)
                    .toString()
                    .contains(u"has a problem"_s));
        QCOMPARE(messages.addMessage(), 3);
        QVERIFY(messages.removeRows(0, 4));
        QCOMPARE(messages.rowCount(), 0);
    }

    void accessibleAndCompact()
    {
        PromptEditor editor;
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
        QVERIFY(controls.size() >= 16);

        // Every mnemonic is unique, on labels, group boxes and buttons alike.
        QStringList texts;
        for (QLabel *label : editor.findChildren<QLabel *>()) {
            if (label->text().contains(u'&')) {
                QVERIFY2(label->buddy(), qPrintable(label->text()));
                texts.append(label->text());
            }
        }
        for (QGroupBox *box : editor.findChildren<QGroupBox *>())
            texts.append(box->title());
        for (QPushButton *button : editor.findChildren<QPushButton *>())
            texts.append(button->text());
        qsizetype keys = 0;
        const QString repeated = repeatedMnemonic(texts, &keys);
        QVERIFY2(repeated.isEmpty(), qPrintable(repeated));
        QVERIFY(keys >= 15);

        const QString tabProblem = tabOrderProblem(
            {child<QLineEdit>(editor, u"name"_s), child<QLineEdit>(editor, u"title"_s),
             child<QPlainTextEdit>(editor, u"description"_s)});
        QVERIFY2(tabProblem.isEmpty(), qPrintable(tabProblem));
    }
};

QTEST_MAIN(TestPromptEditor)
#include "tst_prompteditor.moc"
