#include "connectors/http/httpdestinationsettings.h"

#include "connectors/http/authfactory.h"
#include "connectors/http/settingspecs.h"
#include "connectors/http/settingvalues.h"

#include <QSet>

namespace syncline::connectors::http {

using engine::Result;
using engine::connector::SettingSpec;

std::vector<SettingSpec> HttpDestinationSettings::schema()
{
    using Type = SettingSpec::Type;
    std::vector<SettingSpec> settings = {
        settingSpec("base_url", "Base URL", Type::Url, "Every request starts here, e.g. https://api.example.com/people", {},
            true),
        settingSpec("batch_size", "Records per request", Type::Integer,
            "1 sends one record per request (a JSON object, not an array)", 100),
        settingSpec("concurrency", "Requests in flight", Type::Integer, "How many requests may wait for an answer at once", 4),
        settingSpec("rate_limit", "Rate limit", Type::Rate,
            "e.g. 20/s or 600/min; the API's rate-limit headers can tighten it"),
        settingSpec("timeout", "Timeout", Type::Duration, "For each request, e.g. 30s", QStringLiteral("30s")),
        settingSpec("headers", "Headers", Type::Map, "Sent with every request, e.g. { X-Team: analytics }"),
        settingSpec("max_attempts", "Attempts per request", Type::Integer,
            "For 429, 5xx, timeouts and dropped connections; after the last, rows are retried by the next run", 5),
        settingSpec("retry_delay", "First retry delay", Type::Duration, "Doubles after each failed attempt, with jitter",
            QStringLiteral("1s")),
        settingSpec("operations", "Per-operation requests", Type::Object,
            "Overrides keyed by upsert, insert, update, delete, clear: method, path, headers, body, success, "
            "errors_path, id_path"),
    };
    for (SettingSpec &auth : authSettingSpecs())
        settings.push_back(std::move(auth));
    return settings;
}

Result<HttpDestinationSettings> HttpDestinationSettings::fromDestination(const engine::DestinationDef &destination)
{
    const SettingReader reader(destination.name, destination.settings);
    QSet<QString> known;
    for (const SettingSpec &setting : schema()) {
        if (setting.type != SettingSpec::Type::Secret)
            known.insert(setting.key);
    }
    for (auto it = destination.settings.cbegin(); it != destination.settings.cend(); ++it) {
        if (!known.contains(it.key()))
            return reader.invalid(it.key(),
                QStringLiteral("is not a setting of the http destination; known settings: %1")
                    .arg(QStringList(known.begin(), known.end()).join(QStringLiteral(", "))));
    }

    HttpDestinationSettings settings;
    auto baseUrl = reader.url(QStringLiteral("base_url"), true);
    auto batchSize = reader.integer(QStringLiteral("batch_size"), 100, 1, 10'000);
    auto concurrency = reader.integer(QStringLiteral("concurrency"), 4, 1, 64);
    auto rate = reader.rate(QStringLiteral("rate_limit"));
    auto timeout = reader.duration(QStringLiteral("timeout"), std::chrono::seconds(30));
    auto headers = reader.textMap(QStringLiteral("headers"));
    auto attempts = reader.integer(QStringLiteral("max_attempts"), 5, 1, 100);
    auto retryDelay = reader.duration(QStringLiteral("retry_delay"), std::chrono::seconds(1));
    if (!baseUrl)
        return std::unexpected(baseUrl.error());
    if (!batchSize)
        return std::unexpected(batchSize.error());
    if (!concurrency)
        return std::unexpected(concurrency.error());
    if (!rate)
        return std::unexpected(rate.error());
    if (!timeout)
        return std::unexpected(timeout.error());
    if (!headers)
        return std::unexpected(headers.error());
    if (!attempts)
        return std::unexpected(attempts.error());
    if (!retryDelay)
        return std::unexpected(retryDelay.error());
    auto operations = parseOperations(destination.name, destination.settings.value(QStringLiteral("operations")));
    if (!operations)
        return std::unexpected(operations.error());

    settings.baseUrl = *baseUrl;
    settings.batchSize = *batchSize;
    settings.concurrency = *concurrency;
    settings.ratePerSecond = *rate;
    settings.timeout = *timeout;
    settings.headers = *headers;
    settings.retry.maxAttempts = *attempts;
    settings.retry.baseDelay = *retryDelay;
    settings.operations = std::move(*operations);
    return settings;
}

} // namespace syncline::connectors::http
