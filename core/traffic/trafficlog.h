#pragma once

// The bounded, redacted record of everything a bridge says and does. Core owns it; the studio's
// traffic view, the CLI and (later) the local tap read it. Oldest events are dropped first.

#include "core/traffic/trafficevent.h"

#include <QList>
#include <QObject>
#include <QRegularExpression>
#include <QSet>

#include <deque>

namespace mcpbridge::traffic {

class TrafficLog : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultCapacity = 10000;

    explicit TrafficLog(QObject *parent = nullptr);

    // Redacts, stamps (seq, and time when unset), stores and announces the event; drops the
    // oldest event when full. Returns the event's seq.
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
    // How many events were dropped because the log was full.
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
    std::deque<TrafficEvent> m_events;
    int m_capacity = DefaultCapacity;
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
