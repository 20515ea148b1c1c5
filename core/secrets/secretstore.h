#pragma once

// Where the API credentials a bridge uses live. Asynchronous because the OS keychain is. A
// secret is addressed by the bridge's name (server.name) and the secret's name in the document.
// Implementations: KeychainSecretStore (QtKeychain), EnvSecretStore (MCPBRIDGE_SECRET_<NAME>),
// MemorySecretStore (tests), ChainSecretStore (first that has it). No plaintext fallback, ever.

#include "core/util/result.h"

#include <QObject>
#include <QString>

#include <functional>

namespace mcpbridge::secrets {

// Error::code values of secret store failures, so callers (ChainSecretStore, the studio) can
// tell "not stored here" from "this store cannot be used at all".
enum SecretError {
    SecretNotFound = 1,   // the store works but has no such secret
    StoreUnavailable = 2, // the store cannot be used (no keyring, access denied, timeout)
    StoreReadOnly = 3,    // the store cannot be written (environment variables)
    StoreFailed = 4,      // anything else
};

class SecretStore : public QObject
{
    Q_OBJECT
public:
    using ReadCallback = std::function<void(Result<QString>)>;
    using WriteCallback = std::function<void(Result<void>)>;

    using QObject::QObject;

    // Calls `done` exactly once, possibly before returning. A missing secret is an Error whose
    // message names the secret and says how to set it.
    virtual void read(const QString &bridge, const QString &name, ReadCallback done) = 0;
    virtual void write(const QString &bridge, const QString &name, const QString &value,
                       WriteCallback done)
        = 0;
    virtual void remove(const QString &bridge, const QString &name, WriteCallback done) = 0;
    // For messages: "the OS keychain", "environment variables" ...
    virtual QString describe() const = 0;
};

} // namespace mcpbridge::secrets
