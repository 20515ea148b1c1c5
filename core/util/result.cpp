#include "core/util/result.h"

#include <QStringBuilder>

namespace mcpbridge {

QString Error::toString() const
{
    if (where.isEmpty())
        return message;
    return where % u": " % message;
}

} // namespace mcpbridge
