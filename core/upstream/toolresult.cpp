#include "core/upstream/toolresult.h"

#include "core/util/jsontext.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace mcpbridge::upstream {

ToolResult::ToolResult(QJsonObject object)
    : m_object(std::move(object))
    , m_isError(m_object.value("isError"_L1).toBool())
{}

ToolResult ToolResult::fromCompactJson(QByteArray json, bool isError)
{
    ToolResult result;
    result.m_json = std::move(json);
    result.m_isError = isError;
    return result;
}

bool ToolResult::isError() const
{
    return m_isError;
}

QByteArray ToolResult::compactJson() const
{
    return hasCompactJson() ? m_json : json::compact(m_object);
}

QJsonObject ToolResult::toObject() const
{
    return hasCompactJson() ? QJsonDocument::fromJson(m_json).object() : m_object;
}

} // namespace mcpbridge::upstream
