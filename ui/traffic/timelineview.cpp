#include "ui/traffic/timelineview.h"

#include "ui/traffic/trafficlogmodel.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QScrollBar>
#include <QToolTip>

#include <cmath>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

namespace {

QString kindName(TimelineData::LaneKind kind)
{
    switch (kind) {
    case TimelineData::LaneKind::Tool: return TimelineView::tr("Tool");
    case TimelineData::LaneKind::Prompt: return TimelineView::tr("Prompt");
    case TimelineData::LaneKind::Resource: return TimelineView::tr("Resource");
    }
    return {};
}

} // namespace

int TimelineView::ChartLayout::x(qint64 ms) const
{
    const double span = double(std::max<qint64>(1, t1 - t0));
    return plot.left() + int(std::lround(double(ms - t0) * plot.width() / span));
}

TimelineView::TimelineView(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_data(new TimelineData(this))
{
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAutoFillBackground(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Timeline of calls"));
    setToolTip(tr("Each bar is one call: it starts when the AI app asked and ends when the "
                  "answer went back, so longer bars took longer. Red diamonds failed; hollow bars "
                  "are still waiting. Click a call to find it in the table."));
    verticalScrollBar()->setToolTip(tr("Scroll through the tools"));

    // Traffic can add rows every 16 ms; the chart repaints at most every 100 ms.
    m_repaint.setSingleShot(true);
    m_repaint.setInterval(100);
    connect(&m_repaint, &QTimer::timeout, this, [this] {
        updateScrollRange();
        updateAccessibleDescription();
        viewport()->update();
    });
    connect(m_data, &TimelineData::changed, this, &TimelineView::scheduleRepaint);
}

TimelineView::~TimelineView() = default;

void TimelineView::setModel(TrafficLogModel *model)
{
    m_current = QPersistentModelIndex();
    m_data->setModel(model);
}

int TimelineView::currentCall() const
{
    if (!m_current.isValid())
        return -1;
    const QList<TimelineData::Call> &calls = m_data->calls();
    const int row = m_current.row();
    // Calls are in row order.
    const auto it = std::lower_bound(calls.begin(), calls.end(), row,
                                     [](const TimelineData::Call &c, int r) { return c.row < r; });
    return it != calls.end() && it->row == row ? int(it - calls.begin()) : -1;
}

void TimelineView::scheduleRepaint()
{
    if (!m_repaint.isActive())
        m_repaint.start();
}

QSize TimelineView::sizeHint() const
{
    const int line = fontMetrics().lineSpacing();
    const int lanes = std::clamp(int(m_data->lanes().size()), 3, 8);
    const int frame = 2 * frameWidth();
    return {fontMetrics().averageCharWidth() * 80 + frame,
            lanes * (2 * line + 10) + line + 8 + 2 * Margin + frame};
}

QSize TimelineView::minimumSizeHint() const
{
    const int line = fontMetrics().lineSpacing();
    const int frame = 2 * frameWidth();
    return {fontMetrics().averageCharWidth() * 30 + frame,
            (2 * line + 10) + line + 8 + 2 * Margin + frame};
}

TimelineView::ChartLayout TimelineView::chartLayout() const
{
    ChartLayout g;
    const QFontMetrics fm = fontMetrics();
    const int line = fm.lineSpacing();
    g.laneHeight = 2 * line + 10;
    const int axisHeight = line + 8;
    const QRect content = viewport()->rect().adjusted(Margin, Margin, -Margin, -Margin);

    int labelWidth = fm.averageCharWidth() * 12;
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics boldFm(bold);
    for (const TimelineData::Lane &lane : m_data->lanes())
        labelWidth = std::max({labelWidth, boldFm.horizontalAdvance(lane.title()),
                               fm.horizontalAdvance(lane.summary())});
    labelWidth = std::min(labelWidth + Gap, std::max(content.width() * 2 / 5, 60));

    g.labels = QRect(content.left(), content.top(), labelWidth, content.height() - axisHeight);
    g.plot = QRect(g.labels.right() + 1 + Gap, content.top(),
                   std::max(10, content.right() - g.labels.right() - Gap), g.labels.height());
    g.axis = QRect(g.plot.left(), g.plot.bottom() + 1, g.plot.width(), axisHeight);

    g.t0 = m_data->firstMs();
    g.t1 = std::max(m_data->lastMs(), g.t0 + 1000);
    const qint64 pad = (g.t1 - g.t0) / 40 + 1; // marks at the edges stay whole
    g.t0 -= pad;
    g.t1 += pad;
    return g;
}

int TimelineView::laneTop(const ChartLayout &g, int lane) const
{
    return g.plot.top() + lane * g.laneHeight - verticalScrollBar()->value();
}

QRect TimelineView::markRect(const ChartLayout &g, const TimelineData::Call &call) const
{
    const int barHeight = std::max(6, g.laneHeight / 3);
    const int centre = laneTop(g, call.lane) + g.laneHeight / 2;
    const int x0 = g.x(call.startMs);
    // A waiting call reaches to the newest answer, and is at least wide enough to look hollow.
    const int x1
        = call.answered ? g.x(call.endMs()) : g.x(std::max(call.startMs, m_data->lastMs()));
    QRect bar(x0, centre - barHeight / 2, std::max(call.answered ? 3 : barHeight, x1 - x0),
              barHeight);
    if (call.answered && call.isError) {
        const int r = barHeight / 2 + 3;
        bar = bar.united(QRect(x0 - r, centre - r, 2 * r + 1, 2 * r + 1));
    }
    return bar;
}

QRect TimelineView::callRect(int call) const
{
    const QList<TimelineData::Call> &calls = m_data->calls();
    if (call < 0 || call >= calls.size())
        return {};
    const ChartLayout g = chartLayout();
    const QRect r = markRect(g, calls.at(call));
    return r.intersects(g.plot) ? r : QRect();
}

int TimelineView::callAt(const QPoint &pos) const
{
    const ChartLayout g = chartLayout();
    if (!g.plot.adjusted(-Gap, 0, Gap, 0).contains(pos))
        return -1;
    const int lane = (pos.y() - g.plot.top() + verticalScrollBar()->value()) / g.laneHeight;
    const QList<TimelineData::Lane> &lanes = m_data->lanes();
    if (lane < 0 || lane >= lanes.size())
        return -1;
    const QList<TimelineData::Call> &calls = m_data->calls();
    // The newest is drawn on top, so it wins; a thin bar gets a few pixels of slack.
    int nearest = -1;
    int nearestDistance = 5;
    const QList<int> &inLane = lanes.at(lane).calls;
    for (auto it = inLane.crbegin(); it != inLane.crend(); ++it) {
        const QRect r = markRect(g, calls.at(*it));
        if (r.contains(pos))
            return *it;
        if (pos.y() < r.top() - 4 || pos.y() > r.bottom() + 4)
            continue;
        const int distance = pos.x() < r.left() ? r.left() - pos.x() : pos.x() - r.right();
        if (distance < nearestDistance) {
            nearestDistance = distance;
            nearest = *it;
        }
    }
    return nearest;
}

QString TimelineView::toolTipFor(int call) const
{
    const QList<TimelineData::Call> &calls = m_data->calls();
    if (call < 0 || call >= calls.size())
        return {};
    const TimelineData::Call &c = calls.at(call);
    QStringList lines;
    lines << kindName(c.kind) + u": "_s + c.name;
    lines << tr("Asked at %1")
                 .arg(QDateTime::fromMSecsSinceEpoch(c.startMs).toString(u"HH:mm:ss.zzz"_s));
    if (!c.answered) {
        lines << tr("No answer yet");
    } else {
        lines << tr("Answered after %1 ms").arg(c.latencyMs);
        lines << (c.isError ? tr("Failed") : tr("Worked"));
    }
    lines << tr("Click to show it in the table");
    return lines.join(u'\n');
}

void TimelineView::setCurrentCall(int call)
{
    const QList<TimelineData::Call> &calls = m_data->calls();
    const bool valid = call >= 0 && call < calls.size();
    m_current = valid ? QPersistentModelIndex(m_data->sourceIndex(call)) : QPersistentModelIndex();
    if (valid) {
        // Bring its lane into view.
        const ChartLayout g = chartLayout();
        const int top = calls.at(call).lane * g.laneHeight;
        if (top < verticalScrollBar()->value())
            verticalScrollBar()->setValue(top);
        else if (top + g.laneHeight > verticalScrollBar()->value() + g.plot.height())
            verticalScrollBar()->setValue(top + g.laneHeight - g.plot.height());
    }
    viewport()->update();
}

void TimelineView::activateCurrent()
{
    if (m_current.isValid())
        emit callActivated(QModelIndex(m_current));
}

void TimelineView::updateScrollRange()
{
    const ChartLayout g = chartLayout();
    const int needed = int(m_data->lanes().size()) * g.laneHeight;
    const int range = std::max(0, needed - g.plot.height());
    verticalScrollBar()->setRange(0, range);
    verticalScrollBar()->setPageStep(std::max(1, g.plot.height()));
    verticalScrollBar()->setSingleStep(g.laneHeight);
}

void TimelineView::updateAccessibleDescription()
{
    QStringList parts;
    for (const TimelineData::Lane &lane : m_data->lanes())
        parts << lane.title() + u": "_s + lane.summary();
    setAccessibleDescription(parts.isEmpty() ? tr("No calls yet") : parts.join(u"; "_s));
}

void TimelineView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollRange();
}

void TimelineView::scrollContentsBy(int, int)
{
    viewport()->update();
}

void TimelineView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange)
        scheduleRepaint();
    QAbstractScrollArea::changeEvent(event);
}

bool TimelineView::viewportEvent(QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return QAbstractScrollArea::viewportEvent(event);
    const auto *help = static_cast<QHelpEvent *>(event);
    const int call = callAt(help->pos());
    if (call >= 0) {
        QToolTip::showText(help->globalPos(), toolTipFor(call), viewport(), callRect(call));
        return true;
    }
    const ChartLayout g = chartLayout();
    const int lane
        = (help->pos().y() - g.labels.top() + verticalScrollBar()->value()) / g.laneHeight;
    const QList<TimelineData::Lane> &lanes = m_data->lanes();
    if (g.labels.contains(help->pos()) && lane >= 0 && lane < lanes.size()) {
        QToolTip::showText(help->globalPos(),
                           lanes.at(lane).title() + u'\n' + lanes.at(lane).summary(), viewport());
        return true;
    }
    QToolTip::showText(help->globalPos(), toolTip(), viewport());
    return true;
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const int call = callAt(event->position().toPoint());
    if (call < 0)
        return;
    setCurrentCall(call);
    activateCurrent();
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    const QList<TimelineData::Call> &calls = m_data->calls();
    if (calls.isEmpty()) {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    const int last = int(calls.size()) - 1;
    const int currentCall = this->currentCall();
    const int current = std::clamp(currentCall, 0, last);
    auto nearestInLane = [&](int lane) {
        const QList<TimelineData::Lane> &lanes = m_data->lanes();
        if (lane < 0 || lane >= lanes.size())
            return current;
        const qint64 at = calls.at(current).startMs;
        int best = lanes.at(lane).calls.first();
        for (const int i : lanes.at(lane).calls) {
            if (std::abs(calls.at(i).startMs - at) < std::abs(calls.at(best).startMs - at))
                best = i;
        }
        return best;
    };
    switch (event->key()) {
    case Qt::Key_Left: setCurrentCall(currentCall < 0 ? last : std::max(0, current - 1)); break;
    case Qt::Key_Right: setCurrentCall(currentCall < 0 ? 0 : std::min(last, current + 1)); break;
    case Qt::Key_Home: setCurrentCall(0); break;
    case Qt::Key_End: setCurrentCall(last); break;
    case Qt::Key_Up: setCurrentCall(nearestInLane(calls.at(current).lane - 1)); break;
    case Qt::Key_Down: setCurrentCall(nearestInLane(calls.at(current).lane + 1)); break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        if (currentCall >= 0)
            activateCurrent();
        break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
    }
    event->accept();
}

} // namespace mcpbridge::ui
