#include "ui/bridges/runningbridgespanel.h"

#include "ui/bridges/runningbridgesmodel.h"
#include "ui/bridges/trafficattachment.h"
#include "ui/traffic/trafficlogmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

RunningBridgesPanel::RunningBridgesPanel(TrafficLogModel *trafficModel, QWidget *parent)
    : QWidget(parent)
    , m_bridges(new RunningBridgesModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_attachment(new TrafficAttachment(trafficModel, this))
    , m_stack(new QStackedWidget(this))
    , m_table(new QTableView(this))
    , m_empty(new QLabel(this))
    , m_status(new QLabel(this))
    , m_attach(new QPushButton(tr("&Attach"), this))
    , m_detach(new QPushButton(tr("&Detach"), this))
{
    m_proxy->setSourceModel(m_bridges);
    m_proxy->setSortRole(RunningBridgesModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RunningBridgesModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(RunningBridgesModel::UrlColumn,
                                                      QHeaderView::Stretch);
    m_table->setToolTip(tr("Bridges running on this computer, including those an AI app "
                           "started. Double-click one (or press Enter) to watch its traffic."));
    m_table->setAccessibleName(tr("Running bridges"));
    m_table->setAccessibleDescription(
        tr("Bridges running on this computer. Press Enter on one to watch its traffic."));

    m_empty->setText(tr("No bridge is running right now.\n\nBridges started by Claude Desktop, "
                        "Cursor or “mcpbridge serve” show up here while they run. Attach to one "
                        "to see what the AI app asks and what your API answers."));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setMargin(12);
    m_empty->setToolTip(tr("This list updates by itself when a bridge starts or stops."));
    m_empty->setAccessibleName(tr("No running bridges"));

    m_stack->addWidget(m_table);
    m_stack->addWidget(m_empty);

    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setToolTip(tr("Which bridge the traffic log is showing"));
    m_status->setAccessibleName(tr("Watching"));

    m_attach->setToolTip(tr("Show the selected bridge's messages and API calls in the traffic "
                            "log, live. The bridge keeps running as before."));
    m_detach->setToolTip(tr("Stop showing this bridge's traffic. Only the studio stops "
                            "listening: the bridge and the AI app using it carry on."));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_attach);
    buttons->addWidget(m_detach);
    buttons->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_status);
    layout->addLayout(buttons);

    setTabOrder(m_table, m_attach);
    setTabOrder(m_attach, m_detach);

    connect(m_attach, &QPushButton::clicked, this, &RunningBridgesPanel::attachSelected);
    connect(m_detach, &QPushButton::clicked, this, &RunningBridgesPanel::detach);
    // Double-click, or Enter on a row.
    connect(m_table, &QAbstractItemView::activated, this, &RunningBridgesPanel::attachSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunningBridgesPanel::updateState);
    connect(m_bridges, &QAbstractItemModel::rowsInserted, this, &RunningBridgesPanel::updateState);
    connect(m_bridges, &QAbstractItemModel::rowsRemoved, this, &RunningBridgesPanel::updateState);
    connect(m_bridges, &QAbstractItemModel::modelReset, this, &RunningBridgesPanel::updateState);
    connect(m_attachment, &TrafficAttachment::stateChanged, this,
            &RunningBridgesPanel::updateState);
    connect(m_attachment, &TrafficAttachment::markerChanged, this, [this](const QString &text) {
        updateState();
        emit attachmentChanged(text);
    });
    updateState();
}

RunningBridgesPanel::~RunningBridgesPanel() = default;

QString RunningBridgesPanel::markerText() const
{
    return m_attachment->markerText();
}

bool RunningBridgesPanel::attachSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const QModelIndex current = rows.isEmpty() ? m_table->currentIndex() : rows.first();
    if (!current.isValid())
        return false;
    const int row = m_proxy->mapToSource(current).row();
    const traffic::TapInfo info = m_bridges->bridge(row);
    if (m_attachment->isWatching() && m_attachment->bridge().socket == info.socket)
        return true; // already watching it
    m_attachment->attach(info);
    return true;
}

bool RunningBridgesPanel::attachToPid(qint64 pid)
{
    const int row = m_bridges->rowOfPid(pid);
    if (row < 0)
        return false;
    const QModelIndex index = m_proxy->mapFromSource(m_bridges->index(row, 0));
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect
                                                          | QItemSelectionModel::Rows);
    return attachSelected();
}

void RunningBridgesPanel::detach()
{
    m_attachment->detach();
}

void RunningBridgesPanel::updateState()
{
    const bool any = m_bridges->rowCount() > 0;
    m_stack->setCurrentWidget(any ? static_cast<QWidget *>(m_table) : m_empty);
    const bool watching = m_attachment->isWatching();
    m_bridges->setWatchedPid(watching ? m_attachment->bridge().pid : 0);

    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    bool selectedIsWatched = false;
    if (!selected.isEmpty() && watching) {
        const int row = m_proxy->mapToSource(selected.first()).row();
        selectedIsWatched = m_bridges->bridge(row).socket == m_attachment->bridge().socket;
    }
    m_attach->setEnabled(any && !selected.isEmpty() && !selectedIsWatched);
    m_detach->setEnabled(watching);

    const QString marker = m_attachment->markerText();
    if (!marker.isEmpty())
        m_status->setText(marker);
    else if (any)
        m_status->setText(tr("Select a bridge and press Attach to see its traffic in the log."));
    else
        m_status->clear();
    m_status->setVisible(!m_status->text().isEmpty());
}

} // namespace mcpbridge::ui
