// The bridge document: model helpers (input schema, MCP shapes, template matching), reading with
// every problem reported, validation rules, canonical writing and atomic saving.

#include "core/bridge/bridgedocument.h"
#include "core/bridge/documentio.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace mcpbridge::bridge;

Q_DECLARE_METATYPE(mcpbridge::bridge::Parameter)

namespace {

QString sourceDir()
{
    // Set by ctest (mcpbridge_add_test); the fallback serves a run from the build folder.
    const QString dir = qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR");
    return dir.isEmpty() ? u"../../.."_s : dir;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QByteArray validText()
{
    return readFile(sourceDir() + u"/tests/fixtures/documents/valid.mcpbridge.json"_s);
}

// Sets (or, with an undefined value, removes) the member at a JSON pointer of plain tokens.
QJsonValue setAt(const QJsonValue &node, QStringList tokens, const QJsonValue &value)
{
    if (tokens.isEmpty())
        return value;
    const QString head = tokens.takeFirst();
    if (node.isArray()) {
        QJsonArray a = node.toArray();
        const int i = head.toInt();
        if (tokens.isEmpty() && value.isUndefined())
            a.removeAt(i);
        else
            a[i] = setAt(a.at(i), tokens, value);
        return a;
    }
    QJsonObject o = node.toObject();
    if (tokens.isEmpty() && value.isUndefined())
        o.remove(head);
    else
        o.insert(head, setAt(o.value(head), tokens, value));
    return o;
}

QByteArray patched(const QString &pointer, const QByteArray &valueJson)
{
    const QJsonObject base = QJsonDocument::fromJson(validText()).object();
    QJsonValue value(QJsonValue::Undefined);
    if (valueJson != "<remove>")
        value = QJsonDocument::fromJson("[" + valueJson + "]").array().at(0);
    const QJsonValue result = setAt(base, pointer.mid(1).split(u'/'), value);
    return QJsonDocument(result.toObject()).toJson();
}

QString describe(const QList<Problem> &problems)
{
    QStringList lines;
    for (const Problem &p : problems)
        lines.append(p.toString());
    return lines.join(u'\n');
}

BridgeDocument richDocument()
{
    BridgeDocument d;
    d.server = {u"rich"_s, u"Rich – “Ünïcode” title"_s, u"2.3.4"_s, u"Line one.\nLine \"two\"."_s};
    d.upstream.baseUrl = u"https://api.example.com/v1"_s;
    d.upstream.headers = {{u"X-One"_s, u"1"_s}, {u"X-Token"_s, u"${secret:tok}"_s}};
    d.upstream.timeoutMs = 1234;
    d.upstream.auth = {u"oauth2ClientCredentials"_s,
                       u"client_secret"_s,
                       QString(),
                       QString(),
                       QString(),
                       u"https://auth.example.com/token"_s,
                       u"client-1"_s,
                       {u"read"_s, u"write"_s}};
    d.upstream.connectTimeoutMs = 5000;
    d.upstream.tls = {u"ca.pem"_s, u"client.pem"_s, u"client.key"_s, u"key_pass"_s, false};
    d.upstream.retry = {5, 100, 2000};
    d.upstream.maxConcurrent = 4;
    d.upstream.rateLimit = {2.5, 3};
    Tool t;
    t.name = u"update_thing"_s;
    t.title = u"Update a thing"_s;
    t.description = u"Updates a thing."_s;
    t.method = u"PATCH"_s;
    t.path = u"/things/{thing_id}"_s;
    t.parameters = {
        {u"thing_id"_s, u"path"_s, QString(), true, u"Which thing."_s, {{u"type"_s, u"string"_s}}},
        {u"label"_s,
         u"body"_s,
         u"labelText"_s,
         false,
         QString(),
         {{u"type"_s, u"string"_s}, {u"maxLength"_s, 40}, {u"examples"_s, QJsonArray{u"a"_s}}}},
        {u"trace"_s, u"header"_s, u"X-Trace"_s, false, u"Trace id."_s, {}},
    };
    t.outputSchema
        = {{u"type"_s, u"object"_s},
           {u"properties"_s, QJsonObject{{u"ok"_s, QJsonObject{{u"type"_s, u"boolean"_s}}}}}};
    t.annotations = {u"Update"_s, false, true, true, false};
    t.response = {2048, u"resource"_s, u"things://last"_s, {u"/id"_s, u"/label"_s}, 10};
    t.confirmDestructive = true;
    t.timeoutMs = 1500;
    t.connectTimeoutMs = 700;
    t.idempotencyKey = true;
    t.bodyMediaType = u"application/x-www-form-urlencoded"_s;
    d.tools.append(t);

    Tool upload;
    upload.name = u"upload_note"_s;
    upload.description = u"Uploads a note as plain text."_s;
    upload.method = u"POST"_s;
    upload.path = u"/notes"_s;
    upload.bodyMediaType = u"text/plain"_s;
    Parameter content{u"content"_s, u"body"_s, QString(),
                      true,         QString(), {{u"type"_s, u"string"_s}}};
    content.wholeBody = true;
    upload.parameters = {content};
    d.tools.append(upload);

    Tool explicitSchema;
    explicitSchema.name = u"search"_s;
    explicitSchema.description = u"Searches."_s;
    explicitSchema.path = u"/search"_s;
    explicitSchema.parameters = {{u"q"_s, u"query"_s, QString(), false, QString(), {}}};
    explicitSchema.inputSchema
        = {{u"$schema"_s, u"https://json-schema.org/draft/2020-12/schema"_s},
           {u"type"_s, u"object"_s},
           {u"properties"_s, QJsonObject{{u"q"_s, QJsonObject{{u"type"_s, u"string"_s}}}}},
           {u"additionalProperties"_s, false}};
    d.tools.append(explicitSchema);

    d.resources.append({u"things://all"_s, u"all"_s, u"All things"_s, u"Every thing."_s,
                        u"application/json"_s, u"/things"_s});
    d.resourceTemplates.append({u"things://{thing_id}"_s,
                                u"thing"_s,
                                u"A thing"_s,
                                u"One."_s,
                                u"application/json"_s,
                                u"/things/{thing_id}"_s,
                                {{u"thing_id"_s, {u"1"_s, u"2"_s}}}});
    Prompt p;
    p.name = u"review"_s;
    p.title = u"Review"_s;
    p.description = u"Reviews a thing."_s;
    p.arguments = {{u"thing_id"_s, u"Thing"_s, u"Which one."_s, true, {u"1"_s, u"2"_s}},
                   {u"tone"_s, QString(), QString(), false, {}}};
    p.messages = {{u"user"_s, u"text"_s, u"Review {thing_id} in a {tone} tone."_s, QString()},
                  {u"assistant"_s, u"resource"_s, QString(), u"things://{thing_id}"_s},
                  {u"user"_s, u"image"_s, QString(), u"things://all"_s}};
    d.prompts.append(p);
    return d;
}

} // namespace

class TestBridgeDocument : public QObject
{
    Q_OBJECT

private slots:
    void validFixtureHasNoProblems()
    {
        const LoadReport report = parseDocument(validText(), u"valid.json"_s);
        QVERIFY2(report.problems.isEmpty(), qPrintable(describe(report.problems)));
        QVERIFY(report.document);
        QCOMPARE(report.document->tools.size(), 2);
        QCOMPARE(report.document->tools.at(0).parameters.at(0).apiName(), u"q"_s);
    }

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

    void problems_data()
    {
        QTest::addColumn<QString>("setPointer");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("isError");
        QTest::addColumn<QString>("expectedPointer");
        QTest::addColumn<QString>("expectedText");

        auto row = [](const char *name, const char *at, const char *value, bool error,
                      const char *pointer, const char *text) {
            QTest::newRow(name) << QString::fromUtf8(at) << QByteArray(value) << error
                                << QString::fromUtf8(pointer) << QString::fromUtf8(text);
        };
        // types and structure
        row("method is a number", "/tools/0/method", "5", true, "/tools/0/method",
            "expected a string, found a number");
        row("required is a string", "/tools/0/parameters/0/required", "\"yes\"", true,
            "/tools/0/parameters/0/required", "expected true or false, found a string");
        row("tools is an object", "/tools", "{}", true, "/tools",
            "expected an array, found an object");
        row("tool is a number", "/tools/1", "5", true, "/tools/1",
            "expected an object, found a number");
        row("timeout is fractional", "/upstream/timeoutMs", "2.5", true, "/upstream/timeoutMs",
            "whole number");
        row("unknown tool member", "/tools/0/colour", "\"red\"", false, "/tools/0/colour",
            "unknown member, ignored");
        row("unknown top member", "/extra", "1", false, "/extra", "unknown member, ignored");
        row("format missing", "/format", "<remove>", true, "/format", "missing");
        row("format newer", "/format", "2", true, "/format", "newer McpBridge");
        row("format is text", "/format", "\"1\"", true, "/format",
            "expected a whole number, found a string");
        // server and upstream
        row("server name missing", "/server/name", "<remove>", true, "/server/name", "missing");
        row("server name with space", "/server/name", "\"my notes\"", true, "/server/name",
            "only use letters");
        row("baseUrl missing", "/upstream/baseUrl", "<remove>", true, "/upstream/baseUrl",
            "missing");
        row("baseUrl relative", "/upstream/baseUrl", "\"/api\"", true, "/upstream/baseUrl",
            "http:// or https://");
        row("baseUrl ftp", "/upstream/baseUrl", "\"ftp://files.example.com\"", true,
            "/upstream/baseUrl", "not ftp://");
        row("baseUrl without host", "/upstream/baseUrl", "\"http:///x\"", true, "/upstream/baseUrl",
            "host");
        row("auth kind unknown", "/upstream/auth/kind", "\"magic\"", true, "/upstream/auth/kind",
            "not a known kind");
        row("bearer without secret", "/upstream/auth/secret", "<remove>", true,
            "/upstream/auth/secret", "missing");
        row("apiKey without name", "/upstream/auth",
            R"({"kind":"apiKey","secret":"k","in":"header"})", true, "/upstream/auth/name",
            "missing");
        row("apiKey in body", "/upstream/auth",
            R"({"kind":"apiKey","secret":"k","in":"body","name":"K"})", true, "/upstream/auth/in",
            "not a place");
        row("basic without username", "/upstream/auth", R"({"kind":"basic","secret":"pw"})", true,
            "/upstream/auth/username", "missing");
        row("oauth2 bad token url", "/upstream/auth",
            R"({"kind":"oauth2ClientCredentials","secret":"s","clientId":"c","tokenUrl":"token"})",
            true, "/upstream/auth/tokenUrl", "http:// or https://");
        row("secret is a bearer value", "/upstream/auth/secret", "\"Bearer abc\"", false,
            "/upstream/auth/secret", "looks like the secret itself");
        row("secret is random", "/upstream/auth/secret", "\"a8F3kLm92QzXv7TpR4sW1yB6\"", false,
            "/upstream/auth/secret", "looks like the secret itself");
        row("header with literal token", "/upstream/headers/Authorization",
            "\"Bearer 9f8e7d6c5b4a\"", false, "/upstream/headers/Authorization",
            "looks like a real credential");
        row("header with bad secret ref", "/upstream/headers/X-Key", "\"${secret:two words}\"",
            true, "/upstream/headers/X-Key", "does not name a secret");
        // tools
        row("tool name with space", "/tools/0/name", "\"search notes\"", true, "/tools/0/name",
            "not a valid tool name");
        row("tool name too long", "/tools/0/name",
            "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", true,
            "/tools/0/name", "1 to 64");
        row("tool name duplicate", "/tools/1/name", "\"search_notes\"", true, "/tools/1/name",
            "used by another tool");
        row("method unknown", "/tools/0/method", "\"FETCH\"", true, "/tools/0/method",
            "not an HTTP method");
        row("method lower case", "/tools/0/method", "\"get\"", true, "/tools/0/method", "capitals");
        row("path without slash", "/tools/0/path", "\"notes\"", true, "/tools/0/path",
            "must start with \"/\"");
        row("path variable without parameter", "/tools/1/path", "\"/notes/{id}/{rev}\"", true,
            "/tools/1/path", "{rev} in the path has no parameter");
        row("path parameter not in path", "/tools/1/path", "\"/notes\"", true,
            "/tools/1/parameters/0/in", "has no {id}");
        row("path parameter optional", "/tools/1/parameters/0/required", "false", true,
            "/tools/1/parameters/0/required", "must be required");
        row("parameter in cookie", "/tools/0/parameters/1/in", "\"cookie\"", true,
            "/tools/0/parameters/1/in", "not a place for a parameter");
        row("parameter in missing", "/tools/0/parameters/1/in", "<remove>", true,
            "/tools/0/parameters/1/in", "missing");
        row("parameter names clash", "/tools/0/parameters/1/name", "\"query\"", true,
            "/tools/0/parameters/1/name", "used by another parameter");
        row("parameter schema broken", "/tools/0/parameters/0/schema", R"({"type": 5})", true,
            "/tools/0/parameters/0/schema", "not a usable JSON Schema");
        row("inputSchema not an object schema", "/tools/0/inputSchema", R"({"type": "array"})",
            true, "/tools/0/inputSchema", "object schema");
        row("inputSchema broken", "/tools/0/inputSchema", R"({"type": "object", "properties": 3})",
            true, "/tools/0/inputSchema", "not a usable JSON Schema");
        row("outputSchema broken", "/tools/0/outputSchema", R"({"type": 5})", true,
            "/tools/0/outputSchema", "not a usable JSON Schema");
        row("tool without description", "/tools/0/description", "<remove>", false,
            "/tools/0/description", "no description");
        row("whole body outside the body", "/tools/0/parameters/0/wholeBody", "true", true,
            "/tools/0/parameters/0/wholeBody", "only a parameter with \"in\": \"body\"");
        row("body media type unknown", "/tools/0/bodyMediaType", "\"application/xml\"", true,
            "/tools/0/bodyMediaType", "not supported");
        row("text body without whole-body parameter", "/tools/0/bodyMediaType", "\"text/plain\"",
            true, "/tools/0/bodyMediaType", "wholeBody");
        row("retry attempts zero", "/upstream/retry", R"({"maxAttempts": 0})", true,
            "/upstream/retry/maxAttempts", "found 0");
        row("rate burst zero", "/upstream/rateLimit", R"({"requestsPerSecond": 1, "burst": 0})",
            true, "/upstream/rateLimit/burst", "at least 1");
        row("tls verification off", "/upstream/tls", R"({"insecureSkipVerify": true})", false,
            "/upstream/tls/insecureSkipVerify", "not checked");
        row("tls key without certificate", "/upstream/tls", R"({"clientKey": "k.pem"})", true,
            "/upstream/tls/clientCertificate", "missing");
        row("response as unknown", "/tools/0/response", R"({"as": "pdf"})", true,
            "/tools/0/response/as", "not known");
        // resources and templates
        row("resource uri duplicate", "/resources/1/uri", "\"notes://recent\"", true,
            "/resources/1/uri", "used by another resource");
        row("resource uri not a uri", "/resources/0/uri", "\"just words\"", true,
            "/resources/0/uri", "not a URI");
        row("resource path without slash", "/resources/0/path", "\"notes\"", true,
            "/resources/0/path", "must start with \"/\"");
        row("template variables differ", "/resourceTemplates/0/path", "\"/notes/{note_id}\"", true,
            "/resourceTemplates/0/path", "must be the same");
        row("template brace open", "/resourceTemplates/0/uriTemplate", "\"note://{id\"", true,
            "/resourceTemplates/0/uriTemplate", "without a matching");
        row("completion of unknown variable", "/resourceTemplates/0/completions/rev", "[\"1\"]",
            false, "/resourceTemplates/0/completions/rev", "never offered");
        // prompts
        row("prompt name duplicate", "/prompts/1/name", "\"summarize\"", true, "/prompts/1/name",
            "used by another prompt");
        row("placeholder undeclared", "/prompts/0/messages/0/text", "\"About {subject}\"", true,
            "/prompts/0/messages/0/text", "{subject} is not an argument");
        row("message type unknown", "/prompts/0/messages/0/type", "\"video\"", true,
            "/prompts/0/messages/0/type", "not a message type");
        row("text message without text", "/prompts/0/messages/0/text", "<remove>", true,
            "/prompts/0/messages/0/text", "missing");
        row("resource message without uri", "/prompts/0/messages/1/uri", "<remove>", true,
            "/prompts/0/messages/1/uri", "missing");
        row("role unknown", "/prompts/0/messages/0/role", "\"system\"", true,
            "/prompts/0/messages/0/role", "not a role");
    }

    void problems()
    {
        QFETCH(QString, setPointer);
        QFETCH(QByteArray, value);
        QFETCH(bool, isError);
        QFETCH(QString, expectedPointer);
        QFETCH(QString, expectedText);

        const LoadReport report = parseDocument(patched(setPointer, value), u"doc.json"_s);
        const auto severity = isError ? Problem::Severity::Error : Problem::Severity::Warning;
        bool found = false;
        for (const Problem &p : report.problems) {
            found = found
                    || (p.severity == severity && p.pointer == expectedPointer
                        && p.message.contains(expectedText) && p.file == u"doc.json");
        }
        QVERIFY2(found, qPrintable(u"wanted %1 at %2 containing '%3'; got:\n%4"_s.arg(
                            isError ? u"error"_s : u"warning"_s, expectedPointer, expectedText,
                            describe(report.problems))));
        QCOMPARE(report.hasErrors(), isError);
    }

    void collectsEveryProblem()
    {
        const QByteArray text = readFile(
            sourceDir() + u"/tests/fixtures/documents/broken-semantics.mcpbridge.json"_s);
        const LoadReport report = parseDocument(text, u"b.json"_s);
        QStringList pointers;
        for (const Problem &p : report.problems)
            pointers.append(p.pointer);
        for (const char *expected :
             {"/server/name", "/upstream/baseUrl", "/upstream/headers/Authorization",
              "/tools/0/method", "/tools/0/path", "/tools/0/colour", "/tools/0/description"})
            QVERIFY2(pointers.contains(QString::fromUtf8(expected)),
                     qPrintable(describe(report.problems)));
        QVERIFY(report.document); // still usable for an editor to show and fix
    }

    void syntaxErrors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("expectedText");

        QTest::newRow("missing comma") << QByteArray("{\n  \"format\": 1\n  \"server\": {}\n}\n")
                                       << 3 << 3 << u"\",\" is missing"_s;
        QTest::newRow("trailing comma") << QByteArray("{\n  \"format\": 1,\n}\n") << 2 << 14
                                        << u"no comma after the last item"_s;
        QTest::newRow("unclosed string")
            << QByteArray("{\n  \"format\": 1,\n  \"server\": {\"name\": \"x}\n}\n") << 3 << 22
            << u"string is not closed"_s;
        QTest::newRow("text after the end")
            << QByteArray("{\"format\": 1}\n}") << 2 << 1 << u"more text after the end"_s;
        QTest::newRow("trailing comma in array")
            << QByteArray("{\"a\": [1, 2,\n]}") << 1 << 12 << u"remove this comma"_s;
        QTest::newRow("missing colon")
            << QByteArray("{\"format\" 1}") << 1 << 11 << u"\":\" is missing"_s;
        QTest::newRow("single quoted value")
            << QByteArray("{\"a\": 'x'}") << 1 << 7 << u"not single quotes"_s;
        QTest::newRow("single quotes")
            << QByteArray("{\n'format': 1}") << 2 << 1 << u"not single quotes"_s;
    }

    void syntaxErrors()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, expectedText);

        const LoadReport report = parseDocument(text, u"bad.json"_s);
        QVERIFY(!report.document);
        QCOMPARE(report.problems.size(), 1);
        const Problem &p = report.problems.first();
        QCOMPARE(p.severity, Problem::Severity::Error);
        QVERIFY2(p.message.contains(expectedText), qPrintable(p.message));
        QCOMPARE(p.line, line);
        QCOMPARE(p.column, column);
        QVERIFY(p.toString().startsWith(u"bad.json:%1:%2: error: "_s.arg(line).arg(column)));
    }

    void notADocument_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expectedText");
        QTest::newRow("empty") << QByteArray("  \n") << u"empty"_s;
        QTest::newRow("array") << QByteArray("[1, 2]") << u"must be a JSON object"_s;
        QTest::newRow("newer format") << QByteArray(R"({"format": 9, "server": {"name": "x"}})")
                                      << u"McpBridge 0.1.0, which reads format 1"_s;
    }

    void notADocument()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expectedText);
        const LoadReport report = parseDocument(text, u"x.json"_s);
        QVERIFY(!report.document);
        QVERIFY(report.hasErrors());
        QVERIFY2(report.problems.first().message.contains(expectedText),
                 qPrintable(describe(report.problems)));
    }

    void problemToString_data()
    {
        QTest::addColumn<int>("severity");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("expected");
        QTest::newRow("syntax") << 0 << u"a.json"_s << QString() << 4 << u"a.json:4:7: error: m"_s;
        QTest::newRow("pointer") << 0 << u"a.json"_s << u"/tools/2/name"_s << 0
                                 << u"a.json: error at /tools/2/name: m"_s;
        QTest::newRow("warning") << 1 << u"a.json"_s << u"/x"_s << 0
                                 << u"a.json: warning at /x: m"_s;
        QTest::newRow("no pointer") << 0 << u"a.json"_s << QString() << 0 << u"a.json: error: m"_s;
        QTest::newRow("no file") << 1 << QString() << u"/x"_s << 0 << u"warning at /x: m"_s;
    }

    void problemToString()
    {
        QFETCH(int, severity);
        QFETCH(QString, file);
        QFETCH(QString, pointer);
        QFETCH(int, line);
        QFETCH(QString, expected);
        const Problem p{severity == 0 ? Problem::Severity::Error : Problem::Severity::Warning,
                        file,
                        pointer,
                        line,
                        line ? 7 : 0,
                        u"m"_s};
        QCOMPARE(p.toString(), expected);
    }

    void loadMissingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"nope.mcpbridge.json"_s);
        const LoadReport report = loadDocument(path);
        QVERIFY(!report.document);
        QCOMPARE(report.problems.size(), 1);
        QVERIFY(report.problems.first().toString().contains(u"does not exist"_s));
        QVERIFY(report.problems.first().toString().startsWith(path));
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

QTEST_GUILESS_MAIN(TestBridgeDocument)
#include "tst_bridgedocument.moc"
