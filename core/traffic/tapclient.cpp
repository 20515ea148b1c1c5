#include "core/traffic/tapclient.h"

#include <QJsonDocument>
#include <QLocalSocket>

using namespace Qt::StringLiterals;

namespace mcpbridge::traffic {

namespace {

// One event line holds at most a capped upstream body and its request; anything far larger is
// not a tap talking.
constexpr qsizetype MaxLineBytes = 64 * 1024 * 1024;

} // namespace

TapClient::TapClient(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<mcpbridge::traffic::TrafficEvent>();
}

TapClient::~TapClient()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void TapClient::connectToTap(const TapInfo &info)
{
    connectToSocket(info.socket);
}

void TapClient::connectToSocket(const QString &socketPath)
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_socketPath = socketPath;
    m_buffer.clear();
    m_hello = {};
    m_historyFinished = false;
    m_connected = false;
    m_events = 0;
    m_dropped = 0;

    m_socket = new QLocalSocket(this);
    connect(m_socket, &QLocalSocket::readyRead, this, &TapClient::onReadyRead);
    connect(m_socket, &QLocalSocket::connected, this, [this] { m_connected = true; });
    connect(m_socket, &QLocalSocket::disconnected, this, [this] {
        // Lines that arrived together with the end of the stream are still ours.
        onReadyRead();
        const bool was = m_connected;
        m_connected = false;
        if (was)
            emit disconnected();
    });
    connect(
        m_socket, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError error) {
            if (m_connected && error == QLocalSocket::PeerClosedError)
                return; // disconnected() says it
            QString message;
            switch (error) {
            case QLocalSocket::ServerNotFoundError:
            case QLocalSocket::ConnectionRefusedError:
                message = u"The bridge is not running any more (nothing answers at %1)."_s.arg(
                    m_socketPath);
                break;
            case QLocalSocket::SocketAccessError:
                message
                    = u"Not allowed to open %1: it belongs to another user."_s.arg(m_socketPath);
                break;
            default:
                message = u"Lost the connection to the bridge: %1."_s.arg(m_socket->errorString());
            }
            emit errorOccurred(message);
            if (m_connected) {
                m_connected = false;
                emit disconnected();
            }
        });
    m_socket->connectToServer(socketPath);
}

void TapClient::disconnectFromTap()
{
    if (m_socket)
        m_socket->disconnectFromServer();
}

bool TapClient::isConnected() const
{
    return m_connected;
}

void TapClient::onReadyRead()
{
    if (!m_socket)
        return;
    m_buffer += m_socket->readAll();
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_buffer.indexOf('\n', start);
        if (nl < 0)
            break;
        const QByteArray line = m_buffer.mid(start, nl - start);
        start = nl + 1;
        if (!line.trimmed().isEmpty())
            handleLine(line);
        if (!m_socket) // a slot disconnected us
            return;
    }
    m_buffer.remove(0, start);
    if (m_buffer.size() > MaxLineBytes) {
        m_buffer.clear();
        emit errorOccurred(u"The bridge sent a line longer than 64 MB; stopped listening."_s);
        m_socket->abort();
    }
}

void TapClient::handleLine(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        emit errorOccurred(u"The bridge sent a line that is not a JSON object: %1"_s.arg(
            QString::fromUtf8(line.left(200))));
        return;
    }
    const QJsonObject o = doc.object();
    const QString type = o.value("type"_L1).toString();
    if (type == "event"_L1) {
        const QJsonObject json = o.value("event"_L1).toObject();
        const std::optional<TrafficEvent> event = TrafficEvent::fromJson(json);
        if (!event) {
            emit errorOccurred(u"The bridge sent an event this version cannot read: %1"_s.arg(
                QString::fromUtf8(line.left(200))));
            return;
        }
        ++m_events;
        emit eventReceived(*event, json);
    } else if (type == "hello"_L1) {
        m_hello = o;
        emit helloReceived(o);
    } else if (type == "historyEnd"_L1) {
        m_historyFinished = true;
        emit historyEnded();
    } else if (type == "dropped"_L1) {
        const quint64 count = quint64(o.value("count"_L1).toInteger());
        m_dropped += count;
        emit eventsDropped(count);
    } else if (type == "status"_L1) {
        m_hello.insert("sessions"_L1, o.value("sessions"_L1));
        emit sessionsChanged(int(o.value("sessions"_L1).toInteger()));
    } else if (type == "cleared"_L1) {
        emit logCleared();
    }
    // Unknown types come from a newer bridge: ignore them, like unknown JSON fields.
}

} // namespace mcpbridge::traffic
