#include "connectors/salesforce/salesforcesettings.h"

#include "connectors/http/settingspecs.h"
#include "connectors/http/settingvalues.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace syncline::connectors::salesforce {

using engine::Result;
using engine::connector::SettingSpec;

std::vector<SettingSpec> SalesforceSettings::schema()
{
    using Type = SettingSpec::Type;
    return {
        http::settingSpec("login_url", "Login URL", Type::Url,
            "Where the refresh token is exchanged: https://login.salesforce.com, https://test.salesforce.com for a "
            "sandbox, or the org's My Domain",
            QStringLiteral("https://login.salesforce.com")),
        http::settingSpec("token_url", "OAuth token URL", Type::Url, "Default: login_url + /services/oauth2/token"),
        http::settingSpec("base_url", "API base URL", Type::Url,
            "Default: the instance_url of the token response (the org's own host); set it only for a proxy"),
        http::settingSpec("api_version", "API version", Type::Text, "e.g. v60.0", QStringLiteral("v60.0")),
        http::settingSpec("bulk_threshold", "Bulk API threshold", Type::Integer,
            "A run with more rows than this of one operation sends them as Bulk API 2.0 jobs, else through "
            "sObject Collections (200 records a request); at most 99999",
            2000),
        http::settingSpec("batch_size", "Records per request", Type::Integer,
            "Records per sObject Collections request, at most 200", 200),
        http::settingSpec("concurrency", "Requests in flight", Type::Integer, "sObject Collections requests waiting at once", 4),
        http::settingSpec("rate_limit", "Rate limit", Type::Rate, "e.g. 10/s; Sforce-Limit-Info and REQUEST_LIMIT_EXCEEDED still apply"),
        http::settingSpec("timeout", "Timeout", Type::Duration, "For each request, e.g. 60s", QStringLiteral("60s")),
        http::settingSpec("max_attempts", "Attempts per request", Type::Integer,
            "For 5xx, timeouts, dropped connections and concurrent-request limits", 5),
        http::settingSpec("retry_delay", "First retry delay", Type::Duration, "Doubles after each failed attempt, with jitter",
            QStringLiteral("1s")),
        http::settingSpec("poll_interval", "Bulk job poll interval", Type::Duration,
            "First wait between polls of a Bulk API 2.0 job; it grows to 15 s", QStringLiteral("1s")),
        http::settingSpec("bulk_timeout", "Bulk job timeout", Type::Duration,
            "A job still running after this fails its batch (the rows are sent again by the next run)",
            QStringLiteral("30m")),
        http::settingSpec("client_id", "Connected app consumer key", Type::Secret, "OAuth 2.0 client id", {}, true),
        http::settingSpec("client_secret", "Connected app consumer secret", Type::Secret, "OAuth 2.0 client secret"),
        http::settingSpec("refresh_token", "OAuth refresh token", Type::Secret,
            "From the web-server flow; a rotated one is saved back to the keychain at once", {}, true),
    };
}

int SalesforceSettings::deliverBatchSize() const
{
    return std::clamp(bulkThreshold + 1, 10'000, 100'000);
}

Result<SalesforceSettings> SalesforceSettings::fromDestination(const engine::DestinationDef &destination)
{
    const http::SettingReader reader(destination.name, destination.settings);
    QSet<QString> known;
    for (const SettingSpec &setting : schema())
        if (setting.type != SettingSpec::Type::Secret)
            known.insert(setting.key);
    for (auto it = destination.settings.cbegin(); it != destination.settings.cend(); ++it)
        if (!known.contains(it.key())) {
            QStringList names(known.begin(), known.end());
            names.sort();
            return reader.invalid(it.key(),
                QStringLiteral("is not a setting of the salesforce destination; known settings: %1")
                    .arg(names.join(QStringLiteral(", "))));
        }

    SalesforceSettings settings;
    auto loginUrl = reader.url(QStringLiteral("login_url"), false);
    auto tokenUrl = reader.url(QStringLiteral("token_url"), false);
    auto baseUrl = reader.url(QStringLiteral("base_url"), false);
    auto version = reader.text(QStringLiteral("api_version"), settings.apiVersion);
    auto threshold = reader.integer(QStringLiteral("bulk_threshold"), 2000, 0, 99'999);
    auto collectionSize = reader.integer(QStringLiteral("batch_size"), 200, 1, 200);
    auto concurrency = reader.integer(QStringLiteral("concurrency"), 4, 1, 25);
    auto rate = reader.rate(QStringLiteral("rate_limit"));
    auto timeout = reader.duration(QStringLiteral("timeout"), std::chrono::seconds(60));
    auto attempts = reader.integer(QStringLiteral("max_attempts"), 5, 1, 100);
    auto retryDelay = reader.duration(QStringLiteral("retry_delay"), std::chrono::seconds(1));
    auto poll = reader.duration(QStringLiteral("poll_interval"), std::chrono::seconds(1));
    auto bulkTimeout = reader.duration(QStringLiteral("bulk_timeout"), std::chrono::minutes(30));
    for (const engine::Error *error : { loginUrl ? nullptr : &loginUrl.error(), tokenUrl ? nullptr : &tokenUrl.error(),
             baseUrl ? nullptr : &baseUrl.error(), version ? nullptr : &version.error(),
             threshold ? nullptr : &threshold.error(),
             collectionSize ? nullptr : &collectionSize.error(), concurrency ? nullptr : &concurrency.error(),
             rate ? nullptr : &rate.error(), timeout ? nullptr : &timeout.error(),
             attempts ? nullptr : &attempts.error(), retryDelay ? nullptr : &retryDelay.error(),
             poll ? nullptr : &poll.error(), bulkTimeout ? nullptr : &bulkTimeout.error() })
        if (error)
            return std::unexpected(*error);

    QString apiVersion = version->trimmed();
    if (!apiVersion.startsWith(QLatin1Char('v')))
        apiVersion.prepend(QLatin1Char('v'));
    if (!QRegularExpression(QStringLiteral("^v[0-9]{2,3}\\.0$")).match(apiVersion).hasMatch())
        return reader.invalid(QStringLiteral("api_version"), QStringLiteral("is not an API version; write e.g. v60.0"));

    if (!loginUrl->isEmpty())
        settings.loginUrl = *loginUrl;
    if (!tokenUrl->isEmpty()) {
        settings.tokenUrl = *tokenUrl;
    } else {
        settings.tokenUrl = settings.loginUrl;
        QString path = settings.tokenUrl.path();
        while (path.endsWith(QLatin1Char('/')))
            path.chop(1);
        settings.tokenUrl.setPath(path + QStringLiteral("/services/oauth2/token"));
    }
    settings.baseUrl = *baseUrl;
    settings.apiVersion = apiVersion;
    settings.bulkThreshold = *threshold;
    settings.collectionSize = *collectionSize;
    settings.concurrency = *concurrency;
    settings.ratePerSecond = *rate;
    settings.timeout = *timeout;
    settings.retry.maxAttempts = *attempts;
    settings.retry.baseDelay = *retryDelay;
    settings.pollInterval = std::max(*poll, std::chrono::milliseconds(1));
    settings.bulkTimeout = *bulkTimeout;
    return settings;
}

} // namespace syncline::connectors::salesforce
