#include "connectors/klaviyo/klaviyosettings.h"

#include "connectors/http/settingspecs.h"
#include "connectors/http/settingvalues.h"

#include <QRegularExpression>
#include <QSet>

namespace syncline::connectors::klaviyo {

using engine::Result;
using engine::connector::SettingSpec;

std::vector<SettingSpec> KlaviyoSettings::schema()
{
    using Type = SettingSpec::Type;
    return {
        http::settingSpec("base_url", "API base URL", Type::Url, "Klaviyo's API host", QStringLiteral("https://a.klaviyo.com")),
        http::settingSpec("revision", "API revision", Type::Text, "Sent as the revision header on every request (YYYY-MM-DD)",
            QStringLiteral("2026-07-15")),
        http::settingSpec("bulk_threshold", "Bulk import above", Type::Integer,
            "Batches with more profiles than this go through bulk import jobs; smaller ones, one profile import each "
            "(0: always bulk)",
            100),
        http::settingSpec("bulk_size", "Profiles per bulk job", Type::Integer, "At most 10,000 (and 5 MB) per job", 10'000),
        http::settingSpec("concurrency", "Requests in flight", Type::Integer, "Single profile imports sent at once", 10),
        http::settingSpec("poll_interval", "Job poll interval", Type::Duration, "How often a bulk import job's status is read",
            QStringLiteral("2s")),
        http::settingSpec("job_timeout", "Job timeout", Type::Duration,
            "A bulk job not complete by then leaves its rows for the next run", QStringLiteral("30m")),
        http::settingSpec("rate_limit", "Rate limit", Type::Rate,
            "Optional pace, e.g. 10/s; Klaviyo's RateLimit-* headers and Retry-After are always honoured"),
        http::settingSpec("timeout", "Timeout", Type::Duration, "For each request", QStringLiteral("30s")),
        http::settingSpec("max_attempts", "Attempts per request", Type::Integer, "For 5xx, timeouts and dropped connections", 5),
        http::settingSpec("retry_delay", "First retry delay", Type::Duration, "Doubles after each failed attempt, with jitter",
            QStringLiteral("1s")),
        http::settingSpec("api_key", "Private API key", Type::Secret,
            "A Klaviyo private key (pk_...) with profiles:write and lists:write, sent as Authorization: "
            "Klaviyo-API-Key",
            {}, true),
    };
}

Result<KlaviyoSettings> KlaviyoSettings::fromDestination(const engine::DestinationDef &destination)
{
    const http::SettingReader reader(destination.name, destination.settings);
    QSet<QString> known;
    for (const SettingSpec &setting : schema()) {
        if (setting.type != SettingSpec::Type::Secret)
            known.insert(setting.key);
    }
    for (auto it = destination.settings.cbegin(); it != destination.settings.cend(); ++it) {
        if (!known.contains(it.key()))
            return reader.invalid(it.key(),
                QStringLiteral("is not a setting of the klaviyo destination; known settings: %1")
                    .arg(QStringList(known.begin(), known.end()).join(QStringLiteral(", "))));
    }
    KlaviyoSettings settings;
    auto baseUrl = reader.url(QStringLiteral("base_url"), false);
    auto revision = reader.text(QStringLiteral("revision"), settings.revision);
    auto threshold = reader.integer(QStringLiteral("bulk_threshold"), settings.bulkThreshold, 0, 1'000'000);
    auto bulkSize = reader.integer(QStringLiteral("bulk_size"), kMaxBulkProfiles, 1, kMaxBulkProfiles);
    auto concurrency = reader.integer(QStringLiteral("concurrency"), settings.concurrency, 1, 75);
    auto poll = reader.duration(QStringLiteral("poll_interval"), settings.pollInterval);
    auto jobTimeout = reader.duration(QStringLiteral("job_timeout"), settings.jobTimeout);
    auto rate = reader.rate(QStringLiteral("rate_limit"));
    auto timeout = reader.duration(QStringLiteral("timeout"), settings.timeout);
    auto attempts = reader.integer(QStringLiteral("max_attempts"), 5, 1, 100);
    auto retryDelay = reader.duration(QStringLiteral("retry_delay"), std::chrono::seconds(1));
    for (const engine::Error *error : { baseUrl ? nullptr : &baseUrl.error(), revision ? nullptr : &revision.error(),
             threshold ? nullptr : &threshold.error(), bulkSize ? nullptr : &bulkSize.error(),
             concurrency ? nullptr : &concurrency.error(), poll ? nullptr : &poll.error(),
             jobTimeout ? nullptr : &jobTimeout.error(), rate ? nullptr : &rate.error(),
             timeout ? nullptr : &timeout.error(), attempts ? nullptr : &attempts.error(),
             retryDelay ? nullptr : &retryDelay.error() }) {
        if (error)
            return std::unexpected(*error);
    }
    static const QRegularExpression date(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}(\\.[a-z]+)?$"));
    if (!date.match(*revision).hasMatch())
        return reader.invalid(QStringLiteral("revision"),
            QStringLiteral("is '%1'; use an API revision date such as 2026-07-15").arg(*revision));
    if (!baseUrl->isEmpty())
        settings.baseUrl = *baseUrl;
    settings.revision = *revision;
    settings.bulkThreshold = *threshold;
    settings.bulkSize = *bulkSize;
    settings.concurrency = *concurrency;
    settings.pollInterval = *poll;
    settings.jobTimeout = *jobTimeout;
    settings.ratePerSecond = *rate;
    settings.timeout = *timeout;
    settings.retry.maxAttempts = *attempts;
    settings.retry.baseDelay = *retryDelay;
    return settings;
}

} // namespace syncline::connectors::klaviyo
