// The studio's open document: modified state, saving, recent files and the recovery copy that
// keeps unsaved work through a crash.

#include "core/bridge/documentio.h"
#include "ui/documentsession.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using mcpbridge::ui::DocumentSession;

class TestDocumentSession : public QObject
{
    Q_OBJECT

    static QString demoBridge()
    {
        return qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR")
               + u"/resources/demo/pantry.mcpbridge.json"_s;
    }

    QTemporaryDir m_dir;

    // A copy of the demo bridge in the temporary folder.
    QString demoCopy(const QString &name = u"pantry.mcpbridge.json"_s)
    {
        const QString path = m_dir.filePath(name);
        QFile::remove(path);
        if (!QFile::copy(demoBridge(), path))
            return {};
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        return path;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"McpBridgeTest"_s);
        QCoreApplication::setApplicationName(u"tst_documentsession"_s);
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        DocumentSession::clearRecentFiles();
        for (const QString &file : DocumentSession::leftoverRecoveryFiles())
            DocumentSession::discardRecoveryFile(file);
    }

    void editsMarkTheDocumentModifiedAndSavingClearsIt()
    {
        DocumentSession session;
        const QString path = demoCopy();
        QVERIFY(!session.open(path).hasErrors());
        QVERIFY(session.hasDocument());
        QVERIFY(!session.isModified());
        QCOMPARE(session.displayName(), u"pantry.mcpbridge.json"_s);
        QSignalSpy modified(&session, &DocumentSession::modifiedChanged);
        QSignalSpy edited(&session, &DocumentSession::documentEdited);

        session.update(session.document()); // no change: nothing happens
        QCOMPARE(edited.count(), 0);
        QVERIFY(!session.isModified());

        auto document = session.document();
        document.tools[0].description = u"Find recipes by words in their title."_s;
        session.update(document);
        QCOMPARE(edited.count(), 1);
        QVERIFY(session.isModified());
        QCOMPARE(modified.count(), 1);

        QVERIFY(session.save().has_value());
        QVERIFY(!session.isModified());
        const auto reread = mcpbridge::bridge::loadDocument(path);
        QVERIFY(reread.document);
        QCOMPARE(reread.document->tools.at(0).description,
                 u"Find recipes by words in their title."_s);
    }

    void untitledDocumentsNeedAPath()
    {
        DocumentSession session;
        session.reset(mcpbridge::bridge::BridgeDocument{});
        QVERIFY(session.isUntitled());
        QCOMPARE(session.displayName(), u"Untitled bridge"_s);
        const auto saved = session.save();
        QVERIFY(!saved.has_value());
        QVERIFY(saved.error().message.contains(u"choose where"_s));

        QVERIFY(session.saveAs(m_dir.filePath(u"new.mcpbridge.json"_s)).has_value());
        QCOMPARE(session.path(), m_dir.filePath(u"new.mcpbridge.json"_s));
        QVERIFY(QFile::exists(session.path()));
    }

    void aFailedSaveKeepsTheChanges()
    {
        DocumentSession session;
        QVERIFY(!session.open(demoCopy()).hasErrors());
        auto document = session.document();
        document.server.title = u"Changed"_s;
        session.update(document);
        const auto saved = session.saveAs(m_dir.filePath(u"no-such-folder/x.mcpbridge.json"_s));
        QVERIFY(!saved.has_value());
        QVERIFY(session.isModified());
        QCOMPARE(session.document().server.title, u"Changed"_s);
        QCOMPARE(session.path(), m_dir.filePath(u"pantry.mcpbridge.json"_s));
    }

    void aRecoveryCopyFollowsEditsAndGoesAwayOnSave()
    {
        const QString path = demoCopy();
        QString recovery;
        {
            DocumentSession session;
            session.setAutosaveDelayMs(20);
            QVERIFY(!session.open(path).hasErrors());
            auto document = session.document();
            document.server.title = u"Unsaved title"_s;
            session.update(document);
            recovery = session.recoveryPath();
            QTRY_VERIFY(QFile::exists(recovery));
            QCOMPARE(QFile::permissions(recovery) & (QFile::ReadOther | QFile::ReadGroup),
                     QFile::Permissions());
            // A copy this (or another running) studio is still writing is not "left over".
            QVERIFY(DocumentSession::leftoverRecoveryFiles().isEmpty());
            QVERIFY(QFile::exists(recovery + u".lock"_s));
            QCOMPARE(DocumentSession::originalPathOfRecovery(recovery), path);

            QVERIFY(session.save().has_value());
            QVERIFY(!QFile::exists(recovery));
            QVERIFY(!QFile::exists(recovery + u".lock"_s));
        }
        QVERIFY(DocumentSession::leftoverRecoveryFiles().isEmpty());
    }

    void aCrashLeavesACopyThatRestoresAsModified()
    {
        const QString path = demoCopy();
        {
            // A session that dies with unsaved changes (the destructor writes a pending copy).
            DocumentSession session;
            QVERIFY(!session.open(path).hasErrors());
            auto document = session.document();
            document.tools.removeLast();
            session.update(document);
        }
        const QStringList left = DocumentSession::leftoverRecoveryFiles();
        QCOMPARE(left.size(), 1);

        DocumentSession restored;
        QVERIFY(!restored.restoreRecovery(left.first()).hasErrors());
        QVERIFY(restored.isModified());
        QCOMPARE(restored.path(), path);
        const auto original = mcpbridge::bridge::loadDocument(path);
        QCOMPARE(restored.document().tools.size(), original.document->tools.size() - 1);

        restored.close(); // "Don't save": the copy goes too
        QVERIFY(DocumentSession::leftoverRecoveryFiles().isEmpty());
    }

    void recentFilesAreNewestFirstBoundedAndExisting()
    {
        QStringList paths;
        for (int i = 0; i < DocumentSession::MaxRecentFiles + 2; ++i)
            paths << demoCopy(u"b%1.mcpbridge.json"_s.arg(i));
        for (const QString &path : paths)
            DocumentSession::addRecentFile(path);
        QStringList recent = DocumentSession::recentFiles();
        QCOMPARE(recent.size(), DocumentSession::MaxRecentFiles);
        QCOMPARE(recent.first(), paths.last());

        DocumentSession::addRecentFile(paths.at(5)); // again: moves to the top, no duplicate
        recent = DocumentSession::recentFiles();
        QCOMPARE(recent.first(), paths.at(5));
        QCOMPARE(recent.count(paths.at(5)), 1);

        QFile::remove(paths.last());
        QVERIFY(!DocumentSession::recentFiles().contains(paths.last()));
    }
};

QTEST_MAIN(TestDocumentSession)
#include "tst_documentsession.moc"
