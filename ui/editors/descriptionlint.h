#pragma once

// Plain-language hints about a tool's description: the model reads only the description to
// decide when to call a tool. Pure functions, shown beside the description by ToolEditor.

#include "core/bridge/bridgedocument.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace mcpbridge::editors {

inline constexpr int MinDescriptionLength = 40;
inline constexpr double NearDuplicateSimilarity = 0.8;

struct LintHint
{
    enum class Rule {
        TooShort,              // fewer than MinDescriptionLength characters
        NoUsageGuidance,       // nothing says when to use the tool
        UndescribedParameters, // parameters the model has to guess
        NearDuplicate,         // another tool reads almost the same
    };
    Rule rule = Rule::TooShort;
    QString message;      // a sentence for the user
    QStringList subjects; // parameter names or the other tool's name, when the rule has any

    bool operator==(const LintHint &) const = default;
};

// Jaccard similarity of the sets of lower-case words of `a` and `b` (0 when both are empty).
double wordSimilarity(const QString &a, const QString &b);

// Hints for `tool`, comparing it with the other tools of `document`. The tool itself is
// recognised in the document by `ownName` (its name before editing) and skipped once.
QList<LintHint> lintDescription(const bridge::Tool &tool, const bridge::BridgeDocument &document,
                                const QString &ownName);

} // namespace mcpbridge::editors
