#pragma once

// The API's base URL from an OpenAPI `servers` list (variables filled with their defaults) or
// Swagger 2.0 `host`/`basePath`/`schemes`, a relative URL resolved against where the spec came
// from. Used by the importer; `--base-url` bypasses it.

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace mcpbridge::openapi {

struct BaseUrl
{
    QString url;          // absolute, without a trailing "/"; empty when it cannot be known
    QStringList warnings; // for people: why it is empty or what was assumed
};

// "https://{region}.example.com/{version}" with the variables' defaults (or first enum value).
QString substituteServerVariables(const QJsonObject &server, QStringList *missing = nullptr);

// OpenAPI 3.x: the first entry of `servers`; Swagger 2.0: schemes + host + basePath.
BaseUrl resolveBaseUrl(const QJsonObject &spec, bool swagger2, const QUrl &sourceUrl);

// The URL without a trailing "/" (but "https://x.test" stays as is).
QString withoutTrailingSlash(QString url);

} // namespace mcpbridge::openapi
