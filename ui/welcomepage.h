#pragma once

// What the studio shows when no bridge is open: the demo bridge offered first (a newcomer sees a
// working bridge and live traffic within a minute), a new bridge from an OpenAPI file or a base
// URL, opening a file, and the recent bridges. Part of the main window's central stack.

#include <QWidget>

class QLabel;
class QListView;
class QPushButton;
class QStringListModel;

namespace mcpbridge::ui {

class WelcomePage : public QWidget
{
    Q_OBJECT
public:
    explicit WelcomePage(QWidget *parent = nullptr);

    void setRecentFiles(const QStringList &paths);
    // First run: a sentence that points at the demo, which gets the keyboard focus.
    void setFirstRun(bool firstRun);

    QPushButton *demoButton() const { return m_demo; }
    QPushButton *newButton() const { return m_new; }
    QPushButton *openButton() const { return m_open; }
    QListView *recentView() const { return m_recent; }

signals:
    void demoRequested();
    void newRequested();
    void openRequested();
    void recentChosen(const QString &path);

private:
    QLabel *m_intro = nullptr;
    QPushButton *m_demo = nullptr;
    QPushButton *m_new = nullptr;
    QPushButton *m_open = nullptr;
    QLabel *m_recentLabel = nullptr;
    QListView *m_recent = nullptr;
    QStringListModel *m_recentModel = nullptr;
    QStringList m_recentPaths;
};

} // namespace mcpbridge::ui
