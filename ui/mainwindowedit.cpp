// MainWindow: adding and deleting tools, resources and prompts from the outline.

#include "ui/documentsession.h"
#include "ui/mainwindow.h"

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
    QString removed;
    switch (kind) {
    case Kind::Tool: removed = document.tools.takeAt(index).name; break;
    case Kind::Resource: removed = document.resources.takeAt(index).uri; break;
    case Kind::Template: removed = document.resourceTemplates.takeAt(index).uriTemplate; break;
    case Kind::Prompt: removed = document.prompts.takeAt(index).name; break;
    default: return;
    }
    m_editingKind = Kind::None;
    m_editingIndex = -1;
    applyEdit(document);
    statusBar()->showMessage(tr("Deleted %1. Close without saving to get it back.").arg(removed),
                             8000);
    selectItem(kind, qMax(0, index - 1));
    if (!m_tree->currentIndex().isValid())
        selectItem(Kind::Settings);
}

} // namespace mcpbridge::ui
