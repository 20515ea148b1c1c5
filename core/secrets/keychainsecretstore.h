#pragma once

// Secrets in the OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)
// through QtKeychain: service "mcpbridge", key "<bridge>/<name>". Used by the studio and by
// bridges started from a desktop session. Never falls back to plaintext.

#include "core/secrets/secretstore.h"

#include <QHash>

#include <deque>

namespace QKeychain {
class Job;
}

namespace mcpbridge::secrets {

class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    static constexpr int DefaultTimeoutMs = 30000;

    explicit KeychainSecretStore(QObject *parent = nullptr);
    ~KeychainSecretStore() override;

    void read(const QString &bridge, const QString &name, ReadCallback done) override;
    void write(const QString &bridge, const QString &name, const QString &value,
               WriteCallback done) override;
    void remove(const QString &bridge, const QString &name, WriteCallback done) override;
    QString describe() const override;

    // A keychain that does not answer (locked, prompt nobody sees) fails the job after this.
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // Forgets the values read so far (the next read asks the keychain again).
    void clearCache();

    static QString service() { return QStringLiteral("mcpbridge"); }
    static QString key(const QString &bridge, const QString &name);

private:
    enum class Kind { Read, Write, Remove };
    struct Operation
    {
        Kind kind;
        QString bridge;
        QString name;
        QString value;
        ReadCallback readDone;
        WriteCallback writeDone;
    };

    void enqueue(Operation op);
    void schedulePump();
    void pump();
    void finished(QKeychain::Job *job, quint64 serial);
    void timedOut(quint64 serial);
    void complete(Operation &op, const Error *error, const QString &value = {});
    Error errorFor(const Operation &op, int keychainError, const QString &detail) const;

    std::deque<Operation> m_queue;
    bool m_busy = false;
    bool m_pumpScheduled = false;
    quint64 m_serial = 0; // of the job in flight; a late answer of a timed-out job is ignored
    Operation m_current;
    QHash<QString, QString> m_cache;
    int m_timeoutMs = DefaultTimeoutMs;
};

} // namespace mcpbridge::secrets
