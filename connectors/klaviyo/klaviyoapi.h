#pragma once
// What every Klaviyo request shares: the base URL, the `revision` header, the JSON:API content
// type, the private key (through HttpAuth), the account's rate limiter and the retry policy; and
// how Klaviyo's JSON:API errors read. Owned by a KlaviyoDestination; used by its run thread only.

#include "connectors/http/httpauth.h"
#include "connectors/http/httptransport.h"
#include "connectors/http/ratelimiter.h"
#include "connectors/klaviyo/klaviyosettings.h"
#include "engine/core/cancellation.h"

#include <QJsonObject>

#include <memory>

namespace syncline::connectors::klaviyo {

struct KlaviyoApi
{
    KlaviyoSettings settings;
    std::unique_ptr<http::HttpAuth> auth;
    std::shared_ptr<http::RateLimiter> limiter;
    std::unique_ptr<http::HttpTransport> transport;

    // `path` starts with /api/; `query` is already encoded; `body` is sent as JSON:API when given.
    http::HttpRequest request(const QByteArray &method, const QString &path, const QString &query = {},
        const QJsonObject *body = nullptr) const;
    // One request with auth, pacing and retries; its final answer whatever the status.
    engine::Result<http::HttpResponse> send(
        const http::HttpRequest &request, const engine::CancellationToken &cancellation) const;

    // "HTTP 409: A profile already exists ..." from {errors:[{title, detail}]}, else the status line.
    static QString errorText(const http::HttpResponse &response);
};

} // namespace syncline::connectors::klaviyo
