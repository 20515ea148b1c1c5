#include "ui/traffic/trafficfilterproxy.h"

#include "ui/traffic/trafficlogmodel.h"

namespace mcpbridge::ui {

TrafficFilterProxy::TrafficFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    // A matching exchange keeps its request visible; a matching request shows all its exchanges.
    setRecursiveFilteringEnabled(true);
    setAutoAcceptChildRows(true);
}

void TrafficFilterProxy::setMethodFilter(const QString &method)
{
    if (method == m_method)
        return;
    m_method = method;
    invalidateRowsFilter();
}

void TrafficFilterProxy::setErrorsOnly(bool errorsOnly)
{
    if (errorsOnly == m_errorsOnly)
        return;
    m_errorsOnly = errorsOnly;
    invalidateRowsFilter();
}

void TrafficFilterProxy::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateRowsFilter();
}

bool TrafficFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_method.isEmpty() && m_text.isEmpty() && !m_errorsOnly)
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_method.isEmpty() && index.data(TrafficLogModel::McpMethodRole).toString() != m_method)
        return false;
    if (m_errorsOnly && !index.data(TrafficLogModel::IsErrorRole).toBool())
        return false;
    if (!m_text.isEmpty()
        && !index.data(TrafficLogModel::SearchTextRole)
                .toString()
                .contains(m_text, Qt::CaseInsensitive))
        return false;
    return true;
}

} // namespace mcpbridge::ui
