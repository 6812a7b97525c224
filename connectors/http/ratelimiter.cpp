#include "connectors/http/ratelimiter.h"

#include <algorithm>

namespace syncline::connectors::http {

using namespace std::chrono;

RateLimiter::RateLimiter(double perSecond)
    : m_perSecond(std::max(0.0, perSecond))
{ }

void RateLimiter::setConfiguredRate(double perSecond)
{
    std::lock_guard lock(m_mutex);
    m_perSecond = std::max(0.0, perSecond);
}

double RateLimiter::configuredRate() const
{
    std::lock_guard lock(m_mutex);
    return m_perSecond;
}

nanoseconds RateLimiter::intervalLocked(Clock::time_point now) const
{
    nanoseconds interval { 0 };
    // 2% under the configured rate: the API counts arrivals in its own windows, and latency jitter
    // would otherwise now and then put one request too many into a window.
    if (m_perSecond > 0)
        interval = nanoseconds(qint64(1e9 / (m_perSecond * kPaceShare)));
    if (now < m_tightUntil)
        interval = std::max(interval, m_tightInterval);
    return interval;
}

nanoseconds RateLimiter::currentInterval(Clock::time_point now) const
{
    std::lock_guard lock(m_mutex);
    return intervalLocked(now);
}

milliseconds RateLimiter::tryAcquire(Clock::time_point now)
{
    std::lock_guard lock(m_mutex);
    const Clock::time_point earliest = std::max(m_nextFree, m_pausedUntil);
    if (earliest > now)
        return std::max(milliseconds(1), ceil<milliseconds>(earliest - now));
    // The next slot follows this one's due time, not the (timer-delayed) grant time, so the
    // average pace is the rate itself; a grant later than a whole interval starts afresh.
    const nanoseconds interval = intervalLocked(now);
    const Clock::time_point due = m_nextFree > now - interval ? m_nextFree : now;
    m_nextFree = due + interval;
    return milliseconds(0);
}

void RateLimiter::observe(const RateLimitHint &hint, Clock::time_point now)
{
    std::lock_guard lock(m_mutex);
    if (hint.retryAfter)
        m_pausedUntil = std::max(m_pausedUntil, now + *hint.retryAfter);
    if (!hint.remaining || !hint.reset || *hint.reset <= milliseconds(0))
        return;
    if (*hint.remaining < 1) {
        // A per-second window's Reset is rounded up to a whole second, so pausing for it idles up
        // to a second per window. With a configured rate the pace already keeps within the window
        // (and a 429's Retry-After still pauses): the pause is for APIs whose limit we do not know.
        if (m_perSecond > 0 && *hint.reset <= seconds(1))
            return;
        m_pausedUntil = std::max(m_pausedUntil, now + *hint.reset);
    } else if (*hint.reset >= seconds(2)) {
        // A long window (per minute, per hour): spread what is left over the time until it resets.
        // Per-second windows are not spread: Reset is rounded to whole seconds, which would slow
        // the end of every window for nothing; their limit is enforced by the pause at 0.
        m_tightInterval = duration_cast<nanoseconds>(*hint.reset) / qint64(*hint.remaining);
        m_tightUntil = now + *hint.reset;
    }
}

} // namespace syncline::connectors::http
