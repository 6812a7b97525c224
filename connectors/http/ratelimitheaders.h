#pragma once
// Reads what an API says about its own rate limit from response headers: Retry-After (seconds or
// an HTTP date), the IETF RateLimit-Limit / -Remaining / -Reset fields and the common
// X-RateLimit-* variants (whose Reset may be an epoch time), and HubSpot's X-HubSpot-RateLimit-*.
// Free function; thread-safe.

#include "connectors/http/httpmessage.h"

#include <QDateTime>

#include <chrono>
#include <optional>

namespace syncline::connectors::http {

struct RateLimitHint
{
    std::optional<std::chrono::milliseconds> retryAfter; // wait at least this long before the next request
    std::optional<double> limit; // requests allowed per window
    std::optional<double> remaining; // requests left in the current window
    std::optional<std::chrono::milliseconds> reset; // until the window resets

    bool empty() const { return !retryAfter && !limit && !remaining && !reset; }
};

RateLimitHint parseRateLimitHeaders(const HeaderList &headers, const QDateTime &nowUtc);

// "Retry-After: 120" or "Retry-After: Wed, 21 Oct 2026 07:28:00 GMT"; nullopt when absent or unreadable.
std::optional<std::chrono::milliseconds> parseRetryAfter(const QByteArray &value, const QDateTime &nowUtc);

} // namespace syncline::connectors::http
