// The OpenAPI importer on the small specs in tests/fixtures/openapi and inline ones: Swagger 2.0
// parameters and bodies, clash renaming, external refs, base URLs, security schemes, selection,
// resources, reports with JSON pointers, and clear errors for broken input.

#include "core/bridge/documentio.h"
#include "core/openapi/openapiimporter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::openapi;

namespace {

QString fixture(const QString &name)
{
    return qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR") + u"/tests/fixtures/openapi/"_s + name;
}

// Test JSON written with single quotes (moc cannot read raw string literals).
QByteArray j(const char *text)
{
    QByteArray out(text);
    out.replace('\'', '"');
    return out;
}

bool hasNote(const ImportReport &r, ImportNote::Severity s, const QString &pointer,
             const QString &text)
{
    for (const ImportNote &n : r.notes)
        if (n.severity == s && n.pointer == pointer && n.message.contains(text))
            return true;
    return false;
}

} // namespace

class TestOpenApiImporter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("MCPBRIDGE_SOURCE_DIR"))
            QSKIP("MCPBRIDGE_SOURCE_DIR is not set (run through ctest)");
    }

    void swagger2Petstore()
    {
        const auto report = importFile(fixture(u"petstore-swagger2.json"_s));
        QVERIFY2(report, report ? "" : qPrintable(report.error().toString()));
        const bridge::BridgeDocument &doc = report->document;
        QCOMPARE(report->specVersion, u"2.0"_s);
        QCOMPARE(doc.upstream.baseUrl, u"https://petstore.swagger.io/v2"_s); // https preferred
        QCOMPARE(doc.server.name, u"swagger-petstore"_s);
        QCOMPARE(doc.server.instructions,
                 u"A sample pet store.\nUsed by the importer tests and the end-to-end check."_s);

        // Path and query parameters are kept, with their schemas (the classic failure).
        const bridge::Tool *find = doc.findTool(u"findPetsByStatus");
        QVERIFY(find);
        QCOMPARE(find->parameters.size(), 2);
        QCOMPARE(find->parameters.at(0).in, u"query"_s);
        QVERIFY(find->parameters.at(0).required);
        QCOMPARE(find->parameters.at(0).schema.value(u"type"_s).toString(), u"array"_s);
        QCOMPARE(find->parameters.at(0)
                     .schema.value(u"items"_s)
                     .toObject()
                     .value(u"enum"_s)
                     .toArray()
                     .size(),
                 3);
        QCOMPARE(find->parameters.at(1).schema.value(u"exclusiveMaximum"_s).toInt(), 100);
        const QJsonObject input = find->effectiveInputSchema();
        QCOMPARE(input.value(u"properties"_s).toObject().keys(),
                 (QStringList{u"limit"_s, u"status"_s}));
        QCOMPARE(input.value(u"required"_s).toArray(), QJsonArray{u"status"_s});

        const bridge::Tool *get = doc.findTool(u"getPetById");
        QVERIFY(get);
        QCOMPARE(get->path, u"/pet/{petId}"_s); // path-level parameter inherited
        QCOMPARE(get->parameters.size(), 1);
        QCOMPARE(get->parameters.first().in, u"path"_s);
        QCOMPARE(get->parameters.first().schema.value(u"type"_s).toString(), u"integer"_s);
        QVERIFY(get->annotations.readOnlyHint.value_or(false));

        // A JSON object body becomes body arguments; read-only id is not offered.
        const bridge::Tool *add = doc.findTool(u"addPet");
        QVERIFY(add);
        QVERIFY(!add->findParameter(u"id"));
        QVERIFY(add->findParameter(u"name") && add->findParameter(u"name")->in == u"body");
        QVERIFY(add->findParameter(u"name")->required);
        QVERIFY(!add->findParameter(u"tags")->required);
        QVERIFY(add->bodyMediaType.isEmpty());
        // x-nullable
        QCOMPARE(add->findParameter(u"status")->schema.value(u"type"_s).toArray(),
                 (QJsonArray{u"string"_s, u"null"_s}));

        // An array body is one whole-body argument.
        const bridge::Tool *orders = doc.findTool(u"placeOrders");
        QVERIFY(orders);
        QCOMPARE(orders->parameters.size(), 1);
        QVERIFY(orders->parameters.first().wholeBody);
        QCOMPARE(orders->parameters.first().schema.value(u"type"_s).toString(), u"array"_s);

        // formData: form-urlencoded fields; a file field is left out with a note and its pointer.
        const bridge::Tool *form = doc.findTool(u"updatePetWithForm");
        QCOMPARE(form->bodyMediaType, u"application/x-www-form-urlencoded"_s);
        QVERIFY(form->findParameter(u"status")->required);
        const bridge::Tool *upload = doc.findTool(u"uploadFile");
        QCOMPARE(upload->bodyMediaType, u"multipart/form-data"_s);
        QVERIFY(!upload->findParameter(u"file"));
        QVERIFY(upload->findParameter(u"additionalMetadata"));
        QVERIFY(hasNote(*report, ImportNote::Severity::Degraded,
                        u"/paths/~1pet~1{petId}~1uploadImage/post"_s, u"\"file\""_s));

        const bridge::Tool *del = doc.findTool(u"deletePet");
        QVERIFY(del->annotations.destructiveHint.value_or(false));
        QVERIFY(del->annotations.idempotentHint.value_or(false));
        QCOMPARE(del->findParameter(u"api_key")->in, u"header"_s);

        // Auth: the secret's name only.
        QCOMPARE(doc.upstream.auth.kind, u"apiKey"_s);
        QCOMPARE(doc.upstream.auth.in, u"header"_s);
        QCOMPARE(doc.upstream.auth.name, u"api_key"_s);
        QCOMPARE(doc.upstream.auth.secret, u"api_key"_s);

        QCOMPARE(report->operationsTotal, 8);
        QCOMPARE(report->toolsCreated, 8);
        QVERIFY(report->estimatedTokens > 100);
        QVERIFY(bridge::validateDocument(doc).isEmpty());
    }

    void openApi31()
    {
        const auto report = importFile(fixture(u"openapi31.yaml"_s), {.authClientId = u"abc"_s});
        QVERIFY(report);
        const bridge::BridgeDocument &doc = report->document;
        QCOMPARE(doc.upstream.baseUrl, u"https://eu.api.example.com/v1"_s);
        QCOMPARE(doc.upstream.auth.kind, u"oauth2ClientCredentials"_s);
        QCOMPARE(doc.upstream.auth.tokenUrl, u"https://auth.example.com/token"_s);
        QCOMPARE(doc.upstream.auth.clientId, u"abc"_s);
        QCOMPARE(doc.upstream.auth.secret, u"OAuth2"_s);
        QVERIFY(hasNote(*report, ImportNote::Severity::Info, u"/webhooks"_s, u"Webhooks"_s));

        const bridge::Tool *stations = doc.findTool(u"get-stations");
        QVERIFY(stations);
        const bridge::Parameter *size = stations->findParameter(u"page_size");
        QVERIFY(size);
        QCOMPARE(size->wireName, u"page[size]"_s);
        QCOMPARE(stations->findParameter(u"search")->schema.value(u"type"_s).toArray(),
                 (QJsonArray{u"string"_s, u"null"_s}));
        const bridge::Tool *booking = doc.findTool(u"create-booking");
        QVERIFY(booking->findParameter(u"trip_id")->required);
        QCOMPARE(booking->findParameter(u"trip_id")->description, u"The trip to book."_s);
        QVERIFY(!booking->findParameter(u"id")); // readOnly
        QVERIFY(bridge::validateDocument(doc).isEmpty());
    }

    void clashesAndNames()
    {
        const auto report = importFile(fixture(u"clashes.yaml"_s),
                                       {.baseUrlOverride = u"https://api.test/v1/"_s});
        QVERIFY(report);
        const bridge::BridgeDocument &doc = report->document;
        QCOMPARE(doc.upstream.baseUrl, u"https://api.test/v1"_s);

        const bridge::Tool *update = doc.findTool(u"update_item");
        QVERIFY(update);
        QStringList names;
        for (const bridge::Parameter &p : update->parameters)
            names.append(p.in + u':' + p.name + u'=' + p.apiName());
        // path id keeps its name; the query, header and body ids are renamed, wire names kept.
        QCOMPARE(names,
                 (QStringList{u"path:id=id"_s, u"query:query_id=id"_s, u"header:header_id=id"_s,
                              u"header:X-Trace.Id=X-Trace.Id"_s, u"body:body_id=id"_s,
                              u"body:name=name"_s, u"body:body_query_id=query_id"_s}));
        QVERIFY(update->findParameter(u"body_id")->required);
        QVERIFY(!update->findParameter(u"Content-Type"));
        QVERIFY(hasNote(*report, ImportNote::Severity::Info,
                        u"/paths/~1items~1{id}/put/parameters/3"_s, u"sets this header itself"_s));
        QVERIFY(hasNote(*report, ImportNote::Severity::Info,
                        u"/paths/~1items~1{id}/put/parameters/4"_s, u"cookie"_s));

        // Path variables with characters a template cannot have are renamed in the path too;
        // an undeclared one is added (required).
        const bridge::Tool *parts = doc.findTool(u"get_items_item-id_parts_part_id");
        QVERIFY(parts);
        QCOMPARE(parts->path, u"/items/{item_id}/parts/{part_id}"_s);
        QVERIFY(parts->findParameter(u"item_id")->required);
        QVERIFY(parts->findParameter(u"part_id")->required);
        QCOMPARE(parts->findParameter(u"filter_kind")->wireName, u"filter[kind]"_s);

        // Duplicate and long operation ids: unique, at most 64, deterministic.
        QVERIFY(doc.findTool(u"getItem"));
        QVERIFY(doc.findTool(u"getItem_2") || doc.findTool(u"GETITEM_2"));
        int longOnes = 0;
        for (const bridge::Tool &t : doc.tools) {
            QVERIFY2(t.name.size() <= 64, qPrintable(t.name));
            longOnes += t.name.startsWith(u"thisOperationIdIsMuchLonger"_s);
        }
        QCOMPARE(longOnes, 2);

        // Binary body: skipped (required); text body: one string; multipart file: left out.
        QVERIFY(!doc.findTool(u"upload"));
        QVERIFY(hasNote(*report, ImportNote::Severity::Skipped,
                        u"/paths/~1upload/post/requestBody"_s, u"application/octet-stream"_s));
        QCOMPARE(doc.findTool(u"addNote")->bodyMediaType, u"text/plain"_s);
        QVERIFY(doc.findTool(u"addNote")->parameters.first().wholeBody);
        QCOMPARE(doc.findTool(u"sendForm")->bodyMediaType, u"multipart/form-data"_s);
        QVERIFY(!doc.findTool(u"sendForm")->findParameter(u"attachment"));
        QVERIFY(hasNote(*report, ImportNote::Severity::Skipped, u"/paths/~1notes/options"_s,
                        u"OPTIONS"_s));

        // Every renamed argument and name is valid for the bridge checks.
        QVERIFY(bridge::validateDocument(doc).isEmpty());

        // Determinism.
        const auto again = importFile(fixture(u"clashes.yaml"_s),
                                      {.baseUrlOverride = u"https://api.test/v1/"_s});
        QCOMPARE(bridge::serializeDocument(again->document), bridge::serializeDocument(doc));
    }

    void circularFixture()
    {
        const auto report = importFile(fixture(u"circular.json"_s));
        QVERIFY(report);
        QCOMPARE(report->toolsCreated, 4);
        QCOMPARE(report->document.upstream.baseUrl, u"https://circular.example.com/api"_s);
        const bridge::Tool *dog = report->document.findTool(u"putDog");
        QVERIFY(dog->findParameter(u"bark") && dog->findParameter(u"name"));
        QVERIFY(!dog->findParameter(u"id"));
        QCOMPARE(dog->findParameter(u"age")->schema.value(u"exclusiveMinimum"_s).toInt(), 0);
        QVERIFY(bridge::validateDocument(report->document).isEmpty());
    }

    void externalRefs()
    {
        const auto report = importFile(fixture(u"external/main.yaml"_s));
        QVERIFY(report);
        const bridge::Tool *create = report->document.findTool(u"createPet");
        QVERIFY(create);
        QVERIFY(create->findParameter(u"X-Trace"));
        QCOMPARE(create->findParameter(u"owner")
                     ->schema.value(u"properties"_s)
                     .toObject()
                     .value(u"email"_s)
                     .toObject()
                     .value(u"format"_s)
                     .toString(),
                 u"email"_s);
        // A reference to a missing file degrades the operation, with its pointer.
        QVERIFY(hasNote(*report, ImportNote::Severity::Degraded,
                        u"/paths/~1pets/get/parameters/0"_s, u"missing.yaml"_s));
    }

    void baseUrl_data()
    {
        QTest::addColumn<QByteArray>("spec");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        QTest::newRow("servers variables")
            << j("{'openapi':'3.0.0','servers':[{'url':'https://{env}.x.test:{port}/"
                 "api','variables':{'env':{'default':'prod'},'port':{'enum':['8443','443'],'"
                 "default':'8443'}}}]}")
            << QString() << u"https://prod.x.test:8443/api"_s;
        QTest::newRow("relative server against spec url")
            << j("{'openapi':'3.0.0','servers':[{'url':'/v3'}]}")
            << u"https://petstore3.swagger.io/api/openapi.json"_s
            << u"https://petstore3.swagger.io/v3"_s;
        QTest::newRow("no servers: spec url's origin")
            << j("{'openapi':'3.1.0'}") << u"https://x.test/docs/spec.yaml"_s
            << u"https://x.test"_s;
        QTest::newRow("relative without spec url")
            << j("{'openapi':'3.0.0','servers':[{'url':'/v3'}]}") << QString() << QString();
        QTest::newRow("swagger host basePath schemes")
            << j("{'swagger':'2.0','host':'api.x.test:8080','basePath':'/v1/','schemes':['http']}")
            << QString() << u"http://api.x.test:8080/v1"_s;
        QTest::newRow("swagger without schemes is https")
            << j("{'swagger':'2.0','host':'api.x.test'}") << QString() << u"https://api.x.test"_s;
        QTest::newRow("swagger without host: spec host")
            << j("{'swagger':'2.0','basePath':'/api'}") << u"http://127.0.0.1:9999/swagger.json"_s
            << u"http://127.0.0.1:9999/api"_s;
        QTest::newRow("swagger without host or spec url")
            << j("{'swagger':'2.0'}") << QString() << QString();
    }
    void baseUrl()
    {
        QFETCH(QByteArray, spec);
        QFETCH(QString, source);
        QFETCH(QString, expected);
        ImportOptions options;
        options.sourceUrl = QUrl(source);
        const auto report = importSpec(spec, options);
        QVERIFY2(report, report ? "" : qPrintable(report.error().toString()));
        QCOMPARE(report->document.upstream.baseUrl, expected);
        if (expected.isEmpty())
            QVERIFY(!report->warnings.filter(u"--base-url"_s).isEmpty());
        options.baseUrlOverride = u"http://127.0.0.1:1/x/"_s;
        QCOMPARE(importSpec(spec, options)->document.upstream.baseUrl, u"http://127.0.0.1:1/x"_s);
    }

    void security_data()
    {
        QTest::addColumn<QByteArray>("spec");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("name");
        QTest::newRow("bearer") << j("{'openapi':'3.0.0','components':{'securitySchemes':{'token':{"
                                     "'type':'http','scheme':'bearer'}}}}")
                                << u"bearer"_s << u"token"_s << QString() << QString();
        QTest::newRow("api key in query")
            << j("{'openapi':'3.0.0','components':{'securitySchemes':{'key':{'type':'apiKey','in':'"
                 "query','name':'api_key'}}}}")
            << u"apiKey"_s << u"key"_s << u"query"_s << u"api_key"_s;
        QTest::newRow("api key in cookie")
            << j("{'openapi':'3.0.0','components':{'securitySchemes':{'c':{'type':'apiKey','in':'"
                 "cookie','name':'sid'}}}}")
            << u"apiKey"_s << u"c"_s << u"cookie"_s << u"sid"_s;
        QTest::newRow("basic") << j("{'openapi':'3.0.0','components':{'securitySchemes':{'b':{'"
                                    "type':'http','scheme':'basic'}}}}")
                               << u"basic"_s << u"b"_s << QString() << QString();
        QTest::newRow("swagger basic")
            << j("{'swagger':'2.0','securityDefinitions':{'b':{'type':'basic'}}}") << u"basic"_s
            << u"b"_s << QString() << QString();
        QTest::newRow("oauth2 client credentials")
            << j("{'openapi':'3.0.0','components':{'securitySchemes':{'o':{'type':'oauth2','flows':"
                 "{'clientCredentials':{'tokenUrl':'https://a.test/token','scopes':{'r':''}}}}}}}")
            << u"oauth2ClientCredentials"_s << u"o"_s << QString() << QString();
        QTest::newRow("swagger oauth2 application")
            << j("{'swagger':'2.0','securityDefinitions':{'o':{'type':'oauth2','flow':'application'"
                 ",'tokenUrl':'https://a.test/t','scopes':{}}}}")
            << u"oauth2ClientCredentials"_s << u"o"_s << QString() << QString();
        QTest::newRow("oauth2 interactive: bearer token")
            << j("{'openapi':'3.0.0','components':{'securitySchemes':{'o':{'type':'oauth2','flows':"
                 "{'implicit':{'authorizationUrl':'https://a.test/a','scopes':{}}}}}}}")
            << u"bearer"_s << u"o"_s << QString() << QString();
        QTest::newRow("top-level requirement wins")
            << j("{'openapi':'3.0.0','security':[{'zz':[]}],'components':{'securitySchemes':{'aa':{"
                 "'type':'http','scheme':'bearer'},'zz':{'type':'apiKey','in':'header','name':'X-"
                 "Key'}}}}")
            << u"apiKey"_s << u"zz"_s << u"header"_s << u"X-Key"_s;
        QTest::newRow("unsupported only") << j("{'openapi':'3.0.0','components':{'securitySchemes':"
                                               "{'d':{'type':'http','scheme':'digest'}}}}")
                                          << u"none"_s << QString() << QString() << QString();
        QTest::newRow("name made safe") << j("{'openapi':'3.0.0','components':{'securitySchemes':{'"
                                             "my key!':{'type':'http','scheme':'bearer'}}}}")
                                        << u"bearer"_s << u"my_key"_s << QString() << QString();
    }
    void security()
    {
        QFETCH(QByteArray, spec);
        QFETCH(QString, kind);
        QFETCH(QString, secret);
        QFETCH(QString, in);
        QFETCH(QString, name);
        const auto report = importSpec(spec, {.baseUrlOverride = u"https://x.test"_s});
        QVERIFY(report);
        const bridge::AuthConfig &auth = report->document.upstream.auth;
        QCOMPARE(auth.kind, kind);
        QCOMPARE(auth.secret, secret);
        QCOMPARE(auth.in, in);
        QCOMPARE(auth.name, name);
        // Only names: nothing in the document looks like a credential.
        QCOMPARE(report->document.secretNames(),
                 secret.isEmpty() ? QStringList() : QStringList{secret});
    }

    void errors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("message");
        QTest::newRow("yaml syntax")
            << u"broken.yaml"_s << u"broken.yaml:8:1"_s << u"not valid YAML"_s;
        QTest::newRow("json syntax")
            << u"broken.json"_s << u"broken.json:4:14"_s << u"not valid JSON"_s;
        QTest::newRow("not a spec")
            << u"not-openapi.json"_s << u"not-openapi.json"_s << u"neither an \"openapi\""_s;
        QTest::newRow("missing file") << u"nope.yaml"_s << u"nope.yaml"_s << u"does not exist"_s;
    }
    void errors()
    {
        QFETCH(QString, file);
        QFETCH(QString, where);
        QFETCH(QString, message);
        const auto report = importFile(fixture(file));
        QVERIFY(!report);
        QVERIFY2(report.error().where.endsWith(where), qPrintable(report.error().toString()));
        QVERIFY2(report.error().message.contains(message), qPrintable(report.error().message));
    }

    void structuralErrors_data()
    {
        QTest::addColumn<QByteArray>("spec");
        QTest::addColumn<QString>("where");
        QTest::newRow("swagger 1.2") << j("{'swagger':'1.2'}") << u"/swagger"_s;
        QTest::newRow("openapi 2") << j("{'openapi':'2.5'}") << u"/openapi"_s;
        QTest::newRow("paths not an object") << j("{'openapi':'3.0.0','paths':[]}") << u"/paths"_s;
        QTest::newRow("array") << QByteArray("[1,2]") << u"the spec"_s;
        QTest::newRow("empty") << QByteArray("  \n") << u"the spec"_s;
        QTest::newRow("yaml scalar") << QByteArray("just text") << u"the spec"_s;
    }
    void structuralErrors()
    {
        QFETCH(QByteArray, spec);
        QFETCH(QString, where);
        const auto report = importSpec(spec);
        QVERIFY(!report);
        QVERIFY2(report.error().where.endsWith(where), qPrintable(report.error().toString()));
    }

    void selection_data()
    {
        QTest::addColumn<ImportOptions>("options");
        QTest::addColumn<QStringList>("tools");
        QTest::newRow("tag") << ImportOptions{.includeTags = {u"STORE"_s}}
                             << QStringList{u"getOrderById"_s, u"placeOrders"_s};
        QTest::newRow("exclude tag") << ImportOptions{.excludeTags = {u"pet"_s}}
                                     << QStringList{u"getOrderById"_s, u"placeOrders"_s};
        QTest::newRow("path glob and method")
            << ImportOptions{.includePaths = {u"/pet/*"_s}, .includeMethods = {u"get"_s}}
            << QStringList{u"findPetsByStatus"_s, u"getPetById"_s};
        QTest::newRow("operation added to tag")
            << ImportOptions{.includeTags = {u"store"_s}, .includeOperationIds = {u"addPet"_s}}
            << QStringList{u"addPet"_s, u"getOrderById"_s, u"placeOrders"_s};
        QTest::newRow("operations only") << ImportOptions{.includeOperationIds = {u"deletePet"_s}}
                                         << QStringList{u"deletePet"_s};
        QTest::newRow("exclude wins")
            << ImportOptions{.includeTags = {u"store"_s}, .excludeOperationIds = {u"placeOrders"_s}}
            << QStringList{u"getOrderById"_s};
        QTest::newRow("exclude path") << ImportOptions{.excludePaths = {u"/pet*"_s}}
                                      << QStringList{u"getOrderById"_s, u"placeOrders"_s};
    }
    void selection()
    {
        QFETCH(ImportOptions, options);
        QFETCH(QStringList, tools);
        const auto report = importFile(fixture(u"petstore-swagger2.json"_s), options);
        QVERIFY(report);
        QStringList names;
        for (const bridge::Tool &t : report->document.tools)
            names.append(t.name);
        names.sort();
        QCOMPARE(names, tools);
        QCOMPARE(report->operationsSelected, tools.size());
        QCOMPARE(report->operationsTotal, 8);
    }

    void unknownTagWarns()
    {
        const auto report
            = importFile(fixture(u"petstore-swagger2.json"_s), {.includeTags = {u"cats"_s}});
        QVERIFY(report);
        QCOMPARE(report->toolsCreated, 0);
        QVERIFY(!report->warnings.filter(u"\"cats\""_s).isEmpty());
    }

    void resources()
    {
        const auto report = importFile(fixture(u"petstore-swagger2.json"_s), {.resources = true});
        QVERIFY(report);
        const bridge::BridgeDocument &doc = report->document;
        // GET with only path parameters -> templates; GET with a query stays a tool.
        QVERIFY(!doc.findTool(u"getPetById"));
        QVERIFY(doc.findTool(u"findPetsByStatus"));
        QCOMPARE(doc.resourceTemplates.size(), 2);
        QCOMPARE(doc.resourceTemplates.first().uriTemplate, u"swagger-petstore://pet/{petId}"_s);
        QCOMPARE(doc.resourceTemplates.first().path, u"/pet/{petId}"_s);
        QCOMPARE(doc.resourceTemplates.first().mimeType, u"application/json"_s);
        QCOMPARE(report->resourcesCreated, 2);
        const auto vars = doc.resourceTemplates.first().match(u"swagger-petstore://pet/42"_s);
        QVERIFY(vars && vars->value(u"petId"_s) == u"42"_s);
        QVERIFY(bridge::validateDocument(doc).isEmpty());
    }

    void sizeWarning()
    {
        // 45 small operations: past the tool threshold; the advice names the biggest tag.
        QByteArray paths;
        for (int i = 0; i < 45; ++i)
            paths += (i ? "," : "")
                     + j("'/p%1':{'get':{'tags':['%2'],'responses':{}}}")
                           .replace("%1", QByteArray::number(i))
                           .replace("%2", i < 30 ? "big" : "small");
        const auto report = importSpec("{\"openapi\":\"3.0.0\",\"paths\":{" + paths + "}}",
                                       {.baseUrlOverride = u"https://x.test"_s});
        QVERIFY(report);
        QCOMPARE(report->toolsCreated, 45);
        const QStringList w = report->warnings.filter(u"45 tools"_s);
        QCOMPARE(w.size(), 1);
        QVERIFY(w.first().contains(u"big (30), small (15)"_s));
        QVERIFY(w.first().contains(u"--include-tag big"_s));
        // The estimate is the tools/list JSON size / 4.
        QJsonArray tools;
        for (const bridge::Tool &t : report->document.tools)
            tools.append(t.toMcp());
        const qint64 chars
            = QJsonDocument(QJsonObject{{u"tools"_s, tools}}).toJson(QJsonDocument::Compact).size();
        QCOMPARE(report->estimatedTokens, (chars + 3) / 4);
        QVERIFY(formatReport(*report).contains(u"tools/list costs about"_s));
    }

    void loaderReadsFiles()
    {
        OpenApiLoader loader;
        QSignalSpy finished(&loader, &OpenApiLoader::finished);
        QSignalSpy progress(&loader, &OpenApiLoader::progress);
        loader.start(fixture(u"petstore-swagger2.json"_s));
        QVERIFY(loader.isRunning());
        QVERIFY(finished.wait(10000));
        QVERIFY(!loader.isRunning());
        QVERIFY(loader.result() && loader.result()->has_value());
        QCOMPARE((*loader.result())->toolsCreated, 8);
        QVERIFY(progress.size() >= 1);

        loader.start(fixture(u"broken.yaml"_s));
        QVERIFY(finished.wait(10000));
        QVERIFY(loader.result() && !loader.result()->has_value());
        QVERIFY(loader.result()->error().where.contains(u"broken.yaml:8"_s));
    }
};

QTEST_GUILESS_MAIN(TestOpenApiImporter)
#include "tst_openapiimporter.moc"
