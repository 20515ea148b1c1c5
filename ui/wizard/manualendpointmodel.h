#pragma once

// The endpoints a user adds by hand in the "from a base URL" branch of the import wizard: one
// row per tool (method, path template, generated name, path parameters found in the template).

#include "core/bridge/bridgedocument.h"

#include <QAbstractTableModel>

namespace mcpbridge::ui {

// A tool for `method` and `pathTemplate` with every {variable} of the template as a required
// path parameter (type string) and a name made from method and path ("get_items_id").
bridge::Tool toolFromTemplate(const QString &method, const QString &pathTemplate);

class ManualEndpointModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { MethodColumn, PathColumn, NameColumn, ParametersColumn, ColumnCount };

    explicit ManualEndpointModel(QObject *parent = nullptr);

    // Adds an endpoint; a name already taken gets a numbered suffix. Returns its row.
    int addEndpoint(const QString &method, const QString &pathTemplate);
    void removeEndpoint(int row);
    const QList<bridge::Tool> &tools() const { return m_tools; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<bridge::Tool> m_tools;
};

} // namespace mcpbridge::ui
