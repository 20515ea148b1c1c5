#pragma once

// Asks several SecretStores in order; the first that has the secret wins. How serve and the
// studio combine the keychain and environment variables. Does not own the stores.

#include "core/secrets/secretstore.h"

#include <QList>
#include <QPointer>

namespace mcpbridge::secrets {

class ChainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit ChainSecretStore(QList<SecretStore *> stores = {}, QObject *parent = nullptr);

    void append(SecretStore *store);
    QList<SecretStore *> stores() const;

    // The first hit wins. When no store has it, the error is the last store's (which says how
    // to set it), with a note about earlier stores that could not be used at all.
    void read(const QString &bridge, const QString &name, ReadCallback done) override;
    // Saves in the first store that accepts it.
    void write(const QString &bridge, const QString &name, const QString &value,
               WriteCallback done) override;
    // Removes from every writable store.
    void remove(const QString &bridge, const QString &name, WriteCallback done) override;
    QString describe() const override;

private:
    QList<QPointer<SecretStore>> m_stores;
};

} // namespace mcpbridge::secrets
