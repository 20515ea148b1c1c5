// The bridge document model (helpers in bridgedocumentfixture.h): the effective input schema,
// the MCP shapes of tools, resources and prompts, URI template matching, and the secrets and
// template variables a document names.

#include "tests/core/bridgedocumentfixture.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge::bridge;
using namespace mcpbridge::tests::documentfixture;

Q_DECLARE_METATYPE(mcpbridge::bridge::Parameter)

class TestBridgeDocumentModel : public QObject
{
    Q_OBJECT

private slots:
    void effectiveInputSchema_data()
    {
        QTest::addColumn<QList<Parameter>>("parameters");
        QTest::addColumn<QJsonObject>("explicitSchema");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("no parameters")
            << QList<Parameter>{} << QJsonObject{}
            << QByteArray(R"({"additionalProperties":false,"type":"object"})");
        QTest::newRow("required in order")
            << QList<Parameter>{{u"b"_s,
                                 u"query"_s,
                                 {},
                                 true,
                                 u"Bee."_s,
                                 {{u"type"_s, u"string"_s}}},
                                {u"a"_s, u"query"_s, {}, false, {}, {{u"type"_s, u"integer"_s}}},
                                {u"c"_s, u"path"_s, {}, true, {}, {}}}
            << QJsonObject{}
            << QByteArray(
                   R"({"properties":{"a":{"type":"integer"},"b":{"description":"Bee.","type":"string"},"c":{}},"required":["b","c"],"type":"object"})");
        QTest::newRow("none required")
            << QList<Parameter>{{u"x"_s, u"body"_s, u"X"_s, false, {}, {{u"type"_s, u"boolean"_s}}}}
            << QJsonObject{}
            << QByteArray(R"({"properties":{"x":{"type":"boolean"}},"type":"object"})");
        QTest::newRow("explicit schema wins")
            << QList<Parameter>{{u"x"_s, u"body"_s, {}, true, {}, {}}}
            << QJsonObject{{u"type"_s, u"object"_s}, {u"$defs"_s, QJsonObject{}}}
            << QByteArray(R"({"$defs":{},"type":"object"})");
    }

    void effectiveInputSchema()
    {
        QFETCH(QList<Parameter>, parameters);
        QFETCH(QJsonObject, explicitSchema);
        QFETCH(QByteArray, expected);
        Tool t;
        t.parameters = parameters;
        t.inputSchema = explicitSchema;
        QCOMPARE(QJsonDocument(t.effectiveInputSchema()).toJson(QJsonDocument::Compact), expected);
    }

    void toolToMcp()
    {
        const BridgeDocument d = richDocument();
        const QJsonObject full = d.tools.at(0).toMcp();
        QCOMPARE(full.value(u"name"_s).toString(), u"update_thing"_s);
        QCOMPARE(full.value(u"title"_s).toString(), u"Update a thing"_s);
        QCOMPARE(full.value(u"description"_s).toString(), u"Updates a thing."_s);
        QCOMPARE(full.value(u"inputSchema"_s).toObject(), d.tools.at(0).effectiveInputSchema());
        QCOMPARE(full.value(u"outputSchema"_s).toObject(), d.tools.at(0).outputSchema);
        const QJsonObject a = full.value(u"annotations"_s).toObject();
        QCOMPARE(a.value(u"title"_s).toString(), u"Update"_s);
        QCOMPARE(a.value(u"readOnlyHint"_s), QJsonValue(false));
        QCOMPARE(a.value(u"destructiveHint"_s), QJsonValue(true));
        QCOMPARE(a.value(u"openWorldHint"_s), QJsonValue(false));
        QCOMPARE(full.keys().size(), 6);

        Tool bare;
        bare.name = u"bare"_s;
        const QJsonObject minimal = bare.toMcp();
        QCOMPARE(minimal.keys(), (QStringList{u"inputSchema"_s, u"name"_s}));

        // An explicit schema is passed through untouched ($schema, additionalProperties).
        const QJsonObject search = d.tools.at(2).toMcp().value(u"inputSchema"_s).toObject();
        QCOMPARE(search.value(u"$schema"_s).toString(),
                 u"https://json-schema.org/draft/2020-12/schema"_s);
        QCOMPARE(search.value(u"additionalProperties"_s), QJsonValue(false));
    }

    void resourcesAndPromptsToMcp()
    {
        const BridgeDocument d = richDocument();
        // Raw strings with "//" stay out of macro arguments: moc's preprocessor trips on them.
        const QByteArray resource
            = R"({"description":"Every thing.","mimeType":"application/json","name":"all","title":"All things","uri":"things://all"})";
        const QByteArray resourceTemplate
            = R"({"description":"One.","mimeType":"application/json","name":"thing","title":"A thing","uriTemplate":"things://{thing_id}"})";
        const QByteArray prompt
            = R"({"arguments":[{"description":"Which one.","name":"thing_id","required":true,"title":"Thing"},{"name":"tone","required":false}],"description":"Reviews a thing.","name":"review","title":"Review"})";
        QCOMPARE(QJsonDocument(d.resources.at(0).toMcp()).toJson(QJsonDocument::Compact), resource);
        QCOMPARE(QJsonDocument(d.resourceTemplates.at(0).toMcp()).toJson(QJsonDocument::Compact),
                 resourceTemplate);
        QCOMPARE(QJsonDocument(d.prompts.at(0).toMcp()).toJson(QJsonDocument::Compact), prompt);
        Resource unnamed;
        unnamed.uri = u"x://y"_s;
        QCOMPARE(unnamed.toMcp().value(u"name"_s).toString(), u"x://y"_s);
        Prompt noArgs;
        noArgs.name = u"p"_s;
        QVERIFY(!noArgs.toMcp().contains(u"arguments"_s));
    }

    void templateMatch_data()
    {
        QTest::addColumn<QString>("uriTemplate");
        QTest::addColumn<QString>("uri");
        QTest::addColumn<bool>("matches");
        QTest::addColumn<QVariantMap>("expected");

        QTest::newRow("simple") << u"recipe://{id}"_s << u"recipe://42"_s << true
                                << QVariantMap{{u"id"_s, u"42"_s}};
        QTest::newRow("two variables")
            << u"test://template/{id}/data/{part}"_s << u"test://template/123/data/x"_s << true
            << QVariantMap{{u"id"_s, u"123"_s}, {u"part"_s, u"x"_s}};
        QTest::newRow("percent-decoded")
            << u"notes://{title}"_s << u"notes://caf%C3%A9%20au%20lait"_s << true
            << QVariantMap{{u"title"_s, u"café au lait"_s}};
        QTest::newRow("encoded slash decodes")
            << u"f://{name}"_s << u"f://a%2Fb"_s << true << QVariantMap{{u"name"_s, u"a/b"_s}};
        QTest::newRow("slash does not match")
            << u"recipe://{id}"_s << u"recipe://4/2"_s << false << QVariantMap{};
        QTest::newRow("empty value")
            << u"recipe://{id}"_s << u"recipe://"_s << false << QVariantMap{};
        QTest::newRow("other scheme")
            << u"recipe://{id}"_s << u"recipes://1"_s << false << QVariantMap{};
        QTest::newRow("literal suffix")
            << u"t://{id}/data"_s << u"t://7/data"_s << true << QVariantMap{{u"id"_s, u"7"_s}};
        QTest::newRow("suffix missing")
            << u"t://{id}/data"_s << u"t://7"_s << false << QVariantMap{};
        QTest::newRow("regex characters are literal")
            << u"a+b://{x}.json"_s << u"a+b://v.json"_s << true << QVariantMap{{u"x"_s, u"v"_s}};
        QTest::newRow("no variables")
            << u"fixed://one"_s << u"fixed://one"_s << true << QVariantMap{};
        QTest::newRow("broken template") << u"t://{id"_s << u"t://{id"_s << false << QVariantMap{};
    }

    void templateMatch()
    {
        QFETCH(QString, uriTemplate);
        QFETCH(QString, uri);
        QFETCH(bool, matches);
        QFETCH(QVariantMap, expected);
        ResourceTemplate t;
        t.uriTemplate = uriTemplate;
        const auto result = t.match(uri);
        QCOMPARE(result.has_value(), matches);
        if (!result)
            return;
        QCOMPARE(result->size(), expected.size());
        for (auto it = expected.begin(); it != expected.end(); ++it)
            QCOMPARE(result->value(it.key()), it.value().toString());
    }

    void secretNames()
    {
        BridgeDocument d = richDocument();
        d.upstream.headers.insert(u"X-Two"_s, u"${secret:tok} and ${secret:other}"_s);
        QCOMPARE(d.secretNames(),
                 (QStringList{u"client_secret"_s, u"tok"_s, u"other"_s, u"key_pass"_s}));
        d.upstream.auth.kind = u"none"_s;
        QCOMPARE(d.secretNames(), (QStringList{u"tok"_s, u"other"_s, u"key_pass"_s}));
    }

    void templateVariablesInOrder()
    {
        QCOMPARE(templateVariables(u"/a/{x}/b/{y}/{x}"_s), (QStringList{u"x"_s, u"y"_s}));
        QVERIFY(templateVariables(u"/plain"_s).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBridgeDocumentModel)
#include "tst_bridgedocument_model.moc"
