#include "connectors/hubspot/hubspotdestination.h"

#include "connectors/http/authfactory.h"
#include "connectors/http/ratelimiterpool.h"
#include "connectors/http/requestwindow.h"
#include "connectors/hubspot/hubspotdelivery.h"
#include "connectors/hubspot/hubspotwire.h"

#include <algorithm>

namespace syncline::connectors::hubspot {

using engine::Result;
using engine::connector::Batch;
using engine::connector::Capabilities;
using engine::connector::ConnectorType;
using engine::connector::ObjectSpec;
using engine::connector::Operation;
using engine::connector::RecordOutcome;

HubSpotDestination::HubSpotDestination(QString name, HubSpotSettings settings, std::unique_ptr<http::HttpAuth> auth,
    std::shared_ptr<http::RateLimiter> limiter)
    : m_name(std::move(name))
    , m_settings(std::move(settings))
    , m_auth(std::move(auth))
    , m_limiter(std::move(limiter))
    , m_transport(std::make_unique<http::HttpTransport>(m_settings.timeout))
{ }

HubSpotDestination::~HubSpotDestination() = default;

ConnectorType HubSpotDestination::connectorType(std::shared_ptr<http::RateLimiterPool> limiters)
{
    ConnectorType type;
    type.id = QStringLiteral("hubspot");
    type.label = QStringLiteral("HubSpot (CRM objects)");
    type.settings = HubSpotSettings::schema();
    type.capabilities = typeCapabilities();
    // The app's "Sign in" (OAuth apps; a private-app token needs none). The scopes must be among
    // those the HubSpot app was given.
    type.oauth = { QStringLiteral("https://app.hubspot.com/oauth/authorize"),
                   QStringLiteral("crm.objects.contacts.read crm.objects.contacts.write crm.objects.companies.read "
                                  "crm.objects.companies.write crm.objects.deals.read crm.objects.deals.write") };
    type.create = [limiters](const engine::DestinationDef &destination,
                      engine::SecretResolver &secrets) -> Result<std::unique_ptr<engine::connector::Connector>> {
        auto settings = HubSpotSettings::fromDestination(destination);
        if (!settings)
            return std::unexpected(settings.error());
        if (!destination.secrets.contains(QStringLiteral("token"))
            && !destination.secrets.contains(QStringLiteral("refresh_token")))
            return engine::fail(QStringLiteral("http.settings"),
                QStringLiteral("Destination '%1': HubSpot needs the secret 'token' (a private app's access token) or "
                               "the OAuth secrets client_id, client_secret and refresh_token")
                    .arg(destination.name));
        auto auth = http::authFromDestination(HubSpotSettings::withAuthDefaults(destination), secrets);
        if (!auth)
            return std::unexpected(auth.error());
        auto limiter = limiters->limiterFor(
            http::RateLimiterPool::accountKey(settings->baseUrl, (*auth)->identity()), settings->ratePerSecond);
        return std::make_unique<HubSpotDestination>(
            destination.name, std::move(*settings), std::move(*auth), std::move(limiter));
    };
    return type;
}

Capabilities HubSpotDestination::typeCapabilities()
{
    Capabilities capabilities;
    capabilities.operations
        = { Operation::Upsert, Operation::Update, Operation::Insert, Operation::Delete, Operation::Clear };
    capabilities.maxBatchSize = 1600;
    capabilities.discoversObjects = true;
    return capabilities;
}

void HubSpotDestination::setRunContext(const engine::connector::RunContext &context)
{
    m_context = context;
    m_transport->setRecorder(context.exchanges);
    m_auth->setDiagnostics(context.diagnostics);
}

Capabilities HubSpotDestination::capabilities() const
{
    Capabilities capabilities = typeCapabilities();
    // Four windows of requests per deliver(): the drain at its end stays a small share, and a
    // crash resends at most this many records (upserts by key, so harmlessly).
    capabilities.maxBatchSize = 4 * m_settings.concurrency * m_settings.batchSizeFor(m_context.object);
    return capabilities;
}

Result<QByteArray> HubSpotDestination::get(const QString &path)
{
    http::RequestWindow window(*m_transport, *m_auth, *m_limiter, m_settings.retry, 1);
    QString base = m_settings.baseUrl.toString(QUrl::FullyEncoded);
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    std::optional<QByteArray> body;
    QString failure;
    http::RequestWindow::Job job;
    job.build = [&] {
        http::HttpRequest request;
        request.method = "GET";
        request.url = QUrl(base + path);
        request.headers = { { "Accept", "application/json" } };
        return request;
    };
    job.answered = [&](const http::HttpResponse &response) {
        if (response.status == 200)
            body = response.body;
        else
            failure = QStringLiteral("HTTP %1: %2").arg(response.status).arg(errorText(response.body));
        return QString();
    };
    job.abandoned = [&](const QString &reason) { failure = reason; };
    job.hopelessRateLimit = [](const http::HttpResponse &response) { return dailyLimitSpent(response.body); };
    window.submit(std::move(job));
    const auto ran = window.run(engine::CancellationToken());
    if (body)
        return *body;
    if (!ran)
        return std::unexpected(ran.error());
    return engine::fail(QStringLiteral("hubspot.discovery"),
        QStringLiteral("Destination '%1': GET %2 failed: %3").arg(m_name, path, failure), true);
}

Result<std::vector<ObjectSpec>> HubSpotDestination::objects()
{
    std::vector<ObjectSpec> specs;
    const QStringList names
        = QStringList { QStringLiteral("contacts"), QStringLiteral("companies"), QStringLiteral("deals") }
        + m_settings.customObjects;
    for (const QString &name : names) {
        auto spec = object(name);
        if (!spec)
            return std::unexpected(spec.error());
        specs.push_back(std::move(*spec));
    }
    return specs;
}

Result<ObjectSpec> HubSpotDestination::object(const QString &name)
{
    auto body = get(QStringLiteral("/crm/v3/properties/") + QString::fromUtf8(QUrl::toPercentEncoding(name)));
    if (!body)
        return std::unexpected(body.error());
    auto fields = fieldsFromProperties(*body, QStringLiteral("Destination '%1', object '%2'").arg(m_name, name));
    if (!fields)
        return std::unexpected(fields.error());
    ObjectSpec spec;
    spec.name = name;
    spec.label = name.left(1).toUpper() + name.mid(1);
    spec.fields = std::move(*fields);
    return spec;
}

Result<void> HubSpotDestination::beginRun(const QString &)
{
    return {};
}

Result<std::vector<RecordOutcome>> HubSpotDestination::deliver(
    const Batch &batch, const engine::CancellationToken &cancellation)
{
    if (auto reachable = m_settlement.checkReachable(m_name); !reachable)
        return std::unexpected(reachable.error());
    const QString matchField = m_context.matchField.isEmpty() ? QStringLiteral("hs_object_id") : m_context.matchField;
    http::RequestWindow window(*m_transport, *m_auth, *m_limiter, m_settings.retry, m_settings.concurrency);
    HubSpotDelivery delivery(m_settings, batch.object, matchField, batch);
    delivery.submitAll(window);
    const Result<void> ran = window.run(cancellation);
    return m_settlement.settle(m_name, ran, delivery.answeredCount(), delivery.takeOutcomes(), m_context.diagnostics);
}

Result<void> HubSpotDestination::finishRun(bool)
{
    return {};
}

} // namespace syncline::connectors::hubspot
