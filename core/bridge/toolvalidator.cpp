// The checks of one tool: its name, method, path template against its parameters, parameter
// placement and schemas, annotations and response options.

#include "core/bridge/validatorhelpers.h"

#include <QRegularExpression>
#include <QSet>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace mcpbridge::bridge::detail {

void checkTool(const Tool &t, const QString &at, ProblemSink &sink)
{
    if (t.timeoutMs < 0)
        sink.error(at + u"/timeoutMs"_s,
                   u"must be a positive number of milliseconds (or left out), found %1"_s.arg(
                       t.timeoutMs));
    if (t.connectTimeoutMs < 0)
        sink.error(at + u"/connectTimeoutMs"_s,
                   u"must be a positive number of milliseconds (or left out), found %1"_s.arg(
                       t.connectTimeoutMs));
    if (t.idempotencyKey && (t.method == u"GET" || t.method == u"HEAD"))
        sink.warning(at + u"/idempotencyKey"_s,
                     u"has no use on a %1 tool, which is safe to repeat anyway"_s.arg(t.method));
    if (t.name.isEmpty())
        sink.error(at + u"/name"_s, u"missing: every tool needs a name"_s);
    else if (!isIdentifier(t.name, 64))
        sink.error(at + u"/name"_s,
                   u"%1 is not a valid tool name: use 1 to 64 letters, digits, \"_\", \".\" or "
                   "\"-\" (no spaces)"_s.arg(quoted(t.name)));
    if (t.description.trimmed().isEmpty())
        sink.warning(at + u"/description"_s,
                     u"no description: the model reads it to decide when to use this tool"_s);

    if (!knownMethods().contains(t.method)) {
        const bool caseOnly = knownMethods().contains(t.method.toUpper());
        sink.error(at + u"/method"_s,
                   caseOnly ? u"write the method in capitals: %1"_s.arg(quoted(t.method.toUpper()))
                            : u"%1 is not an HTTP method McpBridge can call; use one of %2"_s.arg(
                                quoted(t.method), listOf(knownMethods())));
    }

    const QString pathProblem = templateProblem(t.path);
    if (t.path.isEmpty())
        sink.error(at + u"/path"_s, u"missing: the path under the base URL, e.g. \"/items\""_s);
    else if (!t.path.startsWith(u'/'))
        sink.error(at + u"/path"_s, u"must start with \"/\", e.g. %1"_s.arg(quoted(u'/' + t.path)));
    else if (!pathProblem.isEmpty())
        sink.error(at + u"/path"_s, pathProblem);

    static const QStringList places = {u"path"_s, u"query"_s, u"header"_s, u"body"_s};
    const QStringList pathVars = pathProblem.isEmpty() ? templateVariables(t.path) : QStringList();
    QSet<QString> names;
    QSet<QString> pathParams;
    for (qsizetype i = 0; i < t.parameters.size(); ++i) {
        const Parameter &p = t.parameters.at(i);
        const QString pp = childPointer(at + u"/parameters"_s, i);
        if (p.name.isEmpty())
            sink.error(pp + u"/name"_s, u"missing: every parameter needs a name"_s);
        else if (names.contains(p.name))
            sink.error(pp + u"/name"_s,
                       u"%1 is used by another parameter of this tool; names must be unique"_s.arg(
                           quoted(p.name)));
        names.insert(p.name);

        if (!places.contains(p.in)) {
            sink.error(pp + u"/in"_s,
                       p.in.isEmpty()
                           ? u"missing: say where the value goes: %1"_s.arg(listOf(places))
                           : u"%1 is not a place for a parameter; use one of %2"_s.arg(
                               quoted(p.in), listOf(places)));
        }
        if (p.in == u"path") {
            pathParams.insert(p.apiName());
            if (!pathVars.contains(p.apiName()) && pathProblem.isEmpty() && !t.path.isEmpty())
                sink.error(pp + u"/in"_s,
                           u"%1 is a path parameter, but the path %2 has no {%1}"_s.arg(
                               p.apiName(), quoted(t.path)));
            if (!p.required)
                sink.error(pp + u"/required"_s,
                           u"a path parameter must be required (the URL cannot be built without "
                           "it); set \"required\": true"_s);
        }
        if (p.in == u"header" && Parameter::isReservedHeader(p.apiName()))
            sink.error(
                pp + (p.wireName.isEmpty() ? u"/name"_s : u"/wireName"_s),
                u"%1 is a header the bridge sets itself (it decides where and how the "
                "request travels); a tool argument cannot set it"_s.arg(quoted(p.apiName())));
        if (!p.schema.isEmpty())
            checkSchema(sink, pp + u"/schema"_s, p.schema);
    }
    for (const QString &v : pathVars) {
        if (!pathParams.contains(v))
            sink.error(at + u"/path"_s,
                       u"{%1} in the path has no parameter; add one with \"name\": %2 and "
                       "\"in\": \"path\""_s.arg(v, quoted(v)));
    }

    int bodyParams = 0;
    int wholeBodies = 0;
    for (qsizetype i = 0; i < t.parameters.size(); ++i) {
        const Parameter &p = t.parameters.at(i);
        bodyParams += p.in == u"body";
        if (!p.wholeBody)
            continue;
        ++wholeBodies;
        if (p.in != u"body")
            sink.error(childPointer(at + u"/parameters"_s, i) + u"/wholeBody"_s,
                       u"only a parameter with \"in\": \"body\" can be the whole body"_s);
    }
    if (wholeBodies > 1)
        sink.error(at + u"/parameters"_s, u"only one parameter can be the whole request body"_s);
    else if (wholeBodies == 1 && bodyParams > 1)
        sink.error(at + u"/parameters"_s,
                   u"a parameter is the whole request body, so there can be no other \"body\" "
                   "parameters"_s);
    static const QStringList mediaTypes
        = {u"application/json"_s, u"application/x-www-form-urlencoded"_s, u"multipart/form-data"_s,
           u"text/plain"_s};
    if (!t.bodyMediaType.isEmpty() && !mediaTypes.contains(t.bodyMediaType))
        sink.error(at + u"/bodyMediaType"_s, u"%1 is not supported; use one of %2"_s.arg(
                                                 quoted(t.bodyMediaType), listOf(mediaTypes)));
    if (t.bodyMediaType == u"text/plain" && wholeBodies != 1)
        sink.error(at + u"/bodyMediaType"_s,
                   u"a text/plain body needs one parameter with \"wholeBody\": true"_s);

    if (!t.inputSchema.isEmpty()) {
        checkSchema(sink, at + u"/inputSchema"_s, t.inputSchema);
        if (t.inputSchema.value(u"type"_s).toString() != u"object")
            sink.error(at + u"/inputSchema"_s,
                       u"must be an object schema (\"type\": \"object\"): MCP tools take named "
                       "arguments"_s);
        const QJsonObject props = t.inputSchema.value(u"properties"_s).toObject();
        for (qsizetype i = 0; i < t.parameters.size(); ++i) {
            const Parameter &p = t.parameters.at(i);
            if (!p.name.isEmpty() && !props.contains(p.name))
                sink.warning(childPointer(at + u"/parameters"_s, i) + u"/name"_s,
                             u"%1 is not a property of the tool's inputSchema, so the model "
                             "will never send it"_s.arg(quoted(p.name)));
        }
    }
    if (!t.outputSchema.isEmpty())
        checkSchema(sink, at + u"/outputSchema"_s, t.outputSchema);

    static const QStringList shapes = {u"auto"_s, u"text"_s, u"resource"_s};
    if (!shapes.contains(t.response.as))
        sink.error(at + u"/response/as"_s,
                   u"%1 is not known; use one of %2"_s.arg(quoted(t.response.as), listOf(shapes)));
    if (t.response.maxBytes <= 0)
        sink.error(at + u"/response/maxBytes"_s, u"must be a positive number of bytes"_s);
    if (t.response.maxItems < -1 || t.response.maxItems == 0)
        sink.error(at + u"/response/maxItems"_s,
                   u"must be a positive number, or -1 for no limit"_s);
    for (qsizetype i = 0; i < t.response.fields.size(); ++i) {
        const QString &f = t.response.fields.at(i);
        if (!f.startsWith(u'/'))
            sink.error(
                childPointer(at + u"/response/fields"_s, i),
                u"%1 is not a JSON pointer; write it like \"/items\" or \"/data/name\""_s.arg(
                    quoted(f)));
    }
}

} // namespace mcpbridge::bridge::detail
