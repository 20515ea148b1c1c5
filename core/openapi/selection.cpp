#include "core/openapi/selection.h"

#include "core/openapi/openapiimporter.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::openapi {

namespace {

bool globAt(QStringView glob, QStringView text)
{
    // Iterative wildcard match with backtracking to the last star: linear in practice, no regex.
    qsizetype g = 0, t = 0, star = -1, mark = 0;
    while (t < text.size()) {
        if (g < glob.size() && glob.at(g) == u'*') {
            while (g < glob.size() && glob.at(g) == u'*')
                ++g;
            star = g;
            mark = t;
        } else if (g < glob.size() && (glob.at(g) == u'?' || glob.at(g) == text.at(t))) {
            ++g;
            ++t;
        } else if (star >= 0) {
            g = star;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob.at(g) == u'*')
        ++g;
    return g == glob.size();
}

bool containsIgnoringCase(const QStringList &list, const QString &value)
{
    return list.contains(value, Qt::CaseInsensitive);
}

bool anyTag(const QStringList &wanted, const QStringList &tags)
{
    for (const QString &t : tags)
        if (containsIgnoringCase(wanted, t))
            return true;
    return false;
}

bool anyGlob(const QStringList &globs, const QString &path)
{
    for (const QString &g : globs)
        if (globMatch(g, path))
            return true;
    return false;
}

} // namespace

bool globMatch(const QString &glob, const QString &text)
{
    return globAt(glob, text);
}

bool isSelected(const ImportOptions &options, const OperationRef &op)
{
    const auto idMatches = [&](const QStringList &ids) {
        return (!op.operationId.isEmpty() && containsIgnoringCase(ids, op.operationId))
               || containsIgnoringCase(ids, op.toolName);
    };
    if (idMatches(options.excludeOperationIds))
        return false;
    if (!options.excludeTags.isEmpty() && anyTag(options.excludeTags, op.tags))
        return false;
    if (!options.excludePaths.isEmpty() && anyGlob(options.excludePaths, op.path))
        return false;

    const bool filtered = !options.includeTags.isEmpty() || !options.includePaths.isEmpty()
                          || !options.includeMethods.isEmpty();
    if (!options.includeOperationIds.isEmpty() && idMatches(options.includeOperationIds))
        return true;
    if (!filtered)
        return options.includeOperationIds.isEmpty();
    if (!options.includeTags.isEmpty() && !anyTag(options.includeTags, op.tags))
        return false;
    if (!options.includePaths.isEmpty() && !anyGlob(options.includePaths, op.path))
        return false;
    if (!options.includeMethods.isEmpty()
        && !containsIgnoringCase(options.includeMethods, op.method))
        return false;
    return true;
}

} // namespace mcpbridge::openapi
