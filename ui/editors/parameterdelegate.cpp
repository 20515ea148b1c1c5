#include "parameterdelegate.h"

#include "parametertablemodel.h"

#include <QComboBox>

namespace mcpbridge::editors {

namespace {

QStringList choicesFor(const QModelIndex &index)
{
    if (index.column() == ParameterTableModel::In)
        return ParameterTableModel::locations();
    if (index.column() == ParameterTableModel::Type)
        return ParameterTableModel::types();
    return {};
}

} // namespace

QWidget *ParameterDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                         const QModelIndex &index) const
{
    const QStringList choices = choicesFor(index);
    if (choices.isEmpty())
        return QStyledItemDelegate::createEditor(parent, option, index);
    auto *combo = new QComboBox(parent);
    combo->addItems(choices);
    combo->setToolTip(index.data(Qt::ToolTipRole).toString());
    // Commit as soon as a choice is made, so the table shows it without leaving the cell.
    connect(combo, &QComboBox::activated, this,
            [this, combo] { emit const_cast<ParameterDelegate *>(this)->commitData(combo); });
    return combo;
}

void ParameterDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        combo->setCurrentIndex(std::max(0, combo->findText(index.data(Qt::EditRole).toString())));
        return;
    }
    QStyledItemDelegate::setEditorData(editor, index);
}

void ParameterDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                     const QModelIndex &index) const
{
    if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        model->setData(index, combo->currentText(), Qt::EditRole);
        return;
    }
    QStyledItemDelegate::setModelData(editor, model, index);
}

} // namespace mcpbridge::editors
