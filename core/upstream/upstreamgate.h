#pragma once

// The door every call to one upstream goes through: at most maxConcurrent requests in flight
// and a token bucket of requestsPerSecond/burst. Calls over either limit wait in order (they do
// not fail) until a slot and a token are free. One per upstream, owned by RestInvoker; the clock
// can be replaced in tests.

#include <QObject>
#include <QTimer>

#include <functional>

namespace mcpbridge::upstream {

class UpstreamGate : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>; // monotonic milliseconds

    explicit UpstreamGate(QObject *parent = nullptr);

    // Takes effect for the next call let through; a bucket keeps its tokens.
    void configure(int maxConcurrent, double requestsPerSecond, int burst);
    void setClock(Clock clock);

    // Runs `go` (possibly before returning) once the call may be sent; the call then holds a
    // slot until release(). Returns a ticket for cancel().
    quint64 acquire(std::function<void()> go);
    // Forgets a waiting call (aborted); no effect once `go` ran.
    void cancel(quint64 ticket);
    // A call that held a slot is done with its request.
    void release();

    int inFlight() const { return m_inFlight; }
    qsizetype waiting() const { return m_queue.size(); }

private:
    void pump();
    void refill();

    struct Waiter
    {
        quint64 ticket;
        std::function<void()> go;
    };
    QList<Waiter> m_queue;
    QTimer m_timer;
    Clock m_clock;
    int m_maxConcurrent = 0;
    double m_rate = 0;
    int m_burst = 1;
    double m_tokens = 1;
    qint64 m_lastRefill = -1;
    int m_inFlight = 0;
    quint64 m_nextTicket = 1;
    bool m_pumping = false;
    bool m_pumpAgain = false;
};

} // namespace mcpbridge::upstream
