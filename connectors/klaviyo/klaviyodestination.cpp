#include "connectors/klaviyo/klaviyodestination.h"

#include "connectors/http/ratelimiterpool.h"
#include "connectors/http/requestwindow.h"
#include "connectors/http/staticauth.h"
#include "connectors/klaviyo/klaviyobulkimport.h"
#include "connectors/klaviyo/klaviyoprofile.h"

#include <QJsonDocument>

#include <algorithm>

namespace syncline::connectors::klaviyo {

using engine::Result;
using engine::connector::Batch;
using engine::connector::Capabilities;
using engine::connector::ConnectorType;
using engine::connector::ObjectSpec;
using engine::connector::Operation;
using engine::connector::RecordOutcome;

namespace {

const QString kProfiles = QStringLiteral("profiles");

} // namespace

KlaviyoDestination::KlaviyoDestination(QString name, KlaviyoApi api)
    : m_name(std::move(name))
    , m_api(std::move(api))
{ }

KlaviyoDestination::~KlaviyoDestination() = default;

ConnectorType KlaviyoDestination::connectorType(std::shared_ptr<http::RateLimiterPool> limiters)
{
    ConnectorType type;
    type.id = QStringLiteral("klaviyo");
    type.label = QStringLiteral("Klaviyo (profiles)");
    type.settings = KlaviyoSettings::schema();
    type.capabilities = typeCapabilities();
    type.create = [limiters](const engine::DestinationDef &destination,
                      engine::SecretResolver &secrets) -> Result<std::unique_ptr<engine::connector::Connector>> {
        if (!destination.secrets.contains(QStringLiteral("api_key")))
            return engine::fail(QStringLiteral("klaviyo.settings"),
                QStringLiteral("Destination '%1' has no secret 'api_key'; add secrets: { api_key: { keychain: NAME } } "
                               "with a Klaviyo private key (Settings > API keys)")
                    .arg(destination.name));
        auto settings = KlaviyoSettings::fromDestination(destination);
        if (!settings)
            return std::unexpected(settings.error());
        auto key = secrets.resolve(destination.secrets.value(QStringLiteral("api_key")));
        if (!key)
            return std::unexpected(key.error());
        KlaviyoApi api;
        api.settings = std::move(*settings);
        api.auth = std::make_unique<http::ApiKeyAuth>(QStringLiteral("Klaviyo-API-Key ") + key->trimmed(), "Authorization", QString());
        api.limiter = limiters->limiterFor(
            http::RateLimiterPool::accountKey(api.settings.baseUrl, key->toUtf8()), api.settings.ratePerSecond);
        api.transport = std::make_unique<http::HttpTransport>(api.settings.timeout);
        return std::make_unique<KlaviyoDestination>(destination.name, std::move(api));
    };
    return type;
}

Capabilities KlaviyoDestination::typeCapabilities()
{
    Capabilities capabilities;
    capabilities.operations = { Operation::Upsert, Operation::Update, Operation::Clear };
    capabilities.maxBatchSize = KlaviyoSettings::kMaxBulkProfiles;
    capabilities.discoversObjects = true;
    return capabilities;
}

Capabilities KlaviyoDestination::capabilities() const
{
    Capabilities capabilities = typeCapabilities();
    // A deliver() above the threshold is one bulk job (plus what does not fit in 5 MB); with a
    // threshold at or above bulk_size every deliver() is single imports, at most 10,000 of them.
    const KlaviyoSettings &settings = m_api.settings;
    capabilities.maxBatchSize = settings.bulkThreshold < settings.bulkSize
        ? settings.bulkSize
        : std::clamp(settings.bulkThreshold, 1, KlaviyoSettings::kMaxBulkProfiles);
    return capabilities;
}

void KlaviyoDestination::setRunContext(const engine::connector::RunContext &context)
{
    m_context = context;
    m_api.transport->setRecorder(context.exchanges);
    m_api.auth->setDiagnostics(context.diagnostics);
}

QString KlaviyoDestination::matchField() const
{
    return m_context.matchField.isEmpty() ? QStringLiteral("email") : m_context.matchField;
}

engine::Error KlaviyoDestination::explained(engine::Error error) const
{
    if (error.code == QLatin1String("auth.refused"))
        error.message = QStringLiteral("Destination '%1': Klaviyo refused the private API key (HTTP 401), which may have "
                                       "been revoked or lack the profiles:write scope; create a key in Klaviyo "
                                       "(Settings > API keys), store it in the destination's secret 'api_key', then "
                                       "run again")
                            .arg(m_name);
    else
        error.message = QStringLiteral("Destination '%1': %2").arg(m_name, error.message);
    return error;
}

Result<std::vector<ObjectSpec>> KlaviyoDestination::objects()
{
    auto profiles = object(kProfiles);
    if (!profiles)
        return std::unexpected(profiles.error());
    return std::vector<ObjectSpec> { *profiles };
}

Result<ObjectSpec> KlaviyoDestination::object(const QString &name)
{
    if (name != kProfiles)
        return engine::fail(QStringLiteral("klaviyo.object"),
            QStringLiteral("Destination '%1': Klaviyo has no object '%2'; the klaviyo destination writes 'profiles'")
                .arg(m_name, name));
    // The profile attributes are fixed by the API revision; custom properties are free-form, and
    // Klaviyo has no endpoint that lists them, so any other field name becomes a custom property.
    ObjectSpec spec;
    spec.name = kProfiles;
    spec.label = QStringLiteral("Profiles");
    spec.acceptsAnyField = true;
    spec.fields = profileFields();
    return spec;
}

Result<void> KlaviyoDestination::beginRun(const QString &object)
{
    if (auto spec = this->object(object); !spec)
        return std::unexpected(spec.error());
    if (!identifierNames().contains(matchField()))
        return engine::fail(QStringLiteral("klaviyo.match"),
            QStringLiteral("Destination '%1': Klaviyo matches profiles by email, external_id or phone_number, not '%2'; "
                           "map one of them and match on it")
                .arg(m_name, matchField()));
    return {};
}

Result<std::vector<RecordOutcome>> KlaviyoDestination::deliver(
    const Batch &batch, const engine::CancellationToken &cancellation)
{
    const size_t count = batch.records.size();
    std::vector<RecordOutcome> outcomes(count);
    std::vector<char> answered(count, 0);
    std::vector<int> upserts, singles;
    for (int i = 0; i < int(count); ++i) {
        switch (batch.records[size_t(i)].operation) {
        case Operation::Upsert:
            upserts.push_back(i);
            break;
        case Operation::Update:
        case Operation::Clear:
            singles.push_back(i);
            break;
        case Operation::Insert:
        case Operation::Delete:
            outcomes[size_t(i)].error = QStringLiteral(
                "Klaviyo's profile API has no %1; use upsert, and on_removed: clear for removed rows")
                                            .arg(engine::connector::operationName(batch.records[size_t(i)].operation));
            answered[size_t(i)] = 1;
            break;
        }
    }
    const bool bulk = !upserts.empty() && int(upserts.size()) > m_api.settings.bulkThreshold;
    if (!bulk)
        singles.insert(singles.end(), upserts.begin(), upserts.end());
    std::optional<engine::Error> stopped;
    if (bulk) {
        // Jobs of at most bulk_size profiles and 5 MB, in record order.
        std::vector<std::vector<int>> jobs(1);
        std::vector<QJsonObject> resources(count);
        qsizetype bytes = 0;
        for (int index : upserts) {
            const QJsonObject payload = QJsonDocument::fromJson(QByteArray::fromStdString(batch.records[size_t(index)].payload)).object();
            ProfileResource profile = upsertResource(payload, matchField(), {});
            const qsizetype size = QJsonDocument(profile.resource).toJson(QJsonDocument::Compact).size();
            if (profile.error.isEmpty() && size > KlaviyoSettings::kMaxProfileBytes)
                profile.error = QStringLiteral("the profile is %1 KB; Klaviyo takes at most 100 KB per profile").arg(size / 1024);
            if (!profile.error.isEmpty()) {
                outcomes[size_t(index)].error = profile.error;
                answered[size_t(index)] = 1;
                continue;
            }
            if (int(jobs.back().size()) >= m_api.settings.bulkSize || bytes + size > KlaviyoSettings::kMaxBulkBytes) {
                jobs.emplace_back();
                bytes = 0;
            }
            jobs.back().push_back(index);
            resources[size_t(index)] = profile.resource;
            bytes += size + 1;
        }
        for (const std::vector<int> &job : jobs) {
            if (job.empty())
                continue;
            auto settleAll = [&](const QString &why) {
                for (int index : job) {
                    outcomes[size_t(index)].error = why;
                    outcomes[size_t(index)].retryable = true;
                }
            };
            if (stopped) {
                settleAll(stopped->message);
                continue;
            }
            std::vector<QJsonObject> jobResources;
            for (int index : job)
                jobResources.push_back(resources[size_t(index)]);
            KlaviyoBulkImport import(m_api, matchField());
            auto result = import.run(jobResources, cancellation);
            m_jobs += import.jobId().isEmpty() ? 0 : 1;
            if (!result) {
                stopped = explained(result.error());
                settleAll(stopped->message);
                continue;
            }
            for (size_t i = 0; i < job.size(); ++i) {
                outcomes[size_t(job[i])] = (*result)[i];
                answered[size_t(job[i])] = !(*result)[i].retryable;
            }
        }
    }
    if (!singles.empty())
        deliverSingles(batch, singles, outcomes, answered, cancellation, stopped);
    const bool anyAnswered = std::any_of(answered.begin(), answered.end(), [](char a) { return a != 0; });
    if (stopped && !anyAnswered)
        return std::unexpected(*stopped);
    if (stopped && m_context.diagnostics)
        m_context.diagnostics->report(
            engine::Severity::Warning, QStringLiteral("destination '%1'").arg(m_name), stopped->message);
    return outcomes;
}

void KlaviyoDestination::deliverSingles(const Batch &batch, const std::vector<int> &indexes,
    std::vector<RecordOutcome> &outcomes, std::vector<char> &answered, const engine::CancellationToken &cancellation,
    std::optional<engine::Error> &stopped)
{
    http::RequestWindow window(*m_api.transport, *m_api.auth, *m_api.limiter, m_api.settings.retry,
        m_api.settings.concurrency);
    for (int index : indexes) {
        const auto &record = batch.records[size_t(index)];
        if (stopped) {
            outcomes[size_t(index)].error = stopped->message;
            outcomes[size_t(index)].retryable = true;
            continue;
        }
        const QJsonObject payload = QJsonDocument::fromJson(QByteArray::fromStdString(record.payload)).object();
        const QString id = record.operation == Operation::Upsert ? QString() : record.destinationId;
        const ProfileResource profile = record.operation == Operation::Clear
            ? clearResource(payload, matchField(), id)
            : upsertResource(payload, matchField(), id);
        if (!profile.error.isEmpty()) {
            outcomes[size_t(index)].error = profile.error;
            answered[size_t(index)] = 1;
            continue;
        }
        const QJsonObject body { { QStringLiteral("data"), profile.resource } };
        const http::HttpRequest request = m_api.request("POST", QStringLiteral("/api/profile-import"), {}, &body);
        window.submit(http::RequestWindow::Job {
            [request] { return request; },
            [&outcomes, &answered, index](const http::HttpResponse &response) {
                RecordOutcome &outcome = outcomes[size_t(index)];
                answered[size_t(index)] = 1;
                if (response.status == 200 || response.status == 201) {
                    outcome.accepted = true;
                    outcome.destinationId = QJsonDocument::fromJson(response.body)
                                                .object()
                                                .value(QStringLiteral("data"))
                                                .toObject()
                                                .value(QStringLiteral("id"))
                                                .toString();
                } else {
                    outcome.error = QStringLiteral("Klaviyo refused the profile (%1)").arg(KlaviyoApi::errorText(response));
                }
                return QString();
            },
            [&outcomes, index](const QString &reason) {
                outcomes[size_t(index)].error = reason;
                outcomes[size_t(index)].retryable = true;
            },
        });
    }
    const Result<void> ran = window.run(cancellation);
    if (!ran && !stopped)
        stopped = explained(ran.error());
}

Result<void> KlaviyoDestination::finishRun(bool)
{
    return {};
}

} // namespace syncline::connectors::klaviyo
