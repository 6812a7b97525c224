#pragma once
// The `mailchimp` destination: members of one audience (the sync's object is the list id),
// matched by email_address. Discovery lists the audiences (GET /lists) and an audience's merge
// fields (GET /lists/{id}/merge-fields); delivery is MailchimpDelivery's (batch subscribe, PUT by
// subscriber hash, PATCH, archive). At most 10 requests are open at once per account across every
// run of the process (Mailchimp's per-user connection limit, MailchimpConnectionBudget); a 429
// waits and retries. A refused key is a non-retryable "auth.refused"
// naming the secret api_key. Thread: one instance per run, used by the run's thread only.

#include "connectors/http/batchsettlement.h"
#include "connectors/http/httpauth.h"
#include "connectors/http/httptransport.h"
#include "connectors/http/ratelimiter.h"
#include "connectors/mailchimp/mailchimpconnectionbudget.h"
#include "connectors/mailchimp/mailchimpsettings.h"
#include "engine/connector/connector.h"
#include "engine/connector/connectorregistry.h"

#include <memory>

namespace syncline::connectors::http {
class RateLimiterPool;
}

namespace syncline::connectors::mailchimp {

class MailchimpDestination final : public engine::connector::Connector
{
public:
    // `budget` is shared by every instance of the registry; `account` keys it (host + key hash).
    MailchimpDestination(QString name, MailchimpSettings settings, std::unique_ptr<http::HttpAuth> auth,
        std::shared_ptr<http::RateLimiter> limiter, std::shared_ptr<MailchimpConnectionBudget> budget,
        QString account);
    ~MailchimpDestination() override;

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

private:
    engine::Result<QJsonObject> getJson(const QString &path, const QString &query);
    engine::Error explained(engine::Error error) const;

    QString m_name;
    MailchimpSettings m_settings;
    std::unique_ptr<http::HttpAuth> m_auth;
    std::shared_ptr<http::RateLimiter> m_limiter;
    std::shared_ptr<MailchimpConnectionBudget> m_budget;
    QString m_account;
    engine::connector::RunContext m_context;
    std::unique_ptr<http::HttpTransport> m_transport;
    QString m_listId;
    http::BatchSettlement m_settlement; // stops the run after a batch that got no answer
};

} // namespace syncline::connectors::mailchimp
