#pragma once

// One HTTP response written straight to a QHttpServer connection: either a whole body, or a
// chunked text/event-stream that stays open (QHttpServer 6.4 frames neither for us). Every
// write is guarded: a client that went away is simply dropped. Used by StreamableHttpTransport.

#include <QByteArray>
#include <QList>
#include <QPointer>
#include <QTcpSocket>

#include <utility>

namespace mcpbridge::transport {

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

class HttpReply
{
public:
    explicit HttpReply(QTcpSocket *socket);

    QTcpSocket *socket() const { return m_socket; }
    bool isConnected() const;
    bool hasStarted() const { return m_state != State::Idle; }
    bool isStreaming() const { return m_state == State::Streaming; }
    bool isFinished() const { return m_state == State::Finished; }

    // A complete response with Content-Length. `contentType` empty: no body headers at all.
    void send(int status, const QByteArray &contentType, const QByteArray &body,
              const HttpHeaders &headers = {});
    // Status line and headers of a chunked text/event-stream; then write() and end().
    void beginEventStream(const HttpHeaders &headers = {});
    // One chunk of the stream (ignored when empty: an empty chunk would end it).
    void write(const QByteArray &bytes);
    // The last chunk. The connection stays open for the client's next request.
    void end();

    static QByteArray reasonPhrase(int status);

private:
    enum class State { Idle, Streaming, Finished };
    void writeHead(int status, const HttpHeaders &headers);

    QPointer<QTcpSocket> m_socket;
    State m_state = State::Idle;
};

// Server-sent event framing (the "message" event of MCP, comments, the priming event).
namespace sse {
QByteArray event(const QByteArray &id, const QByteArray &data,
                 const QByteArray &type = QByteArrayLiteral("message"));
// An event with an id and empty data, and the client's reconnection delay: lets a client
// resume (SEP-1699) before the first real message arrives.
QByteArray priming(const QByteArray &id, int retryMs);
QByteArray comment(const QByteArray &text);
} // namespace sse

} // namespace mcpbridge::transport
