#pragma once

// A sample of what a model receives when a prompt is used (the result of prompts/get), built
// the way McpServer builds it but without calling the API: an included resource's content is
// stood in by a note naming the GET request that fills it. Used by PromptEditor's preview.

#include "core/bridge/bridgedocument.h"

#include <QJsonObject>

namespace mcpbridge::editors {

// Arguments for the sample: every argument, with its first suggested value or "<name>".
QJsonObject sampleArguments(const bridge::Prompt &prompt);

// The prompts/get result for `prompt` called with `arguments`; `document` tells what an
// included resource is (its content type and the path read).
QJsonObject samplePromptResult(const bridge::Prompt &prompt, const QJsonObject &arguments,
                               const bridge::BridgeDocument &document);

} // namespace mcpbridge::editors
