#pragma once

// Turns spec prose (Markdown with stray HTML) into compact text a model reads: tags removed,
// blank lines collapsed, and cut at a sentence or word boundary within a character budget.
// Used for tool, parameter and schema descriptions by the importer.

#include <QString>

namespace mcpbridge::openapi {

// Budgets in characters (about 4 characters per token).
inline constexpr int ToolDescriptionBudget = 1000;
inline constexpr int ParameterDescriptionBudget = 300;
inline constexpr int SchemaDescriptionBudget = 200;
inline constexpr int TitleBudget = 100;
// Above this many characters of argument schemas, nested annotations are dropped.
inline constexpr int ToolSchemaBudget = 6000;

// HTML tags dropped (<br> and </p> become line breaks), entities for &<>" decoded, trailing
// spaces and runs of blank lines removed. Markdown itself is kept.
QString cleanText(const QString &text);

// `text` when it fits, else cut at the last paragraph, sentence or word boundary that fits and
// ended with "…". Never longer than `budget` characters.
QString trimToBudget(const QString &text, int budget);

// cleanText + trimToBudget.
QString compactText(const QString &text, int budget);

} // namespace mcpbridge::openapi
