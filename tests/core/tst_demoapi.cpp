// The demo cookbook API over real HTTP on 127.0.0.1: every endpoint, its errors, the shopping
// list arithmetic, concurrency, and that /openapi.json describes exactly what is served.

#include "core/demo/demoapi.h"

#include <QDate>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using mcpbridge::demo::DemoApi;

namespace {

struct Answer
{
    int status = 0;
    QJsonValue json;
    QByteArray raw;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QMap<QByteArray, QByteArray> headers;
};

} // namespace

class TestDemoApi : public QObject
{
    Q_OBJECT

    std::unique_ptr<DemoApi> m_api;
    QNetworkAccessManager m_nam;

    QUrl url(const QString &path) const
    {
        return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_api->port()).arg(path));
    }

    QNetworkReply *send(const QByteArray &method, const QString &path, const QByteArray &body)
    {
        QNetworkRequest request(url(path));
        if (!body.isNull())
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        // As a custom verb, HEAD would make QNAM wait for a body that never comes.
        if (method == "HEAD")
            return m_nam.head(request);
        return m_nam.sendCustomRequest(request, method, body);
    }

    static Answer collect(QNetworkReply *reply)
    {
        Answer a;
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.raw = reply->readAll();
        a.error = reply->error();
        for (const auto &pair : reply->rawHeaderPairs())
            a.headers.insert(pair.first.toLower(), pair.second);
        const QJsonDocument doc = QJsonDocument::fromJson(a.raw);
        a.json = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
        reply->deleteLater();
        return a;
    }

    Answer call(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        QNetworkReply *reply = send(method, path, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished() && !finished.wait(10000))
            qWarning("no answer to %s %s", method.constData(), qPrintable(path));
        return collect(reply);
    }

    Answer call(const QByteArray &method, const QString &path, const QJsonObject &body)
    {
        return call(method, path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    static bool isErrorBody(const Answer &a, const QString &code)
    {
        const QJsonObject o = a.json.toObject();
        return o.value(u"error"_s).toString() == code
               && !o.value(u"message"_s).toString().isEmpty();
    }

private slots:
    void init()
    {
        // A fresh API per test: each starts from the sample data.
        m_api = std::make_unique<DemoApi>();
        QVERIFY2(m_api->listen(QHostAddress::LocalHost, 0), qPrintable(m_api->errorString()));
        QVERIFY(m_api->port() != 0);
    }

    void cleanup() { m_api.reset(); }

    void index()
    {
        const Answer a = call("GET", u"/"_s);
        QCOMPARE(a.status, 200);
        QVERIFY(a.header("content-type").startsWith("application/json"));
        const QJsonArray endpoints = a.json[u"endpoints"_s].toArray();
        QVERIFY(endpoints.contains(u"GET /recipes/{id}"_s));
        QVERIFY(a.json[u"openapi"_s].toString().endsWith(u"/openapi.json"_s));
    }

    void listRecipes_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("field"); // what each result must satisfy
        QTest::addColumn<QString>("contains");
        QTest::newRow("by tag") << u"tag=vegan"_s << u"tags"_s << u"vegan"_s;
        QTest::newRow("tag ignores case") << u"tag=Vegetarian"_s << u"tags"_s << u"vegetarian"_s;
        QTest::newRow("by words") << u"q=curry"_s << u"title"_s << u"Curry"_s;
        QTest::newRow("combined") << u"tag=quick&q=pasta"_s << u"tags"_s << u"quick"_s;
        QTest::newRow("by ingredient") << u"ingredient=eggs"_s << u"ingredient"_s << u"eggs"_s;
    }

    void listRecipes()
    {
        QFETCH(QString, query);
        QFETCH(QString, field);
        QFETCH(QString, contains);
        const Answer a = call("GET", u"/recipes?"_s + query);
        QCOMPARE(a.status, 200);
        const QJsonArray recipes = a.json[u"recipes"_s].toArray();
        QVERIFY(!recipes.isEmpty());
        QCOMPARE(a.json[u"total"_s].toInt(), recipes.size());
        const Answer all = call("GET", u"/recipes?limit=50"_s);
        QVERIFY(recipes.size() < all.json[u"recipes"_s].toArray().size());
        for (const QJsonValue &r : recipes) {
            QVERIFY(!r[u"ingredients"_s].isArray()); // summaries only
            if (field == u"tags") {
                QVERIFY(r[u"tags"_s].toArray().contains(contains));
            } else if (field == u"title") {
                QVERIFY(r[u"title"_s].toString().contains(contains));
            } else {
                const Answer full = call("GET", u"/recipes/%1"_s.arg(r[u"id"_s].toInt()));
                bool uses = false;
                for (const QJsonValue &i : full.json[u"ingredients"_s].toArray())
                    uses = uses || i[u"name"_s].toString().contains(contains);
                QVERIFY2(uses, qPrintable(r[u"title"_s].toString()));
            }
        }
    }

    void listLimit()
    {
        const Answer a = call("GET", u"/recipes?limit=2"_s);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json[u"recipes"_s].toArray().size(), 2);
        QVERIFY(a.json[u"total"_s].toInt() > 2);
        for (const char *bad : {"0", "51", "two"}) {
            const Answer b = call("GET", u"/recipes?limit="_s + QString::fromLatin1(bad));
            QCOMPARE(b.status, 400);
            QVERIFY(isErrorBody(b, u"bad_request"_s));
            QVERIFY(b.json[u"message"_s].toString().contains(u"limit"_s));
        }
    }

    void getRecipe()
    {
        const Answer list = call("GET", u"/recipes?limit=1"_s);
        const int id = list.json[u"recipes"_s][0][u"id"_s].toInt();
        const Answer a = call("GET", u"/recipes/%1"_s.arg(id));
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json[u"id"_s].toInt(), id);
        QVERIFY(!a.json[u"ingredients"_s].toArray().isEmpty());
        QVERIFY(a.json[u"ingredients"_s][0][u"unit"_s].isString());
        QVERIFY(!a.json[u"steps"_s].toArray().isEmpty());

        for (const char *missing : {"/recipes/9999", "/recipes/abc", "/recipes/-1"}) {
            const Answer b = call("GET", QString::fromLatin1(missing));
            QCOMPARE(b.status, 404);
            QVERIFY(isErrorBody(b, u"not_found"_s));
        }
    }

    void createRecipe()
    {
        const QJsonObject recipe{
            {u"title"_s, u"Test Toast"_s},
            {u"servings"_s, 1},
            {u"tags"_s, QJsonArray{u"Quick"_s}},
            {u"ingredients"_s,
             QJsonArray{QJsonObject{
                 {u"name"_s, u"Bread"_s}, {u"quantity"_s, 2}, {u"unit"_s, u"slice"_s}}}},
            {u"steps"_s, QJsonArray{u"Toast the bread."_s}}};
        const Answer created = call("POST", u"/recipes"_s, recipe);
        QCOMPARE(created.status, 201);
        const int id = created.json[u"id"_s].toInt();
        QVERIFY(id > 0);
        QCOMPARE(created.header("location"), "/recipes/" + QByteArray::number(id));
        QCOMPARE(created.json[u"minutes"_s].toInt(), 30); // the default

        const Answer fetched = call("GET", u"/recipes/%1"_s.arg(id));
        QCOMPARE(fetched.status, 200);
        QCOMPARE(fetched.json[u"title"_s].toString(), u"Test Toast"_s);
        QCOMPARE(fetched.json[u"tags"_s].toArray(), QJsonArray{u"quick"_s});
        QCOMPARE(fetched.json[u"ingredients"_s][0][u"name"_s].toString(), u"bread"_s);
        QCOMPARE(call("GET", u"/recipes?q=toast"_s).json[u"total"_s].toInt(), 1);
    }

    void badBodies_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("mentions");

        const QByteArray ok = R"("ingredients":[{"name":"x"}],"steps":["y"])";
        QTest::newRow("empty body") << QByteArray("POST") << u"/recipes"_s << QByteArray("")
                                    << u"invalid_json"_s << u"empty"_s;
        QTest::newRow("broken json")
            << QByteArray("POST") << u"/recipes"_s << QByteArray("{\"title\": ")
            << u"invalid_json"_s << u"not valid JSON"_s;
        QTest::newRow("array body") << QByteArray("POST") << u"/recipes"_s << QByteArray("[1]")
                                    << u"invalid_json"_s << u"JSON object"_s;
        QTest::newRow("no title") << QByteArray("POST") << u"/recipes"_s << "{" + ok + "}"
                                  << u"validation_failed"_s << u"\"title\" is required"_s;
        QTest::newRow("title not text")
            << QByteArray("POST") << u"/recipes"_s << "{\"title\":5," + ok + "}"
            << u"validation_failed"_s << u"\"title\" must be a string"_s;
        QTest::newRow("no ingredients")
            << QByteArray("POST") << u"/recipes"_s
            << QByteArray(R"({"title":"t","ingredients":[],"steps":["y"]})")
            << u"validation_failed"_s << u"ingredients"_s;
        QTest::newRow("servings zero")
            << QByteArray("POST") << u"/recipes"_s << "{\"title\":\"t\",\"servings\":0," + ok + "}"
            << u"validation_failed"_s << u"servings"_s;
        QTest::newRow("steps not strings")
            << QByteArray("POST") << u"/recipes"_s
            << QByteArray(R"({"title":"t","ingredients":[{"name":"x"}],"steps":[1]})")
            << u"validation_failed"_s << u"steps"_s;
        QTest::newRow("pantry without quantity")
            << QByteArray("POST") << u"/pantry"_s << QByteArray(R"({"name":"salt"})")
            << u"validation_failed"_s << u"quantity"_s;
        QTest::newRow("pantry bad date")
            << QByteArray("POST") << u"/pantry"_s
            << QByteArray(R"({"name":"salt","quantity":1,"expires":"tomorrow"})")
            << u"validation_failed"_s << u"expires"_s;
        QTest::newRow("pantry patch nothing")
            << QByteArray("PATCH") << u"/pantry/1"_s << QByteArray("{}") << u"validation_failed"_s
            << u"Nothing to change"_s;
        QTest::newRow("pantry patch negative")
            << QByteArray("PATCH") << u"/pantry/1"_s << QByteArray(R"({"quantity":-1})")
            << u"validation_failed"_s << u"quantity"_s;
        QTest::newRow("bad day") << QByteArray("PUT") << u"/meal-plan/funday"_s
                                 << QByteArray(R"({"recipeIds":[]})") << u"bad_request"_s
                                 << u"funday"_s;
        QTest::newRow("unknown recipe in plan")
            << QByteArray("PUT") << u"/meal-plan/monday"_s
            << QByteArray(R"({"recipeIds":[1, 999]})") << u"validation_failed"_s << u"999"_s;
        QTest::newRow("plan without ids")
            << QByteArray("PUT") << u"/meal-plan/monday"_s << QByteArray(R"({"ids":[1]})")
            << u"validation_failed"_s << u"recipeIds"_s;
        QTest::newRow("too many in a day") << QByteArray("PUT") << u"/meal-plan/monday"_s
                                           << QByteArray(R"({"recipeIds":[1,2,3,4,5,6]})")
                                           << u"validation_failed"_s << u"At most 5"_s;
        QTest::newRow("shopping item before any list")
            << QByteArray("PATCH") << u"/shopping-list/1"_s << QByteArray(R"({"checked":"yes"})")
            << u"not_found"_s << u"shopping list item"_s;
    }

    void badBodies()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, mentions);
        const Answer a = call(method, path, body);
        QCOMPARE(a.status, code == u"not_found" ? 404 : 400);
        QVERIFY2(isErrorBody(a, code), a.raw.constData());
        QVERIFY2(a.json[u"message"_s].toString().contains(mentions), a.raw.constData());
    }

    void pantryCrud()
    {
        const int before = call("GET", u"/pantry"_s).json[u"items"_s].toArray().size();
        QVERIFY(before > 0);
        const Answer added = call("POST", u"/pantry"_s,
                                  QJsonObject{{u"name"_s, u"Saffron"_s},
                                              {u"quantity"_s, 2},
                                              {u"unit"_s, u"g"_s},
                                              {u"expires"_s, u"2031-01-31"_s}});
        QCOMPARE(added.status, 201);
        const int id = added.json[u"id"_s].toInt();
        QCOMPARE(added.json[u"name"_s].toString(), u"saffron"_s);
        QCOMPARE(added.header("location"), "/pantry/" + QByteArray::number(id));

        const Answer patched
            = call("PATCH", u"/pantry/%1"_s.arg(id), QJsonObject{{u"quantity"_s, 1.5}});
        QCOMPARE(patched.status, 200);
        QCOMPARE(patched.json[u"quantity"_s].toDouble(), 1.5);
        QCOMPARE(patched.json[u"unit"_s].toString(), u"g"_s); // untouched
        const Answer cleared
            = call("PATCH", u"/pantry/%1"_s.arg(id), QJsonObject{{u"expires"_s, QJsonValue::Null}});
        QCOMPARE(cleared.status, 200);
        QVERIFY(cleared.json[u"expires"_s].isNull());

        const QJsonArray items = call("GET", u"/pantry"_s).json[u"items"_s].toArray();
        QCOMPARE(items.size(), before + 1);

        const Answer removed = call("DELETE", u"/pantry/%1"_s.arg(id));
        QCOMPARE(removed.status, 200);
        QCOMPARE(removed.json[u"deleted"_s][u"id"_s].toInt(), id);
        QCOMPARE(call("GET", u"/pantry"_s).json[u"items"_s].toArray().size(), before);
        const Answer again = call("DELETE", u"/pantry/%1"_s.arg(id));
        QCOMPARE(again.status, 404);
        QVERIFY(isErrorBody(again, u"not_found"_s));
        QCOMPARE(call("PATCH", u"/pantry/%1"_s.arg(id), QJsonObject{{u"quantity"_s, 1}}).status,
                 404);
    }

    void pantryExpiring()
    {
        const QString today = QDate::currentDate().toString(Qt::ISODate);
        const QString soon = QDate::currentDate().addDays(1).toString(Qt::ISODate);
        const QString later = QDate::currentDate().addDays(400).toString(Qt::ISODate);
        QCOMPARE(
            call("POST", u"/pantry"_s,
                 QJsonObject{{u"name"_s, u"cream"_s}, {u"quantity"_s, 1}, {u"expires"_s, soon}})
                .status,
            201);
        QCOMPARE(
            call("POST", u"/pantry"_s,
                 QJsonObject{{u"name"_s, u"honey"_s}, {u"quantity"_s, 1}, {u"expires"_s, later}})
                .status,
            201);
        const Answer a = call("GET", u"/pantry?expiringWithinDays=2"_s);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json[u"today"_s].toString(), today);
        QStringList names;
        for (const QJsonValue &i : a.json[u"items"_s].toArray()) {
            names.append(i[u"name"_s].toString());
            QVERIFY(i[u"expires"_s].toString()
                    <= QDate::currentDate().addDays(2).toString(Qt::ISODate));
        }
        QVERIFY(names.contains(u"cream"_s));
        QVERIFY(!names.contains(u"honey"_s));
        QCOMPARE(call("GET", u"/pantry?expiringWithinDays=-3"_s).status, 400);
    }

    void mealPlan()
    {
        const Answer week = call("GET", u"/meal-plan"_s);
        QCOMPARE(week.status, 200);
        const QJsonArray days = week.json[u"week"_s].toArray();
        QCOMPARE(days.size(), 7);
        QCOMPARE(days.first()[u"day"_s].toString(), u"monday"_s);
        QCOMPARE(days.last()[u"day"_s].toString(), u"sunday"_s);

        const Answer set
            = call("PUT", u"/meal-plan/Tuesday"_s, QJsonObject{{u"recipeIds"_s, QJsonArray{3, 2}}});
        QCOMPARE(set.status, 200);
        QCOMPARE(set.json[u"day"_s].toString(), u"tuesday"_s);
        QCOMPARE(set.json[u"recipeIds"_s].toArray(), (QJsonArray{3, 2}));
        QCOMPARE(set.json[u"recipes"_s][0][u"title"_s].toString(),
                 call("GET", u"/recipes/3"_s).json[u"title"_s].toString());
        // PUT is idempotent: the same call again gives the same state.
        QCOMPARE(
            call("PUT", u"/meal-plan/tuesday"_s, QJsonObject{{u"recipeIds"_s, QJsonArray{3, 2}}})
                .json,
            set.json);
        QCOMPARE(call("GET", u"/meal-plan"_s).json[u"week"_s][1], set.json);
    }

    void shoppingListFromPlan()
    {
        // A recipe with ingredients nothing else uses, so the arithmetic is ours to check.
        const QJsonObject recipe{
            {u"title"_s, u"Dragon Bowl"_s},
            {u"ingredients"_s,
             QJsonArray{
                 QJsonObject{
                     {u"name"_s, u"dragon fruit"_s}, {u"quantity"_s, 3}, {u"unit"_s, u"piece"_s}},
                 QJsonObject{{u"name"_s, u"yuzu"_s}, {u"quantity"_s, 2}, {u"unit"_s, u"ml"_s}},
                 QJsonObject{{u"name"_s, u"nori"_s}, {u"quantity"_s, 1}, {u"unit"_s, u"sheet"_s}}}},
            {u"steps"_s, QJsonArray{u"Mix."_s}}};
        const int id = call("POST", u"/recipes"_s, recipe).json[u"id"_s].toInt();
        QVERIFY(id > 0);
        for (const QString &day : {u"monday"_s, u"tuesday"_s, u"wednesday"_s, u"thursday"_s,
                                   u"friday"_s, u"saturday"_s, u"sunday"_s}) {
            const QJsonArray ids
                = day == u"monday" || day == u"friday" ? QJsonArray{id} : QJsonArray{};
            QCOMPARE(call("PUT", u"/meal-plan/"_s + day, QJsonObject{{u"recipeIds"_s, ids}}).status,
                     200);
        }
        const QString yesterday = QDate::currentDate().addDays(-1).toString(Qt::ISODate);
        // In the pantry: some yuzu (same unit), nori in another unit, dragon fruit expired.
        call("POST", u"/pantry"_s,
             QJsonObject{{u"name"_s, u"yuzu"_s}, {u"quantity"_s, 1.5}, {u"unit"_s, u"ml"_s}});
        call("POST", u"/pantry"_s,
             QJsonObject{{u"name"_s, u"nori"_s}, {u"quantity"_s, 10}, {u"unit"_s, u"g"_s}});
        call("POST", u"/pantry"_s,
             QJsonObject{{u"name"_s, u"dragon fruit"_s},
                         {u"quantity"_s, 9},
                         {u"unit"_s, u"piece"_s},
                         {u"expires"_s, yesterday}});

        QCOMPARE(call("GET", u"/shopping-list"_s).json[u"generatedAt"_s].isNull(), true);
        const Answer list = call("POST", u"/shopping-list/generate"_s);
        QCOMPARE(list.status, 200);
        QVERIFY(!list.json[u"generatedAt"_s].toString().isEmpty());
        QMap<QString, QJsonObject> byName;
        for (const QJsonValue &i : list.json[u"items"_s].toArray())
            byName.insert(i[u"name"_s].toString(), i.toObject());
        QCOMPARE(byName.size(), 3);
        QCOMPARE(byName[u"dragon fruit"_s][u"quantity"_s].toDouble(),
                 6.0); // expired ones do not count
        QCOMPARE(byName[u"yuzu"_s][u"quantity"_s].toDouble(), 2.5);
        QCOMPARE(byName[u"nori"_s][u"quantity"_s].toDouble(), 2.0); // grams are not sheets
        QCOMPARE(byName[u"nori"_s][u"forRecipes"_s].toArray(), QJsonArray{u"Dragon Bowl"_s});

        const int itemId = byName[u"yuzu"_s][u"id"_s].toInt();
        const Answer ticked
            = call("PATCH", u"/shopping-list/%1"_s.arg(itemId), QJsonObject{{u"checked"_s, true}});
        QCOMPARE(ticked.status, 200);
        QCOMPARE(ticked.json[u"checked"_s].toBool(), true);
        bool stored = false;
        for (const QJsonValue &i : call("GET", u"/shopping-list"_s).json[u"items"_s].toArray())
            stored = stored || (i[u"id"_s].toInt() == itemId && i[u"checked"_s].toBool());
        QVERIFY(stored);
        const Answer notBool = call("PATCH", u"/shopping-list/%1"_s.arg(itemId),
                                    QJsonObject{{u"checked"_s, u"yes"_s}});
        QCOMPARE(notBool.status, 400);
        QVERIFY(isErrorBody(notBool, u"validation_failed"_s));
        QCOMPARE(call("PATCH", u"/shopping-list/999"_s, QJsonObject{{u"checked"_s, true}}).status,
                 404);

        // Covering everything in the pantry empties the list.
        call("POST", u"/pantry"_s,
             QJsonObject{
                 {u"name"_s, u"dragon fruit"_s}, {u"quantity"_s, 6}, {u"unit"_s, u"piece"_s}});
        call("POST", u"/pantry"_s,
             QJsonObject{{u"name"_s, u"yuzu"_s}, {u"quantity"_s, 5}, {u"unit"_s, u"ml"_s}});
        call("POST", u"/pantry"_s,
             QJsonObject{{u"name"_s, u"nori"_s}, {u"quantity"_s, 2}, {u"unit"_s, u"sheet"_s}});
        QCOMPARE(call("POST", u"/shopping-list/generate"_s).json[u"items"_s].toArray().size(), 0);
    }

    void unknownPathsAndMethods()
    {
        const Answer missing = call("GET", u"/nothing/here"_s);
        QCOMPARE(missing.status, 404);
        QVERIFY(isErrorBody(missing, u"not_found"_s));

        const Answer wrongMethod = call("DELETE", u"/recipes"_s);
        QCOMPARE(wrongMethod.status, 405);
        QVERIFY(isErrorBody(wrongMethod, u"method_not_allowed"_s));
        QVERIFY(wrongMethod.header("allow").contains("POST"));

        const Answer options = call("OPTIONS", u"/pantry/1"_s);
        QCOMPARE(options.status, 204);
        QVERIFY(options.header("allow").contains("PATCH"));
        QVERIFY(options.header("allow").contains("DELETE"));

        const Answer head = call("HEAD", u"/recipes"_s);
        QCOMPARE(head.status, 200);
        QVERIFY(head.raw.isEmpty());
    }

    void concurrentRequests()
    {
        QList<QNetworkReply *> replies;
        for (int i = 0; i < 24; ++i)
            replies.append(
                send("GET", i % 2 ? u"/recipes/%1"_s.arg(i % 12 + 1) : u"/pantry"_s, {}));
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.begin(), replies.end(),
                                             [](QNetworkReply *r) { return r->isFinished(); }),
                                 15000);
        for (qsizetype i = 0; i < replies.size(); ++i) {
            const Answer a = collect(replies.at(i));
            QCOMPARE(a.status, 200);
            if (i % 2)
                QCOMPARE(a.json[u"id"_s].toInt(), int(i % 12 + 1));
            else
                QVERIFY(a.json[u"items"_s].isArray());
        }
    }

    void openApiDescribesEveryRoute()
    {
        const Answer a = call("GET", u"/openapi.json"_s);
        QCOMPARE(a.status, 200);
        const QJsonObject doc = a.json.toObject();
        QCOMPARE(doc[u"openapi"_s].toString(), u"3.0.3"_s);
        QCOMPARE(doc[u"servers"_s][0][u"url"_s].toString(),
                 u"http://127.0.0.1:%1"_s.arg(m_api->port()));
        const QJsonObject paths = doc[u"paths"_s].toObject();
        const QJsonObject schemas = doc[u"components"_s][u"schemas"_s].toObject();

        QSet<QString> described;
        QSet<QString> operationIds;
        for (auto p = paths.begin(); p != paths.end(); ++p) {
            const QJsonObject ops = p.value().toObject();
            for (auto op = ops.begin(); op != ops.end(); ++op) {
                const QJsonObject o = op.value().toObject();
                const QString label = op.key().toUpper() + u' ' + p.key();
                described.insert(label);
                QVERIFY2(!o[u"operationId"_s].toString().isEmpty(), qPrintable(label));
                QVERIFY2(!operationIds.contains(o[u"operationId"_s].toString()), qPrintable(label));
                operationIds.insert(o[u"operationId"_s].toString());
                QVERIFY2(!o[u"summary"_s].toString().isEmpty(), qPrintable(label));
                QVERIFY2(!o[u"description"_s].toString().isEmpty(), qPrintable(label));
                QVERIFY2(o[u"responses"_s].toObject().contains(u"200"_s)
                             || o[u"responses"_s].toObject().contains(u"201"_s),
                         qPrintable(label));
                // Every path variable is declared, with a schema.
                for (const QString &var : {u"id"_s, u"day"_s, u"itemId"_s}) {
                    if (!p.key().contains(u'{' + var + u'}'))
                        continue;
                    bool declared = false;
                    for (const QJsonValue &param : o[u"parameters"_s].toArray())
                        declared = declared
                                   || (param[u"name"_s] == var && param[u"in"_s] == u"path"_s
                                       && param[u"required"_s].toBool()
                                       && param[u"schema"_s].isObject());
                    QVERIFY2(declared, qPrintable(label + u" {"_s + var + u'}'));
                }
                // Every $ref points at something that exists.
                const QByteArray text = QJsonDocument(o).toJson(QJsonDocument::Compact);
                for (qsizetype at = text.indexOf("#/components/schemas/"); at >= 0;
                     at = text.indexOf("#/components/schemas/", at + 1)) {
                    const qsizetype start = at + 21;
                    const QString name
                        = QString::fromUtf8(text.mid(start, text.indexOf('"', start) - start));
                    QVERIFY2(schemas.contains(name), qPrintable(label + u": "_s + name));
                }

                // And the route really answers (not 404 for a missing route, not 405).
                QString path = p.key();
                path.replace(u"{id}"_s, u"1"_s)
                    .replace(u"{day}"_s, u"monday"_s)
                    .replace(u"{itemId}"_s, u"1"_s);
                const Answer live = call(op.key().toUpper().toLatin1(), path, QByteArray("{}"));
                QVERIFY2(live.status != 405, qPrintable(label));
                QVERIFY2(live.status != 404 || isErrorBody(live, u"not_found"_s),
                         qPrintable(label));
                QVERIFY2(!live.json[u"message"_s].toString().contains(u"no such endpoint"_s),
                         qPrintable(label));
            }
        }
        // Every endpoint the index advertises is described.
        for (const QJsonValue &e : call("GET", u"/"_s).json[u"endpoints"_s].toArray())
            QVERIFY2(described.contains(e.toString()), qPrintable(e.toString()));
        QCOMPARE(described.size(), call("GET", u"/"_s).json[u"endpoints"_s].toArray().size());
    }

    void commandLine()
    {
        // `mcpbridge demo-api` as users run it; needs the program built beside the tests.
        const QString program
            = qEnvironmentVariable("MCPBRIDGE_BINARY_DIR") + u"/app/cli/mcpbridge"_s;
        if (!QFile::exists(program))
            QSKIP("the mcpbridge program is not built");
        QProcess server;
        server.start(program, {u"demo-api"_s, u"--port"_s, u"0"_s});
        QVERIFY(server.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(server.canReadLine(), 10000);
        const QString line = QString::fromUtf8(server.readLine()).trimmed();
        const auto m
            = QRegularExpression(u"^Demo API listening at http://127\\.0\\.0\\.1:(\\d+)$"_s)
                  .match(line);
        QVERIFY2(m.hasMatch(), qPrintable(line));
        const quint16 port = quint16(m.captured(1).toUInt());

        QNetworkReply *reply
            = m_nam.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/meal-plan"_s.arg(port))));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(collect(reply).json[u"week"_s].toArray().size(), 7);

        QProcess busy;
        busy.start(program, {u"demo-api"_s, u"--port"_s, QString::number(port)});
        QVERIFY(busy.waitForFinished(10000));
        QCOMPARE(busy.exitCode(), 1);
        const QString err = QString::fromUtf8(busy.readAllStandardError());
        QVERIFY2(err.contains(QString::number(port)) && err.contains(u"--port"_s), qPrintable(err));
        QVERIFY(busy.readAllStandardOutput().isEmpty());

        QProcess bad;
        bad.start(program, {u"demo-api"_s, u"--port"_s, u"99999"_s});
        QVERIFY(bad.waitForFinished(10000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(bad.readAllStandardError().contains("0 to 65535"));

        server.kill();
        QVERIFY(server.waitForFinished(10000));
    }

    void busyPort()
    {
        DemoApi second;
        QVERIFY(!second.listen(QHostAddress::LocalHost, m_api->port()));
        QVERIFY2(second.errorString().contains(QString::number(m_api->port())),
                 qPrintable(second.errorString()));
        QCOMPARE(second.port(), quint16(0));
        // The first one still serves.
        QCOMPARE(call("GET", u"/meal-plan"_s).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestDemoApi)
#include "tst_demoapi.moc"
