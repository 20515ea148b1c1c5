#include "itemchecks.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

namespace {

// The validator writes fragments meant to follow a JSON pointer ("missing: ..."); under a
// field they read better as sentences.
QString sentence(QString text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return text;
    text[0] = text.at(0).toUpper();
    if (!text.endsWith(u'.') && !text.endsWith(u'?') && !text.endsWith(u'!'))
        text += u'.';
    return text;
}

// The problems validateDocument finds under `prefix` in `check`, made relative to it.
QList<bridge::Problem> validatorProblems(const bridge::BridgeDocument &check, const QString &prefix)
{
    QList<bridge::Problem> result;
    for (bridge::Problem problem : bridge::validateDocument(check)) {
        if (problem.pointer != prefix && !problem.pointer.startsWith(prefix + u'/'))
            continue;
        problem.pointer = problem.pointer.mid(prefix.size());
        problem.file.clear();
        problem.message = sentence(problem.message);
        result.append(problem);
    }
    return result;
}

// The document the validator sees: the tools do not take part in these checks.
bridge::BridgeDocument checkDocument(const bridge::BridgeDocument &others)
{
    bridge::BridgeDocument check = others;
    check.tools.clear();
    return check;
}

bridge::Problem error(const QString &pointer, const QString &message)
{
    bridge::Problem p;
    p.severity = bridge::Problem::Severity::Error;
    p.pointer = pointer;
    p.message = message;
    return p;
}

bridge::Problem warning(const QString &pointer, const QString &message)
{
    bridge::Problem p = error(pointer, message);
    p.severity = bridge::Problem::Severity::Warning;
    return p;
}

// Resources and templates share one list in most apps, so a name names one of either.
QList<bridge::Problem> nameProblems(const QString &name, const bridge::BridgeDocument &others,
                                    const QString &what)
{
    if (name.trimmed().isEmpty())
        return {error(u"/name"_s, u"The %1 needs a name: apps list it by this name."_s.arg(what))};
    QList<bridge::Problem> result;
    const auto clash = [&](const QString &other) { return other == name; };
    bool taken = std::any_of(others.resources.cbegin(), others.resources.cend(),
                             [&](const bridge::Resource &r) { return clash(r.name); });
    taken = taken
            || std::any_of(others.resourceTemplates.cbegin(), others.resourceTemplates.cend(),
                           [&](const bridge::ResourceTemplate &t) { return clash(t.name); });
    if (taken)
        result.append(
            error(u"/name"_s, u"Another resource or template is already called \u201C%1\u201D. "
                              "Pick a different name."_s.arg(name)));
    return result;
}

void dropPointer(QList<bridge::Problem> &problems, const QString &pointer)
{
    problems.removeIf([&](const bridge::Problem &p) { return p.pointer == pointer; });
}

void checkMimeType(const QString &mimeType, QList<bridge::Problem> &problems)
{
    if (!mimeType.isEmpty() && !looksLikeMimeType(mimeType))
        problems.append(
            warning(u"/mimeType"_s, u"\u201C%1\u201D does not look like a content type; write it "
                                    "like text/plain or application/json."_s.arg(mimeType)));
}

} // namespace

QList<bridge::Problem> resourceProblems(const bridge::Resource &resource,
                                        const bridge::BridgeDocument &others)
{
    bridge::BridgeDocument check = checkDocument(others);
    check.resources.append(resource);
    QList<bridge::Problem> problems
        = validatorProblems(check, u"/resources/%1"_s.arg(check.resources.size() - 1));
    // The editor asks for a name outright instead of the validator's "no name" warning.
    dropPointer(problems, u"/name"_s);
    problems.append(nameProblems(resource.name, others, u"resource"_s));
    checkMimeType(resource.mimeType, problems);
    return problems;
}

QList<bridge::Problem> templateProblems(const bridge::ResourceTemplate &resourceTemplate,
                                        const bridge::BridgeDocument &others)
{
    bridge::BridgeDocument check = checkDocument(others);
    check.resourceTemplates.append(resourceTemplate);
    QList<bridge::Problem> problems = validatorProblems(
        check, u"/resourceTemplates/%1"_s.arg(check.resourceTemplates.size() - 1));
    dropPointer(problems, u"/name"_s);
    problems.append(nameProblems(resourceTemplate.name, others, u"resource template"_s));
    checkMimeType(resourceTemplate.mimeType, problems);
    return problems;
}

QList<bridge::Problem> promptProblems(const bridge::Prompt &prompt,
                                      const bridge::BridgeDocument &others)
{
    bridge::BridgeDocument check = checkDocument(others);
    check.prompts.append(prompt);
    QList<bridge::Problem> problems
        = validatorProblems(check, u"/prompts/%1"_s.arg(check.prompts.size() - 1));

    // An argument no message uses asks people for a value that goes nowhere.
    for (qsizetype i = 0; i < prompt.arguments.size(); ++i) {
        const bridge::PromptArgument &argument = prompt.arguments.at(i);
        if (argument.name.isEmpty())
            continue;
        const QString placeholder = u'{' + argument.name + u'}';
        const bool used = std::any_of(
            prompt.messages.cbegin(), prompt.messages.cend(), [&](const bridge::PromptMessage &m) {
                return (m.type == u"text" ? m.text : m.uri).contains(placeholder);
            });
        if (used)
            continue;
        problems.append(warning(
            u"/arguments/%1"_s.arg(i),
            argument.required
                ? u"The required argument \u201C%1\u201D is not used in any message, so people "
                  "must give a value that is then ignored. Write %2 where it belongs, or remove "
                  "the argument."_s.arg(argument.name, placeholder)
                : u"The argument \u201C%1\u201D is not used in any message, so its value is "
                  "ignored. Write %2 where it belongs, or remove the argument."_s.arg(
                      argument.name, placeholder)));
    }

    for (qsizetype i = 0; i < prompt.messages.size(); ++i) {
        const bridge::PromptMessage &m = prompt.messages.at(i);
        if (m.type == u"text" || m.uri.isEmpty())
            continue;
        if (servesUri(others, prompt, m.uri) == false)
            problems.append(warning(
                u"/messages/%1/uri"_s.arg(i),
                u"This bridge has no resource with the address \u201C%1\u201D, so the model "
                "gets a note saying it is missing instead of its content."_s.arg(m.uri)));
    }
    return problems;
}

bool hasErrors(const QList<bridge::Problem> &problems)
{
    return std::any_of(problems.cbegin(), problems.cend(), [](const bridge::Problem &p) {
        return p.severity == bridge::Problem::Severity::Error;
    });
}

QList<bridge::Problem> problemsAt(const QList<bridge::Problem> &problems, const QString &pointer)
{
    QList<bridge::Problem> result;
    for (const bridge::Problem &p : problems) {
        if (p.pointer == pointer || p.pointer.startsWith(pointer + u'/'))
            result.append(p);
    }
    return result;
}

QString problemText(const QList<bridge::Problem> &problems, const QString &linePrefix)
{
    QStringList lines;
    for (const bridge::Problem &p : problems) {
        const QString severity
            = p.severity == bridge::Problem::Severity::Warning ? u"Warning: "_s : QString();
        lines.append(linePrefix + severity + p.message);
    }
    return lines.join(u'\n');
}

bool looksLikeMimeType(const QString &text)
{
    static const QRegularExpression re(
        u"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\\s*;.*)?$"_s);
    return re.match(text).hasMatch();
}

QString sampleValue(const bridge::PromptArgument &argument)
{
    if (!argument.values.isEmpty())
        return argument.values.first();
    return u'<' + argument.name + u'>';
}

std::optional<bool> servesUri(const bridge::BridgeDocument &document, const bridge::Prompt &prompt,
                              const QString &uri)
{
    QString fixedPart = uri;
    QJsonObject values;
    for (const bridge::PromptArgument &argument : prompt.arguments) {
        fixedPart.remove(u'{' + argument.name + u'}');
        values.insert(argument.name, sampleValue(argument));
    }
    if (!fixedPart.contains(u':'))
        return std::nullopt;
    const QString filled = prompt.fill(uri, values);
    if (document.findResource(filled))
        return true;
    return std::any_of(
        document.resourceTemplates.cbegin(), document.resourceTemplates.cend(),
        [&](const bridge::ResourceTemplate &t) { return t.match(filled).has_value(); });
}

} // namespace mcpbridge::editors
