#pragma once
// The `hubspot` destination's settings, read and checked once per run, and its schema for the
// settings form, `syncline-cli connectors --json` and the YAML import check:
//   base_url    https://api.hubapi.com (a sandbox, proxy or test fake may replace it)
//   token_url   https://api.hubapi.com/oauth/v1/token (OAuth only)
//   batch_size  100 inputs per request; batch_sizes: { contacts: 50, "2-1234": 10 } per object
//   concurrency 4 requests in flight; rate_limit 10/s (HubSpot's lowest burst tier, 100 per 10 s);
//   timeout 30s; max_attempts 5; retry_delay 1s
//   custom_objects "2-1234, 2-5678": custom object type ids the mapper lists beside the standard ones
// Secrets: `token` (private app), or `client_id`, `client_secret` and `refresh_token` (OAuth).
// Failure: "http.settings" naming the destination and the setting, with a valid example.

#include "connectors/http/retrypolicy.h"
#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"

#include <QMap>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <vector>

namespace syncline::connectors::hubspot {

struct HubSpotSettings
{
    QUrl baseUrl;
    int batchSize = 100;
    QMap<QString, int> batchSizes; // per object type
    QStringList customObjects; // listed by discovery after contacts, companies and deals
    int concurrency = 4;
    double ratePerSecond = 10;
    std::chrono::milliseconds timeout { 30'000 };
    http::RetryPolicy retry;

    int batchSizeFor(const QString &objectType) const { return batchSizes.value(objectType, batchSize); }

    static engine::Result<HubSpotSettings> fromDestination(const engine::DestinationDef &destination);
    static std::vector<engine::connector::SettingSpec> schema();
    // The destination as the shared auth factory reads it: token_url gets its default when the
    // OAuth secrets are there and no token_url is set.
    static engine::DestinationDef withAuthDefaults(const engine::DestinationDef &destination);

    static constexpr int kMaxBatchSize = 100; // HubSpot's batch limit
};

} // namespace syncline::connectors::hubspot
