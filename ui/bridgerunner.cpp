#include "ui/bridgerunner.h"

#include "core/bridge/documentio.h"
#include "core/client/inprocessclient.h"
#include "core/client/stdiochildclient.h"
#include "core/mcp/mcpserver.h"
#include "core/traffic/trafficlog.h"
#include "core/transport/streamablehttptransport.h"
#include "ui/bridgeitemmodel.h"
#include "ui/traffic/trafficlogmodel.h"

#include <QAbstractSocket>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

BridgeRunner::BridgeRunner(secrets::SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_secrets(secrets)
    , m_log(new traffic::TrafficLog(this))
{
    m_push.setSingleShot(true);
    m_push.setInterval(DefaultPushDelayMs);
    connect(&m_push, &QTimer::timeout, this, [this] { apply(); });
    // A person reads this log in the traffic view: keep far more than a headless bridge does.
    m_log->setByteCapacity(TrafficLogModel::DefaultByteCapacity);
}

BridgeRunner::~BridgeRunner()
{
    stopChild();
    // Clients and the transport end their sessions on a server that is still alive.
    m_studioClient.reset();
    m_http.reset();
    m_server.reset();
}

client::McpClient *BridgeRunner::studioClient() const
{
    return m_studioClient.get();
}

client::McpClient *BridgeRunner::childClient() const
{
    return m_child.get();
}

client::McpClient *BridgeRunner::activeClient() const
{
    if (isChildRunning())
        return m_child.get();
    return m_studioClient.get();
}

void BridgeRunner::setDocument(const bridge::BridgeDocument &document, bool immediately)
{
    m_pending = document;
    if (!m_server || immediately) {
        m_push.stop();
        apply();
    } else {
        m_push.start();
    }
}

void BridgeRunner::replaceDocument(const bridge::BridgeDocument &document)
{
    m_pending = document;
    m_push.stop();
    apply(true);
}

void BridgeRunner::setBaseUrlOverride(const QString &url)
{
    m_baseUrlOverride = url.trimmed();
    if (m_server)
        apply();
}

bridge::BridgeDocument BridgeRunner::servedDocument() const
{
    return m_server ? *m_server->document() : bridge::BridgeDocument{};
}

void BridgeRunner::apply(bool evenWithErrors)
{
    bridge::BridgeDocument document = m_pending;
    if (!m_baseUrlOverride.isEmpty())
        document.upstream.baseUrl = m_baseUrlOverride;

    QStringList errors;
    for (const bridge::Problem &problem : bridge::validateDocument(document))
        if (problem.severity == bridge::Problem::Severity::Error)
            errors << u"• "_s + BridgeItemModel::describeProblem(document, problem);
    const bool holdBack = !errors.isEmpty() && m_server && !evenWithErrors;
    QString why;
    if (holdBack)
        why = tr("Clients still see the last version without problems. Fix these first:\n%1")
                  .arg(errors.join(u'\n'));
    else if (!errors.isEmpty())
        why = tr("This bridge has problems; clients may get errors until they are fixed:\n%1")
                  .arg(errors.join(u'\n'));
    m_holdingBack = holdBack;
    if (why != m_heldBack) {
        m_heldBack = why;
        emit heldBackChanged(why);
    }
    // A first document is served even with errors: better a bridge that answers with clear
    // errors than none at all.
    if (holdBack)
        return;

    auto shared = std::make_shared<const bridge::BridgeDocument>(std::move(document));
    if (!m_server)
        createServer(std::move(shared));
    else if (*m_server->document() != *shared)
        m_server->setDocument(std::move(shared));
    if (isChildRunning())
        writeChildConfig();
    emit documentApplied();
}

void BridgeRunner::createServer(std::shared_ptr<const bridge::BridgeDocument> document)
{
    m_server = std::make_unique<mcp::McpServer>(std::move(document), m_secrets, m_log);
    connect(m_server.get(), &mcp::McpServer::sessionCreated, this, &BridgeRunner::stateChanged);
    connect(m_server.get(), &mcp::McpServer::sessionClosed, this, &BridgeRunner::stateChanged);
    m_studioClient = std::make_unique<client::InProcessClient>(m_server.get());
}

void BridgeRunner::writeChildConfig()
{
    // The document as served, so --base-url is not needed; documents never hold secrets.
    const Result<void> written = bridge::saveDocument(*m_server->document(), m_childConfig);
    if (!written)
        qWarning("Could not update the child bridge's config: %s",
                 qPrintable(written.error().toString()));
}

Result<qint64> BridgeRunner::startChild(const QString &program)
{
    if (!m_server)
        return fail(tr("Open or create a bridge first."));
    if (program.isEmpty())
        return fail(tr("The mcpbridge program was not found next to the studio or on PATH, so "
                       "the bridge cannot run the way a client would start it."));
    stopChild();
    const QString folder
        = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/child"_s;
    if (!QDir().mkpath(folder))
        return fail(tr("Could not create a folder for the bridge's config."), folder);
    QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    m_childConfig = folder + u"/%1.mcpbridge.json"_s.arg(QCoreApplication::applicationPid());
    writeChildConfig();
    if (!QFile::exists(m_childConfig))
        return fail(tr("Could not write the bridge's config for the child process."),
                    m_childConfig);

    m_child = std::make_unique<client::StdioChildClient>(
        program, QStringList{u"serve"_s, u"--stdio"_s, u"--config"_s, m_childConfig});
    connect(m_child.get(), &client::McpClient::closed, this, [this](const QString &why) {
        if (!m_child)
            return;
        // Deleting the client inside its own signal is not safe: later.
        m_child.release()->deleteLater();
        QFile::remove(m_childConfig);
        emit childEnded(why);
        emit stateChanged();
    });
    connect(m_child.get(), &client::McpClient::ready, this, &BridgeRunner::stateChanged);
    emit stateChanged();
    return m_child->processId();
}

void BridgeRunner::stopChild()
{
    if (!m_child)
        return;
    std::unique_ptr<client::StdioChildClient> child = std::move(m_child);
    child->disconnect(this);
    child->stop();
    child.reset();
    QFile::remove(m_childConfig);
    emit stateChanged();
}

bool BridgeRunner::isChildRunning() const
{
    return m_child && !m_child->isClosed();
}

qint64 BridgeRunner::childProcessId() const
{
    return m_child ? m_child->processId() : 0;
}

Result<QUrl> BridgeRunner::startHttp(const QHostAddress &address, quint16 port)
{
    if (!m_server)
        return fail(tr("Open or create a bridge first."));
    stopHttp();
    auto http = std::make_unique<transport::StreamableHttpTransport>(m_server.get());
    const Result<quint16> bound = http->listen(address, port);
    if (!bound) {
        if (bound.error().code == int(QAbstractSocket::AddressInUseError))
            return fail(tr("Port %1 is already in use by another program. Pick another port, "
                           "or 0 to let the studio choose a free one.")
                            .arg(port));
        return fail(tr("Could not start serving: %1").arg(bound.error().message));
    }
    connect(http.get(), &transport::StreamableHttpTransport::sessionOpened, this,
            &BridgeRunner::stateChanged);
    connect(http.get(), &transport::StreamableHttpTransport::sessionEnded, this,
            &BridgeRunner::stateChanged);
    m_http = std::move(http);
    emit stateChanged();
    return m_http->url();
}

void BridgeRunner::stopHttp()
{
    if (!m_http)
        return;
    m_http.reset();
    emit stateChanged();
}

bool BridgeRunner::isServing() const
{
    return m_http && m_http->isListening();
}

QUrl BridgeRunner::url() const
{
    return isServing() ? m_http->url() : QUrl();
}

int BridgeRunner::sessionCount() const
{
    return isServing() ? int(m_http->sessionIds().size()) : 0;
}

QString BridgeRunner::stateText() const
{
    if (isChildRunning()) {
        const QString child = m_child->isReady()
                                  ? tr("Running as a client would start it (mcpbridge PID %1)")
                                        .arg(m_child->processId())
                                  : tr("Starting mcpbridge serve --stdio…");
        return isServing() ? child + u" · "_s + tr("also serving at %1").arg(url().toString())
                           : child;
    }
    if (!isServing())
        return tr("Stopped");
    const int sessions = sessionCount();
    const QString clients = sessions == 0   ? tr("no client connected yet")
                            : sessions == 1 ? tr("1 client connected")
                                            : tr("%1 clients connected").arg(sessions);
    return tr("Serving at %1 — %2").arg(url().toString(), clients);
}

} // namespace mcpbridge::ui
