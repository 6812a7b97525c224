#include "connectors/hubspot/hubspotsettings.h"

#include "connectors/http/settingspecs.h"
#include "connectors/http/settingvalues.h"

namespace syncline::connectors::hubspot {

using engine::Result;
using engine::connector::SettingSpec;

namespace {

const QString kBaseUrl = QStringLiteral("https://api.hubapi.com");
const QString kTokenUrl = QStringLiteral("https://api.hubapi.com/oauth/v1/token");

} // namespace

std::vector<SettingSpec> HubSpotSettings::schema()
{
    using Type = SettingSpec::Type;
    return {
        http::settingSpec("base_url", "API address", Type::Url, "HubSpot's API; change it for a proxy or a test server", kBaseUrl),
        http::settingSpec("token", "Private app token", Type::Secret, "A private app's access token (pat-...)"),
        http::settingSpec("token_url", "OAuth token URL", Type::Url, "OAuth: where the refresh token is exchanged", kTokenUrl),
        http::settingSpec("client_id", "OAuth client id", Type::Secret, "OAuth: the public app's client id"),
        http::settingSpec("client_secret", "OAuth client secret", Type::Secret, "OAuth: the public app's client secret"),
        http::settingSpec("refresh_token", "OAuth refresh token", Type::Secret,
            "OAuth: a rotated one is saved back to the keychain at once"),
        http::settingSpec("batch_size", "Records per request", Type::Integer, "Inputs per batch request, at most 100", 100),
        http::settingSpec("batch_sizes", "Records per request, per object", Type::Map,
            "Per object type, e.g. { contacts: 50, \"2-1234\": 10 }; others use batch_size"),
        http::settingSpec("custom_objects", "Custom objects", Type::Text,
            "Custom object type ids to list beside contacts, companies and deals, e.g. \"2-1234, 2-5678\""),
        http::settingSpec("concurrency", "Requests in flight", Type::Integer, "Batch requests sent at once", 4),
        http::settingSpec("rate_limit", "Rate limit", Type::Rate,
            "Requests per second or minute for this account; HubSpot's own headers slow it further",
            QStringLiteral("10/s")),
        http::settingSpec("timeout", "Timeout", Type::Duration, "How long one request may take", QStringLiteral("30s")),
        http::settingSpec(
            "max_attempts", "Attempts", Type::Integer, "Attempts per request before its rows wait for the next run", 5),
        http::settingSpec("retry_delay", "Retry delay", Type::Duration, "The first wait before a retry; doubles each time",
            QStringLiteral("1s")),
    };
}

Result<HubSpotSettings> HubSpotSettings::fromDestination(const engine::DestinationDef &destination)
{
    const http::SettingReader reader(destination.name, destination.settings);
    HubSpotSettings settings;
    if (reader.has(QStringLiteral("base_url"))) {
        auto url = reader.url(QStringLiteral("base_url"), true);
        if (!url)
            return std::unexpected(url.error());
        settings.baseUrl = *url;
    } else {
        settings.baseUrl = QUrl(kBaseUrl);
    }
    auto batchSize = reader.integer(QStringLiteral("batch_size"), 100, 1, kMaxBatchSize);
    if (!batchSize)
        return std::unexpected(batchSize.error());
    settings.batchSize = *batchSize;
    auto sizes = reader.textMap(QStringLiteral("batch_sizes"));
    if (!sizes)
        return std::unexpected(sizes.error());
    for (auto it = sizes->cbegin(); it != sizes->cend(); ++it) {
        bool ok = false;
        const int size = it.value().toInt(&ok);
        if (!ok || size < 1 || size > kMaxBatchSize)
            return reader.invalid(QStringLiteral("batch_sizes"),
                QStringLiteral("the size for '%1' is '%2'; give a whole number from 1 to 100, e.g. { %1: 50 }")
                    .arg(it.key(), it.value()));
        settings.batchSizes.insert(it.key(), size);
    }
    auto custom = reader.text(QStringLiteral("custom_objects"));
    if (!custom)
        return std::unexpected(custom.error());
    for (const QString &name : custom->split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!name.trimmed().isEmpty())
            settings.customObjects << name.trimmed();
    }
    auto concurrency = reader.integer(QStringLiteral("concurrency"), 4, 1, 16);
    if (!concurrency)
        return std::unexpected(concurrency.error());
    settings.concurrency = *concurrency;
    if (reader.has(QStringLiteral("rate_limit"))) {
        auto rate = reader.rate(QStringLiteral("rate_limit"));
        if (!rate)
            return std::unexpected(rate.error());
        settings.ratePerSecond = *rate;
    }
    auto timeout = reader.duration(QStringLiteral("timeout"), settings.timeout);
    if (!timeout)
        return std::unexpected(timeout.error());
    settings.timeout = *timeout;
    auto attempts = reader.integer(QStringLiteral("max_attempts"), 5, 1, 20);
    if (!attempts)
        return std::unexpected(attempts.error());
    settings.retry.maxAttempts = *attempts;
    auto delay = reader.duration(QStringLiteral("retry_delay"), settings.retry.baseDelay);
    if (!delay)
        return std::unexpected(delay.error());
    settings.retry.baseDelay = *delay;
    return settings;
}

engine::DestinationDef HubSpotSettings::withAuthDefaults(const engine::DestinationDef &destination)
{
    engine::DestinationDef copy = destination;
    if (destination.secrets.contains(QStringLiteral("refresh_token"))
        && !copy.settings.contains(QStringLiteral("token_url")))
        copy.settings.insert(QStringLiteral("token_url"), kTokenUrl);
    return copy;
}

} // namespace syncline::connectors::hubspot
