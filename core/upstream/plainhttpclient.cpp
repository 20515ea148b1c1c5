#include "core/upstream/plainhttpclient.h"

#include "core/upstream/plainhttpconnection.h"

#include <QNetworkProxyFactory>

using namespace Qt::StringLiterals;

// PlainHttpClient's pools of connections per host and port, and PlainHttpReply. Reading and
// writing HTTP lives in plainhttpconnection.cpp.

namespace mcpbridge::upstream {

namespace {

QString poolKey(const QUrl &url)
{
    return url.host(QUrl::FullyEncoded).toLower() + u':' + QString::number(url.port(80));
}

} // namespace

// ---- PlainHttpReply ---------------------------------------------------------------------------

PlainHttpReply::PlainHttpReply(PlainHttpClient *client, PlainHttpRequest request)
    : QObject(client)
    , m_client(client)
    , m_request(std::move(request))
    , m_poolKey(poolKey(m_request.url))
{}

PlainHttpReply::~PlainHttpReply()
{
    if (!m_finished)
        detach();
}

QByteArray PlainHttpReply::header(QByteArrayView name) const
{
    for (const auto &[key, value] : m_headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray PlainHttpReply::readAll()
{
    return std::exchange(m_body, {});
}

void PlainHttpReply::abort()
{
    if (m_finished)
        return;
    detach();
    finish(Error::Aborted, u"Operation canceled"_s);
}

// Leaves the connection (which then closes) or the queue, without a word to the receiver.
void PlainHttpReply::detach()
{
    if (PlainHttpConnection *connection = m_connection) {
        m_connection = nullptr;
        connection->dropReply();
    } else if (m_client) {
        m_client->forget(this);
    }
}

void PlainHttpReply::finish(Error error, const QString &errorString)
{
    if (m_finished)
        return;
    m_finished = true;
    m_connection = nullptr;
    m_error = error;
    m_errorString = errorString;
    emit finished();
}

// ---- PlainHttpClient --------------------------------------------------------------------------

PlainHttpClient::PlainHttpClient(QObject *parent)
    : QObject(parent)
{}

PlainHttpClient::~PlainHttpClient()
{
    m_destroying = true;
    // Replies are children and go after this body; they must not call back into the pools.
    const auto replies = findChildren<PlainHttpReply *>(Qt::FindDirectChildrenOnly);
    for (PlainHttpReply *reply : replies) {
        reply->m_client = nullptr;
        reply->m_connection = nullptr;
        reply->m_finished = true;
    }
    const auto connections = findChildren<PlainHttpConnection *>(Qt::FindDirectChildrenOnly);
    for (PlainHttpConnection *connection : connections)
        connection->shutDown();
}

bool PlainHttpClient::canCarry(const QUrl &url)
{
    if (url.scheme() != u"http" || url.host().isEmpty())
        return false;
    ProxyAnswer &answer = m_proxyAnswers[poolKey(url)];
    if (answer.expiry.hasExpired()) {
        // Asked the way QNetworkAccessManager asks (application proxy, factory or the system's
        // settings through libproxy), so a configured proxy keeps being used. Qt's answer for
        // a direct connection starts with NoProxy.
        const QList<QNetworkProxy> proxies
            = QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(url));
        answer.direct = proxies.isEmpty() || proxies.constFirst().type() == QNetworkProxy::NoProxy;
        answer.expiry.setRemainingTime(ProxyCheckMs);
    }
    return answer.direct;
}

int PlainHttpClient::openConnections() const
{
    int open = 0;
    for (const Pool &pool : m_pools)
        open += pool.open;
    return open;
}

PlainHttpReply *PlainHttpClient::send(PlainHttpRequest request)
{
    auto *reply = new PlainHttpReply(this, std::move(request));
    ++m_sent;
    m_sending = true;
    dispatch(reply, false);
    m_sending = false;
    return reply;
}

void PlainHttpClient::dispatch(PlainHttpReply *reply, bool freshConnection)
{
    Pool &pool = m_pools[reply->m_poolKey];
    if (!freshConnection) {
        while (!pool.idle.isEmpty()) {
            PlainHttpConnection *connection = pool.idle.takeLast();
            if (connection->isReusable()) {
                reply->m_reused = true;
                connection->start(reply);
                return;
            }
            if (connection->markDiscarded()) {
                --pool.open;
                connection->shutDown();
                connection->deleteLater();
            }
        }
    }
    if (pool.open >= MaxConnectionsPerHost && !freshConnection) {
        pool.waiting.append(reply);
        return;
    }
    PlainHttpConnection *connection = openConnection(reply->m_poolKey, reply->m_request.url);
    reply->m_reused = false;
    connection->start(reply);
}

PlainHttpConnection *PlainHttpClient::openConnection(const QString &key, const QUrl &url)
{
    ++m_pools[key].open;
    ++m_opened;
    return new PlainHttpConnection(this, key, url);
}

void PlainHttpClient::release(PlainHttpConnection *connection, bool reusable)
{
    if (m_destroying)
        return;
    if (!reusable) {
        discard(connection);
        return;
    }
    Pool &pool = m_pools[connection->key()];
    // The oldest waiting request takes the connection at once.
    while (!pool.waiting.isEmpty()) {
        PlainHttpReply *next = pool.waiting.takeFirst();
        if (!next)
            continue;
        next->m_reused = true;
        connection->start(next);
        return;
    }
    pool.idle.append(connection);
}

void PlainHttpClient::discard(PlainHttpConnection *connection)
{
    if (m_destroying || !connection->markDiscarded())
        return;
    const QString key = connection->key();
    Pool &pool = m_pools[key];
    pool.idle.removeOne(connection);
    --pool.open;
    connection->shutDown();
    connection->deleteLater();
    startWaiting(key);
}

void PlainHttpClient::forget(PlainHttpReply *reply)
{
    if (m_destroying)
        return;
    const auto it = m_pools.find(reply->m_poolKey);
    if (it != m_pools.end())
        it->waiting.removeAll(reply);
}

void PlainHttpClient::startWaiting(const QString &key)
{
    Pool &pool = m_pools[key];
    while (!pool.waiting.isEmpty() && pool.open < MaxConnectionsPerHost) {
        PlainHttpReply *next = pool.waiting.takeFirst();
        if (next)
            dispatch(next, false);
    }
}

} // namespace mcpbridge::upstream
