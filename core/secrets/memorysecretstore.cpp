#include "core/secrets/memorysecretstore.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::secrets {

QString MemorySecretStore::key(const QString &bridge, const QString &name)
{
    return bridge + u'/' + name;
}

void MemorySecretStore::read(const QString &bridge, const QString &name, ReadCallback done)
{
    ++m_reads;
    const auto it = m_values.constFind(key(bridge, name));
    if (it == m_values.constEnd()) {
        done(fail(u"The secret \"%1\" is not set in the in-memory store of bridge \"%2\"."_s.arg(
                      name, bridge),
                  name, SecretNotFound));
        return;
    }
    done(*it);
}

void MemorySecretStore::write(const QString &bridge, const QString &name, const QString &value,
                              WriteCallback done)
{
    set(bridge, name, value);
    done({});
}

void MemorySecretStore::remove(const QString &bridge, const QString &name, WriteCallback done)
{
    m_values.remove(key(bridge, name));
    done({});
}

QString MemorySecretStore::describe() const
{
    return u"the in-memory store"_s;
}

void MemorySecretStore::set(const QString &bridge, const QString &name, const QString &value)
{
    m_values.insert(key(bridge, name), value);
}

bool MemorySecretStore::contains(const QString &bridge, const QString &name) const
{
    return m_values.contains(key(bridge, name));
}

void MemorySecretStore::clear()
{
    m_values.clear();
}

} // namespace mcpbridge::secrets
