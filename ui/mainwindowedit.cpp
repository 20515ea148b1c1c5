// MainWindow: adding and deleting tools, resources and prompts from the outline.

#include "ui/documentsession.h"
#include "ui/mainwindow.h"

#include <QAction>
#include <QStatusBar>
#include <QTreeView>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

using Kind = BridgeItemModel::Kind;

void MainWindow::addTool()
{
    bridge::BridgeDocument document = m_session->document();
    QString name = u"new_tool"_s;
    for (int n = 2; std::any_of(document.tools.cbegin(), document.tools.cend(),
                                [&](const bridge::Tool &t) { return t.name == name; });
         ++n)
        name = u"new_tool_%1"_s.arg(n);
    bridge::Tool tool;
    tool.name = name;
    tool.method = u"GET"_s;
    tool.path = u"/"_s;
    document.tools.append(tool);
    applyEdit(document);
    selectItem(Kind::Tool, int(document.tools.size()) - 1);
}

void MainWindow::addResource()
{
    bridge::BridgeDocument document = m_session->document();
    bridge::Resource resource;
    resource.name = u"new_resource_%1"_s.arg(document.resources.size() + 1);
    resource.uri = u"%1://%2"_s.arg(
        document.server.name.isEmpty() ? u"bridge"_s : document.server.name, resource.name);
    resource.path = u"/"_s;
    resource.mimeType = u"application/json"_s;
    document.resources.append(resource);
    applyEdit(document);
    selectItem(Kind::Resource, int(document.resources.size()) - 1);
}

void MainWindow::addPrompt()
{
    bridge::BridgeDocument document = m_session->document();
    bridge::Prompt prompt;
    prompt.name = u"new_prompt_%1"_s.arg(document.prompts.size() + 1);
    bridge::PromptMessage message;
    message.role = u"user"_s;
    message.type = u"text"_s;
    message.text = tr("Describe what you want the model to do.");
    prompt.messages.append(message);
    document.prompts.append(prompt);
    applyEdit(document);
    selectItem(Kind::Prompt, int(document.prompts.size()) - 1);
}

void MainWindow::removeSelected()
{
    const QModelIndex current = m_tree->currentIndex();
    const Kind kind = BridgeItemModel::kindOf(current);
    const int index = BridgeItemModel::itemIndexOf(current);
    bridge::BridgeDocument document = m_session->document();
    DeletedItem deleted;
    deleted.kind = kind;
    deleted.index = index;
    switch (kind) {
    case Kind::Tool:
        deleted.item = document.tools.at(index);
        deleted.name = document.tools.takeAt(index).name;
        break;
    case Kind::Resource:
        deleted.item = document.resources.at(index);
        deleted.name = document.resources.takeAt(index).uri;
        break;
    case Kind::Template:
        deleted.item = document.resourceTemplates.at(index);
        deleted.name = document.resourceTemplates.takeAt(index).uriTemplate;
        break;
    case Kind::Prompt:
        deleted.item = document.prompts.at(index);
        deleted.name = document.prompts.takeAt(index).name;
        break;
    default: return;
    }
    m_editingKind = Kind::None;
    m_editingIndex = -1;
    applyEdit(document);
    m_deleted = deleted;
    m_undoDeleteAction->setText(tr("&Undo Delete of “%1”").arg(deleted.name));
    m_undoDeleteAction->setEnabled(true);
    statusBar()->showMessage(tr("Deleted “%1”. Press Ctrl+Z in the outline (or Edit ▸ Undo "
                                "Delete) to bring it back.")
                                 .arg(deleted.name),
                             10000);
    selectItem(kind, qMax(0, index - 1));
    if (!m_tree->currentIndex().isValid())
        selectItem(Kind::Settings);
}

// Puts the last deleted item back where it was, into the document as it is now (edits made
// since the delete stay).
void MainWindow::undoDelete()
{
    if (!m_deleted)
        return;
    const DeletedItem deleted = *m_deleted;
    m_deleted.reset();
    m_undoDeleteAction->setText(tr("&Undo Delete"));
    m_undoDeleteAction->setEnabled(false);
    bridge::BridgeDocument document = m_session->document();
    const auto putBack = [&](auto &list, const auto &item) {
        const int at = std::clamp(deleted.index, 0, int(list.size()));
        list.insert(at, item);
        return at;
    };
    int at = 0;
    if (const auto *tool = std::get_if<bridge::Tool>(&deleted.item))
        at = putBack(document.tools, *tool);
    else if (const auto *resource = std::get_if<bridge::Resource>(&deleted.item))
        at = putBack(document.resources, *resource);
    else if (const auto *t = std::get_if<bridge::ResourceTemplate>(&deleted.item))
        at = putBack(document.resourceTemplates, *t);
    else if (const auto *prompt = std::get_if<bridge::Prompt>(&deleted.item))
        at = putBack(document.prompts, *prompt);
    m_editingKind = Kind::None;
    m_editingIndex = -1;
    applyEdit(document);
    selectItem(deleted.kind, at);
    statusBar()->showMessage(tr("Brought back “%1”.").arg(deleted.name), 5000);
}

} // namespace mcpbridge::ui
