#include "core/upstream/retrypolicy.h"

#include <QLocale>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace mcpbridge::upstream::retry {

bool isIdempotent(const QByteArray &method, bool idempotencyKey)
{
    const QByteArray m = method.toUpper();
    if (m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "PUT" || m == "DELETE")
        return true;
    return idempotencyKey && (m == "POST" || m == "PATCH");
}

bool isRetryableStatus(int status)
{
    return status == 429 || status == 502 || status == 503 || status == 504;
}

qint64 retryAfterMs(const QByteArray &value, const QDateTime &now)
{
    const QByteArray text = value.trimmed();
    if (text.isEmpty())
        return -1;
    bool ok = false;
    const qint64 seconds = text.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? -1 : std::min<qint64>(seconds, 365LL * 24 * 3600) * 1000;
    // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT" (RFC 9110 section 5.6.7).
    const QString date = QString::fromLatin1(text);
    QDateTime when = QLocale::c().toDateTime(date, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s);
    if (!when.isValid())
        when = QDateTime::fromString(date, Qt::RFC2822Date);
    if (!when.isValid())
        return -1;
    when.setTimeSpec(Qt::UTC);
    return std::max<qint64>(0, now.msecsTo(when));
}

qint64 backoffMs(const bridge::RetryConfig &config, int attempt,
                 const std::function<double()> &random)
{
    const double exponential = double(config.baseDelayMs) * std::pow(2.0, std::max(0, attempt - 1));
    const double ceiling = std::min<double>(config.maxDelayMs, exponential);
    const double r = random ? std::clamp(random(), 0.0, 1.0) : 0.5;
    return qint64(std::floor(ceiling * r));
}

qint64 nextDelayMs(const bridge::RetryConfig &config, int attempt, qint64 retryAfterMs,
                   const std::function<double()> &random)
{
    if (attempt >= config.maxAttempts)
        return -1;
    if (retryAfterMs >= 0)
        return retryAfterMs > config.maxDelayMs ? -1 : retryAfterMs;
    return backoffMs(config, attempt, random);
}

} // namespace mcpbridge::upstream::retry
