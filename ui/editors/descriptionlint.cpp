#include "descriptionlint.h"

#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

namespace {

QSet<QString> words(const QString &text)
{
    static const QRegularExpression separators(u"[^\\p{L}\\p{N}]+"_s);
    QSet<QString> result;
    for (const QString &w : text.toLower().split(separators, Qt::SkipEmptyParts))
        result.insert(w);
    return result;
}

bool hasUsageGuidance(const QString &description)
{
    // "Use this when ...", "Use it to ...", "Call this if ...", "... when the user asks ...",
    // "... instead of ...": any of them tells the model when this tool is the right one.
    static const QRegularExpression guidance(
        u"\\b(use|call|choose|pick)\\b[^.;:!?]{0,80}?\\b(when|to|for|if|instead)\\b"
        "|\\bwhen (the )?(user|you|someone)\\b|\\binstead of\\b|\\bonly if\\b"_s,
        QRegularExpression::CaseInsensitiveOption);
    return guidance.match(description).hasMatch();
}

} // namespace

double wordSimilarity(const QString &a, const QString &b)
{
    const QSet<QString> wa = words(a);
    const QSet<QString> wb = words(b);
    if (wa.isEmpty() && wb.isEmpty())
        return 0.0;
    const qsizetype common = QSet<QString>(wa).intersect(wb).size();
    const qsizetype all = QSet<QString>(wa).unite(wb).size();
    return double(common) / double(all);
}

QList<LintHint> lintDescription(const bridge::Tool &tool, const bridge::BridgeDocument &document,
                                const QString &ownName)
{
    QList<LintHint> hints;
    const QString description = tool.description.trimmed();

    if (description.size() < MinDescriptionLength) {
        hints.append(
            {LintHint::Rule::TooShort,
             description.isEmpty()
                 ? u"There is no description yet. The model reads it to decide when to "
                   "call this tool: say what it does and what it gives back."_s
                 : u"The description is short (%1 characters). Say what the tool does "
                   "and what it gives back, in at least %2 characters."_s.arg(description.size())
                       .arg(MinDescriptionLength),
             {}});
    }

    if (!hasUsageGuidance(description)) {
        hints.append({LintHint::Rule::NoUsageGuidance,
                      u"The description does not say when to use this tool (for example "
                      "\"Use this when the user asks for …\"), so the model may pick a similar "
                      "tool instead."_s,
                      {}});
    }

    QStringList undescribed;
    for (const bridge::Parameter &p : tool.parameters) {
        if (p.description.trimmed().isEmpty())
            undescribed.append(p.name.isEmpty() ? u"(unnamed)"_s : p.name);
    }
    if (!undescribed.isEmpty()) {
        hints.append({LintHint::Rule::UndescribedParameters,
                      (undescribed.size() == 1
                           ? u"The parameter %1 has no description. The model will have to guess "
                             "what to send."_s
                           : u"These parameters have no description: %1. The model will have to "
                             "guess what to send."_s)
                          .arg(undescribed.join(u", "_s)),
                      undescribed});
    }

    bool skippedSelf = false;
    for (const bridge::Tool &other : document.tools) {
        if (!skippedSelf && other.name == ownName) {
            skippedSelf = true;
            continue;
        }
        if (description.isEmpty() || other.description.trimmed().isEmpty())
            continue;
        if (wordSimilarity(description, other.description) >= NearDuplicateSimilarity) {
            hints.append(
                {LintHint::Rule::NearDuplicate,
                 u"The description is almost the same as the one of the tool \"%1\". "
                 "Say how the two differ, so the model can choose the right one."_s.arg(other.name),
                 {other.name}});
        }
    }
    return hints;
}

} // namespace mcpbridge::editors
