#pragma once

// One traffic event as one line for people, as `mcpbridge traffic` prints it:
//   12:00:01.234  → stdio     #2  tools/call search_recipes
//   12:00:01.250    ⇢ API     #2  GET /recipes → 200 OK (16 ms)
//   12:00:01.251  ← stdio     #2  tools/call search_recipes → result  [17 ms]

#include "core/traffic/trafficevent.h"

namespace mcpbridge::traffic {

// The legend for the arrows, for a header line.
QString eventLineLegend();
QString eventLine(const TrafficEvent &event);

} // namespace mcpbridge::traffic
