#include "tryitpanel.h"

#include "resultview.h"
#include "schemaform.h"
#include "upstreamexchangemodel.h"

#include "core/client/mcpclient.h"
#include "core/traffic/trafficlog.h"

#include <QHeaderView>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <memory>

using namespace Qt::StringLiterals;

namespace mcpbridge::tryit {

namespace {

QString displayName(const bridge::Tool &tool)
{
    if (!tool.title.isEmpty())
        return tool.title;
    if (!tool.annotations.title.isEmpty())
        return tool.annotations.title;
    return tool.name;
}

} // namespace

TryItPanel::TryItPanel(QWidget *parent)
    : QWidget(parent)
{
    buildUi();
    clearTool();
}

TryItPanel::~TryItPanel()
{
    // A call still running must not report to a panel that is gone; its `done` checks a guard,
    // and the server is told the studio no longer waits.
    if (m_busy && m_client) {
        m_busy = false; // nothing to show any more: finished() ignores the cancellation
        m_client->cancel(m_requestId, u"The Try-it panel was closed."_s);
    }
}

void TryItPanel::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    m_title->setObjectName(u"tryItTitle"_s);
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter, 1);

    auto *formScroll = new QScrollArea(splitter);
    formScroll->setWidgetResizable(true);
    formScroll->setFrameShape(QFrame::NoFrame);
    m_form = new SchemaForm(formScroll);
    formScroll->setWidget(m_form);
    formScroll->setAccessibleName(tr("Arguments"));
    splitter->addWidget(formScroll);

    auto *bottom = new QWidget(splitter);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    auto *actions = new QHBoxLayout;
    m_call = new QPushButton(tr("&Call"), bottom);
    m_call->setObjectName(u"callButton"_s);
    m_call->setDefault(true);
    m_call->setAccessibleName(tr("Call the tool"));
    m_cancel = new QPushButton(tr("Cancel"), bottom);
    m_cancel->setObjectName(u"cancelButton"_s);
    m_cancel->setToolTip(tr("Stop waiting for this call; the bridge is told to give up on it"));
    m_cancel->setAccessibleName(tr("Cancel the call"));
    m_progress = new QProgressBar(bottom);
    m_progress->setRange(0, 0); // busy: no known end
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(120);
    m_progress->setAccessibleName(tr("Waiting for the answer"));
    m_progress->setToolTip(tr("Waiting for the bridge to answer"));
    m_status = new QLabel(bottom);
    m_status->setObjectName(u"tryItStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    actions->addWidget(m_call);
    actions->addWidget(m_cancel);
    actions->addWidget(m_progress);
    actions->addWidget(m_status, 1);
    bottomLayout->addLayout(actions);

    m_result = new ResultView(bottom);
    bottomLayout->addWidget(m_result, 3);

    m_exchangesLabel = new QLabel(bottom);
    bottomLayout->addWidget(m_exchangesLabel);
    m_exchanges = new UpstreamExchangeModel(this);
    m_exchangeView = new QTableView(bottom);
    m_exchangeView->setObjectName(u"exchangeView"_s);
    m_exchangeView->setModel(m_exchanges);
    m_exchangeView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_exchangeView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_exchangeView->verticalHeader()->hide();
    m_exchangeView->horizontalHeader()->setSectionResizeMode(UpstreamExchangeModel::UrlColumn,
                                                             QHeaderView::Stretch);
    m_exchangeView->setAccessibleName(tr("API requests made by this call"));
    m_exchangeView->setToolTip(tr("The requests the bridge sent to your API for this call. "
                                  "Double-click one to see it in the traffic log."));
    m_exchangeView->setMaximumHeight(m_exchangeView->verticalHeader()->defaultSectionSize() * 5
                                     + m_exchangeView->horizontalHeader()->sizeHint().height());
    m_exchangesLabel->setBuddy(m_exchangeView);
    bottomLayout->addWidget(m_exchangeView, 1);
    splitter->addWidget(bottom);
    // The form gets room for several arguments before it scrolls; the result takes the rest.
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({340, 460});

    connect(m_call, &QPushButton::clicked, this, &TryItPanel::callTool);
    connect(m_cancel, &QPushButton::clicked, this, &TryItPanel::cancelCall);
    for (const QKeySequence &keys :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &TryItPanel::callTool);
    }
    connect(m_form, &SchemaForm::changed, this, [this] {
        // A problem named after a click goes away as soon as the form is fine again.
        if (!m_busy && m_showingProblems && m_form->problems().isEmpty()) {
            m_status->clear();
            m_showingProblems = false;
        }
    });
    connect(m_exchanges, &QAbstractItemModel::rowsInserted, this, [this] {
        m_exchangesLabel->setText(
            tr("API requests made by this call (%1):").arg(m_exchanges->rowCount()));
    });
    connect(m_exchangeView, &QAbstractItemView::doubleClicked, this,
            [this](const QModelIndex &index) {
                emit exchangeActivated(index.data(UpstreamExchangeModel::SeqRole).toULongLong());
            });
    setTrafficLog(nullptr);
    setBusy(false);
}

void TryItPanel::setTool(const bridge::Tool &tool)
{
    const bool sameTool = m_hasTool && tool.name == m_tool.name;
    rememberArguments();
    if (m_busy && !sameTool)
        cancelCall();
    m_tool = tool;
    m_hasTool = true;
    m_title->setText(tr("Try \"%1\"").arg(displayName(tool)));
    m_title->setToolTip(tool.description);

    QStringList order;
    if (tool.inputSchema.isEmpty())
        for (const bridge::Parameter &parameter : tool.parameters)
            order.append(parameter.name);
    m_form->setSchema(tool.effectiveInputSchema(), order);
    const auto remembered = m_remembered.constFind(tool.name);
    if (remembered != m_remembered.constEnd())
        m_form->setArguments(*remembered);
    if (!sameTool) {
        m_result->clear();
        m_exchanges->clear();
        m_exchangesLabel->setText(tr("API requests made by this call:"));
        m_status->clear();
        m_requestId = -1;
        m_elapsedMs = -1;
    }
    updateActions();
}

void TryItPanel::clearTool()
{
    rememberArguments();
    if (m_busy)
        cancelCall();
    m_hasTool = false;
    m_tool = {};
    m_title->setText(tr("Try a tool"));
    m_title->setToolTip({});
    m_form->setSchema({});
    m_result->clear();
    m_exchanges->clear();
    m_exchangesLabel->setText(tr("API requests made by this call:"));
    m_status->clear();
    m_requestId = -1;
    updateActions();
}

void TryItPanel::rememberArguments()
{
    if (m_hasTool)
        m_remembered.insert(m_tool.name, m_form->arguments());
}

QJsonObject TryItPanel::rememberedArguments(const QString &toolName) const
{
    if (m_hasTool && toolName == m_tool.name)
        return m_form->arguments();
    return m_remembered.value(toolName);
}

void TryItPanel::setClient(client::McpClient *client)
{
    if (client == m_client)
        return;
    if (m_busy)
        cancelCall();
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    m_client = client;
    if (client) {
        connect(client, &client::McpClient::closed, this, &TryItPanel::onClientGone);
        connect(client, &client::McpClient::ready, this, &TryItPanel::updateActions);
        connect(client, &QObject::destroyed, this, [this] { onClientGone({}); });
    }
    updateActions();
}

void TryItPanel::onClientGone(const QString &why)
{
    // A waiting call's `done` already reported a closed client; a destroyed one never calls back.
    if (m_busy)
        finished(m_requestId, nullptr,
                 tr("The bridge stopped before the call finished. %1").arg(why).trimmed());
    updateActions();
}

void TryItPanel::setTrafficLog(traffic::TrafficLog *log)
{
    if (m_log)
        disconnect(m_log, nullptr, this, nullptr);
    m_log = log;
    if (log)
        connect(log, &traffic::TrafficLog::eventAdded, this, &TryItPanel::onTrafficEvent);
    m_exchangesLabel->setVisible(log != nullptr);
    m_exchangeView->setVisible(log != nullptr);
}

void TryItPanel::onTrafficEvent(const traffic::TrafficEvent &event)
{
    // Exchanges may still arrive after the answer (a traffic tap lags); they belong to the last
    // call until the next one starts.
    if (event.kind != traffic::EventKind::Upstream || m_requestId < 0
        || event.sessionId != m_sessionId || event.relatedRpcId != QString::number(m_requestId))
        return;
    m_exchanges->append(event);
}

void TryItPanel::updateActions()
{
    QString why;
    if (!m_hasTool)
        why = tr("Choose a tool to try it.");
    else if (!m_client)
        why = tr("Start the bridge to try this tool.");
    else if (m_client->isClosed()) {
        QString reason = m_client->closeReason().trimmed();
        if (!reason.isEmpty() && !reason.endsWith(u'.'))
            reason += u'.';
        why = tr("The bridge is not running. %1 Start the bridge again to try this tool.")
                  .arg(reason)
                  .simplified();
    }
    m_call->setEnabled(why.isEmpty() && !m_busy);
    m_call->setToolTip(why.isEmpty()
                           ? tr("Call %1 on the running bridge with these arguments (Ctrl+Return)")
                                 .arg(m_tool.name)
                           : why);
    m_cancel->setEnabled(m_busy);
    if (!why.isEmpty() && !m_busy && m_hasTool)
        m_status->setText(why);
}

void TryItPanel::setBusy(bool busy)
{
    m_busy = busy;
    m_progress->setVisible(busy);
    m_cancel->setVisible(busy);
    m_form->setEnabled(!busy);
    updateActions();
}

bool TryItPanel::confirmDestructive()
{
    const bool destructive
        = m_tool.annotations.destructiveHint.value_or(false) || m_tool.confirmDestructive;
    if (!m_confirmDestructive || !destructive)
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Call \"%1\"?").arg(displayName(m_tool)),
        tr("\"%1\" can change or delete data in your API. This is a real call, not a "
           "simulation.\n\nCall it now with these arguments?")
            .arg(displayName(m_tool)),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    return answer == QMessageBox::Yes;
}

void TryItPanel::callTool()
{
    if (m_busy || !m_hasTool)
        return;
    if (!m_call->isEnabled()) {
        updateActions();
        return;
    }
    const QStringList problems = m_form->problems();
    if (!problems.isEmpty()) {
        m_status->setText(tr("Fix these first: %1").arg(problems.join(u"; "_s)));
        m_showingProblems = true;
        return;
    }
    if (!confirmDestructive())
        return;
    const QJsonObject arguments = m_form->arguments();
    m_remembered.insert(m_tool.name, arguments);
    m_exchanges->clear();
    m_exchangesLabel->setText(tr("API requests made by this call:"));
    m_sessionId = m_client->sessionId();
    m_elapsedMs = -1;
    m_result->showNote(tr("Waiting for the answer…"));
    m_status->clear();
    m_showingProblems = false;

    // `done` never runs inside call(), so the id is known before it does.
    auto id = std::make_shared<qint64>(-1);
    QPointer<TryItPanel> self(this);
    m_clock.start();
    setBusy(true);
    *id = m_client->call(u"tools/call"_s, {{u"name"_s, m_tool.name}, {u"arguments"_s, arguments}},
                         [self, id](const Result<QJsonObject> &result) {
                             if (!self)
                                 return;
                             if (result)
                                 self->finished(*id, &*result, {});
                             else
                                 self->finished(*id, nullptr, result.error().message);
                         });
    m_requestId = *id;
    emit callStarted(m_tool.name, m_requestId);
}

void TryItPanel::cancelCall()
{
    if (!m_busy)
        return;
    m_cancelling = true;
    if (m_client && m_client->isWaitingFor(m_requestId))
        m_client->cancel(m_requestId, u"Cancelled in the studio's Try-it panel."_s);
    if (m_busy) // the client was gone, or did not know the call
        finished(m_requestId, nullptr, {});
    m_cancelling = false;
}

void TryItPanel::finished(qint64 requestId, const QJsonObject *result, const QString &failure)
{
    if (!m_busy || requestId != m_requestId)
        return;
    m_elapsedMs = m_clock.elapsed();
    setBusy(false);
    bool succeeded = false;
    if (m_cancelling) {
        m_result->showNote(tr("Cancelled."));
        m_status->setText(tr("Cancelled after %1.").arg(elapsedText()));
    } else if (result) {
        m_result->showResult(*result);
        succeeded = !m_result->isError();
        m_status->setText(succeeded ? tr("Answered in %1.").arg(elapsedText())
                                    : tr("Answered in %1, with an error.").arg(elapsedText()));
    } else {
        m_result->showFailure(failure);
        m_status->setText(tr("Failed after %1.").arg(elapsedText()));
    }
    emit callFinished(succeeded);
}

QString TryItPanel::elapsedText() const
{
    if (m_elapsedMs < 1000)
        return tr("%1 ms").arg(m_elapsedMs);
    return tr("%1 s").arg(m_elapsedMs / 1000.0, 0, 'f', 1);
}

QString TryItPanel::statusText() const
{
    return m_status->text();
}

} // namespace mcpbridge::tryit
