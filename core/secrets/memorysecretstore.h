#pragma once

// A SecretStore held in memory only: for tests and for the studio's "try it" runs with a value
// typed in just now. Answers synchronously.

#include "core/secrets/secretstore.h"

#include <QHash>

namespace mcpbridge::secrets {

class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    using SecretStore::SecretStore;

    void read(const QString &bridge, const QString &name, ReadCallback done) override;
    void write(const QString &bridge, const QString &name, const QString &value,
               WriteCallback done) override;
    void remove(const QString &bridge, const QString &name, WriteCallback done) override;
    QString describe() const override;

    // Synchronous conveniences for tests and setup code.
    void set(const QString &bridge, const QString &name, const QString &value);
    bool contains(const QString &bridge, const QString &name) const;
    void clear();
    // How many read() calls were made (tests check caching in callers).
    int readCount() const { return m_reads; }

private:
    static QString key(const QString &bridge, const QString &name);
    QHash<QString, QString> m_values;
    int m_reads = 0;
};

} // namespace mcpbridge::secrets
