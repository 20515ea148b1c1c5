#pragma once

// The live traffic tap: serves a bridge's TrafficLog on a user-only local socket, so
// `mcpbridge traffic`, `mcpbridge ps` and the studio can watch a bridge that a client started.
// Created by `mcpbridge serve`; the listener side is TapClient.
//
// Wire protocol (JSON Lines, one object per line, bridge -> listener only):
//   {"type":"hello","tapProtocol":1,"bridge":..,"title":..,"pid":..,"transport":..,"url":..,
//    "started":..,"sessions":N,"historyCount":N}
//   {"type":"event","event":{TrafficEvent::toJson()}}     the history first, then live events
//   {"type":"historyEnd"}                                  once, after the last history event
//   {"type":"dropped","count":N,"total":N}                 N events this listener missed
//   {"type":"status","sessions":N}                         when the number of sessions changes
//   {"type":"cleared"}                                     the log was cleared
// Events pass through TrafficLog::redact once more on the way out, so a secret registered after
// an event was stored still never leaves the process.

#include "core/traffic/tapregistry.h"
#include "core/util/result.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>

QT_BEGIN_NAMESPACE
class QLocalServer;
class QLocalSocket;
QT_END_NAMESPACE

namespace mcpbridge::traffic {

class TrafficLog;
struct TrafficEvent;

class TrafficTap : public QObject
{
    Q_OBJECT
public:
    // Bytes a listener may have waiting in its socket buffer. Above this, the tap stops writing
    // to it; the events stay in the TrafficLog and are sent when the listener catches up, or
    // counted as dropped when the log has let them go meanwhile. Memory per listener is thus
    // bounded, and a listener that never reads costs one comparison per event.
    static constexpr qint64 DefaultBufferLimit = 256 * 1024;

    TrafficTap(TrafficLog *log, TapInfo info, QObject *parent = nullptr);
    // Closes the socket and removes the socket and info files.
    ~TrafficTap() override;

    // Creates the runtime directory, the socket and the info file. Also removes the files of
    // bridges that were killed (their PID is gone).
    [[nodiscard]] Result<void> listen();

    // The one call `mcpbridge serve` needs: a listening tap, or nullptr after a warning on
    // stderr (a bridge runs fine without its tap).
    static TrafficTap *start(TrafficLog *log, TapInfo info, QObject *parent = nullptr);

    const TapInfo &info() const { return m_info; }
    QString socketPath() const { return m_info.socket; }
    QString infoFilePath() const { return m_info.infoFile; }
    bool isListening() const;

    // Pushed by serve (the tap knows nothing of MCP): rewrites the info file `ps` reads and tells
    // listeners.
    void setSessionCount(int sessions);
    void setUrl(const QString &url);

    qint64 bufferLimit() const { return m_bufferLimit; }
    void setBufferLimit(qint64 bytes);

    int listenerCount() const;
    // Bytes written to listeners and not yet taken by them (at most about one buffer limit
    // plus one event per listener).
    qint64 bufferedBytes() const;
    // Events some listener will never get because it did not read while the log let them go
    // (summed over listeners; includes gaps not yet announced to a listener that is behind).
    quint64 droppedCount() const;

signals:
    void listenerConnected();
    void listenerDisconnected();

private:
    struct Listener;

    void onNewConnection();
    void onEventAdded(const TrafficEvent &event);
    void onCleared();
    void pump(Listener *listener);
    bool write(Listener *listener, const QByteArray &line);
    void writeEvent(Listener *listener, const TrafficEvent &event, const QByteArray *line);
    void noteHistoryEnd(Listener *listener);
    void flushDropped(Listener *listener);
    void removeListener(QLocalSocket *socket);
    void broadcast(const QByteArray &line);
    QByteArray eventLine(const TrafficEvent &event) const;
    [[nodiscard]] Result<void> writeInfoFile();
    void removeFiles();

    QPointer<TrafficLog> m_log;
    TapInfo m_info;
    QLocalServer *m_server = nullptr;
    std::vector<std::unique_ptr<Listener>> m_listeners;
    qint64 m_bufferLimit = DefaultBufferLimit;
    quint64 m_droppedTotal = 0;
    bool m_filesWritten = false;
};

} // namespace mcpbridge::traffic
