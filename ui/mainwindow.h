#pragma once

// The studio's main window: opens a bridge document and shows its tools, resources and prompts
// with exactly the JSON a model receives for each. Used by app/studio; grows into the full studio.

#include "core/bridge/bridgedocument.h"

#include <QMainWindow>

class QLabel;
class QPlainTextEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace mcpbridge::ui {

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    // Loads the document; on problems shows them and returns false (the window stays usable).
    bool openDocument(const QString &path);
    QString documentPath() const { return m_path; }
    const bridge::BridgeDocument &document() const { return m_document; }

    QTreeWidget *itemTree() const { return m_tree; }
    QPlainTextEdit *preview() const { return m_preview; }

private:
    void chooseAndOpen();
    void showSelection();
    void populate();

    QString m_path;
    bridge::BridgeDocument m_document;
    QTreeWidget *m_tree = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    QLabel *m_summary = nullptr;
};

} // namespace mcpbridge::ui
