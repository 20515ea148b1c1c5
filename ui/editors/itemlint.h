#pragma once

// Plain-language hints about the descriptions of resources, resource templates and prompts,
// in the style of the tool description hints (descriptionlint.h, whose LintHint and word
// similarity they share). Pure functions, shown beside the description by ResourceEditor and
// PromptEditor.

#include "descriptionlint.h"

namespace mcpbridge::editors {

// Hints for the description of a resource or template: too short, or almost the same as
// another resource's or template's. `others` is the document without the edited item.
QList<LintHint> lintResourceDescription(const QString &description,
                                        const bridge::BridgeDocument &others);

// Hints for a prompt: arguments people must guess at (UndescribedParameters), a description
// almost the same as another prompt's. `others` is the document without the edited prompt.
QList<LintHint> lintPromptDescription(const bridge::Prompt &prompt,
                                      const bridge::BridgeDocument &others);

} // namespace mcpbridge::editors
