#include "connectors/http/ratelimiter.h"

#include <algorithm>

namespace syncline::connectors::http {

using namespace std::chrono;

RateLimiter::RateLimiter(double perSecond) : m_perSecond(std::max(0.0, perSecond)) { }

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
    nanoseconds interval{0};
    if (m_perSecond > 0)
        interval = nanoseconds(qint64(1e9 / m_perSecond));
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
    m_nextFree = now + intervalLocked(now);
    return milliseconds(0);
}

void RateLimiter::observe(const RateLimitHint &hint, Clock::time_point now)
{
    std::lock_guard lock(m_mutex);
    if (hint.retryAfter)
        m_pausedUntil = std::max(m_pausedUntil, now + *hint.retryAfter);
    if (hint.remaining && hint.reset && *hint.reset > milliseconds(0)) {
        if (*hint.remaining < 1) {
            m_pausedUntil = std::max(m_pausedUntil, now + *hint.reset);
        } else {
            m_tightInterval = duration_cast<nanoseconds>(*hint.reset) / qint64(*hint.remaining);
            m_tightUntil = now + *hint.reset;
        }
    }
}

} // namespace syncline::connectors::http
