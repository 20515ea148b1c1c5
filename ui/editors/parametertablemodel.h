#pragma once

// The parameters of one tool as an editable table: name, where it goes, type, required,
// description, default and allowed values. Type, default and allowed values live in the
// parameter's JSON schema. Used by ToolEditor.

#include "core/bridge/bridgedocument.h"
#include "editortablemodel.h"

#include <QList>

namespace mcpbridge::editors {

class ParameterTableModel : public EditorTableModel
{
    Q_OBJECT

public:
    enum Column { Name, In, Type, Required, Description, Default, Enum, ColumnCount };

    explicit ParameterTableModel(QObject *parent = nullptr);

    static QStringList locations(); // path, query, header, body
    static QStringList types();     // string, number, integer, boolean, array, object

    void setParameters(const QList<bridge::Parameter> &parameters);
    const QList<bridge::Parameter> &parameters() const { return m_parameters; }

    // Appends a new query parameter with a free name; returns its row.
    int addParameter();
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    // Adds a required path parameter for every variable of `pathTemplate` that has none yet
    // (a parameter of that name elsewhere moves to the path). Returns the names added or moved.
    QStringList ensurePathParameters(const QString &pathTemplate);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

signals:
    void parametersEdited(); // any change made through the model (not setParameters)

private:
    int itemCount() const override { return int(m_parameters.size()); }

    QList<bridge::Parameter> m_parameters;
};

} // namespace mcpbridge::editors
