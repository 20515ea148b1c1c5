#pragma once

// The upstream HTTP exchanges one Try-it call caused (method, URL, status, duration), taken from
// the traffic log's Upstream events. A table model for the Try-it panel's "API calls" list.

#include "core/traffic/trafficevent.h"

#include <QAbstractTableModel>
#include <QList>

namespace mcpbridge::tryit {

class UpstreamExchangeModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { MethodColumn, UrlColumn, StatusColumn, DurationColumn, ColumnCount };
    enum Role { SeqRole = Qt::UserRole + 1, IsErrorRole };

    explicit UpstreamExchangeModel(QObject *parent = nullptr);

    void append(const traffic::TrafficEvent &event);
    void clear();
    traffic::TrafficEvent event(int row) const { return m_events.value(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<traffic::TrafficEvent> m_events;
};

} // namespace mcpbridge::tryit
