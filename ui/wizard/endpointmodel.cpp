#include "ui/wizard/endpointmodel.h"

#include "core/openapi/importreport.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

QString toolSummary(const bridge::Tool &tool)
{
    if (!tool.title.isEmpty())
        return tool.title;
    QString text = tool.description.simplified();
    const qsizetype stop = text.indexOf(u". "_s);
    if (stop > 0)
        text.truncate(stop + 1);
    return text;
}

EndpointModel::EndpointModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

void EndpointModel::setTools(const QList<bridge::Tool> &tools,
                             const QMap<QString, QString> &toolTags)
{
    beginResetModel();
    m_tools = tools;
    m_checked = QList<bool>(tools.size(), true);
    m_groups.clear();
    QMap<QString, int> groupOf;
    int untagged = -1;
    for (int i = 0; i < m_tools.size(); ++i) {
        const QString tag = toolTags.value(m_tools.at(i).name);
        if (tag.isEmpty()) {
            if (untagged < 0)
                untagged = -2; // placed last, below
            continue;
        }
        auto it = groupOf.find(tag);
        if (it == groupOf.end()) {
            it = groupOf.insert(tag, int(m_groups.size()));
            m_groups.append({tag, {}});
        }
        m_groups[*it].tools.append(i);
    }
    if (untagged == -2) {
        Group other{tr("Other operations"), {}};
        for (int i = 0; i < m_tools.size(); ++i)
            if (toolTags.value(m_tools.at(i).name).isEmpty())
                other.tools.append(i);
        m_groups.append(other);
    }
    endResetModel();
    Q_EMIT selectionChanged();
}

void EndpointModel::setAllChecked(bool checked)
{
    if (m_checked.isEmpty())
        return;
    m_checked.fill(checked);
    for (int g = 0; g < m_groups.size(); ++g) {
        const QModelIndex tag = index(g, 0);
        Q_EMIT dataChanged(tag, tag, {Qt::CheckStateRole});
        if (!m_groups.at(g).tools.isEmpty())
            Q_EMIT dataChanged(index(0, 0, tag),
                               index(int(m_groups.at(g).tools.size()) - 1, 0, tag),
                               {Qt::CheckStateRole});
    }
    Q_EMIT selectionChanged();
}

QList<bridge::Tool> EndpointModel::selectedTools() const
{
    QList<bridge::Tool> out;
    for (int i = 0; i < m_tools.size(); ++i)
        if (m_checked.at(i))
            out.append(m_tools.at(i));
    return out;
}

int EndpointModel::selectedCount() const
{
    return int(m_checked.count(true));
}

qint64 EndpointModel::estimatedTokens() const
{
    bridge::BridgeDocument document;
    document.tools = selectedTools();
    return openapi::estimateTokens(document);
}

QStringList EndpointModel::tags() const
{
    QStringList out;
    for (const Group &g : m_groups)
        out.append(g.tag);
    return out;
}

QModelIndex EndpointModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || parent.row() >= m_groups.size())
        return {};
    if (row >= m_groups.at(parent.row()).tools.size())
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex EndpointModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int EndpointModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.column() != 0 || parent.internalId() != 0)
        return 0;
    return int(m_groups.at(parent.row()).tools.size());
}

int EndpointModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

Qt::CheckState EndpointModel::groupState(int group) const
{
    int on = 0;
    const QList<int> &tools = m_groups.at(group).tools;
    for (int i : tools)
        on += m_checked.at(i) ? 1 : 0;
    if (on == 0)
        return Qt::Unchecked;
    return on == tools.size() ? Qt::Checked : Qt::PartiallyChecked;
}

QVariant EndpointModel::tagData(int group, int column, int role) const
{
    const Group &g = m_groups.at(group);
    switch (role) {
    case Qt::DisplayRole:
        if (column == NameColumn)
            return g.tag;
        if (column == SummaryColumn)
            return g.tools.size() == 1 ? tr("1 operation")
                                       : tr("%1 operations").arg(g.tools.size());
        return {};
    case Qt::CheckStateRole: return column == NameColumn ? QVariant(groupState(group)) : QVariant();
    case Qt::ToolTipRole: return tr("Check or uncheck every operation tagged \"%1\"").arg(g.tag);
    case TagRole: return g.tag;
    case IsTagRole: return true;
    default: return {};
    }
}

QVariant EndpointModel::toolData(int group, int row, int column, int role) const
{
    const int i = m_groups.at(group).tools.at(row);
    const bridge::Tool &tool = m_tools.at(i);
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn: return tool.name;
        case MethodColumn: return tool.method.toUpper();
        case PathColumn: return tool.path;
        case SummaryColumn: return toolSummary(tool);
        default: return {};
        }
    case Qt::CheckStateRole:
        return column == NameColumn ? QVariant(m_checked.at(i) ? Qt::Checked : Qt::Unchecked)
                                    : QVariant();
    case Qt::ToolTipRole: return tool.description.isEmpty() ? toolSummary(tool) : tool.description;
    case MethodRole: return tool.method.toUpper();
    case PathRole: return tool.path;
    case SummaryRole: return toolSummary(tool);
    case TagRole: return m_groups.at(group).tag;
    case IsTagRole: return false;
    case ToolNameRole: return tool.name;
    default: return {};
    }
}

QVariant EndpointModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == 0)
        return tagData(index.row(), index.column(), role);
    return toolData(int(index.internalId() - 1), index.row(), index.column(), role);
}

void EndpointModel::emitRowChanged(const QModelIndex &parent, int row)
{
    const QModelIndex i = index(row, NameColumn, parent);
    Q_EMIT dataChanged(i, i, {Qt::CheckStateRole});
}

bool EndpointModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || index.column() != NameColumn
        || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    const bool on = value.value<Qt::CheckState>() != Qt::Unchecked;
    if (index.internalId() == 0) {
        const Group &g = m_groups.at(index.row());
        for (int i : g.tools)
            m_checked[i] = on;
        emitRowChanged({}, index.row());
        if (!g.tools.isEmpty())
            Q_EMIT dataChanged(this->index(0, 0, index),
                               this->index(int(g.tools.size()) - 1, 0, index),
                               {Qt::CheckStateRole});
    } else {
        const int group = int(index.internalId() - 1);
        const int i = m_groups.at(group).tools.at(index.row());
        if (m_checked.at(i) == on)
            return true;
        m_checked[i] = on;
        emitRowChanged(index.parent(), index.row());
        emitRowChanged({}, group);
    }
    Q_EMIT selectionChanged();
    return true;
}

Qt::ItemFlags EndpointModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == NameColumn)
        f |= Qt::ItemIsUserCheckable;
    if (index.internalId() != 0)
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QVariant EndpointModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Tool");
    case MethodColumn: return tr("Method");
    case PathColumn: return tr("Path");
    case SummaryColumn: return tr("What it does");
    default: return {};
    }
}

} // namespace mcpbridge::ui
