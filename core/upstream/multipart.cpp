#include "core/upstream/multipart.h"

namespace mcpbridge::upstream {

QByteArray MultipartPart::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray multipartBoundary(const QByteArray &contentType)
{
    const QList<QByteArray> params = contentType.split(';');
    for (qsizetype i = 1; i < params.size(); ++i) {
        const QByteArray p = params[i].trimmed();
        const qsizetype eq = p.indexOf('=');
        if (eq < 0 || p.left(eq).trimmed().toLower() != "boundary")
            continue;
        QByteArray value = p.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2);
        return value;
    }
    return {};
}

std::optional<QList<MultipartPart>> parseMultipart(const QByteArray &body,
                                                   const QByteArray &boundary)
{
    if (boundary.isEmpty())
        return std::nullopt;
    const QByteArray delimiter = "--" + boundary;
    const QByteArray lineDelimiter = "\n" + delimiter;
    // The first delimiter may start the body or follow a preamble line.
    qsizetype pos = body.startsWith(delimiter) ? 0 : body.indexOf(lineDelimiter);
    if (pos < 0)
        return std::nullopt;
    if (pos > 0)
        pos += 1;
    QList<MultipartPart> parts;
    for (;;) {
        qsizetype after = pos + delimiter.size();
        if (body.mid(after, 2) == "--")
            break; // close delimiter
        // Skip transport padding and the line break after the delimiter.
        const qsizetype lineEnd = body.indexOf('\n', after);
        if (lineEnd < 0)
            break;
        const qsizetype start = lineEnd + 1;
        qsizetype next = body.indexOf(lineDelimiter, start - 1);
        if (next < 0)
            next = body.size(); // unterminated last part: take the rest
        qsizetype end = next;
        if (end > start && body.at(end - 1) == '\r')
            --end;
        const QByteArray raw = body.mid(start, std::max<qsizetype>(0, end - start));

        MultipartPart part;
        qsizetype headerEnd = -1;
        qsizetype bodyStart = 0;
        if (raw.startsWith("\r\n")) {
            bodyStart = 2;
        } else if (raw.startsWith("\n")) {
            bodyStart = 1;
        } else if ((headerEnd = raw.indexOf("\r\n\r\n")) >= 0) {
            bodyStart = headerEnd + 4;
        } else if ((headerEnd = raw.indexOf("\n\n")) >= 0) {
            bodyStart = headerEnd + 2;
        }
        if (headerEnd > 0) {
            const QList<QByteArray> lines = raw.left(headerEnd).split('\n');
            for (QByteArray line : lines) {
                line = line.trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    part.headers.append(
                        {line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            }
        }
        part.body = raw.mid(bodyStart);
        parts.append(part);
        if (next >= body.size())
            break;
        pos = next + 1;
    }
    return parts;
}

} // namespace mcpbridge::upstream
