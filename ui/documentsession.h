#pragma once

// The bridge document the studio is editing: its path, whether it has unsaved changes, saving,
// the recent-files list, and a recovery copy written a few seconds after each change so a crash
// or a power cut never loses work. Owned by MainWindow; editors send their edits through update().
// Widget-free, so it is tested without a window.

#include "core/bridge/bridgedocument.h"
#include "core/bridge/documentio.h"
#include "core/util/result.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

class QLockFile;

namespace mcpbridge::ui {

class DocumentSession : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultAutosaveDelayMs = 3000;
    static constexpr int MaxRecentFiles = 8;

    explicit DocumentSession(QObject *parent = nullptr);
    ~DocumentSession() override;

    const bridge::BridgeDocument &document() const { return m_document; }
    QString path() const { return m_path; } // empty: never saved
    bool isUntitled() const { return m_path.isEmpty(); }
    bool isModified() const { return m_modified; }
    bool hasDocument() const { return m_hasDocument; }
    // "pantry.mcpbridge.json", or "Untitled bridge".
    QString displayName() const;

    // Loads a file. When it cannot be read as a bridge at all (missing, not JSON, wrong shape)
    // the current document stays and the report says why; a document with problems (a bad
    // name, a path without its parameter ...) opens, and the report lists them.
    bridge::LoadReport open(const QString &path);
    // Starts editing `document` as if just opened (new bridge, demo). `path` may be empty.
    void reset(const bridge::BridgeDocument &document, const QString &path = {},
               bool modified = false);
    // An edit: the new state of the whole document. Marks it modified and schedules the
    // recovery copy. Identical documents are ignored.
    void update(const bridge::BridgeDocument &document);
    // Closes the document (the caller asked about unsaved changes first).
    void close();

    [[nodiscard]] Result<void> save();
    [[nodiscard]] Result<void> saveAs(const QString &path);

    // Where the recovery copy of the current document goes (in the app data folder).
    QString recoveryPath() const;
    // Recovery copies left behind by a studio that did not close cleanly, newest first. Copies
    // another running studio is still writing are not listed (each copy has a lock file).
    static QStringList leftoverRecoveryFiles();
    // The file a recovery copy was made for (empty for an untitled bridge).
    static QString originalPathOfRecovery(const QString &recoveryFile);
    // Opens a recovery copy as a modified document attached to its original path.
    bridge::LoadReport restoreRecovery(const QString &recoveryFile);
    static void discardRecoveryFile(const QString &recoveryFile);
    void setAutosaveDelayMs(int ms) { m_autosave.setInterval(ms); }
    // Writes the recovery copy now (normally done by the timer).
    [[nodiscard]] Result<void> writeRecoveryCopy();

    static QStringList recentFiles();
    static void addRecentFile(const QString &path);
    static void clearRecentFiles();

signals:
    void documentReplaced(); // open, reset, close, restore: editors reload everything
    void documentEdited();   // update(): views refresh, editors keep their state
    void modifiedChanged(bool modified);
    void pathChanged(const QString &path);
    void recoveryFailed(const QString &message);

private:
    void setModified(bool modified);
    void setPath(const QString &path);
    void removeRecoveryCopy();

    bridge::BridgeDocument m_document;
    QString m_path;
    QString m_recoveryPath; // fixed per editing session so an untitled bridge keeps its copy
    std::unique_ptr<QLockFile> m_recoveryLock; // held while this studio owns the copy
    bool m_modified = false;
    bool m_hasDocument = false;
    QTimer m_autosave;
};

} // namespace mcpbridge::ui
