// `mcpbridge import SPEC -o OUT.mcpbridge.json`: makes a bridge document from an OpenAPI 3.x or
// Swagger 2.0 spec (file or URL), prints what it cost (tools, tokens per turn) and everything
// skipped or degraded. Exit 2 when the spec cannot be imported or the result would not pass
// `mcpbridge check`; nothing is written then.

#include "core/bridge/documentio.h"
#include "core/cli/commands.h"
#include "core/openapi/openapiimporter.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFileInfo>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace mcpbridge::cli {

namespace {

QStringList splitValues(const QStringList &values)
{
    // Both "--method GET --method POST" and "--method GET,POST" work.
    QStringList out;
    for (const QString &v : values)
        for (const QString &part : v.split(u',', Qt::SkipEmptyParts))
            out.append(part.trimmed());
    return out;
}

Result<openapi::ImportReport> load(const QString &spec, const openapi::ImportOptions &options)
{
    if (!spec.startsWith(u"http://"_s, Qt::CaseInsensitive)
        && !spec.startsWith(u"https://"_s, Qt::CaseInsensitive))
        return openapi::importFile(QUrl(spec).isLocalFile() ? QUrl(spec).toLocalFile() : spec,
                                   options);
    openapi::OpenApiLoader loader;
    QEventLoop loop;
    QObject::connect(&loader, &openapi::OpenApiLoader::finished, &loop, &QEventLoop::quit);
    loader.start(spec, options);
    if (loader.isRunning())
        loop.exec();
    if (!loader.result())
        return fail(u"The download did not finish."_s, spec);
    return *loader.result();
}

} // namespace

int runImport(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Makes a bridge document from an OpenAPI 3.0/3.1 or Swagger 2.0 spec (JSON or YAML, a "
        "file or an http(s) URL): one tool per operation, with every path, query, header and "
        "body parameter as an argument. Prints the number of tools and what their list costs a "
        "model per turn, and every operation skipped or degraded.\n"
        "Filters: include options of different kinds must all match (--include-tag issues "
        "--method GET keeps the GET operations tagged issues); --operation adds single "
        "operations; exclude options always win.\n"
        "Exit status: 0 on success, 2 when the spec cannot be imported or the result has "
        "errors (nothing is written then), 1 when the file cannot be written."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption output({u"o"_s, u"output"_s},
                                    u"Write the bridge document here (e.g. api.mcpbridge.json)."_s,
                                    u"OUT"_s);
    const QCommandLineOption force(u"force"_s, u"Replace OUT if it exists."_s);
    const QCommandLineOption baseUrl(
        u"base-url"_s, u"The API's address, instead of the spec's servers/host."_s, u"URL"_s);
    const QCommandLineOption includeTag(u"include-tag"_s, u"Keep operations with this tag."_s,
                                        u"TAG"_s);
    const QCommandLineOption excludeTag(u"exclude-tag"_s, u"Leave out operations with this tag."_s,
                                        u"TAG"_s);
    const QCommandLineOption includePath(u"include-path"_s,
                                         u"Keep paths matching this glob (\"*\" matches anything, "
                                         "e.g. \"/pets*\")."_s,
                                         u"GLOB"_s);
    const QCommandLineOption excludePath(u"exclude-path"_s,
                                         u"Leave out paths matching this glob."_s, u"GLOB"_s);
    const QCommandLineOption method(u"method"_s, u"Keep operations with this HTTP method."_s,
                                    u"M"_s);
    const QCommandLineOption operation(
        u"operation"_s, u"Keep this operation (operationId or tool name)."_s, u"ID"_s);
    const QCommandLineOption excludeOperation(
        u"exclude-operation"_s, u"Leave out this operation (operationId or tool name)."_s, u"ID"_s);
    const QCommandLineOption resources(u"resources"_s,
                                       u"Make GET operations whose only parameters are path "
                                       "parameters resources instead of tools."_s);
    const QCommandLineOption username(u"username"_s, u"The user name for basic authentication."_s,
                                      u"NAME"_s);
    const QCommandLineOption clientId(u"client-id"_s,
                                      u"The client id for OAuth2 client credentials."_s, u"ID"_s);
    parser.addOptions({help, output, force, baseUrl, includeTag, excludeTag, includePath,
                       excludePath, method, operation, excludeOperation, resources, username,
                       clientId});
    parser.addPositionalArgument(u"SPEC"_s, u"The OpenAPI or Swagger document: a file or URL."_s);

    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!parser.parse(args.mid(1))) {
        err << "mcpbridge import: " << parser.errorText() << "\nRun 'mcpbridge import --help'.\n";
        return ExitProblems;
    }
    if (parser.isSet(help)) {
        const QString text = parser.helpText();
        out << "Usage: mcpbridge import SPEC -o OUT.mcpbridge.json [options]\n"
            << text.mid(text.indexOf(u'\n') + 1);
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        err << (positional.isEmpty()
                    ? u"mcpbridge import: name the spec to import, e.g. 'mcpbridge import "
                      "openapi.yaml -o api.mcpbridge.json'.\n"_s
                    : u"mcpbridge import: give one spec at a time ('%1' is one too many).\n"_s.arg(
                        positional.at(1)));
        return ExitProblems;
    }
    const QString outPath = parser.value(output);
    if (!outPath.isEmpty() && QFileInfo::exists(outPath) && !parser.isSet(force)) {
        err << "mcpbridge import: " << outPath
            << " already exists; add --force to replace it, or choose another name with -o.\n";
        return ExitProblems;
    }

    openapi::ImportOptions options;
    options.baseUrlOverride = parser.value(baseUrl);
    options.includeTags = splitValues(parser.values(includeTag));
    options.excludeTags = splitValues(parser.values(excludeTag));
    options.includePaths = parser.values(includePath);
    options.excludePaths = parser.values(excludePath);
    options.includeMethods = splitValues(parser.values(method));
    options.includeOperationIds = splitValues(parser.values(operation));
    options.excludeOperationIds = splitValues(parser.values(excludeOperation));
    options.resources = parser.isSet(resources);
    options.authUsername = parser.value(username);
    options.authClientId = parser.value(clientId);

    const Result<openapi::ImportReport> report = load(positional.first(), options);
    if (!report) {
        err << "mcpbridge import: " << report.error().toString() << '\n';
        return ExitProblems;
    }
    out << openapi::formatReport(*report);

    const QList<bridge::Problem> problems = bridge::validateDocument(report->document, outPath);
    bool errors = false;
    for (const bridge::Problem &p : problems) {
        if (p.severity != bridge::Problem::Severity::Error)
            continue;
        if (!errors)
            out << "\nThe bridge would not work as imported:\n";
        errors = true;
        out << "  - " << p.toString() << '\n';
    }
    if (errors) {
        out << "Nothing was written. Fix the problems above with the options shown in the "
               "warnings (e.g. --base-url), then import again.\n";
        out.flush();
        return ExitProblems;
    }
    if (outPath.isEmpty()) {
        out << "\nNothing was written: give -o OUT.mcpbridge.json to save the bridge.\n";
        out.flush();
        return ExitOk;
    }
    if (const Result<void> saved = bridge::saveDocument(report->document, outPath); !saved) {
        out.flush();
        err << "mcpbridge import: " << saved.error().toString() << '\n';
        return ExitFailure;
    }
    out << "\nWrote " << outPath << ".\n";
    const QStringList secrets = report->document.secretNames();
    if (!secrets.isEmpty())
        out << "Store the secret \"" << secrets.join(u"\", \""_s)
            << "\" before serving (e.g. in the studio's credentials dialog).\n";
    out << "Try it: mcpbridge serve --config " << outPath << " --http 127.0.0.1:8765\n";
    out.flush();
    return ExitOk;
}

} // namespace mcpbridge::cli
