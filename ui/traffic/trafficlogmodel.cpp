#include "ui/traffic/trafficlogmodel.h"

#include "core/traffic/trafficlog.h"

#include <QApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QLocale>
#include <QStyle>

#include <algorithm>
#include <climits>
#include <map>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

using traffic::Direction;
using traffic::EventKind;
using traffic::TrafficEvent;

namespace {

QString requestKey(Direction direction, const QString &session, const QString &rpcId)
{
    return (direction == Direction::Inbound ? u"i\n"_s : u"o\n"_s) + session + u'\n' + rpcId;
}

bool isResponse(const TrafficEvent &event)
{
    return event.kind == EventKind::Mcp
           && (event.messageType == u"response" || event.messageType == u"error")
           && !event.rpcId.isEmpty();
}

QString formatSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString formatTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(u"HH:mm:ss.zzz"_s);
}

QString searchText(const TrafficEvent &event)
{
    return event.summary + u'\n' + event.method + u'\n' + event.url + u'\n'
           + QString::fromUtf8(event.body);
}

} // namespace

TrafficLogModel::TrafficLogModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_capacity(traffic::TrafficLog::DefaultCapacity)
{
    // Appends are collected for one frame (16 ms) and enter the model in one insertion: the
    // view then lays out and paints once per frame instead of once per event-loop turn, which
    // bench_trafficview showed to cost a third of the time per turn at 1,000 events/s.
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(16);
    connect(&m_flushTimer, &QTimer::timeout, this, &TrafficLogModel::flushPending);
}

TrafficLogModel::~TrafficLogModel() = default;

void TrafficLogModel::setLog(traffic::TrafficLog *log)
{
    if (m_log)
        disconnect(m_log, nullptr, this, nullptr);
    clear();
    m_log = log;
    if (!log) {
        emit logChanged();
        return;
    }
    m_capacity = log->capacity();
    m_byteCapacity = log->byteCapacity();
    connect(log, &traffic::TrafficLog::eventAdded, this, &TrafficLogModel::appendEvent);
    connect(log, &traffic::TrafficLog::aboutToDrop, this, &TrafficLogModel::dropOldest);
    connect(log, &traffic::TrafficLog::cleared, this, &TrafficLogModel::clear);
    connect(log, &QObject::destroyed, this, [this] { m_log = nullptr; });
    const QList<TrafficEvent> events = log->snapshot();
    for (const TrafficEvent &event : events)
        m_pending.push_back(event);
    flushPending();
    emit logChanged();
}

void TrafficLogModel::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    if (eventCount() > m_capacity)
        dropCommitted(eventCount() - m_capacity);
}

void TrafficLogModel::setByteCapacity(qsizetype bytes)
{
    m_byteCapacity = std::max<qsizetype>(1, bytes);
    if (m_log)
        return; // the log keeps the bound and tells us what it drops
    dropCommitted(
        int(traffic::oldestToDrop(m_owners.size(), m_storedBytes, size_t(m_capacity),
                                  m_byteCapacity, [&](size_t i) { return m_owners[i].cost; })));
}

QList<TrafficEvent> TrafficLogModel::events() const
{
    QList<TrafficEvent> out;
    out.reserve(qsizetype(m_owners.size()));
    for (const auto &row : m_rows) {
        out.append(row->event);
        if (row->response)
            out.append(*row->response);
        for (const TrafficEvent &child : row->children)
            out.append(child);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const TrafficEvent &a, const TrafficEvent &b) { return a.seq < b.seq; });
    return out;
}

QByteArray TrafficLogModel::toJsonLines() const
{
    QByteArray out;
    const QList<TrafficEvent> all = events();
    for (const TrafficEvent &event : all) {
        out += QJsonDocument(event.toJson()).toJson(QJsonDocument::Compact);
        out += '\n';
    }
    return out;
}

QStringList TrafficLogModel::methods() const
{
    QStringList list(m_methods.begin(), m_methods.end());
    list.sort();
    return list;
}

void TrafficLogModel::appendEvent(const TrafficEvent &event)
{
    m_pending.push_back(event);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void TrafficLogModel::clear()
{
    m_flushTimer.stop();
    beginResetModel();
    m_firstSerial += m_rows.size();
    m_rows.clear();
    m_owners.clear();
    m_storedBytes = 0;
    m_pending.clear();
    m_requests.clear();
    endResetModel();
    if (!m_methods.isEmpty()) {
        m_methods.clear();
        emit methodsChanged();
    }
}

void TrafficLogModel::dropOldest(int count)
{
    const int committed = std::min(count, eventCount());
    dropCommitted(committed);
    for (int i = committed; i < count && !m_pending.empty(); ++i)
        m_pending.pop_front();
}

void TrafficLogModel::dropCommitted(int count)
{
    count = std::min(count, eventCount());
    if (count <= 0)
        return;
    // Events are committed in order and a row's first event is its own, so the rows whose own
    // event goes are the first ones; answers and exchanges of rows already gone just go.
    int rows = 0;
    for (int i = 0; i < count; ++i) {
        const Owner owner = m_owners.front();
        m_owners.pop_front();
        m_storedBytes -= owner.cost;
        if (owner.main && owner.serial >= m_firstSerial)
            ++rows;
    }
    if (rows == 0)
        return;
    beginRemoveRows({}, 0, rows - 1);
    for (int i = 0; i < rows; ++i) {
        const Row &row = *m_rows.front();
        if (!row.requestKey.isEmpty()) {
            auto it = m_requests.find(row.requestKey);
            if (it != m_requests.end() && it.value() == row.serial)
                m_requests.erase(it);
        }
        m_rows.pop_front();
        ++m_firstSerial;
    }
    endRemoveRows();
}

void TrafficLogModel::dropOverflow()
{
    // Oldest first, shown events before queued ones, as a TrafficLog would; the newest queued
    // event always stays.
    const size_t shown = m_owners.size();
    const size_t total = shown + m_pending.size();
    auto cost = [&](size_t i) {
        return i < shown ? m_owners[i].cost
                         : traffic::TrafficLog::estimatedBytes(m_pending[i - shown]);
    };
    qsizetype bytes = m_storedBytes;
    for (const TrafficEvent &event : m_pending)
        bytes += traffic::TrafficLog::estimatedBytes(event);
    if (const size_t count
        = traffic::oldestToDrop(total, bytes, size_t(m_capacity), m_byteCapacity, cost))
        dropOldest(int(count));
}

TrafficLogModel::Row *TrafficLogModel::rowBySerial(quint64 serial) const
{
    if (serial < m_firstSerial || serial >= m_firstSerial + m_rows.size())
        return nullptr;
    return m_rows[serial - m_firstSerial].get();
}

QModelIndex TrafficLogModel::indexOfSeq(quint64 seq) const
{
    for (int row = 0; row < int(m_rows.size()); ++row) {
        const Row &r = *m_rows[size_t(row)];
        if (r.event.seq == seq || (r.response && r.response->seq == seq))
            return index(row, 0);
        for (int child = 0; child < int(r.children.size()); ++child)
            if (r.children[size_t(child)].seq == seq)
                return index(child, 0, index(row, 0));
    }
    return {};
}

void TrafficLogModel::flushPending()
{
    m_flushTimer.stop();
    if (m_pending.empty())
        return;
    if (!m_log)
        dropOverflow();

    const quint64 committedEnd = m_firstSerial + m_rows.size();
    std::vector<std::unique_ptr<Row>> added;
    std::map<quint64, std::vector<TrafficEvent>> addedChildren; // to rows already shown
    std::vector<Owner> owners;
    owners.reserve(m_pending.size());
    int firstChanged = INT_MAX;
    int lastChanged = -1;
    const qsizetype methodCount = m_methods.size();

    auto find = [&](const QString &key) -> std::pair<quint64, Row *> {
        auto it = m_requests.constFind(key);
        if (it == m_requests.constEnd())
            return {0, nullptr};
        const quint64 serial = it.value();
        if (serial >= committedEnd)
            return {serial, added[serial - committedEnd].get()};
        return {serial, rowBySerial(serial)};
    };

    for (TrafficEvent &event : m_pending) {
        const qsizetype cost = traffic::TrafficLog::estimatedBytes(event);
        m_storedBytes += cost;
        if (isResponse(event)) {
            const Direction requestDirection
                = event.direction == Direction::Inbound ? Direction::Outbound : Direction::Inbound;
            auto [serial, row] = find(requestKey(requestDirection, event.sessionId, event.rpcId));
            if (row && !row->response) {
                row->response = std::move(event);
                owners.push_back({serial, false, cost});
                if (serial < committedEnd) {
                    const int r = int(serial - m_firstSerial);
                    firstChanged = std::min(firstChanged, r);
                    lastChanged = std::max(lastChanged, r);
                }
                continue;
            }
        } else if (event.kind == EventKind::Upstream && !event.relatedRpcId.isEmpty()) {
            auto [serial, row]
                = find(requestKey(Direction::Inbound, event.sessionId, event.relatedRpcId));
            if (row) {
                owners.push_back({serial, false, cost});
                if (serial < committedEnd)
                    addedChildren[serial].push_back(std::move(event));
                else
                    row->children.push_back(std::move(event));
                continue;
            }
        }
        auto row = std::make_unique<Row>();
        row->serial = committedEnd + added.size();
        if (event.kind == EventKind::Mcp && !event.method.isEmpty())
            m_methods.insert(event.method);
        if (event.kind == EventKind::Mcp && event.messageType == u"request"
            && !event.rpcId.isEmpty()) {
            row->requestKey = requestKey(event.direction, event.sessionId, event.rpcId);
            m_requests.insert(row->requestKey, row->serial);
        }
        row->event = std::move(event);
        owners.push_back({row->serial, true, cost});
        added.push_back(std::move(row));
    }
    m_pending.clear();

    if (lastChanged >= 0)
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    for (auto &[serial, children] : addedChildren) {
        Row *row = rowBySerial(serial);
        const int first = int(row->children.size());
        beginInsertRows(createIndex(int(serial - m_firstSerial), 0, quintptr(0)), first,
                        first + int(children.size()) - 1);
        for (TrafficEvent &child : children)
            row->children.push_back(std::move(child));
        endInsertRows();
    }
    if (!added.empty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (auto &row : added)
            m_rows.push_back(std::move(row));
        endInsertRows();
    }
    m_owners.insert(m_owners.end(), owners.begin(), owners.end());
    if (m_methods.size() != methodCount)
        emit methodsChanged();
}

QModelIndex TrafficLogModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid()) {
        if (row >= int(m_rows.size()))
            return {};
        return createIndex(row, column, quintptr(0));
    }
    if (parent.internalId() != 0 || parent.row() >= int(m_rows.size()))
        return {};
    const Row &owner = *m_rows[parent.row()];
    if (row >= int(owner.children.size()))
        return {};
    // A child carries its parent's serial (+1, so 0 means top level): stable while older rows
    // are dropped in front of it.
    return createIndex(row, column, quintptr(owner.serial + 1));
}

QModelIndex TrafficLogModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    const quint64 serial = child.internalId() - 1;
    if (!rowBySerial(serial))
        return {};
    return createIndex(int(serial - m_firstSerial), 0, quintptr(0));
}

int TrafficLogModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_rows.size());
    if (parent.internalId() != 0 || parent.column() != 0 || parent.row() >= int(m_rows.size()))
        return 0;
    return int(m_rows[parent.row()]->children.size());
}

int TrafficLogModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant TrafficLogModel::display(const Row &row, int column) const
{
    const TrafficEvent &event = row.event;
    switch (column) {
    case TimeColumn: return formatTime(event.timeMs);
    case DirectionColumn:
        if (event.kind == EventKind::Note)
            return tr("Note");
        return event.direction == Direction::Inbound ? tr("From client") : tr("To client");
    case SessionColumn: return event.sessionId;
    case MethodColumn:
        if (event.kind == EventKind::Mcp && !event.method.isEmpty())
            return event.method;
        return event.summary;
    case IdColumn: return event.rpcId;
    case StatusColumn:
        if (row.response)
            return row.response->isError ? tr("Error") : tr("OK");
        if (event.messageType == u"request")
            return tr("Waiting…");
        if (event.messageType == u"invalid")
            return tr("Not understood");
        if (isResponse(event) || event.isError)
            return event.isError ? tr("Error") : tr("OK");
        return {};
    case LatencyColumn: {
        const qint64 ms = row.response ? row.response->durationMs : event.durationMs;
        return ms >= 0 ? tr("%1 ms").arg(ms) : QString();
    }
    case SizeColumn:
        if (row.response)
            return tr("%1 / %2").arg(formatSize(event.size), formatSize(row.response->size));
        return formatSize(event.size);
    }
    return {};
}

QVariant TrafficLogModel::displayChild(const TrafficEvent &event, int column) const
{
    switch (column) {
    case TimeColumn: return formatTime(event.timeMs);
    case DirectionColumn: return tr("To the API");
    case SessionColumn: return event.sessionId;
    case MethodColumn: return QString(event.httpMethod + u' ' + event.url);
    case StatusColumn:
        return event.httpStatus > 0 ? QString::number(event.httpStatus) : tr("No answer");
    case LatencyColumn:
        return event.durationMs >= 0 ? tr("%1 ms").arg(event.durationMs) : QString();
    case SizeColumn: return formatSize(event.size);
    }
    return {};
}

QVariant TrafficLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const bool child = index.internalId() != 0;
    const Row *row = child
                         ? rowBySerial(index.internalId() - 1)
                         : (index.row() < int(m_rows.size()) ? m_rows[index.row()].get() : nullptr);
    if (!row || (child && index.row() >= int(row->children.size())))
        return {};
    const TrafficEvent &event = child ? row->children[index.row()] : row->event;
    const bool isError
        = child ? event.isError : event.isError || (row->response && row->response->isError);

    switch (role) {
    case Qt::DisplayRole:
        return child ? displayChild(event, index.column()) : display(*row, index.column());
    case Qt::ToolTipRole:
        if (!child && row->response && !row->response->summary.isEmpty())
            return QString(event.summary + u'\n' + row->response->summary);
        return event.summary.isEmpty() ? QVariant() : QVariant(event.summary);
    case Qt::DecorationRole:
        if (index.column() == StatusColumn && isError)
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == LatencyColumn || index.column() == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EventRole: return QVariant::fromValue(event);
    case ResponseRole:
        if (!child && row->response)
            return QVariant::fromValue(*row->response);
        return {};
    case HasResponseRole: return !child && row->response.has_value();
    case IsErrorRole: return isError;
    case McpMethodRole: return row->event.method;
    case SearchTextRole:
        if (!child && row->response)
            return QString(searchText(event) + u'\n' + searchText(*row->response));
        return searchText(event);
    case IsUpstreamRole: return event.kind == EventKind::Upstream;
    }
    return {};
}

QVariant TrafficLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    static const char *const titles[]
        = {QT_TR_NOOP("Time"), QT_TR_NOOP("Direction"), QT_TR_NOOP("Session"), QT_TR_NOOP("Method"),
           QT_TR_NOOP("ID"),   QT_TR_NOOP("Status"),    QT_TR_NOOP("Latency"), QT_TR_NOOP("Size")};
    static const char *const tips[]
        = {QT_TR_NOOP("When the message was sent or received"),
           QT_TR_NOOP("Who sent it: the AI client, the bridge, or the bridge calling your API"),
           QT_TR_NOOP("Which client connection the message belongs to"),
           QT_TR_NOOP("What was asked for; for calls to your API, the HTTP method and address"),
           QT_TR_NOOP("The number that pairs a request with its answer"),
           QT_TR_NOOP("Whether the request got an answer and whether it worked"),
           QT_TR_NOOP("How long the answer took"),
           QT_TR_NOOP("Size of the message (and of its answer)")};
    if (section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole)
        return tr(titles[section]);
    if (role == Qt::ToolTipRole)
        return tr(tips[section]);
    return {};
}

} // namespace mcpbridge::ui
