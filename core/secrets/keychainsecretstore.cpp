#include "core/secrets/keychainsecretstore.h"

#include "core/secrets/envsecretstore.h"

#include <QLoggingCategory>
#include <QTimer>

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcKeychain, "mcpbridge.secrets")

namespace mcpbridge::secrets {

KeychainSecretStore::KeychainSecretStore(QObject *parent)
    : SecretStore(parent)
{}

KeychainSecretStore::~KeychainSecretStore() = default;

QString KeychainSecretStore::key(const QString &bridge, const QString &name)
{
    return bridge + u'/' + name;
}

QString KeychainSecretStore::describe() const
{
    return u"the OS keychain"_s;
}

void KeychainSecretStore::clearCache()
{
    m_cache.clear();
}

void KeychainSecretStore::read(const QString &bridge, const QString &name, ReadCallback done)
{
    // Answer from the cache only when nothing queued could change the value first.
    if (m_queue.empty() && !m_busy) {
        const auto it = m_cache.constFind(key(bridge, name));
        if (it != m_cache.constEnd()) {
            done(*it);
            return;
        }
    }
    enqueue({Kind::Read, bridge, name, {}, std::move(done), {}});
}

void KeychainSecretStore::write(const QString &bridge, const QString &name, const QString &value,
                                WriteCallback done)
{
    enqueue({Kind::Write, bridge, name, value, {}, std::move(done)});
}

void KeychainSecretStore::remove(const QString &bridge, const QString &name, WriteCallback done)
{
    enqueue({Kind::Remove, bridge, name, {}, {}, std::move(done)});
}

void KeychainSecretStore::enqueue(Operation op)
{
    m_queue.push_back(std::move(op));
    schedulePump();
}

void KeychainSecretStore::schedulePump()
{
    // Jobs start from a queued call, never from inside the previous job's finished signal:
    // QtKeychain's Secret Service backend misbehaves when a job is started from there.
    if (m_pumpScheduled || m_busy)
        return;
    m_pumpScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_pumpScheduled = false;
            pump();
        },
        Qt::QueuedConnection);
}

void KeychainSecretStore::pump()
{
    while (!m_busy && !m_queue.empty()) {
        Operation op = std::move(m_queue.front());
        m_queue.pop_front();
        const QString k = key(op.bridge, op.name);
        if (op.kind == Kind::Read) {
            const auto it = m_cache.constFind(k);
            if (it != m_cache.constEnd()) {
                complete(op, nullptr, *it);
                continue;
            }
        }

        QKeychain::Job *job = nullptr;
        switch (op.kind) {
        case Kind::Read: job = new QKeychain::ReadPasswordJob(service(), this); break;
        case Kind::Write: {
            auto *w = new QKeychain::WritePasswordJob(service(), this);
            w->setTextData(op.value);
            job = w;
            break;
        }
        case Kind::Remove: job = new QKeychain::DeletePasswordJob(service(), this); break;
        }
        job->setKey(k);
        job->setInsecureFallback(false); // never plaintext, even when no keyring exists
        job->setAutoDelete(true);
        m_busy = true;
        m_current = std::move(op);
        const quint64 serial = ++m_serial;
        connect(job, &QKeychain::Job::finished, this,
                [this, serial](QKeychain::Job *j) { finished(j, serial); });
        QTimer::singleShot(m_timeoutMs, this, [this, serial] { timedOut(serial); });
        job->start();
    }
}

void KeychainSecretStore::finished(QKeychain::Job *job, quint64 serial)
{
    if (!m_busy || serial != m_serial)
        return; // answered already (timed out)
    Operation op = std::move(m_current);
    m_busy = false;
    const QString k = key(op.bridge, op.name);
    if (job->error() == QKeychain::NoError) {
        QString value;
        if (op.kind == Kind::Read) {
            value = static_cast<QKeychain::ReadPasswordJob *>(job)->textData();
            m_cache.insert(k, value);
        } else if (op.kind == Kind::Write) {
            m_cache.insert(k, op.value);
        } else {
            m_cache.remove(k);
        }
        complete(op, nullptr, value);
    } else if (op.kind == Kind::Remove && job->error() == QKeychain::EntryNotFound) {
        m_cache.remove(k);
        complete(op, nullptr); // removing what is not there is not a failure
    } else {
        qCDebug(lcKeychain) << "keychain job for" << k << "failed:" << job->error()
                            << job->errorString();
        const Error error = errorFor(op, job->error(), job->errorString());
        complete(op, &error);
    }
    schedulePump();
}

void KeychainSecretStore::timedOut(quint64 serial)
{
    if (!m_busy || serial != m_serial)
        return;
    Operation op = std::move(m_current);
    m_busy = false;
    ++m_serial; // the late answer of this job, if any, is ignored
    const Error error{u"The OS keychain did not answer within %1 s while %2 the secret \"%3\" "
                      "(is it locked, waiting for a password prompt?). Unlock it and try again, "
                      "or set the environment variable %4."_s.arg(m_timeoutMs / 1000)
                          .arg(op.kind == Kind::Read    ? u"reading"_s
                               : op.kind == Kind::Write ? u"saving"_s
                                                        : u"removing"_s,
                               op.name, EnvSecretStore::variableName(op.name)),
                      op.name, StoreUnavailable};
    complete(op, &error);
    schedulePump();
}

void KeychainSecretStore::complete(Operation &op, const Error *error, const QString &value)
{
    if (op.kind == Kind::Read) {
        if (op.readDone) {
            if (error)
                op.readDone(std::unexpected(*error));
            else
                op.readDone(value);
        }
    } else if (op.writeDone) {
        if (error)
            op.writeDone(std::unexpected(*error));
        else
            op.writeDone({});
    }
}

Error KeychainSecretStore::errorFor(const Operation &op, int keychainError,
                                    const QString &detail) const
{
    const QString variable = EnvSecretStore::variableName(op.name);
    const QString doing = op.kind == Kind::Read    ? u"read"_s
                          : op.kind == Kind::Write ? u"save"_s
                                                   : u"remove"_s;
    switch (keychainError) {
    case QKeychain::EntryNotFound:
        return {u"The secret \"%1\" is not in the OS keychain for bridge \"%2\". Store it with the "
                "studio (Credentials), or set the environment variable %3."_s.arg(
                    op.name, op.bridge, variable),
                op.name, SecretNotFound};
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return {u"Access to the OS keychain was denied, so the secret \"%1\" could not be %2. "
                "Allow McpBridge to use the keychain, or set the environment variable %3."_s.arg(
                    op.name, doing == u"read" ? u"read"_s : doing + u'd', variable),
                op.name, StoreUnavailable};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        return {u"No OS keychain is available to %1 the secret \"%2\" (%3). McpBridge never "
                "stores secrets in plain text: start a keyring such as GNOME Keyring or KWallet, "
                "or set the environment variable %4."_s.arg(
                    doing, op.name, detail.isEmpty() ? u"no secret service answered"_s : detail,
                    variable),
                op.name, StoreUnavailable};
    default:
        return {u"The OS keychain could not %1 the secret \"%2\": %3"_s.arg(doing, op.name, detail),
                op.name, StoreFailed};
    }
}

} // namespace mcpbridge::secrets
