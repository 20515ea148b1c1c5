#include "ui/bridges/trafficattachment.h"

#include "core/traffic/tapclient.h"
#include "core/traffic/trafficevent.h"
#include "ui/traffic/trafficlogmodel.h"

#include <QDateTime>
#include <QJsonObject>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcAttachment, "mcpbridge.studio.attach")

namespace mcpbridge::ui {

using traffic::TapInfo;
using traffic::TrafficEvent;

TrafficAttachment::TrafficAttachment(TrafficLogModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
{
    Q_ASSERT(model);
    // Someone else gave the model a source (the studio's own bridge, an opened file): our
    // events are gone from it, so watching on would only cost.
    connect(model, &TrafficLogModel::logChanged, this, [this] {
        if (m_settingLog)
            return;
        if (isWatching()) {
            closeClient();
            setState(State::Detached, {});
            emit detached();
        } else if (!m_marker.isEmpty()) {
            setState(State::Detached, {});
        }
    });
}

TrafficAttachment::~TrafficAttachment()
{
    if (m_client)
        m_client->disconnect(this);
}

QString TrafficAttachment::quotedName(const TapInfo &bridge)
{
    return u"“"_s + (bridge.title.isEmpty() ? bridge.name : bridge.title) + u"”"_s;
}

void TrafficAttachment::attach(const TapInfo &bridge)
{
    if (!m_model)
        return;
    if (isWatching()) {
        closeClient();
        emit detached();
    }
    m_bridge = bridge;
    m_dropped = 0;
    m_received = 0;
    m_lastSeq = 0;
    m_historyFinished = false;

    m_settingLog = true;
    m_model->setLog(nullptr);
    m_model->clear();
    m_settingLog = false;

    m_client = new traffic::TapClient(this);
    connect(m_client, &traffic::TapClient::helloReceived, this, [this](const QJsonObject &hello) {
        m_bridge.sessions = int(hello.value("sessions"_L1).toInteger(m_bridge.sessions));
        if (m_bridge.url.isEmpty())
            m_bridge.url = hello.value("url"_L1).toString();
        setState(State::Attached, watchingText());
        emit attached(m_bridge);
    });
    connect(m_client, &traffic::TapClient::eventReceived, this,
            [this](const TrafficEvent &event) { onEvent(event); });
    connect(m_client, &traffic::TapClient::historyEnded, this,
            [this] { m_historyFinished = true; });
    connect(m_client, &traffic::TapClient::eventsDropped, this, &TrafficAttachment::onDropped);
    connect(m_client, &traffic::TapClient::sessionsChanged, this,
            [this](int sessions) { m_bridge.sessions = sessions; });
    connect(m_client, &traffic::TapClient::logCleared, this, [this] {
        // Mirrors a bridge the studio runs itself: clearing its log clears the view.
        if (m_model)
            m_model->clear();
    });
    connect(m_client, &traffic::TapClient::disconnected, this, &TrafficAttachment::onDisconnected);
    connect(m_client, &traffic::TapClient::errorOccurred, this, &TrafficAttachment::onError);

    setState(State::Connecting,
             tr("Connecting to %1 — mcpbridge PID %2…").arg(quotedName(bridge)).arg(bridge.pid));
    m_client->connectToTap(bridge);
}

void TrafficAttachment::detach()
{
    if (!isWatching())
        return;
    closeClient();
    if (m_model)
        m_model->flushPending();
    setState(State::Detached,
             tr("Stopped watching %1 — mcpbridge PID %2 keeps running; the traffic below "
                "arrived before you stopped")
                 .arg(quotedName(m_bridge))
                 .arg(m_bridge.pid));
    emit detached();
}

void TrafficAttachment::closeClient()
{
    if (!m_client)
        return;
    // Our socket only: the bridge notices one listener fewer and goes on serving.
    m_client->disconnect(this);
    m_client->disconnectFromTap();
    m_client->deleteLater();
    m_client = nullptr;
}

QString TrafficAttachment::watchingText() const
{
    QString text = tr("Watching %1 — mcpbridge PID %2").arg(quotedName(m_bridge)).arg(m_bridge.pid);
    if (m_bridge.transport == u"http" && !m_bridge.url.isEmpty())
        text += tr(", HTTP at %1").arg(m_bridge.url);
    else if (!m_bridge.transport.isEmpty())
        text += u", "_s + m_bridge.transport;
    if (m_dropped > 0)
        text
            += u" · "_s
               + (m_dropped == 1
                      ? tr("1 event was skipped because the studio fell behind")
                      : tr("%1 events were skipped because the studio fell behind").arg(m_dropped));
    return text;
}

void TrafficAttachment::setState(State state, const QString &marker)
{
    const bool stateChange = state != m_state;
    m_state = state;
    if (marker != m_marker) {
        m_marker = marker;
        emit markerChanged(marker);
    }
    if (stateChange)
        emit stateChanged(state);
}

void TrafficAttachment::onEvent(const TrafficEvent &event)
{
    ++m_received;
    m_lastSeq = std::max(m_lastSeq, event.seq);
    if (m_model)
        m_model->appendEvent(event);
}

void TrafficAttachment::onDropped(quint64 count)
{
    if (count == 0)
        return;
    m_dropped += count;
    // A row where the gap is, so nobody reads the log as complete, and the marker says so too.
    TrafficEvent note;
    note.kind = traffic::EventKind::Note;
    note.direction = traffic::Direction::Outbound;
    note.seq = m_lastSeq; // sorts right after the last event that arrived
    note.timeMs = QDateTime::currentMSecsSinceEpoch();
    note.transport = m_bridge.transport;
    note.isError = true;
    note.summary
        = count == 1 ? tr("1 event was skipped here because the studio fell behind")
                     : tr("%1 events were skipped here because the studio fell behind").arg(count);
    if (m_model)
        m_model->appendEvent(note);
    if (m_state == State::Attached)
        setState(State::Attached, watchingText());
    emit eventsDropped(count, m_dropped);
}

void TrafficAttachment::onDisconnected()
{
    // Not asked for (closeClient disconnects from the client first): the bridge went away.
    if (m_client) {
        m_client->disconnect(this);
        m_client->deleteLater();
        m_client = nullptr;
    }
    if (m_model)
        m_model->flushPending();
    const QString message = tr("%1 (mcpbridge PID %2) has ended or closed the connection.")
                                .arg(quotedName(m_bridge))
                                .arg(m_bridge.pid);
    setState(State::Ended, tr("%1 — mcpbridge PID %2 has ended; the traffic below is what it sent "
                              "before it stopped")
                               .arg(quotedName(m_bridge))
                               .arg(m_bridge.pid));
    emit lostConnection(message);
}

void TrafficAttachment::onError(const QString &message)
{
    if (m_client && m_client->isConnected()) {
        // A line this version cannot read: skip it, keep watching.
        qCWarning(lcAttachment, "%s", qUtf8Printable(message));
        return;
    }
    if (m_state != State::Connecting)
        return; // a lost connection is reported by onDisconnected
    if (m_client) {
        m_client->disconnect(this);
        m_client->deleteLater();
        m_client = nullptr;
    }
    setState(State::Detached, tr("Could not watch %1: %2").arg(quotedName(m_bridge), message));
    emit attachFailed(message);
}

} // namespace mcpbridge::ui
