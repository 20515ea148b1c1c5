#pragma once

// When a failed upstream call is tried again and how long to wait first: idempotent methods
// only, on connection errors and 429/502/503/504, exponential backoff with full jitter, honouring
// Retry-After up to the configured cap. Pure functions; used by UpstreamCall, tested by
// tst_resilience.

#include "core/bridge/bridgedocument.h"

#include <QByteArray>
#include <QDateTime>

#include <functional>

namespace mcpbridge::upstream::retry {

// GET, HEAD, OPTIONS, PUT and DELETE; POST and PATCH only when the tool sends an Idempotency-Key.
bool isIdempotent(const QByteArray &method, bool idempotencyKey);
bool isRetryableStatus(int status); // 429, 502, 503, 504

// Retry-After as seconds ("120") or an HTTP date, relative to `now`. -1 when absent or unreadable.
qint64 retryAfterMs(const QByteArray &value, const QDateTime &now);

// The wait before attempt `attempt` + 1 (attempt counts from 1): full jitter over
// min(maxDelay, base * 2^(attempt-1)). `random` returns a value in [0, 1).
qint64 backoffMs(const bridge::RetryConfig &config, int attempt,
                 const std::function<double()> &random);

// The wait before the next attempt, or -1 when there is none: attempts used up, or the API asks
// for a longer pause (Retry-After) than config.maxDelayMs.
qint64 nextDelayMs(const bridge::RetryConfig &config, int attempt, qint64 retryAfterMs,
                   const std::function<double()> &random);

} // namespace mcpbridge::upstream::retry
