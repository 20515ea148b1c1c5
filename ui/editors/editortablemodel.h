#pragma once

// The common ground of the editors' editable tables (a tool's parameters, a prompt's arguments,
// a resource template's variables): a flat list of rows, fixed columns with a title and a
// tooltip each, and the check that an index is one of this model's cells. The subclasses give
// their rows' count and say what is in the cells.

#include <QAbstractTableModel>
#include <QList>

namespace mcpbridge::editors {

class EditorTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    // A column's title and the tooltip of its header, in column order.
    struct Header
    {
        const char *title;
        const char *toolTip;
    };

    EditorTableModel(QList<Header> headers, QObject *parent);

    virtual int itemCount() const = 0;
    // Views and the model tester ask about invalid indexes; that is an answer, not a warning.
    bool isRow(const QModelIndex &index) const;

private:
    QList<Header> m_headers;
};

} // namespace mcpbridge::editors
