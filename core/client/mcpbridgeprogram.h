#pragma once

// Where the `mcpbridge` program is, for the studio to start a bridge as a child process the way
// an MCP client would: beside the running program (installed layout: both in bin/), in the build
// tree (app/studio next to app/cli), then on PATH.

#include <QString>

namespace mcpbridge::client {

// The absolute path of an executable `mcpbridge`, or an empty string when none is found.
QString mcpbridgeProgram();

} // namespace mcpbridge::client
