// `mcpbridge check FILE...`: every problem of each bridge document, one per line, then a summary
// line per file. Exit 2 when any file has an error, so scripts and CI can rely on it.

#include "core/bridge/documentio.h"
#include "core/cli/commands.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace mcpbridge::cli {

namespace {

QString counted(qsizetype n, const QString &one, const QString &many)
{
    return u"%1 %2"_s.arg(n).arg(n == 1 ? one : many);
}

QString contentsOf(const bridge::BridgeDocument &d)
{
    QStringList parts{counted(d.tools.size(), u"tool"_s, u"tools"_s)};
    if (!d.resources.isEmpty())
        parts.append(counted(d.resources.size(), u"resource"_s, u"resources"_s));
    if (!d.resourceTemplates.isEmpty())
        parts.append(
            counted(d.resourceTemplates.size(), u"resource template"_s, u"resource templates"_s));
    if (!d.prompts.isEmpty())
        parts.append(counted(d.prompts.size(), u"prompt"_s, u"prompts"_s));
    return parts.join(u", "_s);
}

} // namespace

int runCheck(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Checks bridge documents (*.mcpbridge.json) and lists every problem found: JSON syntax "
        "errors with line and column, wrong or unknown members, and mistakes such as a path "
        "variable without a parameter or a secret written into the file.\n"
        "Exit status: 0 when no file has errors (warnings are allowed), 2 otherwise."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption strict(u"strict"_s, u"Treat warnings as errors."_s);
    parser.addOption(help);
    parser.addOption(strict);
    parser.addPositionalArgument(u"FILE"_s, u"The bridge documents to check."_s, u"FILE..."_s);

    QTextStream out(stdout);
    QTextStream err(stderr);
    // args: program, "check", options...; the parser wants a program name first.
    if (!parser.parse(args.mid(1))) {
        err << "mcpbridge check: " << parser.errorText() << "\nRun 'mcpbridge check --help'.\n";
        return ExitProblems;
    }
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        text = u"Usage: mcpbridge check [--strict] FILE...\n"_s + text.mid(text.indexOf(u'\n') + 1);
        out << text;
        return ExitOk;
    }
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        err << "mcpbridge check: name at least one bridge document, e.g. "
               "'mcpbridge check pantry.mcpbridge.json'.\n";
        return ExitProblems;
    }

    bool failed = false;
    for (const QString &file : files) {
        const bridge::LoadReport report = bridge::loadDocument(file);
        int errors = 0;
        int warnings = 0;
        for (const bridge::Problem &p : report.problems) {
            out << p.toString() << '\n';
            (p.severity == bridge::Problem::Severity::Error ? errors : warnings)++;
        }
        QString verdict;
        if (errors == 0 && warnings == 0)
            verdict = u"no problems"_s;
        else if (errors == 0)
            verdict = counted(warnings, u"warning"_s, u"warnings"_s);
        else if (warnings == 0)
            verdict = counted(errors, u"error"_s, u"errors"_s);
        else
            verdict = counted(errors, u"error"_s, u"errors"_s) + u", "_s
                      + counted(warnings, u"warning"_s, u"warnings"_s);
        const QString label = report.problems.isEmpty() ? file : report.problems.first().file;
        out << (label.isEmpty() ? file : label) << ": "
            << (report.document ? contentsOf(*report.document) : u"could not be read"_s) << u" — "_s
            << verdict << '\n';
        failed = failed || errors > 0 || (parser.isSet(strict) && warnings > 0);
    }
    out.flush();
    return failed ? ExitProblems : ExitOk;
}

} // namespace mcpbridge::cli
