#pragma once
// The rate limiters of one process, one per destination account (the API's host plus a hash of
// the credential), so that every sync sending to the same account shares one budget.
// Created once by registerBuiltinConnectors() and captured by the HTTP connector factories; no
// global instance. Thread-safe.

#include "connectors/http/ratelimiter.h"

#include <QString>

#include <map>
#include <memory>
#include <mutex>

namespace syncline::connectors::http {

class RateLimiterPool
{
public:
    // The limiter of `accountKey`, created on first use; its configured rate becomes `perSecond`
    // (the latest configuration wins; <= 0 means no configured limit).
    std::shared_ptr<RateLimiter> limiterFor(const QString &accountKey, double perSecond);
    int size() const;

    // "api.example.com#3f2a9c..." from a base URL and the credential's identity (hashed, never stored).
    static QString accountKey(const QUrl &baseUrl, const QByteArray &credentialIdentity);

private:
    mutable std::mutex m_mutex;
    std::map<QString, std::shared_ptr<RateLimiter>> m_limiters;
};

} // namespace syncline::connectors::http
