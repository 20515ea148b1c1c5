#pragma once

// Fills a TrafficLogModel from a bridge running in another process (through its live traffic
// tap), exactly as if the studio ran it, and says in one line which process is being watched.
// Detaching closes only the studio's connection; the bridge keeps serving. Used by
// RunningBridgesPanel; MainWindow shows markerText() above the traffic table.

#include "core/traffic/tapregistry.h"

#include <QObject>
#include <QPointer>

namespace mcpbridge::traffic {
class TapClient;
struct TrafficEvent;
} // namespace mcpbridge::traffic

namespace mcpbridge::ui {

class TrafficLogModel;

class TrafficAttachment : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Detached,   // not watching anything (or never did)
        Connecting, // waiting for the bridge to say hello
        Attached,   // events arrive live
        Ended,      // the bridge stopped or closed the connection; its events stay in the model
    };
    Q_ENUM(State)

    explicit TrafficAttachment(TrafficLogModel *model, QObject *parent = nullptr);
    ~TrafficAttachment() override;

    // Empties the model, takes it over (setLog(nullptr)) and connects to the bridge's tap: its
    // recorded history arrives first, then live events. Detaches from any previous bridge.
    void attach(const traffic::TapInfo &bridge);
    // Closes our connection only; the events shown stay. Emits detached.
    void detach();

    State state() const { return m_state; }
    bool isWatching() const { return m_state == State::Connecting || m_state == State::Attached; }
    // The bridge attached to last (also after it ended or we detached).
    traffic::TapInfo bridge() const { return m_bridge; }
    // One line for people, e.g. "Watching “Pantry & Recipes” — mcpbridge PID 4242, stdio";
    // empty when the model shows something else.
    QString markerText() const { return m_marker; }
    // Same as markerText() while attached; kept for callers that ask what is being watched.
    QString attachedTo() const { return m_state == State::Attached ? m_marker : QString(); }
    // Events the bridge could not deliver because the studio fell behind, since attaching.
    quint64 droppedCount() const { return m_dropped; }
    quint64 receivedCount() const { return m_received; }
    bool historyFinished() const { return m_historyFinished; }

    // "“Pantry & Recipes”" or "“pantry”": how the marker names a bridge.
    static QString quotedName(const traffic::TapInfo &bridge);

signals:
    // The bridge answered; its history and live events follow.
    void attached(const mcpbridge::traffic::TapInfo &bridge);
    // We closed the connection (detach(), another attach(), or the model was given another
    // source).
    void detached();
    // The bridge stopped or closed the connection without being asked to; the events stay.
    void lostConnection(const QString &message);
    // Could not connect at all (the bridge ended meanwhile, or the socket is not ours).
    void attachFailed(const QString &message);
    void eventsDropped(quint64 count, quint64 total);
    void markerChanged(const QString &markerText);
    void stateChanged(mcpbridge::ui::TrafficAttachment::State state);

private:
    void setState(State state, const QString &marker);
    void closeClient();
    QString watchingText() const;
    void onEvent(const traffic::TrafficEvent &event);
    void onDropped(quint64 count);
    void onDisconnected();
    void onError(const QString &message);

    QPointer<TrafficLogModel> m_model;
    traffic::TapClient *m_client = nullptr;
    traffic::TapInfo m_bridge;
    State m_state = State::Detached;
    QString m_marker;
    quint64 m_dropped = 0;
    quint64 m_received = 0;
    quint64 m_lastSeq = 0;
    bool m_historyFinished = false;
    bool m_settingLog = false; // our own setLog call is not a takeover
};

} // namespace mcpbridge::ui
