#include "parametertablemodel.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

namespace {

QString typeOf(const bridge::Parameter &p)
{
    const QString t = p.schema.value(u"type"_s).toString();
    return t.isEmpty() ? u"string"_s : t;
}

QString valueText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String: return v.toString();
    case QJsonValue::Bool: return v.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double: {
        const double d = v.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d);
    }
    default: return {};
    }
}

// The text the user typed as a JSON value of `type`; strings for anything that does not parse,
// so nothing typed is lost.
QJsonValue valueOf(const QString &text, const QString &type)
{
    const QString t = text.trimmed();
    bool ok = false;
    if (type == u"integer") {
        const qint64 i = t.toLongLong(&ok);
        if (ok)
            return QJsonValue(i);
    } else if (type == u"number") {
        const double d = t.toDouble(&ok);
        if (ok)
            return d;
    } else if (type == u"boolean") {
        if (t.compare(u"true"_s, Qt::CaseInsensitive) == 0)
            return true;
        if (t.compare(u"false"_s, Qt::CaseInsensitive) == 0)
            return false;
    }
    return text;
}

QString enumText(const bridge::Parameter &p)
{
    QStringList parts;
    for (const QJsonValue &v : p.schema.value(u"enum"_s).toArray())
        parts.append(valueText(v));
    return parts.join(u", "_s);
}

} // namespace

ParameterTableModel::ParameterTableModel(QObject *parent)
    : EditorTableModel(
        {{"Name", "The name the model uses for this value"},
         {"Goes in", "Where the value goes in the call to the API"},
         {"Type", "The kind of value: text, number, whole number, yes/no, list or object"},
         {"Required", "Whether the model must always give this value"},
         {"Description", "What the model should put here"},
         {"Default", "The value used when the model gives none"},
         {"Allowed values", "The only values allowed, separated by commas"}},
        parent)
{
    Q_ASSERT(columnCount() == ColumnCount);
}

QStringList ParameterTableModel::locations()
{
    return {u"path"_s, u"query"_s, u"header"_s, u"body"_s};
}

QStringList ParameterTableModel::types()
{
    return {u"string"_s, u"number"_s, u"integer"_s, u"boolean"_s, u"array"_s, u"object"_s};
}

void ParameterTableModel::setParameters(const QList<bridge::Parameter> &parameters)
{
    beginResetModel();
    m_parameters = parameters;
    endResetModel();
}

int ParameterTableModel::addParameter()
{
    QString name = u"parameter"_s;
    for (int n = 2;; ++n) {
        const bool taken = std::any_of(m_parameters.cbegin(), m_parameters.cend(),
                                       [&](const bridge::Parameter &p) { return p.name == name; });
        if (!taken)
            break;
        name = u"parameter%1"_s.arg(n);
    }
    bridge::Parameter p;
    p.name = name;
    p.in = u"query"_s;
    p.schema = {{u"type"_s, u"string"_s}};
    const int row = int(m_parameters.size());
    beginInsertRows({}, row, row);
    m_parameters.append(p);
    endInsertRows();
    emit parametersEdited();
    return row;
}

bool ParameterTableModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_parameters.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_parameters.remove(row, count);
    endRemoveRows();
    emit parametersEdited();
    return true;
}

QStringList ParameterTableModel::ensurePathParameters(const QString &pathTemplate)
{
    QStringList changed;
    for (const QString &var : bridge::templateVariables(pathTemplate)) {
        if (var.isEmpty())
            continue;
        auto it = std::find_if(m_parameters.begin(), m_parameters.end(),
                               [&](const bridge::Parameter &p) { return p.name == var; });
        if (it == m_parameters.end()) {
            bridge::Parameter p;
            p.name = var;
            p.in = u"path"_s;
            p.required = true;
            p.schema = {{u"type"_s, u"string"_s}};
            const int row = int(m_parameters.size());
            beginInsertRows({}, row, row);
            m_parameters.append(p);
            endInsertRows();
            changed.append(var);
        } else if (it->in != u"path" || !it->required) {
            it->in = u"path"_s;
            it->required = true;
            const int row = int(it - m_parameters.begin());
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
            changed.append(var);
        }
    }
    if (!changed.isEmpty())
        emit parametersEdited();
    return changed;
}

QVariant ParameterTableModel::data(const QModelIndex &index, int role) const
{
    if (!isRow(index))
        return {};
    const bridge::Parameter &p = m_parameters.at(index.row());
    const int column = index.column();
    if (column == Required) {
        if (role == Qt::CheckStateRole)
            return p.required ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::ToolTipRole)
            return p.in == u"path" ? u"Path parameters are always required."_s
                                   : u"Checked: the model must always give this value."_s;
        return {};
    }
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (column) {
        case Name: return p.name;
        case In: return p.in;
        case Type: return typeOf(p);
        case Description: return p.description;
        case Default: return valueText(p.schema.value(u"default"_s));
        case Enum: return enumText(p);
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (column) {
        case Name: return u"The name the model uses for this value."_s;
        case In:
            return u"Where the value goes in the call to the API: in the path, the query "
                   "string, a header or the body."_s;
        case Type: return u"The kind of value the model must send."_s;
        case Description:
            return p.description.isEmpty() ? u"Tell the model what to put here."_s : p.description;
        case Default: return u"The value used when the model gives none (optional)."_s;
        case Enum: return u"The only values allowed, separated by commas (optional)."_s;
        }
    }
    return {};
}

bool ParameterTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!isRow(index))
        return false;
    bridge::Parameter &p = m_parameters[index.row()];
    const int column = index.column();
    const bridge::Parameter before = p;
    if (column == Required) {
        if (role != Qt::CheckStateRole)
            return false;
        // A path cannot be built without its variables.
        p.required = p.in == u"path" || value.toInt() == Qt::Checked;
    } else {
        if (role != Qt::EditRole)
            return false;
        const QString text = value.toString();
        switch (column) {
        case Name:
            if (text.trimmed().isEmpty())
                return false;
            p.name = text.trimmed();
            break;
        case In:
            if (!locations().contains(text))
                return false;
            p.in = text;
            if (text == u"path")
                p.required = true;
            break;
        case Type: {
            if (!types().contains(text))
                return false;
            p.schema.insert(u"type"_s, text);
            // Re-read default and allowed values as the new type.
            const QString def = valueText(p.schema.value(u"default"_s));
            if (!def.isEmpty())
                p.schema.insert(u"default"_s, valueOf(def, text));
            const QString values = enumText(p);
            if (!values.isEmpty()) {
                QJsonArray list;
                for (const QString &v : values.split(u',', Qt::SkipEmptyParts))
                    list.append(valueOf(v.trimmed(), text));
                p.schema.insert(u"enum"_s, list);
            }
            break;
        }
        case Description: p.description = text; break;
        case Default:
            if (text.trimmed().isEmpty())
                p.schema.remove(u"default"_s);
            else
                p.schema.insert(u"default"_s, valueOf(text.trimmed(), typeOf(p)));
            break;
        case Enum: {
            QJsonArray list;
            for (const QString &v : text.split(u',', Qt::SkipEmptyParts)) {
                if (!v.trimmed().isEmpty())
                    list.append(valueOf(v.trimmed(), typeOf(p)));
            }
            if (list.isEmpty())
                p.schema.remove(u"enum"_s);
            else
                p.schema.insert(u"enum"_s, list);
            break;
        }
        default: return false;
        }
    }
    if (p == before)
        return true;
    emit dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    emit parametersEdited();
    return true;
}

Qt::ItemFlags ParameterTableModel::flags(const QModelIndex &index) const
{
    if (!isRow(index))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == Required) {
        if (m_parameters.at(index.row()).in != u"path")
            f |= Qt::ItemIsUserCheckable;
    } else {
        f |= Qt::ItemIsEditable;
    }
    return f;
}

} // namespace mcpbridge::editors
