#pragma once

// "Running bridges": the bridges running on this machine (also those Claude Desktop or Cursor
// started), with Attach / Detach to show one's live traffic in the studio's traffic log. Docked
// by MainWindow, which passes the TrafficView's model and shows attachmentChanged's text.

#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
QT_END_NAMESPACE

namespace mcpbridge::ui {

class RunningBridgesModel;
class TrafficAttachment;
class TrafficLogModel;

class RunningBridgesPanel : public QWidget
{
    Q_OBJECT
public:
    // `trafficModel` is the model the attached bridge's events go into (TrafficView::model());
    // it must outlive the panel.
    explicit RunningBridgesPanel(TrafficLogModel *trafficModel, QWidget *parent = nullptr);
    ~RunningBridgesPanel() override;

    RunningBridgesModel *bridgesModel() const { return m_bridges; }
    TrafficAttachment *attachment() const { return m_attachment; }
    QTableView *table() const { return m_table; }
    QPushButton *attachButton() const { return m_attach; }
    QPushButton *detachButton() const { return m_detach; }
    QLabel *emptyLabel() const { return m_empty; }
    QLabel *statusLabel() const { return m_status; }
    // The marker for the traffic view: which process the log shows, or empty.
    QString markerText() const;

public slots:
    // Attaches to the selected bridge; false when none is selected.
    bool attachSelected();
    // Attaches to the running bridge with this PID; false when it is not in the list.
    bool attachToPid(qint64 pid);
    void detach();

signals:
    // Which process the traffic log is showing now ("Watching “Pantry & Recipes” — mcpbridge
    // PID 4242, stdio"), that it ended, or empty when the log shows something else.
    void attachmentChanged(const QString &markerText);

private:
    void updateState();

    RunningBridgesModel *m_bridges;
    QSortFilterProxyModel *m_proxy;
    TrafficAttachment *m_attachment;
    QStackedWidget *m_stack;
    QTableView *m_table;
    QLabel *m_empty;
    QLabel *m_status;
    QPushButton *m_attach;
    QPushButton *m_detach;
};

} // namespace mcpbridge::ui
