#pragma once
// The settings of the `google_sheets` destination, read and checked once per run, and its schema
// for the settings form, `syncline-cli connectors --json` and the import check.
//   settings: spreadsheet_id (required), base_url (https://sheets.googleapis.com), token_url
//   (https://oauth2.googleapis.com/token), batch_size (500 rows per deliver), rate_limit (60/min,
//   Google's per-user quota), timeout (30s), max_attempts (5), retry_delay (1s),
//   value_input_option (RAW; USER_ENTERED parses numbers, dates and formulas like the Sheets UI).
//   secrets: service_account (the JSON key), or client_id, client_secret, refresh_token.
// Failure: "http.settings" naming the destination and the setting, with a valid example.

#include "connectors/http/retrypolicy.h"
#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"

#include <QUrl>

#include <chrono>
#include <vector>

namespace syncline::connectors::googlesheets {

struct GoogleSheetsSettings
{
    QString spreadsheetId;
    QUrl baseUrl;
    QUrl tokenUrl;
    int batchSize = 500;
    double ratePerSecond = 1.0; // 60/min
    std::chrono::milliseconds timeout { 30'000 };
    http::RetryPolicy retry;
    QString valueInputOption = QStringLiteral("RAW");

    static engine::Result<GoogleSheetsSettings> fromDestination(const engine::DestinationDef &destination);
    static std::vector<engine::connector::SettingSpec> schema();
};

} // namespace syncline::connectors::googlesheets
