#pragma once

// Internal to the bridge module: the pieces documentio.cpp puts together (reader, validator,
// writer live in their own files). Not for use outside core/bridge.

#include "core/bridge/documentio.h"

#include <QJsonObject>

namespace mcpbridge::bridge::detail {

// Collects problems for one file; every check reports here instead of stopping.
struct ProblemSink
{
    QString file;
    QList<Problem> problems;

    void error(const QString &pointer, const QString &message);
    void warning(const QString &pointer, const QString &message);
};

// Fills `document` from parsed JSON, reporting wrong types and unknown members. Returns false
// when the text cannot be read as a bridge document at all (not an object, a newer format).
bool readDocument(const QJsonObject &root, BridgeDocument &document, ProblemSink &sink);

// Semantic checks (names, paths against parameters, schemas, secrets that look like values ...).
void checkDocument(const BridgeDocument &document, ProblemSink &sink);

// "/tools/2/name" from a base pointer and one more token (escaped per RFC 6901).
QString childPointer(const QString &base, const QString &token);
QString childPointer(const QString &base, qsizetype index);

} // namespace mcpbridge::bridge::detail
