#pragma once
// A token bucket (paced as a generic cell rate: one request every 1/rate seconds) for one
// destination account, shared by every sync and run thread that uses the account in this process.
// It starts from the configured rate (or no limit) and tightens itself from the API's headers:
// Retry-After pauses every user of the account; RateLimit-Remaining 0 pauses until the Reset
// (except per-second windows when a rate is configured: the pace keeps within them), and in
// windows of 2 s or more what is left is spread until the reset. A configured rate is paced 2%
// under, so jitter does not push a request over the API's window. Waiting is never a failure.
// Thread-safe: every method locks.

#include "connectors/http/ratelimitheaders.h"

#include <chrono>
#include <mutex>

namespace syncline::connectors::http {

class RateLimiter
{
public:
    using Clock = std::chrono::steady_clock;

    // perSecond <= 0: no configured limit (the API's headers can still slow it down).
    explicit RateLimiter(double perSecond = 0);

    void setConfiguredRate(double perSecond);
    double configuredRate() const;

    // Takes a slot now and returns 0, or returns how long to wait before asking again.
    std::chrono::milliseconds tryAcquire(Clock::time_point now = Clock::now());
    // Tightens the pace from a response's headers (see RateLimitHint).
    void observe(const RateLimitHint &hint, Clock::time_point now = Clock::now());
    // The interval between requests that applies at `now` (0: unpaced).
    std::chrono::nanoseconds currentInterval(Clock::time_point now = Clock::now()) const;

    static constexpr double kPaceShare = 0.98; // of the configured rate

private:
    std::chrono::nanoseconds intervalLocked(Clock::time_point now) const;

    mutable std::mutex m_mutex;
    double m_perSecond = 0;
    Clock::time_point m_nextFree {};
    Clock::time_point m_pausedUntil {};
    std::chrono::nanoseconds m_tightInterval { 0 };
    Clock::time_point m_tightUntil {};
};

} // namespace syncline::connectors::http
