// TrafficLog::eventsFrom, added for the traffic tap (kept apart from trafficlog.cpp, which was
// finished first; merge it there whenever convenient).

#include "core/traffic/trafficlog.h"

#include <algorithm>

namespace mcpbridge::traffic {

QList<TrafficEvent> TrafficLog::eventsFrom(quint64 fromSeq, int maxCount) const
{
    QList<TrafficEvent> out;
    if (m_events.empty() || maxCount <= 0)
        return out;
    // append() is the only way in and drops only from the front, so stored seqs are
    // consecutive and the position of a seq is a subtraction.
    const quint64 first = m_events.front().seq;
    const size_t start = fromSeq <= first ? 0 : size_t(fromSeq - first);
    if (start >= m_events.size())
        return out;
    const size_t end = std::min(m_events.size(), start + size_t(maxCount));
    out.reserve(qsizetype(end - start));
    for (size_t i = start; i < end; ++i)
        out.append(m_events[i]);
    return out;
}

} // namespace mcpbridge::traffic
