#include "core/transport/stdiotransport.h"

#include "core/mcp/mcpserver.h"
#include "core/mcp/session.h"
#include "core/transport/invalidtraffic.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace mcpbridge::transport {

Q_LOGGING_CATEGORY(lcStdio, "mcpbridge.stdio")

namespace {

constexpr qsizetype ReadChunk = 64 * 1024;
const QString Transport = u"stdio"_s;

QString sizeText(qsizetype bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return u"%1 MB"_s.arg(bytes / (1024 * 1024));
    if (bytes >= 1024 && bytes % 1024 == 0)
        return u"%1 KB"_s.arg(bytes / 1024);
    return u"%1 bytes"_s.arg(bytes);
}

} // namespace

// The members of one JSON array line: their responses go back as one array, in one line.
struct StdioTransport::Batch
{
    QSet<QString> waiting; // request ids not answered yet
    QJsonArray responses;
    bool dispatching = true; // still handing members to the server
};

StdioTransport::StdioTransport(mcp::McpServer *server, int inputFd, int outputFd, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_inputFd(inputFd)
    , m_outputFd(outputFd)
{}

StdioTransport::~StdioTransport()
{
    if (m_server && m_session)
        m_server->closeSession(m_session);
}

void StdioTransport::start()
{
    if (m_notifier || !m_server)
        return;
    // A client that goes away while we write must not kill the bridge: EPIPE is handled below.
    std::signal(SIGPIPE, SIG_IGN);

    m_session = m_server->createSession(Transport, Transport);
    if (!m_session) // an earlier stdio session still exists (a second transport on one server)
        m_session = m_server->createSession(Transport);
    m_sessionId = m_session ? m_session->id() : Transport;
    if (m_session) {
        m_session->setWritesBytesOnly(true); // deliver() writes message.serialize() only
        connect(m_session, &mcp::Session::send, this, &StdioTransport::deliver);
        connect(m_session, &mcp::Session::requestAbandoned, this, [this](const jsonrpc::Id &id) {
            m_inFlight.remove(jsonrpc::idToText(id));
            maybeFinish();
        });
    }

    m_drainTimer = new QTimer(this);
    m_drainTimer->setSingleShot(true);
    connect(m_drainTimer, &QTimer::timeout, this, [this] {
        qCWarning(lcStdio) << "End of input: gave up waiting for" << m_inFlight.size()
                           << "request(s) still running";
        finish();
    });

    m_notifier = new QSocketNotifier(m_inputFd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StdioTransport::readAvailable);
}

mcp::Session *StdioTransport::session() const
{
    return m_session;
}

QString StdioTransport::sessionId() const
{
    return m_sessionId;
}

void StdioTransport::readAvailable()
{
    char chunk[ReadChunk];
    const ssize_t n = ::read(m_inputFd, chunk, sizeof chunk);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        qCWarning(lcStdio) << "Cannot read standard input:" << std::strerror(errno);
        endOfInput();
        return;
    }
    if (n == 0) {
        endOfInput();
        return;
    }
    m_buffer.append(chunk, n);
    processBuffer();
}

void StdioTransport::processBuffer()
{
    qsizetype start = 0;
    while (true) {
        const qsizetype newline = m_buffer.indexOf('\n', std::max(start, m_scanned));
        if (newline < 0)
            break;
        if (m_discarding >= 0) {
            qCWarning(lcStdio) << "Discarded a line of" << (m_discarding + newline - start)
                               << "bytes (over the limit)";
            m_discarding = -1;
        } else {
            processLine(m_buffer.mid(start, newline - start));
        }
        start = newline + 1;
        m_scanned = 0;
        if (m_finished)
            return;
    }
    if (start > 0)
        m_buffer.remove(0, start);
    m_scanned = m_buffer.size();

    if (m_discarding >= 0) {
        m_discarding += m_buffer.size();
        m_buffer.clear();
        m_scanned = 0;
    } else if (m_buffer.size() > m_maxLineBytes) {
        // Answer now: the rest of the line may take long to arrive, or never end.
        const QString message
            = u"The message is larger than %1, the limit for one line on stdio. It was "
              "discarded; send smaller messages (one JSON-RPC message per line)."_s.arg(
                  sizeText(m_maxLineBytes));
        recordInvalid(m_server ? m_server->trafficLog() : nullptr,
                      {m_sessionId, Transport, message, m_buffer.left(MaxRecordedBody)});
        qCWarning(lcStdio).noquote() << message;
        writeMessage(
            jsonrpc::Message::errorResponse(std::nullopt, jsonrpc::InvalidRequest, message));
        m_discarding = m_buffer.size();
        m_buffer.clear();
        m_scanned = 0;
    }
}

void StdioTransport::processLine(QByteArray line)
{
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.trimmed().isEmpty())
        return;
    if (!m_server || !m_session) {
        qCWarning(lcStdio) << "No session: a line from standard input was dropped";
        return;
    }

    const jsonrpc::Payload payload = jsonrpc::parsePayload(line);
    if (payload.isBatch) {
        processBatch(payload, line);
        return;
    }
    if (payload.messages.isEmpty())
        return;
    const auto &parsed = payload.messages.constFirst();
    if (!parsed) {
        rejectLine(parsed.error(), line);
        return;
    }
    const jsonrpc::Message &message = *parsed;
    if (message.isRequest() && message.id)
        m_inFlight.insert(jsonrpc::idToText(*message.id));
    m_server->receive(m_session, message);
}

void StdioTransport::processBatch(const jsonrpc::Payload &payload, const QByteArray &line)
{
    if (!batchesAllowed()) {
        const QString version = m_session->protocolVersion();
        const QString message
            = version.isEmpty()
                  ? u"Batches (a JSON array of messages on one line) are not accepted before "
                    "initialize, and were removed in protocol version 2025-06-18. Send one "
                    "message per line."_s
                  : u"Batches (a JSON array of messages on one line) are not allowed with protocol "
                    "version %1 (they were removed in 2025-06-18). Send one message per line."_s
                        .arg(version);
        rejectLine(jsonrpc::ParseFailure{{jsonrpc::InvalidRequest, message, QJsonValue::Undefined},
                                         std::nullopt},
                   line);
        return;
    }

    auto batch = std::make_shared<Batch>();
    QList<jsonrpc::Message> messages;
    for (const auto &entry : payload.messages) {
        if (!entry) {
            recordInvalid(m_server->trafficLog(),
                          {m_sessionId, Transport,
                           u"Unreadable batch member: "_s + entry.error().error.message, line});
            batch->responses.append(entry.error().toResponse().toJson());
            continue;
        }
        if (entry->isRequest() && entry->id) {
            const QString key = jsonrpc::idToText(*entry->id);
            batch->waiting.insert(key);
            m_batchByRequest.insert(key, batch);
            m_inFlight.insert(key);
        }
        messages.append(*entry);
    }
    for (const jsonrpc::Message &message : std::as_const(messages)) {
        if (!m_server || !m_session)
            return;
        m_server->receive(m_session, message);
    }
    batch->dispatching = false;
    if (batch->waiting.isEmpty() && !batch->responses.isEmpty())
        writeLine(QJsonDocument(batch->responses).toJson(QJsonDocument::Compact));
}

void StdioTransport::rejectLine(const jsonrpc::ParseFailure &failure, const QByteArray &line)
{
    qCInfo(lcStdio).noquote() << "Rejected a line from the client:" << failure.error.message;
    const jsonrpc::Message reply = failure.toResponse();
    traffic::TrafficLog *log = m_server ? m_server->trafficLog() : nullptr;
    recordInvalid(log, {m_sessionId, Transport, failure.error.message, line});
    recordTransportReply(log, m_sessionId, Transport, reply);
    writeMessage(reply);
}

bool StdioTransport::batchesAllowed() const
{
    const QString version = m_session ? m_session->protocolVersion() : QString();
    return !version.isEmpty() && version < "2025-06-18"_L1;
}

void StdioTransport::deliver(const jsonrpc::Message &message,
                             const std::optional<jsonrpc::Id> &relatedTo)
{
    Q_UNUSED(relatedTo); // one stream: everything goes to stdout in order
    if (message.isResponse() && message.id) {
        const QString key = jsonrpc::idToText(*message.id);
        m_inFlight.remove(key);
        if (const auto batch = m_batchByRequest.take(key)) {
            batch->responses.append(message.toJson());
            batch->waiting.remove(key);
            if (batch->waiting.isEmpty() && !batch->dispatching)
                writeLine(QJsonDocument(batch->responses).toJson(QJsonDocument::Compact));
            maybeFinish();
            return;
        }
    }
    writeMessage(message);
    maybeFinish();
}

void StdioTransport::writeMessage(const jsonrpc::Message &message)
{
    writeLine(message.serialize());
}

void StdioTransport::writeLine(QByteArray bytes)
{
    if (m_outputClosed)
        return;
    bytes.append('\n');
    const char *data = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(m_outputFd, data, size_t(left));
        if (n >= 0) {
            data += n;
            left -= n;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            // Someone made our output non-blocking: wait until the client reads.
            pollfd pfd{m_outputFd, POLLOUT, 0};
            ::poll(&pfd, 1, 1000);
            continue;
        }
        qCWarning(lcStdio) << "Cannot write to standard output (the client is gone?):"
                           << std::strerror(errno);
        m_outputClosed = true;
        QTimer::singleShot(0, this, &StdioTransport::finish);
        return;
    }
}

void StdioTransport::endOfInput()
{
    if (m_eof)
        return;
    m_eof = true;
    if (m_notifier)
        m_notifier->setEnabled(false);
    // A last line without a newline still counts.
    if (m_discarding < 0 && !m_buffer.isEmpty()) {
        QByteArray last = std::exchange(m_buffer, {});
        m_scanned = 0;
        processLine(std::move(last));
    }
    m_buffer.clear();
    if (!m_inFlight.isEmpty()) {
        qCInfo(lcStdio) << "End of input; waiting for" << m_inFlight.size()
                        << "request(s) still running";
        m_drainTimer->start(m_drainTimeoutMs);
    }
    maybeFinish();
}

void StdioTransport::maybeFinish()
{
    if (m_eof && m_inFlight.isEmpty() && !m_finished)
        QTimer::singleShot(0, this, &StdioTransport::finish);
}

void StdioTransport::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_notifier)
        m_notifier->setEnabled(false);
    if (m_drainTimer)
        m_drainTimer->stop();
    emit finished();
}

} // namespace mcpbridge::transport
