#pragma once

// The endpoint picker's tree of an imported spec: tags at the top, their operations below, each
// checkable (a tag row checks or unchecks all of its operations). Used by the import wizard.

#include "core/bridge/bridgedocument.h"

#include <QAbstractItemModel>
#include <QMap>

namespace mcpbridge::ui {

class EndpointModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, MethodColumn, PathColumn, SummaryColumn, ColumnCount };
    enum Role {
        MethodRole = Qt::UserRole + 1,
        PathRole,
        SummaryRole,
        TagRole,
        IsTagRole,
        ToolNameRole,
    };

    explicit EndpointModel(QObject *parent = nullptr);

    // `toolTags` maps a tool name to its tag; tools without one go under "Other operations".
    // Every tool starts checked.
    void setTools(const QList<bridge::Tool> &tools, const QMap<QString, QString> &toolTags);
    void setAllChecked(bool checked);

    QList<bridge::Tool> selectedTools() const;
    int selectedCount() const;
    int toolCount() const { return int(m_tools.size()); }
    // Tokens the selected tools' definitions cost per turn (core's estimate of tools/list).
    qint64 estimatedTokens() const;
    QStringList tags() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void selectionChanged();

private:
    struct Group
    {
        QString tag;
        QList<int> tools; // indexes into m_tools
    };
    Qt::CheckState groupState(int group) const;
    QVariant tagData(int group, int column, int role) const;
    QVariant toolData(int group, int row, int column, int role) const;
    void emitRowChanged(const QModelIndex &parent, int row);

    QList<bridge::Tool> m_tools;
    QList<bool> m_checked;
    QList<Group> m_groups;
};

// One line of what an operation does: its title, else the first sentence of its description.
QString toolSummary(const bridge::Tool &tool);

} // namespace mcpbridge::ui
