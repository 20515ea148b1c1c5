#pragma once

// The studio's "New bridge" wizard: from an OpenAPI/Swagger file or URL (load, then pick
// endpoints) or from a base URL (add endpoints by hand), ending in a saved bridge document.
// Started by the main window; document() holds what was saved once the wizard is accepted.

#include "core/bridge/bridgedocument.h"
#include "core/openapi/importreport.h"

#include <QWizard>

#include <optional>

namespace mcpbridge::ui {

class EndpointModel;
class ManualEndpointModel;

class ImportWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId { StartPageId, SourcePageId, PickerPageId, BaseUrlPageId, FinishPageId };

    explicit ImportWizard(QWidget *parent = nullptr);
    ~ImportWizard() override;

    // The saved document (only the selected tools); empty until Finish succeeded.
    const bridge::BridgeDocument &document() const { return m_document; }
    QString savedPath() const { return m_savedPath; }
    // Where the file chooser of the last page starts (default: the user's documents folder).
    void setDefaultFolder(const QString &folder) { m_defaultFolder = folder; }
    QString defaultFolder() const { return m_defaultFolder; }

    bool fromSpec() const;
    EndpointModel *endpointModel() const { return m_endpoints; }
    ManualEndpointModel *manualModel() const { return m_manual; }
    const std::optional<openapi::ImportReport> &report() const { return m_report; }
    QString baseUrl() const;

    // Used by the pages.
    void setReport(const openapi::ImportReport &report);
    void setBaseUrl(const QString &url) { m_baseUrl = url; }
    bridge::BridgeDocument draftDocument() const;
    void setSaved(const bridge::BridgeDocument &document, const QString &path);

private:
    EndpointModel *m_endpoints = nullptr;
    ManualEndpointModel *m_manual = nullptr;
    std::optional<openapi::ImportReport> m_report;
    QString m_baseUrl;
    QString m_defaultFolder;
    bridge::BridgeDocument m_document;
    QString m_savedPath;
};

} // namespace mcpbridge::ui
