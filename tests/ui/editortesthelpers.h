#pragma once

// What the tool, resource and prompt editor tests share: the demo bridge, finding a named child
// widget, typing as a person would (including characters QTest::keyClicks cannot send), reading
// a JSON preview pane, the problems at a pointer, and the item a change signal carried last.

#include "ui/editors/itemchecks.h"

#include "core/bridge/bridgedocument.h"
#include "core/bridge/documentio.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
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

} // namespace mcpbridge::tests
