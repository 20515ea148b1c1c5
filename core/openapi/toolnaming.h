#pragma once

// Names that MCP clients accept: tool names of [A-Za-z0-9_-] up to 64 characters, argument names
// of [A-Za-z0-9_.-], unique and deterministic (the same spec always gives the same names).
// Used by the operation mapper; tested on its own.

#include <QSet>
#include <QString>

namespace mcpbridge::openapi {

inline constexpr int MaxToolNameLength = 64;

// Characters outside [A-Za-z0-9_-] become "_", runs of "_" collapse, leading/trailing "_" and
// "-" go. May return an empty string.
QString sanitizeToolName(const QString &raw);

// `name` when it fits, else its first characters + "_" + 8 hex digits of a stable hash of the
// whole name, exactly `max` characters long (so two long names sharing a prefix stay distinct).
QString truncateName(const QString &name, int max = MaxToolNameLength);

// A name from the method and path: "get_pets_petId" for GET /pets/{petId}.
QString nameFromMethodAndPath(const QString &method, const QString &path);

// Like sanitizeToolName but also keeps "."; for argument names seen by the model.
QString sanitizeArgumentName(const QString &raw);

// Hands out unique names in the order asked: a taken name gets "_2", "_3" ... (kept within
// `max`). Comparison ignores case, since some clients do.
class UniqueNames
{
public:
    explicit UniqueNames(int max = MaxToolNameLength, bool ignoreCase = true)
        : m_max(max)
        , m_ignoreCase(ignoreCase)
    {}

    bool isTaken(const QString &name) const;
    // Reserves `candidate` (or a numbered variant) and returns what was reserved.
    QString claim(const QString &candidate);

private:
    QString key(const QString &name) const { return m_ignoreCase ? name.toLower() : name; }
    QSet<QString> m_used;
    int m_max;
    bool m_ignoreCase;
};

} // namespace mcpbridge::openapi
