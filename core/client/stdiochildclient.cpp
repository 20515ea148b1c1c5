#include "core/client/stdiochildclient.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace mcpbridge::client {

Q_LOGGING_CATEGORY(lcChild, "mcpbridge.client.stdio")

namespace {

// How long each step of stop() waits for the child: end of input, then SIGTERM, then SIGKILL.
constexpr int EndOfInputWaitMs = 2000;
constexpr int TerminateWaitMs = 2000;
constexpr int KillWaitMs = 3000;
// Like the bridge's own limit for what it reads (StdioTransport::DefaultMaxLineBytes).
constexpr qsizetype MaxLineBytes = 64 * 1024 * 1024;

} // namespace

StdioChildClient::StdioChildClient(const QString &program, const QStringList &arguments,
                                   QObject *parent)
    : McpClient(parent)
    , m_process(new QProcess(this))
{
    m_process->setProgram(program);
    m_process->setArguments(arguments);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &StdioChildClient::readStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &StdioChildClient::readStderr);
    connect(m_process, &QProcess::errorOccurred, this, &StdioChildClient::onError);
    connect(m_process, &QProcess::finished, this, &StdioChildClient::onFinished);
    m_process->start(QIODevice::ReadWrite);
    // The request is buffered until the child runs; if it never does, closed() says why.
    startHandshake();
    m_constructing = false;
    if (!m_deferredWhy.isEmpty()) {
        QTimer::singleShot(0, this, [this] { connectionClosed(m_deferredWhy); });
    }
}

StdioChildClient::~StdioChildClient()
{
    forgetCalls();
    disconnect(m_process, nullptr, this, nullptr);
    endProcess();
}

QString StdioChildClient::program() const
{
    return m_process->program();
}

qint64 StdioChildClient::processId() const
{
    return m_process->processId();
}

bool StdioChildClient::isRunning() const
{
    return m_process->state() != QProcess::NotRunning;
}

void StdioChildClient::stop()
{
    close();
}

void StdioChildClient::shutdown()
{
    m_stopping = true;
    endProcess();
}

void StdioChildClient::endProcess()
{
    if (m_process->state() == QProcess::NotRunning)
        return;
    if (m_process->state() == QProcess::Starting)
        m_process->waitForStarted(KillWaitMs);
    m_process->closeWriteChannel();
    if (m_process->waitForFinished(EndOfInputWaitMs))
        return;
    qCInfo(lcChild) << "The bridge did not exit after end of input; terminating it";
    m_process->terminate();
    if (m_process->waitForFinished(TerminateWaitMs))
        return;
    qCWarning(lcChild) << "The bridge did not exit when asked to; killing it";
    m_process->kill();
    m_process->waitForFinished(KillWaitMs);
}

void StdioChildClient::sendMessage(const jsonrpc::Message &message)
{
    if (m_process->state() == QProcess::NotRunning && !m_constructing)
        return;
    m_process->write(message.serialize() + '\n');
}

void StdioChildClient::readStdout()
{
    m_stdout += m_process->readAllStandardOutput();
    qsizetype start = 0;
    for (qsizetype end = m_stdout.indexOf('\n'); end >= 0; end = m_stdout.indexOf('\n', start)) {
        const QByteArray line = m_stdout.mid(start, end - start).trimmed();
        start = end + 1;
        if (line.isEmpty())
            continue;
        auto message = jsonrpc::parse(line);
        if (!message) {
            qCWarning(lcChild) << "The bridge wrote a line that is not JSON-RPC:"
                               << message.error().error.message;
            continue;
        }
        handleMessage(*message);
        if (isClosed() && m_process->state() == QProcess::NotRunning)
            break;
    }
    m_stdout.remove(0, start);
    if (m_stdout.size() > MaxLineBytes) {
        m_stdout.clear();
        qCWarning(lcChild) << "The bridge wrote a line longer than" << MaxLineBytes << "bytes";
        const QString why = u"The bridge sent a message larger than %1 MB, which the studio does "
                            "not read; it was stopped."_s.arg(MaxLineBytes / (1024 * 1024));
        QPointer<StdioChildClient> self(this);
        connectionClosed(why); // before shutdown(), whose "was stopped" would come first
        if (self)
            shutdown();
    }
}

void StdioChildClient::readStderr()
{
    m_stderr += m_process->readAllStandardError();
    qsizetype start = 0;
    for (qsizetype end = m_stderr.indexOf('\n'); end >= 0; end = m_stderr.indexOf('\n', start)) {
        keepStderrLine(m_stderr.mid(start, end - start));
        start = end + 1;
    }
    m_stderr.remove(0, start);
    // A child that writes endlessly without a newline must not grow this without bound.
    if (m_stderr.size() > 64 * 1024) {
        keepStderrLine(m_stderr);
        m_stderr.clear();
    }
}

void StdioChildClient::keepStderrLine(const QByteArray &line)
{
    QString text = QString::fromUtf8(line);
    if (text.endsWith(u'\r'))
        text.chop(1);
    m_stderrLines.append(text);
    while (m_stderrLines.size() > StderrLines)
        m_stderrLines.removeFirst();
}

QString StdioChildClient::lastStderrLine() const
{
    for (auto it = m_stderrLines.crbegin(); it != m_stderrLines.crend(); ++it) {
        QString line = it->trimmed();
        if (line.isEmpty())
            continue;
        if (line.startsWith("mcpbridge: "_L1))
            line = line.mid(11);
        return line;
    }
    return {};
}

void StdioChildClient::onError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart)
        return; // crashes and pipe errors end in finished(), which says why
    const QString why = u"The bridge could not be started (%1): %2"_s.arg(
        QFileInfo(m_process->program()).fileName(), m_process->errorString());
    reportClosed(why);
}

void StdioChildClient::onFinished(int exitCode, QProcess::ExitStatus status)
{
    // Answers and messages written just before the exit still count.
    readStdout();
    readStderr();
    if (!m_stderr.isEmpty()) {
        keepStderrLine(m_stderr);
        m_stderr.clear();
    }
    QString why;
    const QString last = lastStderrLine();
    if (m_stopping)
        why = u"The bridge was stopped."_s;
    else if (!last.isEmpty())
        why = u"The bridge stopped: %1"_s.arg(last);
    else if (status == QProcess::CrashExit)
        why = u"The bridge stopped unexpectedly (it crashed)."_s;
    else
        why = u"The bridge stopped (exit code %1)."_s.arg(exitCode);
    reportClosed(why);
}

void StdioChildClient::reportClosed(const QString &why)
{
    if (m_constructing) {
        if (m_deferredWhy.isEmpty())
            m_deferredWhy = why;
        return;
    }
    connectionClosed(why);
}

} // namespace mcpbridge::client
