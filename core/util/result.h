#pragma once

// Errors as values: every fallible function in core returns Result<T>. No exception crosses a
// module boundary. Used by every layer; messages are written for people, not for developers.

#include <QString>

#include <expected>

namespace mcpbridge {

struct Error
{
    QString message; // what went wrong, in words a user understands
    QString where;   // optional: "file.json:12:5", "/tools/3/name", a URL ...
    int code = 0;    // optional machine-readable code (JSON-RPC code, HTTP status ...)

    // "where: message", or just the message when there is no location.
    QString toString() const;
};

template<typename T>
using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(QString message, QString where = {}, int code = 0)
{
    return std::unexpected<Error>(Error{std::move(message), std::move(where), code});
}

} // namespace mcpbridge
