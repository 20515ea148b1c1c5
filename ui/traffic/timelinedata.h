#pragma once

// What TimelineView draws, computed without any widget: the calls a client made (tools/call,
// prompts/get, resources/read), one lane per tool (or prompt, and one for resources), with per
// lane counts, median and slowest latency and failures. Follows a TrafficLogModel incrementally
// (rows appended, answers arriving, oldest rows dropped), so it stays cheap at 1,000 events/s.

#include <QList>
#include <QModelIndex>
#include <QObject>
#include <QPointer>
#include <QString>

#include <algorithm>
#include <deque>
#include <optional>

QT_BEGIN_NAMESPACE
class QAbstractItemModel;
QT_END_NAMESPACE

namespace mcpbridge::traffic {
struct TrafficEvent;
}

namespace mcpbridge::ui {

class TimelineData : public QObject
{
    Q_OBJECT
public:
    enum class LaneKind { Tool, Prompt, Resource };

    struct Call
    {
        int row = -1;          // top-level row in the model
        qint64 startMs = 0;    // when the request arrived (ms since the epoch)
        qint64 latencyMs = -1; // request to answer; -1 while there is no answer
        bool answered = false;
        bool isError = false; // JSON-RPC error or a tool result with isError
        LaneKind kind = LaneKind::Tool;
        QString name;  // tool or prompt name; the URI for a resource
        int lane = -1; // index into lanes()

        qint64 endMs() const { return startMs + std::max<qint64>(latencyMs, 0); }
    };

    struct Lane
    {
        LaneKind kind = LaneKind::Tool;
        QString name;     // tool or prompt name; empty for the resources lane
        QList<int> calls; // indices into calls(), oldest first
        int count = 0;
        int answered = 0;
        int errors = 0;
        int pending = 0;
        qint64 medianMs = -1; // of answered calls; the lower middle value for an even count
        qint64 maxMs = -1;

        // "search_recipes", "Prompt: weekly_plan", "Resources read".
        QString title() const;
        // "12 calls · median 40 ms · slowest 300 ms · 1 failed".
        QString summary() const;
    };

    explicit TimelineData(QObject *parent = nullptr);
    ~TimelineData() override;

    // A TrafficLogModel (or any model with its EventRole/ResponseRole on top-level rows).
    void setModel(QAbstractItemModel *model);
    QAbstractItemModel *model() const { return m_model; }

    // Calls in row order (the order requests arrived). Recomputed lazily after a change.
    const QList<Call> &calls() const;
    // Tools by name, then prompts by name, then resources.
    const QList<Lane> &lanes() const;
    // Start of the first call and end of the last one (answer or, when waiting, its start);
    // both 0 without calls.
    qint64 firstMs() const;
    qint64 lastMs() const;
    // The model index (column 0) of call `call`, for selecting it in the table.
    QModelIndex sourceIndex(int call) const;

    // The call a request (and its answer, if any) make; nullopt for other messages.
    static std::optional<Call> callFor(const traffic::TrafficEvent &request,
                                       const std::optional<traffic::TrafficEvent> &response);
    // The lower middle value (nearest-rank 50th percentile); -1 for no values.
    static qint64 median(QList<qint64> values);

    // Rebuilds everything from the model (also done on modelReset).
    void rebuild();

signals:
    // Something changed; views repaint at their own pace.
    void changed();

private:
    std::optional<Call> callAtRow(int row) const;
    void markDirty();
    void compute() const;

    QPointer<QAbstractItemModel> m_model;
    std::deque<std::optional<Call>> m_rows; // one per top-level model row
    mutable bool m_dirty = true;
    mutable QList<Call> m_calls;
    mutable QList<Lane> m_lanes;
    mutable qint64 m_firstMs = 0;
    mutable qint64 m_lastMs = 0;
};

} // namespace mcpbridge::ui
