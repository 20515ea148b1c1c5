// resources/list, resources/templates/list, resources/read and (un)subscribe.

#include "core/mcp/serverprivate.h"
#include "core/upstream/restinvoker.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace mcpbridge::mcp {

namespace {

// The template's upstream path with the URI's variables filled in, percent-encoded so a value
// can never add a path segment or a query. nullopt for a value that would climb up the path.
std::optional<QString> fillPath(QString path, const QMap<QString, QString> &variables)
{
    for (auto it = variables.begin(); it != variables.end(); ++it) {
        const QString &decoded = it.value(); // match() has decoded it already
        if (decoded == "."_L1 || decoded == ".."_L1)
            return std::nullopt;
        path.replace(u'{' + it.key() + u'}', QString::fromLatin1(QUrl::toPercentEncoding(decoded)));
    }
    return path;
}

} // namespace

void McpServer::Private::handleResourcesList(const InFlightPtr &request, const QJsonObject &params)
{
    if (auto result = listPage(request, params, request->document->resources, u"resources"_s))
        respond(request, *result);
}

void McpServer::Private::handleTemplatesList(const InFlightPtr &request, const QJsonObject &params)
{
    if (auto result
        = listPage(request, params, request->document->resourceTemplates, u"resourceTemplates"_s))
        respond(request, *result);
}

void McpServer::Private::readUri(const InFlightPtr &request, const QString &uri,
                                 std::function<void(Result<QJsonArray>)> done)
{
    const bridge::BridgeDocument &doc = *request->document;
    QString path;
    QString mimeType;
    if (const bridge::Resource *resource = doc.findResource(uri)) {
        path = resource->path;
        mimeType = resource->mimeType;
    } else {
        for (const bridge::ResourceTemplate &candidate : doc.resourceTemplates) {
            const auto variables = candidate.match(uri);
            if (!variables)
                continue;
            if (const auto filled = fillPath(candidate.path, *variables)) {
                path = *filled;
                mimeType = candidate.mimeType;
                break;
            }
        }
    }
    if (path.isEmpty()) {
        done(fail(u"Resource not found: %1"_s.arg(uri), uri, jsonrpc::ResourceNotFound));
        return;
    }
    std::weak_ptr<InFlight> weak = request;
    upstream::PendingCall *call
        = invoker->readResource(doc, path, uri, mimeType, callContext(request),
                                [weak, done = std::move(done)](Result<QJsonArray> contents) {
                                    const InFlightPtr r = weak.lock();
                                    if (r && !r->finished)
                                        done(std::move(contents));
                                });
    if (call && !request->finished)
        request->calls.emplace_back(call);
}

void McpServer::Private::handleResourcesRead(const InFlightPtr &request, const QJsonObject &params)
{
    const QJsonValue uri = params.value("uri"_L1);
    if (!uri.isString() || uri.toString().isEmpty()) {
        respondError(request, jsonrpc::InvalidParams,
                     u"resources/read: params.uri is missing or not a string; it must be the URI "
                     "of the resource to read."_s);
        return;
    }
    std::weak_ptr<InFlight> weak = request;
    readUri(request, uri.toString(), [this, weak, uri](Result<QJsonArray> contents) {
        const InFlightPtr r = weak.lock();
        if (!r)
            return;
        if (contents) {
            respond(r, {{u"contents"_s, *contents}});
            return;
        }
        const QJsonObject data{{u"uri"_s, uri}};
        const Error &error = contents.error();
        if (error.code == jsonrpc::ResourceNotFound) {
            respondError(r, jsonrpc::ResourceNotFound, error.message, data);
        } else if (error.code == 404) {
            respondError(r, jsonrpc::ResourceNotFound,
                         u"Resource not found: %1 (%2)"_s.arg(uri.toString(), error.message), data);
        } else {
            respondError(r, jsonrpc::InternalError,
                         u"Could not read %1: %2"_s.arg(uri.toString(), error.message), data);
        }
    });
}

void McpServer::Private::handleSubscribe(const InFlightPtr &request, const QJsonObject &params,
                                         bool subscribe)
{
    const QJsonValue uri = params.value("uri"_L1);
    if (!uri.isString() || uri.toString().isEmpty()) {
        respondError(request, jsonrpc::InvalidParams,
                     u"%1: params.uri is missing or not a string; it must be the URI of a "
                     "resource."_s.arg(request->method));
        return;
    }
    if (subscribe)
        request->session->m_subscriptions.insert(uri.toString());
    else
        request->session->m_subscriptions.remove(uri.toString());
    respond(request, {});
}

} // namespace mcpbridge::mcp
