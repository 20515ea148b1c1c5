#include "core/cli/commands.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::cli {

const QList<Command> &commands()
{
    static const QList<Command> all = {
        {u"serve"_s, u"Serve a bridge over stdio or streamable HTTP"_s, &runServe},
        {u"import"_s, u"Make a bridge document from an OpenAPI or Swagger spec"_s, &runImport},
        {u"check"_s, u"Check a bridge document and list every problem"_s, &runCheck},
        {u"export"_s, u"Print or install the config an MCP client needs to start the bridge"_s,
         &runExport},
        {u"ps"_s, u"List the bridges running now (also those a client started)"_s, &runPs},
        {u"traffic"_s, u"Show the live traffic of a running bridge"_s, &runTraffic},
        {u"secret"_s, u"Store, delete or check an API secret of a bridge in the OS keychain"_s,
         &runSecret},
        {u"demo-api"_s, u"Run the built-in demo REST API (recipes, pantry, meal plans)"_s,
         &runDemoApi},
    };
    return all;
}

} // namespace mcpbridge::cli
