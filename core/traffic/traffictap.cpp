#include "core/traffic/traffictap.h"

#include "core/util/atomicfile.h"

#include "core/traffic/trafficlog.h"
#include "core/util/jsontext.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLoggingCategory>

#include <algorithm>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcTap, "mcpbridge.tap")

namespace mcpbridge::traffic {

namespace {

// Events fetched from the log per step while a listener catches up: small enough to keep the
// event loop responsive, large enough that the per-call overhead does not matter.
constexpr int CatchUpBatch = 64;

QByteArray lineOf(const QJsonObject &object)
{
    QByteArray line = json::compact(object);
    line += '\n';
    return line;
}

bool hasOwnerOnlyMode(const QString &path, mode_t wanted)
{
    struct stat st = {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && (st.st_mode & 0777) == wanted;
}

} // namespace

struct TrafficTap::Listener
{
    QLocalSocket *socket = nullptr;
    quint64 nextSeq = 1;        // the seq this listener gets next
    quint64 historyEnd = 0;     // the newest seq when it connected
    bool historySent = false;   // {"type":"historyEnd"} written
    quint64 pendingDropped = 0; // missed events not yet announced
    quint64 dropped = 0;
};

TrafficTap::TrafficTap(TrafficLog *log, TapInfo info, QObject *parent)
    : QObject(parent)
    , m_log(log)
    , m_info(std::move(info))
{
    if (m_info.pid <= 0)
        m_info.pid = QCoreApplication::applicationPid();
    if (!m_info.started.isValid())
        m_info.started = QDateTime::currentDateTimeUtc();
}

TrafficTap::~TrafficTap()
{
    // Hand over what the kernel takes without waiting, so a listener sees the last events
    // (the answer to the last request) before the end of the stream.
    for (const auto &l : m_listeners) {
        l->socket->disconnect(this);
        l->socket->flush();
    }
    m_listeners.clear();
    removeFiles();
}

bool TrafficTap::isListening() const
{
    return m_server && m_server->isListening();
}

Result<void> TrafficTap::listen()
{
    if (!m_log)
        return fail(u"The live traffic tap has no traffic log to serve."_s);
    if (isListening())
        return {};
    const Result<QString> dir = TapRegistry::ensureDirectory();
    if (!dir)
        return std::unexpected(dir.error());
    // Tidy up after bridges that were killed, so the folder does not fill up over the months.
    TapRegistry::list(/*removeStale=*/true);

    const QString stem = TapRegistry::fileStem(m_info.name, m_info.pid);
    m_info.socket = *dir + u'/' + stem + u".sock"_s;
    m_info.infoFile = *dir + u'/' + stem + u".json"_s;

    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    // A file of this name can only be left over by an earlier process with our PID.
    QLocalServer::removeServer(m_info.socket);
    if (!m_server->listen(m_info.socket)) {
        const QString reason = m_server->errorString();
        delete m_server;
        m_server = nullptr;
        return fail(u"Cannot open the live traffic socket: %1."_s.arg(reason), m_info.socket);
    }
    if (!hasOwnerOnlyMode(m_info.socket, 0600)
        && (::chmod(QFile::encodeName(m_info.socket).constData(), 0600) != 0
            || !hasOwnerOnlyMode(m_info.socket, 0600))) {
        m_server->close();
        delete m_server;
        m_server = nullptr;
        return fail(u"Cannot make the live traffic socket private (mode 0600)."_s, m_info.socket);
    }
    connect(m_server, &QLocalServer::newConnection, this, &TrafficTap::onNewConnection);

    if (const Result<void> written = writeInfoFile(); !written) {
        m_server->close();
        delete m_server;
        m_server = nullptr;
        return written;
    }
    m_filesWritten = true;

    connect(m_log, &TrafficLog::eventAdded, this, &TrafficTap::onEventAdded);
    connect(m_log, &TrafficLog::cleared, this, &TrafficTap::onCleared);
    return {};
}

TrafficTap *TrafficTap::start(TrafficLog *log, TapInfo info, QObject *parent)
{
    auto *tap = new TrafficTap(log, std::move(info), parent);
    if (const Result<void> ok = tap->listen(); !ok) {
        qCWarning(lcTap,
                  "Live traffic is off for this bridge (mcpbridge traffic will not see it): %s",
                  qUtf8Printable(ok.error().toString()));
        delete tap;
        return nullptr;
    }
    qCInfo(lcTap, "Live traffic: run 'mcpbridge traffic %lld' to watch this bridge",
           tap->info().pid);
    return tap;
}

void TrafficTap::setSessionCount(int sessions)
{
    if (sessions == m_info.sessions)
        return;
    m_info.sessions = sessions;
    if (m_filesWritten) {
        if (const Result<void> ok = writeInfoFile(); !ok)
            qCWarning(lcTap, "%s", qUtf8Printable(ok.error().toString()));
    }
    broadcast(lineOf({{"type"_L1, "status"_L1}, {"sessions"_L1, sessions}}));
}

void TrafficTap::setUrl(const QString &url)
{
    if (url == m_info.url)
        return;
    m_info.url = url;
    if (m_filesWritten) {
        if (const Result<void> ok = writeInfoFile(); !ok)
            qCWarning(lcTap, "%s", qUtf8Printable(ok.error().toString()));
    }
}

void TrafficTap::setBufferLimit(qint64 bytes)
{
    m_bufferLimit = std::max<qint64>(bytes, 1);
}

int TrafficTap::listenerCount() const
{
    return int(m_listeners.size());
}

quint64 TrafficTap::droppedCount() const
{
    quint64 total = m_droppedTotal;
    if (!m_log)
        return total;
    const quint64 firstStored = m_log->lastSeq() + 1 - quint64(m_log->size());
    for (const auto &l : m_listeners) {
        total += l->pendingDropped;
        if (l->nextSeq < firstStored)
            total += firstStored - l->nextSeq;
    }
    return total;
}

qint64 TrafficTap::bufferedBytes() const
{
    qint64 total = 0;
    for (const auto &l : m_listeners)
        total += l->socket->bytesToWrite();
    return total;
}

void TrafficTap::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        auto listener = std::make_unique<Listener>();
        Listener *l = listener.get();
        l->socket = socket;
        const quint64 last = m_log ? m_log->lastSeq() : 0;
        const qsizetype stored = m_log ? m_log->size() : 0;
        // Stored seqs are consecutive and end at lastSeq.
        l->nextSeq = last + 1 - quint64(stored);
        l->historyEnd = last;
        m_listeners.push_back(std::move(listener));

        connect(socket, &QLocalSocket::bytesWritten, this, [this, l] {
            if (l->socket->bytesToWrite() <= m_bufferLimit / 2)
                pump(l);
        });
        // Listeners have nothing to say; read and forget so nothing piles up.
        connect(socket, &QLocalSocket::readyRead, this, [socket] { socket->readAll(); });
        // Queued: a write may notice the peer is gone while the listeners are being iterated.
        connect(
            socket, &QLocalSocket::disconnected, this, [this, socket] { removeListener(socket); },
            Qt::QueuedConnection);

        QJsonObject hello{
            {"type"_L1, "hello"_L1},
            {"tapProtocol"_L1, TapInfo::ProtocolVersion},
            {"bridge"_L1, m_info.name},
            {"title"_L1, m_info.title},
            {"pid"_L1, m_info.pid},
            {"transport"_L1, m_info.transport},
            {"url"_L1, m_info.url},
            {"started"_L1, m_info.started.toUTC().toString(Qt::ISODateWithMs)},
            {"sessions"_L1, m_info.sessions},
            {"historyCount"_L1, qint64(stored)},
        };
        write(l, lineOf(hello));
        noteHistoryEnd(l);
        pump(l);
        emit listenerConnected();
    }
}

void TrafficTap::onEventAdded(const TrafficEvent &event)
{
    if (m_listeners.empty())
        return;
    QByteArray line; // made once, for the first listener that takes it
    for (const auto &l : m_listeners) {
        // Behind (catching up or over its limit): it gets this event from the log later.
        if (l->nextSeq != event.seq || l->socket->bytesToWrite() >= m_bufferLimit)
            continue;
        if (line.isEmpty())
            line = eventLine(event);
        writeEvent(l.get(), event, &line);
    }
}

void TrafficTap::onCleared()
{
    const quint64 next = m_log ? m_log->lastSeq() + 1 : 1;
    for (const auto &l : m_listeners) {
        // What it had not received yet is gone on purpose, not dropped.
        l->nextSeq = std::max(l->nextSeq, next);
        noteHistoryEnd(l.get());
    }
    broadcast(lineOf({{"type"_L1, "cleared"_L1}}));
}

void TrafficTap::pump(Listener *l)
{
    if (!m_log)
        return;
    while (l->socket->bytesToWrite() < m_bufferLimit) {
        const QList<TrafficEvent> batch = m_log->eventsFrom(l->nextSeq, CatchUpBatch);
        if (batch.isEmpty())
            break;
        for (const TrafficEvent &event : batch) {
            if (l->socket->bytesToWrite() >= m_bufferLimit)
                return;
            if (event.seq > l->nextSeq) {
                // The log let these go while the listener was not reading.
                l->pendingDropped += event.seq - l->nextSeq;
                l->nextSeq = event.seq;
            }
            writeEvent(l, event, nullptr);
        }
    }
    flushDropped(l);
}

void TrafficTap::writeEvent(Listener *l, const TrafficEvent &event, const QByteArray *line)
{
    flushDropped(l);
    write(l, line ? *line : eventLine(event));
    l->nextSeq = event.seq + 1;
    noteHistoryEnd(l);
}

bool TrafficTap::write(Listener *l, const QByteArray &line)
{
    // QLocalSocket buffers and writes when the socket is ready: this never waits.
    return l->socket->write(line) == line.size();
}

void TrafficTap::noteHistoryEnd(Listener *l)
{
    if (l->historySent || l->nextSeq <= l->historyEnd)
        return;
    l->historySent = true;
    write(l, lineOf({{"type"_L1, "historyEnd"_L1}}));
}

void TrafficTap::flushDropped(Listener *l)
{
    if (l->pendingDropped == 0)
        return;
    l->dropped += l->pendingDropped;
    m_droppedTotal += l->pendingDropped;
    write(l, lineOf({{"type"_L1, "dropped"_L1},
                     {"count"_L1, qint64(l->pendingDropped)},
                     {"total"_L1, qint64(l->dropped)}}));
    l->pendingDropped = 0;
}

void TrafficTap::removeListener(QLocalSocket *socket)
{
    const auto it = std::find_if(m_listeners.begin(), m_listeners.end(),
                                 [socket](const auto &l) { return l->socket == socket; });
    if (it == m_listeners.end())
        return;
    m_listeners.erase(it);
    socket->disconnect(this);
    socket->deleteLater();
    emit listenerDisconnected();
}

void TrafficTap::broadcast(const QByteArray &line)
{
    for (const auto &l : m_listeners) {
        if (l->socket->bytesToWrite() < m_bufferLimit)
            write(l.get(), line);
    }
}

QByteArray TrafficTap::eventLine(const TrafficEvent &event) const
{
    // The log redacted the event when it was stored; a secret learnt since then (secrets are
    // read at the first call that needs them) is caught here.
    TrafficEvent safe = event;
    if (m_log) {
        safe.url = m_log->redact(std::move(safe.url));
        safe.summary = m_log->redact(std::move(safe.summary));
        safe.body = m_log->redact(std::move(safe.body));
    }
    return lineOf({{"type"_L1, "event"_L1}, {"event"_L1, safe.toJson()}});
}

Result<void> TrafficTap::writeInfoFile()
{
    const Result<void> written
        = writeFileAtomically(m_info.infoFile, QJsonDocument(m_info.toJson()).toJson(),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (!written)
        return fail(u"Cannot write the live traffic info file: %1."_s.arg(written.error().message),
                    m_info.infoFile);
    if (!hasOwnerOnlyMode(m_info.infoFile, 0600))
        ::chmod(QFile::encodeName(m_info.infoFile).constData(), 0600);
    return {};
}

void TrafficTap::removeFiles()
{
    if (m_server) {
        m_server->close(); // removes the socket file
        QFile::remove(m_info.socket);
    }
    if (m_filesWritten)
        QFile::remove(m_info.infoFile);
    m_filesWritten = false;
}

} // namespace mcpbridge::traffic
