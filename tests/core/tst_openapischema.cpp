// Schema conversion of the OpenAPI importer: $ref cycles cut with a note, allOf merged, nullable
// mapped to type arrays, 2.0/3.0 exclusive bounds, read-only fields left out, 3.1 $ref siblings,
// unusable patterns dropped. Each case is a small spec imported end to end.

#include "core/openapi/openapiimporter.h"
#include "core/openapi/schemaconverter.h"
#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::openapi;

namespace {

// Test JSON written with single quotes (moc cannot read raw string literals).
QByteArray j(const char *text)
{
    QByteArray out(text);
    out.replace('\'', '"');
    return out;
}

// A 3.0 spec with one POST /x whose JSON body is `bodySchema` and the given components.
QByteArray specWithBody(const QByteArray &bodySchema, const QByteArray &schemas = "{}",
                        const QByteArray &version = "3.0.3")
{
    return "{\"openapi\":\"" + version
           + "\",\"info\":{\"title\":\"t\",\"version\":\"1\"},"
             "\"servers\":[{\"url\":\"https://x.test\"}],"
             "\"paths\":{\"/"
             "x\":{\"post\":{\"operationId\":\"op\",\"requestBody\":{\"required\":true,"
             "\"content\":{\"application/json\":{\"schema\":"
           + bodySchema
           + "}}},"
             "\"responses\":{\"200\":{\"description\":\"ok\"}}}}},"
             "\"components\":{\"schemas\":"
           + schemas + "}}";
}

QJsonObject inputSchemaOf(const QByteArray &spec, ImportReport *reportOut = nullptr)
{
    const auto report = importSpec(spec);
    if (!report) {
        qWarning() << report.error().toString();
        return {};
    }
    if (reportOut)
        *reportOut = *report;
    if (report->document.tools.isEmpty())
        return {};
    return report->document.tools.first().effectiveInputSchema();
}

QJsonObject prop(const QJsonObject &schema, const QString &name)
{
    return schema.value(u"properties"_s).toObject().value(name).toObject();
}

} // namespace

class TestOpenApiSchema : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cycles_data()
    {
        QTest::addColumn<QByteArray>("schemas");
        QTest::addColumn<QString>("cutName");
        QTest::newRow("self through items")
            << (j("{'Node':{'type':'object','properties':{'value':{'type':'string'}, "
                  "'children':{'type':'array','items':{'$ref':'#/components/schemas/Node'}}}}}"))
            << u"Node"_s;
        QTest::newRow("mutual") << (j(
            "{'Node':{'type':'object','properties':{'pet':{'$ref':'#/components/schemas/Pet'}}}, "
            "'Pet':{'type':'object','properties':{'owner':{'$ref':'#/components/schemas/Node'}}}}"))
                                << u"Node"_s;
        QTest::newRow("through allOf") << (j("{'Node':{'allOf':[{'type':'object','properties':{'"
                                             "next':{'$ref':'#/components/schemas/Node'}}}]}}"))
                                       << u"Node"_s;
    }
    void cycles()
    {
        QFETCH(QByteArray, schemas);
        QFETCH(QString, cutName);
        const QByteArray spec = specWithBody(j("{'$ref':'#/components/schemas/Node'}"), schemas);
        const QJsonObject schema = inputSchemaOf(spec);
        QVERIFY(!schema.isEmpty());
        const QByteArray text = json::compact(schema);
        // The cut is marked, and the conversion terminated with a small result.
        const QByteArray marker
            = (u"A "_s + cutName + u" (recursive structure, not expanded further)"_s).toUtf8();
        QVERIFY2(text.contains(marker), text.constData());
        QVERIFY(text.size() < 2000);
    }

    void refLoopWithoutSchema()
    {
        // Loop -> Loop2 -> Loop: nothing to expand at all; must not hang or crash.
        const QByteArray spec
            = specWithBody(j("{'$ref':'#/components/schemas/Loop'}"),
                           j("{'Loop':{'$ref':'#/components/schemas/Loop2'},'Loop2':{'$ref':'#/"
                             "components/schemas/Loop'}}"));
        ImportReport report;
        const QJsonObject schema = inputSchemaOf(spec, &report);
        QCOMPARE(report.toolsCreated, 1);
        QVERIFY(json::compact(schema).contains("recursive structure"));
    }

    void unresolvedRef()
    {
        ImportReport report;
        inputSchemaOf(specWithBody(j("{'$ref':'#/components/schemas/Missing'}")), &report);
        QCOMPARE(report.toolsCreated, 1);
        QCOMPARE(report.count(ImportNote::Severity::Degraded), 1);
        QVERIFY(report.notes.first().message.contains(u"#/components/schemas/Missing"_s));
        QVERIFY(report.notes.first().pointer.contains(u"/requestBody"_s));
    }

    void allOfMerge()
    {
        const QByteArray schemas = j(
            "{ "
            "'Animal':{'type':'object','required':['name'],'discriminator':{'propertyName':'name'},"
            " 'properties':{'name':{'type':'string'},'id':{'type':'integer','readOnly':true}}}, "
            "'Dog':{'allOf':[{'$ref':'#/components/schemas/Animal'}, "
            "{'type':'object','required':['bark','id'],'properties':{'bark':{'type':'boolean'}, "
            "'name':{'description':'The name of the dog.'}}}]}}");
        const QJsonObject schema
            = inputSchemaOf(specWithBody(j("{'$ref':'#/components/schemas/Dog'}"), schemas));
        // Body properties became arguments: name and bark, but not the read-only id.
        const QJsonObject props = schema.value(u"properties"_s).toObject();
        QCOMPARE(props.keys(), (QStringList{u"bark"_s, u"name"_s}));
        QCOMPARE(prop(schema, u"name"_s).value(u"type"_s).toString(), u"string"_s);
        QCOMPARE(prop(schema, u"name"_s).value(u"description"_s).toString(),
                 u"The name of the dog."_s);
        QStringList required;
        for (const QJsonValue &r : schema.value(u"required"_s).toArray())
            required.append(r.toString());
        required.sort();
        QCOMPARE(required, (QStringList{u"bark"_s, u"name"_s}));
        QVERIFY(!json::compact(schema).contains("discriminator"));
    }

    void mergeAllOfTypes_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("type intersection") << (j("{'type':['string','null']}"))
                                           << (j("{'type':'string'}")) << (j("{'type':'string'}"));
        QTest::newRow("number and integer")
            << (j("{'type':'number'}")) << (j("{'type':'integer'}")) << (j("{'type':'integer'}"));
        QTest::newRow("first keyword wins")
            << (j("{'maxLength':3}")) << (j("{'maxLength':9,'minLength':1}"))
            << (j("{'maxLength':3,'minLength':1}"));
        QTest::newRow("enum intersection")
            << (j("{'enum':['a','b','c']}")) << (j("{'enum':['b','c','d']}"))
            << (j("{'enum':['b','c']}"));
    }
    void mergeAllOfTypes()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(QByteArray, expected);
        const QJsonObject merged = SchemaConverter::mergeAllOf(QJsonDocument::fromJson(a).object(),
                                                               QJsonDocument::fromJson(b).object());
        QCOMPARE(merged, QJsonDocument::fromJson(expected).object());
    }

    void keywords_data()
    {
        QTest::addColumn<QByteArray>("version");
        QTest::addColumn<QByteArray>("fieldSchema");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("3.0 nullable")
            << QByteArray("3.0.3") << (j("{'type':'string','nullable':true}"))
            << (j("{'type':['string','null']}"));
        QTest::newRow("3.0 nullable enum")
            << QByteArray("3.0.3") << (j("{'type':'string','enum':['a'],'nullable':true}"))
            << (j("{'type':['string','null'],'enum':['a',null]}"));
        QTest::newRow("3.1 nullable is not a keyword")
            << QByteArray("3.1.0") << (j("{'type':'string','nullable':true}"))
            << (j("{'type':'string'}"));
        QTest::newRow("3.1 type array kept")
            << QByteArray("3.1.0") << (j("{'type':['integer','null'],'const':3}"))
            << (j("{'type':['integer','null'],'const':3}"));
        QTest::newRow("exclusive bound")
            << QByteArray("3.0.3") << (j("{'type':'integer','minimum':0,'exclusiveMinimum':true}"))
            << (j("{'type':'integer','exclusiveMinimum':0}"));
        QTest::newRow("non-exclusive bound")
            << QByteArray("3.0.3") << (j("{'type':'integer','maximum':9,'exclusiveMaximum':false}"))
            << (j("{'type':'integer','maximum':9}"));
        QTest::newRow("example becomes examples")
            << QByteArray("3.0.3") << (j("{'type':'string','example':'doggie','xml':{'name':'n'}}"))
            << (j("{'type':'string','examples':['doggie']}"));
        QTest::newRow("ecma-invalid pattern dropped")
            << QByteArray("3.0.3") << (j("{'type':'string','pattern':'^{[0-9]{4}}$'}"))
            << (j("{'type':'string'}"));
        QTest::newRow("valid pattern kept")
            << QByteArray("3.0.3") << (j("{'type':'string','pattern':'^[a-z]+$'}"))
            << (j("{'type':'string','pattern':'^[a-z]+$'}"));
        QTest::newRow("oneOf kept")
            << QByteArray("3.0.3") << (j("{'oneOf':[{'type':'string'},{'type':'integer'}]}"))
            << (j("{'oneOf':[{'type':'string'},{'type':'integer'}]}"));
        QTest::newRow("boolean schema")
            << QByteArray("3.1.0") << QByteArray("true") << QByteArray("{}");
    }
    void keywords()
    {
        QFETCH(QByteArray, version);
        QFETCH(QByteArray, fieldSchema);
        QFETCH(QByteArray, expected);
        const QByteArray body = j("{'type':'object','properties':{'f':") + fieldSchema + "}}";
        const QJsonObject schema = inputSchemaOf(specWithBody(body, "{}", version));
        QCOMPARE(prop(schema, u"f"_s), QJsonDocument::fromJson(expected).object());
    }

    void refSiblings31()
    {
        const QByteArray body = j("{'type':'object','properties':{'id':{'$ref':'#/components/"
                                  "schemas/Id','description':'The trip.'}}}");
        const QJsonObject schema = inputSchemaOf(specWithBody(
            body, j("{'Id':{'type':'string','format':'uuid','description':'An id.'}}"), "3.1.0"));
        QCOMPARE(prop(schema, u"id"_s).value(u"description"_s).toString(), u"The trip."_s);
        QCOMPARE(prop(schema, u"id"_s).value(u"format"_s).toString(), u"uuid"_s);
    }

    void stripAnnotations()
    {
        QJsonObject s = QJsonDocument::fromJson(
                            j("{'description':'top','type':'object', "
                              "'properties':{'a':{'type':'string','description':'nested','examples'"
                              ":['x']}}, 'oneOf':[{'title':'T','type':'object'}]}"))
                            .object();
        SchemaConverter::stripAnnotations(s, 1);
        QCOMPARE(s.value(u"description"_s).toString(), u"top"_s);
        QCOMPARE(prop(s, u"a"_s), (QJsonObject{{u"type"_s, u"string"_s}}));
        QCOMPARE(s.value(u"oneOf"_s).toArray().first().toObject(),
                 (QJsonObject{{u"type"_s, u"object"_s}}));
    }
};

QTEST_GUILESS_MAIN(TestOpenApiSchema)
#include "tst_openapischema.moc"
