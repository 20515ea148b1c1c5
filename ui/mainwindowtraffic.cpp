// MainWindow: the traffic dock, the timeline beside it, "Running bridges", and watching the
// bridge the studio runs as a child process through its live traffic tap.

#include "ui/bridgerunner.h"
#include "ui/bridges/runningbridgesmodel.h"
#include "ui/bridges/runningbridgespanel.h"
#include "ui/mainwindow.h"
#include "ui/traffic/timelineview.h"
#include "ui/traffic/trafficlogmodel.h"
#include "ui/traffic/trafficview.h"

#include <QAction>
#include <QCoreApplication>
#include <QDockWidget>
#include <QStatusBar>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

namespace {
constexpr int ChildTapPollMs = 200;
constexpr int ChildTapPollTries = 50; // 10 s for the child to publish its tap
} // namespace

void MainWindow::buildDocks()
{
    m_traffic = new TrafficView;
    m_traffic->setLog(m_runner->trafficLog());
    auto *trafficDock = new QDockWidget(tr("Traffic"), this);
    trafficDock->setObjectName(u"TrafficDock"_s);
    trafficDock->setWidget(m_traffic);
    trafficDock->setToolTip(tr("Every message between the AI app and the bridge, and every API "
                               "call it caused"));
    addDockWidget(Qt::BottomDockWidgetArea, trafficDock);

    m_timeline = new TimelineView;
    m_timeline->setModel(m_traffic->model());
    connect(m_timeline, &TimelineView::callActivated, m_traffic, &TrafficView::showSourceIndex);
    auto *timelineDock = new QDockWidget(tr("Timeline"), this);
    timelineDock->setObjectName(u"TimelineDock"_s);
    timelineDock->setWidget(m_timeline);
    timelineDock->setToolTip(tr("Calls per tool over time: slow calls are long bars, failed "
                                "ones red diamonds. Click one to find it in the table."));
    splitDockWidget(trafficDock, timelineDock, Qt::Horizontal);

    m_bridges = new RunningBridgesPanel(m_traffic->model());
    m_bridges->bridgesModel()->setIgnoredPid(QCoreApplication::applicationPid());
    connect(m_bridges, &RunningBridgesPanel::attachmentChanged, m_traffic,
            &TrafficView::setSourceMarker);
    auto *bridgesDock = new QDockWidget(tr("Running bridges"), this);
    bridgesDock->setObjectName(u"RunningBridgesDock"_s);
    bridgesDock->setWidget(m_bridges);
    bridgesDock->setToolTip(tr("Bridges running on this computer, also those Claude Desktop or "
                               "another client started. Attach to one to see its traffic."));
    tabifyDockWidget(timelineDock, bridgesDock);
    timelineDock->raise();
    resizeDocks({trafficDock, timelineDock}, {900, 380}, Qt::Horizontal);
    resizeDocks({trafficDock}, {320}, Qt::Vertical);

    m_ownTrafficAction = new QAction(tr("Show the Studio's Own &Traffic"), this);
    m_ownTrafficAction->setToolTip(tr("Stop watching another bridge or a saved file and show "
                                      "the traffic of the bridge the studio runs"));
    connect(m_ownTrafficAction, &QAction::triggered, this, &MainWindow::showOwnTraffic);
    connect(m_traffic, &TrafficView::sourceMarkerChanged, this,
            [this](const QString &marker) { m_ownTrafficAction->setEnabled(!marker.isEmpty()); });
    m_ownTrafficAction->setEnabled(false);
}

void MainWindow::showOwnTraffic()
{
    m_traffic->setLog(m_runner->trafficLog()); // also ends an attachment and its marker
}

bool MainWindow::showTrafficEvent(quint64 seq)
{
    if (!m_traffic->sourceMarker().isEmpty())
        showOwnTraffic(); // Try it's exchanges are in the studio's own log
    m_traffic->model()->flushPending();
    const QModelIndex index = m_traffic->model()->indexOfSeq(seq);
    if (!index.isValid()) {
        statusBar()->showMessage(tr("That request is no longer in the traffic log (it keeps the "
                                    "newest %1 events).")
                                     .arg(m_traffic->model()->capacity()),
                                 8000);
        return false;
    }
    if (auto *dock = findChild<QDockWidget *>(u"TrafficDock"_s)) {
        dock->show();
        dock->raise();
    }
    return m_traffic->showSourceIndex(index);
}

// The child publishes its tap a moment after it starts; attach as soon as the list shows it.
void MainWindow::watchChildTraffic(qint64 pid)
{
    auto *poll = new QTimer(this);
    poll->setInterval(ChildTapPollMs);
    auto tries = std::make_shared<int>(0);
    connect(poll, &QTimer::timeout, this, [this, poll, pid, tries] {
        const bool stillOurs = m_runner->isChildRunning() && m_runner->childProcessId() == pid;
        if (!stillOurs || m_bridges->attachToPid(pid) || ++*tries > ChildTapPollTries) {
            if (stillOurs && *tries > ChildTapPollTries)
                m_traffic->setSourceMarker(
                    tr("The bridge process (PID %1) does not publish its traffic; only Try it "
                       "results are shown.")
                        .arg(pid));
            poll->deleteLater();
            poll->stop();
        }
    });
    poll->start();
}

} // namespace mcpbridge::ui
