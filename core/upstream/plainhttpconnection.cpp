#include "core/upstream/plainhttpconnection.h"

#include <QNetworkProxy>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mcpbridge::upstream {

namespace {

bool hasToken(QByteArrayView value, QByteArrayView token)
{
    for (QByteArrayView part : QByteArray(value.toByteArray()).split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isMethod(const QByteArray &method, const char *name)
{
    return method.compare(name, Qt::CaseInsensitive) == 0;
}

} // namespace

PlainHttpConnection::PlainHttpConnection(PlainHttpClient *client, QString key, const QUrl &url)
    : QObject(client)
    , m_client(client)
    , m_key(std::move(key))
    , m_socket(new QTcpSocket(this))
{
    // Only used when Qt says there is no proxy for this URL: skip the socket's own lookup.
    m_socket->setProxy(QNetworkProxy::NoProxy);
    connect(m_socket, &QTcpSocket::connected, this, &PlainHttpConnection::onConnected);
    connect(m_socket, &QTcpSocket::readyRead, this, &PlainHttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &PlainHttpConnection::onSocketError);
    connect(m_socket, &QTcpSocket::disconnected, this, &PlainHttpConnection::onDisconnected);
    // From the event loop: Qt may report a refused loopback connection from inside
    // connectToHost(), and no reply may finish from inside PlainHttpClient::send().
    QMetaObject::invokeMethod(
        this,
        [this, host = url.host(), port = quint16(url.port(80))] {
            if (!m_closing)
                m_socket->connectToHost(host, port);
        },
        Qt::QueuedConnection);
}

PlainHttpConnection::~PlainHttpConnection() = default;

bool PlainHttpConnection::isReusable() const
{
    return !m_closing && m_state == State::Idle && m_connected
           && m_socket->state() == QAbstractSocket::ConnectedState
           && m_socket->bytesAvailable() == 0 && m_buffer.isEmpty()
           && (!m_idleSince.isValid() || m_idleSince.elapsed() < PlainHttpClient::IdleLimitMs);
}

void PlainHttpConnection::start(PlainHttpReply *reply)
{
    m_reply = reply;
    reply->m_connection = this;
    m_state = State::StatusLine;
    m_anyResponseByte = false;
    m_bodyArrived = false;
    m_headerBytes = 0;
    m_idleSince.invalidate();
    if (m_connected)
        writeRequest();
}

void PlainHttpConnection::dropReply()
{
    m_reply = nullptr;
    m_closing = true;
    m_client->discard(this);
}

void PlainHttpConnection::shutDown()
{
    m_closing = true;
    m_reply = nullptr;
    m_socket->disconnect(this);
    m_socket->abort();
}

void PlainHttpConnection::onConnected()
{
    m_connected = true;
    // The request goes out in one write; do not hold it back for Nagle.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_reply)
        writeRequest();
}

void PlainHttpConnection::writeRequest()
{
    // Compressed answers, decoded here, as QNetworkAccessManager asked for them; an
    // Accept-Encoding the document sets gets the body as it comes (Qt does the same).
    bool encodingGiven = false;
    const QByteArray head
        = serialize(m_reply->m_request, HttpBodyDecoder::acceptEncoding(), &encodingGiven);
    m_reply->m_mayDecode = !encodingGiven && HttpBodyDecoder::available();
    m_socket->write(head);
    m_socket->flush();
    const bool announce = !m_reply->m_requestSent && !m_client->m_sending;
    m_reply->m_requestSent = true;
    if (announce) // not from inside send(): the caller checks isRequestSent() there
        emit m_reply->requestSent();
}

void PlainHttpConnection::onReadyRead()
{
    // Straight into the buffer: readAll() sized a 16 KB array for every answer, read into it,
    // shrank it and copied it here.
    if (const qint64 available = m_socket->bytesAvailable(); available > 0) {
        const qsizetype old = m_buffer.size();
        m_buffer.resize(old + qsizetype(available));
        const qint64 got = m_socket->read(m_buffer.data() + old, available);
        m_buffer.resize(old + qsizetype(std::max<qint64>(got, 0)));
    }
    process();
}

bool PlainHttpConnection::takeLine(QByteArray &line, bool *tooLong)
{
    const qsizetype end = m_buffer.indexOf('\n', m_offset);
    if (end < 0) {
        *tooLong = m_buffer.size() - m_offset > MaxLineBytes;
        return false;
    }
    qsizetype length = end - m_offset;
    if (length > 0 && m_buffer.at(end - 1) == '\r')
        --length;
    *tooLong = length > MaxLineBytes;
    line = m_buffer.mid(m_offset, length);
    m_offset = end + 1;
    return true;
}

void PlainHttpConnection::process()
{
    if (!m_reply) {
        // Bytes on an idle connection answer nothing (a server's farewell): it cannot be reused.
        if (!m_buffer.isEmpty() && !m_closing) {
            m_closing = true;
            m_client->discard(this);
        }
        return;
    }
    if (!m_buffer.isEmpty())
        m_anyResponseByte = true;
    QPointer<PlainHttpConnection> self(this);
    while (m_reply && m_offset < m_buffer.size()) {
        const State before = m_state;
        const qsizetype offsetBefore = m_offset;
        QByteArray line;
        bool tooLong = false;
        switch (m_state) {
        case State::Idle: return;
        case State::StatusLine:
            if (!takeLine(line, &tooLong)) {
                if (tooLong)
                    fail(PlainHttpReply::Error::Protocol, u"The status line is too long."_s);
                break;
            }
            if (line.isEmpty())
                break; // tolerated before a status line
            if (!parseStatusLine(line))
                fail(PlainHttpReply::Error::Protocol,
                     u"The answer does not start with an HTTP/1 status line."_s);
            break;
        case State::Headers:
        case State::Trailers:
            if (!takeLine(line, &tooLong)) {
                if (tooLong)
                    fail(PlainHttpReply::Error::Protocol, u"A header line is too long."_s);
                break;
            }
            m_headerBytes += line.size() + 2;
            if (m_headerBytes > MaxHeaderBytes) {
                fail(PlainHttpReply::Error::Protocol, u"The headers are too large."_s);
                break;
            }
            if (m_state == State::Trailers) {
                if (line.isEmpty())
                    complete();
                break;
            }
            if (line.isEmpty())
                headersDone();
            else
                addHeaderLine(line);
            break;
        case State::Body: takeBody(m_remaining); break;
        case State::ChunkSize: {
            if (!takeLine(line, &tooLong)) {
                if (tooLong)
                    fail(PlainHttpReply::Error::Protocol, u"A chunk size line is too long."_s);
                break;
            }
            const qsizetype semi = line.indexOf(';');
            bool ok = false;
            const QByteArray digits = (semi < 0 ? line : line.left(semi)).trimmed();
            const qint64 size = digits.toLongLong(&ok, 16);
            if (!ok || size < 0 || digits.size() > 15) {
                fail(PlainHttpReply::Error::Protocol, u"A chunk size is not a number."_s);
                break;
            }
            if (size == 0) {
                m_state = State::Trailers;
            } else {
                m_remaining = size;
                m_state = State::ChunkData;
            }
            break;
        }
        case State::ChunkData: takeBody(m_remaining); break;
        case State::ChunkEnd:
            if (!takeLine(line, &tooLong))
                break;
            if (!line.isEmpty())
                fail(PlainHttpReply::Error::Protocol, u"A chunk does not end with CRLF."_s);
            else
                m_state = State::ChunkSize;
            break;
        case State::UntilClose: takeBody(-1); break;
        }
        if (!self)
            return;
        if (m_state == before && m_offset == offsetBefore)
            break; // needs more bytes
    }
    if (m_offset >= m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    } else if (m_offset > 64 * 1024) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    if (m_reply && m_bodyArrived) {
        m_bodyArrived = false;
        emit m_reply->readyRead();
    }
}

bool PlainHttpConnection::parseStatusLine(const QByteArray &line)
{
    // "HTTP/1.1 200 OK"; the reason may be empty or missing.
    if (!line.startsWith("HTTP/1.") || line.size() < 12 || line.at(8) != ' ')
        return false;
    bool ok = false;
    const int status = line.mid(9, 3).toInt(&ok);
    if (!ok || status < 100 || status > 999 || (line.size() > 12 && line.at(12) != ' '))
        return false;
    m_http10 = line.at(7) == '0';
    PlainHttpReply *reply = m_reply;
    reply->m_status = status;
    reply->m_reason = line.size() > 13 ? line.mid(13) : QByteArray();
    m_decoder.reset();
    reply->m_headers.clear();
    reply->m_contentLength = -1;
    m_state = State::Headers;
    return true;
}

void PlainHttpConnection::addHeaderLine(const QByteArray &line)
{
    HeaderList &headers = m_reply->m_headers;
    if ((line.startsWith(' ') || line.startsWith('\t')) && !headers.isEmpty()) {
        headers.last().second += ' ' + line.trimmed(); // obsolete line folding
        return;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return; // not a header; ignored as lenient clients do
    const QByteArray name = line.left(colon).trimmed();
    const QByteArray value = line.mid(colon + 1).trimmed();
    for (auto &[key, existing] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            existing
                += (name.compare("set-cookie", Qt::CaseInsensitive) == 0 ? "\n" : ", ") + value;
            return;
        }
    }
    headers.append({name, value});
}

void PlainHttpConnection::headersDone()
{
    PlainHttpReply *reply = m_reply;
    const int status = reply->m_status;
    if (status >= 100 && status < 200) {
        if (status == 101) {
            fail(PlainHttpReply::Error::Protocol, u"The server switched protocols."_s);
            return;
        }
        m_state = State::StatusLine; // an interim answer (100 Continue ...): the real one follows
        m_headerBytes = 0;
        return;
    }
    const QByteArray connection = reply->header("connection");
    m_keepAlive = m_http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close");
    const QByteArray length = reply->header("content-length");
    bool lengthOk = false;
    const qint64 contentLength = length.trimmed().toLongLong(&lengthOk);
    if (isMethod(reply->m_request.method, "HEAD") || status == 204 || status == 304) {
        m_remaining = 0;
        m_state = State::Body;
    } else if (hasToken(reply->header("transfer-encoding"), "chunked")) {
        m_state = State::ChunkSize;
    } else if (lengthOk && contentLength >= 0) {
        reply->m_contentLength = contentLength;
        m_remaining = contentLength;
        m_state = State::Body;
    } else if (!length.isEmpty()) {
        fail(PlainHttpReply::Error::Protocol, u"The Content-Length header is not a number."_s);
        return;
    } else {
        m_keepAlive = false;
        m_state = State::UntilClose;
    }
    const bool bodyless = m_state == State::Body && m_remaining == 0;
    if (reply->m_mayDecode && !bodyless && m_decoder.start(reply->header("content-encoding"))) {
        // As QNetworkAccessManager does: the length on the wire is not the decoded body's.
        reply->m_headers.removeIf([](const std::pair<QByteArray, QByteArray> &h) {
            return h.first.compare("content-length", Qt::CaseInsensitive) == 0;
        });
        reply->m_contentLength = -1;
    }
    QPointer<PlainHttpConnection> self(this);
    emit reply->metaDataChanged();
    if (self && m_reply && m_state == State::Body && m_remaining == 0)
        complete();
}

void PlainHttpConnection::takeBody(qint64 max)
{
    qsizetype n = m_buffer.size() - m_offset;
    if (max >= 0)
        n = qsizetype(std::min<qint64>(n, max));
    if (n > 0) {
        const qsizetype from = m_offset;
        m_offset += n;
        deliver(m_buffer.constData() + from, n);
        if (!m_reply)
            return; // aborted by its reader, or the encoding was broken
    }
    if (max < 0)
        return;
    m_remaining -= n;
    if (m_remaining > 0)
        return;
    if (m_state == State::ChunkData)
        m_state = State::ChunkEnd;
    else
        complete();
}

void PlainHttpConnection::deliver(const char *data, qsizetype size)
{
    if (!m_decoder.isActive()) {
        m_reply->m_body.append(data, size);
        m_bodyArrived = true;
        return;
    }
    m_decoder.feed(QByteArrayView(data, size));
    QPointer<PlainHttpConnection> self(this);
    for (;;) {
        const qsizetype before = m_reply->m_body.size();
        if (!m_decoder.take(m_reply->m_body, DecodeChunkBytes)) {
            fail(PlainHttpReply::Error::Protocol,
                 u"The compressed answer could not be decoded: %1."_s.arg(m_decoder.errorString()));
            return;
        }
        if (m_reply->m_body.size() == before)
            return;
        m_bodyArrived = true;
        if (m_reply->m_body.size() >= DecodeChunkBytes) {
            // Let the reader take (and perhaps stop at) what came so far before unpacking more:
            // a small compressed body can stand for a huge one.
            m_bodyArrived = false;
            emit m_reply->readyRead();
            if (!self || !m_reply)
                return;
        }
    }
}

void PlainHttpConnection::complete()
{
    PlainHttpReply *reply = m_reply;
    m_reply = nullptr;
    m_state = State::Idle;
    ++m_served;
    const bool extra = m_offset < m_buffer.size();
    m_buffer.clear();
    m_offset = 0;
    const bool reusable = m_keepAlive && !extra && !m_closing
                          && m_socket->state() == QAbstractSocket::ConnectedState;
    m_idleSince.start();
    reply->m_connection = nullptr;
    const bool owed = std::exchange(m_bodyArrived, false);
    // Back to the pool first: a request sent from the finished() handler (a redirect) can
    // take this very connection.
    m_client->release(this, reusable);
    QPointer<PlainHttpReply> guard(reply);
    if (owed)
        emit reply->readyRead();
    if (guard)
        reply->finish(PlainHttpReply::Error::None, {});
}

void PlainHttpConnection::fail(PlainHttpReply::Error error, const QString &message)
{
    PlainHttpReply *reply = m_reply;
    m_reply = nullptr;
    m_closing = true;
    m_state = State::Idle;
    m_client->discard(this);
    if (reply) {
        reply->m_connection = nullptr;
        reply->finish(error, message);
    }
}

void PlainHttpConnection::onSocketError(QAbstractSocket::SocketError error)
{
    closed(error, m_socket->errorString());
}

void PlainHttpConnection::onDisconnected()
{
    closed(QAbstractSocket::RemoteHostClosedError, m_socket->errorString());
}

void PlainHttpConnection::closed(QAbstractSocket::SocketError error, const QString &message)
{
    if (m_closing && !m_reply)
        return;
    // What arrived before the end still counts (it may complete a read-until-close body).
    if (m_socket->bytesAvailable() > 0) {
        QPointer<PlainHttpConnection> self(this);
        onReadyRead();
        if (!self || (m_closing && !m_reply))
            return;
    }
    m_socket->disconnect(this);
    PlainHttpReply *reply = m_reply;
    if (!reply) {
        m_closing = true;
        m_client->discard(this); // an idle connection the server closed
        return;
    }
    if (m_state == State::UntilClose && error == QAbstractSocket::RemoteHostClosedError) {
        m_keepAlive = false;
        complete();
        return;
    }
    // A kept-alive connection the server had already closed: the request never got an answer,
    // so it goes out once more on a new connection, as Qt does.
    if (m_served > 0 && !m_anyResponseByte && !reply->m_resent) {
        m_reply = nullptr;
        m_closing = true;
        m_client->discard(this);
        reply->m_resent = true;
        reply->m_connection = nullptr;
        if (m_client->m_destroying)
            return;
        m_client->dispatch(reply, true);
        return;
    }
    using E = PlainHttpReply::Error;
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError: fail(E::ConnectionRefused, message); break;
    case QAbstractSocket::HostNotFoundError: fail(E::HostNotFound, message); break;
    case QAbstractSocket::RemoteHostClosedError: fail(E::ConnectionClosed, message); break;
    default: fail(E::Network, message); break;
    }
}

} // namespace mcpbridge::upstream
