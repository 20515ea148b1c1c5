#include "editortablemodel.h"

namespace mcpbridge::editors {

EditorTableModel::EditorTableModel(QList<Header> headers, QObject *parent)
    : QAbstractTableModel(parent)
    , m_headers(std::move(headers))
{}

int EditorTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : itemCount();
}

int EditorTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

bool EditorTableModel::isRow(const QModelIndex &index) const
{
    return index.isValid() && index.model() == this && !index.parent().isValid()
           && index.row() < itemCount() && index.column() < m_headers.size();
}

QVariant EditorTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_headers.size())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole)
        return QString::fromLatin1(m_headers.at(section).title);
    if (role == Qt::ToolTipRole)
        return QString::fromLatin1(m_headers.at(section).toolTip);
    return {};
}

} // namespace mcpbridge::editors
