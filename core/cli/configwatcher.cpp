#include "core/cli/configwatcher.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

namespace mcpbridge::cli {

namespace {

QByteArray digestOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result();
}

} // namespace

ConfigWatcher::ConfigWatcher(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(QFileInfo(path).absoluteFilePath())
{
    m_digest = digestOf(m_path);
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, &ConfigWatcher::check);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &ConfigWatcher::schedule);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &ConfigWatcher::schedule);
    m_watcher.addPath(QFileInfo(m_path).absolutePath());
    rewatch();
}

void ConfigWatcher::rewatch()
{
    if (!m_watcher.files().contains(m_path) && QFileInfo::exists(m_path))
        m_watcher.addPath(m_path);
}

void ConfigWatcher::schedule()
{
    m_debounce.start();
}

void ConfigWatcher::check()
{
    rewatch();
    if (!QFileInfo::exists(m_path))
        return; // being replaced: the folder event of its return brings us back
    const QByteArray digest = digestOf(m_path);
    if (digest.isEmpty() || digest == m_digest)
        return;
    m_digest = digest;
    emit changed();
}

} // namespace mcpbridge::cli
