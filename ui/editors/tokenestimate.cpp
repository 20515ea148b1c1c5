#include "tokenestimate.h"

#include "core/openapi/importreport.h"

namespace mcpbridge::editors {

qint64 estimateToolsListTokens(const bridge::BridgeDocument &document)
{
    // openapi::estimateTokens also counts resources; the meter is about tools/list only.
    bridge::BridgeDocument toolsOnly;
    toolsOnly.tools = document.tools;
    return openapi::estimateTokens(toolsOnly);
}

} // namespace mcpbridge::editors
