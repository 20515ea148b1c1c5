#pragma once

// The bridges running on this machine for this user (as `mcpbridge ps` lists them), as a table
// that keeps itself up to date: it watches the tap folder and re-reads it every few seconds.
// Rows keep their identity across refreshes so a selection survives. Used by RunningBridgesPanel.

#include "core/traffic/tapregistry.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>

QT_BEGIN_NAMESPACE
class QFileSystemWatcher;
QT_END_NAMESPACE

namespace mcpbridge::ui {

class RunningBridgesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        PidColumn,
        TransportColumn,
        UrlColumn,
        SessionsColumn,
        UptimeColumn,
        ColumnCount
    };
    enum Role {
        PidRole = Qt::UserRole + 1, // qint64
        SocketRole,                 // the tap socket's path (what identifies a row)
        SortRole,                   // what the panel's proxy sorts by
    };

    // Slow enough to cost nothing, quick enough that a bridge that vanished without its folder
    // changing (killed with SIGKILL) leaves the list within a few seconds.
    static constexpr int DefaultRefreshInterval = 2000;

    explicit RunningBridgesModel(QObject *parent = nullptr);
    ~RunningBridgesModel() override;

    // 0 stops the timer (the folder is still watched). Tests use short intervals.
    void setRefreshInterval(int ms);
    int refreshInterval() const { return m_timer.interval(); }

    // Leaves this process out of the list (on by default): a studio that serves a bridge itself
    // already shows its traffic.
    void setIgnoredPid(qint64 pid) { m_ignoredPid = pid; }

    // Shows this bridge (by PID) as the one being watched, in bold; 0 for none.
    void setWatchedPid(qint64 pid);
    qint64 watchedPid() const { return m_watchedPid; }

    traffic::TapInfo bridge(int row) const { return m_rows.value(row); }
    QList<traffic::TapInfo> bridges() const { return m_rows; }
    // The row of the bridge with this PID, or -1.
    int rowOfPid(qint64 pid) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "45 s", "3 min 12 s", "2 h 05 min", "3 days 4 h".
    static QString formatUptime(qint64 seconds);

public slots:
    // Reads the tap folder now and applies the differences.
    void refresh();

signals:
    // After a refresh that added or removed a bridge.
    void bridgesChanged();

private:
    void applyList(QList<traffic::TapInfo> fresh);
    void updateWatchedPaths();
    void scheduleRefresh();

    QList<traffic::TapInfo> m_rows;
    QFileSystemWatcher *m_watcher;
    QTimer m_timer;
    QTimer m_soon; // coalesces bursts of folder changes
    qint64 m_ignoredPid;
    qint64 m_watchedPid = 0;
};

} // namespace mcpbridge::ui
