#include "ui/bridgeitemmodel.h"

#include "core/bridge/documentio.h"

#include <QApplication>
#include <QHash>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

namespace {

using Kind = BridgeItemModel::Kind;

// Row of each group under the root; the settings item is row 0.
int groupRow(Kind kind)
{
    switch (kind) {
    case Kind::Tool: return 1;
    case Kind::Resource:
    case Kind::Template: return 2;
    case Kind::Prompt: return 3;
    default: return -1;
    }
}

// "/tools/3/parameters/0/in" -> {Tool, 3}; server and upstream problems belong to the settings.
std::pair<Kind, int> ownerOf(const QString &pointer)
{
    static const QList<std::pair<QString, Kind>> prefixes{
        {u"/tools/"_s, Kind::Tool},
        {u"/resources/"_s, Kind::Resource},
        {u"/resourceTemplates/"_s, Kind::Template},
        {u"/prompts/"_s, Kind::Prompt}};
    for (const auto &[prefix, kind] : prefixes)
        if (pointer.startsWith(prefix))
            return {kind, pointer.mid(prefix.size()).section(u'/', 0, 0).toInt()};
    return {Kind::Settings, 0};
}

struct Row
{
    QString name;
    QString request;
    QString toolTip;
};

QList<Row> rowsOf(const bridge::BridgeDocument &d, Kind kind)
{
    QList<Row> rows;
    const auto describe = [](const QString &text) {
        return text.isEmpty() ? QObject::tr("No description yet") : text.section(u'\n', 0, 0);
    };
    switch (kind) {
    case Kind::Tool:
        for (const bridge::Tool &t : d.tools)
            rows.append({t.name, t.method + u' ' + t.path, describe(t.description)});
        break;
    case Kind::Resource:
        for (const bridge::Resource &r : d.resources)
            rows.append({r.name.isEmpty() ? r.uri : r.name, u"GET "_s + r.path,
                         r.uri + u"\n"_s + describe(r.description)});
        break;
    case Kind::Template:
        for (const bridge::ResourceTemplate &r : d.resourceTemplates)
            rows.append({r.name.isEmpty() ? r.uriTemplate : r.name, u"GET "_s + r.path,
                         r.uriTemplate + u"\n"_s + describe(r.description)});
        break;
    case Kind::Prompt:
        for (const bridge::Prompt &p : d.prompts)
            rows.append({p.name,
                         p.messages.size() == 1 ? QObject::tr("1 message")
                                                : QObject::tr("%1 messages").arg(p.messages.size()),
                         describe(p.description)});
        break;
    default: break;
    }
    return rows;
}

} // namespace

BridgeItemModel::BridgeItemModel(QObject *parent)
    : QStandardItemModel(parent)
{
    setHorizontalHeaderLabels({tr("Name"), tr("Request")});
}

BridgeItemModel::Kind BridgeItemModel::kindOf(const QModelIndex &index)
{
    const QVariant kind = index.siblingAtColumn(0).data(KindRole);
    return kind.isValid() ? Kind(kind.toInt()) : Kind::None;
}

QString BridgeItemModel::describeProblem(const bridge::BridgeDocument &document,
                                         const bridge::Problem &problem)
{
    const auto [kind, index] = ownerOf(problem.pointer);
    QString item;
    switch (kind) {
    case Kind::Tool: item = tr("Tool “%1”").arg(document.tools.value(index).name); break;
    case Kind::Resource: item = tr("Resource “%1”").arg(document.resources.value(index).uri); break;
    case Kind::Template:
        item
            = tr("Resource template “%1”").arg(document.resourceTemplates.value(index).uriTemplate);
        break;
    case Kind::Prompt: item = tr("Prompt “%1”").arg(document.prompts.value(index).name); break;
    default: item = tr("Bridge settings"); break;
    }
    return item + u": "_s + problem.message;
}

int BridgeItemModel::itemIndexOf(const QModelIndex &index)
{
    return index.siblingAtColumn(0).data(IndexRole).toInt();
}

QStandardItem *BridgeItemModel::group(Kind kind) const
{
    const int row = groupRow(kind);
    return row < 0 || row >= rowCount() ? nullptr : item(row, 0);
}

QModelIndex BridgeItemModel::indexOf(Kind kind, int index) const
{
    if (kind == Kind::Settings)
        return rowCount() > 0 ? this->index(0, 0) : QModelIndex();
    QStandardItem *parent = group(kind);
    if (!parent)
        return {};
    int offset = 0;
    if (kind == Kind::Template)
        offset = m_counts.value(1);
    const int row = offset + index;
    return row < parent->rowCount() ? parent->child(row, 0)->index() : QModelIndex();
}

void BridgeItemModel::setDocument(const bridge::BridgeDocument &document)
{
    const QList<int> counts{int(document.tools.size()), int(document.resources.size()),
                            int(document.resourceTemplates.size()), int(document.prompts.size())};
    if (counts != m_counts || rowCount() == 0) {
        m_counts = counts;
        rebuild(document);
    }
    updateTexts(document);
}

void BridgeItemModel::rebuild(const bridge::BridgeDocument &document)
{
    removeRows(0, rowCount());
    auto *settings = new QStandardItem(tr("Bridge settings"));
    settings->setData(int(Kind::Settings), KindRole);
    settings->setEditable(false);
    auto *settingsRequest = new QStandardItem;
    settingsRequest->setEditable(false);
    appendRow({settings, settingsRequest});

    const auto addGroup = [this](Kind kind) {
        auto *g = new QStandardItem;
        g->setData(int(Kind::Group), KindRole);
        g->setData(int(kind), IndexRole);
        g->setEditable(false);
        g->setSelectable(false);
        auto *second = new QStandardItem;
        second->setEditable(false);
        second->setSelectable(false);
        appendRow({g, second});
        return g;
    };
    QStandardItem *tools = addGroup(Kind::Tool);
    QStandardItem *resources = addGroup(Kind::Resource);
    QStandardItem *prompts = addGroup(Kind::Prompt);
    const auto addChildren = [](QStandardItem *parent, Kind kind, qsizetype count) {
        for (int i = 0; i < count; ++i) {
            auto *name = new QStandardItem;
            name->setData(int(kind), KindRole);
            name->setData(i, IndexRole);
            name->setEditable(false);
            auto *request = new QStandardItem;
            request->setEditable(false);
            parent->appendRow({name, request});
        }
    };
    addChildren(tools, Kind::Tool, document.tools.size());
    addChildren(resources, Kind::Resource, document.resources.size());
    addChildren(resources, Kind::Template, document.resourceTemplates.size());
    addChildren(prompts, Kind::Prompt, document.prompts.size());
}

void BridgeItemModel::updateTexts(const bridge::BridgeDocument &document)
{
    QHash<std::pair<int, int>, QStringList> problems;
    for (const bridge::Problem &problem : bridge::validateDocument(document)) {
        const auto [kind, index] = ownerOf(problem.pointer);
        problems[{int(kind), index}] << problem.message;
    }
    const QIcon warning = QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
    const auto setRow
        = [&](QStandardItem *name, QStandardItem *request, const Row &row, Kind kind, int index) {
              const QStringList found = problems.value({int(kind), index});
              name->setText(row.name);
              request->setText(row.request);
              QString tip = row.toolTip;
              if (!found.isEmpty())
                  tip += u"\n\n"_s + tr("Needs attention:") + u"\n• "_s + found.join(u"\n• "_s);
              name->setToolTip(tip);
              request->setToolTip(tip);
              name->setIcon(found.isEmpty() ? QIcon() : warning);
              name->setData(found, ProblemsRole);
          };

    const QString title
        = document.server.title.isEmpty() ? document.server.name : document.server.title;
    setRow(item(0, 0), item(0, 1),
           {tr("Bridge settings"), document.upstream.baseUrl,
            tr("Name, instructions for the model, and the API address: %1").arg(title)},
           Kind::Settings, 0);

    const QList<std::pair<Kind, QString>> groups{{Kind::Tool, tr("Tools")},
                                                 {Kind::Resource, tr("Resources")},
                                                 {Kind::Prompt, tr("Prompts")}};
    for (const auto &[kind, label] : groups) {
        QStandardItem *g = group(kind);
        int count = g->rowCount();
        g->setText(u"%1 (%2)"_s.arg(label).arg(count));
    }
    group(Kind::Tool)->setToolTip(tr("Actions the model can take: each one calls the API"));
    group(Kind::Resource)->setToolTip(tr("Data the model (or the user) can read by its address"));
    group(Kind::Prompt)->setToolTip(tr("Ready-made conversation starters the user can pick"));

    for (Kind kind : {Kind::Tool, Kind::Resource, Kind::Template, Kind::Prompt}) {
        const QList<Row> rows = rowsOf(document, kind);
        QStandardItem *g = group(kind);
        const int offset = kind == Kind::Template ? int(document.resources.size()) : 0;
        for (int i = 0; i < rows.size(); ++i)
            setRow(g->child(offset + i, 0), g->child(offset + i, 1), rows.at(i), kind, i);
    }
}

} // namespace mcpbridge::ui
