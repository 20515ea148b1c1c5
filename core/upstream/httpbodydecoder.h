#pragma once

// Undoes the Content-Encoding of an HTTP body (gzip, deflate) piece by piece, so a small
// compressed answer cannot unpack into more memory than the reader asks for at a time.
// PlainHttpClient asks for compressed answers, as QNetworkAccessManager did, when the bridge was
// built with zlib. Private to PlainHttpClient; tested by tst_plainhttpclient.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>

namespace mcpbridge::upstream {

class HttpBodyDecoder
{
public:
    // Whether this build can decode at all (it was built with zlib).
    static bool available();
    // The Accept-Encoding to send when it can: "gzip, deflate".
    static QByteArray acceptEncoding();

    HttpBodyDecoder();
    ~HttpBodyDecoder();

    // Starts on a new body sent with `contentEncoding`; false (and inactive) when that is not
    // one it decodes, e.g. "identity" or "br".
    bool start(QByteArrayView contentEncoding);
    void reset();
    bool isActive() const;

    void feed(QByteArrayView encoded);
    // Appends at most `max` decoded bytes of what was fed to `out`; appends nothing once all of
    // it is decoded. False when the data is not valid for its encoding (errorString() says why).
    bool take(QByteArray &out, qsizetype max);
    QString errorString() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mcpbridge::upstream
