#pragma once
// Runs one Klaviyo bulk profile import job to its end and reads it back into per-profile outcomes:
// POST /api/profile-bulk-import-jobs (202), then GET the job every poll_interval until it is
// complete or cancelled (cancellation of the run is honoured between polls), then the job's
// import errors, page by page. A row named by an import error (by its index in the job, else by
// its identifier in the original payload) is rejected with Klaviyo's words; every other row of a
// complete job is accepted. A job refused as a whole rejects its rows (non-retryable for a 4xx);
// a job Klaviyo cancelled, that timed out, or that the run stopped waiting for leaves its rows
// retryable (Klaviyo may still finish it; the next run's import is an upsert, so harmless).
// Thread: the run's thread; blocks in local event loops.

#include "connectors/klaviyo/klaviyoapi.h"
#include "engine/connector/connector.h"

#include <vector>

namespace syncline::connectors::klaviyo {

class KlaviyoBulkImport
{
public:
    KlaviyoBulkImport(const KlaviyoApi &api, QString matchField);

    // One outcome per resource, in order. An Error only when cancelled ("http.cancelled") or the
    // key was refused ("auth.refused"), before Klaviyo acknowledged anything.
    engine::Result<std::vector<engine::connector::RecordOutcome>> run(
        const std::vector<QJsonObject> &resources, const engine::CancellationToken &cancellation);

    QString jobId() const { return m_jobId; }
    int polls() const { return m_polls; }

private:
    engine::Result<QString> waitForJob(const engine::CancellationToken &cancellation);
    engine::Result<void> readErrors(const std::vector<QJsonObject> &resources,
        std::vector<engine::connector::RecordOutcome> &outcomes, const engine::CancellationToken &cancellation);

    const KlaviyoApi &m_api;
    QString m_matchField;
    QString m_jobId;
    int m_polls = 0;
};

// Waits `duration` in a local event loop; false when `cancellation` fired first (or already had).
bool waitCancellable(std::chrono::milliseconds duration, const engine::CancellationToken &cancellation);

} // namespace syncline::connectors::klaviyo
