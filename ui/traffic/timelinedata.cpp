#include "ui/traffic/timelinedata.h"

#include "core/traffic/trafficevent.h"
#include "ui/traffic/trafficlogmodel.h"

#include <QAbstractItemModel>
#include <QCoreApplication>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>
#include <map>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

using traffic::TrafficEvent;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("TimelineData", text);
}

QString msText(qint64 ms)
{
    if (ms < 10000)
        return tr("%1 ms").arg(ms);
    return tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
}

} // namespace

QString TimelineData::Lane::title() const
{
    switch (kind) {
    case LaneKind::Tool: return name;
    case LaneKind::Prompt: return tr("Prompt: %1").arg(name);
    case LaneKind::Resource: return tr("Resources read");
    }
    return name;
}

QString TimelineData::Lane::summary() const
{
    QStringList parts;
    parts << (count == 1 ? tr("1 call") : tr("%1 calls").arg(count));
    if (medianMs >= 0)
        parts << tr("median %1").arg(msText(medianMs));
    if (maxMs >= 0 && answered > 1)
        parts << tr("slowest %1").arg(msText(maxMs));
    if (errors > 0)
        parts << (errors == 1 ? tr("1 failed") : tr("%1 failed").arg(errors));
    if (pending > 0)
        parts << (pending == 1 ? tr("1 waiting") : tr("%1 waiting").arg(pending));
    return parts.join(u" · "_s);
}

TimelineData::TimelineData(QObject *parent)
    : QObject(parent)
{}

TimelineData::~TimelineData() = default;

void TimelineData::setModel(QAbstractItemModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (model) {
        connect(model, &QAbstractItemModel::rowsInserted, this,
                [this](const QModelIndex &parent, int first, int last) {
                    if (parent.isValid())
                        return; // an upstream exchange under its request
                    std::deque<std::optional<Call>> added;
                    for (int row = first; row <= last; ++row)
                        added.push_back(callAtRow(row));
                    m_rows.insert(m_rows.begin() + std::min<qsizetype>(first, m_rows.size()),
                                  std::make_move_iterator(added.begin()),
                                  std::make_move_iterator(added.end()));
                    markDirty();
                });
        connect(model, &QAbstractItemModel::rowsRemoved, this,
                [this](const QModelIndex &parent, int first, int last) {
                    if (parent.isValid() || first >= int(m_rows.size()))
                        return;
                    last = std::min(last, int(m_rows.size()) - 1);
                    m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
                    markDirty();
                });
        connect(model, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                    // An answer arrived for these requests.
                    if (topLeft.parent().isValid())
                        return;
                    const int last = std::min(bottomRight.row(), int(m_rows.size()) - 1);
                    for (int row = std::max(0, topLeft.row()); row <= last; ++row)
                        m_rows[row] = callAtRow(row);
                    markDirty();
                });
        connect(model, &QAbstractItemModel::modelReset, this, &TimelineData::rebuild);
        connect(model, &QAbstractItemModel::layoutChanged, this, &TimelineData::rebuild);
        connect(model, &QAbstractItemModel::rowsMoved, this, &TimelineData::rebuild);
    }
    rebuild();
}

void TimelineData::rebuild()
{
    m_rows.clear();
    const int rows = m_model ? m_model->rowCount() : 0;
    for (int row = 0; row < rows; ++row)
        m_rows.push_back(callAtRow(row));
    markDirty();
}

void TimelineData::markDirty()
{
    m_dirty = true;
    emit changed();
}

std::optional<TimelineData::Call> TimelineData::callAtRow(int row) const
{
    const QModelIndex index = m_model->index(row, 0);
    const QVariant request = index.data(TrafficLogModel::EventRole);
    if (!request.isValid())
        return std::nullopt;
    const QVariant response = index.data(TrafficLogModel::ResponseRole);
    return callFor(request.value<TrafficEvent>(),
                   response.isValid() ? std::optional(response.value<TrafficEvent>())
                                      : std::nullopt);
}

std::optional<TimelineData::Call> TimelineData::callFor(const TrafficEvent &request,
                                                        const std::optional<TrafficEvent> &response)
{
    if (request.kind != traffic::EventKind::Mcp || request.direction != traffic::Direction::Inbound
        || request.messageType != u"request")
        return std::nullopt;
    Call call;
    QString key;
    if (request.method == u"tools/call") {
        call.kind = LaneKind::Tool;
        key = u"name"_s;
    } else if (request.method == u"prompts/get") {
        call.kind = LaneKind::Prompt;
        key = u"name"_s;
    } else if (request.method == u"resources/read") {
        call.kind = LaneKind::Resource;
        key = u"uri"_s;
    } else {
        return std::nullopt;
    }
    const QJsonObject params
        = QJsonDocument::fromJson(request.body).object().value("params"_L1).toObject();
    call.name = params.value(key).toString();
    if (call.name.isEmpty() && request.summary.startsWith(request.method + u' '))
        call.name = request.summary.mid(request.method.size() + 1).section(u' ', 0, 0);
    if (call.name.isEmpty())
        call.name = tr("(no name)");
    call.startMs = request.timeMs;
    if (response) {
        call.answered = true;
        call.isError = response->isError;
        call.latencyMs = response->durationMs >= 0
                             ? response->durationMs
                             : std::max<qint64>(0, response->timeMs - request.timeMs);
    }
    return call;
}

qint64 TimelineData::median(QList<qint64> values)
{
    if (values.isEmpty())
        return -1;
    const auto middle = values.begin() + (values.size() - 1) / 2;
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

void TimelineData::compute() const
{
    if (!m_dirty)
        return;
    m_dirty = false;
    m_calls.clear();
    m_lanes.clear();
    m_firstMs = 0;
    m_lastMs = 0;

    // Lanes in a fixed order whatever order calls came in: kind, then name.
    std::map<std::pair<int, QString>, QList<int>> byLane;
    for (qsizetype row = 0; row < qsizetype(m_rows.size()); ++row) {
        if (!m_rows[row])
            continue;
        Call call = *m_rows[row];
        call.row = int(row);
        const QString laneName = call.kind == LaneKind::Resource ? QString() : call.name;
        byLane[{int(call.kind), laneName}].append(int(m_calls.size()));
        if (m_calls.isEmpty() || call.startMs < m_firstMs)
            m_firstMs = call.startMs;
        m_lastMs = std::max(m_lastMs, call.endMs());
        m_calls.append(std::move(call));
    }
    for (auto &[key, indices] : byLane) {
        Lane lane;
        lane.kind = LaneKind(key.first);
        lane.name = key.second;
        lane.calls = indices;
        lane.count = int(indices.size());
        QList<qint64> latencies;
        latencies.reserve(indices.size());
        for (const int i : std::as_const(indices)) {
            Call &call = m_calls[i];
            call.lane = int(m_lanes.size());
            if (!call.answered) {
                ++lane.pending;
                continue;
            }
            ++lane.answered;
            if (call.isError)
                ++lane.errors;
            latencies.append(call.latencyMs);
            lane.maxMs = std::max(lane.maxMs, call.latencyMs);
        }
        lane.medianMs = median(std::move(latencies));
        m_lanes.append(std::move(lane));
    }
}

const QList<TimelineData::Call> &TimelineData::calls() const
{
    compute();
    return m_calls;
}

const QList<TimelineData::Lane> &TimelineData::lanes() const
{
    compute();
    return m_lanes;
}

qint64 TimelineData::firstMs() const
{
    compute();
    return m_firstMs;
}

qint64 TimelineData::lastMs() const
{
    compute();
    return m_lastMs;
}

QModelIndex TimelineData::sourceIndex(int call) const
{
    const QList<Call> &all = calls();
    if (!m_model || call < 0 || call >= all.size())
        return {};
    return m_model->index(all.at(call).row, 0);
}

} // namespace mcpbridge::ui
