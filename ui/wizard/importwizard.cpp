#include "ui/wizard/importwizard.h"

#include "ui/wizard/endpointmodel.h"
#include "ui/wizard/manualendpointmodel.h"
#include "ui/wizard/wizardpages.h"

#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

ImportWizard::ImportWizard(QWidget *parent)
    : QWizard(parent)
    , m_endpoints(new EndpointModel(this))
    , m_manual(new ManualEndpointModel(this))
    , m_defaultFolder(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
{
    setWindowTitle(tr("New bridge"));
    setOption(QWizard::NoBackButtonOnStartPage);
    setPage(StartPageId, new StartPage(this));
    setPage(SourcePageId, new SourcePage(this));
    setPage(PickerPageId, new PickerPage(this));
    setPage(BaseUrlPageId, new BaseUrlPage(this));
    setPage(FinishPageId, new FinishPage(this));
    setStartId(StartPageId);
}

ImportWizard::~ImportWizard() = default;

bool ImportWizard::fromSpec() const
{
    return field(u"fromSpec"_s).toBool();
}

QString ImportWizard::baseUrl() const
{
    return m_baseUrl;
}

void ImportWizard::setReport(const openapi::ImportReport &report)
{
    m_report = report;
    m_endpoints->setTools(report.document.tools, report.toolTags);
}

bridge::BridgeDocument ImportWizard::draftDocument() const
{
    bridge::BridgeDocument document;
    if (fromSpec()) {
        if (m_report) {
            document = m_report->document;
            document.tools = m_endpoints->selectedTools();
        }
    } else {
        document.upstream.baseUrl = m_baseUrl;
        document.tools = m_manual->tools();
    }
    return document;
}

void ImportWizard::setSaved(const bridge::BridgeDocument &document, const QString &path)
{
    m_document = document;
    m_savedPath = path;
}

} // namespace mcpbridge::ui
