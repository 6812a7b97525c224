#pragma once
// Sends one request through a RequestWindow (the account's rate limiter, the auth, the retry
// policy) and returns its final answer, whatever its status: for the SaaS connectors' discovery
// calls and job polls, which are one request each and not a batch of records.
// Failure: the window's own Error (cancelled, credential refused), or "http.unreachable" when
// every attempt failed (retryable). Thread: the caller's; blocks in a local event loop.

#include "connectors/http/httpauth.h"
#include "connectors/http/httpmessage.h"
#include "connectors/http/ratelimiter.h"
#include "connectors/http/retrypolicy.h"
#include "engine/core/cancellation.h"
#include "engine/core/error.h"

namespace syncline::connectors::http {

class HttpTransport;

engine::Result<HttpResponse> sendSingle(HttpTransport &transport, HttpAuth &auth, RateLimiter &limiter,
    const RetryPolicy &policy, const HttpRequest &request,
    const engine::CancellationToken &cancellation = engine::CancellationToken());

} // namespace syncline::connectors::http
