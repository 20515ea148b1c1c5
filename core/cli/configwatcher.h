#pragma once

// Tells when a bridge document on disk really changed. Editors and QSaveFile replace the file
// instead of writing it in place, so the watch is renewed and the folder is watched too;
// bursts of events are merged, and a save that leaves the bytes as they were is ignored.
// Used by `mcpbridge serve` to reload its config while it serves.

#include <QByteArray>
#include <QFileSystemWatcher>
#include <QObject>
#include <QString>
#include <QTimer>

namespace mcpbridge::cli {

class ConfigWatcher : public QObject
{
    Q_OBJECT
public:
    explicit ConfigWatcher(const QString &path, QObject *parent = nullptr);

    QString path() const { return m_path; }
    void setDebounceMs(int ms) { m_debounce.setInterval(ms); }

signals:
    // The file's bytes differ from the last time (after the burst of events settled).
    void changed();

private:
    void schedule();
    void check();
    void rewatch();

    QString m_path;
    QFileSystemWatcher m_watcher;
    QTimer m_debounce;
    QByteArray m_digest;
};

} // namespace mcpbridge::cli
