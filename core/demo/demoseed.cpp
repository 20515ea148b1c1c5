// The demo cookbook's starting data. Written as JSON so it reads like what the API returns;
// pantry expiry dates are relative to today so "expiring soon" stays true whenever it runs.

#include "core/demo/demostore.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>

namespace mcpbridge::demo {

namespace {

const char seedRecipes[] = R"json([
 {"title": "Tomato & Basil Spaghetti", "summary": "A fast weeknight pasta with a garlicky tomato sauce and fresh basil.",
  "servings": 4, "minutes": 25, "tags": ["vegetarian", "quick", "pasta"],
  "ingredients": [{"name": "spaghetti", "quantity": 400, "unit": "g"}, {"name": "canned tomatoes", "quantity": 2, "unit": "can"},
                  {"name": "garlic", "quantity": 3, "unit": "clove"}, {"name": "olive oil", "quantity": 3, "unit": "tbsp"},
                  {"name": "basil", "quantity": 1, "unit": "bunch"}, {"name": "parmesan", "quantity": 50, "unit": "g"}],
  "steps": ["Boil the spaghetti in salted water until al dente.", "Soften the sliced garlic in olive oil, add the tomatoes and simmer 15 minutes.",
            "Toss the pasta with the sauce and torn basil; serve with grated parmesan."]},
 {"title": "Chickpea & Spinach Curry", "summary": "A mild coconut curry that is ready in half an hour and keeps well for lunches.",
  "servings": 4, "minutes": 30, "tags": ["vegan", "gluten-free", "curry"],
  "ingredients": [{"name": "chickpeas", "quantity": 2, "unit": "can"}, {"name": "coconut milk", "quantity": 400, "unit": "ml"},
                  {"name": "spinach", "quantity": 200, "unit": "g"}, {"name": "onion", "quantity": 1, "unit": "piece"},
                  {"name": "garlic", "quantity": 2, "unit": "clove"}, {"name": "curry paste", "quantity": 2, "unit": "tbsp"},
                  {"name": "rice", "quantity": 300, "unit": "g"}],
  "steps": ["Fry the chopped onion and garlic until soft.", "Stir in the curry paste, then the chickpeas and coconut milk; simmer 15 minutes.",
            "Wilt in the spinach and serve over rice."]},
 {"title": "Lemon Herb Roast Chicken", "summary": "A whole chicken roasted on potatoes with lemon, thyme and garlic.",
  "servings": 4, "minutes": 90, "tags": ["gluten-free", "sunday"],
  "ingredients": [{"name": "whole chicken", "quantity": 1, "unit": "piece"}, {"name": "lemon", "quantity": 1, "unit": "piece"},
                  {"name": "thyme", "quantity": 1, "unit": "bunch"}, {"name": "garlic", "quantity": 4, "unit": "clove"},
                  {"name": "potatoes", "quantity": 1000, "unit": "g"}, {"name": "olive oil", "quantity": 2, "unit": "tbsp"}],
  "steps": ["Heat the oven to 200 °C.", "Stuff the chicken with the halved lemon, thyme and garlic; rub with oil and salt.",
            "Roast on the sliced potatoes for 75 minutes, then rest 10 minutes before carving."]},
 {"title": "Mushroom Risotto", "summary": "A creamy risotto with browned mushrooms and parmesan.",
  "servings": 2, "minutes": 40, "tags": ["vegetarian", "rice"],
  "ingredients": [{"name": "arborio rice", "quantity": 200, "unit": "g"}, {"name": "mushrooms", "quantity": 250, "unit": "g"},
                  {"name": "vegetable stock", "quantity": 1000, "unit": "ml"}, {"name": "onion", "quantity": 1, "unit": "piece"},
                  {"name": "parmesan", "quantity": 40, "unit": "g"}, {"name": "butter", "quantity": 30, "unit": "g"}],
  "steps": ["Brown the mushrooms in butter and set aside.", "Soften the onion, toast the rice, then add hot stock a ladle at a time for 20 minutes.",
            "Stir in the mushrooms and parmesan and rest for 2 minutes."]},
 {"title": "Black Bean Tacos", "summary": "Smoky black beans with quick-pickled onion and avocado in warm tortillas.",
  "servings": 3, "minutes": 20, "tags": ["vegan", "quick", "mexican"],
  "ingredients": [{"name": "black beans", "quantity": 2, "unit": "can"}, {"name": "tortillas", "quantity": 8, "unit": "piece"},
                  {"name": "avocado", "quantity": 2, "unit": "piece"}, {"name": "red onion", "quantity": 1, "unit": "piece"},
                  {"name": "lime", "quantity": 2, "unit": "piece"}, {"name": "smoked paprika", "quantity": 1, "unit": "tsp"}],
  "steps": ["Slice the red onion and soak it in lime juice with a pinch of salt.", "Warm the beans with paprika and mash a little.",
            "Fill warm tortillas with beans, avocado and pickled onion."]},
 {"title": "Greek Salad", "summary": "Tomatoes, cucumber, olives and feta with oregano; no cooking needed.",
  "servings": 2, "minutes": 10, "tags": ["vegetarian", "gluten-free", "no-cook", "quick"],
  "ingredients": [{"name": "tomatoes", "quantity": 4, "unit": "piece"}, {"name": "cucumber", "quantity": 1, "unit": "piece"},
                  {"name": "feta", "quantity": 200, "unit": "g"}, {"name": "olives", "quantity": 80, "unit": "g"},
                  {"name": "red onion", "quantity": 0.5, "unit": "piece"}, {"name": "olive oil", "quantity": 3, "unit": "tbsp"}],
  "steps": ["Cut the vegetables into chunks.", "Top with the feta and olives, drizzle with oil and sprinkle with oregano."]},
 {"title": "Overnight Oats", "summary": "Oats soaked in milk overnight with banana and honey: breakfast with no morning effort.",
  "servings": 1, "minutes": 5, "tags": ["vegetarian", "breakfast", "quick"],
  "ingredients": [{"name": "rolled oats", "quantity": 60, "unit": "g"}, {"name": "milk", "quantity": 150, "unit": "ml"},
                  {"name": "banana", "quantity": 1, "unit": "piece"}, {"name": "honey", "quantity": 1, "unit": "tbsp"}],
  "steps": ["Mix the oats, milk and honey in a jar.", "Refrigerate overnight and top with sliced banana."]},
 {"title": "Salmon with Roasted Vegetables", "summary": "Salmon fillets baked on a tray of peppers, courgette and red onion.",
  "servings": 2, "minutes": 35, "tags": ["gluten-free", "fish", "one-tray"],
  "ingredients": [{"name": "salmon fillet", "quantity": 2, "unit": "piece"}, {"name": "bell pepper", "quantity": 2, "unit": "piece"},
                  {"name": "courgette", "quantity": 1, "unit": "piece"}, {"name": "red onion", "quantity": 1, "unit": "piece"},
                  {"name": "olive oil", "quantity": 2, "unit": "tbsp"}, {"name": "lemon", "quantity": 1, "unit": "piece"}],
  "steps": ["Roast the chopped vegetables in oil at 200 °C for 15 minutes.", "Add the salmon, season, and roast 12 minutes more; finish with lemon."]},
 {"title": "Red Lentil Soup", "summary": "A thick, warming soup of red lentils, carrot and cumin.",
  "servings": 4, "minutes": 35, "tags": ["vegan", "gluten-free", "soup"],
  "ingredients": [{"name": "red lentils", "quantity": 250, "unit": "g"}, {"name": "carrot", "quantity": 2, "unit": "piece"},
                  {"name": "onion", "quantity": 1, "unit": "piece"}, {"name": "vegetable stock", "quantity": 1200, "unit": "ml"},
                  {"name": "cumin", "quantity": 1, "unit": "tsp"}, {"name": "lemon", "quantity": 1, "unit": "piece"}],
  "steps": ["Soften the onion and carrot with the cumin.", "Add the lentils and stock and simmer 20 minutes.",
            "Blend until smooth and finish with lemon juice."]},
 {"title": "Banana Pancakes", "summary": "Fluffy pancakes sweetened with ripe banana.",
  "servings": 2, "minutes": 20, "tags": ["vegetarian", "breakfast"],
  "ingredients": [{"name": "flour", "quantity": 150, "unit": "g"}, {"name": "eggs", "quantity": 2, "unit": "piece"},
                  {"name": "milk", "quantity": 200, "unit": "ml"}, {"name": "banana", "quantity": 2, "unit": "piece"},
                  {"name": "butter", "quantity": 20, "unit": "g"}],
  "steps": ["Mash the bananas and whisk with the eggs and milk.", "Stir in the flour; cook ladles of batter in butter, 2 minutes a side."]},
 {"title": "Beef & Broccoli Stir-Fry", "summary": "Thin strips of beef and broccoli in a glossy ginger-soy sauce.",
  "servings": 2, "minutes": 25, "tags": ["quick", "stir-fry"],
  "ingredients": [{"name": "beef steak", "quantity": 300, "unit": "g"}, {"name": "broccoli", "quantity": 1, "unit": "piece"},
                  {"name": "soy sauce", "quantity": 3, "unit": "tbsp"}, {"name": "ginger", "quantity": 20, "unit": "g"},
                  {"name": "garlic", "quantity": 2, "unit": "clove"}, {"name": "rice", "quantity": 200, "unit": "g"}],
  "steps": ["Slice the beef thinly against the grain.", "Stir-fry the beef over high heat, then the broccoli with ginger and garlic.",
            "Add the soy sauce, toss everything together and serve with rice."]},
 {"title": "Shakshuka", "summary": "Eggs poached in a spiced tomato and pepper sauce; good for brunch or dinner.",
  "servings": 2, "minutes": 30, "tags": ["vegetarian", "gluten-free", "brunch"],
  "ingredients": [{"name": "eggs", "quantity": 4, "unit": "piece"}, {"name": "canned tomatoes", "quantity": 1, "unit": "can"},
                  {"name": "bell pepper", "quantity": 1, "unit": "piece"}, {"name": "onion", "quantity": 1, "unit": "piece"},
                  {"name": "cumin", "quantity": 1, "unit": "tsp"}, {"name": "smoked paprika", "quantity": 1, "unit": "tsp"}],
  "steps": ["Soften the onion and pepper with the spices.", "Add the tomatoes and simmer 10 minutes.",
            "Make wells, crack in the eggs, cover and cook until the whites are set."]}
])json";

// name, quantity, unit, days until it expires (-1: does not expire)
struct PantrySeed
{
    const char *name;
    double quantity;
    const char *unit;
    int expiresInDays;
};

const PantrySeed seedPantry[] = {
    {"spaghetti", 500, "g", -1},   {"canned tomatoes", 3, "can", -1}, {"garlic", 8, "clove", 20},
    {"olive oil", 500, "ml", -1},  {"onion", 4, "piece", 25},         {"rice", 1000, "g", -1},
    {"eggs", 6, "piece", 10},      {"milk", 1000, "ml", 4},           {"chickpeas", 1, "can", -1},
    {"red lentils", 500, "g", -1}, {"spinach", 100, "g", 2},          {"parmesan", 120, "g", 30},
    {"rolled oats", 750, "g", -1}, {"banana", 3, "piece", 3},
};

} // namespace

void DemoStore::seed()
{
    const QJsonArray recipes = QJsonDocument::fromJson(QByteArray(seedRecipes)).array();
    Q_ASSERT(!recipes.isEmpty());
    for (const QJsonValue &v : recipes) {
        const QJsonObject o = v.toObject();
        Recipe r;
        r.id = m_nextRecipeId++;
        r.title = o.value(u"title").toString();
        r.summary = o.value(u"summary").toString();
        r.servings = o.value(u"servings").toInt();
        r.minutes = o.value(u"minutes").toInt();
        for (const QJsonValue &t : o.value(u"tags").toArray())
            r.tags.append(t.toString());
        for (const QJsonValue &i : o.value(u"ingredients").toArray()) {
            const QJsonObject io = i.toObject();
            r.ingredients.append({io.value(u"name").toString(), io.value(u"quantity").toDouble(),
                                  io.value(u"unit").toString()});
        }
        for (const QJsonValue &s : o.value(u"steps").toArray())
            r.steps.append(s.toString());
        m_recipes.append(r);
    }

    const QDate today = QDate::currentDate();
    for (const PantrySeed &p : seedPantry) {
        m_pantry.append(
            {m_nextPantryId++, QString::fromUtf8(p.name), p.quantity, QString::fromUtf8(p.unit),
             p.expiresInDays < 0 ? QString()
                                 : today.addDays(p.expiresInDays).toString(Qt::ISODate)});
    }

    for (const QString &day : days())
        m_mealPlan.insert(day, {});
    m_mealPlan[QStringLiteral("monday")] = {1};
    m_mealPlan[QStringLiteral("wednesday")] = {2};
    m_mealPlan[QStringLiteral("friday")] = {5};
}

} // namespace mcpbridge::demo
