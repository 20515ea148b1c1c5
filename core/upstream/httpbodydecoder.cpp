#include "core/upstream/httpbodydecoder.h"

#ifdef MCPBRIDGE_HAVE_ZLIB
#include <zlib.h>
#endif

using namespace Qt::StringLiterals;

namespace mcpbridge::upstream {

#ifdef MCPBRIDGE_HAVE_ZLIB

struct HttpBodyDecoder::Private
{
    z_stream z{};
    bool started = false;     // a body with an encoding we decode
    bool initialised = false; // zlib set up (once the first bytes show the wrapper)
    bool gzip = false;
    bool ended = false;
    QByteArray pending; // fed, not yet decoded
    qsizetype pendingFrom = 0;
    QString error;

    void end()
    {
        if (initialised)
            inflateEnd(&z);
        initialised = false;
    }
};

bool HttpBodyDecoder::available()
{
    return true;
}

QByteArray HttpBodyDecoder::acceptEncoding()
{
    return QByteArrayLiteral("gzip, deflate");
}

#else

struct HttpBodyDecoder::Private
{
    QString error;
};

bool HttpBodyDecoder::available()
{
    return false;
}

QByteArray HttpBodyDecoder::acceptEncoding()
{
    return {};
}

#endif

HttpBodyDecoder::HttpBodyDecoder()
    : d(std::make_unique<Private>())
{}

HttpBodyDecoder::~HttpBodyDecoder()
{
    reset();
}

QString HttpBodyDecoder::errorString() const
{
    return d->error;
}

#ifdef MCPBRIDGE_HAVE_ZLIB

void HttpBodyDecoder::reset()
{
    d->end();
    d->z = z_stream{};
    d->started = false;
    d->ended = false;
    d->pending.clear();
    d->pendingFrom = 0;
    d->error.clear();
}

bool HttpBodyDecoder::start(QByteArrayView contentEncoding)
{
    reset();
    const QByteArray coding = contentEncoding.trimmed().toByteArray().toLower();
    if (coding == "gzip" || coding == "x-gzip")
        d->gzip = true;
    else if (coding == "deflate")
        d->gzip = false;
    else
        return false;
    d->started = true;
    return true;
}

bool HttpBodyDecoder::isActive() const
{
    return d->started;
}

void HttpBodyDecoder::feed(QByteArrayView encoded)
{
    if (d->ended)
        return;
    d->pending.append(encoded.data(), encoded.size());
}

bool HttpBodyDecoder::take(QByteArray &out, qsizetype max)
{
    if (!d->error.isEmpty())
        return false;
    if (!d->started || d->ended || max <= 0)
        return true;
    if (!d->initialised) {
        // zlib learns which wrapper to expect from the first bytes (deflate may come raw).
        int windowBits = 16 + MAX_WBITS; // gzip
        if (!d->gzip) {
            if (d->pending.size() < 2)
                return true; // wait for the header
            // A zlib header (RFC 1950) or, as some servers send, raw deflate.
            const auto cmf = static_cast<unsigned char>(d->pending.at(0));
            const auto flg = static_cast<unsigned char>(d->pending.at(1));
            const bool zlibHeader = (cmf & 0x0f) == 8 && ((cmf << 8) | flg) % 31 == 0;
            windowBits = zlibHeader ? MAX_WBITS : -MAX_WBITS;
        }
        if (inflateInit2(&d->z, windowBits) != Z_OK) {
            d->error = u"The decoder could not start."_s;
            return false;
        }
        d->initialised = true;
    }
    const qsizetype before = out.size();
    out.resize(before + max);
    d->z.next_in
        = reinterpret_cast<Bytef *>(const_cast<char *>(d->pending.constData() + d->pendingFrom));
    d->z.avail_in = uInt(d->pending.size() - d->pendingFrom);
    d->z.next_out = reinterpret_cast<Bytef *>(out.data() + before);
    d->z.avail_out = uInt(max);
    while (d->z.avail_in > 0 && d->z.avail_out > 0) {
        const int result = inflate(&d->z, Z_NO_FLUSH);
        if (result == Z_STREAM_END) {
            d->ended = true; // anything after the end of the stream is ignored
            break;
        }
        if (result == Z_BUF_ERROR)
            break;
        if (result != Z_OK) {
            d->error = d->z.msg ? QString::fromLatin1(d->z.msg) : u"corrupt data"_s;
            out.resize(before);
            return false;
        }
    }
    out.resize(before + (max - qsizetype(d->z.avail_out)));
    d->pendingFrom = d->pending.size() - qsizetype(d->z.avail_in);
    if (d->ended || d->pendingFrom == d->pending.size()) {
        d->pending.clear();
        d->pendingFrom = 0;
    }
    return true;
}

#else

void HttpBodyDecoder::reset()
{
    d->error.clear();
}

bool HttpBodyDecoder::start(QByteArrayView)
{
    return false;
}

bool HttpBodyDecoder::isActive() const
{
    return false;
}

void HttpBodyDecoder::feed(QByteArrayView) {}

bool HttpBodyDecoder::take(QByteArray &, qsizetype)
{
    return true;
}

#endif

} // namespace mcpbridge::upstream
