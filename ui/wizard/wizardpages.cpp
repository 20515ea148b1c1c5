#include "ui/wizard/wizardpages.h"

#include "core/openapi/openapiimporter.h"
#include "ui/wizard/endpointfilterproxy.h"
#include "ui/wizard/endpointmodel.h"
#include "ui/wizard/importwizard.h"
#include "ui/wizard/manualendpointmodel.h"
#include "ui/wizard/methodbadgedelegate.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QTableView>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

namespace {

QLabel *wrappedLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    return label;
}

// "about 3,400": estimates are rough, so show two significant figures.
QString roughNumber(qint64 n)
{
    qint64 step = 1;
    while (n / step >= 100)
        step *= 10;
    return QLocale().toString((n + step / 2) / step * step);
}

} // namespace

// ---------------------------------------------------------------------------------------------

StartPage::StartPage(QWidget *parent)
    : QWizardPage(parent)
{
    setTitle(tr("How do you want to start?"));
    setSubTitle(tr("A bridge lets an AI assistant call your web API. Tell us what you have."));
    m_fromSpec = new QRadioButton(tr("From an &OpenAPI or Swagger file or URL"), this);
    m_fromSpec->setObjectName(u"fromSpec"_s);
    m_fromSpec->setToolTip(tr("Pick this if your API has a description file (often called "
                              "openapi.json, openapi.yaml or swagger.json). The wizard reads "
                              "every endpoint from it."));
    m_fromBaseUrl = new QRadioButton(tr("From a &base URL only"), this);
    m_fromBaseUrl->setObjectName(u"fromBaseUrl"_s);
    m_fromBaseUrl->setToolTip(tr("Pick this if you only know the API's address. You then add "
                                 "the endpoints one by one."));
    m_fromSpec->setChecked(true);
    registerField(u"fromSpec"_s, m_fromSpec);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_fromSpec);
    layout->addWidget(wrappedLabel(tr("Recommended: every endpoint, its parameters and "
                                      "descriptions are filled in for you."),
                                   this));
    layout->addSpacing(layout->spacing() * 2);
    layout->addWidget(m_fromBaseUrl);
    layout->addWidget(wrappedLabel(tr("You type each endpoint's method and path yourself."), this));
    layout->addStretch();
}

int StartPage::nextId() const
{
    return m_fromSpec->isChecked() ? ImportWizard::SourcePageId : ImportWizard::BaseUrlPageId;
}

// ---------------------------------------------------------------------------------------------

SourcePage::SourcePage(QWidget *parent)
    : QWizardPage(parent)
    , m_loader(new openapi::OpenApiLoader(this))
{
    setTitle(tr("Where is the API description?"));
    setSubTitle(tr("Choose the OpenAPI or Swagger file on this computer, or paste its web "
                   "address. Then press Next to read it."));

    m_location = new QLineEdit(this);
    m_location->setObjectName(u"location"_s);
    m_location->setPlaceholderText(tr("/path/to/openapi.yaml or https://example.com/openapi.json"));
    m_location->setToolTip(tr("A file on this computer or an http(s) address of an OpenAPI 3 or "
                              "Swagger 2 description, in JSON or YAML."));
    m_location->setClearButtonEnabled(true);
    m_browse = new QPushButton(tr("&Browse…"), this);
    m_browse->setToolTip(tr("Choose the description file on this computer."));
    auto *label = new QLabel(tr("&File or address:"), this);
    label->setBuddy(m_location);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(u"progress"_s);
    m_progress->setToolTip(tr("How far reading the description has come."));
    m_progress->setVisible(false);
    m_stage = wrappedLabel({}, this);
    m_stage->setObjectName(u"stage"_s);
    m_error = wrappedLabel({}, this);
    m_error->setObjectName(u"error"_s);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setVisible(false);
    QFont bold = m_error->font();
    bold.setBold(true);
    m_error->setFont(bold);

    auto *row = new QHBoxLayout;
    row->addWidget(m_location, 1);
    row->addWidget(m_browse);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addLayout(row);
    layout->addWidget(m_progress);
    layout->addWidget(m_stage);
    layout->addWidget(m_error);
    layout->addStretch();

    connect(m_location, &QLineEdit::textChanged, this, [this] {
        m_error->setVisible(false);
        Q_EMIT completeChanged();
    });
    connect(m_browse, &QPushButton::clicked, this, &SourcePage::browse);
    connect(m_loader, &openapi::OpenApiLoader::progress, this, &SourcePage::showProgress);
    connect(m_loader, &openapi::OpenApiLoader::finished, this, &SourcePage::loaded);
}

ImportWizard *SourcePage::importWizard() const
{
    return qobject_cast<ImportWizard *>(wizard());
}

void SourcePage::browse()
{
    const QString file
        = QFileDialog::getOpenFileName(this, tr("Choose an API description"), m_location->text(),
                                       tr("API descriptions (*.json *.yaml *.yml);;All files (*)"));
    if (!file.isEmpty())
        m_location->setText(file);
}

bool SourcePage::isComplete() const
{
    return !m_location->text().trimmed().isEmpty() && !m_loader->isRunning();
}

int SourcePage::nextId() const
{
    return ImportWizard::PickerPageId;
}

bool SourcePage::validatePage()
{
    const QString location = m_location->text().trimmed();
    if (!m_loadedLocation.isEmpty() && location == m_loadedLocation && importWizard()->report())
        return true;
    if (m_loader->isRunning())
        return false;
    m_loadedLocation.clear();
    m_error->setVisible(false);
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    m_stage->setText(tr("Reading %1 …").arg(location));
    m_location->setEnabled(false);
    m_browse->setEnabled(false);
    m_loader->start(location);
    Q_EMIT completeChanged();
    return false; // loaded() moves on when the import succeeded
}

void SourcePage::showProgress(const QString &stage, qint64 done, qint64 total)
{
    m_stage->setText(stage);
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(std::min<qint64>(1000, done * 1000 / total)));
    } else {
        m_progress->setRange(0, 0);
    }
}

void SourcePage::loaded()
{
    m_progress->setVisible(false);
    m_location->setEnabled(true);
    m_browse->setEnabled(true);
    const auto &result = m_loader->result();
    if (!result || !result->has_value()) {
        const QString message = result ? result->error().toString()
                                       : tr("Reading the description stopped before it ended.");
        m_stage->clear();
        m_error->setText(tr("This description could not be read: %1").arg(message));
        m_error->setVisible(true);
        m_location->setFocus();
        Q_EMIT completeChanged();
        return;
    }
    const openapi::ImportReport &report = **result;
    importWizard()->setReport(report);
    m_loadedLocation = m_location->text().trimmed();
    m_stage->setText(report.operationsTotal == 1
                         ? tr("Read 1 operation.")
                         : tr("Read %1 operations.").arg(report.operationsTotal));
    Q_EMIT completeChanged();
    wizard()->next();
}

// ---------------------------------------------------------------------------------------------

PickerPage::PickerPage(QWidget *parent)
    : QWizardPage(parent)
{
    setTitle(tr("Which endpoints should the assistant use?"));
    setSubTitle(tr("Each checked endpoint becomes a tool. Fewer tools make the assistant "
                   "faster and cheaper, so keep only what it needs."));

    m_search = new QLineEdit(this);
    m_search->setObjectName(u"search"_s);
    m_search->setPlaceholderText(tr("Search by name, path, description or tag"));
    m_search->setToolTip(tr("Show only endpoints whose name, path, description or tag "
                            "contains this text. Hidden endpoints keep their checkmarks."));
    m_search->setClearButtonEnabled(true);
    auto *searchLabel = new QLabel(tr("&Search:"), this);
    searchLabel->setBuddy(m_search);

    m_proxy = new EndpointFilterProxy(this);
    m_view = new QTreeView(this);
    m_view->setObjectName(u"endpoints"_s);
    m_view->setToolTip(tr("Endpoints grouped by tag. Check a tag to select all of its "
                          "endpoints."));
    m_view->setAlternatingRowColors(true);
    m_view->setUniformRowHeights(true);
    m_view->setItemDelegateForColumn(EndpointModel::MethodColumn, new MethodBadgeDelegate(this));

    auto *all = new QPushButton(tr("Select &all"), this);
    all->setToolTip(tr("Check every endpoint, also those hidden by the search."));
    auto *none = new QPushButton(tr("Select &none"), this);
    none->setToolTip(tr("Uncheck every endpoint, also those hidden by the search."));

    m_summary = new QLabel(this);
    m_summary->setObjectName(u"summary"_s);
    m_summary->setToolTip(tr("A rough estimate of how much of the assistant's attention "
                             "(its context) the tool descriptions take on every turn."));
    m_warning = wrappedLabel({}, this);
    m_warning->setObjectName(u"warning"_s);
    m_notes = wrappedLabel({}, this);
    m_notes->setObjectName(u"notes"_s);

    auto *top = new QHBoxLayout;
    top->addWidget(searchLabel);
    top->addWidget(m_search, 1);
    top->addWidget(all);
    top->addWidget(none);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_warning);
    layout->addWidget(m_notes);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setSearchText(text);
        m_view->expandAll();
    });
    connect(all, &QPushButton::clicked, this,
            [this] { importWizard()->endpointModel()->setAllChecked(true); });
    connect(none, &QPushButton::clicked, this,
            [this] { importWizard()->endpointModel()->setAllChecked(false); });
}

ImportWizard *PickerPage::importWizard() const
{
    return qobject_cast<ImportWizard *>(wizard());
}

void PickerPage::initializePage()
{
    EndpointModel *model = importWizard()->endpointModel();
    if (m_proxy->sourceModel() != model) {
        m_proxy->setSourceModel(model);
        m_view->setModel(m_proxy);
        connect(model, &EndpointModel::selectionChanged, this, &PickerPage::updateSummary);
        connect(model, &QAbstractItemModel::modelReset, m_view, &QTreeView::expandAll);
    }
    m_view->expandAll();
    m_view->header()->setSectionResizeMode(EndpointModel::NameColumn,
                                           QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(EndpointModel::MethodColumn,
                                           QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(EndpointModel::PathColumn,
                                           QHeaderView::ResizeToContents);
    m_view->header()->setStretchLastSection(true);

    QStringList lines;
    if (const auto &report = importWizard()->report()) {
        const int skipped = report->count(openapi::ImportNote::Severity::Skipped);
        if (skipped > 0)
            lines.append(
                skipped == 1
                    ? tr("1 operation of the description could not become a tool.")
                    : tr("%1 operations of the description could not become tools.").arg(skipped));
        if (report->document.upstream.baseUrl.isEmpty())
            lines.append(tr("The description does not say where the API runs; you can set "
                            "its address later in the bridge settings."));
    }
    m_notes->setText(lines.join(u'\n'));
    m_notes->setVisible(!lines.isEmpty());
    updateSummary();
}

void PickerPage::updateSummary()
{
    const EndpointModel *model = importWizard()->endpointModel();
    const int count = model->selectedCount();
    const qint64 tokens = model->estimatedTokens();
    const QString tools = count == 1 ? tr("1 tool selected") : tr("%1 tools selected").arg(count);
    m_summary->setText(tr("%1 · about %2 tokens per turn").arg(tools, roughNumber(tokens)));
    QStringList warnings;
    if (count > openapi::ToolCountWarning)
        warnings.append(tr("That is more than %1 tools: assistants choose less well among many "
                           "tools. Uncheck the ones it will not need.")
                            .arg(openapi::ToolCountWarning));
    if (tokens > openapi::TokenWarning)
        warnings.append(tr("The tool descriptions take more than %1 tokens on every turn, "
                           "which makes each answer slower and costlier.")
                            .arg(QLocale().toString(openapi::TokenWarning)));
    if (count == 0)
        warnings.append(tr("Check at least one endpoint to continue."));
    m_warning->setText(warnings.join(u'\n'));
    m_warning->setVisible(!warnings.isEmpty());
    Q_EMIT completeChanged();
}

bool PickerPage::isComplete() const
{
    return importWizard() && importWizard()->endpointModel()->selectedCount() > 0;
}

int PickerPage::nextId() const
{
    return ImportWizard::FinishPageId;
}

// ---------------------------------------------------------------------------------------------

QString BaseUrlPage::validBaseUrl(const QString &text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != u"http" && url.scheme() != u"https"))
        return {};
    return url.toString();
}

BaseUrlPage::BaseUrlPage(QWidget *parent)
    : QWizardPage(parent)
{
    setTitle(tr("Where does the API run, and what can it do?"));
    setSubTitle(tr("Type the API's address, then add each endpoint the assistant may call. "
                   "Parts of a path in braces, like {id}, become values the assistant fills in."));

    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName(u"baseUrl"_s);
    m_baseUrl->setPlaceholderText(u"https://api.example.com/v1"_s);
    m_baseUrl->setToolTip(tr("The address every endpoint path is added to. It must start "
                             "with http:// or https://."));
    m_baseUrlHint = wrappedLabel({}, this);
    m_baseUrlHint->setObjectName(u"baseUrlHint"_s);

    m_method = new QComboBox(this);
    m_method->setObjectName(u"method"_s);
    m_method->addItems({u"GET"_s, u"POST"_s, u"PUT"_s, u"PATCH"_s, u"DELETE"_s, u"HEAD"_s});
    m_method->setToolTip(tr("The HTTP method: GET reads, POST creates, PUT and PATCH change, "
                            "DELETE removes."));
    m_path = new QLineEdit(this);
    m_path->setObjectName(u"path"_s);
    m_path->setPlaceholderText(u"/items/{id}"_s);
    m_path->setToolTip(tr("The path under the address, for example /items/{id}. Each {name} "
                          "becomes a required value."));
    m_add = new QPushButton(tr("&Add endpoint"), this);
    m_add->setObjectName(u"addEndpoint"_s);
    m_add->setToolTip(tr("Add this method and path to the list below."));
    m_remove = new QPushButton(tr("&Remove"), this);
    m_remove->setToolTip(tr("Remove the selected endpoint from the list."));

    m_view = new QTableView(this);
    m_view->setObjectName(u"manualEndpoints"_s);
    m_view->setToolTip(tr("The endpoints the bridge will offer as tools."));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);

    auto *form = new QFormLayout;
    form->addRow(tr("API &address:"), m_baseUrl);
    form->addRow(QString(), m_baseUrlHint);
    auto *row = new QHBoxLayout;
    row->addWidget(m_method);
    row->addWidget(m_path, 1);
    row->addWidget(m_add);
    form->addRow(tr("&Endpoint:"), row);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_view, 1);
    auto *bottom = new QHBoxLayout;
    bottom->addStretch();
    bottom->addWidget(m_remove);
    layout->addLayout(bottom);
    if (auto *methodLabel = qobject_cast<QLabel *>(form->labelForField(row)))
        methodLabel->setBuddy(m_method);

    connect(m_baseUrl, &QLineEdit::textChanged, this, &BaseUrlPage::updateState);
    connect(m_path, &QLineEdit::textChanged, this, &BaseUrlPage::updateState);
    connect(m_add, &QPushButton::clicked, this, &BaseUrlPage::addEndpoint);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_view->currentIndex();
        if (current.isValid())
            importWizard()->manualModel()->removeEndpoint(current.row());
        updateState();
    });
    updateState();
}

ImportWizard *BaseUrlPage::importWizard() const
{
    return qobject_cast<ImportWizard *>(wizard());
}

void BaseUrlPage::addEndpoint()
{
    const QString path = m_path->text().trimmed();
    if (path.isEmpty())
        return;
    ManualEndpointModel *model = importWizard()->manualModel();
    if (m_view->model() != model)
        m_view->setModel(model);
    const int row = model->addEndpoint(m_method->currentText(), path);
    m_view->setCurrentIndex(model->index(row, 0));
    m_path->clear();
    m_path->setFocus();
    updateState();
}

void BaseUrlPage::updateState()
{
    ImportWizard *w = importWizard();
    if (w && m_view->model() != w->manualModel())
        m_view->setModel(w->manualModel());
    const QString url = validBaseUrl(m_baseUrl->text());
    if (m_baseUrl->text().trimmed().isEmpty())
        m_baseUrlHint->setText(tr("Type the address, for example https://api.example.com/v1"));
    else if (url.isEmpty())
        m_baseUrlHint->setText(tr("This is not a web address: it must start with http:// or "
                                  "https:// followed by a host name."));
    else
        m_baseUrlHint->clear();
    m_baseUrlHint->setVisible(!m_baseUrlHint->text().isEmpty());
    if (w)
        w->setBaseUrl(url);
    m_add->setEnabled(!m_path->text().trimmed().isEmpty());
    m_remove->setEnabled(w && w->manualModel()->rowCount() > 0);
    Q_EMIT completeChanged();
}

bool BaseUrlPage::isComplete() const
{
    const ImportWizard *w = importWizard();
    return w && !validBaseUrl(m_baseUrl->text()).isEmpty() && w->manualModel()->rowCount() > 0;
}

int BaseUrlPage::nextId() const
{
    return ImportWizard::FinishPageId;
}

} // namespace mcpbridge::ui
