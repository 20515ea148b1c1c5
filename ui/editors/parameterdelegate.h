#pragma once

// Drop-down editors for the "goes in" and "type" columns of the parameters table; the other
// columns edit as text. Used by ToolEditor.

#include <QStyledItemDelegate>

namespace mcpbridge::editors {

class ParameterDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override;
};

} // namespace mcpbridge::editors
