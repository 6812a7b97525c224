#pragma once
// The settings of a `mailchimp` destination, read and checked once per run, and the type's schema
// (settings form, `syncline-cli connectors --json`, the import check). The API base is `base_url`,
// else https://<dc>.api.mailchimp.com/3.0 from the API key's data-center suffix (key-us21 -> us21).
// Failure: "mailchimp.settings" / "http.settings" naming the destination, the setting or secret,
// and a valid example; never the key itself.

#include "connectors/http/retrypolicy.h"
#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"

#include <QUrl>

#include <chrono>

namespace syncline::connectors::mailchimp {

struct MailchimpSettings
{
    QUrl baseUrl;                 // e.g. https://us21.api.mailchimp.com/3.0
    int batchSize = 500;          // members per batch-subscribe request (Mailchimp allows 500)
    int concurrency = 10;         // requests open at once (Mailchimp allows 10 per user)
    QString statusIfNew = QStringLiteral("subscribed");
    double ratePerSecond = 0;
    std::chrono::milliseconds timeout { 30'000 };
    http::RetryPolicy retry;

    static constexpr int kMaxBatch = 500;
    static constexpr int kMaxConnections = 10;

    // `apiKey` is the resolved secret, read only for its data-center suffix.
    static engine::Result<MailchimpSettings> fromDestination(
        const engine::DestinationDef &destination, const QString &apiKey);
    static std::vector<engine::connector::SettingSpec> schema();
    // "https://us21.api.mailchimp.com/3.0" for "<hex>-us21"; empty when the key has no suffix.
    static QUrl baseUrlFromKey(const QString &apiKey);
};

} // namespace syncline::connectors::mailchimp
