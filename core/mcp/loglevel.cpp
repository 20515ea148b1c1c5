#include "core/mcp/loglevel.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::mcp {

const QStringList &logLevels()
{
    static const QStringList levels{u"debug"_s, u"info"_s,     u"notice"_s, u"warning"_s,
                                    u"error"_s, u"critical"_s, u"alert"_s,  u"emergency"_s};
    return levels;
}

int logLevelRank(const QString &level)
{
    return int(logLevels().indexOf(level));
}

bool logLevelAllows(const QString &sessionLevel, const QString &level)
{
    const int threshold = logLevelRank(sessionLevel);
    const int rank = logLevelRank(level);
    return threshold >= 0 && rank >= threshold;
}

} // namespace mcpbridge::mcp
