#pragma once
// The settings of the generic `http` destination, read and checked once per run, and its
// schema for the settings form, `syncline-cli connectors --json` and the import check.
// Failure: "http.settings" naming the destination and the setting, with a valid example.

#include "connectors/http/operationspec.h"
#include "connectors/http/retrypolicy.h"
#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"

#include <QUrl>

#include <chrono>
#include <vector>

namespace syncline::connectors::http {

struct HttpDestinationSettings
{
    QUrl baseUrl;
    int batchSize = 100;
    int concurrency = 4;
    double ratePerSecond = 0; // 0: no configured limit
    std::chrono::milliseconds timeout { 30'000 };
    QMap<QString, QString> headers;
    RetryPolicy retry;
    OperationSpecs operations;

    static engine::Result<HttpDestinationSettings> fromDestination(const engine::DestinationDef &destination);
    // Every setting of the `http` type, auth secrets included.
    static std::vector<engine::connector::SettingSpec> schema();
};

} // namespace syncline::connectors::http
