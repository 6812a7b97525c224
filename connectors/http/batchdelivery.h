#pragma once
// Turns one runner batch into requests on a RequestWindow and their answers into per-record
// outcomes, in record order: records are grouped by operation spec and cut into requests of
// `batch_size` (one record each for per-record specs); a request the API refuses as a whole
// (4xx other than 401/403/404/408/429) is split in halves until the bad records are alone, so the
// good ones are delivered and each bad one is rejected with the API's message. Records whose
// request was abandoned (attempts exhausted, cancelled, credential refused) are rejected as
// retryable, so the next run sends them again. A request made only of inserts carries an
// Idempotency-Key (a hash of the run, URL and body, so every attempt of it in this run carries
// the same key): APIs that honour it apply a resent insert once. Thread: the run's thread, inside deliver().

#include "connectors/http/httpdestinationsettings.h"
#include "connectors/http/requestwindow.h"
#include "engine/connector/connector.h"

#include <vector>

namespace syncline::connectors::http {

class BatchDelivery
{
public:
    // `runId` seeds the Idempotency-Key of insert requests (stable across the attempts of a run).
    BatchDelivery(const HttpDestinationSettings &settings, const QString &matchField, qint64 runId,
        const engine::connector::Batch &batch);

    // Submits every request of the batch; records that need none (a delete without a match
    // value) get their outcome at once.
    void submitAll(RequestWindow &window);

    int acceptedCount() const;
    int answeredCount() const; // accepted or rejected by the API (not abandoned)
    // The outcomes in record order; a record that somehow got none is a retryable rejection.
    std::vector<engine::connector::RecordOutcome> takeOutcomes();

private:
    using Indexes = std::vector<int>;
    void submit(RequestWindow &window, const std::shared_ptr<const OperationSpec> &spec, Indexes indexes, bool urgent);
    HttpRequest build(const OperationSpec &spec, const Indexes &indexes) const;
    QString read(RequestWindow &window, const std::shared_ptr<const OperationSpec> &spec, const Indexes &indexes,
        const HttpResponse &response);
    void settle(int index, bool accepted, const QString &error, bool retryable, const QString &destinationId = {});

    const HttpDestinationSettings &m_settings;
    QString m_matchField;
    qint64 m_runId = 0;
    const engine::connector::Batch &m_batch;
    std::vector<TemplateRecord> m_records;
    std::vector<engine::connector::RecordOutcome> m_outcomes;
    std::vector<char> m_settled;
    std::vector<char> m_answered;
};

} // namespace syncline::connectors::http
