#include "ui/traffic/trafficview.h"

#include "core/util/atomicfile.h"

#include "core/traffic/trafficlog.h"
#include "ui/traffic/curlcommand.h"
#include "ui/traffic/jsonhighlighter.h"
#include "ui/traffic/trafficfilterproxy.h"
#include "ui/traffic/trafficlogmodel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStandardPaths>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

using traffic::EventKind;
using traffic::TrafficEvent;

namespace {

// The JSON in `text` indented, or the text itself when it is not JSON.
QString pretty(const QByteArray &text)
{
    if (text.isEmpty())
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(text);
    if (doc.isNull())
        return QString::fromUtf8(text);
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
}

// An upstream exchange with its request and response bodies shown as JSON when they are JSON.
QString prettyExchange(const QByteArray &body)
{
    QJsonObject exchange = QJsonDocument::fromJson(body).object();
    if (exchange.isEmpty())
        return pretty(body);
    for (const QString &part : {u"request"_s, u"response"_s}) {
        QJsonObject object = exchange.value(part).toObject();
        const QJsonDocument inner
            = QJsonDocument::fromJson(object.value(u"body"_s).toString().toUtf8());
        if (inner.isObject())
            object.insert(u"body"_s, inner.object());
        else if (inner.isArray())
            object.insert(u"body"_s, inner.array());
        if (!object.isEmpty())
            exchange.insert(part, object);
    }
    return QString::fromUtf8(QJsonDocument(exchange).toJson(QJsonDocument::Indented)).trimmed();
}

int textWidth(const QWidget *widget, const QString &sample)
{
    return widget->fontMetrics().horizontalAdvance(sample)
           + widget->fontMetrics().averageCharWidth() * 3;
}

} // namespace

TrafficView::TrafficView(QWidget *parent)
    : QWidget(parent)
    , m_model(new TrafficLogModel(this))
    , m_proxy(new TrafficFilterProxy(this))
    , m_tree(new QTreeView(this))
    , m_detail(new QPlainTextEdit(this))
    , m_highlighter(new JsonHighlighter(m_detail->document()))
    , m_methodCombo(new QComboBox(this))
    , m_errorsOnly(new QCheckBox(tr("&Errors only"), this))
    , m_search(new QLineEdit(this))
    , m_copyCurl(new QPushButton(tr("Copy as c&url"), this))
    , m_open(new QPushButton(tr("&Open…"), this))
    , m_export(new QPushButton(tr("E&xport…"), this))
    , m_clear(new QPushButton(tr("C&lear"), this))
    , m_marker(new QLabel(this))
{
    m_proxy->setSourceModel(m_model);

    auto *methodLabel = new QLabel(tr("&Method:"), this);
    methodLabel->setBuddy(m_methodCombo);
    m_methodCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_methodCombo->setToolTip(tr("Show only messages of this kind, such as tools/call"));
    m_errorsOnly->setToolTip(tr("Show only messages and API calls that failed"));
    auto *searchLabel = new QLabel(tr("&Search:"), this);
    searchLabel->setBuddy(m_search);
    m_search->setPlaceholderText(tr("Text in a message or address"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Show only messages that contain this text"));
    m_copyCurl->setToolTip(tr("Copy the selected call to your API as a command for a terminal "
                              "(passwords and keys stay hidden)"));
    m_copyCurl->setEnabled(false);
    m_open->setToolTip(tr("Show traffic saved earlier with Export (or with 'mcpbridge traffic "
                          "--json') instead of the live log"));
    m_export->setToolTip(tr("Save every message shown here to a file (JSON Lines)"));
    m_clear->setToolTip(tr("Remove every message from the log"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(methodLabel);
    bar->addWidget(m_methodCombo);
    bar->addWidget(m_errorsOnly);
    bar->addWidget(searchLabel);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_copyCurl);
    bar->addWidget(m_open);
    bar->addWidget(m_export);
    bar->addWidget(m_clear);

    m_tree->setModel(m_proxy);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setToolTip(tr("Every message between AI clients and this bridge, newest last. "
                          "Expand a request to see the calls it made to your API."));
    QHeaderView *header = m_tree->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(TrafficLogModel::MethodColumn, QHeaderView::Stretch);
    header->resizeSection(TrafficLogModel::TimeColumn,
                          textWidth(m_tree, u"00:00:00.000"_s) + m_tree->indentation());
    header->resizeSection(TrafficLogModel::DirectionColumn, textWidth(m_tree, tr("From client")));
    header->resizeSection(TrafficLogModel::SessionColumn, textWidth(m_tree, u"0123456789ab"_s));
    header->resizeSection(TrafficLogModel::IdColumn, textWidth(m_tree, u"0000"_s));
    header->resizeSection(TrafficLogModel::StatusColumn, textWidth(m_tree, tr("Waiting…")) + 24);
    header->resizeSection(TrafficLogModel::LatencyColumn, textWidth(m_tree, u"00000 ms"_s));
    header->resizeSection(TrafficLogModel::SizeColumn, textWidth(m_tree, u"1.0 KB / 10.0 KB"_s));

    m_detail->setReadOnly(true);
    m_detail->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select a message to see its full text here."));
    m_detail->setToolTip(tr("The selected message; for a request, also its answer"));

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_tree);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    // Says which bridge or file the rows come from; hidden when they are the studio's own.
    m_marker->setWordWrap(true);
    m_marker->setAutoFillBackground(true);
    m_marker->setBackgroundRole(QPalette::AlternateBase);
    m_marker->setMargin(4);
    m_marker->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_marker->setAccessibleName(tr("Traffic source"));
    m_marker->setToolTip(tr("Where the messages below come from"));
    m_marker->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_marker);
    layout->addWidget(splitter, 1);

    setTabOrder(m_methodCombo, m_errorsOnly);
    setTabOrder(m_errorsOnly, m_search);
    setTabOrder(m_search, m_copyCurl);
    setTabOrder(m_copyCurl, m_open);
    setTabOrder(m_open, m_export);
    setTabOrder(m_export, m_clear);
    setTabOrder(m_clear, m_tree);
    setTabOrder(m_tree, m_detail);

    updateMethods();
    connect(m_model, &TrafficLogModel::methodsChanged, this, &TrafficView::updateMethods);
    connect(m_methodCombo, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setMethodFilter(m_methodCombo->currentData().toString()); });
    connect(m_errorsOnly, &QCheckBox::toggled, m_proxy, &TrafficFilterProxy::setErrorsOnly);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &TrafficFilterProxy::setSearchText);
    connect(m_copyCurl, &QPushButton::clicked, this, &TrafficView::copyAsCurl);
    connect(m_open, &QPushButton::clicked, this, &TrafficView::openWithDialog);
    connect(m_export, &QPushButton::clicked, this, &TrafficView::exportWithDialog);
    connect(m_model, &TrafficLogModel::logChanged, this, [this] {
        setSourceMarker({});
        m_followNewest = true;
    });
    connect(m_clear, &QPushButton::clicked, this, &TrafficView::clear);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TrafficView::updateDetail);
    // A response arriving for the selected request refreshes the pane.
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const QModelIndex current = m_proxy->mapToSource(m_tree->currentIndex());
                if (current.isValid() && !current.parent().isValid()
                    && current.row() >= topLeft.row() && current.row() <= bottomRight.row()
                    && !topLeft.parent().isValid())
                    updateDetail();
            });

    // Keep the newest message in view unless the user scrolled up to read.
    QScrollBar *scroll = m_tree->verticalScrollBar();
    connect(scroll, &QScrollBar::valueChanged, this,
            [this, scroll](int value) { m_followNewest = value >= scroll->maximum(); });
    connect(scroll, &QScrollBar::rangeChanged, this, [this, scroll](int, int max) {
        if (m_followNewest)
            scroll->setValue(max);
    });
}

void TrafficView::setLog(traffic::TrafficLog *log)
{
    m_model->setLog(log);
}

void TrafficView::updateMethods()
{
    const QString current = m_methodCombo->currentData().toString();
    const QSignalBlocker blocker(m_methodCombo);
    m_methodCombo->clear();
    m_methodCombo->addItem(tr("All methods"), QString());
    const QStringList methods = m_model->methods();
    for (const QString &method : methods)
        m_methodCombo->addItem(method, method);
    const int index = m_methodCombo->findData(current);
    m_methodCombo->setCurrentIndex(index < 0 ? 0 : index);
    if (index < 0 && !current.isEmpty())
        m_proxy->setMethodFilter({});
}

void TrafficView::updateDetail()
{
    const QModelIndex index = m_tree->currentIndex();
    if (!index.isValid()) {
        m_detail->clear();
        m_copyCurl->setEnabled(false);
        return;
    }
    const auto event = index.data(TrafficLogModel::EventRole).value<TrafficEvent>();
    QString text;
    if (event.kind == EventKind::Upstream) {
        text = tr("# Call to your API: %1").arg(event.summary) + u'\n' + prettyExchange(event.body);
    } else {
        const bool isRequest = event.messageType == u"request";
        const QString heading = isRequest                              ? tr("Request")
                                : event.messageType == u"notification" ? tr("Notification")
                                : event.kind == EventKind::Note        ? tr("Note")
                                                                       : tr("Message");
        text = u"# "_s + heading + u": "_s + event.summary + u'\n' + pretty(event.body);
        const QVariant response = index.data(TrafficLogModel::ResponseRole);
        if (response.isValid()) {
            const auto answer = response.value<TrafficEvent>();
            text += u"\n\n# "_s + tr("Response: %1").arg(answer.summary) + u'\n'
                    + pretty(answer.body);
        } else if (isRequest) {
            text += u"\n\n# "_s + tr("No response yet");
        }
    }
    m_detail->setPlainText(text);
    m_copyCurl->setEnabled(event.kind == EventKind::Upstream);
}

void TrafficView::copyAsCurl()
{
    const QModelIndex index = m_tree->currentIndex();
    if (!index.isValid())
        return;
    const QString command
        = curlCommand(index.data(TrafficLogModel::EventRole).value<TrafficEvent>());
    if (!command.isEmpty())
        QApplication::clipboard()->setText(command);
}

QString TrafficView::exportTo(const QString &path) const
{
    if (const Result<void> written = writeFileAtomically(path, m_model->toJsonLines()); !written)
        return tr("Could not write %1: %2").arg(path, written.error().message);
    return {};
}

void TrafficView::exportWithDialog()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Export traffic log"), dir + u"/traffic.jsonl"_s,
                                       tr("JSON Lines (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    const QString error = exportTo(path);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Export traffic log"), error);
}

Result<TrafficFileContents> TrafficView::openFile(const QString &path)
{
    Result<TrafficFileContents> contents = loadTrafficFile(path, m_model);
    if (!contents)
        return contents;
    m_detail->clear();
    m_copyCurl->setEnabled(false);
    setSourceMarker(contents->marker());
    m_marker->setToolTip(tr("Traffic saved in %1").arg(QDir::toNativeSeparators(path)));
    m_markerIsFile = true;
    m_tree->scrollToTop();
    m_followNewest = false;
    return contents;
}

void TrafficView::openWithDialog()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open saved traffic"), dir, tr("JSON Lines (*.jsonl *.ndjson);;All files (*)"));
    if (path.isEmpty())
        return;
    const Result<TrafficFileContents> contents = openFile(path);
    if (!contents)
        QMessageBox::warning(this, tr("Open saved traffic"),
                             tr("Could not open %1.\n\n%2")
                                 .arg(QDir::toNativeSeparators(path), contents.error().toString()));
    else if (const QString warning = contents->warning(); !warning.isEmpty())
        QMessageBox::information(this, tr("Open saved traffic"), warning);
}

void TrafficView::setSourceMarker(const QString &text)
{
    m_markerIsFile = false;
    m_marker->setToolTip(tr("Where the messages below come from"));
    if (text == m_markerText)
        return;
    m_markerText = text;
    m_marker->setText(text);
    m_marker->setVisible(!text.isEmpty());
    emit sourceMarkerChanged(text);
}

bool TrafficView::showSourceIndex(const QModelIndex &sourceIndex)
{
    if (!sourceIndex.isValid() || sourceIndex.model() != m_model)
        return false;
    QModelIndex index = m_proxy->mapFromSource(sourceIndex);
    if (!index.isValid()) {
        // Hidden by a filter: show everything rather than nothing.
        m_errorsOnly->setChecked(false);
        m_search->clear();
        m_methodCombo->setCurrentIndex(0);
        index = m_proxy->mapFromSource(sourceIndex);
        if (!index.isValid())
            return false;
    }
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
    return true;
}

void TrafficView::clear()
{
    if (m_model->log())
        m_model->log()->clear();
    else
        m_model->clear();
    if (m_markerIsFile)
        setSourceMarker({});
    m_detail->clear();
    m_copyCurl->setEnabled(false);
    m_followNewest = true;
}

void TrafficView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_highlighter->setPalette(palette());
    QWidget::changeEvent(event);
}

} // namespace mcpbridge::ui
