#include "connectors/http/ratelimitheaders.h"

#include <algorithm>
#include <cmath>

namespace syncline::connectors::http {

namespace {

using std::chrono::milliseconds;

std::optional<double> number(const QByteArray &value)
{
    // "100", "100, 1000;w=3600" (several policies: the first is the one that applies now)
    QByteArray first = value.trimmed();
    const qsizetype cut = first.indexOf(',') >= 0 ? first.indexOf(',') : first.indexOf(';');
    if (cut >= 0)
        first = first.left(cut).trimmed();
    bool ok = false;
    const double parsed = first.toDouble(&ok);
    if (!ok || !std::isfinite(parsed) || parsed < 0)
        return std::nullopt;
    return parsed;
}

std::optional<QByteArray> firstOf(const HeaderList &headers, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        const QByteArray value = headerValue(headers, name);
        if (!value.isEmpty())
            return value;
    }
    return std::nullopt;
}

} // namespace

std::optional<milliseconds> parseRetryAfter(const QByteArray &value, const QDateTime &nowUtc)
{
    const QByteArray text = value.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (ok)
        return seconds < 0 || !std::isfinite(seconds) ? std::nullopt
                                                      : std::optional(milliseconds(qint64(seconds * 1000)));
    // An HTTP date (RFC 9110 IMF-fixdate): "Wed, 21 Oct 2026 07:28:00 GMT".
    QString date = QString::fromLatin1(text);
    if (date.endsWith(QLatin1String(" GMT")) || date.endsWith(QLatin1String(" UTC")))
        date = date.left(date.size() - 4) + QStringLiteral(" +0000");
    const QDateTime when = QDateTime::fromString(date, Qt::RFC2822Date);
    if (!when.isValid())
        return std::nullopt;
    return milliseconds(std::max<qint64>(0, nowUtc.msecsTo(when)));
}

RateLimitHint parseRateLimitHeaders(const HeaderList &headers, const QDateTime &nowUtc)
{
    RateLimitHint hint;
    if (auto value = firstOf(headers, { "Retry-After" }))
        hint.retryAfter = parseRetryAfter(*value, nowUtc);
    if (auto value = firstOf(headers, { "RateLimit-Limit", "X-RateLimit-Limit", "X-Rate-Limit-Limit" }))
        hint.limit = number(*value);
    if (auto value = firstOf(headers, { "RateLimit-Remaining", "X-RateLimit-Remaining", "X-Rate-Limit-Remaining" }))
        hint.remaining = number(*value);
    if (auto value = firstOf(headers, { "RateLimit-Reset", "X-RateLimit-Reset", "X-Rate-Limit-Reset" })) {
        if (auto reset = number(*value)) {
            // Large values are epoch seconds (GitHub and others); small ones are seconds from now.
            const qint64 nowSeconds = nowUtc.toSecsSinceEpoch();
            if (*reset > 1'000'000'000)
                hint.reset = milliseconds(std::max<qint64>(0, (qint64(*reset) - nowSeconds) * 1000));
            else
                hint.reset = milliseconds(qint64(*reset * 1000));
        }
    }
    // HubSpot: X-HubSpot-RateLimit-Secondly(-Remaining) per second, or -Max/-Remaining per
    // -Interval-Milliseconds; a spent daily budget shows as Daily-Remaining 0.
    if (!hint.limit && !hint.remaining) {
        if (auto value = firstOf(headers, { "X-HubSpot-RateLimit-Secondly-Remaining" })) {
            hint.remaining = number(*value);
            hint.reset = milliseconds(1000);
            if (auto limit = firstOf(headers, { "X-HubSpot-RateLimit-Secondly" }))
                hint.limit = number(*limit);
        } else if (auto value = firstOf(headers, { "X-HubSpot-RateLimit-Remaining" })) {
            hint.remaining = number(*value);
            if (auto limit = firstOf(headers, { "X-HubSpot-RateLimit-Max" }))
                hint.limit = number(*limit);
            if (auto interval = firstOf(headers, { "X-HubSpot-RateLimit-Interval-Milliseconds" }))
                if (auto ms = number(*interval))
                    hint.reset = milliseconds(qint64(*ms));
        }
    }
    return hint;
}

} // namespace syncline::connectors::http
