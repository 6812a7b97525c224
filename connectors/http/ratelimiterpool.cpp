#include "connectors/http/ratelimiterpool.h"

#include <QCryptographicHash>
#include <QUrl>

namespace syncline::connectors::http {

std::shared_ptr<RateLimiter> RateLimiterPool::limiterFor(const QString &accountKey, double perSecond)
{
    std::lock_guard lock(m_mutex);
    auto &limiter = m_limiters[accountKey];
    if (!limiter)
        limiter = std::make_shared<RateLimiter>(perSecond);
    else
        limiter->setConfiguredRate(perSecond);
    return limiter;
}

int RateLimiterPool::size() const
{
    std::lock_guard lock(m_mutex);
    return int(m_limiters.size());
}

QString RateLimiterPool::accountKey(const QUrl &baseUrl, const QByteArray &credentialIdentity)
{
    const QByteArray digest = QCryptographicHash::hash(credentialIdentity, QCryptographicHash::Sha256).toHex().left(16);
    QString host = baseUrl.host().toLower();
    if (baseUrl.port() > 0)
        host += QLatin1Char(':') + QString::number(baseUrl.port());
    return host + QLatin1Char('#') + QString::fromLatin1(digest);
}

} // namespace syncline::connectors::http
