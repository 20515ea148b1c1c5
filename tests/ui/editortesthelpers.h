#pragma once

// What the tool, resource and prompt editor tests share: the demo bridge, finding a named child
// widget, typing as a person would (including characters QTest::keyClicks cannot send), reading
// a JSON preview pane and a value deep in it, the problems at a pointer, the item a change signal
// carried last, and the controls and Tab order checked for keyboard and screen-reader use.

#include "ui/editors/itemchecks.h"

#include "core/bridge/bridgedocument.h"
#include "core/bridge/documentio.h"

#include <QApplication>
#include <QComboBox>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QWidget>

namespace mcpbridge::tests {

// resources/demo/pantry.mcpbridge.json; the test stops if it does not load cleanly.
inline bridge::BridgeDocument demoDocument()
{
    const QString path = qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR")
                         + QStringLiteral("/resources/demo/pantry.mcpbridge.json");
    const bridge::LoadReport report = bridge::loadDocument(path);
    if (!report.document || report.hasErrors())
        qFatal("cannot load the demo bridge from %s", qPrintable(path));
    return *report.document;
}

// The child of `w` called `name`; the test stops if there is none.
template<typename T>
T *child(const QWidget &w, const QString &name)
{
    T *c = w.findChild<T *>(name);
    if (!c)
        qFatal("missing child %s", qPrintable(name));
    return c;
}

// The JSON object shown in the read-only text view `view` of `editor`.
inline QJsonObject jsonOf(const QWidget &editor, const QString &view = QStringLiteral("preview"))
{
    return QJsonDocument::fromJson(child<QPlainTextEdit>(editor, view)->toPlainText().toUtf8())
        .object();
}

inline QJsonObject previewJson(const QWidget &editor)
{
    return jsonOf(editor);
}

// The value at `path` ("messages/0/content/text": keys and array positions) in `root`;
// undefined where there is none.
inline QJsonValue jsonAt(const QJsonValue &root, const QString &path)
{
    QJsonValue value = root;
    for (const QString &step : path.split(u'/')) {
        bool isIndex = false;
        const int index = step.toInt(&isIndex);
        value
            = isIndex && value.isArray() ? value.toArray().at(index) : value.toObject().value(step);
    }
    return value;
}

// Types `text` like a keyboard would, including characters QTest::keyClicks cannot send.
inline void typeText(QWidget *widget, const QString &text)
{
    for (QChar c : text) {
        QKeyEvent press(QEvent::KeyPress, Qt::Key_A, Qt::NoModifier, QString(c));
        QCoreApplication::sendEvent(widget, &press);
        QKeyEvent release(QEvent::KeyRelease, Qt::Key_A, Qt::NoModifier, QString(c));
        QCoreApplication::sendEvent(widget, &release);
    }
}

// Selects all and types over it, as a person would.
inline void replaceText(QLineEdit *field, const QString &text)
{
    field->selectAll();
    if (text.isEmpty())
        QTest::keyClick(field, Qt::Key_Backspace);
    else
        typeText(field, text);
}

// The problem lines of an editor with problems() at `pointer` and below it.
template<typename Editor>
QString messagesAt(const Editor &editor, const QString &pointer)
{
    return editors::problemText(editors::problemsAt(editor.problems(), pointer));
}

// The first argument of the last signal `spy` recorded, e.g. the item a change signal carried.
template<typename T>
T lastOf(const QSignalSpy &spy)
{
    return spy.last().at(0).value<T>();
}

// The controls of `editor` people reach with Tab and can see (not scroll areas, not the inside
// of combo boxes): each should have a tooltip and an accessible name.
inline QList<QWidget *> visibleControls(const QWidget &editor)
{
    QList<QWidget *> controls;
    for (QWidget *w : editor.findChildren<QWidget *>()) {
        if (!w->isVisibleTo(&editor) || !(w->focusPolicy() & Qt::TabFocus)
            || qobject_cast<QScrollArea *>(w) || qobject_cast<QComboBox *>(w->parentWidget()))
            continue;
        controls.append(w);
    }
    return controls;
}

// The first of `texts` (label, group box or button texts) whose mnemonic key (after '&') an
// earlier one already uses; empty when all differ. `keys` receives how many keys there are.
inline QString repeatedMnemonic(const QStringList &texts, qsizetype *keys = nullptr)
{
    QSet<QChar> used;
    QString repeated;
    for (const QString &text : texts) {
        const qsizetype amp = text.indexOf(u'&');
        if (amp < 0 || amp + 1 >= text.size())
            continue;
        const QChar key = text.at(amp + 1).toLower();
        if (used.contains(key) && repeated.isEmpty())
            repeated = text;
        used.insert(key);
    }
    if (keys)
        *keys = used.size();
    return repeated;
}

// Focuses the first of `order`, presses Tab from there, and says where the focus went astray;
// empty when Tab walked through `order` in turn.
inline QString tabOrderProblem(const QList<QWidget *> &order)
{
    order.first()->setFocus();
    if (!order.first()->hasFocus())
        return QStringLiteral("%1 does not take the focus").arg(order.first()->objectName());
    for (qsizetype i = 1; i < order.size(); ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        if (QApplication::focusWidget() != order.at(i))
            return QStringLiteral("Tab from %1 went to %2, not %3")
                .arg(order.at(i - 1)->objectName(),
                     QApplication::focusWidget() ? QApplication::focusWidget()->objectName()
                                                 : QStringLiteral("nothing"),
                     order.at(i)->objectName());
    }
    return {};
}

} // namespace mcpbridge::tests
