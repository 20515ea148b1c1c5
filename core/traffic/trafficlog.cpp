#include "core/traffic/trafficlog.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mcpbridge::traffic {

namespace {

constexpr int MinSecretLength = 4;
constexpr QLatin1StringView Redacted("[redacted]");

// Per heap block: malloc's chunk header and rounding, Qt's array header and the terminator.
constexpr qsizetype AllocationOverhead = 32;
// The event itself in the deque, its entry in m_costs, and the deque's own bookkeeping.
constexpr qsizetype EventOverhead = qsizetype(sizeof(TrafficEvent) + sizeof(qsizetype)) + 16;

// capacity() is 0 for literals (static data) and null strings: nothing on the heap.
qsizetype heapBytes(const QString &text)
{
    const qsizetype capacity = text.capacity();
    return capacity > 0 ? capacity * qsizetype(sizeof(char16_t)) + AllocationOverhead : 0;
}

qsizetype heapBytes(const QByteArray &bytes)
{
    const qsizetype capacity = bytes.capacity();
    return capacity > 0 ? capacity + AllocationOverhead : 0;
}

// A string every event of a session copies from the session: only an unshared copy is ours.
qsizetype ownHeapBytes(const QString &text)
{
    return text.isDetached() ? heapBytes(text) : 0;
}

// Redaction works on UTF-8 bytes viewed as Latin-1 characters, so the same patterns serve text
// and bodies that are not valid UTF-8, and percent-escapes (one per byte) line up with bytes.
QString hexClass(int nibble)
{
    const QChar upper = QLatin1Char("0123456789ABCDEF"[nibble]);
    const QChar lower = QLatin1Char("0123456789abcdef"[nibble]);
    if (upper == lower)
        return QString(upper);
    return u"["_s + upper + lower + u"]"_s;
}

QString bytePattern(uchar b)
{
    QStringList alternatives;
    alternatives << QRegularExpression::escape(QString(QChar(ushort(b))));
    alternatives << u"%"_s + hexClass(b >> 4) + hexClass(b & 0xf);
    if (b == ' ')
        alternatives << u"\\+"_s;
    // The same value inside a JSON string.
    if (b == '"')
        alternatives << u"\\\\\""_s;
    else if (b == '\\')
        alternatives << u"\\\\\\\\"_s;
    else if (b == '/')
        alternatives << u"\\\\/"_s;
    return u"(?:"_s + alternatives.join(u'|') + u")"_s;
}

bool isBase64Char(QChar c)
{
    const ushort u = c.unicode();
    return (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '+'
           || u == '/' || u == '-' || u == '_';
}

// The characters of base64(prefix + secret) that depend only on the secret, for each of the
// three alignments the secret can have inside a longer encoded value ("user:secret").
QList<QByteArray> base64Fragments(const QByteArray &secret)
{
    QList<QByteArray> out;
    const qsizetype bits = secret.size() * 8;
    for (int r = 0; r < 3; ++r) {
        const QByteArray padded = QByteArray(r, '\0') + secret;
        const QByteArray encoded = padded.toBase64(QByteArray::OmitTrailingEquals);
        const qsizetype first = (8 * r + 5) / 6;
        const qsizetype last = (8 * r + bits) / 6; // exclusive
        if (last - first < MinSecretLength)
            continue;
        QByteArray fragment = encoded.mid(first, last - first);
        out << fragment;
        QByteArray urlSafe = fragment;
        urlSafe.replace('+', '-').replace('/', '_');
        if (urlSafe != fragment)
            out << urlSafe;
    }
    return out;
}

} // namespace

TrafficLog::TrafficLog(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<mcpbridge::traffic::TrafficEvent>();
}

quint64 TrafficLog::append(TrafficEvent event)
{
    event.seq = m_nextSeq++;
    if (event.timeMs == 0)
        event.timeMs = QDateTime::currentMSecsSinceEpoch();
    if (!m_matchers.isEmpty()) {
        event.url = redact(std::move(event.url));
        event.summary = redact(std::move(event.summary));
        event.body = redact(std::move(event.body));
    }
    const qsizetype cost = estimatedBytes(event);
    // Oldest first, until the new event fits both bounds; each event is looked at once here and
    // once when dropped, so this stays cheap however full the log is.
    const size_t stored = m_events.size();
    dropOldest(oldestToDrop(stored + 1, m_storedBytes + cost, size_t(m_capacity), m_byteCapacity,
                            [&](size_t i) { return i < stored ? m_costs[i] : cost; }));

    const quint64 seq = event.seq;
    m_events.push_back(std::move(event));
    m_costs.push_back(cost);
    m_storedBytes += cost;
    emit eventAdded(m_events.back());
    return seq;
}

void TrafficLog::dropOldest(size_t count)
{
    count = std::min(count, m_events.size());
    if (count == 0)
        return;
    emit aboutToDrop(int(count));
    for (size_t i = 0; i < count; ++i)
        m_storedBytes -= m_costs[i];
    m_events.erase(m_events.begin(), m_events.begin() + qsizetype(count));
    m_costs.erase(m_costs.begin(), m_costs.begin() + qsizetype(count));
    m_dropped += quint64(count);
}

qsizetype TrafficLog::estimatedBytes(const TrafficEvent &event)
{
    return EventOverhead + ownHeapBytes(event.sessionId) + ownHeapBytes(event.transport)
           + heapBytes(event.messageType) + heapBytes(event.method) + heapBytes(event.rpcId)
           + heapBytes(event.httpMethod) + heapBytes(event.url) + heapBytes(event.relatedRpcId)
           + heapBytes(event.summary) + heapBytes(event.body);
}

QList<TrafficEvent> TrafficLog::snapshot() const
{
    return QList<TrafficEvent>(m_events.begin(), m_events.end());
}

qsizetype TrafficLog::size() const
{
    return qsizetype(m_events.size());
}

int TrafficLog::capacity() const
{
    return m_capacity;
}

void TrafficLog::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    if (m_events.size() > size_t(m_capacity))
        dropOldest(m_events.size() - size_t(m_capacity));
}

void TrafficLog::setByteCapacity(qsizetype bytes)
{
    m_byteCapacity = std::max<qsizetype>(1, bytes);
    dropOldest(oldestToDrop(m_events.size(), m_storedBytes, size_t(m_capacity), m_byteCapacity,
                            [&](size_t i) { return m_costs[i]; }));
}

quint64 TrafficLog::droppedCount() const
{
    return m_dropped;
}

void TrafficLog::clear()
{
    // seq keeps counting: a view or tap that saw seq N must never see N again.
    m_events.clear();
    m_costs.clear();
    m_storedBytes = 0;
    m_dropped = 0;
    emit cleared();
}

void TrafficLog::addSecret(const QString &value)
{
    if (value.size() < MinSecretLength || m_secrets.contains(value))
        return;
    m_secrets.insert(value);
    const QByteArray utf8 = value.toUtf8();
    QString pattern;
    for (const char c : utf8)
        pattern += bytePattern(uchar(c));
    SecretMatcher matcher{QRegularExpression(pattern), base64Fragments(utf8)};
    matcher.pattern.optimize();
    m_matchers.append(std::move(matcher));
    // Longer secrets first, so a secret that contains a shorter one is redacted whole.
    std::stable_sort(m_matchers.begin(), m_matchers.end(),
                     [](const SecretMatcher &a, const SecretMatcher &b) {
                         return a.pattern.pattern().size() > b.pattern.pattern().size();
                     });
}

QString TrafficLog::redact(QString text) const
{
    if (m_matchers.isEmpty() || text.isEmpty())
        return text;
    return QString::fromUtf8(redact(text.toUtf8()));
}

QByteArray TrafficLog::redact(QByteArray bytes) const
{
    if (m_matchers.isEmpty() || bytes.isEmpty())
        return bytes;
    QString text = QString::fromLatin1(bytes);
    for (const SecretMatcher &m : m_matchers)
        text.replace(m.pattern, Redacted);
    for (const SecretMatcher &m : m_matchers) {
        for (const QByteArray &fragment : m.base64Fragments) {
            const QString needle = QString::fromLatin1(fragment);
            qsizetype from = 0;
            while ((from = text.indexOf(needle, from)) >= 0) {
                // Redact the whole encoded token: the rest of it may encode a user name or
                // another part of the credential.
                qsizetype start = from;
                qsizetype end = from + needle.size();
                while (start > 0 && isBase64Char(text.at(start - 1)))
                    --start;
                while (end < text.size() && isBase64Char(text.at(end)))
                    ++end;
                while (end < text.size() && text.at(end) == u'=')
                    ++end;
                text.replace(start, end - start, Redacted);
                from = start + Redacted.size();
            }
        }
    }
    return text.toLatin1();
}

} // namespace mcpbridge::traffic
