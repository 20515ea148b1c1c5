#pragma once

// Turns an upstream HTTP response into MCP content: JSON -> text (+ structuredContent with an
// output schema), text, images, audio, embedded resources, multipart parts; size caps with a
// note; HTTP errors -> isError results with a hint. Pure functions; used by RestInvoker and
// tested by tst_responseshaper.

#include "core/bridge/bridgedocument.h"
#include "core/upstream/requestbuilder.h"
#include "core/upstream/toolresult.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace mcpbridge::upstream {

struct HttpResponse
{
    int status = 0;
    QString reason; // "OK", "Not Found" ...
    HeaderList headers;
    QByteArray body;        // what was received (maybe only the first bytes, see complete)
    qint64 totalBytes = -1; // the full size when known (Content-Length or all received), else -1
    bool complete = true;   // false: reading stopped early; body holds the first bytes
    QString url;            // the request URL, redacted: the default uri of embedded resources

    QByteArray header(QByteArrayView name) const;
    // The media type without parameters, lowercased ("application/json"); empty when absent.
    QString mimeType() const;
    // The charset parameter of Content-Type, lowercased; empty when absent.
    QString charset() const;
    // Seconds from Retry-After (delta-seconds or HTTP date), or -1.
    int retryAfterSeconds() const;
};

class ResponseShaper
{
public:
    // Images, audio and blobs above this are left out with a note (text is cut instead).
    static qint64 binaryLimit(qint64 maxBytes);
    // Responses larger than this are not read at all (JSON must be read whole to be shaped).
    static constexpr qint64 HardLimitBytes = 16 * 1024 * 1024;
    static constexpr qint64 ExcerptBytes = 2048;

    // A successful (2xx/3xx) response -> CallToolResult. JSON becomes compact text: as the API
    // wrote it without the whitespace between tokens, or re-serialised (keys sorted) when
    // fields/maxItems reshaped it. `summary` gets a few words for the log ("JSON, 3 items").
    // JSON passed on as the API wrote it comes back as text (ToolResult::hasCompactJson).
    static ToolResult toolResult(const HttpResponse &response, const bridge::Tool &tool,
                                 QString *summary = nullptr);
    // The contents of a ReadResourceResult: [{uri, mimeType, text | blob}].
    static QJsonArray resourceContents(const HttpResponse &response, const QString &uri,
                                       const QString &mimeType);

    // The text of an HTTP error result: status line, hint, excerpt of the body.
    static QString httpErrorText(const HttpResponse &response, const QString &method,
                                 const QString &path, const QString &hint);
    // {content:[{type:text, text}], isError:true}
    static QJsonObject errorResult(const QString &text);
    // The API's own words from an error body ({"message"}, {"error"}, {"detail"} ...).
    static QString apiMessage(const HttpResponse &response);
    // Up to `maxBytes` of the body as text (binary bodies are described, not shown).
    static QString excerpt(const HttpResponse &response, qint64 maxBytes = ExcerptBytes);

    // Helpers, public for tests.
    static bool isJsonType(const QString &mimeType);
    static bool isTextType(const QString &mimeType);
    static QString normalizeMimeType(const QString &mimeType); // audio/x-wav -> audio/wav ...
    static QString decodeText(const QByteArray &bytes, const QString &charset);
    // The longest prefix of at most `maxBytes` that ends on a UTF-8 character boundary.
    static QByteArray cutUtf8(const QByteArray &utf8, qint64 maxBytes);
    // Keeps only the parts of `value` named by the JSON pointers; across an array, a
    // non-numeric token applies to every item ("/items/name" keeps each item's name).
    static QJsonValue keepFields(const QJsonValue &value, const QStringList &pointers);
    // Parses any JSON text, including a top-level scalar.
    static std::optional<QJsonValue> parseJson(const QByteArray &bytes, QString *error = nullptr);
};

} // namespace mcpbridge::upstream
