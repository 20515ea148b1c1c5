#pragma once

// A CallToolResult on its way from the upstream layer to the client. Usually an object; for the
// commonest answer (a JSON body passed on as the API wrote it) ResponseShaper writes the
// result's compact JSON text directly instead, so a call does not build a QJsonObject around the
// body only for the transport to serialise it again. It converts to the object wherever one is
// needed (the studio's client, tests), so code that takes a QJsonObject keeps working.

#include <QByteArray>
#include <QJsonObject>

namespace mcpbridge::upstream {

class ToolResult
{
public:
    ToolResult() = default;
    ToolResult(QJsonObject object); // NOLINT(google-explicit-constructor): every object result
    // A result known as its compact JSON text: a JSON object, as the wire carries it.
    static ToolResult fromCompactJson(QByteArray json, bool isError);

    bool isError() const;
    // True when the result was made as text (compactJson() costs nothing then).
    bool hasCompactJson() const { return !m_json.isEmpty(); }
    QByteArray compactJson() const;
    QJsonObject toObject() const;
    operator QJsonObject() const { return toObject(); } // NOLINT(google-explicit-constructor)

private:
    QJsonObject m_object;
    QByteArray m_json;
    bool m_isError = false;
};

} // namespace mcpbridge::upstream
