#pragma once

// The listener side of the live traffic tap: connects to a running bridge's socket and turns
// its JSON Lines into signals. Used by `mcpbridge traffic` and the studio's "Running bridges".

#include "core/traffic/tapregistry.h"
#include "core/traffic/trafficevent.h"

#include <QJsonObject>
#include <QObject>

QT_BEGIN_NAMESPACE
class QLocalSocket;
QT_END_NAMESPACE

namespace mcpbridge::traffic {

class TapClient : public QObject
{
    Q_OBJECT
public:
    explicit TapClient(QObject *parent = nullptr);
    ~TapClient() override;

    // Connects asynchronously; helloReceived or errorOccurred follows.
    void connectToTap(const TapInfo &info);
    void connectToSocket(const QString &socketPath);
    // Leaves the bridge running; emits disconnected.
    void disconnectFromTap();

    bool isConnected() const;
    QJsonObject hello() const { return m_hello; }
    bool historyFinished() const { return m_historyFinished; }
    quint64 eventCount() const { return m_events; }
    quint64 droppedCount() const { return m_dropped; }

signals:
    void helloReceived(const QJsonObject &hello);
    // `json` is the event as the bridge sent it (TrafficEvent::toJson form).
    void eventReceived(const mcpbridge::traffic::TrafficEvent &event, const QJsonObject &json);
    // Everything the bridge had recorded before we connected has arrived; live events follow.
    void historyEnded();
    // `count` events were not delivered because this listener was not reading fast enough.
    void eventsDropped(quint64 count);
    void sessionsChanged(int sessions);
    void logCleared();
    // The bridge stopped or closed the connection (or disconnectFromTap was called).
    void disconnected();
    // Could not connect, or the bridge sent something this version does not understand.
    void errorOccurred(const QString &message);

private:
    void onReadyRead();
    void handleLine(const QByteArray &line);

    QLocalSocket *m_socket = nullptr;
    QString m_socketPath;
    QByteArray m_buffer;
    QJsonObject m_hello;
    bool m_historyFinished = false;
    bool m_connected = false;
    quint64 m_events = 0;
    quint64 m_dropped = 0;
};

} // namespace mcpbridge::traffic
