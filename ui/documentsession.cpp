#include "ui/documentsession.h"

#include "core/util/atomicfile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSettings>
#include <QStandardPaths>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

namespace {

const auto RecentKey = u"recentBridges"_s;
const auto OriginSuffix = u".origin"_s;
const auto LockSuffix = u".lock"_s;

QString recoveryFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/recovery"_s;
}

} // namespace

DocumentSession::DocumentSession(QObject *parent)
    : QObject(parent)
{
    m_autosave.setSingleShot(true);
    m_autosave.setInterval(DefaultAutosaveDelayMs);
    connect(&m_autosave, &QTimer::timeout, this, [this] {
        if (const Result<void> written = writeRecoveryCopy(); !written)
            emit recoveryFailed(written.error().toString());
    });
}

DocumentSession::~DocumentSession()
{
    // A clean shutdown with unsaved changes still leaves the copy: the window asked the user
    // already, and "Don't save" calls close(), which removes it.
    if (m_modified && m_autosave.isActive())
        (void)writeRecoveryCopy();
}

QString DocumentSession::displayName() const
{
    return m_path.isEmpty() ? tr("Untitled bridge") : QFileInfo(m_path).fileName();
}

bridge::LoadReport DocumentSession::open(const QString &path)
{
    bridge::LoadReport report = bridge::loadDocument(path);
    // A document that was read but has problems opens: the studio is where they get fixed.
    if (!report.document)
        return report;
    reset(*report.document, QFileInfo(path).absoluteFilePath());
    addRecentFile(m_path);
    return report;
}

void DocumentSession::reset(const bridge::BridgeDocument &document, const QString &path,
                            bool modified)
{
    removeRecoveryCopy();
    m_autosave.stop();
    m_document = document;
    m_hasDocument = true;
    m_recoveryPath.clear();
    setPath(path);
    setModified(modified);
    emit documentReplaced();
    if (modified)
        m_autosave.start();
}

void DocumentSession::update(const bridge::BridgeDocument &document)
{
    if (document == m_document)
        return;
    m_document = document;
    m_hasDocument = true;
    setModified(true);
    m_autosave.start();
    emit documentEdited();
}

void DocumentSession::close()
{
    removeRecoveryCopy();
    m_autosave.stop();
    m_document = {};
    m_hasDocument = false;
    m_recoveryPath.clear();
    setPath({});
    setModified(false);
    emit documentReplaced();
}

Result<void> DocumentSession::save()
{
    if (m_path.isEmpty())
        return fail(tr("This bridge has no file yet; choose where to save it."));
    return saveAs(m_path);
}

Result<void> DocumentSession::saveAs(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (const Result<void> saved = bridge::saveDocument(m_document, absolute); !saved)
        return saved;
    m_autosave.stop();
    removeRecoveryCopy();
    setPath(absolute);
    setModified(false);
    addRecentFile(absolute);
    return {};
}

QString DocumentSession::recoveryPath() const
{
    if (m_recoveryPath.isEmpty()) {
        const QString id = QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss"_s) + u'-'
                           + QUuid::createUuid().toString(QUuid::Id128).left(8);
        const_cast<DocumentSession *>(this)->m_recoveryPath
            = recoveryFolder() + u'/' + id + u".mcpbridge.json"_s;
    }
    return m_recoveryPath;
}

Result<void> DocumentSession::writeRecoveryCopy()
{
    if (!m_hasDocument || !m_modified)
        return {};
    const QString path = recoveryPath();
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return fail(tr("Could not create the folder for recovery copies."),
                    QFileInfo(path).absolutePath());
    if (!m_recoveryLock) {
        // Tells another studio started meanwhile that this copy is in use, not left behind.
        auto lock = std::make_unique<QLockFile>(path + LockSuffix);
        lock->setStaleLockTime(0); // only a dead owner makes it stale, never its age
        if (lock->tryLock(0))
            m_recoveryLock = std::move(lock);
    }
    const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    if (Result<void> written
        = writeFileAtomically(path, bridge::serializeDocument(m_document), ownerOnly);
        !written)
        return fail(tr("Could not write the recovery copy: %1").arg(written.error().message), path);
    if (Result<void> written = writeFileAtomically(path + OriginSuffix, m_path.toUtf8(), ownerOnly);
        !written)
        return fail(tr("Could not write the recovery copy: %1").arg(written.error().message),
                    path + OriginSuffix);
    return {};
}

void DocumentSession::removeRecoveryCopy()
{
    if (m_recoveryPath.isEmpty())
        return;
    QFile::remove(m_recoveryPath);
    QFile::remove(m_recoveryPath + OriginSuffix);
    m_recoveryLock.reset(); // unlocks and removes the lock file
}

QStringList DocumentSession::leftoverRecoveryFiles()
{
    const QDir folder(recoveryFolder());
    QStringList files;
    for (const QFileInfo &info :
         folder.entryInfoList({u"*.mcpbridge.json"_s}, QDir::Files, QDir::Time)) {
        QLockFile lock(info.absoluteFilePath() + LockSuffix);
        lock.setStaleLockTime(0);
        if (!lock.tryLock(0))
            continue; // another studio is editing this one right now
        lock.unlock();
        files << info.absoluteFilePath();
    }
    return files;
}

QString DocumentSession::originalPathOfRecovery(const QString &recoveryFile)
{
    QFile origin(recoveryFile + OriginSuffix);
    if (!origin.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(origin.readAll()).trimmed();
}

bridge::LoadReport DocumentSession::restoreRecovery(const QString &recoveryFile)
{
    bridge::LoadReport report = bridge::loadDocument(recoveryFile);
    if (report.hasErrors() || !report.document)
        return report;
    reset(*report.document, originalPathOfRecovery(recoveryFile), true);
    // Keep using the same copy, so a second crash still leaves exactly one.
    m_recoveryPath = recoveryFile;
    auto lock = std::make_unique<QLockFile>(recoveryFile + LockSuffix);
    lock->setStaleLockTime(0);
    if (lock->tryLock(0))
        m_recoveryLock = std::move(lock);
    return report;
}

void DocumentSession::discardRecoveryFile(const QString &recoveryFile)
{
    QFile::remove(recoveryFile);
    QFile::remove(recoveryFile + OriginSuffix);
    QFile::remove(recoveryFile + LockSuffix);
}

QStringList DocumentSession::recentFiles()
{
    QStringList files = QSettings().value(RecentKey).toStringList();
    files.removeIf([](const QString &file) { return !QFileInfo::exists(file); });
    return files;
}

void DocumentSession::addRecentFile(const QString &path)
{
    QSettings settings;
    QStringList files = settings.value(RecentKey).toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > MaxRecentFiles)
        files.removeLast();
    settings.setValue(RecentKey, files);
}

void DocumentSession::clearRecentFiles()
{
    QSettings().remove(RecentKey);
}

void DocumentSession::setModified(bool modified)
{
    if (m_modified == modified)
        return;
    m_modified = modified;
    emit modifiedChanged(modified);
}

void DocumentSession::setPath(const QString &path)
{
    if (m_path == path)
        return;
    m_path = path;
    emit pathChanged(path);
}

} // namespace mcpbridge::ui
