#include "core/secrets/envsecretstore.h"

#include <QtGlobal>

using namespace Qt::StringLiterals;

namespace mcpbridge::secrets {

QString EnvSecretStore::variableName(const QString &name)
{
    QString out = u"MCPBRIDGE_SECRET_"_s;
    const QString upper = name.toUpper();
    for (const QChar c : upper) {
        const bool plain = (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
        out += plain ? c : u'_';
    }
    return out;
}

QString EnvSecretStore::missingMessage(const QString &name)
{
    return u"The secret \"%1\" is not set. Set the environment variable %2, or store it in the "
           "keychain with the studio."_s.arg(name, variableName(name));
}

void EnvSecretStore::read(const QString &, const QString &name, ReadCallback done)
{
    const QString variable = variableName(name);
    // An empty variable counts as unset: an empty credential is never what was meant.
    const QString value = qEnvironmentVariable(variable.toLatin1().constData());
    if (value.isEmpty()) {
        done(fail(missingMessage(name), name, SecretNotFound));
        return;
    }
    done(value);
}

void EnvSecretStore::write(const QString &, const QString &name, const QString &,
                           WriteCallback done)
{
    done(fail(u"The secret \"%1\" cannot be saved in environment variables. Set %2 before "
              "starting the bridge, or store it in the keychain with the studio."_s.arg(
                  name, variableName(name)),
              name, StoreReadOnly));
}

void EnvSecretStore::remove(const QString &, const QString &name, WriteCallback done)
{
    done(fail(u"The secret \"%1\" cannot be removed from environment variables. Unset %2 "
              "where the bridge is started."_s.arg(name, variableName(name)),
              name, StoreReadOnly));
}

QString EnvSecretStore::describe() const
{
    return u"environment variables"_s;
}

} // namespace mcpbridge::secrets
