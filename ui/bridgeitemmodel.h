#pragma once

// The studio's outline of a bridge: its settings, then Tools, Resources (and templates) and
// Prompts, each item showing its request and a warning sign with the problems found in it.
// Shown in the main window's left pane; selecting an item opens its editor.

#include "core/bridge/bridgedocument.h"
#include "core/bridge/documentio.h"

#include <QStandardItemModel>

namespace mcpbridge::ui {

class BridgeItemModel : public QStandardItemModel
{
    Q_OBJECT
public:
    enum class Kind { None, Group, Settings, Tool, Resource, Template, Prompt };
    Q_ENUM(Kind)
    enum Role { KindRole = Qt::UserRole + 1, IndexRole, ProblemsRole };

    explicit BridgeItemModel(QObject *parent = nullptr);

    // Rebuilds when items were added or removed; otherwise updates texts in place, so the
    // selection and the expanded groups stay as they are.
    void setDocument(const bridge::BridgeDocument &document);

    QModelIndex indexOf(Kind kind, int index = 0) const;
    static Kind kindOf(const QModelIndex &index);
    // A problem in words that name the item it is in: "Tool “get_recipe”: …".
    static QString describeProblem(const bridge::BridgeDocument &document,
                                   const bridge::Problem &problem);
    static int itemIndexOf(const QModelIndex &index);

private:
    QStandardItem *group(Kind kind) const;
    void rebuild(const bridge::BridgeDocument &document);
    void updateTexts(const bridge::BridgeDocument &document);

    QList<int> m_counts; // tools, resources, templates, prompts at the last rebuild
};

} // namespace mcpbridge::ui
