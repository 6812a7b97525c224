#pragma once
// When and how long to wait before sending a request again: which answers are worth another
// attempt (408, 5xx except 501/505, timeouts, failed or reset connections), exponential backoff
// with jitter, and the bounds. A 429 is the API's rate limit, not a failed attempt: it waits
// (Retry-After, else the backoff) and is bounded separately. Thread: a value; backoff() takes the RNG.

#include "connectors/http/httpmessage.h"

#include <chrono>
#include <random>

namespace syncline::connectors::http {

struct RetryPolicy
{
    int maxAttempts = 5; // setting max_attempts
    std::chrono::milliseconds baseDelay { 1000 }; // setting retry_delay
    std::chrono::milliseconds maxDelay { 60'000 };
    std::chrono::milliseconds maxRateLimitWait { 5 * 60'000 }; // a longer Retry-After gives up (retryable)
    int maxRateLimitedAnswers = 30; // 429s one request accepts before giving up

    // The wait after `failures` (>= 1) failed attempts: a random value in [d/2, d] where
    // d = min(maxDelay, baseDelay * 2^(failures - 1)).
    std::chrono::milliseconds backoff(int failures, std::mt19937 &random) const;

    // True when trying again may get another answer (the request may not have been processed).
    static bool retryableAnswer(const HttpResponse &response);
};

} // namespace syncline::connectors::http
