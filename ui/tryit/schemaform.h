#pragma once

// A form for a tool's arguments, built from its input schema: one row per property with an editor
// that fits its type (text, choice, number, yes/no, list, JSON), defaults filled in, problems said
// in plain words. Used by the Try-it panel; arguments() is what the call sends.

#include "schemafield.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <vector>

class QFormLayout;
class QLabel;

namespace mcpbridge::tryit {

class SchemaForm : public QWidget
{
    Q_OBJECT
public:
    explicit SchemaForm(QWidget *parent = nullptr);
    ~SchemaForm() override;

    // Rebuilds the form. Properties appear in `order` (e.g. the tool's parameter order; names
    // not in the schema are skipped), the rest after them: required ones first, then by name.
    // Editors start with the schema's defaults.
    void setSchema(const QJsonObject &inputSchema, const QStringList &order = {});
    QJsonObject schema() const { return m_schema; }

    // The arguments to send: every field that is set and readable. Empty optional fields are
    // left out, and so is text that cannot be read as its type (problems() names it); a
    // readable value outside the schema's limits is kept (problems() names that too).
    QJsonObject arguments() const;
    // What stops a call, one line each: "Required: query", "limit: not a number",
    // "filters: not valid JSON (line 1, column 5): …". Empty when the form is fine.
    QStringList problems() const;
    // Shows exactly `arguments`: fields not in it are emptied (not reset to their defaults).
    void setArguments(const QJsonObject &arguments);
    // Every field back to the schema's default (or empty).
    void resetToDefaults();

    QStringList fieldNames() const;
    bool hasFields() const { return !m_fields.empty(); }
    FieldSpec field(const QString &name) const;
    // The editor of a field (QLineEdit, QComboBox, QCheckBox or QPlainTextEdit); nullptr if none.
    QWidget *editor(const QString &name) const;
    QLabel *label(const QString &name) const;

signals:
    // Any edit, and setArguments/resetToDefaults.
    void changed();

private:
    struct Field;

    void clear();
    QWidget *makeEditor(Field &field);
    void setValue(Field &field, const QJsonValue &value);
    FieldValue value(const Field &field) const;
    QString problemOf(const Field &field) const;
    void updateProblem(Field &field);
    void onEdited();
    const Field *find(const QString &name) const;

    QJsonObject m_schema;
    std::vector<std::unique_ptr<Field>> m_fields;
    QFormLayout *m_layout = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_requiredNote = nullptr;
    bool m_loading = false;
};

} // namespace mcpbridge::tryit
