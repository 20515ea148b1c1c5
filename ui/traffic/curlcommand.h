#pragma once

// Turns a recorded upstream exchange into a curl command line people can paste into a shell.
// Used by TrafficView's "Copy as curl"; adds nothing the (already redacted) event lacks.

#include "core/traffic/trafficevent.h"

#include <QString>

namespace mcpbridge::ui {

// Empty for events that are not upstream exchanges.
QString curlCommand(const traffic::TrafficEvent &event);
// Single-quotes `text` for a POSIX shell.
QString shellQuote(const QString &text);

} // namespace mcpbridge::ui
