#include "connectors/http/retrypolicy.h"

#include <algorithm>

namespace syncline::connectors::http {

std::chrono::milliseconds RetryPolicy::backoff(int failures, std::mt19937 &random) const
{
    const int exponent = std::clamp(failures - 1, 0, 30);
    const qint64 ceiling
        = std::min<qint64>(maxDelay.count(), baseDelay.count() * (qint64(1) << std::min(exponent, 20)));
    std::uniform_int_distribution<qint64> jitter(ceiling / 2, std::max<qint64>(ceiling / 2, ceiling));
    return std::chrono::milliseconds(jitter(random));
}

bool RetryPolicy::retryableAnswer(const HttpResponse &response)
{
    switch (response.end) {
    case HttpResponse::End::TimedOut:
    case HttpResponse::End::ConnectionFailed:
        return true;
    case HttpResponse::End::Cancelled:
    case HttpResponse::End::TlsRefused:
        return false;
    case HttpResponse::End::Answered:
        break;
    }
    const int status = response.status;
    return status == 408 || (status >= 500 && status != 501 && status != 505);
}

} // namespace syncline::connectors::http
