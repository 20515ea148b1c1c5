#include "promptargumentmodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

PromptArgumentModel::PromptArgumentModel(QObject *parent)
    : EditorTableModel(
        {{"Name", "The name written as {name} in the messages"},
         {"Title", "A friendly name shown to people"},
         {"Description", "What people should give here"},
         {"Required", "Whether people must give this value"},
         {"Suggested values", "Values offered while people type, separated by commas"}},
        parent)
{
    Q_ASSERT(columnCount() == ColumnCount);
}

void PromptArgumentModel::setArguments(const QList<bridge::PromptArgument> &arguments)
{
    beginResetModel();
    m_arguments = arguments;
    endResetModel();
}

int PromptArgumentModel::addArgument()
{
    QString name = u"argument"_s;
    for (int n = 2;; ++n) {
        const bool taken
            = std::any_of(m_arguments.cbegin(), m_arguments.cend(),
                          [&](const bridge::PromptArgument &a) { return a.name == name; });
        if (!taken)
            break;
        name = u"argument%1"_s.arg(n);
    }
    bridge::PromptArgument argument;
    argument.name = name;
    const int row = int(m_arguments.size());
    beginInsertRows({}, row, row);
    m_arguments.append(argument);
    endInsertRows();
    emit argumentsEdited();
    return row;
}

bool PromptArgumentModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_arguments.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_arguments.remove(row, count);
    endRemoveRows();
    emit argumentsEdited();
    return true;
}

QVariant PromptArgumentModel::data(const QModelIndex &index, int role) const
{
    if (!isRow(index))
        return {};
    const bridge::PromptArgument &a = m_arguments.at(index.row());
    if (index.column() == Required) {
        if (role == Qt::CheckStateRole)
            return a.required ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::ToolTipRole)
            return u"Checked: people must give this value to use the prompt."_s;
        return {};
    }
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case Name: return a.name;
        case Title: return a.title;
        case Description: return a.description;
        case Values: return a.values.join(u", "_s);
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Name: return u"Write {%1} in a message where the value belongs."_s.arg(a.name);
        case Title: return u"A friendly name shown to people (optional)."_s;
        case Description:
            return a.description.isEmpty() ? u"Tell people what to give here."_s : a.description;
        case Values: return u"Values offered while people type, separated by commas (optional)."_s;
        }
    }
    return {};
}

bool PromptArgumentModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!isRow(index))
        return false;
    bridge::PromptArgument &a = m_arguments[index.row()];
    const bridge::PromptArgument before = a;
    if (index.column() == Required) {
        if (role != Qt::CheckStateRole)
            return false;
        a.required = value.toInt() == Qt::Checked;
    } else {
        if (role != Qt::EditRole)
            return false;
        const QString text = value.toString();
        switch (index.column()) {
        case Name:
            if (text.trimmed().isEmpty())
                return false;
            a.name = text.trimmed();
            break;
        case Title: a.title = text; break;
        case Description: a.description = text; break;
        case Values: {
            QStringList values;
            for (const QString &v : text.split(u',', Qt::SkipEmptyParts)) {
                if (!v.trimmed().isEmpty())
                    values.append(v.trimmed());
            }
            a.values = values;
            break;
        }
        default: return false;
        }
    }
    if (a == before)
        return true;
    emit dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    if (a.name != before.name)
        emit argumentRenamed(before.name, a.name);
    emit argumentsEdited();
    return true;
}

Qt::ItemFlags PromptArgumentModel::flags(const QModelIndex &index) const
{
    if (!isRow(index))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == Required)
        f |= Qt::ItemIsUserCheckable;
    else
        f |= Qt::ItemIsEditable;
    return f;
}

} // namespace mcpbridge::editors
