// McpServer resources, prompts and completion (fixture in mcpserverfixture.h): listing, reading
// and subscribing to resources, filling prompts, and completing prompt and template arguments.

#include "tests/core/mcpserverfixture.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::tests::mcpserverfixture;
using jsonrpc::Message;

class TestMcpServerResources : public McpServerFixture
{
    Q_OBJECT

private slots:
    // --- resources

    void resources_list()
    {
        mcp::Session *session = initialized();
        const Message list = call(session, qint64(1), u"resources/list"_s);
        const QJsonArray resources = list.result.toObject().value("resources"_L1).toArray();
        QCOMPARE(resources.size(), 2);
        QCOMPARE(resources.at(0).toObject().value("uri"_L1).toString(), u"test://static-text"_s);
        const Message templates = call(session, qint64(2), u"resources/templates/list"_s);
        const QJsonArray entries
            = templates.result.toObject().value("resourceTemplates"_L1).toArray();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.at(0).toObject().value("uriTemplate"_L1).toString(),
                 u"test://template/{id}/data"_s);
    }

    void resources_read_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QByteArray>("upstreamPath");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("blob");
        QTest::newRow("fixed text") << u"test://static-text"_s << QByteArray("/static-text")
                                    << u"This is the static text resource."_s << QByteArray();
        QTest::newRow("fixed binary")
            << u"test://static-binary"_s << QByteArray("/static-binary") << QString()
            << fixtures::FixtureUpstream::pngBytes().toBase64();
        QTest::newRow("template") << u"test://template/123/data"_s
                                  << QByteArray("/template/123/data") << u"Data for item 123"_s
                                  << QByteArray();
        QTest::newRow("template, encoded")
            << u"test://template/a%20b%3Fc/data"_s << QByteArray("/template/a%20b%3Fc/data")
            << u"Data for item a b?c"_s << QByteArray();
    }

    void resources_read()
    {
        QFETCH(QString, uri);
        QFETCH(QByteArray, upstreamPath);
        QFETCH(QString, text);
        QFETCH(QByteArray, blob);
        mcp::Session *session = initialized();
        const Message response = call(session, qint64(3), u"resources/read"_s, {{u"uri"_s, uri}});
        QCOMPARE(response.kind, Message::Kind::Response);
        const QJsonObject content
            = response.result.toObject().value("contents"_L1).toArray().first().toObject();
        QCOMPARE(content.value("uri"_L1).toString(), uri);
        QVERIFY(!content.value("mimeType"_L1).toString().isEmpty());
        if (!text.isEmpty())
            QCOMPARE(content.value("text"_L1).toString(), text);
        if (!blob.isEmpty())
            QCOMPARE(content.value("blob"_L1).toString().toLatin1(), blob);
        QCOMPARE(m_upstream.lastRequest().rawPath, upstreamPath);
    }

    void resources_readUnknown()
    {
        mcp::Session *session = initialized();
        const Message response
            = call(session, qint64(4), u"resources/read"_s, {{u"uri"_s, u"test://nowhere"_s}});
        QCOMPARE(response.kind, Message::Kind::Error);
        QCOMPARE(response.error.code, int(jsonrpc::ResourceNotFound));
        QCOMPARE(response.error.message, u"Resource not found: test://nowhere"_s);
        QCOMPARE(response.error.data.toObject().value("uri"_L1).toString(), u"test://nowhere"_s);
        QCOMPARE(m_upstream.requests().size(), 0);

        const Message climbing = call(session, qint64(5), u"resources/read"_s,
                                      {{u"uri"_s, u"test://template/../data"_s}});
        QCOMPARE(climbing.error.code, int(jsonrpc::ResourceNotFound));
        QCOMPARE(m_upstream.requests().size(), 0);
    }

    void resources_subscribe()
    {
        mcp::Session *session = initialized();
        const Message sub = call(session, qint64(6), u"resources/subscribe"_s,
                                 {{u"uri"_s, u"test://static-text"_s}});
        QCOMPARE(sub.result.toObject(), QJsonObject());
        QCOMPARE(session->subscriptions(), QSet<QString>{u"test://static-text"_s});
        const Message unsub = call(session, qint64(7), u"resources/unsubscribe"_s,
                                   {{u"uri"_s, u"test://static-text"_s}});
        QCOMPARE(unsub.kind, Message::Kind::Response);
        QVERIFY(session->subscriptions().isEmpty());
        const Message bad = call(session, qint64(8), u"resources/subscribe"_s);
        QCOMPARE(bad.error.code, int(jsonrpc::InvalidParams));
    }

    // --- prompts and completion

    void prompts_getWithPlaceholders()
    {
        mcp::Session *session = initialized();
        const Message list = call(session, qint64(1), u"prompts/list"_s);
        QCOMPARE(list.result.toObject().value("prompts"_L1).toArray().size(), 4);

        const Message response
            = call(session, qint64(2), u"prompts/get"_s,
                   {{u"name"_s, u"greet"_s},
                    {u"arguments"_s, QJsonObject{{u"name"_s, u"Ann"_s}, {u"mood"_s, u"happy"_s}}}});
        const QJsonObject result = response.result.toObject();
        QCOMPARE(result.value("description"_L1).toString(), u"Greets someone"_s);
        const QJsonArray messages = result.value("messages"_L1).toArray();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages.at(0).toObject().value("role"_L1).toString(), u"user"_s);
        QCOMPARE(messages.at(0).toObject().value("content"_L1).toObject().value("text"_L1),
                 QJsonValue(u"Hello Ann, you seem happy."_s));
        QCOMPARE(messages.at(1).toObject().value("role"_L1).toString(), u"assistant"_s);
    }

    void prompts_errors_data()
    {
        QTest::addColumn<QJsonObject>("params");
        QTest::addColumn<QString>("mention");
        QTest::newRow("unknown prompt") << QJsonObject{{u"name"_s, u"nope"_s}} << u"nope"_s;
        QTest::newRow("missing argument")
            << QJsonObject{{u"name"_s, u"greet"_s},
                           {u"arguments"_s, QJsonObject{{u"mood"_s, u"x"_s}}}}
            << u"\"name\""_s;
        QTest::newRow("non-string argument")
            << QJsonObject{{u"name"_s, u"greet"_s}, {u"arguments"_s, QJsonObject{{u"name"_s, 3}}}}
            << u"\"name\""_s;
        QTest::newRow("no name") << QJsonObject{} << u"params.name"_s;
    }

    void prompts_errors()
    {
        QFETCH(QJsonObject, params);
        QFETCH(QString, mention);
        mcp::Session *session = initialized();
        const Message response = call(session, qint64(3), u"prompts/get"_s, params);
        QCOMPARE(response.kind, Message::Kind::Error);
        QCOMPARE(response.error.code, int(jsonrpc::InvalidParams));
        QVERIFY2(response.error.message.contains(mention), qPrintable(response.error.message));
    }

    void prompts_embeddedResource_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("textContains");
        QTest::newRow("served") << u"test://static-text"_s << u"static text resource"_s;
        QTest::newRow("template") << u"test://template/7/data"_s << u"Data for item 7"_s;
        QTest::newRow("not served") << u"test://example-resource"_s << u"not served"_s;
    }

    void prompts_embeddedResource()
    {
        QFETCH(QString, uri);
        QFETCH(QString, textContains);
        mcp::Session *session = initialized();
        const Message response
            = call(session, qint64(4), u"prompts/get"_s,
                   {{u"name"_s, u"embed"_s}, {u"arguments"_s, QJsonObject{{u"uri"_s, uri}}}});
        QCOMPARE(response.kind, Message::Kind::Response);
        const QJsonArray messages = response.result.toObject().value("messages"_L1).toArray();
        QCOMPARE(messages.size(), 2);
        const QJsonObject content = messages.at(0).toObject().value("content"_L1).toObject();
        QCOMPARE(content.value("type"_L1).toString(), u"resource"_s);
        const QJsonObject resource = content.value("resource"_L1).toObject();
        QCOMPARE(resource.value("uri"_L1).toString(), uri);
        QVERIFY(!resource.value("mimeType"_L1).toString().isEmpty());
        QVERIFY2(resource.value("text"_L1).toString().contains(textContains),
                 qPrintable(resource.value("text"_L1).toString()));
        QCOMPARE(messages.at(1).toObject().value("content"_L1).toObject().value("text"_L1),
                 QJsonValue(u"Please read "_s + uri + u'.'));
    }

    void prompts_image()
    {
        mcp::Session *session = initialized();
        const Message response
            = call(session, qint64(5), u"prompts/get"_s, {{u"name"_s, u"picture"_s}});
        const QJsonObject content = response.result.toObject()
                                        .value("messages"_L1)
                                        .toArray()
                                        .first()
                                        .toObject()
                                        .value("content"_L1)
                                        .toObject();
        QCOMPARE(content.value("type"_L1).toString(), u"image"_s);
        QCOMPARE(content.value("mimeType"_L1).toString(), u"image/png"_s);
        QCOMPARE(content.value("data"_L1).toString().toLatin1(),
                 fixtures::FixtureUpstream::pngBytes().toBase64());
    }

    void completion_data()
    {
        QTest::addColumn<QJsonObject>("ref");
        QTest::addColumn<QString>("argument");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QStringList>("values");
        QTest::addColumn<int>("total");
        QTest::addColumn<bool>("hasMore");
        const QJsonObject greet{{u"type"_s, u"ref/prompt"_s}, {u"name"_s, u"greet"_s}};
        const QJsonObject item{{u"type"_s, u"ref/resource"_s},
                               {u"uri"_s, u"test://template/{id}/data"_s}};
        QTest::newRow("prompt, case-insensitive prefix")
            << greet << u"name"_s << u"AL"_s << QStringList{u"Alice"_s, u"albert"_s} << 2 << false;
        QTest::newRow("prompt, empty prefix")
            << greet << u"name"_s << QString() << QStringList{u"Alice"_s, u"albert"_s, u"Bob"_s}
            << 3 << false;
        QTest::newRow("prompt, argument without values")
            << greet << u"mood"_s << u"h"_s << QStringList() << 0 << false;
        QTest::newRow("template") << item << u"id"_s << u"12"_s << QStringList{u"123"_s, u"124"_s}
                                  << 2 << false;
        QStringList first100;
        for (int i = 0; i < 100; ++i)
            first100.append(u"v%1"_s.arg(i, 3, 10, QChar(u'0')));
        QTest::newRow("capped at 100")
            << QJsonObject{{u"type"_s, u"ref/prompt"_s}, {u"name"_s, u"many"_s}} << u"n"_s << u"v"_s
            << first100 << 150 << true;
    }

    void completion()
    {
        QFETCH(QJsonObject, ref);
        QFETCH(QString, argument);
        QFETCH(QString, typed);
        QFETCH(QStringList, values);
        QFETCH(int, total);
        QFETCH(bool, hasMore);
        mcp::Session *session = initialized();
        const Message response
            = call(session, qint64(6), u"completion/complete"_s,
                   {{u"ref"_s, ref},
                    {u"argument"_s, QJsonObject{{u"name"_s, argument}, {u"value"_s, typed}}}});
        const QJsonObject completion = response.result.toObject().value("completion"_L1).toObject();
        QCOMPARE(completion.value("values"_L1).toVariant().toStringList(), values);
        QCOMPARE(completion.value("total"_L1).toInt(), total);
        QCOMPARE(completion.value("hasMore"_L1).toBool(), hasMore);
    }

    void completion_unknownRef()
    {
        mcp::Session *session = initialized();
        const QJsonObject argument{{u"name"_s, u"x"_s}, {u"value"_s, u""_s}};
        for (const QJsonObject &ref :
             {QJsonObject{{u"type"_s, u"ref/prompt"_s}, {u"name"_s, u"nope"_s}},
              QJsonObject{{u"type"_s, u"ref/resource"_s}, {u"uri"_s, u"test://nope/{x}"_s}},
              QJsonObject{{u"type"_s, u"ref/other"_s}}}) {
            const Message response = call(session, qint64(7), u"completion/complete"_s,
                                          {{u"ref"_s, ref}, {u"argument"_s, argument}});
            QCOMPARE(response.error.code, int(jsonrpc::InvalidParams));
            sent(session).clear();
        }
    }
};

QTEST_GUILESS_MAIN(TestMcpServerResources)
#include "tst_mcpserver_resources.moc"
