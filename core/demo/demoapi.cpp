#include "core/demo/demoapi.h"

#include "core/demo/demostore.h"

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTcpServer>
#include <QUrlQuery>

#include <variant>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcDemo, "mcpbridge.demo", QtInfoMsg)

namespace mcpbridge::demo {

namespace {

using Method = QHttpServerRequest::Method;

QByteArray methodName(Method m)
{
    switch (m) {
    case Method::Get: return "GET";
    case Method::Put: return "PUT";
    case Method::Delete: return "DELETE";
    case Method::Post: return "POST";
    case Method::Head: return "HEAD";
    case Method::Options: return "OPTIONS";
    case Method::Patch: return "PATCH";
    case Method::Connect: return "CONNECT";
    case Method::Trace: return "TRACE";
    default: return "UNKNOWN";
    }
}

// What a request must carry, decoded once: a JSON object body or the 400 that explains why not.
std::variant<QJsonObject, Reply> jsonBody(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return Reply::error(400, u"invalid_json"_s,
                            u"The request body is empty: send a JSON object (Content-Type: "
                            "application/json)."_s);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return Reply::error(
            400, u"invalid_json"_s,
            u"The request body is not valid JSON: %1 at byte %2."_s.arg(error.errorString())
                .arg(error.offset));
    if (!doc.isObject())
        return Reply::error(400, u"invalid_json"_s,
                            u"The request body must be a JSON object ({...})."_s);
    return doc.object();
}

} // namespace

struct DemoApi::Private
{
    DemoStore store;
    std::unique_ptr<Server> server;
    QTcpServer *tcp = nullptr;
    QString errorString;

    // One request in, one reply out; `allow` is filled for 405 and OPTIONS answers.
    Reply handle(Method method, const QStringList &segments, const QUrlQuery &query,
                 const QByteArray &body, const QString &serverUrl, QByteArray *allow);
};

class DemoApi::Server : public QAbstractHttpServer
{
public:
    explicit Server(DemoApi::Private *d)
        : m_d(d)
    {}

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        QStringList segments;
        const QString path = request.url().path(QUrl::FullyEncoded);
        for (const QString &s : path.split(u'/', Qt::SkipEmptyParts))
            segments.append(QUrl::fromPercentEncoding(s.toUtf8()));

        QString host = QString::fromUtf8(request.value("host"));
        static const QRegularExpression plainHost(u"^[A-Za-z0-9.\\-\\[\\]:]+$"_s);
        if (!plainHost.match(host).hasMatch())
            host = u"127.0.0.1:%1"_s.arg(m_d->tcp ? m_d->tcp->serverPort() : 0);

        const Method method = request.method();
        QByteArray allow;
        const Reply reply
            = m_d->handle(method == Method::Head ? Method::Get : method, segments, request.query(),
                          request.body(), u"http://"_s + host, &allow);
        qCDebug(lcDemo) << methodName(method) << path << reply.status;

        QByteArray bytes;
        if (!reply.body.isUndefined())
            bytes = QJsonDocument(reply.body.isArray() ? QJsonDocument(reply.body.toArray())
                                                       : QJsonDocument(reply.body.toObject()))
                        .toJson(QJsonDocument::Compact);
        QHttpServerResponder responder = makeResponder(request, socket);
        responder.writeStatusLine(QHttpServerResponder::StatusCode(reply.status));
        responder.writeHeader("Content-Type", "application/json");
        responder.writeHeader("Content-Length", QByteArray::number(bytes.size()));
        if (!reply.location.isEmpty())
            responder.writeHeader("Location", reply.location);
        if (!allow.isEmpty())
            responder.writeHeader("Allow", allow);
        if (method != Method::Head)
            responder.writeBody(bytes);
        else
            responder.writeBody(QByteArray());
        return true;
    }

    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}

private:
    DemoApi::Private *m_d;
};

Reply DemoApi::Private::handle(Method method, const QStringList &seg, const QUrlQuery &query,
                               const QByteArray &body, const QString &serverUrl, QByteArray *allow)
{
    // The routes: each path shape with the methods it answers.
    struct Route
    {
        QStringList shape; // "*" matches one segment
        QList<Method> methods;
    };
    static const QList<Route> routes = {
        {{}, {Method::Get}},
        {{u"openapi.json"_s}, {Method::Get}},
        {{u"recipes"_s}, {Method::Get, Method::Post}},
        {{u"recipes"_s, u"*"_s}, {Method::Get}},
        {{u"pantry"_s}, {Method::Get, Method::Post}},
        {{u"pantry"_s, u"*"_s}, {Method::Patch, Method::Delete}},
        {{u"meal-plan"_s}, {Method::Get}},
        {{u"meal-plan"_s, u"*"_s}, {Method::Put}},
        {{u"shopping-list"_s}, {Method::Get}},
        {{u"shopping-list"_s, u"generate"_s}, {Method::Post}},
        {{u"shopping-list"_s, u"*"_s}, {Method::Patch}},
    };
    const Route *route = nullptr;
    for (const Route &r : routes) {
        if (r.shape.size() != seg.size())
            continue;
        bool same = true;
        for (qsizetype i = 0; i < seg.size() && same; ++i)
            same = r.shape.at(i) == u"*" || r.shape.at(i) == seg.at(i);
        // A literal route ("generate") wins over a wildcard that also matches.
        if (same && (!route || !r.shape.contains(u"*"_s)))
            route = &r;
    }
    if (!route)
        return Reply::error(
            404, u"not_found"_s,
            u"There is no such endpoint: /%1. GET / lists the endpoints."_s.arg(seg.join(u'/')));
    QByteArrayList names;
    for (Method m : route->methods)
        names.append(methodName(m));
    if (route->methods.contains(Method::Get))
        names.append("HEAD");
    names.append("OPTIONS");
    if (method == Method::Options) {
        *allow = names.join(", ");
        return Reply{204, QJsonValue(QJsonValue::Undefined), {}};
    }
    if (!route->methods.contains(method)) {
        *allow = names.join(", ");
        return Reply::error(405, u"method_not_allowed"_s,
                            u"%1 is not allowed on /%2; use %3."_s.arg(
                                QString::fromLatin1(methodName(method)), seg.join(u'/'),
                                QString::fromLatin1(names.join(", "))));
    }

    const QString first = seg.value(0);
    const QString id = seg.value(1);
    const bool needsBody
        = (method == Method::Post || method == Method::Put || method == Method::Patch)
          && !(first == u"shopping-list" && id == u"generate");
    QJsonObject json;
    if (needsBody) {
        auto parsed = jsonBody(body);
        if (auto *r = std::get_if<Reply>(&parsed))
            return *r;
        json = std::get<QJsonObject>(parsed);
    }

    if (seg.isEmpty()) {
        QJsonArray endpoints;
        for (const char *e :
             {"GET /recipes", "POST /recipes", "GET /recipes/{id}", "GET /pantry", "POST /pantry",
              "PATCH /pantry/{id}", "DELETE /pantry/{id}", "GET /meal-plan", "PUT /meal-plan/{day}",
              "POST /shopping-list/generate", "GET /shopping-list",
              "PATCH /shopping-list/{itemId}"})
            endpoints.append(QString::fromLatin1(e));
        QJsonObject index;
        index.insert(u"name"_s, u"McpBridge demo cookbook API"_s);
        index.insert(u"description"_s,
                     u"Recipes, a pantry, a weekly meal plan and a shopping list, kept in memory "
                     "(restarting the program restores the sample data)."_s);
        index.insert(u"openapi"_s, QString(serverUrl + u"/openapi.json"_s));
        index.insert(u"endpoints"_s, endpoints);
        return Reply{200, index, {}};
    }
    if (first == u"openapi.json")
        return Reply{200, openApiDocument(serverUrl), {}};
    if (first == u"recipes") {
        if (seg.size() == 2)
            return store.getRecipe(id);
        return method == Method::Get ? store.listRecipes(query) : store.createRecipe(json);
    }
    if (first == u"pantry") {
        if (seg.size() == 1)
            return method == Method::Get ? store.listPantry(query) : store.addPantryItem(json);
        return method == Method::Patch ? store.updatePantryItem(id, json)
                                       : store.deletePantryItem(id);
    }
    if (first == u"meal-plan")
        return seg.size() == 1 ? store.mealPlan() : store.setMealPlanDay(id, json);
    // shopping-list
    if (seg.size() == 1)
        return store.shoppingList();
    if (id == u"generate")
        return store.generateShoppingList();
    return store.updateShoppingItem(id, json);
}

DemoApi::DemoApi(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->server = std::make_unique<Server>(d.get());
}

DemoApi::~DemoApi() = default;

bool DemoApi::listen(const QHostAddress &address, quint16 port)
{
    auto tcp = std::make_unique<QTcpServer>();
    if (!tcp->listen(address, port)) {
        d->errorString = u"Cannot listen on %1:%2: %3"_s.arg(address.toString())
                             .arg(port)
                             .arg(tcp->errorString());
        return false;
    }
    d->tcp = tcp.release();
    d->tcp->setParent(d->server.get());
    d->server->bind(d->tcp);
    d->errorString.clear();
    return true;
}

quint16 DemoApi::port() const
{
    return d->tcp ? d->tcp->serverPort() : 0;
}

QString DemoApi::errorString() const
{
    return d->errorString;
}

} // namespace mcpbridge::demo
