#pragma once
// The generic `http` destination: sends records to any JSON API.
//   settings: base_url (required), batch_size (100), concurrency (4), rate_limit (none; 20/s,
//   600/min), timeout (30s), headers (map), max_attempts (5), retry_delay (1s), operations
//   (per-operation overrides, below), plus the auth settings and secrets of authfactory.h.
// Defaults: upsert/insert/update/clear POST base_url with a JSON array of the payloads (one
// object when batch_size is 1); delete sends DELETE base_url/<match value>; any 2xx is success.
// operations: a map keyed by upsert, insert, update, delete or clear, each with any of
//   method: PUT                     POST, PUT, PATCH, DELETE or GET
//   path: /people/{{email}}         appended to base_url; mustache over the record (URL-encoded)
//   headers: { X-Mode: bulk }       added to the destination's headers
//   body: '{"inputs":[{{#records}}{{{_json}}}{{^_last}},{{/_last}}{{/records}}]}'
//                                   mustache over the batch (see requesttemplate.h for the context)
//   success: [200, 201, 207]        the statuses that mean the request was processed
//   errors_path: results[].error    per-record errors in a success answer (see responsepath.h)
//   id_path: results[].id           the created record's id, kept in the ledger
// A request carries several records unless its path names record fields or its body is a
// template without {{#records}}. Retries: 429 (waits, not counted), 408, 5xx, timeouts, dropped
// connections, and a success answer whose body cannot be read at errors_path; all operations are
// retried, inserts too: an insert whose acknowledgement was lost may land twice unless the API
// honours the Idempotency-Key that insert requests carry (see batchdelivery.h), which is why
// upsert (by key) is the safe mode for APIs that have it.
// Thread: one instance per run, used by the run's thread only; the rate limiter is shared.

#include "connectors/http/batchsettlement.h"
#include "connectors/http/httpauth.h"
#include "connectors/http/httpdestinationsettings.h"
#include "connectors/http/httptransport.h"
#include "connectors/http/ratelimiter.h"
#include "engine/connector/connector.h"
#include "engine/connector/connectorregistry.h"

#include <memory>

namespace syncline::connectors::http {

class RateLimiterPool;

class HttpDestination final : public engine::connector::Connector
{
public:
    HttpDestination(QString name, HttpDestinationSettings settings, std::unique_ptr<HttpAuth> auth,
        std::shared_ptr<RateLimiter> limiter);
    ~HttpDestination() override;

    // The registry entry: id "http", its schema, and a factory sharing `limiters` across runs.
    static engine::connector::ConnectorType connectorType(std::shared_ptr<RateLimiterPool> limiters);
    // What every instance can do (all five operations, any object); an instance narrows only
    // maxBatchSize, to batch_size x concurrency x 2.
    static engine::connector::Capabilities typeCapabilities();

    void setRunContext(const engine::connector::RunContext &context) override;
    engine::connector::Capabilities capabilities() const override;
    engine::Result<std::vector<engine::connector::ObjectSpec>> objects() override;
    engine::Result<engine::connector::ObjectSpec> object(const QString &name) override;
    engine::Result<void> beginRun(const QString &object) override;
    engine::Result<std::vector<engine::connector::RecordOutcome>> deliver(
        const engine::connector::Batch &batch, const engine::CancellationToken &cancellation) override;
    engine::Result<void> finishRun(bool runSucceeded) override;

    // For tests: requests sent by the last deliver() (attempts included).
    int lastRequestCount() const { return m_lastRequests; }

private:
    QString m_name;
    HttpDestinationSettings m_settings;
    std::unique_ptr<HttpAuth> m_auth;
    std::shared_ptr<RateLimiter> m_limiter;
    engine::connector::RunContext m_context;
    std::unique_ptr<HttpTransport> m_transport;
    int m_lastRequests = 0;
    // Set when a whole batch got no answer after every attempt (the API is down or failing every
    // request): the run stops at the next batch instead of spending every attempt on each one.
    BatchSettlement m_settlement; // stops the run after a batch that got no answer
};

} // namespace syncline::connectors::http
