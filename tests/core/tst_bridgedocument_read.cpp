// Reading a bridge document (helpers in bridgedocumentfixture.h): every problem reported with
// where it is (validation rules, JSON syntax errors with line and column), how a problem reads
// as text, and a missing file.

#include "tests/core/bridgedocumentfixture.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge::bridge;
using namespace mcpbridge::tests::documentfixture;

class TestBridgeDocumentRead : public QObject
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
        row("header parameter Host", "/tools/0/parameters/1",
            "{\"name\":\"host\",\"in\":\"header\"}", true, "/tools/0/parameters/1/name",
            "a header the bridge sets itself");
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
};

QTEST_GUILESS_MAIN(TestBridgeDocumentRead)
#include "tst_bridgedocument_read.moc"
