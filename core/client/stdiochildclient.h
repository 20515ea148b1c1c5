#pragma once

// An MCP client of a bridge running as a child process (`mcpbridge serve --stdio --config FILE`):
// newline-delimited JSON-RPC on the child's stdin/stdout, its stderr kept for error messages.
// Used by the studio to run a bridge exactly as Claude Desktop would. The child never outlives
// the client: stop() and the destructor end it.

#include "core/client/mcpclient.h"

#include <QByteArray>
#include <QProcess>
#include <QStringList>

namespace mcpbridge::client {

class StdioChildClient : public McpClient
{
    Q_OBJECT
public:
    static constexpr int StderrLines = 50;

    // Starts `program` with `arguments` and the handshake; ready() or closed() follows (also
    // when the program cannot be started: closed() comes from the event loop then).
    StdioChildClient(const QString &program, const QStringList &arguments,
                     QObject *parent = nullptr);
    ~StdioChildClient() override;

    QString sessionId() const override { return QStringLiteral("stdio"); }
    QString transportName() const override { return QStringLiteral("stdio"); }

    QString program() const;
    // The child's process id; 0 when it is not running.
    qint64 processId() const;
    bool isRunning() const;
    // The last lines the child wrote to stderr (at most StderrLines), oldest first.
    QStringList stderrTail() const { return m_stderrLines; }
    // Ends the child: closes its stdin (a bridge exits on end of input), waits briefly, then
    // terminates and finally kills it. Returns when the child is gone; closed() is emitted.
    void stop();

protected:
    void sendMessage(const jsonrpc::Message &message) override;
    void shutdown() override;

private:
    void readStdout();
    void readStderr();
    void keepStderrLine(const QByteArray &line);
    void onError(QProcess::ProcessError error);
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void reportClosed(const QString &why);
    QString lastStderrLine() const;
    void endProcess();

    QProcess *m_process = nullptr;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QStringList m_stderrLines;
    bool m_stopping = false;
    bool m_constructing = true;
    QString m_deferredWhy; // a failure seen while the constructor ran
};

} // namespace mcpbridge::client
