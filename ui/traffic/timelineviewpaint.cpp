// TimelineView's painting: lanes with their titles and numbers, the marks, the time axis.

#include "ui/traffic/timelineview.h"

#include <QDateTime>
#include <QPainter>
#include <QScrollBar>

#include <array>
#include <climits>
#include <limits>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

namespace {

// A diamond centred on `c`: the failure shape, so a failure is not told by colour alone.
QPolygonF diamond(QPointF c, qreal r)
{
    return QPolygonF({QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y()),
                      QPointF(c.x(), c.y() + r), QPointF(c.x() - r, c.y())});
}

} // namespace

QColor TimelineView::errorColor() const
{
    // Readable on both: a deep red on light backgrounds, a light red on dark ones.
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
}

void TimelineView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    const ChartLayout g = chartLayout();
    if (m_data->calls().isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(viewport()->rect().adjusted(Margin * 3, Margin, -Margin * 3, -Margin),
                   Qt::AlignCenter | Qt::TextWordWrap,
                   tr("Each tool call will show here as a bar on a time line, one line per "
                      "tool: longer bars took longer, red diamonds failed."));
        return;
    }
    paintLanes(p, g);
    paintAxis(p, g);
}

void TimelineView::paintAxis(QPainter &p, const ChartLayout &g) const
{
    // The smallest step whose labels do not overlap.
    static constexpr std::array<qint64, 22> steps{
        10,     20,      50,      100,     200,      500,     1000,   2000,
        5000,   10000,   15000,   30000,   60000,    120000,  300000, 600000,
        900000, 1800000, 3600000, 7200000, 21600000, 86400000};
    const QFontMetrics fm = fontMetrics();
    const double pxPerMs = double(g.plot.width()) / double(std::max<qint64>(1, g.t1 - g.t0));
    qint64 step = steps.back();
    QString format = u"HH:mm"_s;
    for (const qint64 s : steps) {
        const QString f = s < 1000 ? u"HH:mm:ss.zzz"_s : s < 60000 ? u"HH:mm:ss"_s : u"HH:mm"_s;
        const int labelWidth = fm.horizontalAdvance(QDateTime::fromMSecsSinceEpoch(0).toString(f));
        if (double(s) * pxPerMs >= labelWidth + 2 * Gap) {
            step = s;
            format = f;
            break;
        }
    }
    // Ticks on round local times ("12:03:10", not "12:03:07").
    const qint64 offset = qint64(QDateTime::fromMSecsSinceEpoch(g.t0).offsetFromUtc()) * 1000;
    qint64 tick = ((g.t0 + offset + step - 1) / step) * step - offset;

    QColor grid = palette().color(QPalette::Mid);
    grid.setAlpha(90);
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(g.plot.left(), g.plot.bottom(), g.plot.right(), g.plot.bottom());
    int lastRight = std::numeric_limits<int>::min(); // labels near the edges are pushed inwards
    for (; tick <= g.t1; tick += step) {
        const int x = g.x(tick);
        if (x < g.plot.left() || x > g.plot.right())
            continue;
        p.setPen(grid);
        p.drawLine(x, g.plot.top(), x, g.plot.bottom());
        p.setPen(palette().color(QPalette::Text));
        const QString label = QDateTime::fromMSecsSinceEpoch(tick).toString(format);
        const int w = fm.horizontalAdvance(label);
        const int left = std::clamp(x - w / 2, g.axis.left(), g.axis.right() - w);
        if (left < lastRight + Gap)
            continue; // would run into the previous label: the grid line alone says enough
        lastRight = left + w;
        p.drawText(QRect(left, g.axis.top() + 4, w, fm.height()), Qt::AlignCenter, label);
    }
}

void TimelineView::paintLanes(QPainter &p, const ChartLayout &g) const
{
    const QList<TimelineData::Lane> &lanes = m_data->lanes();
    const QList<TimelineData::Call> &calls = m_data->calls();
    const QFontMetrics fm = fontMetrics();
    QFont bold = font();
    bold.setBold(true);
    const QColor ok = palette().color(QPalette::Highlight);
    const QColor failed = errorColor();
    const QRect area = viewport()->rect();
    const QRect visible(area.left(), g.plot.top(), area.width(), g.plot.height());

    p.save();
    p.setClipRect(visible);
    for (int lane = 0; lane < lanes.size(); ++lane) {
        const int top = laneTop(g, lane);
        if (top + g.laneHeight < g.plot.top() || top > g.plot.bottom())
            continue;
        const QRect row(area.left(), top, area.width(), g.laneHeight);
        if (lane % 2 == 1)
            p.fillRect(row, palette().color(QPalette::AlternateBase));
        const TimelineData::Lane &l = lanes.at(lane);
        const QRect text
            = QRect(g.labels.left(), top + 4, g.labels.width() - Gap, g.laneHeight - 8);
        p.setFont(bold);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(text, Qt::AlignLeft | Qt::AlignTop,
                   QFontMetrics(bold).elidedText(l.title(), Qt::ElideMiddle, text.width()));
        p.setFont(font());
        p.setPen(l.errors > 0 ? failed : palette().color(QPalette::PlaceholderText));
        p.drawText(text, Qt::AlignLeft | Qt::AlignBottom,
                   fm.elidedText(l.summary(), Qt::ElideRight, text.width()));
    }
    p.restore();

    p.save();
    p.setClipRect(g.plot.adjusted(-Gap, 0, Gap, 0).intersected(visible));
    p.setRenderHint(QPainter::Antialiasing, true);
    for (int lane = 0; lane < lanes.size(); ++lane) {
        const int top = laneTop(g, lane);
        if (top + g.laneHeight < g.plot.top() || top > g.plot.bottom())
            continue;
        // Thousands of calls land on the same few pixels: draw a bar only where it adds ink.
        int drawnLeft = INT_MIN;
        int drawnRight = INT_MIN;
        for (const int i : lanes.at(lane).calls) {
            const TimelineData::Call &c = calls.at(i);
            const QRect r = markRect(g, c);
            const int barHeight = std::max(6, g.laneHeight / 3);
            const QRect bar(r.left(), top + g.laneHeight / 2 - barHeight / 2, r.width(), barHeight);
            if (!c.answered) {
                QPen pen(ok, 1.5, Qt::DashLine);
                p.setPen(pen);
                p.setBrush(Qt::NoBrush);
                p.drawRect(QRectF(bar).adjusted(0.75, 0.75, -0.75, -0.75));
            } else if (c.isError) {
                const int x0 = g.x(c.startMs);
                const QRect errBar(x0, bar.top(), std::max(3, g.x(c.endMs()) - x0), barHeight);
                p.fillRect(errBar, failed);
                p.setPen(QPen(palette().color(QPalette::Base), 1.0));
                p.setBrush(failed);
                p.drawPolygon(
                    diamond(QPointF(x0 + 0.5, bar.center().y() + 0.5), barHeight / 2.0 + 3.0));
            } else {
                if (r.left() >= drawnLeft && r.right() <= drawnRight)
                    continue;
                p.fillRect(bar, ok);
                drawnLeft = r.left();
                drawnRight = r.right();
            }
        }
    }
    if (const int current = currentCall(); current >= 0) {
        const QRect r = markRect(g, calls.at(current)).adjusted(-3, -3, 3, 3);
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(
            QPen(palette().color(QPalette::Text), 1, hasFocus() ? Qt::SolidLine : Qt::DotLine));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r);
    }
    p.restore();
}

} // namespace mcpbridge::ui
