#include "upstreamexchangemodel.h"

#include <QApplication>
#include <QIcon>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace mcpbridge::tryit {

UpstreamExchangeModel::UpstreamExchangeModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void UpstreamExchangeModel::append(const traffic::TrafficEvent &event)
{
    // The Try-it view lists one call's few exchanges; a runaway retry loop stays bounded.
    constexpr int MaxRows = 500;
    if (m_events.size() >= MaxRows) {
        beginRemoveRows({}, 0, 0);
        m_events.removeFirst();
        endRemoveRows();
    }
    beginInsertRows({}, int(m_events.size()), int(m_events.size()));
    m_events.append(event);
    endInsertRows();
}

void UpstreamExchangeModel::clear()
{
    if (m_events.isEmpty())
        return;
    beginResetModel();
    m_events.clear();
    endResetModel();
}

int UpstreamExchangeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int UpstreamExchangeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UpstreamExchangeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const traffic::TrafficEvent &event = m_events.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case MethodColumn: return event.httpMethod;
        case UrlColumn: return event.url;
        case StatusColumn:
            return event.httpStatus > 0 ? QString::number(event.httpStatus) : tr("no answer");
        case DurationColumn:
            return event.durationMs >= 0 ? tr("%1 ms").arg(event.durationMs) : QString();
        }
        break;
    case Qt::ToolTipRole: return event.summary.isEmpty() ? event.url : event.summary;
    case Qt::DecorationRole:
        if (index.column() == StatusColumn && event.isError)
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        break;
    case Qt::AccessibleTextRole:
        if (index.column() == StatusColumn && event.isError)
            return tr("%1, failed").arg(data(index, Qt::DisplayRole).toString());
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == StatusColumn || index.column() == DurationColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case SeqRole: return event.seq;
    case IsErrorRole: return event.isError;
    }
    return {};
}

QVariant UpstreamExchangeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case MethodColumn: return tr("Method");
    case UrlColumn: return tr("URL");
    case StatusColumn: return tr("Status");
    case DurationColumn: return tr("Time");
    }
    return {};
}

} // namespace mcpbridge::tryit
