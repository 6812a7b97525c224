#pragma once
// The `google_sheets` destination: one tab of one spreadsheet per sync, matched by a header column.
// Objects are the tabs (spreadsheets.get); fields are the header row (row 1), every one text
// (Sheets has no column types) and every one usable as the match key. Sheets has no server-side
// upsert: SheetWriter reads the key column and updates, appends or deletes rows itself.
// beginRun finds the tab (creating a missing one, with a header row from the mapping; an empty
// tab gets the header too) and checks that every mapped field has a column.
//
// Crash safety without local state: the sheet is the state. Appends are not idempotent, so the key
// column is read at the start of every deliver() (and again after any append or delete whose
// answer was lost). A row whose append reached Google before Syncline recorded it (a SIGKILL, a
// lost acknowledgement, the runner resending an unacknowledged batch) has its key in the column
// by then, so the resend updates that row instead of appending it again. Limits: a person who
// edits key cells, or sorts or inserts rows while a batch is being written, can make a row number
// stale between the read and the write of one batch; rows whose key cell is blank are not seen.
//
// Auth: secrets.service_account (a JWT signed with OpenSSL, ServiceAccountAuth) or client_id,
// client_secret and refresh_token (OAuth2RefreshAuth); both at token_url. Quotas: requests are
// paced at rate_limit (60/min by default) by the account's shared RateLimiter, and a 429
// (RESOURCE_EXHAUSTED) waits for Retry-After or backs off exponentially.
// Thread: one instance per run, used by the run's thread only.

#include "connectors/googlesheets/googlesheetssettings.h"
#include "connectors/googlesheets/sheetsclient.h"
#include "connectors/googlesheets/tablayout.h"
#include "engine/connector/connectorregistry.h"

#include <memory>
#include <optional>

namespace syncline::connectors::http {
class RateLimiterPool;
}

namespace syncline::connectors::googlesheets {

class GoogleSheetsDestination final : public engine::connector::Connector
{
public:
    GoogleSheetsDestination(QString name, std::unique_ptr<SheetsClient> client);
    ~GoogleSheetsDestination() override;

    static engine::connector::ConnectorType connectorType(std::shared_ptr<http::RateLimiterPool> limiters);
    static engine::connector::Capabilities typeCapabilities();

    void setRunContext(const engine::connector::RunContext &context) override;
    engine::connector::Capabilities capabilities() const override;
    engine::Result<std::vector<engine::connector::ObjectSpec>> objects() override;
    engine::Result<engine::connector::ObjectSpec> object(const QString &name) override;
    engine::Result<void> beginRun(const QString &object) override;
    engine::Result<std::vector<engine::connector::RecordOutcome>> deliver(
        const engine::connector::Batch &batch, const engine::CancellationToken &cancellation) override;
    engine::Result<void> finishRun(bool runSucceeded) override;

    int requestsSent() const { return m_client->requestsSent(); }

private:
    struct Tab
    {
        QString title;
        int sheetId = 0;
        int columnCount = 26;
    };
    engine::Result<std::vector<Tab>> tabs(const engine::CancellationToken &cancellation);
    engine::Result<QStringList> headerRow(const QString &title, const engine::CancellationToken &cancellation);
    engine::Result<Tab> addTab(const QString &title, const engine::CancellationToken &cancellation);
    engine::Result<void> writeHeader(const QStringList &names, const engine::CancellationToken &cancellation);
    engine::Error failure(const QString &code, const QString &what, const SheetsClient::Reply &reply) const;

    QString m_name;
    std::unique_ptr<SheetsClient> m_client;
    engine::connector::RunContext m_context;
    std::optional<TabLayout> m_layout;
};

} // namespace syncline::connectors::googlesheets
