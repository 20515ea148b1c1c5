#pragma once

// Checks a tool name as the user types it: allowed characters, length, unique in the document.
// Used by ToolEditor for the inline message under the name field.

#include "core/bridge/bridgedocument.h"

#include <QString>

namespace mcpbridge::editors {

inline constexpr int MaxToolNameLength = 64;

// A plain sentence saying what is wrong with `name`, or an empty string when it is fine.
// The tool being edited is recognised in `document` by `ownName` (its name before editing) and
// skipped once, so keeping its own name is not a clash.
QString toolNameProblem(const QString &name, const bridge::BridgeDocument &document,
                        const QString &ownName);

} // namespace mcpbridge::editors
