#pragma once
// The `hubspot` destination: contacts, companies, deals and custom objects (by their type id,
// e.g. "2-1234") through HubSpot's CRM v3 batch API. Upsert by any property with unique values
// (`email` for contacts), update, create (insert) and archive (delete); clear sends "" to every
// mapped property. Fields come from the properties endpoint. Auth: a private app `token`, or OAuth
// (`client_id`, `client_secret`, `refresh_token`; a rotated refresh token is saved at once).
// Rate limits: the configured pace, then HubSpot's X-HubSpot-RateLimit-* headers and 429s.
// See hubspotsettings.h for the settings and hubspotdelivery.h for how a batch travels.
// Thread: one instance per run, used by the run's thread only; the rate limiter is shared.

#include "connectors/http/batchsettlement.h"
#include "connectors/http/httpauth.h"
#include "connectors/http/httptransport.h"
#include "connectors/http/ratelimiter.h"
#include "connectors/hubspot/hubspotsettings.h"
#include "engine/connector/connector.h"
#include "engine/connector/connectorregistry.h"

#include <memory>

namespace syncline::connectors::http {
class RateLimiterPool;
}

namespace syncline::connectors::hubspot {

class HubSpotDestination final : public engine::connector::Connector
{
public:
    HubSpotDestination(QString name, HubSpotSettings settings, std::unique_ptr<http::HttpAuth> auth,
        std::shared_ptr<http::RateLimiter> limiter);
    ~HubSpotDestination() override;

    static engine::connector::ConnectorType connectorType(std::shared_ptr<http::RateLimiterPool> limiters);
    static engine::connector::Capabilities typeCapabilities();

    void setRunContext(const engine::connector::RunContext &context) override;
    engine::connector::Capabilities capabilities() const override;
    engine::Result<std::vector<engine::connector::ObjectSpec>> objects() override;
    engine::Result<engine::connector::ObjectSpec> object(const QString &name) override;
    engine::Result<void> beginRun(const QString &object) override;
    engine::Result<std::vector<engine::connector::RecordOutcome>> deliver(
        const engine::connector::Batch &batch, const engine::CancellationToken &cancellation) override;
    engine::Result<void> finishRun(bool runSucceeded) override;

private:
    engine::Result<QByteArray> get(const QString &path); // one GET through the window (auth, retries)

    QString m_name;
    HubSpotSettings m_settings;
    std::unique_ptr<http::HttpAuth> m_auth;
    std::shared_ptr<http::RateLimiter> m_limiter;
    engine::connector::RunContext m_context;
    std::unique_ptr<http::HttpTransport> m_transport;
    http::BatchSettlement m_settlement; // stops the run after a batch that got no answer
};

} // namespace syncline::connectors::hubspot
