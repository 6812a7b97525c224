#pragma once
// The settings of a `klaviyo` destination, read and checked once per run, and the type's schema.
// base_url defaults to https://a.klaviyo.com and revision (the API version header) to 2026-07-15.
// Failure: "http.settings" naming the destination, the setting and a valid example.

#include "connectors/http/retrypolicy.h"
#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"

#include <QUrl>

#include <chrono>

namespace syncline::connectors::klaviyo {

struct KlaviyoSettings
{
    QUrl baseUrl { QStringLiteral("https://a.klaviyo.com") };
    QString revision = QStringLiteral("2026-07-15");
    int bulkThreshold = 100;     // more upserts than this in one deliver() go to bulk import jobs
    int bulkSize = 10'000;       // profiles per bulk import job (Klaviyo allows 10,000)
    int concurrency = 10;        // single profile imports in flight
    double ratePerSecond = 0;
    std::chrono::milliseconds pollInterval { 2'000 };
    std::chrono::milliseconds jobTimeout { 30 * 60'000 };
    std::chrono::milliseconds timeout { 30'000 };
    http::RetryPolicy retry;

    static constexpr int kMaxBulkProfiles = 10'000;
    static constexpr qsizetype kMaxBulkBytes = 5'000'000 - 64 * 1024; // 5 MB, less room for the envelope
    static constexpr qsizetype kMaxProfileBytes = 100 * 1024;

    static engine::Result<KlaviyoSettings> fromDestination(const engine::DestinationDef &destination);
    static std::vector<engine::connector::SettingSpec> schema();
};

} // namespace syncline::connectors::klaviyo
