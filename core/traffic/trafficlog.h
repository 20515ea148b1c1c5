#pragma once

// The bounded, redacted record of everything a bridge says and does. Core owns it; the studio's
// traffic view, the CLI and the live traffic tap read it. Two bounds keep it from growing with
// the bridge's uptime: at most capacity() events (10,000 by default) and at most byteCapacity()
// bytes of memory (1 MiB by default, which keeps a headless `mcpbridge serve` small; the studio
// gives its log more). Oldest events are dropped first; the newest is always kept.

#include "core/traffic/trafficevent.h"

#include <QList>
#include <QObject>
#include <QRegularExpression>
#include <QSet>

#include <deque>

namespace mcpbridge::traffic {

// How many of the oldest of `total` items to drop so that at most `capacity` items and
// `byteCapacity` bytes stay; the newest always stays, even alone over the byte bound. `bytes`
// is the sum of all their costs, `cost(i)` the cost of the i-th oldest. TrafficLog keeps its
// bounds with it, and so does the studio's model when it is fed without a log.
template<typename Cost>
size_t oldestToDrop(size_t total, qsizetype bytes, size_t capacity, qsizetype byteCapacity,
                    Cost cost)
{
    size_t count = total > capacity ? total - capacity : 0;
    for (size_t i = 0; i < count; ++i)
        bytes -= cost(i);
    while (count + 1 < total && bytes > byteCapacity)
        bytes -= cost(count++);
    return count;
}

class TrafficLog : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultCapacity = 10000;
    // What a headless bridge keeps: about 370 calls of the demo bridge, or the last big answer.
    // Measured: the demo bridge's resident memory levels off near 19.2 MB with it (17.6 MB with
    // no log at all); 1.5 MiB already came close to 20 MB.
    static constexpr qsizetype DefaultByteCapacity = qsizetype(1) * 1024 * 1024;

    explicit TrafficLog(QObject *parent = nullptr);

    // Redacts, stamps (seq, and time when unset), stores and announces the event; first drops
    // as many of the oldest events as it takes to keep both bounds (possibly several at once,
    // in one aboutToDrop). Returns the event's seq.
    quint64 append(TrafficEvent event);

    QList<TrafficEvent> snapshot() const;
    // Up to `maxCount` stored events with seq >= `fromSeq`, oldest first, without copying the
    // rest: how the tap lets a listener that fell behind catch up (trafficlogrange.cpp).
    QList<TrafficEvent> eventsFrom(quint64 fromSeq, int maxCount) const;
    // The seq of the newest event ever appended (0 before the first); clear() keeps it.
    quint64 lastSeq() const { return m_nextSeq - 1; }
    qsizetype size() const;
    int capacity() const;
    void setCapacity(int capacity);
    // The memory bound: storedBytes() stays at or below it, except when the newest event alone
    // is larger (it is kept, alone). Shrinking drops the oldest events at once.
    qsizetype byteCapacity() const { return m_byteCapacity; }
    void setByteCapacity(qsizetype bytes);
    // The estimated heap the stored events hold (sum of estimatedBytes at the time they came in).
    qsizetype storedBytes() const { return m_storedBytes; }
    // An honest estimate of the heap one stored event holds: its body and its own strings
    // (payload plus allocation headers) and a fixed cost for the event itself. Strings that are
    // shared with the session (sessionId, transport) and literals cost nothing extra.
    static qsizetype estimatedBytes(const TrafficEvent &event);
    // How many events were dropped because the log was full (either bound), since clear().
    quint64 droppedCount() const;
    void clear();

    // A secret value that must never be stored: every later event has it replaced by
    // "[redacted]" in its url, summary and body. Values shorter than 4 characters are ignored
    // (they would redact ordinary text). Also caught: the value percent-encoded (any mix, any
    // hex case, "+" for a space), JSON-escaped, and inside base64 or base64url text (as in
    // "Authorization: Basic ..."), where the whole base64 token is redacted.
    void addSecret(const QString &value);
    QString redact(QString text) const;
    QByteArray redact(QByteArray bytes) const;

signals:
    void eventAdded(const mcpbridge::traffic::TrafficEvent &event);
    // Emitted before the oldest `count` events are dropped (views remove their rows).
    void aboutToDrop(int count);
    void cleared();

private:
    // Drops the oldest `count` events (aboutToDrop first).
    void dropOldest(size_t count);

    std::deque<TrafficEvent> m_events;
    std::deque<qsizetype> m_costs; // estimatedBytes of m_events[i] when it was stored
    int m_capacity = DefaultCapacity;
    qsizetype m_byteCapacity = DefaultByteCapacity;
    qsizetype m_storedBytes = 0;
    quint64 m_nextSeq = 1;
    quint64 m_dropped = 0;
    QSet<QString> m_secrets;

    // Compiled once per secret: a pattern for literal/percent/JSON-escaped forms, and the
    // base64 fragments that only the secret's bytes determine.
    struct SecretMatcher
    {
        QRegularExpression pattern;
        QList<QByteArray> base64Fragments;
    };
    QList<SecretMatcher> m_matchers;
};

} // namespace mcpbridge::traffic
