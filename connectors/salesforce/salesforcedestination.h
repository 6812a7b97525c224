#pragma once
// The `salesforce` destination: any sObject, matched by an external-id field (upsert through
// sObject Collections, 200 records a request) or by Id (update). A run with more rows of one
// operation than bulk_threshold sends them through Bulk API 2.0 ingest jobs instead (one per
// deliver(): its first batch carries more than bulk_threshold rows, and the rest follow). Insert, update
// by Id, delete by Id and clear (fields set to null) are supported; Ids come from the ledger
// (every write returns them) or from an `Id` field of the payload.
// Auth: OAuth 2.0 refresh token (client_id, client_secret, refresh_token secrets) at token_url;
// the token's instance_url is the API base; a 401 INVALID_SESSION_ID refreshes once and retries.
// Thread: one instance per run, used by the run's thread only; the rate limiter is shared.

#include "connectors/salesforce/salesforcesession.h"
#include "connectors/salesforce/salesforcevalues.h"
#include "connectors/salesforce/salesforcewrite.h"
#include "engine/connector/connector.h"
#include "engine/connector/connectorregistry.h"

#include <QSet>

#include <memory>

namespace syncline::connectors::http {
class RateLimiterPool;
}

namespace syncline::connectors::salesforce {

class SalesforceDestination final : public engine::connector::Connector
{
public:
    SalesforceDestination(QString name, std::unique_ptr<SalesforceSession> session);
    ~SalesforceDestination() override;

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

    SalesforceSession &session() { return *m_session; }
    // For tests: the Bulk API jobs started by this instance, and the requests of the last deliver().
    QStringList bulkJobs() const { return m_bulkJobs; }

private:
    std::vector<WriteGroup> prepare(const engine::connector::Batch &batch, Outcomes &outcomes) const;
    engine::Result<void> writeBulk(const WriteGroup &group, Outcomes &outcomes, const engine::CancellationToken &cancellation);
    engine::Result<QJsonObject> getJson(const QString &path, const QString &what);

    QString m_name;
    std::unique_ptr<SalesforceSession> m_session;
    engine::connector::RunContext m_context;
    QStringList m_bulkJobs;
    FieldTypes m_fieldTypes; // from beginRun's describe: values are fitted to them
    QSet<QString> m_notNillable; // lower-case names of fields a clear leaves alone
    QSet<Write> m_bulkWrites;    // operations this run sends through Bulk API 2.0
    // A job closed by an attempt that then lost touch with it: the same rows sent again resume it
    // instead of running a second job over them.
    struct OpenJob
    {
        QString id;
        QByteArray fingerprint;
    };
    std::optional<OpenJob> m_openJob;
};

} // namespace syncline::connectors::salesforce
