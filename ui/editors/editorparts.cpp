#include "editorparts.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStringListModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace mcpbridge::editors {

void layOutEditor(QWidget *editor, const std::function<QWidget *()> &form,
                  const std::function<QWidget *(QWidget *splitter)> &preview)
{
    auto *splitter = new QSplitter(Qt::Horizontal, editor);
    splitter->setChildrenCollapsible(false);

    auto *scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(form());

    splitter->addWidget(scroll);
    splitter->addWidget(preview(splitter));
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(editor);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
}

namespace {

template<typename Field>
Field *newTextField(const QString &objectName, const QString &accessibleName,
                    const QString &placeholder, const QString &toolTip, QWidget *parent)
{
    auto *field = new Field(parent);
    field->setObjectName(objectName);
    if (!accessibleName.isEmpty())
        field->setAccessibleName(accessibleName);
    if (!placeholder.isEmpty())
        field->setPlaceholderText(placeholder);
    if (!toolTip.isEmpty())
        field->setToolTip(toolTip);
    return field;
}

} // namespace

QLineEdit *newLineEdit(const QString &objectName, const QString &accessibleName,
                       const QString &placeholder, const QString &toolTip, QWidget *parent)
{
    return newTextField<QLineEdit>(objectName, accessibleName, placeholder, toolTip, parent);
}

QPlainTextEdit *newTextEdit(const QString &objectName, const QString &accessibleName,
                            const QString &placeholder, const QString &toolTip, QWidget *parent)
{
    auto *edit
        = newTextField<QPlainTextEdit>(objectName, accessibleName, placeholder, toolTip, parent);
    edit->setTabChangesFocus(true);
    return edit;
}

QPlainTextEdit *newJsonView(const QString &objectName, const QString &accessibleName,
                            const QString &toolTip, QWidget *parent,
                            QPlainTextEdit::LineWrapMode wrap)
{
    auto *view = new QPlainTextEdit(parent);
    view->setObjectName(objectName);
    view->setReadOnly(true);
    view->setLineWrapMode(wrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    if (!accessibleName.isEmpty())
        view->setAccessibleName(accessibleName);
    view->setToolTip(toolTip);
    return view;
}

void showPreview(QPlainTextEdit *view, const QString &text)
{
    if (view->toPlainText() != text)
        view->setPlainText(text);
}

QListView *newHintList(QStringListModel *model, const QString &accessibleName,
                       const QString &toolTip, QWidget *parent)
{
    auto *view = new QListView(parent);
    view->setObjectName(QStringLiteral("hints"));
    if (!accessibleName.isEmpty())
        view->setAccessibleName(accessibleName);
    view->setModel(model);
    view->setWordWrap(true);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setSelectionMode(QAbstractItemView::NoSelection);
    view->setToolTip(toolTip);
    return view;
}

void showHints(QStringListModel *model, const QList<LintHint> &hints, const QString &whenNone)
{
    QStringList messages;
    for (const LintHint &hint : hints)
        messages.append(hint.message);
    if (messages.isEmpty())
        messages.append(whenNone);
    model->setStringList(messages);
}

QLabel *fieldLabel(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setBuddy(buddy);
    return label;
}

QVBoxLayout *fieldColumn(QWidget *field, QWidget *below, QWidget *more)
{
    auto *layout = new QVBoxLayout;
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(field);
    layout->addWidget(below);
    if (more)
        layout->addWidget(more);
    return layout;
}

QPushButton *newButton(const QString &text, const QString &objectName, const QString &toolTip,
                       QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setObjectName(objectName);
    button->setToolTip(toolTip);
    button->setAccessibleName(QString(text).remove(u'&'));
    return button;
}

void setUpEditableTable(QTableView *view)
{
    view->setEditTriggers(QAbstractItemView::AllEditTriggers);
    view->setTabKeyNavigation(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
}

void editCell(QTableView *view, int row, int column)
{
    const QModelIndex index = view->model()->index(row, column);
    view->setCurrentIndex(index);
    view->edit(index);
}

void removeSelectedRows(QTableView *view)
{
    QList<int> rows;
    for (const QModelIndex &index : view->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : std::as_const(rows))
        view->model()->removeRow(row);
}

} // namespace mcpbridge::editors
