#pragma once

// The arguments of one prompt as an editable table: name, title, description, required and
// suggested values (separated by commas). In the style of ParameterTableModel; used by
// PromptEditor.

#include "core/bridge/bridgedocument.h"
#include "editortablemodel.h"

#include <QList>

namespace mcpbridge::editors {

class PromptArgumentModel : public EditorTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Title, Description, Required, Values, ColumnCount };

    explicit PromptArgumentModel(QObject *parent = nullptr);

    void setArguments(const QList<bridge::PromptArgument> &arguments);
    const QList<bridge::PromptArgument> &arguments() const { return m_arguments; }

    // Appends a new optional argument with a free name; returns its row.
    int addArgument();
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

signals:
    void argumentsEdited(); // any change made through the model (not setArguments)
    // Emitted before argumentsEdited when a name changes, so messages can follow it.
    void argumentRenamed(const QString &oldName, const QString &newName);

private:
    int itemCount() const override { return int(m_arguments.size()); }

    QList<bridge::PromptArgument> m_arguments;
};

} // namespace mcpbridge::editors
