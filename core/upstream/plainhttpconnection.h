#pragma once

// One TCP connection of PlainHttpClient: writes a request, reads its answer (status line,
// headers, then a body framed by Content-Length, chunked or the end of the connection) into the
// PlainHttpReply, and tells the client whether it can carry another request. Private to
// PlainHttpClient.

#include "core/upstream/httpbodydecoder.h"
#include "core/upstream/plainhttpclient.h"

#include <QElapsedTimer>
#include <QTcpSocket>

namespace mcpbridge::upstream {

class PlainHttpConnection : public QObject
{
    Q_OBJECT
public:
    // Longest status or header line, and all header lines together.
    static constexpr qsizetype MaxLineBytes = 64 * 1024;
    static constexpr qsizetype MaxHeaderBytes = 256 * 1024;
    // Decoded bytes handed to the reader at a time.
    static constexpr qsizetype DecodeChunkBytes = 256 * 1024;

    PlainHttpConnection(PlainHttpClient *client, QString key, const QUrl &url);
    ~PlainHttpConnection() override;

    const QString &key() const { return m_key; }
    // Idle, still open, nothing unexpected from the server, not idle for too long.
    bool isReusable() const;
    // Takes the reply and sends its request (now when connected, else once connected).
    void start(PlainHttpReply *reply);
    // The reply goes away unfinished: the connection closes; the client discards it.
    void dropReply();
    // Closes the socket without telling anyone (the client is going away).
    void shutDown();
    // The request on the wire: request line, the caller's headers (less the framing ones),
    // Host and `acceptEncoding` unless the caller set them, Content-Length, body. Says in
    // `encodingGiven` whether the caller set Accept-Encoding. (plainhttprequest.cpp)
    static QByteArray serialize(const PlainHttpRequest &request, const QByteArray &acceptEncoding,
                                bool *encodingGiven);
    // True only the first time: the client counts each connection out once.
    bool markDiscarded() { return !std::exchange(m_discarded, true); }

private:
    enum class State {
        Idle,
        StatusLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkEnd,
        Trailers,
        UntilClose
    };

    void onConnected();
    void onReadyRead();
    void onSocketError(QAbstractSocket::SocketError error);
    void onDisconnected();
    void writeRequest();
    void process();
    bool takeLine(QByteArray &line, bool *tooLong);
    bool parseStatusLine(const QByteArray &line);
    void addHeaderLine(const QByteArray &line);
    void headersDone();
    void takeBody(qint64 max);
    void deliver(const char *data, qsizetype size);
    void complete();
    void fail(PlainHttpReply::Error error, const QString &message);
    void closed(QAbstractSocket::SocketError error, const QString &message);

    PlainHttpClient *m_client;
    QString m_key;
    QTcpSocket *m_socket;
    QPointer<PlainHttpReply> m_reply;
    QByteArray m_buffer;
    HttpBodyDecoder m_decoder; // of the current answer's Content-Encoding
    qsizetype m_offset = 0;    // parsed up to here in m_buffer
    State m_state = State::Idle;
    qint64 m_remaining = 0; // body or chunk bytes still to come
    qsizetype m_headerBytes = 0;
    bool m_http10 = false;
    bool m_keepAlive = true;
    bool m_bodyArrived = false;     // readyRead owed to the reply
    bool m_anyResponseByte = false; // for this request
    bool m_connected = false;
    bool m_closing = false;
    bool m_discarded = false;
    int m_served = 0; // answers completed on this connection
    QElapsedTimer m_idleSince;
};

} // namespace mcpbridge::upstream
