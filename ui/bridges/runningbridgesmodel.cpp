#include "ui/bridges/runningbridgesmodel.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QFont>
#include <QSet>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

using traffic::TapInfo;

namespace {

bool sameDisplay(const TapInfo &a, const TapInfo &b)
{
    return a.name == b.name && a.title == b.title && a.pid == b.pid && a.transport == b.transport
           && a.url == b.url && a.config == b.config && a.started == b.started
           && a.sessions == b.sessions && a.infoFile == b.infoFile;
}

QString titleOf(const TapInfo &info)
{
    return info.title.isEmpty() ? info.name : info.title;
}

} // namespace

RunningBridgesModel::RunningBridgesModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_watcher(new QFileSystemWatcher(this))
    , m_ignoredPid(QCoreApplication::applicationPid())
{
    // A bridge writes its info file with a rename and removes it on exit, so the folder changes
    // exactly when the list does; the timer catches killed bridges and keeps the uptime current.
    m_soon.setSingleShot(true);
    m_soon.setInterval(100);
    connect(&m_soon, &QTimer::timeout, this, &RunningBridgesModel::refresh);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this,
            &RunningBridgesModel::scheduleRefresh);
    m_timer.setInterval(DefaultRefreshInterval);
    connect(&m_timer, &QTimer::timeout, this, &RunningBridgesModel::refresh);
    m_timer.start();
    refresh();
}

RunningBridgesModel::~RunningBridgesModel() = default;

void RunningBridgesModel::setRefreshInterval(int ms)
{
    if (ms <= 0) {
        m_timer.stop();
        return;
    }
    m_timer.start(ms);
}

void RunningBridgesModel::setWatchedPid(qint64 pid)
{
    if (pid == m_watchedPid)
        return;
    const int before = rowOfPid(m_watchedPid);
    m_watchedPid = pid;
    const int after = rowOfPid(pid);
    for (const int row : {before, after}) {
        if (row >= 0)
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

int RunningBridgesModel::rowOfPid(qint64 pid) const
{
    if (pid <= 0)
        return -1;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).pid == pid)
            return row;
    }
    return -1;
}

void RunningBridgesModel::scheduleRefresh()
{
    if (!m_soon.isActive())
        m_soon.start();
}

void RunningBridgesModel::refresh()
{
    m_soon.stop();
    updateWatchedPaths();
    QList<TapInfo> fresh = traffic::TapRegistry::list();
    fresh.removeIf([this](const TapInfo &info) { return info.pid == m_ignoredPid; });
    applyList(std::move(fresh));
}

void RunningBridgesModel::updateWatchedPaths()
{
    // The folder may appear (first bridge started) or be removed and made again at any time.
    const QString dir = traffic::TapRegistry::directory();
    const QStringList watched = m_watcher->directories();
    const bool exists = QFileInfo(dir).isDir();
    for (const QString &path : watched) {
        if (path != dir || !exists)
            m_watcher->removePath(path);
    }
    if (exists && !m_watcher->directories().contains(dir))
        m_watcher->addPath(dir);
}

void RunningBridgesModel::applyList(QList<TapInfo> fresh)
{
    QSet<QString> freshKeys;
    for (const TapInfo &info : std::as_const(fresh))
        freshKeys.insert(info.socket);

    bool membershipChanged = false;
    // Gone: remove from the back so the rows before keep their numbers; one call per run.
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (freshKeys.contains(m_rows.at(row).socket)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !freshKeys.contains(m_rows.at(first - 1).socket))
            --first;
        beginRemoveRows({}, first, row);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        membershipChanged = true;
        row = first - 1;
    }

    // Still there: update in place. New: append.
    QList<TapInfo> added;
    for (TapInfo &info : fresh) {
        int row = -1;
        for (int r = 0; r < m_rows.size(); ++r) {
            if (m_rows.at(r).socket == info.socket) {
                row = r;
                break;
            }
        }
        if (row < 0) {
            added << std::move(info);
            continue;
        }
        if (!sameDisplay(m_rows.at(row), info)) {
            m_rows[row] = std::move(info);
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
    if (!m_rows.isEmpty()) // uptime moves on by itself
        emit dataChanged(index(0, UptimeColumn), index(int(m_rows.size()) - 1, UptimeColumn),
                         {Qt::DisplayRole});
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.append(added);
        endInsertRows();
        membershipChanged = true;
    }
    if (membershipChanged)
        emit bridgesChanged();
}

int RunningBridgesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunningBridgesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunningBridgesModel::formatUptime(qint64 seconds)
{
    seconds = std::max<qint64>(0, seconds);
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (seconds < 86400)
        return tr("%1 h %2 min")
            .arg(seconds / 3600)
            .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    const qint64 days = seconds / 86400;
    const qint64 hours = (seconds % 86400) / 3600;
    return days == 1 ? tr("1 day %1 h").arg(hours) : tr("%1 days %2 h").arg(days).arg(hours);
}

QVariant RunningBridgesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TapInfo &info = m_rows.at(index.row());
    const bool watched = m_watchedPid > 0 && info.pid == m_watchedPid;
    const qint64 uptime
        = info.started.isValid() ? info.started.secsTo(QDateTime::currentDateTimeUtc()) : -1;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return titleOf(info);
        case PidColumn: return QString::number(info.pid);
        case TransportColumn:
            return info.transport == u"http" ? tr("HTTP")
                   : info.transport == u"stdio"
                       ? tr("stdio")
                       : (info.transport.isEmpty() ? tr("unknown") : info.transport);
        case UrlColumn: return info.url.isEmpty() ? tr("—") : info.url;
        case SessionsColumn: return info.sessions;
        case UptimeColumn: return uptime >= 0 ? formatUptime(uptime) : tr("unknown");
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip
            = tr("“%1” (server name %2), process %3").arg(titleOf(info), info.name).arg(info.pid);
        if (!info.config.isEmpty())
            tip += u'\n' + tr("Bridge file: %1").arg(info.config);
        if (info.transport == u"stdio")
            tip += u'\n'
                   + tr("Started by an AI app (Claude Desktop, Cursor…) that talks to it "
                        "through its standard input and output");
        else if (!info.url.isEmpty())
            tip += u'\n' + tr("Serving MCP at %1").arg(info.url);
        if (info.started.isValid())
            tip += u'\n' + tr("Running since %1").arg(info.started.toLocalTime().toString());
        if (watched)
            tip += u'\n' + tr("The traffic log is showing this bridge now.");
        else
            tip += u'\n' + tr("Double-click to watch its traffic.");
        return tip;
    }
    case Qt::FontRole:
        if (watched) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == PidColumn || index.column() == SessionsColumn
            || index.column() == UptimeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::AccessibleTextRole:
        if (index.column() == NameColumn && watched)
            return tr("%1, being watched").arg(titleOf(info));
        return {};
    case PidRole: return info.pid;
    case SocketRole: return info.socket;
    case SortRole:
        switch (index.column()) {
        case NameColumn: return titleOf(info).toLower();
        case PidColumn: return info.pid;
        case SessionsColumn: return info.sessions;
        case UptimeColumn: return uptime;
        default: return data(index, Qt::DisplayRole);
        }
    }
    return {};
}

QVariant RunningBridgesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    static const char *const titles[]
        = {QT_TR_NOOP("Name"),    QT_TR_NOOP("PID"),      QT_TR_NOOP("Transport"),
           QT_TR_NOOP("Address"), QT_TR_NOOP("Sessions"), QT_TR_NOOP("Running for")};
    static const char *const tips[]
        = {QT_TR_NOOP("The bridge's title, from its bridge file"),
           QT_TR_NOOP("The process number of the running bridge (as in a task manager)"),
           QT_TR_NOOP("stdio: started by an AI app that talks to it directly; HTTP: serving on a "
                      "local port"),
           QT_TR_NOOP("Where an HTTP bridge accepts MCP connections"),
           QT_TR_NOOP("How many AI clients are connected to it now"),
           QT_TR_NOOP("How long the bridge has been running")};
    if (role == Qt::DisplayRole)
        return tr(titles[section]);
    if (role == Qt::ToolTipRole)
        return tr(tips[section]);
    return {};
}

} // namespace mcpbridge::ui
