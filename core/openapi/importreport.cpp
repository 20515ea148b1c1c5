#include "core/openapi/importreport.h"

#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mcpbridge::openapi {

QString severityName(ImportNote::Severity severity)
{
    switch (severity) {
    case ImportNote::Severity::Info: return u"note"_s;
    case ImportNote::Severity::Degraded: return u"degraded"_s;
    case ImportNote::Severity::Skipped: return u"skipped"_s;
    }
    return {};
}

QString ImportNote::toString() const
{
    QString out = severityName(severity);
    if (!operation.isEmpty())
        out += u' ' + operation;
    if (!pointer.isEmpty())
        out += u" ("_s + pointer + u')';
    return out + u": "_s + message;
}

int ImportReport::count(ImportNote::Severity severity) const
{
    return int(std::count_if(notes.begin(), notes.end(),
                             [&](const ImportNote &n) { return n.severity == severity; }));
}

qint64 estimateTokens(const bridge::BridgeDocument &document)
{
    QJsonArray tools;
    for (const bridge::Tool &t : document.tools)
        tools.append(t.toMcp());
    qint64 chars = json::compact(QJsonObject{{u"tools"_s, tools}}).size();
    if (!document.resources.isEmpty()) {
        QJsonArray resources;
        for (const bridge::Resource &r : document.resources)
            resources.append(r.toMcp());
        chars += json::compact(QJsonObject{{u"resources"_s, resources}}).size();
    }
    if (!document.resourceTemplates.isEmpty()) {
        QJsonArray templates;
        for (const bridge::ResourceTemplate &r : document.resourceTemplates)
            templates.append(r.toMcp());
        chars += json::compact(QJsonObject{{u"resourceTemplates"_s, templates}}).size();
    }
    // compact() gives UTF-8 bytes; close enough to characters for an estimate.
    return (chars + CharsPerToken - 1) / CharsPerToken;
}

QStringList sizeWarnings(const ImportReport &report)
{
    const int tools = int(report.document.tools.size());
    if (tools <= ToolCountWarning && report.estimatedTokens <= TokenWarning)
        return {};
    const QLocale c = QLocale::c();
    QString text = u"This bridge has %1 tools; their list costs about %2 tokens of the model's "
                   u"context on every turn. Models choose tools best from a few dozen at most "
                   u"(over %3 tools or %4 tokens is a lot): select only what you need."_s.arg(tools)
                       .arg(c.toString(report.estimatedTokens))
                       .arg(ToolCountWarning)
                       .arg(c.toString(TokenWarning));
    QList<std::pair<QString, int>> tags;
    for (auto it = report.toolsPerTag.constBegin(); it != report.toolsPerTag.constEnd(); ++it)
        if (!it.key().isEmpty())
            tags.append({it.key(), it.value()});
    std::stable_sort(tags.begin(), tags.end(),
                     [](const auto &a, const auto &b) { return a.second > b.second; });
    if (!tags.isEmpty()) {
        QStringList biggest;
        for (qsizetype i = 0; i < std::min<qsizetype>(tags.size(), 5); ++i)
            biggest.append(u"%1 (%2)"_s.arg(tags.at(i).first).arg(tags.at(i).second));
        text += u" The biggest tags: %1. Keep some with --include-tag %2, or leave some out with "
                u"--exclude-tag, --exclude-path or --method GET."_s.arg(biggest.join(u", "_s),
                                                                        tags.first().first);
    } else {
        text += u" Choose with --include-path \"/things/*\", --exclude-path or --method GET."_s;
    }
    return {text};
}

QString formatReport(const ImportReport &report)
{
    const QLocale c = QLocale::c();
    const bridge::BridgeDocument &doc = report.document;
    QString out;
    const QString kind
        = report.specVersion == u"2.0" ? u"Swagger 2.0"_s : u"OpenAPI "_s + report.specVersion;
    out += u"Imported \"%1\" (%2): %3 tools"_s
               .arg(doc.server.title.isEmpty() ? doc.server.name : doc.server.title, kind)
               .arg(report.toolsCreated);
    if (report.resourcesCreated)
        out += u" and %1 resources"_s.arg(report.resourcesCreated);
    out += u" from %1 of %2 operations"_s.arg(report.operationsSelected)
               .arg(report.operationsTotal);
    const int skipped = report.count(ImportNote::Severity::Skipped);
    const int degraded = report.count(ImportNote::Severity::Degraded);
    if (skipped || degraded)
        out += u" (%1 skipped, %2 degraded)"_s.arg(skipped).arg(degraded);
    out += u".\n"_s;
    out += u"Base URL: %1\n"_s.arg(doc.upstream.baseUrl.isEmpty() ? u"(unknown)"_s
                                                                  : doc.upstream.baseUrl);
    if (doc.upstream.auth.kind != u"none")
        out += u"Authentication: %1, secret name \"%2\"\n"_s.arg(doc.upstream.auth.kind,
                                                                 doc.upstream.auth.secret);
    out += u"tools/list costs about %1 tokens per turn (estimated as %2 characters per token).\n"_s
               .arg(c.toString(report.estimatedTokens))
               .arg(CharsPerToken);
    if (!report.warnings.isEmpty()) {
        out += u"\nWarnings:\n"_s;
        for (const QString &w : report.warnings)
            out += u"  - "_s + w + u'\n';
    }
    bool heading = false;
    for (const ImportNote &n : report.notes) {
        if (n.severity == ImportNote::Severity::Info)
            continue;
        if (!heading) {
            out += u"\nSkipped and degraded operations:\n"_s;
            heading = true;
        }
        out += u"  - "_s + n.toString() + u'\n';
    }
    const int infos = report.count(ImportNote::Severity::Info);
    if (infos) {
        out += u"\nNotes:\n"_s;
        for (const ImportNote &n : report.notes)
            if (n.severity == ImportNote::Severity::Info)
                out += u"  - "_s + n.toString() + u'\n';
    }
    return out;
}

} // namespace mcpbridge::openapi
