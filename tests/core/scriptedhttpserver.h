#pragma once

// A server on 127.0.0.1 whose HTTP answers a test writes byte for byte: for the framings and
// failures FixtureUpstream does not serve (finite chunked bodies, a close mid-answer, a kept-alive
// connection dropped, redirects). Used by tst_plainhttpclient and tst_plainhttpinvoker.

#include <QHostAddress>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>
#include <memory>

namespace mcpbridge::testing {

using namespace Qt::StringLiterals;

// `handler` gets each complete request head (its body, per Content-Length, is read and dropped)
// with the number of the connection (from 0) and of the request on that connection (from 0).
class ScriptedServer
{
public:
    using Handler
        = std::function<void(QTcpSocket *, int connection, int request, const QByteArray &head)>;

    explicit ScriptedServer(Handler handler)
        : m_handler(std::move(handler))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                accept(socket);
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString base() const { return u"http://127.0.0.1:%1"_s.arg(m_server.serverPort()); }
    int connections() const { return m_connections; }
    QList<QByteArray> heads() const { return m_heads; }

private:
    void accept(QTcpSocket *socket)
    {
        const int connection = m_connections++;
        auto buffer = std::make_shared<QByteArray>();
        auto served = std::make_shared<int>(0);
        QObject::connect(
            socket, &QTcpSocket::readyRead, socket, [this, socket, connection, buffer, served] {
                *buffer += socket->readAll();
                for (;;) {
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    const QByteArray head = buffer->left(end);
                    qsizetype length = 0;
                    const qsizetype at = head.toLower().indexOf("content-length:");
                    if (at >= 0)
                        length = head.mid(at + 15).split('\r').first().trimmed().toInt();
                    if (buffer->size() < end + 4 + length)
                        return;
                    buffer->remove(0, end + 4 + length);
                    m_heads.append(head);
                    m_handler(socket, connection, (*served)++, head);
                    if (socket->state() != QAbstractSocket::ConnectedState)
                        return;
                }
            });
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

    QTcpServer m_server;
    Handler m_handler;
    int m_connections = 0;
    QList<QByteArray> m_heads;
};

// A complete 200 text/plain answer with Content-Length.
inline QByteArray answer(const QByteArray &body, const QByteArray &extra = {})
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
           + QByteArray::number(body.size()) + "\r\n" + extra + "\r\n" + body;
}

} // namespace mcpbridge::testing
