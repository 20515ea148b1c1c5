#pragma once

// A time chart of the calls in the traffic log, one lane per tool: each call is a bar from its
// request to its answer, failures are red diamonds, unanswered calls hollow; each lane says how
// many calls, the median and slowest time and the failures. Hover for details, click (or Enter)
// to select the call in the traffic table. Shown beside TrafficView by MainWindow.

#include "ui/traffic/timelinedata.h"

#include <QAbstractScrollArea>
#include <QPersistentModelIndex>
#include <QTimer>

namespace mcpbridge::ui {

class TrafficLogModel;

class TimelineView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget *parent = nullptr);
    ~TimelineView() override;

    // Follows this model (usually TrafficView::model()); nullptr shows nothing.
    void setModel(TrafficLogModel *model);
    const TimelineData *timelineData() const { return m_data; }

    // The call under `pos` (viewport() coordinates), or -1: an index into
    // timelineData()->calls(). Lanes scroll vertically when they do not fit.
    int callAt(const QPoint &pos) const;
    // Where call `call` is drawn in viewport() (empty when it is scrolled out of view).
    QRect callRect(int call) const;
    // What the tooltip of call `call` says.
    QString toolTipFor(int call) const;

    // The call moved to with the keyboard or clicked, or -1.
    int currentCall() const;
    void setCurrentCall(int call);

    // Repaints at most this often while traffic flows (default 100 ms).
    void setRepaintInterval(int ms) { m_repaint.setInterval(ms); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    // A call was clicked or chosen with Enter: its row in the TrafficLogModel (column 0).
    void callActivated(const QModelIndex &sourceIndex);

protected:
    bool viewportEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void changeEvent(QEvent *event) override;

private:
    static constexpr int Margin = 4;
    static constexpr int Gap = 8;

    struct ChartLayout
    {
        QRect labels; // lane titles and summaries
        QRect plot;   // the marks
        QRect axis;   // time labels under the plot
        int laneHeight = 0;
        qint64 t0 = 0;
        qint64 t1 = 1;
        int x(qint64 ms) const;
    };

    ChartLayout chartLayout() const;
    int laneTop(const ChartLayout &g, int lane) const;
    QRect markRect(const ChartLayout &g, const TimelineData::Call &call) const;
    void scheduleRepaint();
    void updateScrollRange();
    void updateAccessibleDescription();
    void activateCurrent();
    QColor errorColor() const;
    void paintAxis(QPainter &p, const ChartLayout &g) const;
    void paintLanes(QPainter &p, const ChartLayout &g) const;

    TimelineData *m_data;
    QTimer m_repaint;
    QPersistentModelIndex m_current; // the current call's row: stays put while old rows go
};

} // namespace mcpbridge::ui
