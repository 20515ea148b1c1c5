// writeFileAtomically: the content is replaced whole or not at all, even when the disk refuses
// part of the write (a file-size limit stands in for a full disk and works as root too).

#include "core/util/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

using namespace Qt::StringLiterals;
using namespace mcpbridge;

class TestAtomicFile : public QObject
{
    Q_OBJECT

    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
    }

private slots:
    void writesAndReplaces()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"config.json"_s);
        QVERIFY(writeFileAtomically(path, "first"));
        QCOMPARE(readFile(path), QByteArray("first"));
        QVERIFY(writeFileAtomically(path, "second"));
        QCOMPARE(readFile(path), QByteArray("second"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{u"config.json"_s});
    }

    void appliesPermissions()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"private.json"_s);
        QVERIFY(writeFileAtomically(path, "{}", QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        const QFileDevice::Permissions p = QFile::permissions(path);
        QVERIFY(p.testFlag(QFileDevice::ReadOwner) && p.testFlag(QFileDevice::WriteOwner));
        QVERIFY(!p.testFlag(QFileDevice::ReadGroup) && !p.testFlag(QFileDevice::ReadOther));
    }

    void shortWriteKeepsTheOldFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"config.json"_s);
        QVERIFY(writeFileAtomically(path, "old"));
        rlimit previous{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &previous), 0);
        auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit tiny = previous;
        tiny.rlim_cur = 64;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &tiny), 0);
        const Result<void> written = writeFileAtomically(path, QByteArray(4096, 'x'));
        setrlimit(RLIMIT_FSIZE, &previous);
        std::signal(SIGXFSZ, previousHandler);

        QVERIFY(!written);
        QCOMPARE(written.error().code, int(AtomicWriteFailed));
        QVERIFY(!written.error().message.isEmpty());
        QCOMPARE(readFile(path), QByteArray("old"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{u"config.json"_s});
    }

    void unopenablePathSaysSo()
    {
        QTemporaryDir dir;
        const QString blocker = dir.filePath(u"afile"_s);
        QVERIFY(writeFileAtomically(blocker, "old"));
        // A folder that is really a file: no one, root included, can create files in it.
        const Result<void> written = writeFileAtomically(blocker + u"/x.json"_s, "new");
        QVERIFY(!written);
        QCOMPARE(written.error().code, int(AtomicWriteOpenFailed));
        QCOMPARE(written.error().where, blocker + u"/x.json"_s);
        QCOMPARE(readFile(blocker), QByteArray("old"));
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
