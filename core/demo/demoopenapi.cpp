// The OpenAPI 3.0.3 document of the demo API (GET /openapi.json). Kept beside the store it
// describes; tst_demoapi checks that every route listed here answers and vice versa.

#include "core/demo/demostore.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace mcpbridge::demo {

namespace {

const char openApiText[] = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "McpBridge demo cookbook API",
    "version": "1.0.0",
    "description": "An in-memory cookbook: recipes, a pantry of ingredients at home, a weekly meal plan and a shopping list generated from the plan. Data lives in memory; restarting the program restores the sample data. Errors are JSON objects with \"error\" (a short code) and \"message\" (a sentence for people)."
  },
  "tags": [
    {"name": "recipes", "description": "Browse and add recipes"},
    {"name": "pantry", "description": "What is at home"},
    {"name": "meal-plan", "description": "Which recipes are planned for each day of the week"},
    {"name": "shopping-list", "description": "What to buy for the planned week"}
  ],
  "paths": {
    "/recipes": {
      "get": {
        "tags": ["recipes"], "operationId": "listRecipes", "summary": "Search recipes",
        "description": "Lists recipes as summaries (no ingredients or steps), optionally filtered. All filters combine; text matching ignores case.",
        "parameters": [
          {"name": "q", "in": "query", "required": false, "description": "Words to find in the title, summary or tags.", "schema": {"type": "string"}},
          {"name": "tag", "in": "query", "required": false, "description": "Only recipes with this tag, e.g. vegetarian, vegan, quick, breakfast, gluten-free.", "schema": {"type": "string"}},
          {"name": "ingredient", "in": "query", "required": false, "description": "Only recipes using an ingredient whose name contains this text, e.g. chickpeas.", "schema": {"type": "string"}},
          {"name": "limit", "in": "query", "required": false, "description": "Largest number of recipes to return.", "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 20}}
        ],
        "responses": {
          "200": {"description": "The matching recipes.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RecipeList"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      },
      "post": {
        "tags": ["recipes"], "operationId": "createRecipe", "summary": "Add a recipe",
        "description": "Adds a recipe to the cookbook and returns it with its new id.",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewRecipe"}}}},
        "responses": {
          "201": {"description": "The recipe was added.", "headers": {"Location": {"description": "The new recipe's address.", "schema": {"type": "string"}}},
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Recipe"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/recipes/{id}": {
      "get": {
        "tags": ["recipes"], "operationId": "getRecipe", "summary": "Get one recipe",
        "description": "Returns a recipe in full: ingredients with quantities and units, and the steps.",
        "parameters": [{"name": "id", "in": "path", "required": true, "description": "The recipe id.", "schema": {"type": "integer", "minimum": 1}}],
        "responses": {
          "200": {"description": "The recipe.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Recipe"}}}},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/pantry": {
      "get": {
        "tags": ["pantry"], "operationId": "listPantry", "summary": "List the pantry",
        "description": "Lists what is at home, with quantities and expiry dates.",
        "parameters": [{"name": "expiringWithinDays", "in": "query", "required": false, "description": "Only items that expire within this many days from today (items without a date are left out).", "schema": {"type": "integer", "minimum": 0, "maximum": 3650}}],
        "responses": {
          "200": {"description": "The pantry.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pantry"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      },
      "post": {
        "tags": ["pantry"], "operationId": "addPantryItem", "summary": "Add a pantry item",
        "description": "Adds a new item to the pantry. It always creates a new item, even when one with the same name exists.",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPantryItem"}}}},
        "responses": {
          "201": {"description": "The item was added.", "headers": {"Location": {"description": "The new item's address.", "schema": {"type": "string"}}},
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PantryItem"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/pantry/{id}": {
      "patch": {
        "tags": ["pantry"], "operationId": "updatePantryItem", "summary": "Change a pantry item",
        "description": "Changes only the fields sent; \"expires\": null removes the expiry date.",
        "parameters": [{"name": "id", "in": "path", "required": true, "description": "The pantry item id.", "schema": {"type": "integer", "minimum": 1}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PantryItemChange"}}}},
        "responses": {
          "200": {"description": "The changed item.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PantryItem"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "delete": {
        "tags": ["pantry"], "operationId": "deletePantryItem", "summary": "Remove a pantry item",
        "description": "Removes the item from the pantry for good and returns what was removed.",
        "parameters": [{"name": "id", "in": "path", "required": true, "description": "The pantry item id.", "schema": {"type": "integer", "minimum": 1}}],
        "responses": {
          "200": {"description": "The item was removed.", "content": {"application/json": {"schema": {"type": "object", "required": ["deleted"], "properties": {"deleted": {"$ref": "#/components/schemas/PantryItem"}}}}}},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/meal-plan": {
      "get": {
        "tags": ["meal-plan"], "operationId": "getMealPlan", "summary": "Get the week's meal plan",
        "description": "Returns the seven days from monday to sunday with the recipes planned for each.",
        "responses": {
          "200": {"description": "The meal plan.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MealPlan"}}}}
        }
      }
    },
    "/meal-plan/{day}": {
      "put": {
        "tags": ["meal-plan"], "operationId": "setMealPlanDay", "summary": "Plan one day",
        "description": "Replaces the recipes planned for one day. Send an empty list to clear the day.",
        "parameters": [{"name": "day", "in": "path", "required": true, "description": "The day of the week.", "schema": {"type": "string", "enum": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["recipeIds"], "properties": {"recipeIds": {"type": "array", "maxItems": 5, "items": {"type": "integer", "minimum": 1}, "description": "Ids of existing recipes, in the order they are eaten."}}}}}},
        "responses": {
          "200": {"description": "The day as now planned.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MealPlanDay"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/shopping-list": {
      "get": {
        "tags": ["shopping-list"], "operationId": "getShoppingList", "summary": "Get the shopping list",
        "description": "Returns the last generated shopping list (empty until one is generated).",
        "responses": {
          "200": {"description": "The shopping list.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ShoppingList"}}}}
        }
      }
    },
    "/shopping-list/generate": {
      "post": {
        "tags": ["shopping-list"], "operationId": "generateShoppingList", "summary": "Make the shopping list from the meal plan",
        "description": "Adds up the ingredients of every planned recipe, subtracts what the pantry holds in the same unit (expired items do not count) and replaces the shopping list with what is still missing. Takes no request body.",
        "responses": {
          "200": {"description": "The new shopping list.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ShoppingList"}}}}
        }
      }
    },
    "/shopping-list/{itemId}": {
      "patch": {
        "tags": ["shopping-list"], "operationId": "updateShoppingListItem", "summary": "Tick off or change a shopping list item",
        "parameters": [{"name": "itemId", "in": "path", "required": true, "description": "The shopping list item id.", "schema": {"type": "integer", "minimum": 1}}],
        "description": "Marks an item as bought (checked) or not, or changes its quantity.",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "minProperties": 1, "properties": {"checked": {"type": "boolean"}, "quantity": {"type": "number", "minimum": 0}}}}}},
        "responses": {
          "200": {"description": "The changed item.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ShoppingListItem"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    }
  },
  "components": {
    "responses": {
      "BadRequest": {"description": "The request is not valid; the message says why.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "NotFound": {"description": "There is nothing with that id.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "Error": {"type": "object", "required": ["error", "message"], "properties": {
        "error": {"type": "string", "description": "A short code: not_found, bad_request, validation_failed, invalid_json, method_not_allowed."},
        "message": {"type": "string", "description": "What went wrong, in a sentence."}}},
      "Ingredient": {"type": "object", "required": ["name", "quantity", "unit"], "properties": {
        "name": {"type": "string", "example": "canned tomatoes"},
        "quantity": {"type": "number", "minimum": 0, "example": 2},
        "unit": {"type": "string", "description": "g, ml, piece, clove, can, tbsp, tsp, bunch ...", "example": "can"}}},
      "RecipeSummary": {"type": "object", "required": ["id", "title", "summary", "servings", "minutes", "tags"], "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "summary": {"type": "string"},
        "servings": {"type": "integer"},
        "minutes": {"type": "integer", "description": "Total time from start to table."},
        "tags": {"type": "array", "items": {"type": "string"}}}},
      "Recipe": {"allOf": [{"$ref": "#/components/schemas/RecipeSummary"}, {"type": "object", "required": ["ingredients", "steps"], "properties": {
        "ingredients": {"type": "array", "items": {"$ref": "#/components/schemas/Ingredient"}},
        "steps": {"type": "array", "items": {"type": "string"}}}}]},
      "RecipeList": {"type": "object", "required": ["total", "recipes"], "properties": {
        "total": {"type": "integer", "description": "How many recipes match (may exceed the number returned)."},
        "recipes": {"type": "array", "items": {"$ref": "#/components/schemas/RecipeSummary"}}}},
      "NewRecipe": {"type": "object", "required": ["title", "ingredients", "steps"], "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "summary": {"type": "string"},
        "servings": {"type": "integer", "minimum": 1, "maximum": 100, "default": 2},
        "minutes": {"type": "integer", "minimum": 0, "maximum": 1440, "default": 30},
        "tags": {"type": "array", "items": {"type": "string"}},
        "ingredients": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["name"], "properties": {
          "name": {"type": "string"}, "quantity": {"type": "number", "minimum": 0, "default": 1}, "unit": {"type": "string"}}}},
        "steps": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}}},
      "PantryItem": {"type": "object", "required": ["id", "name", "quantity", "unit", "expires"], "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "quantity": {"type": "number"},
        "unit": {"type": "string"},
        "expires": {"type": "string", "format": "date", "nullable": true}}},
      "Pantry": {"type": "object", "required": ["today", "items"], "properties": {
        "today": {"type": "string", "format": "date", "description": "Today's date, to judge the expiry dates by."},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/PantryItem"}}}},
      "NewPantryItem": {"type": "object", "required": ["name", "quantity"], "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "quantity": {"type": "number", "minimum": 0},
        "unit": {"type": "string", "maxLength": 20},
        "expires": {"type": "string", "format": "date"}}},
      "PantryItemChange": {"type": "object", "minProperties": 1, "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "quantity": {"type": "number", "minimum": 0},
        "unit": {"type": "string", "maxLength": 20},
        "expires": {"type": "string", "format": "date", "nullable": true}}},
      "MealPlanDay": {"type": "object", "required": ["day", "recipeIds", "recipes"], "properties": {
        "day": {"type": "string"},
        "recipeIds": {"type": "array", "items": {"type": "integer"}},
        "recipes": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"}}}}}},
      "MealPlan": {"type": "object", "required": ["week"], "properties": {
        "week": {"type": "array", "minItems": 7, "maxItems": 7, "items": {"$ref": "#/components/schemas/MealPlanDay"}}}},
      "ShoppingListItem": {"type": "object", "required": ["id", "name", "quantity", "unit", "checked", "forRecipes"], "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "quantity": {"type": "number"},
        "unit": {"type": "string"},
        "checked": {"type": "boolean"},
        "forRecipes": {"type": "array", "items": {"type": "string"}, "description": "Titles of the planned recipes that need it."}}},
      "ShoppingList": {"type": "object", "required": ["generatedAt", "items"], "properties": {
        "generatedAt": {"type": "string", "format": "date-time", "nullable": true},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/ShoppingListItem"}}}}
    }
  }
})json";

} // namespace

QJsonObject openApiDocument(const QString &serverUrl)
{
    static const QJsonObject base = QJsonDocument::fromJson(QByteArray(openApiText)).object();
    Q_ASSERT(!base.isEmpty());
    QJsonObject doc = base;
    doc.insert(QStringLiteral("servers"),
               QJsonArray{QJsonObject{
                   {QStringLiteral("url"), serverUrl},
                   {QStringLiteral("description"), QStringLiteral("This demo server")}}});
    return doc;
}

} // namespace mcpbridge::demo
