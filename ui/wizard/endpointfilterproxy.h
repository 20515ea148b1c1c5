#pragma once

// Filters the endpoint picker by free text matched against tag, tool name, path and summary;
// a matching tag keeps all of its operations. Used by the import wizard's picker page.

#include <QSortFilterProxyModel>

namespace mcpbridge::ui {

class EndpointFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit EndpointFilterProxy(QObject *parent = nullptr);
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
};

} // namespace mcpbridge::ui
