#pragma once
// Writes a group through sObject Collections: upsert by external id (PATCH
// /composite/sobjects/{object}/{field}), update by Id (PATCH /composite/sobjects), insert (POST)
// and delete (DELETE ?ids=), batch_size (at most 200) records a request, allOrNone=false, up to `concurrency`
// requests at once. Each record's success/errors becomes its outcome; a whole request refused
// (400, 403, 404) rejects its records with Salesforce's error list; ENTITY_IS_DELETED on delete
// counts as done. Thread: the run's thread.

#include "connectors/salesforce/salesforcesession.h"
#include "connectors/salesforce/salesforcewrite.h"

namespace syncline::connectors::salesforce {

class CollectionsWriter
{
public:
    static constexpr int maxRecordsPerRequest = 200;

    explicit CollectionsWriter(SalesforceSession &session) : m_session(session) {}

    // Fills outcomes[record.index] for every record of `group`. An Error when nothing was answered
    // (cancelled, credential refused, daily limit); otherwise the records without an answer are
    // rejected as retryable with the reason.
    engine::Result<void> write(const WriteGroup &group, Outcomes &outcomes, const engine::CancellationToken &cancellation);

    int requestsSent() const { return m_requests; }

private:
    SalesforceSession &m_session;
    int m_requests = 0;
};

} // namespace syncline::connectors::salesforce
