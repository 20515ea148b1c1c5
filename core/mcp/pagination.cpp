#include "core/mcp/pagination.h"

#include <QByteArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mcpbridge::mcp {

namespace {
constexpr auto CursorPrefix = "mcpbridge-page:"_L1;
constexpr auto CursorEncoding = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
} // namespace

QString encodeCursor(qsizetype offset)
{
    const QByteArray raw = QString(CursorPrefix + QString::number(offset)).toUtf8();
    return QString::fromLatin1(raw.toBase64(CursorEncoding));
}

std::optional<qsizetype> decodeCursor(const QString &cursor)
{
    auto decoded = QByteArray::fromBase64Encoding(
        cursor.toLatin1(), CursorEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QString text = QString::fromUtf8(*decoded);
    if (!text.startsWith(CursorPrefix))
        return std::nullopt;
    bool ok = false;
    const qlonglong offset = text.mid(CursorPrefix.size()).toLongLong(&ok);
    if (!ok || offset < 0)
        return std::nullopt;
    return qsizetype(offset);
}

std::optional<Page> pageFor(const QJsonValue &cursor, qsizetype total, int pageSize)
{
    pageSize = std::max(1, pageSize);
    qsizetype begin = 0;
    if (!cursor.isUndefined() && !cursor.isNull()) {
        if (!cursor.isString())
            return std::nullopt;
        const auto offset = decodeCursor(cursor.toString());
        // A cursor at exactly `total` can only come from a list that shrank; treat it as the
        // (empty) last page rather than an error.
        if (!offset || *offset > total)
            return std::nullopt;
        begin = *offset;
    }
    Page page;
    page.begin = begin;
    page.end = std::min(total, begin + pageSize);
    if (page.end < total)
        page.nextCursor = encodeCursor(page.end);
    return page;
}

} // namespace mcpbridge::mcp
