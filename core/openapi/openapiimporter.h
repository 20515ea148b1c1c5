#pragma once

// Imports an OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML, file or http(s) URL) into a
// draft bridge document plus a report of what was skipped and what it costs. Used by
// `mcpbridge import` and by the studio's import wizard (through the asynchronous OpenApiLoader).

#include "core/openapi/importreport.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace mcpbridge::openapi {

struct ImportOptions
{
    QString baseUrlOverride; // replaces the servers/host of the spec
    QStringList includeTags; // keep operations with one of these tags (case-insensitive)
    QStringList excludeTags;
    QStringList includePaths;        // globs on the path template: "/pets*", "/repos/*/issues"
    QStringList excludePaths;        // ("*" and "**" match any characters, "?" one)
    QStringList includeMethods;      // GET, POST ...
    QStringList includeOperationIds; // operationIds (or generated tool names) to keep; they are
                                     // added to what the other include filters select
    QStringList excludeOperationIds;
    bool resources = false; // GET operations with only path parameters -> resources
    QString authUsername;   // basic auth: the user name (the spec cannot know it)
    QString authClientId;   // OAuth2 client credentials: the client id
    QUrl sourceUrl;         // where the spec came from: resolves relative server URLs
                            // and relative file $refs; labels messages
};

// Imports spec text. Fails (with file:line:column or a JSON pointer) only when nothing sensible
// can be imported; problems of single operations become notes in the report.
[[nodiscard]] Result<ImportReport> importSpec(const QByteArray &bytes,
                                              const ImportOptions &options = {});
// Reads a local file; options.sourceUrl defaults to the file's URL.
[[nodiscard]] Result<ImportReport> importFile(const QString &path, ImportOptions options = {});

// Fetches (http/https) or reads (path, file://) a spec, then imports it off the GUI thread.
// Emits progress while downloading and finished() once; result() holds the outcome.
class OpenApiLoader : public QObject
{
    Q_OBJECT
public:
    explicit OpenApiLoader(QObject *parent = nullptr);
    ~OpenApiLoader() override;

    // Uses this manager for downloads (else one of its own).
    void setNetworkAccessManager(QNetworkAccessManager *manager);
    // Download timeout in milliseconds (default 60 s).
    void setTimeout(int ms);

    // Starts loading `location` (a path, file:// URL or http(s) URL). Ignored while running.
    void start(const QString &location, const ImportOptions &options = {});
    void abort();
    bool isRunning() const;
    const std::optional<Result<ImportReport>> &result() const;

Q_SIGNALS:
    // `stage` is text for people ("Downloading ...", "Importing ..."); total is -1 if unknown.
    void progress(const QString &stage, qint64 done, qint64 total);
    void finished();

private:
    void importBytes(const QByteArray &bytes, const ImportOptions &options);
    void finish(Result<ImportReport> result);

    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    int m_timeoutMs = 60000;
    bool m_running = false;
    quint64 m_generation = 0;
    std::optional<Result<ImportReport>> m_result;
};

} // namespace mcpbridge::openapi
