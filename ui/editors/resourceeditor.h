#pragma once

// Edits one resource or one resource template of a bridge document: its URI (or URI template),
// name, title, description with hints, content type and the GET request that serves it, and
// for a template its variables and suggested values. Checked as you type with the same rules
// as `mcpbridge check`; a live preview shows exactly the entry the model receives in
// resources/list or resources/templates/list. Used by the studio main window.

#include "core/bridge/bridgedocument.h"
#include "core/bridge/documentio.h"
#include "descriptionlint.h"

#include <QWidget>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QStringListModel;
class QTableView;

namespace mcpbridge::editors {

class TemplateVariableModel;

class ResourceEditor : public QWidget
{
    Q_OBJECT

public:
    enum class Mode { Resource, Template };

    explicit ResourceEditor(QWidget *parent = nullptr);

    // Edits `document.resources[index]`; the other resources and templates of `document` are
    // what names and URIs are checked against. An index out of range edits a new, empty
    // resource. Neither setter emits resourceChanged or templateChanged.
    void setDocument(const bridge::BridgeDocument &document, int index);
    // Edits `document.resourceTemplates[index]`, likewise.
    void setTemplate(const bridge::BridgeDocument &document, int index);

    Mode mode() const { return m_mode; }
    bridge::Resource resource() const { return m_resource; }
    bridge::ResourceTemplate resourceTemplate() const { return m_template; }

    bool isValid() const { return m_valid; }
    // Errors and warnings of the edited item; pointers are relative to it ("/uri", "/path").
    QList<bridge::Problem> problems() const { return m_problems; }
    QList<LintHint> lintHints() const { return m_hints; }
    QString previewText() const;
    TemplateVariableModel *variableModel() const { return m_variables; }

    // Content types offered in the content type field.
    static QStringList mimeTypeSuggestions();

signals:
    // After every edit, also one that leaves the item invalid (see isValid(), problems()).
    void resourceChanged(const mcpbridge::bridge::Resource &resource);
    void templateChanged(const mcpbridge::bridge::ResourceTemplate &resourceTemplate);
    void validityChanged(bool valid);

private:
    QWidget *buildForm();
    QWidget *buildPreview(QWidget *parent);
    void connectEdits();
    void load(Mode mode, const bridge::BridgeDocument &document, int index);
    void loadFields();
    void edited();  // the user changed something: refresh and emit
    void refresh(); // problems, hints, preview and messages from the item
    void showProblems();
    QString requestText() const;
    template<typename Edit>
    void apply(Edit edit);

    Mode m_mode = Mode::Resource;
    bridge::BridgeDocument m_others; // the document without the edited item
    bridge::Resource m_resource;
    bridge::ResourceTemplate m_template;
    QList<bridge::Problem> m_problems;
    QList<LintHint> m_hints;
    bool m_valid = true;
    bool m_loading = false;

    QLabel *m_uriLabel = nullptr;
    QLineEdit *m_uri = nullptr;
    QLabel *m_uriMessage = nullptr;
    QLineEdit *m_name = nullptr;
    QLabel *m_nameMessage = nullptr;
    QLineEdit *m_title = nullptr;
    QPlainTextEdit *m_description = nullptr;
    QStringListModel *m_hintModel = nullptr;
    QListView *m_hintView = nullptr;
    QComboBox *m_mimeType = nullptr;
    QLabel *m_mimeMessage = nullptr;
    QLineEdit *m_path = nullptr;
    QLabel *m_pathMessage = nullptr;
    QLabel *m_request = nullptr;
    QGroupBox *m_variablesBox = nullptr;
    TemplateVariableModel *m_variables = nullptr;
    QTableView *m_variableView = nullptr;
    QLabel *m_variablesMessage = nullptr;
    QLabel *m_otherMessage = nullptr;
    QLabel *m_previewCaption = nullptr;
    QPlainTextEdit *m_preview = nullptr;
};

} // namespace mcpbridge::editors
