#pragma once

// The bounded, redacted record of everything a bridge says and does. Core owns it; the studio's
// traffic view, the CLI and (later) the local tap read it. Oldest events are dropped first.

#include "core/traffic/trafficevent.h"

#include <QList>
#include <QObject>
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
    qsizetype size() const;
    int capacity() const;
    void setCapacity(int capacity);
    // How many events were dropped because the log was full.
    quint64 droppedCount() const;
    void clear();

    // A secret value that must never be stored: every later event has it replaced by
    // "[redacted]" in its url, summary and body. Values shorter than 4 characters are ignored
    // (they would redact ordinary text).
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
};

} // namespace mcpbridge::traffic
