#pragma once

// What an OpenAPI import produced and what it cost: the draft bridge document, a note for every
// operation skipped or degraded (with its JSON pointer in the spec), and an estimate of the
// tokens `tools/list` costs a model per turn. Shown by `mcpbridge import` and the studio wizard.

#include "core/bridge/bridgedocument.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace mcpbridge::openapi {

struct ImportNote
{
    enum class Severity {
        Info,     // worth knowing; the result is complete
        Degraded, // imported, but something of the operation was left out or approximated
        Skipped,  // the operation did not become a tool
    };
    Severity severity = Severity::Info;
    QString pointer;   // JSON pointer in the spec, e.g. "/paths/~1pets~1{petId}/get"
    QString operation; // "GET /pets/{petId}" (empty for document-wide notes)
    QString message;

    // "skipped GET /pets (/paths/~1pets/get): message"
    QString toString() const;
    bool operator==(const ImportNote &) const = default;
};

QString severityName(ImportNote::Severity severity);

// Thresholds past which the report advises selecting fewer operations.
inline constexpr int ToolCountWarning = 40;
inline constexpr qint64 TokenWarning = 20000;
// The token estimate counts characters of the compact tools/list JSON and divides by this:
// a common rule of thumb for English text and JSON with current model tokenizers.
inline constexpr int CharsPerToken = 4;

struct ImportReport
{
    bridge::BridgeDocument document;
    QList<ImportNote> notes;
    QString specVersion;        // "2.0", "3.0.3", "3.1.0"
    int operationsTotal = 0;    // operations in the spec
    int operationsSelected = 0; // left after include/exclude filters
    int toolsCreated = 0;
    int resourcesCreated = 0;        // resources and resource templates (with --resources)
    qint64 estimatedTokens = 0;      // of tools/list (and resources/templates lists), per turn
    QStringList warnings;            // document-wide advice: too many tools, base URL missing ...
    QMap<QString, int> toolsPerTag;  // for the advice which tags to select
    QMap<QString, QString> toolTags; // tool name -> its operation's first tag (empty: none);
                                     // the studio's endpoint picker groups by it

    int count(ImportNote::Severity severity) const;
};

// Size of the compact JSON of the list results a client fetches, divided by CharsPerToken.
qint64 estimateTokens(const bridge::BridgeDocument &document);

// The warnings about size (tool count, tokens), naming the biggest tags. Empty when small.
QStringList sizeWarnings(const ImportReport &report);

// The report as plain text for a terminal: counts, token estimate, warnings, every note.
QString formatReport(const ImportReport &report);

} // namespace mcpbridge::openapi
