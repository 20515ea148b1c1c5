#pragma once

// Filters the traffic tree by MCP method, errors only and free text, keeping the request a
// matching upstream exchange belongs to. Sits between TrafficLogModel and TrafficView.

#include <QSortFilterProxyModel>

namespace mcpbridge::ui {

class TrafficFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit TrafficFilterProxy(QObject *parent = nullptr);

    // Empty: every method.
    void setMethodFilter(const QString &method);
    QString methodFilter() const { return m_method; }
    void setErrorsOnly(bool errorsOnly);
    bool errorsOnly() const { return m_errorsOnly; }
    // Case-insensitive; matches summary, method, URL and message text.
    void setSearchText(const QString &text);
    QString searchText() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_method;
    QString m_text;
    bool m_errorsOnly = false;
};

} // namespace mcpbridge::ui
