#pragma once

// MCP over stdio: newline-delimited JSON-RPC on stdin/stdout, one session ("stdio"). Used by
// `mcpbridge serve --stdio` (Claude Desktop and other clients start the bridge as a child
// process) and by the studio's stdio runner. Nothing but protocol is ever written to stdout.

#include "core/jsonrpc/message.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <memory>
#include <optional>

class QSocketNotifier;
class QTimer;

namespace mcpbridge::mcp {
class McpServer;
class Session;
} // namespace mcpbridge::mcp

namespace mcpbridge::transport {

class StdioTransport : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype DefaultMaxLineBytes = 16 * 1024 * 1024;
    static constexpr int DefaultDrainTimeoutMs = 10000;

    // `inputFd`/`outputFd` default to stdin/stdout; tests pass the ends of pipes. The transport
    // does not close them.
    explicit StdioTransport(mcp::McpServer *server, int inputFd = 0, int outputFd = 1,
                            QObject *parent = nullptr);
    ~StdioTransport() override;

    // Creates the session and starts reading. Call once.
    void start();

    mcp::Session *session() const;
    QString sessionId() const;

    // A line longer than this is discarded with an error response (default 16 MB).
    void setMaxLineBytes(qsizetype bytes) { m_maxLineBytes = bytes; }
    // After end of input, how long requests still running may take to answer (default 10 s).
    void setDrainTimeoutMs(int ms) { m_drainTimeoutMs = ms; }

    bool isFinished() const { return m_finished; }

signals:
    // End of input (after the answers still running were written), or the client closed
    // our output. `mcpbridge serve --stdio` exits 0 on it.
    void finished();

private:
    struct Batch;

    void readAvailable();
    void processBuffer();
    void processLine(QByteArray line);
    void processBatch(const jsonrpc::Payload &payload, const QByteArray &line);
    void rejectLine(const jsonrpc::ParseFailure &failure, const QByteArray &line);
    void deliver(const jsonrpc::Message &message, const std::optional<jsonrpc::Id> &relatedTo);
    void writeMessage(const jsonrpc::Message &message);
    void writeLine(QByteArray bytes);
    void endOfInput();
    void maybeFinish();
    void finish();
    bool batchesAllowed() const;

    QPointer<mcp::McpServer> m_server;
    QPointer<mcp::Session> m_session;
    QString m_sessionId;
    int m_inputFd;
    int m_outputFd;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_drainTimer = nullptr;
    QByteArray m_buffer;
    qsizetype m_scanned = 0;     // bytes of m_buffer already known to hold no newline
    qsizetype m_discarding = -1; // >= 0: bytes dropped of a line that is too long
    qsizetype m_maxLineBytes = DefaultMaxLineBytes;
    int m_drainTimeoutMs = DefaultDrainTimeoutMs;
    QSet<QString> m_inFlight; // ids (idToText) of client requests not answered yet
    QHash<QString, std::shared_ptr<Batch>> m_batchByRequest;
    bool m_eof = false;
    bool m_outputClosed = false;
    bool m_finished = false;
};

} // namespace mcpbridge::transport
