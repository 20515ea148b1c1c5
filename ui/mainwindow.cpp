#include "ui/mainwindow.h"

#include "core/bridge/documentio.h"
#include "core/util/jsontext.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStatusBar>
#include <QTreeWidget>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

namespace {
enum Role { KindRole = Qt::UserRole + 1, IndexRole };
enum Kind { ToolKind = 1, ResourceKind, TemplateKind, PromptKind };
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("McpBridge Studio"));
    resize(1100, 700);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Bridge…"), this, &MainWindow::chooseAndOpen);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open a bridge document (*.mcpbridge.json)"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    m_tree = new QTreeWidget;
    m_tree->setHeaderLabels({tr("Name"), tr("Request")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->setToolTip(tr("What this bridge offers a model: its tools, resources and prompts"));
    connect(m_tree, &QTreeWidget::currentItemChanged, this, &MainWindow::showSelection);

    m_preview = new QPlainTextEdit;
    m_preview->setReadOnly(true);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setToolTip(tr("Exactly the JSON a model receives for the selected item"));
    m_preview->setPlaceholderText(
        tr("Select a tool, resource or prompt to see what the model receives."));

    auto *splitter = new QSplitter;
    splitter->addWidget(m_tree);
    splitter->addWidget(m_preview);
    splitter->setStretchFactor(1, 1);
    setCentralWidget(splitter);

    m_summary = new QLabel(tr("No bridge open"));
    statusBar()->addWidget(m_summary, 1);
}

bool MainWindow::openDocument(const QString &path)
{
    const bridge::LoadReport report = bridge::loadDocument(path);
    if (report.hasErrors()) {
        QStringList lines;
        for (const bridge::Problem &p : report.problems)
            lines << p.toString();
        QMessageBox box(
            QMessageBox::Warning, tr("Cannot open bridge"),
            tr("%1 has problems that need fixing first.").arg(QFileInfo(path).fileName()),
            QMessageBox::Ok, this);
        box.setDetailedText(lines.join(u'\n'));
        if (qEnvironmentVariableIsEmpty("MCPBRIDGE_NO_DIALOGS"))
            box.exec();
        statusBar()->showMessage(tr("Could not open %1").arg(path));
        return false;
    }
    m_path = path;
    m_document = *report.document;
    populate();
    setWindowTitle(tr("%1 — McpBridge Studio").arg(QFileInfo(path).fileName()));
    return true;
}

void MainWindow::chooseAndOpen()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Bridge"), QString(), tr("Bridge documents (*.mcpbridge.json *.json)"));
    if (!path.isEmpty())
        openDocument(path);
}

void MainWindow::populate()
{
    m_tree->clear();
    auto addGroup = [this](const QString &title, int count) {
        auto *group = new QTreeWidgetItem(m_tree, {u"%1 (%2)"_s.arg(title).arg(count)});
        group->setFlags(Qt::ItemIsEnabled);
        group->setExpanded(true);
        return group;
    };
    auto addItem = [](QTreeWidgetItem *group, const QString &name, const QString &request, int kind,
                      int index) {
        auto *item = new QTreeWidgetItem(group, {name, request});
        item->setData(0, KindRole, kind);
        item->setData(0, IndexRole, index);
    };
    QTreeWidgetItem *tools = addGroup(tr("Tools"), int(m_document.tools.size()));
    for (int i = 0; i < m_document.tools.size(); ++i) {
        const bridge::Tool &t = m_document.tools.at(i);
        addItem(tools, t.name, t.method + u' ' + t.path, ToolKind, i);
    }
    QTreeWidgetItem *resources = addGroup(
        tr("Resources"), int(m_document.resources.size() + m_document.resourceTemplates.size()));
    for (int i = 0; i < m_document.resources.size(); ++i)
        addItem(resources, m_document.resources.at(i).uri,
                u"GET "_s + m_document.resources.at(i).path, ResourceKind, i);
    for (int i = 0; i < m_document.resourceTemplates.size(); ++i)
        addItem(resources, m_document.resourceTemplates.at(i).uriTemplate,
                u"GET "_s + m_document.resourceTemplates.at(i).path, TemplateKind, i);
    QTreeWidgetItem *prompts = addGroup(tr("Prompts"), int(m_document.prompts.size()));
    for (int i = 0; i < m_document.prompts.size(); ++i)
        addItem(prompts, m_document.prompts.at(i).name, QString(), PromptKind, i);

    const QString title
        = m_document.server.title.isEmpty() ? m_document.server.name : m_document.server.title;
    m_summary->setText(tr("%1 — %2 tools · calls %3")
                           .arg(title)
                           .arg(m_document.tools.size())
                           .arg(m_document.upstream.baseUrl));
}

void MainWindow::showSelection()
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    if (!item || !item->data(0, KindRole).isValid()) {
        m_preview->clear();
        return;
    }
    const int index = item->data(0, IndexRole).toInt();
    QJsonObject json;
    switch (item->data(0, KindRole).toInt()) {
    case ToolKind: json = m_document.tools.at(index).toMcp(); break;
    case ResourceKind: json = m_document.resources.at(index).toMcp(); break;
    case TemplateKind: json = m_document.resourceTemplates.at(index).toMcp(); break;
    case PromptKind: json = m_document.prompts.at(index).toMcp(); break;
    }
    m_preview->setPlainText(QString::fromUtf8(json::pretty(json)));
}

} // namespace mcpbridge::ui
