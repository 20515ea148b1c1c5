#include "core/upstream/restinvoker.h"

#include "core/secrets/secretstore.h"
#include "core/traffic/trafficlog.h"
#include "core/upstream/oauth2tokens.h"
#include "core/upstream/plainhttpclient.h"
#include "core/upstream/upstreamcall.h"

#include <QNetworkAccessManager>
#include <QRandomGenerator>

namespace mcpbridge::upstream {

struct RestInvoker::Private
{
    InvokerShared shared;
};

RestInvoker::RestInvoker(secrets::SecretStore *secrets, traffic::TrafficLog *log, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->shared.owner = this;
    d->shared.network = new QNetworkAccessManager(this);
    d->shared.plain = new PlainHttpClient(this);
    // MCPBRIDGE_HTTP_CLIENT=qt sends plain http through QNetworkAccessManager too: a way out
    // should an API disagree with the light client.
    d->shared.usePlain = qgetenv("MCPBRIDGE_HTTP_CLIENT") != "qt";
    d->shared.secrets = secrets;
    d->shared.traffic = log;
    d->shared.oauth = new OAuth2Tokens(d->shared.network, this);
    // Registered the moment it arrives, before any call can log or record it.
    connect(d->shared.oauth, &OAuth2Tokens::tokenIssued, this,
            [this](const QString &token) { d->shared.addSecret(token); });
    d->shared.random = [] { return QRandomGenerator::global()->generateDouble(); };
}

void RestInvoker::setRandomSource(std::function<double()> random)
{
    d->shared.random = std::move(random);
}

RestInvoker::~RestInvoker()
{
    // Calls are children of this object; end them (and their replies) before the network goes.
    const auto calls = findChildren<UpstreamCall *>(Qt::FindDirectChildrenOnly);
    for (UpstreamCall *call : calls)
        delete call;
}

PendingCall *RestInvoker::callTool(const bridge::BridgeDocument &document, const bridge::Tool &tool,
                                   const QJsonObject &arguments, const CallContext &context,
                                   std::function<void(ToolResult result)> done)
{
    auto *call = new UpstreamCall(&d->shared, UpstreamCall::Kind::Tool, document, context, this);
    call->setTool(tool, arguments, std::move(done));
    call->start();
    return call;
}

PendingCall *RestInvoker::readResource(const bridge::BridgeDocument &document, const QString &path,
                                       const QString &uri, const QString &mimeType,
                                       const CallContext &context,
                                       std::function<void(Result<QJsonArray> contents)> done)
{
    auto *call
        = new UpstreamCall(&d->shared, UpstreamCall::Kind::Resource, document, context, this);
    call->setResource(path, uri, mimeType, std::move(done));
    call->start();
    return call;
}

void RestInvoker::setPlainHttpEnabled(bool enabled)
{
    d->shared.usePlain = enabled; // calls in flight finish on the client they started with
}

bool RestInvoker::plainHttpEnabled() const
{
    return d->shared.usePlain;
}

QNetworkAccessManager *RestInvoker::network() const
{
    return d->shared.network;
}

} // namespace mcpbridge::upstream
