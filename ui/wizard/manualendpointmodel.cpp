#include "ui/wizard/manualendpointmodel.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

bridge::Tool toolFromTemplate(const QString &method, const QString &pathTemplate)
{
    bridge::Tool tool;
    tool.method = method.trimmed().toUpper();
    QString path = pathTemplate.trimmed();
    if (!path.startsWith(u'/'))
        path.prepend(u'/');
    tool.path = path;

    static const QRegularExpression nonWord(u"[^A-Za-z0-9]+"_s);
    QString name = tool.method.toLower() + u'_' + path;
    name.replace(nonWord, u"_"_s);
    while (name.endsWith(u'_'))
        name.chop(1);
    tool.name = name.left(64);
    tool.title = u"%1 %2"_s.arg(tool.method, path);
    tool.description = QObject::tr("Calls %1 %2 on the API.").arg(tool.method, path);
    tool.annotations.readOnlyHint = tool.method == u"GET" || tool.method == u"HEAD";

    for (const QString &variable : bridge::templateVariables(path)) {
        bridge::Parameter p;
        p.name = variable;
        p.in = u"path"_s;
        p.required = true;
        p.description = QObject::tr("The %1 part of the path.").arg(variable);
        p.schema = QJsonObject{{u"type"_s, u"string"_s}};
        tool.parameters.append(p);
    }
    return tool;
}

ManualEndpointModel::ManualEndpointModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int ManualEndpointModel::addEndpoint(const QString &method, const QString &pathTemplate)
{
    bridge::Tool tool = toolFromTemplate(method, pathTemplate);
    const QString base = tool.name.left(60);
    for (int n = 2; std::any_of(m_tools.cbegin(), m_tools.cend(),
                                [&](const bridge::Tool &t) { return t.name == tool.name; });
         ++n)
        tool.name = u"%1_%2"_s.arg(base).arg(n);
    const int row = int(m_tools.size());
    beginInsertRows({}, row, row);
    m_tools.append(tool);
    endInsertRows();
    return row;
}

void ManualEndpointModel::removeEndpoint(int row)
{
    if (row < 0 || row >= m_tools.size())
        return;
    beginRemoveRows({}, row, row);
    m_tools.removeAt(row);
    endRemoveRows();
}

int ManualEndpointModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tools.size());
}

int ManualEndpointModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ManualEndpointModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const bridge::Tool &tool = m_tools.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case MethodColumn: return tool.method;
        case PathColumn: return tool.path;
        case NameColumn: return tool.name;
        case ParametersColumn: {
            QStringList names;
            for (const bridge::Parameter &p : tool.parameters)
                names.append(p.name);
            if (names.isEmpty())
                return role == Qt::ToolTipRole ? tr("The path has no {placeholders}.") : QVariant();
            return names.join(u", "_s);
        }
        default: return {};
        }
    }
    return {};
}

QVariant ManualEndpointModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case MethodColumn: return tr("Method");
    case PathColumn: return tr("Path");
    case NameColumn: return tr("Tool name");
    case ParametersColumn: return tr("Path parameters (required)");
    default: return {};
    }
}

} // namespace mcpbridge::ui
