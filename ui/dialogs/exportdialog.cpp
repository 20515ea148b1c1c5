// The export dialog: per client, where the config goes, the config itself and a safe merge.

#include "ui/dialogs/exportdialog.h"

#include "core/client/mcpbridgeprogram.h"
#include "core/exporters/configinstaller.h"

#include <QApplication>
#include <QButtonGroup>
#include <QClipboard>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardItemModel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

namespace {

constexpr int ClientRole = Qt::UserRole + 1;

QString explanationFor(exporters::Client client)
{
    switch (client) {
    case exporters::Client::ClaudeDesktop:
        return ExportDialog::tr(
            "Claude Desktop keeps its list of servers in a file called "
            "claude_desktop_config.json. Add the entry below to that file (the button at the "
            "bottom does it for you), then quit Claude Desktop completely and open it again.");
    case exporters::Client::Cursor:
        return ExportDialog::tr(
            "Cursor reads the file mcp.json in the .cursor folder of your home folder (servers for "
            "every project) or of one project. Add the entry below, then reload Cursor's MCP "
            "settings.");
    case exporters::Client::VsCode:
        return ExportDialog::tr(
            "VS Code reads .vscode/mcp.json inside the project folder you open. Add the entry "
            "below to that file (choose your project's file below), then start the server from "
            "the file in VS Code.");
    case exporters::Client::ClaudeCode:
        return ExportDialog::tr(
            "Claude Code reads .mcp.json in your project folder. Either add the entry below to "
            "that file, or run the command below in a terminal inside the project folder.");
    }
    return {};
}

QString defaultProgram()
{
    // Installed side by side with the studio, or app/cli beside app/studio in a build tree.
    const QString found = client::mcpbridgeProgram();
    if (!found.isEmpty())
        return found;
    const QString dir = QCoreApplication::applicationDirPath();
#ifdef Q_OS_WIN
    return QDir(dir).filePath(u"mcpbridge.exe"_s);
#else
    return QDir(dir).filePath(u"mcpbridge"_s);
#endif
}

} // namespace

ExportDialog::ExportDialog(const QString &documentPath, const bridge::BridgeDocument &document,
                           QWidget *parent)
    : QDialog(parent)
    , m_documentPath(QFileInfo(documentPath).absoluteFilePath())
    , m_document(document)
    , m_command(defaultProgram())
    , m_runningUrl(u"http://127.0.0.1:8765/mcp"_s)
{
    const QDir documentDir = QFileInfo(m_documentPath).absoluteDir();
    for (exporters::Client c : exporters::allClients()) {
        QString path = exporters::defaultConfigPath(c);
        // Project files (VS Code, Claude Code) default to the bridge document's folder.
        if (QFileInfo(path).isRelative())
            path = QDir::cleanPath(documentDir.filePath(path));
        m_targets << QDir::toNativeSeparators(path);
    }
    buildUi();
    setClient(exporters::Client::ClaudeDesktop);
}

void ExportDialog::buildUi()
{
    setWindowTitle(tr("Connect an AI app to \"%1\"")
                       .arg(m_document.server.title.isEmpty() ? m_document.server.name
                                                              : m_document.server.title));

    m_clients = new QStandardItemModel(this);
    for (exporters::Client c : exporters::allClients()) {
        auto *item = new QStandardItem(exporters::clientDisplayName(c));
        item->setData(static_cast<int>(c), ClientRole);
        item->setToolTip(explanationFor(c));
        item->setEditable(false);
        m_clients->appendRow(item);
    }
    m_clientView = new QListView(this);
    m_clientView->setObjectName(u"clientList"_s);
    m_clientView->setModel(m_clients);
    m_clientView->setToolTip(tr("The AI app that should use this bridge"));
    m_clientView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_clientView->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    auto *clientLabel = new QLabel(tr("A&pp:"), this);
    clientLabel->setBuddy(m_clientView);

    m_explanation = new QLabel(this);
    m_explanation->setObjectName(u"explanation"_s);
    m_explanation->setWordWrap(true);
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *howBox = new QGroupBox(tr("How the app reaches the bridge"), this);
    m_stdio = new QRadioButton(tr("The app &starts the bridge itself (recommended)"), howBox);
    m_stdio->setToolTip(tr("The app runs mcpbridge in the background whenever it needs the "
                           "bridge. The API's secrets are read from the keychain at that time."));
    m_http = new QRadioButton(tr("Connect to the &running bridge at:"), howBox);
    m_http->setToolTip(tr("Use a bridge you have already started (for example from this studio) "
                          "at the address on the right. It must be running while you use the "
                          "app."));
    m_urlEdit = new QLineEdit(m_runningUrl, howBox);
    m_urlEdit->setToolTip(tr("The address of the running bridge"));
    auto *group = new QButtonGroup(this);
    group->addButton(m_stdio);
    group->addButton(m_http);
    m_stdio->setChecked(true);
    auto *howLayout = new QGridLayout(howBox);
    howLayout->addWidget(m_stdio, 0, 0, 1, 2);
    howLayout->addWidget(m_http, 1, 0);
    howLayout->addWidget(m_urlEdit, 1, 1);

    m_json = new QPlainTextEdit(this);
    m_json->setObjectName(u"configText"_s);
    m_json->setReadOnly(true);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_json->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_json->setToolTip(tr("The settings to add to the app's config file. They contain no "
                          "password or key."));
    auto *jsonLabel = new QLabel(tr("&Config entry:"), this);
    jsonLabel->setBuddy(m_json);
    m_copyJson = new QPushButton(tr("&Copy"), this);
    m_copyJson->setToolTip(tr("Copy the config entry to the clipboard"));

    m_commandLabel = new QLabel(tr("Co&mmand:"), this);
    m_commandLine = new QLineEdit(this);
    m_commandLine->setObjectName(u"claudeCommand"_s);
    m_commandLine->setReadOnly(true);
    m_commandLine->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_commandLine->setToolTip(tr("Run this in a terminal in your project folder to add the "
                                 "bridge to Claude Code"));
    m_commandLabel->setBuddy(m_commandLine);
    m_copyCommand = new QPushButton(tr("Copy c&ommand"), this);
    m_copyCommand->setToolTip(tr("Copy the command to the clipboard"));

    auto *fileLabel = new QLabel(tr("App's config &file:"), this);
    m_targetEdit = new QLineEdit(this);
    m_targetEdit->setObjectName(u"targetPath"_s);
    m_targetEdit->setToolTip(tr("The file the button below changes. A copy of the old file is "
                                "kept next to it."));
    fileLabel->setBuddy(m_targetEdit);
    m_browse = new QPushButton(tr("&Browse…"), this);
    m_browse->setToolTip(tr("Choose another config file"));
    m_add = new QPushButton(this);
    m_add->setObjectName(u"addButton"_s);
    m_add->setToolTip(tr("Add this bridge to the file above. You see the change first; the old "
                         "file is kept as a backup."));

    m_status = new QLabel(this);
    m_status->setObjectName(u"status"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setToolTip(tr("Close this window"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *right = new QGridLayout;
    int row = 0;
    right->addWidget(m_explanation, row++, 0, 1, 3);
    right->addWidget(howBox, row++, 0, 1, 3);
    right->addWidget(jsonLabel, row, 0);
    right->addWidget(m_copyJson, row++, 2);
    right->addWidget(m_json, row++, 0, 1, 3);
    right->addWidget(m_commandLabel, row, 0);
    right->addWidget(m_commandLine, row, 1);
    right->addWidget(m_copyCommand, row++, 2);
    right->addWidget(fileLabel, row, 0);
    right->addWidget(m_targetEdit, row, 1);
    right->addWidget(m_browse, row++, 2);
    auto *addRow = new QHBoxLayout;
    addRow->addStretch();
    addRow->addWidget(m_add);
    right->addLayout(addRow, row++, 0, 1, 3);
    right->addWidget(m_status, row++, 0, 1, 3);
    right->setColumnStretch(1, 1);
    right->setRowStretch(3, 1);

    auto *left = new QVBoxLayout;
    left->addWidget(clientLabel);
    left->addWidget(m_clientView);

    auto *body = new QHBoxLayout;
    body->addLayout(left, 1);
    body->addLayout(right, 3);
    auto *outer = new QVBoxLayout(this);
    outer->addLayout(body);
    outer->addWidget(buttons);

    setTabOrder(m_clientView, m_stdio);
    setTabOrder(m_stdio, m_http);
    setTabOrder(m_http, m_urlEdit);
    setTabOrder(m_urlEdit, m_copyJson);
    setTabOrder(m_copyJson, m_json);
    setTabOrder(m_json, m_commandLine);
    setTabOrder(m_commandLine, m_copyCommand);
    setTabOrder(m_copyCommand, m_targetEdit);
    setTabOrder(m_targetEdit, m_browse);
    setTabOrder(m_browse, m_add);

    connect(m_clientView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this] { refresh(); });
    connect(group, &QButtonGroup::buttonToggled, this, [this] { refresh(); });
    connect(m_urlEdit, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_runningUrl = text.trimmed();
        refresh();
    });
    connect(m_targetEdit, &QLineEdit::textEdited, this,
            [this](const QString &text) { m_targets[static_cast<int>(client())] = text; });
    connect(m_copyJson, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_json->toPlainText());
        showStatus(tr("Copied the config entry."), false);
    });
    connect(m_copyCommand, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_commandLine->text());
        showStatus(tr("Copied the command."), false);
    });
    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::chooseTarget);
    connect(m_add, &QPushButton::clicked, this, &ExportDialog::addToClientConfig);
}

exporters::Client ExportDialog::client() const
{
    const QModelIndex current = m_clientView->currentIndex();
    if (!current.isValid())
        return exporters::Client::ClaudeDesktop;
    return static_cast<exporters::Client>(current.data(ClientRole).toInt());
}

void ExportDialog::setClient(exporters::Client client)
{
    for (int row = 0; row < m_clients->rowCount(); ++row) {
        const QModelIndex index = m_clients->index(row, 0);
        if (index.data(ClientRole).toInt() == static_cast<int>(client))
            m_clientView->setCurrentIndex(index);
    }
    refresh();
}

void ExportDialog::setCommand(const QString &program)
{
    m_command = program;
    refresh();
}

void ExportDialog::setUseRunningBridge(bool use)
{
    (use ? m_http : m_stdio)->setChecked(true);
    refresh();
}

bool ExportDialog::usesRunningBridge() const
{
    return clientSupportsHttp() && m_http->isChecked();
}

void ExportDialog::setRunningBridgeUrl(const QString &url)
{
    m_runningUrl = url;
    m_urlEdit->setText(url);
    refresh();
}

QString ExportDialog::targetPath() const
{
    return m_targetEdit->text().trimmed();
}

void ExportDialog::setTargetPath(const QString &path)
{
    m_targets[static_cast<int>(client())] = path;
    m_targetEdit->setText(path);
}

QString ExportDialog::configText() const
{
    return m_json->toPlainText();
}

QString ExportDialog::claudeCommandText() const
{
    return m_commandLine->text(); // empty unless the client is Claude Code
}

QString ExportDialog::statusText() const
{
    return m_status->text();
}

bool ExportDialog::clientSupportsHttp() const
{
    return client() != exporters::Client::ClaudeDesktop;
}

exporters::LaunchSpec ExportDialog::launchSpec() const
{
    exporters::LaunchSpec spec;
    spec.serverName = m_document.server.name;
    spec.command = m_command;
    spec.configPath = m_documentPath;
    if (usesRunningBridge())
        spec.httpUrl = m_runningUrl;
    return spec;
}

void ExportDialog::refresh()
{
    const exporters::Client c = client();
    const QString name = exporters::clientDisplayName(c);
    m_explanation->setText(explanationFor(c));

    const bool http = clientSupportsHttp();
    m_http->setEnabled(http);
    m_urlEdit->setEnabled(http && m_http->isChecked());
    if (!http) {
        m_http->setToolTip(tr("%1 can only start the bridge itself.").arg(name));
    } else {
        m_http->setToolTip(tr("Use a bridge you have already started (for example from this "
                              "studio) at the address on the right. It must be running while "
                              "you use the app."));
    }

    const exporters::LaunchSpec spec = launchSpec();
    m_json->setPlainText(QString::fromUtf8(exporters::configFile(c, spec)));

    const bool claudeCode = c == exporters::Client::ClaudeCode;
    m_commandLabel->setVisible(claudeCode);
    m_commandLine->setVisible(claudeCode);
    m_copyCommand->setVisible(claudeCode);
    m_commandLine->setText(claudeCode ? exporters::claudeCodeCommand(spec) : QString());
    m_commandLine->setCursorPosition(0); // show where the command starts

    m_targetEdit->setText(m_targets.value(static_cast<int>(c)));
    m_add->setText(tr("&Add to %1's config…").arg(name));
    m_status->clear();
}

void ExportDialog::chooseTarget()
{
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Choose %1's config file").arg(exporters::clientDisplayName(client())),
        targetPath(), tr("JSON files (*.json);;All files (*)"), nullptr,
        QFileDialog::DontConfirmOverwrite);
    if (!file.isEmpty())
        setTargetPath(QDir::toNativeSeparators(file));
}

void ExportDialog::showStatus(const QString &text, bool problem)
{
    // Problems keep the palette's text colour (readable in light and dark mode), marked in words.
    m_status->setText(problem ? tr("Problem: %1").arg(text) : text);
}

bool ExportDialog::askWithDialog(const QString &target, const QString &diff)
{
    QDialog ask(this);
    ask.setWindowTitle(tr("Change %1?").arg(QFileInfo(target).fileName()));
    auto *text = new QLabel(tr("These lines of %1 will change (+ added, - removed). A copy of the "
                               "old file is kept next to it.")
                                .arg(QDir::toNativeSeparators(target)),
                            &ask);
    text->setWordWrap(true);
    auto *view = new QPlainTextEdit(diff, &ask);
    view->setReadOnly(true);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setToolTip(tr("The change to the config file"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, &ask);
    QPushButton *apply = buttons->addButton(tr("&Change the file"), QDialogButtonBox::AcceptRole);
    apply->setToolTip(tr("Keep a backup and write the change"));
    buttons->button(QDialogButtonBox::Cancel)->setToolTip(tr("Leave the file as it is"));
    connect(buttons, &QDialogButtonBox::accepted, &ask, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &ask, &QDialog::reject);
    auto *layout = new QVBoxLayout(&ask);
    layout->addWidget(text);
    layout->addWidget(view);
    layout->addWidget(buttons);
    return ask.exec() == QDialog::Accepted;
}

bool ExportDialog::addToClientConfig()
{
    const exporters::Client c = client();
    const QString target = QDir::fromNativeSeparators(targetPath());
    const Result<exporters::InstallPlan> plan = exporters::planInstall(c, target, launchSpec());
    if (!plan) {
        showStatus(plan.error().toString(), true);
        return false;
    }
    if (!plan->changes()) {
        m_lastDiff.clear();
        showStatus(tr("%1 already has this bridge; nothing changed.")
                       .arg(QDir::toNativeSeparators(target)),
                   false);
        return false;
    }
    m_lastDiff = plan->diff;
    const bool yes = m_confirm ? m_confirm(target, plan->diff) : askWithDialog(target, plan->diff);
    if (!yes) {
        showStatus(tr("Nothing changed."), false);
        return false;
    }
    const Result<exporters::InstallOutcome> done = exporters::applyInstall(*plan);
    if (!done) {
        showStatus(done.error().toString(), true);
        return false;
    }
    QString text = tr("Added the bridge to %1.").arg(QDir::toNativeSeparators(target));
    if (!done->backupPath.isEmpty())
        text += u' '
                + tr("The old file is kept as %1.").arg(QDir::toNativeSeparators(done->backupPath));
    text += u' ' + tr("Restart %1 to use it.").arg(exporters::clientDisplayName(c));
    showStatus(text, false);
    return true;
}

} // namespace mcpbridge::ui
