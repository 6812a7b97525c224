#pragma once
// One run's connection to a Salesforce org: the OAuth 2.0 refresh flow (the token response's
// instance_url becomes the API base unless base_url overrides it; a rotated refresh token is
// saved at once), the HTTP transport and the account's shared rate limiter, and what every
// answer says about the org's API allocation (Sforce-Limit-Info: a warning from 90% used; the
// daily REQUEST_LIMIT_EXCEEDED stops the run and pauses the account's limiter).
// Thread: the run's thread. The resolver passed at creation must outlive the session.

#include "connectors/http/httptransport.h"
#include "connectors/http/oauth2refreshauth.h"
#include "connectors/http/ratelimiter.h"
#include "connectors/http/requestwindow.h"
#include "connectors/salesforce/salesforceerrors.h"
#include "connectors/salesforce/salesforcesettings.h"
#include "engine/core/cancellation.h"
#include "engine/core/diagnosticsink.h"

#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

namespace syncline::connectors::salesforce {

class SalesforceSession
{
public:
    SalesforceSession(QString destinationName, SalesforceSettings settings, http::OAuth2RefreshAuth::Config oauth,
        engine::SecretResolver *resolver, std::shared_ptr<http::RateLimiter> limiter);

    void setRecorder(engine::connector::ExchangeRecorder *recorder) { m_transport->setRecorder(recorder); }
    void setDiagnostics(engine::DiagnosticSink *sink);

    const SalesforceSettings &settings() const { return m_settings; }
    const QString &destinationName() const { return m_name; }
    // "/services/data/v60.0" + path, on the instance (valid once a token was obtained).
    QUrl dataUrl(const QString &path, const QUrlQuery &query = {}) const;
    http::HttpRequest request(const QByteArray &method, const QString &path, const QByteArray &body = {},
        const QByteArray &contentType = "application/json", const QUrlQuery &query = {}) const;

    // A window over this session (auth, limiter, retries) with `concurrency` requests in flight.
    std::unique_ptr<http::RequestWindow> window(int concurrency);

    // Sends one request (retried per the policy) and returns its final answer, whatever its status.
    // An Error when no answer came (cancelled, attempts exhausted, credential refused) or the org's
    // daily API allocation is used up.
    engine::Result<http::HttpResponse> call(
        std::function<http::HttpRequest()> build, const engine::CancellationToken &cancellation);

    // For an answer a window considers final: reads Sforce-Limit-Info and REQUEST_LIMIT_EXCEEDED.
    // Returns a reason to send again (a concurrent-request limit, which passes), else empty.
    QString inspect(const http::HttpResponse &response);
    // Set once the org's daily allocation is used up: the run stops, its rows go next run.
    const std::optional<engine::Error> &stopped() const { return m_stopped; }

    std::optional<ApiUsage> lastUsage() const { return m_usage; }
    QUrl instanceUrl() const { return m_instanceUrl; }

private:
    engine::Result<void> acceptToken(const QJsonObject &token);
    void warn(const QString &message);

    QString m_name;
    SalesforceSettings m_settings;
    std::unique_ptr<http::OAuth2RefreshAuth> m_auth;
    std::shared_ptr<http::RateLimiter> m_limiter;
    std::unique_ptr<http::HttpTransport> m_transport;
    engine::DiagnosticSink *m_diagnostics = nullptr;
    QUrl m_instanceUrl;
    std::optional<ApiUsage> m_usage;
    bool m_warnedUsage = false;
    std::optional<engine::Error> m_stopped;
};

} // namespace syncline::connectors::salesforce
