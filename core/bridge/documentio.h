#pragma once

// Reading, checking and writing bridge documents. Loading collects every problem it can find
// (with the file, JSON pointer and, for syntax errors, line and column) instead of stopping at
// the first; saving is atomic (QSaveFile) with a stable key order and 2-space indentation.

#include "core/bridge/bridgedocument.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace mcpbridge::bridge {

struct Problem
{
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    QString file;    // the document's path (may be empty for in-memory text)
    QString pointer; // JSON pointer, e.g. "/tools/2/parameters/0/in"
    int line = 0;    // syntax errors only (1-based; 0: unknown)
    int column = 0;
    QString message;

    // "file:line:col: error: message" or "file: error at /tools/2/name: message".
    QString toString() const;
};

struct LoadReport
{
    std::optional<BridgeDocument> document; // set unless the text could not be read at all
    QList<Problem> problems;

    bool hasErrors() const;
};

// Parses document text. `fileName` only labels the problems.
LoadReport parseDocument(const QByteArray &text, const QString &fileName = {});
// Reads and parses a file; a missing or unreadable file is one Error problem.
LoadReport loadDocument(const QString &path);
// Semantic checks of a document already in memory (names, paths vs parameters, schemas ...).
QList<Problem> validateDocument(const BridgeDocument &document, const QString &fileName = {});

// Canonical JSON text of the document (stable key order, 2-space indent, trailing newline).
QByteArray serializeDocument(const BridgeDocument &document);
// Writes atomically: on any failure the previous file is untouched.
[[nodiscard]] Result<void> saveDocument(const BridgeDocument &document, const QString &path);

} // namespace mcpbridge::bridge
