#pragma once

// The problems of one resource, resource template or prompt while it is being edited: the
// checks of `mcpbridge check` (bridge::validateDocument) run on a document holding the edited
// item, plus the editors' own stricter ones (a name is required and unique). Pointers are
// relative to the item ("/uri", "/messages/1/text"). Used by ResourceEditor and PromptEditor.

#include "core/bridge/bridgedocument.h"
#include "core/bridge/documentio.h"

#include <QList>
#include <QString>

namespace mcpbridge::editors {

// `others` is the document without the edited item. The item is checked as if it were the last
// of its list, so a clash with another entry is always reported on it.
QList<bridge::Problem> resourceProblems(const bridge::Resource &resource,
                                        const bridge::BridgeDocument &others);
QList<bridge::Problem> templateProblems(const bridge::ResourceTemplate &resourceTemplate,
                                        const bridge::BridgeDocument &others);
QList<bridge::Problem> promptProblems(const bridge::Prompt &prompt,
                                      const bridge::BridgeDocument &others);

bool hasErrors(const QList<bridge::Problem> &problems);
// The problems whose pointer is `pointer` or lies below it.
QList<bridge::Problem> problemsAt(const QList<bridge::Problem> &problems, const QString &pointer);
// One line per problem for a message under a field; warnings say so.
QString problemText(const QList<bridge::Problem> &problems, const QString &linePrefix = {});

// Whether `text` reads like a media type ("text/plain", "application/vnd.api+json").
bool looksLikeMimeType(const QString &text);

// The text that fills `placeholder` in a sample use of a prompt: the argument's first suggested
// value, else "<name>".
QString sampleValue(const bridge::PromptArgument &argument);

// Whether the bridge serves `uri`, written in a prompt message. Placeholders of `prompt`'s
// arguments are filled with sample values first. nullopt when the uri is made entirely of
// arguments, so nothing can be said before the prompt is used.
std::optional<bool> servesUri(const bridge::BridgeDocument &document, const bridge::Prompt &prompt,
                              const QString &uri);

} // namespace mcpbridge::editors
