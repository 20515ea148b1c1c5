#pragma once

// Edits one tool of a bridge document: name (checked as you type), title, description with
// plain-language hints, method and path, parameters, annotations, response shaping, and a live
// preview of exactly the tools/list entry the model receives. Used by the studio main window.

#include "core/bridge/bridgedocument.h"
#include "descriptionlint.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QStringListModel;
class QTableView;

namespace mcpbridge::editors {

class ParameterTableModel;

class ToolEditor : public QWidget
{
    Q_OBJECT

public:
    explicit ToolEditor(QWidget *parent = nullptr);

    // The document the tool belongs to: other tools' names and descriptions are checked
    // against it. Call before or after setTool; neither emits toolChanged. With `toolIndex`
    // (the edited tool's position) that entry is left out, so the document may already hold
    // the edits; without it, the entry named like the tool's original name is left out.
    void setDocument(const bridge::BridgeDocument &document, int toolIndex = -1);
    // Shows `tool`; its current name is how it is recognised in the document.
    void setTool(const bridge::Tool &tool);
    bridge::Tool tool() const { return m_tool; }

    bool isValid() const { return m_nameProblem.isEmpty(); }
    QString nameProblem() const { return m_nameProblem; }
    QList<LintHint> lintHints() const { return m_hints; }
    QString previewText() const;
    ParameterTableModel *parameterModel() const { return m_parameters; }

signals:
    // After every edit, also one that leaves the tool invalid (see isValid(), nameProblem()).
    void toolChanged(const mcpbridge::bridge::Tool &tool);
    void validityChanged(bool valid);

private:
    QWidget *buildForm();
    void loadFields();
    void edited();  // the user changed something: refresh and emit
    void refresh(); // preview, hints and name check from m_tool
    QString selfName() const { return m_selfRemoved ? QString() : m_ownName; }
    void onPathEdited(const QString &path);
    void onAnnotationToggled();

    bridge::BridgeDocument m_document;
    bridge::Tool m_tool;
    QString m_ownName;
    bool m_selfRemoved = false; // m_document holds only the other tools
    QString m_nameProblem;
    QList<LintHint> m_hints;
    bool m_loading = false;

    QLineEdit *m_name = nullptr;
    QLabel *m_nameMessage = nullptr;
    QLineEdit *m_title = nullptr;
    QPlainTextEdit *m_description = nullptr;
    QStringListModel *m_hintModel = nullptr;
    QListView *m_hintView = nullptr;
    QComboBox *m_method = nullptr;
    QLineEdit *m_path = nullptr;
    ParameterTableModel *m_parameters = nullptr;
    QTableView *m_parameterView = nullptr;
    QPushButton *m_addParameter = nullptr;
    QPushButton *m_removeParameter = nullptr;
    QCheckBox *m_readOnly = nullptr;
    QCheckBox *m_destructive = nullptr;
    QCheckBox *m_idempotent = nullptr;
    QCheckBox *m_openWorld = nullptr;
    QSpinBox *m_maxKb = nullptr;
    QSpinBox *m_maxItems = nullptr;
    QPlainTextEdit *m_fields = nullptr;
    QPlainTextEdit *m_preview = nullptr;
};

} // namespace mcpbridge::editors
