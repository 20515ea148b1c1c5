#pragma once

// The studio's traffic log panel: the message tree with its filter bar, a detail pane with the
// selected message as coloured JSON, Copy as curl / Open / Export / Clear, and a marker line
// saying where the traffic shown comes from. Docked by MainWindow.

#include "ui/traffic/trafficfile.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeView;
QT_END_NAMESPACE

namespace mcpbridge::traffic {
class TrafficLog;
}

namespace mcpbridge::ui {

class JsonHighlighter;
class TrafficFilterProxy;
class TrafficLogModel;

class TrafficView : public QWidget
{
    Q_OBJECT
public:
    explicit TrafficView(QWidget *parent = nullptr);

    // Follows a bridge's own log. To show a running bridge's tap instead, leave the log unset
    // and connect TapClient::eventReceived to model()->appendEvent.
    void setLog(traffic::TrafficLog *log);

    TrafficLogModel *model() const { return m_model; }
    TrafficFilterProxy *proxy() const { return m_proxy; }
    QTreeView *tree() const { return m_tree; }
    QPlainTextEdit *detail() const { return m_detail; }
    QComboBox *methodCombo() const { return m_methodCombo; }
    QCheckBox *errorsOnlyBox() const { return m_errorsOnly; }
    QLineEdit *searchField() const { return m_search; }
    QPushButton *copyCurlButton() const { return m_copyCurl; }
    QPushButton *openButton() const { return m_open; }
    QPushButton *exportButton() const { return m_export; }
    QPushButton *clearButton() const { return m_clear; }
    // True while new messages scroll into view (false once the user scrolled up).
    bool followsNewest() const { return m_followNewest; }

    // Writes every shown event as JSON Lines; an error message for people, or empty.
    QString exportTo(const QString &path) const;
    // Shows a saved log (JSON Lines, as Export writes it) in place of what is shown, with the
    // marker "Opened from <file>". A log or bridge shown before is no longer followed. On error
    // nothing changes; skipped lines are described by the result's warning().
    [[nodiscard]] Result<TrafficFileContents> openFile(const QString &path);

    // Where the traffic shown comes from ("Watching “Pantry & Recipes” — mcpbridge PID 4242,
    // stdio", "Opened from session.jsonl"), shown above the table; empty hides the line. Reset
    // when the model is given another source (TrafficLogModel::logChanged).
    QString sourceMarker() const { return m_markerText; }
    QLabel *markerLabel() const { return m_marker; }

    // Selects this row of model() in the table and scrolls to it, clearing the filters when they
    // hide it (TimelineView::callActivated connects here). False for an index not in the model.
    bool showSourceIndex(const QModelIndex &sourceIndex);

public slots:
    void copyAsCurl();
    void exportWithDialog();
    void openWithDialog();
    void clear();
    void setSourceMarker(const QString &text);

signals:
    void sourceMarkerChanged(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateDetail();
    void updateMethods();

    TrafficLogModel *m_model;
    TrafficFilterProxy *m_proxy;
    QTreeView *m_tree;
    QPlainTextEdit *m_detail;
    JsonHighlighter *m_highlighter;
    QComboBox *m_methodCombo;
    QCheckBox *m_errorsOnly;
    QLineEdit *m_search;
    QPushButton *m_copyCurl;
    QPushButton *m_open;
    QPushButton *m_export;
    QPushButton *m_clear;
    QLabel *m_marker;
    QString m_markerText;
    bool m_markerIsFile = false;
    bool m_followNewest = true;
};

} // namespace mcpbridge::ui
