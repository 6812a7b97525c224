#pragma once
// Applies a frozen plan to its destination so that nothing is lost and nothing is sent twice
// needlessly: per batch, the rows are marked in flight (one transaction), delivered, then each
// row's outcome is recorded and the ledger moves forward for accepted rows only (one
// transaction). Rejected rows keep their ledger state and are retried by the next run. A kill
// at any instant leaves at most the in-flight batches to be resent: one for a plan with inserts;
// otherwise two, since a batch's outcomes are recorded on a thread of the runner's own while the
// next batch is delivered (the workspace is never used by two threads at once).
// Refuses, before anything is sent: an unknown, applied or stale plan (another apply or reset
// happened since it was made), a plan a guardrail blocked (unless forced), an operation the
// destination cannot do, and a sync that another process is running.
// Thread: the caller's (the connector's deliver() and the progress callback run there);
// cancellable per batch and inside deliver().

#include "engine/core/cancellation.h"
#include "engine/core/error.h"
#include "engine/state/planstore.h"
#include "engine/state/runstore.h"
#include "engine/sync/engineservices.h"
#include "engine/sync/synclock.h"
#include "engine/sync/syncplanner.h"

#include <chrono>
#include <functional>
#include <optional>

namespace syncline::engine::sync {

struct ApplyOptions
{
    bool force = false;                               // apply a plan a guardrail blocked
    CancellationToken cancellation;
    int retries = 4;                                  // for retryable whole-batch failures
    std::chrono::milliseconds retryDelay{500};        // doubled after every retry
    state::RunTrigger trigger = state::RunTrigger::Manual; // recorded with the run
    // Called on the runner's thread once the run exists and after each recorded batch, with the
    // run's id and counts so far (the app's progress bar). Keep it short: it runs between batches.
    std::function<void(qint64 runId, const state::RunCounts &counts)> progress;
};

struct RunResult
{
    state::PlanInfo plan;
    std::optional<state::RunInfo> run; // unset when a guardrail blocked the plan and force was not given
};

class SyncRunner
{
public:
    explicit SyncRunner(EngineServices services) : m_services(services) {}

    // Once the run has started, its outcome (succeeded, partial, failed, cancelled) is in the
    // RunInfo; errors are for refusals before anything was sent.
    Result<state::RunInfo> apply(qint64 planId, const ApplyOptions &options = {});
    // Plans and applies under one lock, so no other process can slip an apply in between.
    Result<RunResult> run(const QString &syncName, const PlanOptions &planOptions = {},
                          const ApplyOptions &applyOptions = {});
    // As run(), under a lock the caller already holds for this sync (the scheduler takes it
    // first, to check that the sync is still due once no one else can run it).
    Result<RunResult> runHolding(const SyncLock &lock, const QString &syncName, const PlanOptions &planOptions = {},
                                 const ApplyOptions &applyOptions = {});

private:
    Result<state::RunInfo> applyLocked(const state::PlanInfo &plan, const QString &syncName, const ApplyOptions &options);
    Result<void> recoverInterrupted(qint64 syncId);

    EngineServices m_services;
};

} // namespace syncline::engine::sync
