#include "templatevariablemodel.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

TemplateVariableModel::TemplateVariableModel(QObject *parent)
    : EditorTableModel(
        {{"Variable", "A part of the address that changes, written as {name}"},
         {"In URI", "Whether the URI template has this variable"},
         {"In path", "Whether the path of the API call has this variable"},
         {"Suggested values", "Values offered while someone types, separated by commas"}},
        parent)
{
    Q_ASSERT(columnCount() == ColumnCount);
}

void TemplateVariableModel::setTemplate(const bridge::ResourceTemplate &resourceTemplate)
{
    const QStringList uriVars = bridge::templateVariables(resourceTemplate.uriTemplate);
    const QStringList pathVars = bridge::templateVariables(resourceTemplate.path);
    QList<Row> rows;
    auto add = [&rows, &uriVars, &pathVars](const QString &name) {
        if (name.isEmpty() || std::any_of(rows.cbegin(), rows.cend(), [&](const Row &r) {
                return r.name == name;
            }))
            return;
        rows.append({name, uriVars.contains(name), pathVars.contains(name)});
    };
    for (const QString &v : uriVars)
        add(v);
    for (const QString &v : pathVars)
        add(v);
    for (auto it = resourceTemplate.completions.begin(); it != resourceTemplate.completions.end();
         ++it)
        add(it.key());

    if (rows.size() == m_rows.size()) {
        // Typing in the URI or path keeps the table (and the cell being edited) in place.
        const bool sameNames
            = std::equal(rows.cbegin(), rows.cend(), m_rows.cbegin(),
                         [](const Row &a, const Row &b) { return a.name == b.name; });
        if (sameNames) {
            const bool changed = rows != m_rows || m_completions != resourceTemplate.completions;
            m_rows = rows;
            m_completions = resourceTemplate.completions;
            if (changed && !m_rows.isEmpty())
                emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
            return;
        }
    }
    beginResetModel();
    m_rows = rows;
    m_completions = resourceTemplate.completions;
    endResetModel();
}

QStringList TemplateVariableModel::variables() const
{
    QStringList names;
    for (const Row &r : m_rows)
        names.append(r.name);
    return names;
}

QStringList TemplateVariableModel::mismatched() const
{
    QStringList names;
    for (const Row &r : m_rows) {
        if ((r.inUri || r.inPath) && r.inUri != r.inPath)
            names.append(r.name);
    }
    return names;
}

QVariant TemplateVariableModel::data(const QModelIndex &index, int role) const
{
    if (!isRow(index))
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case Name: return row.name;
        case InUri: return row.inUri ? u"Yes"_s : u"No"_s;
        case InPath: return row.inPath ? u"Yes"_s : u"No"_s;
        case Values: return m_completions.value(row.name).join(u", "_s);
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Name: return u"Written as {%1} in the URI template and the path."_s.arg(row.name);
        case InUri:
            return row.inUri ? u"The URI template has {%1}."_s.arg(row.name)
                             : u"The URI template has no {%1}: add it, or remove it from the "
                               "path."_s.arg(row.name);
        case InPath:
            return row.inPath ? u"The path has {%1}."_s.arg(row.name)
                              : u"The path has no {%1}: add it, so the API knows which one to "
                                "send."_s.arg(row.name);
        case Values:
            return u"Values an app can offer while someone types this part of the address, "
                   "separated by commas (optional)."_s;
        }
    }
    return {};
}

bool TemplateVariableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!isRow(index) || index.column() != Values || role != Qt::EditRole)
        return false;
    const QString name = m_rows.at(index.row()).name;
    QStringList values;
    for (const QString &v : value.toString().split(u',', Qt::SkipEmptyParts)) {
        if (!v.trimmed().isEmpty())
            values.append(v.trimmed());
    }
    if (values == m_completions.value(name))
        return true;
    if (values.isEmpty())
        m_completions.remove(name);
    else
        m_completions.insert(name, values);
    emit dataChanged(index, index);
    emit completionsEdited();
    return true;
}

Qt::ItemFlags TemplateVariableModel::flags(const QModelIndex &index) const
{
    if (!isRow(index))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == Values)
        f |= Qt::ItemIsEditable;
    return f;
}

} // namespace mcpbridge::editors
