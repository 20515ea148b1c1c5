// The small pure pieces of core/mcp: list cursors, log level filtering, and the reduction of a
// tool parameter's JSON Schema to what an elicitation form may ask.

#include "core/mcp/loglevel.h"
#include "core/mcp/pagination.h"
#include "core/mcp/serverprivate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge::mcp;

namespace {
// JSON written with single quotes (moc 6.4 cannot parse raw string literals).
QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json).replace('\'', '"')).object();
}
} // namespace

class TestMcpInternals : public QObject
{
    Q_OBJECT

private slots:
    void cursorRoundTrip_data()
    {
        QTest::addColumn<qsizetype>("offset");
        QTest::newRow("zero") << qsizetype(0);
        QTest::newRow("small") << qsizetype(7);
        QTest::newRow("large") << qsizetype(123456789);
    }

    void cursorRoundTrip()
    {
        QFETCH(qsizetype, offset);
        const QString cursor = encodeCursor(offset);
        QVERIFY(!cursor.contains(QString::number(offset))); // opaque, not the plain number
        QCOMPARE(decodeCursor(cursor), std::optional<qsizetype>(offset));
    }

    void cursorRejects_data()
    {
        QTest::addColumn<QString>("cursor");
        QTest::newRow("empty") << QString();
        QTest::newRow("not base64") << u"***"_s;
        QTest::newRow("other text") << u"aGVsbG8"_s;
        QTest::newRow("negative") << QString::fromLatin1(
            QByteArray("mcpbridge-page:-3").toBase64(QByteArray::Base64UrlEncoding));
        QTest::newRow("not a number") << QString::fromLatin1(
            QByteArray("mcpbridge-page:x").toBase64(QByteArray::Base64UrlEncoding));
    }

    void cursorRejects()
    {
        QFETCH(QString, cursor);
        QCOMPARE(decodeCursor(cursor), std::nullopt);
    }

    void pages_data()
    {
        QTest::addColumn<qsizetype>("total");
        QTest::addColumn<int>("pageSize");
        QTest::addColumn<int>("expectedPages");
        QTest::newRow("empty list") << qsizetype(0) << 10 << 1;
        QTest::newRow("exact fit") << qsizetype(10) << 5 << 2;
        QTest::newRow("remainder") << qsizetype(11) << 5 << 3;
        QTest::newRow("one page") << qsizetype(3) << 100 << 1;
        QTest::newRow("page size 0 means 1") << qsizetype(2) << 0 << 2;
    }

    void pages()
    {
        QFETCH(qsizetype, total);
        QFETCH(int, pageSize);
        QFETCH(int, expectedPages);
        QJsonValue cursor = QJsonValue::Undefined;
        qsizetype seen = 0;
        int count = 0;
        while (count < 100) {
            const auto page = pageFor(cursor, total, pageSize);
            QVERIFY(page);
            QCOMPARE(page->begin, seen);
            seen = page->end;
            ++count;
            if (page->nextCursor.isEmpty())
                break;
            cursor = page->nextCursor;
        }
        QCOMPARE(seen, total);
        QCOMPARE(count, expectedPages);
        QVERIFY(!pageFor(QJsonValue(5), total, pageSize));
        QVERIFY(!pageFor(encodeCursor(total + 1), total, pageSize));
    }

    void logLevels_data()
    {
        QTest::addColumn<QString>("sessionLevel");
        QTest::addColumn<QString>("level");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("unset sends nothing") << QString() << u"emergency"_s << false;
        QTest::newRow("debug gets debug") << u"debug"_s << u"debug"_s << true;
        QTest::newRow("info drops debug") << u"info"_s << u"debug"_s << false;
        QTest::newRow("notice gets warning") << u"notice"_s << u"warning"_s << true;
        QTest::newRow("error drops warning") << u"error"_s << u"warning"_s << false;
        QTest::newRow("alert gets emergency") << u"alert"_s << u"emergency"_s << true;
        QTest::newRow("emergency drops critical") << u"emergency"_s << u"critical"_s << false;
        QTest::newRow("unknown message level") << u"debug"_s << u"loud"_s << false;
        QTest::newRow("unknown session level") << u"verbose"_s << u"error"_s << false;
    }

    void logLevels()
    {
        QFETCH(QString, sessionLevel);
        QFETCH(QString, level);
        QFETCH(bool, allowed);
        QCOMPARE(logLevelAllows(sessionLevel, level), allowed);
    }

    void elicitationSchema_data()
    {
        QTest::addColumn<QJsonObject>("property");
        QTest::addColumn<QJsonObject>("expected"); // empty: cannot be asked
        QTest::newRow("string with default")
            << object("{'type':'string','default':'John Doe','description':'Name','pattern':'^x'}")
            << object("{'type':'string','default':'John Doe','description':'Name'}");
        QTest::newRow("integer")
            << object("{'type':'integer','minimum':0,'maximum':150,'default':30,'multipleOf':2}")
            << object("{'type':'integer','minimum':0,'maximum':150,'default':30}");
        QTest::newRow("number") << object("{'type':'number','default':95.5}")
                                << object("{'type':'number','default':95.5}");
        QTest::newRow("boolean") << object("{'type':'boolean','default':true,'title':'OK?'}")
                                 << object("{'type':'boolean','default':true,'title':'OK?'}");
        QTest::newRow("nullable string")
            << object("{'type':['null','string']}") << object("{'type':'string'}");
        QTest::newRow("untitled enum")
            << object("{'type':'string','enum':['a','b'],'default':'a'}")
            << object("{'type':'string','enum':['a','b'],'default':'a'}");
        QTest::newRow("titled oneOf") << object(
            "{'type':'string','oneOf':[{'const':'v1','title':'One'},{'const':'v2','title':'Two'}]}")
                                      << object("{'type':'string','oneOf':[{'const':'v1','title':'"
                                                "One'},{'const':'v2','title':'Two'}]}");
        QTest::newRow("legacy enumNames")
            << object("{'type':'string','enum':['o1','o2'],'enumNames':['One','Two']}")
            << object("{'type':'string','enum':['o1','o2'],'enumNames':['One','Two']}");
        QTest::newRow("enumNames of the wrong length are dropped")
            << object("{'type':'string','enum':['o1','o2'],'enumNames':['One']}")
            << object("{'type':'string','enum':['o1','o2']}");
        QTest::newRow("multi-select enum")
            << object("{'type':'array','items':{'type':'string','enum':['a','b']},'minItems':1}")
            << object("{'type':'array','items':{'type':'string','enum':['a','b']},'minItems':1}");
        QTest::newRow("multi-select anyOf")
            << object("{'type':'array','items':{'anyOf':[{'const':'v1','title':'First'}]}}")
            << object("{'type':'array','items':{'anyOf':[{'const':'v1','title':'First'}]}}");
        QTest::newRow("format kept when allowed") << object("{'type':'string','format':'email'}")
                                                  << object("{'type':'string','format':'email'}");
        QTest::newRow("format dropped when not allowed")
            << object("{'type':'string','format':'uuid'}") << object("{'type':'string'}");
        QTest::newRow("local $ref") << object("{'$ref':'#/$defs/level','description':'How much'}")
                                    << object("{'type':'integer','description':'How much'}");
        QTest::newRow("object") << object("{'type':'object'}") << QJsonObject();
        QTest::newRow("free array")
            << object("{'type':'array','items':{'type':'string'}}") << QJsonObject();
        QTest::newRow("no type") << object("{'description':'anything'}") << QJsonObject();
        QTest::newRow("numeric enum") << object("{'type':'string','enum':[1,2]}") << QJsonObject();
    }

    void elicitationSchema()
    {
        QFETCH(QJsonObject, property);
        QFETCH(QJsonObject, expected);
        const QJsonObject root = object("{'type':'object','$defs':{'level':{'type':'integer'}}}");
        const auto reduced = elicitationSchemaFor(property, root);
        if (expected.isEmpty()) {
            QVERIFY(!reduced);
        } else {
            QVERIFY(reduced);
            QCOMPARE(*reduced, expected);
        }
    }

    void joinedNames_data()
    {
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<QString>("expected");
        QTest::newRow("one") << QStringList{u"a"_s} << u"a"_s;
        QTest::newRow("two") << QStringList{u"a"_s, u"b"_s} << u"a and b"_s;
        QTest::newRow("three") << QStringList{u"a"_s, u"b"_s, u"c"_s} << u"a, b and c"_s;
    }

    void joinedNames()
    {
        QFETCH(QStringList, names);
        QFETCH(QString, expected);
        QCOMPARE(mcpbridge::mcp::joinedNames(names), expected);
    }
};

QTEST_GUILESS_MAIN(TestMcpInternals)
#include "tst_mcpinternals.moc"
