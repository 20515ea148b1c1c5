#include "core/secrets/chainsecretstore.h"

#include <memory>

using namespace Qt::StringLiterals;

namespace mcpbridge::secrets {

namespace {

// The state of one read/write/remove walking the chain; shared by the callbacks.
struct Walk
{
    QList<QPointer<SecretStore>> stores;
    qsizetype index = 0;
    QString bridge;
    QString name;
    QString value;
    QStringList unavailable; // messages of stores that could not be used
    std::optional<Error> firstError;
};

QString withNotes(QString message, const QStringList &unavailable)
{
    for (const QString &note : unavailable)
        message += u" (Also: "_s + note + u')';
    return message;
}

void readNext(std::shared_ptr<Walk> walk, SecretStore::ReadCallback done)
{
    while (walk->index < walk->stores.size() && !walk->stores[walk->index])
        ++walk->index;
    if (walk->index >= walk->stores.size()) {
        done(fail(u"The secret \"%1\" is not set: no secret store is configured."_s.arg(walk->name),
                  walk->name, SecretNotFound));
        return;
    }
    SecretStore *store = walk->stores[walk->index];
    const bool last = walk->index == walk->stores.size() - 1;
    store->read(walk->bridge, walk->name, [walk, done, last](Result<QString> result) mutable {
        if (result) {
            done(std::move(result));
            return;
        }
        if (last) {
            Error error = result.error();
            error.message = withNotes(error.message, walk->unavailable);
            done(std::unexpected(std::move(error)));
            return;
        }
        if (result.error().code == StoreUnavailable)
            walk->unavailable.append(result.error().message);
        ++walk->index;
        readNext(walk, std::move(done));
    });
}

void writeNext(std::shared_ptr<Walk> walk, SecretStore::WriteCallback done)
{
    while (walk->index < walk->stores.size() && !walk->stores[walk->index])
        ++walk->index;
    if (walk->index >= walk->stores.size()) {
        done(std::unexpected(walk->firstError.value_or(
            Error{u"The secret \"%1\" could not be saved: no secret store is configured."_s.arg(
                      walk->name),
                  walk->name, StoreReadOnly})));
        return;
    }
    walk->stores[walk->index]->write(
        walk->bridge, walk->name, walk->value, [walk, done](Result<void> result) mutable {
            if (result) {
                done({});
                return;
            }
            // The most useful failure is the first real one, not "environment variables are
            // read-only" from a store further down.
            if (!walk->firstError || walk->firstError->code == StoreReadOnly)
                walk->firstError = result.error();
            ++walk->index;
            writeNext(walk, std::move(done));
        });
}

void removeNext(std::shared_ptr<Walk> walk, SecretStore::WriteCallback done)
{
    while (walk->index < walk->stores.size() && !walk->stores[walk->index])
        ++walk->index;
    if (walk->index >= walk->stores.size()) {
        if (walk->firstError)
            done(std::unexpected(*walk->firstError));
        else
            done({});
        return;
    }
    walk->stores[walk->index]->remove(
        walk->bridge, walk->name, [walk, done](Result<void> result) mutable {
            if (!result && result.error().code != StoreReadOnly && !walk->firstError)
                walk->firstError = result.error();
            ++walk->index;
            removeNext(walk, std::move(done));
        });
}

} // namespace

ChainSecretStore::ChainSecretStore(QList<SecretStore *> stores, QObject *parent)
    : SecretStore(parent)
{
    for (SecretStore *store : stores)
        append(store);
}

void ChainSecretStore::append(SecretStore *store)
{
    if (store)
        m_stores.append(store);
}

QList<SecretStore *> ChainSecretStore::stores() const
{
    QList<SecretStore *> out;
    for (const auto &store : m_stores) {
        if (store)
            out.append(store);
    }
    return out;
}

void ChainSecretStore::read(const QString &bridge, const QString &name, ReadCallback done)
{
    auto walk = std::make_shared<Walk>();
    walk->stores = m_stores;
    walk->bridge = bridge;
    walk->name = name;
    readNext(walk, std::move(done));
}

void ChainSecretStore::write(const QString &bridge, const QString &name, const QString &value,
                             WriteCallback done)
{
    auto walk = std::make_shared<Walk>();
    walk->stores = m_stores;
    walk->bridge = bridge;
    walk->name = name;
    walk->value = value;
    writeNext(walk, std::move(done));
}

void ChainSecretStore::remove(const QString &bridge, const QString &name, WriteCallback done)
{
    auto walk = std::make_shared<Walk>();
    walk->stores = m_stores;
    walk->bridge = bridge;
    walk->name = name;
    removeNext(walk, std::move(done));
}

QString ChainSecretStore::describe() const
{
    QStringList parts;
    for (const auto &store : m_stores) {
        if (store)
            parts.append(store->describe());
    }
    return parts.isEmpty() ? u"no secret store"_s : parts.join(u", then "_s);
}

} // namespace mcpbridge::secrets
