#pragma once

// Secrets from environment variables MCPBRIDGE_SECRET_<NAME>: how a headless bridge started by
// Claude Desktop or a container gets its credentials. Read-only; the bridge name is not used.

#include "core/secrets/secretstore.h"

namespace mcpbridge::secrets {

class EnvSecretStore : public SecretStore
{
    Q_OBJECT
public:
    using SecretStore::SecretStore;

    void read(const QString &bridge, const QString &name, ReadCallback done) override;
    void write(const QString &bridge, const QString &name, const QString &value,
               WriteCallback done) override;
    void remove(const QString &bridge, const QString &name, WriteCallback done) override;
    QString describe() const override;

    // "api_token" -> "MCPBRIDGE_SECRET_API_TOKEN": uppercased, every character outside
    // [A-Z0-9] becomes "_".
    static QString variableName(const QString &name);
    // The message for a secret that is set nowhere; other stores reuse it.
    static QString missingMessage(const QString &name);
};

} // namespace mcpbridge::secrets
