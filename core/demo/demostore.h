#pragma once

// The in-memory cookbook behind the demo API (recipes, pantry, meal plan, shopping list) and the
// operations on it, free of HTTP so each answer is a plain value. Used by DemoApi only.

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

namespace mcpbridge::demo {

// What one request gets back: a status, a JSON body (Undefined: none) and, for 201, a Location.
struct Reply
{
    int status = 200;
    QJsonValue body;
    QByteArray location;

    static Reply error(int status, const QString &code, const QString &message);
};

struct Ingredient
{
    QString name;
    double quantity = 0;
    QString unit;
};

struct Recipe
{
    int id = 0;
    QString title;
    QString summary;
    int servings = 2;
    int minutes = 30;
    QStringList tags;
    QList<Ingredient> ingredients;
    QStringList steps;
};

struct PantryItem
{
    int id = 0;
    QString name;
    double quantity = 0;
    QString unit;
    QString expires; // ISO date, or empty
};

struct ShoppingItem
{
    int id = 0;
    QString name;
    double quantity = 0;
    QString unit;
    bool checked = false;
    QStringList forRecipes;
};

class DemoStore
{
public:
    DemoStore(); // seeded with realistic data

    static const QStringList &days(); // monday .. sunday

    Reply listRecipes(const QUrlQuery &query) const;
    Reply getRecipe(const QString &id) const;
    Reply createRecipe(const QJsonObject &body);

    Reply listPantry(const QUrlQuery &query) const;
    Reply addPantryItem(const QJsonObject &body);
    Reply updatePantryItem(const QString &id, const QJsonObject &body);
    Reply deletePantryItem(const QString &id);

    Reply mealPlan() const;
    Reply setMealPlanDay(const QString &day, const QJsonObject &body);

    Reply generateShoppingList();
    Reply shoppingList() const;
    Reply updateShoppingItem(const QString &id, const QJsonObject &body);

private:
    void seed();
    const Recipe *findRecipe(int id) const;
    QJsonObject mealPlanDay(const QString &day) const;

    QList<Recipe> m_recipes;
    QList<PantryItem> m_pantry;
    QMap<QString, QList<int>> m_mealPlan; // day -> recipe ids
    QList<ShoppingItem> m_shopping;
    QString m_shoppingGeneratedAt;
    int m_nextRecipeId = 1;
    int m_nextPantryId = 1;
};

// The OpenAPI 3.0.3 description of every route, with `serverUrl` as its only server.
QJsonObject openApiDocument(const QString &serverUrl);

} // namespace mcpbridge::demo
