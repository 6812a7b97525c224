#include "connectors/http/httpdestination.h"

#include "connectors/http/authfactory.h"
#include "connectors/http/batchdelivery.h"
#include "connectors/http/ratelimiterpool.h"
#include "connectors/http/requestwindow.h"

#include <algorithm>
#include <cmath>

namespace syncline::connectors::http {

using engine::Result;
using engine::connector::Batch;
using engine::connector::Capabilities;
using engine::connector::ConnectorType;
using engine::connector::ObjectSpec;
using engine::connector::Operation;
using engine::connector::RecordOutcome;

HttpDestination::HttpDestination(QString name, HttpDestinationSettings settings, std::unique_ptr<HttpAuth> auth,
    std::shared_ptr<RateLimiter> limiter)
    : m_name(std::move(name))
    , m_settings(std::move(settings))
    , m_auth(std::move(auth))
    , m_limiter(std::move(limiter))
    , m_transport(std::make_unique<HttpTransport>(m_settings.timeout))
{ }

HttpDestination::~HttpDestination() = default;

ConnectorType HttpDestination::connectorType(std::shared_ptr<RateLimiterPool> limiters)
{
    ConnectorType type;
    type.id = QStringLiteral("http");
    type.label = QStringLiteral("HTTP API (JSON)");
    type.settings = HttpDestinationSettings::schema();
    type.capabilities = typeCapabilities();
    type.create = [limiters](const engine::DestinationDef &destination,
                      engine::SecretResolver &secrets) -> Result<std::unique_ptr<engine::connector::Connector>> {
        auto settings = HttpDestinationSettings::fromDestination(destination);
        if (!settings)
            return std::unexpected(settings.error());
        auto auth = authFromDestination(destination, secrets);
        if (!auth)
            return std::unexpected(auth.error());
        auto limiter = limiters->limiterFor(
            RateLimiterPool::accountKey(settings->baseUrl, (*auth)->identity()), settings->ratePerSecond);
        return std::make_unique<HttpDestination>(
            destination.name, std::move(*settings), std::move(*auth), std::move(limiter));
    };
    return type;
}

void HttpDestination::setRunContext(const engine::connector::RunContext &context)
{
    m_context = context;
    m_transport->setRecorder(context.exchanges);
    m_auth->setDiagnostics(context.diagnostics);
}

Capabilities HttpDestination::typeCapabilities()
{
    Capabilities capabilities;
    capabilities.operations
        = { Operation::Upsert, Operation::Update, Operation::Insert, Operation::Delete, Operation::Clear };
    capabilities.maxBatchSize = 20'000;
    capabilities.discoversObjects = false;
    return capabilities;
}

Capabilities HttpDestination::capabilities() const
{
    Capabilities capabilities = typeCapabilities();
    // A deliver() ends by waiting for its slowest answer while the window drains, so it must hold
    // enough requests that the drain is a small share of its time: eight windows' worth, and at a
    // configured rate at least five seconds of requests. The runner marks each deliver() in flight
    // and lands one while it sends the next, so a crash resends at most twice this many records
    // (once for inserts).
    const double perDeliver = std::max(8.0 * m_settings.concurrency, std::ceil(m_settings.ratePerSecond * 5));
    capabilities.maxBatchSize
        = int(std::clamp(perDeliver * m_settings.batchSize, 1.0, 20'000.0));
    capabilities.discoversObjects = false;
    return capabilities;
}

Result<std::vector<ObjectSpec>> HttpDestination::objects()
{
    return std::vector<ObjectSpec> {};
}

Result<ObjectSpec> HttpDestination::object(const QString &name)
{
    ObjectSpec spec;
    spec.name = name;
    spec.label = name;
    spec.acceptsAnyField = true;
    return spec;
}

Result<void> HttpDestination::beginRun(const QString &)
{
    return {};
}

Result<std::vector<RecordOutcome>> HttpDestination::deliver(
    const Batch &batch, const engine::CancellationToken &cancellation)
{
    if (auto reachable = m_settlement.checkReachable(m_name); !reachable)
        return std::unexpected(reachable.error());
    RequestWindow window(*m_transport, *m_auth, *m_limiter, m_settings.retry, m_settings.concurrency);
    BatchDelivery delivery(m_settings, m_context.matchField, m_context.runId, batch);
    delivery.submitAll(window);
    const Result<void> ran = window.run(cancellation);
    m_lastRequests = window.requestsSent();
    return m_settlement.settle(m_name, ran, delivery.answeredCount(), delivery.takeOutcomes(), m_context.diagnostics);
}

Result<void> HttpDestination::finishRun(bool)
{
    return {};
}

} // namespace syncline::connectors::http
