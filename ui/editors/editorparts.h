#pragma once

// The widget building blocks the tool, resource and prompt editors share: the form-beside-preview
// layout, the read-only JSON preview, the list of description hints, field labels and columns,
// buttons, and the add-row/remove-selected-rows handling of their editable tables. Each function
// builds or fills widgets exactly as the editors did on their own; objectNames stay the ones the
// tests and the main window look up.

#include "descriptionlint.h"

#include <QPlainTextEdit>
#include <QString>

#include <functional>

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QStringListModel;
class QTableView;
class QVBoxLayout;
class QWidget;

namespace mcpbridge::editors {

// Fills `editor` with a splitter: the widget `form()` builds, scrolling, on the left, and the one
// `preview(splitter)` builds on the right, sized 3 to 2. `form` is called first.
void layOutEditor(QWidget *editor, const std::function<QWidget *()> &form,
                  const std::function<QWidget *(QWidget *splitter)> &preview);

// Text fields with their objectName, and (where not empty) accessible name, placeholder and
// tooltip. In the multi-line one Tab moves on to the next field.
QLineEdit *newLineEdit(const QString &objectName, const QString &accessibleName,
                       const QString &placeholder, const QString &toolTip, QWidget *parent);
QPlainTextEdit *newTextEdit(const QString &objectName, const QString &accessibleName,
                            const QString &placeholder, const QString &toolTip, QWidget *parent);

// A read-only, fixed-width text view for a JSON preview ("What the model receives"); an empty
// accessible name leaves the default.
QPlainTextEdit *newJsonView(const QString &objectName, const QString &accessibleName,
                            const QString &toolTip, QWidget *parent,
                            QPlainTextEdit::LineWrapMode wrap = QPlainTextEdit::WidgetWidth);
// Shows `text` in `view`, leaving it (and its scroll position) alone when nothing changed.
void showPreview(QPlainTextEdit *view, const QString &text);

// The read-only list of description hints, objectName "hints", showing `model`.
QListView *newHintList(QStringListModel *model, const QString &accessibleName,
                       const QString &toolTip, QWidget *parent);
// Puts the messages of `hints` in `model`, or the one line `whenNone` when there are none.
void showHints(QStringListModel *model, const QList<LintHint> &hints, const QString &whenNone);

// A label for a field, with its mnemonic and buddy.
QLabel *fieldLabel(const QString &text, QWidget *buddy, QWidget *parent);
// A field with its message (and maybe one more widget) under it.
QVBoxLayout *fieldColumn(QWidget *field, QWidget *below, QWidget *more = nullptr);
// A push button whose accessible name is its text without the mnemonic.
QPushButton *newButton(const QString &text, const QString &objectName, const QString &toolTip,
                       QWidget *parent);

// Sets up a table edited in place: editing starts on any trigger, Tab leaves the table, no row
// numbers, the last column fills the width.
void setUpEditableTable(QTableView *view);
// Makes the cell at (`row`, `column`) of `view` current and starts editing it.
void editCell(QTableView *view, int row, int column);
// Removes the selected rows of `view` from its model, last first.
void removeSelectedRows(QTableView *view);

} // namespace mcpbridge::editors
