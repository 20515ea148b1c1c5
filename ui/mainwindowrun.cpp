// MainWindow: the run controls (serve over HTTP, port, copy URL), the demo bridge, and the
// dialogs that connect a client and sign in to the API.

#include "core/bridge/documentio.h"
#include "core/client/mcpbridgeprogram.h"
#include "core/demo/demoapi.h"
#include "ui/bridgerunner.h"
#include "ui/bridgesettingseditor.h"
#include "ui/dialogs/credentialsdialog.h"
#include "ui/dialogs/exportdialog.h"
#include "ui/documentsession.h"
#include "ui/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

namespace {
constexpr quint16 DemoApiPort = 8766;
} // namespace

void MainWindow::buildRunBar()
{
    QToolBar *bar = addToolBar(tr("Run"));
    bar->setObjectName(u"RunToolBar"_s);
    bar->setMovable(false);

    auto *portLabel = new QLabel(tr("&Port:"));
    m_port = new QSpinBox;
    m_port->setRange(0, 65535);
    m_port->setValue(8765);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setToolTip(tr("The local port clients connect to (http://127.0.0.1:PORT/mcp). 0 "
                          "lets the studio pick a free one."));
    m_port->setAccessibleName(tr("Port to serve on"));
    portLabel->setBuddy(m_port);

    m_runButton = new QPushButton(tr("Start"));
    m_runButton->setAccessibleName(tr("Start or stop serving"));
    connect(m_runButton, &QPushButton::clicked, m_runAction, &QAction::trigger);

    m_copyUrl = new QToolButton;
    m_copyUrl->setText(tr("Copy URL"));
    m_copyUrl->setToolTip(tr("Copy the address MCP clients connect to"));
    connect(m_copyUrl, &QToolButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_runner->url().toString());
        statusBar()->showMessage(tr("Copied %1").arg(m_runner->url().toString()), 4000);
    });

    auto *connectButton = new QToolButton;
    connectButton->setDefaultAction(m_exportAction);
    connectButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *signIn = new QToolButton;
    signIn->setDefaultAction(m_credentialsAction);
    signIn->setToolButtonStyle(Qt::ToolButtonTextOnly);

    bar->addWidget(portLabel);
    bar->addWidget(m_port);
    bar->addWidget(m_runButton);
    bar->addWidget(m_copyUrl);
    bar->addSeparator();
    m_childAction = bar->addAction(tr("Run as a &Client Would"));
    m_childAction->setCheckable(true);
    m_childAction->setToolTip(
        tr("Start the bridge the way Claude Desktop does (mcpbridge serve --stdio) with the "
           "studio as its client. Try it then goes through that process, and the traffic log "
           "shows what it sees."));
    connect(m_childAction, &QAction::triggered, this, [this](bool on) {
        if (on)
            startChild();
        else
            stopChild();
    });
    connect(m_runner, &BridgeRunner::childEnded, this, [this](const QString &why) {
        showProblems(tr("The bridge process stopped"), why, {});
    });
    bar->addSeparator();
    bar->addWidget(connectButton);
    bar->addWidget(signIn);

    m_serverState = new QLabel;
    m_serverState->setToolTip(tr("Whether MCP clients can reach this bridge now"));
    m_heldBack = new QLabel;
    statusBar()->addPermanentWidget(m_heldBack);
    statusBar()->addPermanentWidget(m_serverState);
}

bool MainWindow::startServing()
{
    if (!m_session->hasDocument())
        return false;
    if (m_runner->isServing())
        return true;
    const Result<QUrl> url = m_runner->startHttp(QHostAddress::LocalHost, quint16(m_port->value()));
    if (!url) {
        showProblems(tr("Cannot start the bridge"), url.error().message, {});
        return false;
    }
    statusBar()->showMessage(
        tr("Serving at %1. Clients on this computer can connect now.").arg(url->toString()), 8000);
    return true;
}

void MainWindow::stopServing()
{
    m_runner->stopHttp();
}

bool MainWindow::startChild()
{
    if (!m_session->hasDocument())
        return false;
    const Result<qint64> pid = m_runner->startChild(client::mcpbridgeProgram());
    if (!pid) {
        showProblems(tr("Cannot start the bridge process"), pid.error().message, {});
        updateRunState();
        return false;
    }
    statusBar()->showMessage(
        tr("Started mcpbridge serve --stdio (PID %1), as a client would.").arg(*pid), 8000);
    watchChildTraffic(*pid);
    return true;
}

void MainWindow::stopChild()
{
    const bool wasRunning = m_runner->isChildRunning();
    m_runner->stopChild();
    if (wasRunning)
        showOwnTraffic();
}

void MainWindow::updateRunState()
{
    m_childAction->setChecked(m_runner->isChildRunning());
    m_childAction->setEnabled(m_session->hasDocument());
    updateTryIt();
    const bool serving = m_runner->isServing();
    m_serverState->setText(m_runner->stateText());
    m_runButton->setText(serving ? tr("Stop") : tr("Start"));
    m_runButton->setToolTip(serving ? tr("Stop serving; connected clients are disconnected")
                                    : tr("Serve this bridge on the port beside, so MCP clients "
                                         "on this computer can use it (Ctrl+R)"));
    m_runAction->setText(serving ? tr("&Stop Serving") : tr("&Start Serving"));
    m_copyUrl->setEnabled(serving);
    m_port->setEnabled(!serving);
}

void MainWindow::setBaseUrlOverride(const QString &url)
{
    m_runner->setBaseUrlOverride(url);
    if (!url.isEmpty())
        statusBar()->showMessage(tr("Calls go to %1 instead of the bridge's API address.").arg(url),
                                 8000);
}

bool MainWindow::openDemo()
{
    if (!maybeKeepChanges())
        return false;
    if (!m_demoApi) {
        auto api = std::make_unique<demo::DemoApi>();
        if (!api->listen(QHostAddress::LocalHost, DemoApiPort)) {
            api = std::make_unique<demo::DemoApi>();
            if (!api->listen(QHostAddress::LocalHost, 0)) {
                showProblems(
                    tr("Cannot start the demo"),
                    tr("The built-in demo API could not start: %1").arg(api->errorString()), {});
                return false;
            }
        }
        m_demoApi = std::move(api);
    }
    // A file of its own, so "Connect a client" has something to point at. A copy the user
    // already has (perhaps edited and saved) is kept; only the demo API's address is updated,
    // since the built-in API gets a new port when the usual one is taken.
    const QString folder
        = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/demo"_s;
    QDir().mkpath(folder);
    const QString path = folder + u"/pantry.mcpbridge.json"_s;
    bridge::LoadReport report = bridge::loadDocument(path);
    if (!report.document) {
        QFile file(u":/demo/pantry.mcpbridge.json"_s);
        if (!file.open(QIODevice::ReadOnly))
            return false;
        report = bridge::parseDocument(file.readAll(), file.fileName());
        if (!report.document)
            return false;
    }
    bridge::BridgeDocument document = *report.document;
    const QString demoUrl = u"http://127.0.0.1:%1"_s.arg(m_demoApi->port());
    if (document.upstream.baseUrl != demoUrl || !QFileInfo::exists(path)) {
        document.upstream.baseUrl = demoUrl;
        if (const Result<void> saved = bridge::saveDocument(document, path); !saved) {
            showProblems(tr("Cannot start the demo"), saved.error().toString(), {});
            return false;
        }
    }
    if (!openDocument(path))
        return false;
    // The demo should just work: when the usual port is taken, any free one will do.
    if (!m_runner->isServing()
        && !m_runner->startHttp(QHostAddress::LocalHost, quint16(m_port->value()))) {
        m_port->setValue(0);
        startServing();
    }
    statusBar()->showMessage(tr("The demo bridge is running against the built-in recipes API. "
                                "Pick a tool and open “Try it”, or connect Claude Desktop."),
                             15000);
    return true;
}

void MainWindow::showExportDialog()
{
    if (!m_session->hasDocument())
        return;
    if (m_session->isUntitled() || m_session->isModified()) {
        const auto answer = ask(tr("Save first?"),
                                tr("Clients start the bridge from its saved file. Save your "
                                   "changes now?"),
                                QMessageBox::Save | QMessageBox::Cancel);
        if (answer != QMessageBox::Save || !save())
            return;
    }
    ExportDialog dialog(m_session->path(), m_session->document(), this);
    if (m_runner->isServing())
        dialog.setRunningBridgeUrl(m_runner->url().toString());
    dialog.exec();
}

void MainWindow::showCredentialsDialog()
{
    if (!m_session->hasDocument())
        return;
    // "Test connection" calls the API the bridge really uses (the demo's, or --base-url).
    bridge::BridgeDocument forDialog = m_session->document();
    if (!m_runner->baseUrlOverride().isEmpty())
        forDialog.upstream.baseUrl = m_runner->baseUrlOverride();
    CredentialsDialog dialog(forDialog, m_secrets, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    bridge::BridgeDocument document = m_session->document();
    document.upstream.auth = dialog.document().upstream.auth;
    applyEdit(document);
    m_settingsEditor->setDocument(m_session->document()); // its sign-in line and its copy
}

} // namespace mcpbridge::ui
