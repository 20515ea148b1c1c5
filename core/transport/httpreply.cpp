#include "core/transport/httpreply.h"

namespace mcpbridge::transport {

HttpReply::HttpReply(QTcpSocket *socket)
    : m_socket(socket)
{}

bool HttpReply::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState && m_socket->isOpen();
}

QByteArray HttpReply::reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: break;
    }
    return status < 400 ? QByteArrayLiteral("OK") : QByteArrayLiteral("Error");
}

void HttpReply::writeHead(int status, const HttpHeaders &headers)
{
    QByteArray head
        = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        head += name + ": " + value + "\r\n";
    m_socket->write(head);
}

void HttpReply::send(int status, const QByteArray &contentType, const QByteArray &body,
                     const HttpHeaders &headers)
{
    if (m_state != State::Idle)
        return;
    m_state = State::Finished;
    if (!isConnected())
        return;
    HttpHeaders all = headers;
    if (!contentType.isEmpty())
        all.emplaceBack("Content-Type", contentType);
    // 204 must not carry a body nor a length (RFC 9110 8.6).
    if (status != 204)
        all.emplaceBack("Content-Length", QByteArray::number(body.size()));
    writeHead(status, all);
    m_socket->write("\r\n");
    if (status != 204 && !body.isEmpty())
        m_socket->write(body);
}

void HttpReply::beginEventStream(const HttpHeaders &headers)
{
    if (m_state != State::Idle)
        return;
    m_state = State::Streaming;
    if (!isConnected())
        return;
    HttpHeaders all = headers;
    all.emplaceBack("Content-Type", "text/event-stream");
    all.emplaceBack("Cache-Control", "no-cache, no-transform");
    all.emplaceBack("Transfer-Encoding", "chunked");
    writeHead(200, all);
    m_socket->write("\r\n");
}

void HttpReply::write(const QByteArray &bytes)
{
    if (m_state != State::Streaming || bytes.isEmpty() || !isConnected())
        return;
    m_socket->write(QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n");
}

void HttpReply::end()
{
    if (m_state != State::Streaming)
        return;
    m_state = State::Finished;
    if (isConnected())
        m_socket->write("0\r\n\r\n");
}

namespace sse {

QByteArray event(const QByteArray &id, const QByteArray &data, const QByteArray &type)
{
    QByteArray out;
    if (!id.isEmpty())
        out += "id: " + id + '\n';
    if (!type.isEmpty())
        out += "event: " + type + '\n';
    // Compact JSON has no newlines, but a data line must never contain one.
    for (const QByteArray &line : data.split('\n'))
        out += "data: " + line + '\n';
    out += '\n';
    return out;
}

QByteArray priming(const QByteArray &id, int retryMs)
{
    QByteArray out = "id: " + id + '\n';
    if (retryMs > 0)
        out += "retry: " + QByteArray::number(retryMs) + '\n';
    out += "data: \n\n";
    return out;
}

QByteArray comment(const QByteArray &text)
{
    return ": " + text + "\n\n";
}

} // namespace sse

} // namespace mcpbridge::transport
