#include "core/demo/demostore.h"

#include <QDate>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

namespace mcpbridge::demo {

namespace {

constexpr int MaxRecipesPerDay = 5;

// Reads fields of a request body and collects every problem, so one 400 names all of them.
class BodyReader
{
public:
    explicit BodyReader(const QJsonObject &body)
        : m_body(body)
    {}

    bool has(const QString &key) const { return m_body.contains(key); }

    QString string(const QString &key, bool required, int maxLength = 500)
    {
        const QJsonValue v = m_body.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                m_problems.append(u"\"%1\" is required"_s.arg(key));
            return {};
        }
        if (!v.isString()) {
            m_problems.append(u"\"%1\" must be a string"_s.arg(key));
            return {};
        }
        const QString s = v.toString().trimmed();
        if (required && s.isEmpty())
            m_problems.append(u"\"%1\" must not be empty"_s.arg(key));
        if (s.size() > maxLength)
            m_problems.append(u"\"%1\" is longer than %2 characters"_s.arg(key).arg(maxLength));
        return s;
    }

    std::optional<double> number(const QString &key, bool required, double min, double max)
    {
        const QJsonValue v = m_body.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                m_problems.append(u"\"%1\" is required"_s.arg(key));
            return std::nullopt;
        }
        if (!v.isDouble()) {
            m_problems.append(u"\"%1\" must be a number"_s.arg(key));
            return std::nullopt;
        }
        const double d = v.toDouble();
        if (d < min || d > max) {
            m_problems.append(u"\"%1\" must be between %2 and %3"_s.arg(key).arg(min).arg(max));
            return std::nullopt;
        }
        return d;
    }

    std::optional<int> integer(const QString &key, bool required, int min, int max)
    {
        const auto d = number(key, required, min, max);
        if (d && *d != std::floor(*d)) {
            m_problems.append(u"\"%1\" must be a whole number"_s.arg(key));
            return std::nullopt;
        }
        return d ? std::optional<int>(int(*d)) : std::nullopt;
    }

    QStringList strings(const QString &key, bool required)
    {
        const QJsonValue v = m_body.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                m_problems.append(u"\"%1\" is required (an array of strings)"_s.arg(key));
            return {};
        }
        QStringList out;
        bool ok = v.isArray();
        for (const QJsonValue &item : v.toArray()) {
            ok = ok && item.isString() && !item.toString().trimmed().isEmpty();
            out.append(item.toString().trimmed());
        }
        if (!ok)
            m_problems.append(u"\"%1\" must be an array of non-empty strings"_s.arg(key));
        else if (required && out.isEmpty())
            m_problems.append(u"\"%1\" must not be empty"_s.arg(key));
        return out;
    }

    QString date(const QString &key)
    {
        const QString s = string(key, false, 10);
        if (!s.isEmpty() && !QDate::fromString(s, Qt::ISODate).isValid())
            m_problems.append(u"\"%1\" must be a date like 2025-03-31"_s.arg(key));
        return s;
    }

    void problem(const QString &message) { m_problems.append(message); }
    bool ok() const { return m_problems.isEmpty(); }
    Reply failure() const
    {
        return Reply::error(400, u"validation_failed"_s,
                            u"The request body is not valid: "_s + m_problems.join(u"; "_s) + u'.');
    }

private:
    QJsonObject m_body;
    QStringList m_problems;
};

std::optional<int> parseId(const QString &text)
{
    bool ok = false;
    const int id = text.toInt(&ok);
    return ok && id > 0 ? std::optional<int>(id) : std::nullopt;
}

QJsonObject recipeSummaryJson(const Recipe &r)
{
    return {{u"id"_s, r.id},           {u"title"_s, r.title},
            {u"summary"_s, r.summary}, {u"servings"_s, r.servings},
            {u"minutes"_s, r.minutes}, {u"tags"_s, QJsonArray::fromStringList(r.tags)}};
}

QJsonObject recipeJson(const Recipe &r)
{
    QJsonObject o = recipeSummaryJson(r);
    QJsonArray ingredients;
    for (const Ingredient &i : r.ingredients)
        ingredients.append(
            QJsonObject{{u"name"_s, i.name}, {u"quantity"_s, i.quantity}, {u"unit"_s, i.unit}});
    o.insert(u"ingredients"_s, ingredients);
    o.insert(u"steps"_s, QJsonArray::fromStringList(r.steps));
    return o;
}

QJsonObject pantryJson(const PantryItem &p)
{
    return {{u"id"_s, p.id},
            {u"name"_s, p.name},
            {u"quantity"_s, p.quantity},
            {u"unit"_s, p.unit},
            {u"expires"_s, p.expires.isEmpty() ? QJsonValue() : QJsonValue(p.expires)}};
}

QJsonObject shoppingJson(const ShoppingItem &s)
{
    return {{u"id"_s, s.id},
            {u"name"_s, s.name},
            {u"quantity"_s, s.quantity},
            {u"unit"_s, s.unit},
            {u"checked"_s, s.checked},
            {u"forRecipes"_s, QJsonArray::fromStringList(s.forRecipes)}};
}

Reply notFound(const QString &what, const QString &id, const QString &hint)
{
    return Reply::error(404, u"not_found"_s,
                        u"There is no %1 with id \"%2\". %3"_s.arg(what, id, hint));
}

} // namespace

Reply Reply::error(int status, const QString &code, const QString &message)
{
    return Reply{status, QJsonObject{{u"error"_s, code}, {u"message"_s, message}}, {}};
}

DemoStore::DemoStore()
{
    seed();
}

const QStringList &DemoStore::days()
{
    static const QStringList all = {u"monday"_s, u"tuesday"_s,  u"wednesday"_s, u"thursday"_s,
                                    u"friday"_s, u"saturday"_s, u"sunday"_s};
    return all;
}

const Recipe *DemoStore::findRecipe(int id) const
{
    for (const Recipe &r : m_recipes) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

Reply DemoStore::listRecipes(const QUrlQuery &query) const
{
    const QString q = query.queryItemValue(u"q"_s, QUrl::FullyDecoded).trimmed();
    const QString tag = query.queryItemValue(u"tag"_s, QUrl::FullyDecoded).trimmed();
    const QString ingredient = query.queryItemValue(u"ingredient"_s, QUrl::FullyDecoded).trimmed();
    int limit = 20;
    if (query.hasQueryItem(u"limit"_s)) {
        bool ok = false;
        limit = query.queryItemValue(u"limit"_s).toInt(&ok);
        if (!ok || limit < 1 || limit > 50)
            return Reply::error(400, u"bad_request"_s,
                                u"\"limit\" must be a whole number from 1 to 50."_s);
    }

    QJsonArray found;
    int total = 0;
    for (const Recipe &r : m_recipes) {
        if (!q.isEmpty() && !r.title.contains(q, Qt::CaseInsensitive)
            && !r.summary.contains(q, Qt::CaseInsensitive)
            && !r.tags.contains(q, Qt::CaseInsensitive))
            continue;
        if (!tag.isEmpty() && !r.tags.contains(tag, Qt::CaseInsensitive))
            continue;
        if (!ingredient.isEmpty()
            && std::none_of(r.ingredients.begin(), r.ingredients.end(), [&](const Ingredient &i) {
                   return i.name.contains(ingredient, Qt::CaseInsensitive);
               }))
            continue;
        ++total;
        if (found.size() < limit)
            found.append(recipeSummaryJson(r));
    }
    return Reply{200, QJsonObject{{u"total"_s, total}, {u"recipes"_s, found}}, {}};
}

Reply DemoStore::getRecipe(const QString &id) const
{
    const auto n = parseId(id);
    const Recipe *r = n ? findRecipe(*n) : nullptr;
    if (!r)
        return notFound(u"recipe"_s, id,
                        u"Recipe ids are whole numbers; GET /recipes lists them."_s);
    return Reply{200, recipeJson(*r), {}};
}

Reply DemoStore::createRecipe(const QJsonObject &body)
{
    BodyReader in(body);
    Recipe r;
    r.title = in.string(u"title"_s, true, 200);
    r.summary = in.string(u"summary"_s, false);
    r.servings = in.integer(u"servings"_s, false, 1, 100).value_or(2);
    r.minutes = in.integer(u"minutes"_s, false, 0, 24 * 60).value_or(30);
    for (const QString &t : in.strings(u"tags"_s, false))
        r.tags.append(t.toLower());
    r.steps = in.strings(u"steps"_s, true);

    const QJsonValue ingredients = body.value(u"ingredients"_s);
    if (!ingredients.isArray() || ingredients.toArray().isEmpty())
        in.problem(u"\"ingredients\" is required: a non-empty array of {name, quantity, unit}"_s);
    const QJsonArray list = ingredients.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject o = list.at(i).toObject();
        const QString name = o.value(u"name"_s).toString().trimmed();
        const QJsonValue quantity = o.value(u"quantity"_s);
        if (!list.at(i).isObject() || name.isEmpty())
            in.problem(u"ingredients[%1] needs a \"name\""_s.arg(i));
        else if (!quantity.isUndefined() && (!quantity.isDouble() || quantity.toDouble() < 0))
            in.problem(u"ingredients[%1].quantity must be a number of 0 or more"_s.arg(i));
        else if (o.contains(u"unit"_s) && !o.value(u"unit"_s).isString())
            in.problem(u"ingredients[%1].unit must be a string"_s.arg(i));
        else
            r.ingredients.append(
                {name.toLower(), quantity.toDouble(1), o.value(u"unit"_s).toString()});
    }
    if (!in.ok())
        return in.failure();

    r.id = m_nextRecipeId++;
    m_recipes.append(r);
    return Reply{201, recipeJson(r), "/recipes/" + QByteArray::number(r.id)};
}

Reply DemoStore::listPantry(const QUrlQuery &query) const
{
    const QDate today = QDate::currentDate();
    std::optional<QDate> until;
    if (query.hasQueryItem(u"expiringWithinDays"_s)) {
        bool ok = false;
        const int days = query.queryItemValue(u"expiringWithinDays"_s).toInt(&ok);
        if (!ok || days < 0 || days > 3650)
            return Reply::error(400, u"bad_request"_s,
                                u"\"expiringWithinDays\" must be a whole number from 0 to 3650."_s);
        until = today.addDays(days);
    }
    QJsonArray items;
    for (const PantryItem &p : m_pantry) {
        if (until && (p.expires.isEmpty() || QDate::fromString(p.expires, Qt::ISODate) > *until))
            continue;
        items.append(pantryJson(p));
    }
    return Reply{
        200, QJsonObject{{u"today"_s, today.toString(Qt::ISODate)}, {u"items"_s, items}}, {}};
}

Reply DemoStore::addPantryItem(const QJsonObject &body)
{
    BodyReader in(body);
    PantryItem p;
    p.name = in.string(u"name"_s, true, 100).toLower();
    p.quantity = in.number(u"quantity"_s, true, 0, 1e6).value_or(0);
    p.unit = in.string(u"unit"_s, false, 20);
    p.expires = in.date(u"expires"_s);
    if (!in.ok())
        return in.failure();
    p.id = m_nextPantryId++;
    m_pantry.append(p);
    return Reply{201, pantryJson(p), "/pantry/" + QByteArray::number(p.id)};
}

Reply DemoStore::updatePantryItem(const QString &id, const QJsonObject &body)
{
    const auto n = parseId(id);
    auto it = std::find_if(m_pantry.begin(), m_pantry.end(),
                           [&](const PantryItem &p) { return n && p.id == *n; });
    if (it == m_pantry.end())
        return notFound(u"pantry item"_s, id, u"GET /pantry lists the items and their ids."_s);

    static const QStringList fields = {u"name"_s, u"quantity"_s, u"unit"_s, u"expires"_s};
    if (std::none_of(fields.begin(), fields.end(),
                     [&](const QString &f) { return body.contains(f); }))
        return Reply::error(400, u"validation_failed"_s,
                            u"Nothing to change: send at least one of \"name\", \"quantity\", "
                            "\"unit\" or \"expires\"."_s);
    BodyReader in(body);
    PantryItem updated = *it;
    if (body.contains(u"name"_s))
        updated.name = in.string(u"name"_s, true, 100).toLower();
    if (body.contains(u"quantity"_s))
        updated.quantity = in.number(u"quantity"_s, true, 0, 1e6).value_or(updated.quantity);
    if (body.contains(u"unit"_s))
        updated.unit = in.string(u"unit"_s, false, 20);
    if (body.contains(u"expires"_s))
        updated.expires = in.date(u"expires"_s); // null clears it
    if (!in.ok())
        return in.failure();
    *it = updated;
    return Reply{200, pantryJson(updated), {}};
}

Reply DemoStore::deletePantryItem(const QString &id)
{
    const auto n = parseId(id);
    for (qsizetype i = 0; i < m_pantry.size(); ++i) {
        if (n && m_pantry.at(i).id == *n) {
            const PantryItem removed = m_pantry.takeAt(i);
            return Reply{200, QJsonObject{{u"deleted"_s, pantryJson(removed)}}, {}};
        }
    }
    return notFound(u"pantry item"_s, id, u"GET /pantry lists the items and their ids."_s);
}

QJsonObject DemoStore::mealPlanDay(const QString &day) const
{
    QJsonArray ids;
    QJsonArray recipes;
    for (int id : m_mealPlan.value(day)) {
        ids.append(id);
        if (const Recipe *r = findRecipe(id))
            recipes.append(QJsonObject{{u"id"_s, r->id}, {u"title"_s, r->title}});
    }
    return {{u"day"_s, day}, {u"recipeIds"_s, ids}, {u"recipes"_s, recipes}};
}

Reply DemoStore::mealPlan() const
{
    QJsonArray week;
    for (const QString &day : days())
        week.append(mealPlanDay(day));
    return Reply{200, QJsonObject{{u"week"_s, week}}, {}};
}

Reply DemoStore::setMealPlanDay(const QString &dayText, const QJsonObject &body)
{
    const QString day = dayText.toLower();
    if (!days().contains(day))
        return Reply::error(400, u"bad_request"_s,
                            u"\"%1\" is not a day of the week; use one of %2."_s.arg(
                                dayText, days().join(u", "_s)));
    const QJsonValue ids = body.value(u"recipeIds"_s);
    if (!ids.isArray())
        return Reply::error(
            400, u"validation_failed"_s,
            u"The request body is not valid: \"recipeIds\" is required, an array of "
            "recipe ids (use [] to clear the day)."_s);
    QList<int> planned;
    QStringList unknown;
    for (const QJsonValue &v : ids.toArray()) {
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d != std::floor(d) || !findRecipe(int(d)))
            unknown.append(
                QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact))
                    .mid(1)
                    .chopped(1));
        else
            planned.append(int(d));
    }
    if (!unknown.isEmpty())
        return Reply::error(
            400, u"validation_failed"_s,
            u"These are not ids of existing recipes: %1. GET /recipes lists them."_s.arg(
                unknown.join(u", "_s)));
    if (planned.size() > MaxRecipesPerDay)
        return Reply::error(
            400, u"validation_failed"_s,
            u"At most %1 recipes can be planned for one day."_s.arg(MaxRecipesPerDay));
    m_mealPlan[day] = planned;
    return Reply{200, mealPlanDay(day), {}};
}

Reply DemoStore::generateShoppingList()
{
    const QDate today = QDate::currentDate();
    // What the planned week needs, by (name, unit).
    QMap<std::pair<QString, QString>, ShoppingItem> needed;
    for (const QString &day : days()) {
        for (int id : m_mealPlan.value(day)) {
            const Recipe *r = findRecipe(id);
            if (!r)
                continue;
            for (const Ingredient &i : r->ingredients) {
                ShoppingItem &s = needed[{i.name.toLower(), i.unit}];
                s.name = i.name.toLower();
                s.unit = i.unit;
                s.quantity += i.quantity;
                if (!s.forRecipes.contains(r->title))
                    s.forRecipes.append(r->title);
            }
        }
    }
    // Minus what the pantry holds in the same unit and has not expired.
    for (const PantryItem &p : m_pantry) {
        if (!p.expires.isEmpty() && QDate::fromString(p.expires, Qt::ISODate) < today)
            continue;
        auto it = needed.find({p.name.toLower(), p.unit});
        if (it != needed.end())
            it->quantity -= p.quantity;
    }
    m_shopping.clear();
    int nextId = 1;
    for (ShoppingItem s : std::as_const(needed)) {
        if (s.quantity <= 1e-9)
            continue;
        s.id = nextId++;
        s.quantity = std::round(s.quantity * 100) / 100;
        m_shopping.append(s);
    }
    m_shoppingGeneratedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    return shoppingList();
}

Reply DemoStore::shoppingList() const
{
    QJsonArray items;
    for (const ShoppingItem &s : m_shopping)
        items.append(shoppingJson(s));
    return Reply{200,
                 QJsonObject{{u"generatedAt"_s, m_shoppingGeneratedAt.isEmpty()
                                                    ? QJsonValue()
                                                    : QJsonValue(m_shoppingGeneratedAt)},
                             {u"items"_s, items}},
                 {}};
}

Reply DemoStore::updateShoppingItem(const QString &id, const QJsonObject &body)
{
    const auto n = parseId(id);
    auto it = std::find_if(m_shopping.begin(), m_shopping.end(),
                           [&](const ShoppingItem &s) { return n && s.id == *n; });
    if (it == m_shopping.end())
        return notFound(u"shopping list item"_s, id,
                        u"GET /shopping-list lists the items; POST /shopping-list/generate makes "
                        "a new list."_s);
    if (!body.contains(u"checked"_s) && !body.contains(u"quantity"_s))
        return Reply::error(400, u"validation_failed"_s,
                            u"Nothing to change: send \"checked\" (true or false) and/or "
                            "\"quantity\"."_s);
    BodyReader in(body);
    ShoppingItem updated = *it;
    if (body.contains(u"checked"_s)) {
        if (!body.value(u"checked"_s).isBool())
            in.problem(u"\"checked\" must be true or false"_s);
        updated.checked = body.value(u"checked"_s).toBool();
    }
    if (body.contains(u"quantity"_s))
        updated.quantity = in.number(u"quantity"_s, true, 0, 1e6).value_or(updated.quantity);
    if (!in.ok())
        return in.failure();
    *it = updated;
    return Reply{200, shoppingJson(updated), {}};
}

} // namespace mcpbridge::demo
