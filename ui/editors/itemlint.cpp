#include "itemlint.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

namespace {

void addNearDuplicate(QList<LintHint> &hints, const QString &description, const QString &other,
                      const QString &otherName, const QString &what)
{
    if (description.isEmpty() || other.trimmed().isEmpty())
        return;
    if (wordSimilarity(description, other) < NearDuplicateSimilarity)
        return;
    hints.append({LintHint::Rule::NearDuplicate,
                  u"The description is almost the same as the one of the %1 \u201C%2\u201D. Say "
                  "how the two differ, so the right one gets picked."_s.arg(what, otherName),
                  {otherName}});
}

} // namespace

QList<LintHint> lintResourceDescription(const QString &text, const bridge::BridgeDocument &others)
{
    QList<LintHint> hints;
    const QString description = text.trimmed();
    if (description.isEmpty()) {
        hints.append({LintHint::Rule::TooShort,
                      u"There is no description yet. Say what the resource contains, so the "
                      "app and the model know when it is worth reading."_s,
                      {}});
    } else if (description.size() < MinDescriptionLength) {
        hints.append({LintHint::Rule::TooShort,
                      u"The description is short (%1 characters). Say what the resource "
                      "contains, in at least %2 characters."_s.arg(description.size())
                          .arg(MinDescriptionLength),
                      {}});
    }
    for (const bridge::Resource &r : others.resources)
        addNearDuplicate(hints, description, r.description, r.name.isEmpty() ? r.uri : r.name,
                         u"resource"_s);
    for (const bridge::ResourceTemplate &t : others.resourceTemplates)
        addNearDuplicate(hints, description, t.description,
                         t.name.isEmpty() ? t.uriTemplate : t.name, u"resource template"_s);
    return hints;
}

QList<LintHint> lintPromptDescription(const bridge::Prompt &prompt,
                                      const bridge::BridgeDocument &others)
{
    QList<LintHint> hints;
    QStringList undescribed;
    for (const bridge::PromptArgument &a : prompt.arguments) {
        if (a.description.trimmed().isEmpty())
            undescribed.append(a.name.isEmpty() ? u"(unnamed)"_s : a.name);
    }
    if (!undescribed.isEmpty()) {
        hints.append({LintHint::Rule::UndescribedParameters,
                      (undescribed.size() == 1
                           ? u"The argument %1 has no description. People fill it in when they "
                             "use the prompt: tell them what to give."_s
                           : u"These arguments have no description: %1. People fill them in "
                             "when they use the prompt: tell them what to give."_s)
                          .arg(undescribed.join(u", "_s)),
                      undescribed});
    }
    const QString description = prompt.description.trimmed();
    for (const bridge::Prompt &p : others.prompts)
        addNearDuplicate(hints, description, p.description, p.name, u"prompt"_s);
    return hints;
}

} // namespace mcpbridge::editors
