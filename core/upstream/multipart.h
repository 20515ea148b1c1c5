#pragma once

// Splits a multipart body (RFC 2046, e.g. multipart/mixed) into its parts. Used by
// ResponseShaper; kept apart because it is byte fiddling with its own edge cases.

#include "core/upstream/requestbuilder.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace mcpbridge::upstream {

struct MultipartPart
{
    HeaderList headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const;
};

// The boundary parameter of a multipart Content-Type, unquoted; empty when absent.
QByteArray multipartBoundary(const QByteArray &contentType);
// The parts, or nullopt when the body does not contain the boundary as a delimiter.
std::optional<QList<MultipartPart>> parseMultipart(const QByteArray &body,
                                                   const QByteArray &boundary);

} // namespace mcpbridge::upstream
