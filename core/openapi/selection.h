#pragma once

// Which operations of a spec become tools: include/exclude by tag, path glob, method and
// operationId (see ImportOptions). Used by the importer; the wizard shows the same choices.

#include <QString>
#include <QStringList>

namespace mcpbridge::openapi {

struct ImportOptions;

struct OperationRef
{
    QString method;      // upper case
    QString path;        // the path template as in the spec
    QString operationId; // may be empty
    QString toolName;    // the name it gets
    QStringList tags;
};

// "*" and "**" match any run of characters (also "/"), "?" one character; the rest is literal.
// The whole path must match.
bool globMatch(const QString &glob, const QString &text);

// Excludes win. Includes of tag, path and method must all hold when given; included
// operationIds are selected in addition to those.
bool isSelected(const ImportOptions &options, const OperationRef &operation);

} // namespace mcpbridge::openapi
