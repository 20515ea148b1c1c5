#pragma once

// The tokens a bridge's tools/list costs the model on every turn, for the budget meter. Uses
// the same heuristic as the OpenAPI import report (compact JSON characters / CharsPerToken).

#include "core/bridge/bridgedocument.h"

namespace mcpbridge::editors {

// Estimated tokens of the tools/list result of `document` (tools only).
qint64 estimateToolsListTokens(const bridge::BridgeDocument &document);

} // namespace mcpbridge::editors
