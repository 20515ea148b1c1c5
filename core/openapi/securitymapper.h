#pragma once

// Maps the spec's security schemes (OpenAPI 3 components.securitySchemes, Swagger 2.0
// securityDefinitions) to the bridge's auth settings: bearer, API key (header/query/cookie),
// basic, OAuth2 client credentials. Only secret *names* are produced, never values.

#include "core/bridge/bridgedocument.h"
#include "core/openapi/importreport.h"
#include "core/openapi/specresolver.h"

namespace mcpbridge::openapi {

struct AuthMapping
{
    bridge::AuthConfig auth; // kind "none" when the spec declares nothing usable
    QString schemeName;      // the scheme chosen, as named in the spec
    QList<ImportNote> notes; // other schemes not used, unsupported kinds, what to fill in
};

// Prefers the first scheme of the top-level `security` requirement that the bridge supports,
// else the first supported scheme declared.
AuthMapping mapSecurity(const SpecResolver &resolver, bool swagger2);

// The secret name used for a scheme: its name made safe ([A-Za-z0-9_.-]).
QString secretNameFor(const QString &schemeName);

} // namespace mcpbridge::openapi
