#include "connectors/googlesheets/googlesheetssettings.h"

#include "connectors/http/settingspecs.h"
#include "connectors/http/settingvalues.h"

#include <QRegularExpression>
#include <QSet>

namespace syncline::connectors::googlesheets {

using engine::Result;
using engine::connector::SettingSpec;

std::vector<SettingSpec> GoogleSheetsSettings::schema()
{
    using Type = SettingSpec::Type;
    SettingSpec valueInput = http::settingSpec("value_input_option", "Values are written as", Type::Choice,
        "RAW writes text and numbers as they are; USER_ENTERED parses them as if typed (numbers, dates, formulas)",
        QStringLiteral("RAW"));
    valueInput.choices = { QStringLiteral("RAW"), QStringLiteral("USER_ENTERED") };
    return {
        http::settingSpec("spreadsheet_id", "Spreadsheet id", Type::Text,
            "The id in the spreadsheet's address: docs.google.com/spreadsheets/d/<id>/edit", {}, true),
        http::settingSpec("base_url", "API base URL", Type::Url, "The Sheets API, or a proxy in front of it",
            QStringLiteral("https://sheets.googleapis.com")),
        http::settingSpec("token_url", "Token URL", Type::Url, "Where access tokens are obtained (service account or OAuth)",
            QStringLiteral("https://oauth2.googleapis.com/token")),
        http::settingSpec("batch_size", "Rows per batch", Type::Integer,
            "Rows read, updated, appended and deleted together (one request of each kind)", 500),
        http::settingSpec("rate_limit", "Rate limit", Type::Rate,
            "Requests per minute; Google allows 60 reads and 60 writes a minute per user by default",
            QStringLiteral("60/min")),
        http::settingSpec("timeout", "Timeout", Type::Duration, "For each request, e.g. 30s", QStringLiteral("30s")),
        http::settingSpec("max_attempts", "Attempts per request", Type::Integer,
            "For 5xx, timeouts and dropped connections; a quota 429 waits and is not counted", 5),
        http::settingSpec("retry_delay", "First retry delay", Type::Duration, "Doubles after each failed attempt, with jitter",
            QStringLiteral("1s")),
        valueInput,
        http::settingSpec("service_account", "Service account key", Type::Secret,
            "The service account's JSON key; share the spreadsheet with its client_email"),
        http::settingSpec("client_id", "OAuth client id", Type::Secret, "OAuth 2.0 (a user's account): the client id"),
        http::settingSpec("client_secret", "OAuth client secret", Type::Secret, "OAuth 2.0: the client secret"),
        http::settingSpec("refresh_token", "OAuth refresh token", Type::Secret,
            "OAuth 2.0: the user's refresh token (scope https://www.googleapis.com/auth/spreadsheets)"),
    };
}

Result<GoogleSheetsSettings> GoogleSheetsSettings::fromDestination(const engine::DestinationDef &destination)
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
                QStringLiteral("is not a setting of the google_sheets destination; known settings: %1")
                    .arg(QStringList(known.begin(), known.end()).join(QStringLiteral(", "))));
    }
    GoogleSheetsSettings settings;
    auto id = reader.text(QStringLiteral("spreadsheet_id"));
    if (!id)
        return std::unexpected(id.error());
    static const QRegularExpression idPattern(QStringLiteral("^[A-Za-z0-9_-]+$"));
    if (id->isEmpty())
        return reader.invalid(QStringLiteral("spreadsheet_id"),
            QStringLiteral("is missing; copy it from the spreadsheet's address, "
                           "docs.google.com/spreadsheets/d/<id>/edit"));
    if (!idPattern.match(*id).hasMatch())
        return reader.invalid(QStringLiteral("spreadsheet_id"),
            QStringLiteral("is '%1'; use only the id from the spreadsheet's address (letters, digits, - and _), "
                           "not the whole URL")
                .arg(id->left(80)));
    settings.spreadsheetId = *id;

    auto baseUrl = reader.url(QStringLiteral("base_url"), false);
    auto tokenUrl = reader.url(QStringLiteral("token_url"), false);
    auto batchSize = reader.integer(QStringLiteral("batch_size"), 500, 1, 5000);
    auto timeout = reader.duration(QStringLiteral("timeout"), std::chrono::seconds(30));
    auto attempts = reader.integer(QStringLiteral("max_attempts"), 5, 1, 100);
    auto retryDelay = reader.duration(QStringLiteral("retry_delay"), std::chrono::seconds(1));
    auto valueInput = reader.text(QStringLiteral("value_input_option"), QStringLiteral("RAW"));
    if (!baseUrl)
        return std::unexpected(baseUrl.error());
    if (!tokenUrl)
        return std::unexpected(tokenUrl.error());
    if (!batchSize)
        return std::unexpected(batchSize.error());
    if (!timeout)
        return std::unexpected(timeout.error());
    if (!attempts)
        return std::unexpected(attempts.error());
    if (!retryDelay)
        return std::unexpected(retryDelay.error());
    if (!valueInput)
        return std::unexpected(valueInput.error());
    const QString option = valueInput->toUpper();
    if (option != QLatin1String("RAW") && option != QLatin1String("USER_ENTERED"))
        return reader.invalid(QStringLiteral("value_input_option"),
            QStringLiteral("is '%1'; use RAW or USER_ENTERED").arg(valueInput->left(40)));
    settings.valueInputOption = option;
    if (reader.has(QStringLiteral("rate_limit"))) {
        auto rate = reader.rate(QStringLiteral("rate_limit"));
        if (!rate)
            return std::unexpected(rate.error());
        settings.ratePerSecond = *rate;
    }
    settings.baseUrl = baseUrl->isEmpty() ? QUrl(QStringLiteral("https://sheets.googleapis.com")) : *baseUrl;
    settings.tokenUrl = tokenUrl->isEmpty() ? QUrl(QStringLiteral("https://oauth2.googleapis.com/token")) : *tokenUrl;
    settings.batchSize = *batchSize;
    settings.timeout = *timeout;
    settings.retry.maxAttempts = *attempts;
    settings.retry.baseDelay = *retryDelay;
    return settings;
}

} // namespace syncline::connectors::googlesheets
