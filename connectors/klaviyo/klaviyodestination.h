#pragma once
// The `klaviyo` destination: profiles, matched by email, external_id or phone_number.
// Upserts above bulk_threshold go through bulk import jobs (KlaviyoBulkImport: created, polled,
// import errors read back per row); smaller batches, updates and clears are single profile imports
// (POST /api/profile-import, 201 created / 200 updated; the profile id is kept in the ledger).
// Clear sets the mapped attributes to null and unsets the mapped custom properties. Klaviyo has no
// row-level delete in its profile API (deleting a person is a data-privacy request, permanent and
// asynchronous), so Delete and Insert are not offered: use on_removed: clear.
// Rate limits: Klaviyo's RateLimit-* headers and a 429's Retry-After pace every request. A refused
// key is a non-retryable "auth.refused" naming the secret api_key.
// Thread: one instance per run, used by the run's thread only.

#include "connectors/klaviyo/klaviyoapi.h"
#include "engine/connector/connector.h"
#include "engine/connector/connectorregistry.h"

#include <memory>

namespace syncline::connectors::http {
class RateLimiterPool;
}

namespace syncline::connectors::klaviyo {

class KlaviyoDestination final : public engine::connector::Connector
{
public:
    KlaviyoDestination(QString name, KlaviyoApi api);
    ~KlaviyoDestination() override;

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

    // For tests: bulk import jobs created by this instance.
    int jobsCreated() const { return m_jobs; }

private:
    void deliverSingles(const engine::connector::Batch &batch, const std::vector<int> &indexes,
        std::vector<engine::connector::RecordOutcome> &outcomes, std::vector<char> &answered,
        const engine::CancellationToken &cancellation, std::optional<engine::Error> &stopped);
    engine::Error explained(engine::Error error) const;
    QString matchField() const;

    QString m_name;
    KlaviyoApi m_api;
    engine::connector::RunContext m_context;
    int m_jobs = 0;
};

} // namespace syncline::connectors::klaviyo
