// The importer against real specs: every document of the pinned npm package @readme/oas-examples
// (Swagger 2.0, OpenAPI 3.0 and 3.1, JSON and YAML) imports or fails with a clear message, and
// what it imports passes the bridge checks; GitHub's REST description (@octokit/openapi, ~1,000
// operations) imports with unique valid names. Packages come from tests/node_modules.

#include "core/bridge/documentio.h"
#include "core/openapi/openapiimporter.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge;
using namespace mcpbridge::openapi;

namespace {

QString nodeModules()
{
    return qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR",
                                QStringLiteral(MCPBRIDGE_SOURCE_DIR_FALLBACK))
           + u"/tests/node_modules"_s;
}

QList<bridge::Problem> errorsOf(const bridge::BridgeDocument &doc)
{
    QList<bridge::Problem> errors;
    for (const bridge::Problem &p : bridge::validateDocument(doc))
        if (p.severity == bridge::Problem::Severity::Error)
            errors.append(p);
    return errors;
}

} // namespace

class TestOpenApiCorpus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oasExamples_data()
    {
        QTest::addColumn<QString>("file");
        const QString root = nodeModules() + u"/@readme/oas-examples"_s;
        if (!QFileInfo::exists(root + u"/package.json"_s))
            QSKIP("tests/node_modules/@readme/oas-examples is missing: run `npm ci` in tests/ "
                  "(scripts/test does)");
        QStringList files;
        for (const QString &version : {u"2.0"_s, u"3.0"_s, u"3.1"_s}) {
            QDirIterator it(root + u'/' + version, {u"*.json"_s, u"*.yaml"_s, u"*.yml"_s},
                            QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                files.append(it.next());
        }
        files.sort();
        QVERIFY2(files.size() > 100, "the package should hold more than 100 specs");
        for (const QString &f : files)
            QTest::newRow(qPrintable(f.mid(root.size() + 1))) << f;
    }
    void oasExamples()
    {
        QFETCH(QString, file);
        QElapsedTimer timer;
        timer.start();
        Result<ImportReport> report = importFile(file);
        // A bound on time per document (no hang): even the biggest example is far below it.
        QVERIFY2(timer.elapsed() < 10000, qPrintable(u"took %1 ms"_s.arg(timer.elapsed())));
        if (!report) {
            // Failing is allowed, but only with a message that names the problem and where.
            QVERIFY(!report.error().message.isEmpty());
            QVERIFY(!report.error().where.isEmpty());
            return;
        }
        QCOMPARE(report->toolsCreated, report->document.tools.size());
        QVERIFY(report->toolsCreated + report->count(ImportNote::Severity::Skipped)
                >= report->operationsSelected);
        for (const ImportNote &n : report->notes)
            QVERIFY2(!n.message.isEmpty(), qPrintable(n.toString()));

        // What the spec alone cannot say (its address, a user name) is asked for in a warning;
        // given that, the bridge passes the checks with no errors.
        ImportOptions options;
        const bool needsBase = report->document.upstream.baseUrl.isEmpty();
        if (needsBase) {
            QVERIFY(!report->warnings.filter(u"--base-url"_s).isEmpty());
            options.baseUrlOverride = u"https://api.example.com"_s;
        }
        if (report->document.upstream.auth.kind == u"basic") {
            QVERIFY(!report->warnings.filter(u"--username"_s).isEmpty());
            options.authUsername = u"someone"_s;
        }
        if (report->document.upstream.auth.kind == u"oauth2ClientCredentials") {
            QVERIFY(!report->warnings.filter(u"--client-id"_s).isEmpty());
            options.authClientId = u"client"_s;
        }
        report = importFile(file, options);
        QVERIFY(report);
        const QList<bridge::Problem> errors = errorsOf(report->document);
        for (const bridge::Problem &p : errors)
            qWarning().noquote() << p.toString();
        QCOMPARE(errors.size(), 0);

        // And once more with resources on: templates must be valid too.
        options.resources = true;
        report = importFile(file, options);
        QVERIFY(report);
        QCOMPARE(errorsOf(report->document).size(), 0);
    }

    void github()
    {
        QDir dir(nodeModules() + u"/@octokit/openapi/generated"_s);
        const QString file = dir.filePath(u"api.github.com.json"_s);
        if (!QFileInfo::exists(file))
            QSKIP("tests/node_modules/@octokit/openapi is missing: run `npm ci` in tests/");
        const Result<ImportReport> report = importFile(file);
        QVERIFY2(report, report ? "" : qPrintable(report.error().toString()));
        QVERIFY2(report->toolsCreated > 900, qPrintable(QString::number(report->toolsCreated)));
        QCOMPARE(report->document.upstream.baseUrl, u"https://api.github.com"_s);

        static const QRegularExpression valid(u"^[A-Za-z0-9_-]{1,64}$"_s);
        QSet<QString> names;
        for (const bridge::Tool &t : report->document.tools) {
            QVERIFY2(valid.match(t.name).hasMatch(), qPrintable(t.name));
            QVERIFY2(!names.contains(t.name.toLower()), qPrintable(t.name));
            names.insert(t.name.toLower());
            QVERIFY(!t.description.isEmpty());
            QVERIFY(t.description.size() <= 1000);
        }
        // Path and query parameters survive: a known operation keeps all of them.
        const bridge::Tool *listIssues = report->document.findTool(u"issues_list-for-repo");
        QVERIFY(listIssues);
        QCOMPARE(listIssues->path, u"/repos/{owner}/{repo}/issues"_s);
        QVERIFY(listIssues->findParameter(u"owner")
                && listIssues->findParameter(u"owner")->in == u"path");
        QVERIFY(listIssues->findParameter(u"state")
                && listIssues->findParameter(u"state")->in == u"query");
        QVERIFY(listIssues->annotations.readOnlyHint.value_or(false));

        // Such a big spec is flagged, naming its biggest tags.
        QVERIFY(report->estimatedTokens > TokenWarning);
        QVERIFY(!report->warnings.filter(u"--include-tag repos"_s).isEmpty());
        QCOMPARE(errorsOf(report->document).size(), 0);

        // Determinism: the same spec gives the same document.
        const Result<ImportReport> again = importFile(file);
        QVERIFY(again);
        QCOMPARE(bridge::serializeDocument(again->document),
                 bridge::serializeDocument(report->document));

        // Selecting by tag gives a small bridge without a size warning.
        ImportOptions options;
        options.includeTags = {u"gitignore"_s};
        const Result<ImportReport> small = importFile(file, options);
        QVERIFY(small);
        QVERIFY(small->toolsCreated > 0 && small->toolsCreated < 10);
        QVERIFY(small->warnings.filter(u"tokens"_s).isEmpty());
        for (const bridge::Tool &t : small->document.tools)
            QVERIFY(report->document.findTool(t.name)); // names do not depend on the selection
    }
};

QTEST_GUILESS_MAIN(TestOpenApiCorpus)
#include "tst_openapicorpus.moc"
