#include "core/upstream/upstreamgate.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>

namespace mcpbridge::upstream {

UpstreamGate::UpstreamGate(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &UpstreamGate::pump);
    auto started = std::make_shared<QElapsedTimer>();
    started->start();
    m_clock = [started] { return started->elapsed(); };
}

void UpstreamGate::configure(int maxConcurrent, double requestsPerSecond, int burst)
{
    m_maxConcurrent = std::max(0, maxConcurrent);
    const bool wasLimited = m_rate > 0;
    m_rate = std::max(0.0, requestsPerSecond);
    m_burst = std::max(1, burst);
    if (m_rate > 0 && !wasLimited) {
        m_tokens = m_burst; // a fresh bucket starts full
        m_lastRefill = m_clock();
    }
    m_tokens = std::min<double>(m_tokens, m_burst);
}

void UpstreamGate::setClock(Clock clock)
{
    m_clock = std::move(clock);
    m_lastRefill = m_clock();
}

quint64 UpstreamGate::acquire(std::function<void()> go)
{
    const quint64 ticket = m_nextTicket++;
    m_queue.append({ticket, std::move(go)});
    pump();
    return ticket;
}

void UpstreamGate::cancel(quint64 ticket)
{
    m_queue.removeIf([ticket](const Waiter &w) { return w.ticket == ticket; });
}

void UpstreamGate::release()
{
    if (m_inFlight > 0)
        --m_inFlight;
    // Not from inside the finishing call's stack: the next call starts from the event loop.
    QMetaObject::invokeMethod(this, &UpstreamGate::pump, Qt::QueuedConnection);
}

void UpstreamGate::refill()
{
    const qint64 now = m_clock();
    if (m_lastRefill < 0)
        m_lastRefill = now;
    const double elapsed = double(now - m_lastRefill) / 1000.0;
    m_lastRefill = now;
    m_tokens = std::min<double>(m_burst, m_tokens + elapsed * m_rate);
}

void UpstreamGate::pump()
{
    if (m_pumping) {
        m_pumpAgain = true;
        return;
    }
    m_pumping = true;
    do {
        m_pumpAgain = false;
        while (!m_queue.isEmpty()) {
            if (m_maxConcurrent > 0 && m_inFlight >= m_maxConcurrent)
                break; // release() pumps again
            if (m_rate > 0) {
                refill();
                if (m_tokens < 1.0) {
                    const int waitMs = int(std::ceil((1.0 - m_tokens) / m_rate * 1000.0));
                    if (!m_timer.isActive())
                        m_timer.start(std::max(1, waitMs));
                    break;
                }
                m_tokens -= 1.0;
            }
            ++m_inFlight;
            Waiter next = m_queue.takeFirst();
            next.go();
        }
    } while (m_pumpAgain);
    m_pumping = false;
}

} // namespace mcpbridge::upstream
