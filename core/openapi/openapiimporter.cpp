#include "core/openapi/openapiimporter.h"

#include "core/openapi/operationmapper.h"
#include "core/openapi/schemaconverter.h"
#include "core/openapi/securitymapper.h"
#include "core/openapi/selection.h"
#include "core/openapi/serverurl.h"
#include "core/openapi/specloader.h"
#include "core/openapi/specresolver.h"
#include "core/openapi/textbudget.h"
#include "core/openapi/toolnaming.h"
#include "core/util/jsontext.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

using namespace Qt::StringLiterals;

namespace mcpbridge::openapi {

namespace {

using Severity = ImportNote::Severity;

const QStringList &specMethods()
{
    // The order of the Path Item Object's fields, so tools come out in a predictable order.
    static const QStringList m = {u"get"_s,     u"put"_s,  u"post"_s,  u"delete"_s,
                                  u"options"_s, u"head"_s, u"patch"_s, u"trace"_s};
    return m;
}

QString labelFor(const QUrl &source)
{
    if (source.isLocalFile())
        return source.toLocalFile();
    if (source.isValid() && !source.isEmpty())
        return source.toString();
    return u"the spec"_s;
}

QString serverName(const QString &title)
{
    QString name;
    for (const QChar c : title.toLower()) {
        const char16_t u = c.unicode();
        if ((u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9'))
            name += c;
        else if (!name.isEmpty() && !name.endsWith(u'-'))
            name += u'-';
    }
    name = name.left(48);
    while (name.endsWith(u'-'))
        name.chop(1);
    return name.isEmpty() ? u"imported-api"_s : name;
}

QString uriScheme(const QString &name)
{
    QString scheme;
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        if ((u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'-' || u == u'.')
            scheme += c;
    }
    if (scheme.isEmpty() || !scheme.at(0).isLetter())
        scheme.prepend(u"api-"_s);
    return scheme;
}

struct PendingOperation
{
    OperationRef ref;
    QString pointer;
    QJsonObject pathItem;
    QJsonObject operation;
    QJsonArray servers; // operation- or path-level servers
};

// The part of an operation's own server URL that lies under the base URL ("/v2" for a base
// of https://x.test and a server of https://x.test/v2), or nullopt when it lies elsewhere.
std::optional<QString> prefixUnder(const QString &baseUrl, const QString &serverUrl)
{
    const QString base = withoutTrailingSlash(baseUrl);
    const QString server = withoutTrailingSlash(serverUrl);
    if (server == base)
        return QString();
    if (server.startsWith(base + u'/'))
        return server.mid(base.size());
    return std::nullopt;
}

Result<ImportReport> importValue(const QJsonValue &value, const ImportOptions &options)
{
    const QString label = labelFor(options.sourceUrl);
    if (!value.isObject())
        return fail(
            u"This is not an OpenAPI or Swagger document: its top level is not an object."_s,
            label);
    const QJsonObject spec = value.toObject();

    ImportReport report;
    SchemaConverter::Dialect dialect;
    bool swagger2 = false;
    if (spec.contains(u"swagger"_s)) {
        const QString version = spec.value(u"swagger"_s).isDouble()
                                    ? QString::number(spec.value(u"swagger"_s).toDouble(), 'f', 1)
                                    : spec.value(u"swagger"_s).toString();
        if (version != u"2.0")
            return fail(u"Swagger %1 is not supported; only Swagger 2.0 and OpenAPI 3.0/3.1 are. "
                        u"Convert the document to OpenAPI 3 first."_s.arg(version),
                        label + u": /swagger"_s);
        swagger2 = true;
        dialect = SchemaConverter::Dialect::Swagger2;
        report.specVersion = version;
    } else if (spec.contains(u"openapi"_s)) {
        const QString version = spec.value(u"openapi"_s).toVariant().toString();
        if (!version.startsWith(u"3."))
            return fail(
                u"OpenAPI %1 is not supported; only OpenAPI 3.0/3.1 and Swagger 2.0 are."_s.arg(
                    version),
                label + u": /openapi"_s);
        dialect = version.startsWith(u"3.0") ? SchemaConverter::Dialect::OpenApi30
                                             : SchemaConverter::Dialect::OpenApi31;
        report.specVersion = version;
    } else {
        return fail(u"This is not an OpenAPI or Swagger document: it has neither an \"openapi\" "
                    u"nor a \"swagger\" field at the top level."_s,
                    label);
    }
    if (spec.contains(u"paths"_s) && !spec.value(u"paths"_s).isObject())
        return fail(u"\"paths\" must be an object that maps paths to operations."_s,
                    label + u": /paths"_s);

    SpecResolver resolver(spec, options.sourceUrl);
    SchemaConverter converter(resolver, dialect);
    OperationMapper mapper(resolver, converter, swagger2, &report.notes);

    // 1. Every operation, named (names are given to all, so selection never changes them).
    QList<PendingOperation> operations;
    UniqueNames toolNames;
    QSet<QString> allTags;
    const QJsonObject paths = spec.value(u"paths"_s).toObject();
    for (auto it = paths.constBegin(); it != paths.constEnd(); ++it) {
        const QString path = it.key();
        const QString pathPointer = u"/paths/"_s + json::escapePointerToken(path);
        if (path.startsWith(u"x-"))
            continue; // an extension, not a path
        QString error;
        const auto item = resolver.deref({it.value(), 0, pathPointer}, &error);
        if (!item || !item->value.isObject()) {
            report.notes.append({Severity::Skipped, pathPointer, path,
                                 u"The path could not be read: %1."_s.arg(
                                     error.isEmpty() ? u"it is not an object"_s : error)});
            continue;
        }
        const QJsonObject pathItem = item->value.toObject();
        for (const QString &method : specMethods()) {
            const QJsonValue opValue = pathItem.value(method);
            if (opValue.isUndefined())
                continue;
            ++report.operationsTotal;
            const QString upper = method.toUpper();
            const QString pointer = pathPointer + u'/' + method;
            if (!opValue.isObject()) {
                report.notes.append({Severity::Skipped, pointer, upper + u' ' + path,
                                     u"Skipped: the operation is not an object."_s});
                continue;
            }
            if (!path.startsWith(u'/')) {
                report.notes.append({Severity::Skipped, pointer, upper + u' ' + path,
                                     u"Skipped: a path must start with \"/\"."_s});
                continue;
            }
            if (method == u"options" || method == u"trace") {
                report.notes.append(
                    {Severity::Skipped, pointer, upper + u' ' + path,
                     u"Skipped: the bridge does not call %1 operations."_s.arg(upper)});
                continue;
            }
            const QJsonObject op = opValue.toObject();
            PendingOperation pending;
            pending.ref.method = upper;
            pending.ref.path = path;
            pending.ref.operationId = op.value(u"operationId"_s).toString();
            for (const QJsonValue &t : op.value(u"tags"_s).toArray()) {
                pending.ref.tags.append(t.toString());
                allTags.insert(t.toString().toLower());
            }
            QString candidate = sanitizeToolName(pending.ref.operationId);
            if (candidate.isEmpty())
                candidate = nameFromMethodAndPath(upper, path);
            if (candidate.isEmpty())
                candidate = u"operation"_s;
            pending.ref.toolName = toolNames.claim(candidate);
            if (pending.ref.toolName != truncateName(candidate))
                report.notes.append({Severity::Info, pointer, upper + u' ' + path,
                                     u"Named \"%1\": the name \"%2\" is already used by another "
                                     u"operation."_s.arg(pending.ref.toolName, candidate)});
            else if (pending.ref.toolName != candidate)
                report.notes.append({Severity::Info, pointer, upper + u' ' + path,
                                     u"Named \"%1\": \"%2\" is longer than %3 characters."_s
                                         .arg(pending.ref.toolName, candidate)
                                         .arg(MaxToolNameLength)});
            pending.pointer = pointer;
            pending.pathItem = pathItem;
            pending.operation = op;
            if (!swagger2) {
                pending.servers = op.value(u"servers"_s).toArray();
                if (pending.servers.isEmpty())
                    pending.servers = pathItem.value(u"servers"_s).toArray();
            }
            operations.append(pending);
        }
    }
    if (spec.value(u"webhooks"_s).isObject() && !spec.value(u"webhooks"_s).toObject().isEmpty())
        report.notes.append({Severity::Info,
                             u"/webhooks"_s,
                             {},
                             u"Webhooks describe calls the API makes to you; they do not become "
                             u"tools."_s});

    // 2. Where the API lives, and how it authenticates.
    bridge::BridgeDocument &doc = report.document;
    const QJsonObject info = spec.value(u"info"_s).toObject();
    const QString title = cleanText(info.value(u"title"_s).toString());
    doc.server.name = serverName(title);
    doc.server.title = trimToBudget(title, TitleBudget);
    if (info.contains(u"version"_s))
        doc.server.version = info.value(u"version"_s).toVariant().toString();
    doc.server.instructions = compactText(info.value(u"description"_s).toString(), 500);
    if (!options.baseUrlOverride.isEmpty()) {
        doc.upstream.baseUrl = withoutTrailingSlash(options.baseUrlOverride);
    } else {
        const BaseUrl base = resolveBaseUrl(spec, swagger2, options.sourceUrl);
        doc.upstream.baseUrl = base.url;
        report.warnings += base.warnings;
    }
    AuthMapping auth = mapSecurity(resolver, swagger2);
    doc.upstream.auth = auth.auth;
    report.notes += auth.notes;
    if (doc.upstream.auth.kind == u"basic") {
        doc.upstream.auth.username = options.authUsername;
        if (options.authUsername.isEmpty())
            report.warnings.append(
                u"The API uses basic authentication: give the user name with "
                u"--username (the password is stored as the secret \"%1\")."_s.arg(
                    doc.upstream.auth.secret));
    } else if (doc.upstream.auth.kind == u"oauth2ClientCredentials") {
        doc.upstream.auth.clientId = options.authClientId;
        if (options.authClientId.isEmpty())
            report.warnings.append(u"The API uses OAuth2 client credentials: give the client id "
                                   u"with --client-id (the client secret is stored as the secret "
                                   u"\"%1\")."_s.arg(doc.upstream.auth.secret));
    }

    // 3. The selected operations become tools (or resources).
    const QString scheme = uriScheme(doc.server.name);
    for (const PendingOperation &pending : operations) {
        if (!isSelected(options, pending.ref))
            continue;
        ++report.operationsSelected;
        OperationInput input;
        input.method = pending.ref.method;
        input.path = pending.ref.path;
        input.pointer = pending.pointer;
        input.pathItem = pending.pathItem;
        input.operation = pending.operation;
        input.toolName = pending.ref.toolName;
        if (!pending.servers.isEmpty() && pending.servers.first().isObject()) {
            QString serverUrl = substituteServerVariables(pending.servers.first().toObject());
            if (options.sourceUrl.isValid() && QUrl(serverUrl).isRelative())
                serverUrl = options.sourceUrl.resolved(QUrl(serverUrl)).toString();
            const std::optional<QString> prefix = prefixUnder(doc.upstream.baseUrl, serverUrl);
            if (prefix) {
                input.pathPrefix = *prefix;
            } else {
                report.notes.append(
                    {options.baseUrlOverride.isEmpty() ? Severity::Degraded : Severity::Info,
                     pending.pointer + u"/servers"_s, input.method + u' ' + input.path,
                     u"This operation is served at %1, not under the base URL; "
                     u"calls go to %2."_s.arg(serverUrl, doc.upstream.baseUrl)});
            }
        }
        MappedOperation mapped = mapper.map(input);
        if (!mapped.tool)
            continue;
        bridge::Tool &tool = *mapped.tool;

        if (options.resources && tool.method == u"GET") {
            bool onlyPath = true;
            for (const bridge::Parameter &p : tool.parameters)
                onlyPath = onlyPath && p.in == u"path";
            if (onlyPath) {
                QString rest = tool.path.mid(1);
                if (rest.isEmpty())
                    rest = u"root"_s;
                const QString uri = scheme + u"://"_s + rest;
                if (tool.parameters.isEmpty()) {
                    bridge::Resource r;
                    r.uri = uri;
                    r.name = tool.name;
                    r.title = tool.title;
                    r.description = tool.description;
                    r.mimeType = mapped.responseMimeType;
                    r.path = tool.path;
                    doc.resources.append(r);
                } else {
                    bridge::ResourceTemplate t;
                    t.uriTemplate = uri;
                    t.name = tool.name;
                    t.title = tool.title;
                    t.description = tool.description;
                    t.mimeType = mapped.responseMimeType;
                    t.path = tool.path;
                    doc.resourceTemplates.append(t);
                }
                ++report.resourcesCreated;
                continue;
            }
        }
        doc.tools.append(tool);
        ++report.toolsCreated;
        const QString tag = pending.ref.tags.isEmpty() ? QString() : pending.ref.tags.first();
        report.toolsPerTag[tag] += 1;
        report.toolTags.insert(tool.name, tag);
    }

    // 4. What the user should know.
    for (const QString &t : options.includeTags)
        if (!allTags.contains(t.toLower()))
            report.warnings.append(u"No operation has the tag \"%1\"."_s.arg(t));
    if (report.operationsTotal == 0)
        report.warnings.append(u"The spec describes no operations, so the bridge has no tools."_s);
    else if (report.operationsSelected == 0)
        report.warnings.append(
            u"The filters selected none of the %1 operations."_s.arg(report.operationsTotal));
    report.estimatedTokens = estimateTokens(doc);
    report.warnings += sizeWarnings(report);
    return report;
}

} // namespace

Result<ImportReport> importSpec(const QByteArray &bytes, const ImportOptions &options)
{
    if (bytes.size() > MaxSpecBytes)
        return fail(u"The spec is too large (%1 MB; the limit is %2 MB)."_s
                        .arg(bytes.size() / (1024 * 1024))
                        .arg(MaxSpecBytes / (1024 * 1024)),
                    labelFor(options.sourceUrl));
    Result<QJsonValue> value = parseSpecText(bytes, labelFor(options.sourceUrl));
    if (!value)
        return std::unexpected(value.error());
    return importValue(*value, options);
}

Result<ImportReport> importFile(const QString &path, ImportOptions options)
{
    if (!options.sourceUrl.isValid() || options.sourceUrl.isEmpty())
        options.sourceUrl = QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath());
    Result<QJsonValue> value = loadSpecFile(path);
    if (!value)
        return std::unexpected(value.error());
    return importValue(*value, options);
}

} // namespace mcpbridge::openapi
