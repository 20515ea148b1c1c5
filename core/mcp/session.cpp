#include "core/mcp/session.h"

namespace mcpbridge::mcp {

Session::Session(QString id, QString transport, QObject *parent)
    : QObject(parent)
    , m_id(std::move(id))
    , m_transport(std::move(transport))
{}

bool Session::clientSupportsElicitation() const
{
    // 2025-06-18 declares `elicitation: {}`; 2025-11-25 may say `{form: {}, url: {}}`. An object
    // without `form` but with `url` only supports URL mode, which the bridge does not use.
    const QJsonValue elicitation = m_clientCapabilities.value(QLatin1StringView("elicitation"));
    if (!elicitation.isObject())
        return false;
    const QJsonObject modes = elicitation.toObject();
    if (modes.isEmpty() || modes.contains(QLatin1StringView("form")))
        return true;
    return !modes.contains(QLatin1StringView("url"));
}

} // namespace mcpbridge::mcp
