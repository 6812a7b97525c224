#pragma once
// The settings of the `salesforce` destination, read and checked once per run, and its schema
// for the settings form, `syncline-cli connectors --json` and the import check.
// Failure: "http.settings" naming the destination and the setting, with a valid example.

#include "connectors/http/retrypolicy.h"
#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"

#include <QUrl>

#include <chrono>
#include <vector>

namespace syncline::connectors::salesforce {

struct SalesforceSettings
{
    QUrl loginUrl { QStringLiteral("https://login.salesforce.com") };
    QUrl tokenUrl;         // default: login_url + /services/oauth2/token
    QUrl baseUrl;          // empty: the token response's instance_url
    QString apiVersion = QStringLiteral("v60.0"); // always "vNN.0"
    int bulkThreshold = 2000; // a run with more rows of one operation goes through Bulk API 2.0
    int collectionSize = 200; // records per sObject Collections request (the API allows 200)
    int concurrency = 4;
    double ratePerSecond = 0;
    std::chrono::milliseconds timeout { 60'000 };
    std::chrono::milliseconds pollInterval { 1000 }; // first wait between bulk job polls; grows to 15 s
    std::chrono::milliseconds bulkTimeout { 30 * 60'000 }; // a bulk job still running after this fails the batch
    http::RetryPolicy retry;

    static engine::Result<SalesforceSettings> fromDestination(const engine::DestinationDef &destination);
    static std::vector<engine::connector::SettingSpec> schema();
    // Rows a deliver() may carry: more than bulk_threshold (10,000 at least), so the first batch of a
    // run above the threshold is above it too.
    int deliverBatchSize() const;
};

} // namespace syncline::connectors::salesforce
