#pragma once

// The studio's traffic log panel: the message tree with its filter bar, a detail pane with the
// selected message as coloured JSON, and Copy as curl / Export / Clear. Docked by MainWindow.

#include <QWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
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
    QPushButton *exportButton() const { return m_export; }
    QPushButton *clearButton() const { return m_clear; }
    // True while new messages scroll into view (false once the user scrolled up).
    bool followsNewest() const { return m_followNewest; }

    // Writes every shown event as JSON Lines; an error message for people, or empty.
    QString exportTo(const QString &path) const;

public slots:
    void copyAsCurl();
    void exportWithDialog();
    void clear();

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
    QPushButton *m_export;
    QPushButton *m_clear;
    bool m_followNewest = true;
};

} // namespace mcpbridge::ui
