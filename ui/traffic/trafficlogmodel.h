#pragma once

// The traffic log as a tree: one row per MCP request (its response folded in), notification or
// unpaired message, with the upstream HTTP exchanges it caused as children. Used by TrafficView.

#include "core/traffic/trafficevent.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QSet>
#include <QTimer>

#include <deque>
#include <memory>
#include <optional>

namespace mcpbridge::traffic {
class TrafficLog;
}

namespace mcpbridge::ui {

class TrafficLogModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        DirectionColumn,
        SessionColumn,
        MethodColumn,
        IdColumn,
        StatusColumn,
        LatencyColumn,
        SizeColumn,
        ColumnCount
    };
    enum Role {
        EventRole = Qt::UserRole + 1, // traffic::TrafficEvent of the row
        ResponseRole,                 // traffic::TrafficEvent of the paired response, if any
        HasResponseRole,
        IsErrorRole,    // the message, its response or the exchange failed
        McpMethodRole,  // MCP method; for an upstream exchange, the method of its request
        SearchTextRole, // summary, method, URL and body text, for free-text search
        IsUpstreamRole,
    };

    explicit TrafficLogModel(QObject *parent = nullptr);
    ~TrafficLogModel() override;

    // Shows what the log holds now and follows it. Pass nullptr to detach (and then feed events
    // with appendEvent). Emits logChanged either way.
    void setLog(traffic::TrafficLog *log);
    traffic::TrafficLog *log() const { return m_log; }

    // What the studio keeps of a bridge's traffic for a person to look through, in memory as
    // TrafficLog::estimatedBytes counts it: BridgeRunner gives its log this bound, and a model
    // fed without a log (a bridge watched through its tap, a reopened file) applies it itself.
    static constexpr qsizetype DefaultByteCapacity = qsizetype(64) * 1024 * 1024;

    // At most this many events are kept (default TrafficLog::DefaultCapacity).
    void setCapacity(int capacity);
    int capacity() const { return m_capacity; }
    // At most this much memory (default DefaultByteCapacity); the newest event stays even when
    // it alone is larger. With a log, both bounds are the log's: it drops and the model follows
    // its aboutToDrop, however many events go at once.
    void setByteCapacity(qsizetype bytes);
    qsizetype byteCapacity() const { return m_byteCapacity; }
    // The estimated memory of the events shown.
    qsizetype storedBytes() const { return m_storedBytes; }
    // Events shown (requests, responses, notifications and exchanges), after dropping.
    int eventCount() const { return int(m_owners.size()); }
    // Events added but not yet in the model (they enter together within 16 ms).
    int pendingCount() const { return int(m_pending.size()); }
    // Every event shown, oldest first (what Export writes).
    QList<traffic::TrafficEvent> events() const;
    // MCP methods seen so far, sorted (the view's method filter offers them).
    QStringList methods() const;
    // The row (a request, its response, or an upstream exchange under it) showing the event with
    // this sequence number; invalid when it is not in the model (dropped, or another source).
    QModelIndex indexOfSeq(quint64 seq) const;
    // events() as JSON Lines: TrafficEvent::toJson, one compact object per line.
    QByteArray toJsonLines() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

public slots:
    // Queues the event; queued events enter the model together within one frame (16 ms).
    void appendEvent(const mcpbridge::traffic::TrafficEvent &event);
    // Puts the queued events into the model now.
    void flushPending();
    void clear();

signals:
    void methodsChanged();
    // setLog was called: whoever fed the model before (a log, a running bridge, a file) no
    // longer does. TrafficAttachment and TrafficView's source marker listen to it.
    void logChanged();

private:
    struct Row
    {
        quint64 serial = 0;
        traffic::TrafficEvent event;
        std::optional<traffic::TrafficEvent> response;
        std::vector<traffic::TrafficEvent> children;
        QString requestKey;
    };
    struct Owner
    {
        quint64 serial;
        bool main;
        qsizetype cost; // TrafficLog::estimatedBytes of the event
    };

    void dropOldest(int count);
    // Without a log: drops the oldest shown and queued events so that both bounds hold.
    void dropOverflow();
    void dropCommitted(int count);
    Row *rowBySerial(quint64 serial) const;
    QVariant display(const Row &row, int column) const;
    QVariant displayChild(const traffic::TrafficEvent &event, int column) const;

    traffic::TrafficLog *m_log = nullptr; // reset when the log is destroyed
    std::deque<std::unique_ptr<Row>> m_rows;
    quint64 m_firstSerial = 0;  // serial of m_rows.front()
    std::deque<Owner> m_owners; // one per committed event, oldest first
    std::deque<traffic::TrafficEvent> m_pending;
    QHash<QString, quint64> m_requests; // direction + session + rpcId -> row serial
    QSet<QString> m_methods;
    int m_capacity;
    qsizetype m_byteCapacity = DefaultByteCapacity;
    qsizetype m_storedBytes = 0; // sum of m_owners' costs
    QTimer m_flushTimer;
};

} // namespace mcpbridge::ui
