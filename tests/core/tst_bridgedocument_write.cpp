// Writing a bridge document (helpers in bridgedocumentfixture.h): canonical, ordered text that
// reads back the same, defaults left out, and atomic saving that keeps the old file on failure.

#include "tests/core/bridgedocumentfixture.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace mcpbridge::bridge;
using namespace mcpbridge::tests::documentfixture;

class TestBridgeDocumentWrite : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip()
    {
        const BridgeDocument rich = richDocument();
        QVERIFY2(validateDocument(rich).isEmpty(), qPrintable(describe(validateDocument(rich))));
        const QByteArray text = serializeDocument(rich);
        const LoadReport report = parseDocument(text);
        QVERIFY2(report.problems.isEmpty(), qPrintable(describe(report.problems)));
        QVERIFY(report.document);
        QCOMPARE(report.document->server, rich.server);
        QCOMPARE(report.document->upstream, rich.upstream);
        QCOMPARE(report.document->tools.at(0).annotations, rich.tools.at(0).annotations);
        QCOMPARE(report.document->tools.at(0).parameters, rich.tools.at(0).parameters);
        QCOMPARE(report.document->tools.at(0).response, rich.tools.at(0).response);
        QCOMPARE(report.document->prompts.at(0), rich.prompts.at(0));
        QVERIFY(*report.document == rich);
        // Canonical: writing what was read gives the same bytes.
        QCOMPARE(serializeDocument(*report.document), text);
    }

    void textIsStableAndOrdered()
    {
        const QByteArray text = serializeDocument(richDocument());
        QVERIFY(text.endsWith("}\n"));
        QVERIFY(text.startsWith("{\n  \"format\": 1,\n  \"server\": {\n    \"name\": \"rich\""));
        // Members follow the struct order, not the alphabet.
        const QList<QByteArray> order = {"\"format\"", "\"server\"",    "\"upstream\"",
                                         "\"tools\"",  "\"resources\"", "\"resourceTemplates\"",
                                         "\"prompts\""};
        qsizetype last = -1;
        for (const QByteArray &key : order) {
            const qsizetype at = text.indexOf(key);
            QVERIFY2(at > last, key.constData());
            last = at;
        }
        QVERIFY(text.indexOf("\"name\": \"update_thing\"") < text.indexOf("\"method\": \"PATCH\""));
        QVERIFY(text.contains("\n      \"name\": \"update_thing\","));
        QVERIFY(!text.contains('\t'));
    }

    void defaultsAreOmitted()
    {
        BridgeDocument d;
        d.server.name = u"min"_s;
        d.upstream.baseUrl = u"http://127.0.0.1:1"_s;
        Tool t;
        t.name = u"ping"_s;
        t.description = u"Pings."_s;
        t.path = u"/ping"_s;
        d.tools.append(t);
        const QByteArray text = serializeDocument(d);
        for (const char *absent :
             {"version", "timeoutMs", "auth", "response", "annotations", "confirmDestructive",
              "parameters", "resources", "prompts", "headers", "title"})
            QVERIFY2(!text.contains(absent), absent);
        QVERIFY(text.contains("\"method\": \"GET\""));
        const LoadReport back = parseDocument(text);
        QVERIFY(back.document);
        QVERIFY(*back.document == d);
    }

    void saveReplacesAtomically()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"doc.mcpbridge.json"_s);
        {
            QFile old(path);
            QVERIFY(old.open(QIODevice::WriteOnly));
            old.write("old contents");
        }
        const BridgeDocument rich = richDocument();
        const auto saved = saveDocument(rich, path);
        QVERIFY2(saved.has_value(), qPrintable(saved ? QString() : saved.error().toString()));
        QCOMPARE(readFile(path), serializeDocument(rich));
        // No temporary files are left beside it.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{u"doc.mcpbridge.json"_s});
        const LoadReport back = loadDocument(path);
        QVERIFY(back.document && *back.document == rich);
    }

    void saveFailureKeepsOldFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"doc.mcpbridge.json"_s);
        {
            QFile old(path);
            QVERIFY(old.open(QIODevice::WriteOnly));
            old.write("old");
        }
        // A file-size limit makes the write fail half way, even for root; the signal it raises
        // is ignored so the write returns an error instead.
        rlimit previous{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &previous), 0);
        auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit tiny = previous;
        tiny.rlim_cur = 64;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &tiny), 0);
        const auto saved = saveDocument(richDocument(), path);
        setrlimit(RLIMIT_FSIZE, &previous);
        std::signal(SIGXFSZ, previousHandler);

        QVERIFY(!saved.has_value());
        QVERIFY2(saved.error().message.contains(QDir::toNativeSeparators(path)),
                 qPrintable(saved.error().message));
        QVERIFY(saved.error().message.contains(u"left unchanged"_s));
        QCOMPARE(readFile(path), QByteArray("old"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{u"doc.mcpbridge.json"_s});
    }

    void saveToUnwritablePath()
    {
        QTemporaryDir dir;
        const QString blocker = dir.filePath(u"afile"_s);
        {
            QFile f(blocker);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("old");
        }
        // A folder that is really a file: no one, root included, can create files in it.
        const QString path = blocker + u"/doc.mcpbridge.json"_s;
        const auto saved = saveDocument(richDocument(), path);
        QVERIFY(!saved.has_value());
        QVERIFY2(saved.error().message.startsWith(u"Cannot save "_s + path),
                 qPrintable(saved.error().message));
        QCOMPARE(readFile(blocker), QByteArray("old"));

        if (geteuid() != 0) {
            const QString lockedDir = dir.filePath(u"locked"_s);
            QVERIFY(QDir().mkdir(lockedDir));
            const QString lockedPath = lockedDir + u"/doc.mcpbridge.json"_s;
            QVERIFY(saveDocument(richDocument(), lockedPath).has_value());
            QFile::setPermissions(lockedDir, QFile::ReadOwner | QFile::ExeOwner);
            BridgeDocument changed = richDocument();
            changed.server.title = u"changed"_s;
            const auto again = saveDocument(changed, lockedPath);
            QFile::setPermissions(lockedDir,
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            QVERIFY(!again.has_value());
            QCOMPARE(readFile(lockedPath), serializeDocument(richDocument()));
        }

        const auto folder = saveDocument(richDocument(), dir.path());
        QVERIFY(!folder.has_value());
        QVERIFY(folder.error().message.contains(u"folder"_s));
    }

    void demoBridgeIsCanonical()
    {
        const QString path = sourceDir() + u"/resources/demo/pantry.mcpbridge.json"_s;
        const QByteArray text = readFile(path);
        QVERIFY(!text.isEmpty());
        const LoadReport report = parseDocument(text, path);
        QVERIFY2(report.problems.isEmpty(), qPrintable(describe(report.problems)));
        QCOMPARE(serializeDocument(*report.document), text);
    }
};

QTEST_GUILESS_MAIN(TestBridgeDocumentWrite)
#include "tst_bridgedocument_write.moc"
