#pragma once

// The variables of a resource template as a table: whether each appears in the URI template
// and in the path, and the values offered for it when an app asks for completions (editable,
// separated by commas). Used by ResourceEditor.

#include "core/bridge/bridgedocument.h"
#include "editortablemodel.h"

namespace mcpbridge::editors {

class TemplateVariableModel : public EditorTableModel
{
    Q_OBJECT

public:
    enum Column { Name, InUri, InPath, Values, ColumnCount };

    explicit TemplateVariableModel(QObject *parent = nullptr);

    // Rows: the URI template's variables in order, then those only in the path, then those
    // that only have completion values left.
    void setTemplate(const bridge::ResourceTemplate &resourceTemplate);
    QMap<QString, QStringList> completions() const { return m_completions; }
    QStringList variables() const;
    // Variables found in only one of the URI template and the path.
    QStringList mismatched() const;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

signals:
    void completionsEdited(); // the user changed suggested values (not setTemplate)

private:
    struct Row
    {
        QString name;
        bool inUri = false;
        bool inPath = false;
        bool operator==(const Row &) const = default;
    };
    int itemCount() const override { return int(m_rows.size()); }

    QList<Row> m_rows;
    QMap<QString, QStringList> m_completions;
};

} // namespace mcpbridge::editors
