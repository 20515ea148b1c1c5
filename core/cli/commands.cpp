#include "core/cli/commands.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::cli {

const QList<Command> &commands()
{
    static const QList<Command> all = {
        {u"serve"_s, u"Serve a bridge over stdio or streamable HTTP"_s, &runServe},
        {u"check"_s, u"Check a bridge document and list every problem"_s, &runCheck},
        {u"demo-api"_s, u"Run the built-in demo REST API (recipes, pantry, meal plans)"_s, &runDemoApi},
    };
    return all;
}

} // namespace mcpbridge::cli
