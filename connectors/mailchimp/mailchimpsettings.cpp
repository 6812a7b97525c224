#include "connectors/mailchimp/mailchimpsettings.h"

#include "connectors/http/settingspecs.h"
#include "connectors/http/settingvalues.h"

#include <QRegularExpression>
#include <QSet>

namespace syncline::connectors::mailchimp {

using engine::Result;
using engine::connector::SettingSpec;

namespace {

const QStringList kNewMemberStatuses = { QStringLiteral("subscribed"), QStringLiteral("pending"),
    QStringLiteral("unsubscribed"), QStringLiteral("transactional") };

} // namespace

std::vector<SettingSpec> MailchimpSettings::schema()
{
    using Type = SettingSpec::Type;
    return {
        http::settingSpec("base_url", "API base URL", Type::Url,
            "Default: https://<dc>.api.mailchimp.com/3.0, <dc> being the API key's suffix (e.g. us21)"),
        http::settingSpec("status_if_new", "Status of new members", Type::Choice,
            "Given to members the audience does not have yet; existing members keep theirs unless 'status' is "
            "mapped",
            QStringLiteral("subscribed"), false, kNewMemberStatuses),
        http::settingSpec("batch_size", "Members per batch request", Type::Integer, "Batch subscribe takes at most 500", 500),
        http::settingSpec("concurrency", "Requests in flight", Type::Integer,
            "Mailchimp allows 10 open connections per user; at most 10", 10),
        http::settingSpec("rate_limit", "Rate limit", Type::Rate, "Optional pace, e.g. 10/s; Mailchimp limits connections, not rate"),
        http::settingSpec("timeout", "Timeout", Type::Duration, "For each request", QStringLiteral("30s")),
        http::settingSpec("max_attempts", "Attempts per request", Type::Integer, "For 5xx, timeouts and dropped connections", 5),
        http::settingSpec("retry_delay", "First retry delay", Type::Duration, "Doubles after each failed attempt, with jitter",
            QStringLiteral("1s")),
        http::settingSpec("api_key", "API key", Type::Secret,
            "A Mailchimp API key (Account > Extras > API keys), sent with HTTP basic auth", {}, true),
    };
}

QUrl MailchimpSettings::baseUrlFromKey(const QString &apiKey)
{
    static const QRegularExpression suffix(QStringLiteral("-([a-z]{2,4}[0-9]{1,3})$"));
    const auto match = suffix.match(apiKey.trimmed());
    if (!match.hasMatch())
        return {};
    return QUrl(QStringLiteral("https://%1.api.mailchimp.com/3.0").arg(match.captured(1)));
}

Result<MailchimpSettings> MailchimpSettings::fromDestination(
    const engine::DestinationDef &destination, const QString &apiKey)
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
                QStringLiteral("is not a setting of the mailchimp destination; known settings: %1")
                    .arg(QStringList(known.begin(), known.end()).join(QStringLiteral(", "))));
    }
    MailchimpSettings settings;
    auto baseUrl = reader.url(QStringLiteral("base_url"), false);
    auto status = reader.text(QStringLiteral("status_if_new"), settings.statusIfNew);
    auto batchSize = reader.integer(QStringLiteral("batch_size"), kMaxBatch, 1, kMaxBatch);
    auto concurrency = reader.integer(QStringLiteral("concurrency"), kMaxConnections, 1, kMaxConnections);
    auto rate = reader.rate(QStringLiteral("rate_limit"));
    auto timeout = reader.duration(QStringLiteral("timeout"), std::chrono::seconds(30));
    auto attempts = reader.integer(QStringLiteral("max_attempts"), 5, 1, 100);
    auto retryDelay = reader.duration(QStringLiteral("retry_delay"), std::chrono::seconds(1));
    if (!baseUrl)
        return std::unexpected(baseUrl.error());
    if (!status)
        return std::unexpected(status.error());
    if (!batchSize)
        return std::unexpected(batchSize.error());
    if (!concurrency)
        return std::unexpected(concurrency.error());
    if (!rate)
        return std::unexpected(rate.error());
    if (!timeout)
        return std::unexpected(timeout.error());
    if (!attempts)
        return std::unexpected(attempts.error());
    if (!retryDelay)
        return std::unexpected(retryDelay.error());
    if (!kNewMemberStatuses.contains(*status))
        return reader.invalid(QStringLiteral("status_if_new"),
            QStringLiteral("is '%1'; use one of %2").arg(*status, kNewMemberStatuses.join(QStringLiteral(", "))));
    settings.baseUrl = baseUrl->isEmpty() ? baseUrlFromKey(apiKey) : *baseUrl;
    if (settings.baseUrl.isEmpty())
        return engine::fail(QStringLiteral("mailchimp.settings"),
            QStringLiteral("Destination '%1': the API key in secret 'api_key' has no data-center suffix (such as "
                           "-us21), so the API's address is unknown; copy the whole key from Mailchimp (Account > "
                           "Extras > API keys) or set base_url, e.g. https://us21.api.mailchimp.com/3.0")
                .arg(destination.name));
    settings.statusIfNew = *status;
    settings.batchSize = *batchSize;
    settings.concurrency = *concurrency;
    settings.ratePerSecond = *rate;
    settings.timeout = *timeout;
    settings.retry.maxAttempts = *attempts;
    settings.retry.baseDelay = *retryDelay;
    return settings;
}

} // namespace syncline::connectors::mailchimp
