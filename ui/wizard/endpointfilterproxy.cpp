#include "ui/wizard/endpointfilterproxy.h"

#include "ui/wizard/endpointmodel.h"

namespace mcpbridge::ui {

EndpointFilterProxy::EndpointFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setAutoAcceptChildRows(true);
}

void EndpointFilterProxy::setSearchText(const QString &text)
{
    const QString t = text.trimmed();
    if (t == m_text)
        return;
    m_text = t;
    invalidateFilter();
}

bool EndpointFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    const auto has
        = [&](int role) { return i.data(role).toString().contains(m_text, Qt::CaseInsensitive); };
    if (i.data(EndpointModel::IsTagRole).toBool())
        return has(EndpointModel::TagRole);
    return has(EndpointModel::ToolNameRole) || has(EndpointModel::PathRole)
           || has(EndpointModel::SummaryRole) || has(EndpointModel::MethodRole);
}

} // namespace mcpbridge::ui
