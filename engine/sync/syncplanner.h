#pragma once
// Makes the plan of a sync: streams the model from the warehouse, maps each row, diffs it
// against the ledger (engine/diff) and stores the frozen plan with its guardrail verdict.
// With change_detection warehouse_hash (the default for PostgreSQL and MariaDB sources) the
// warehouse hashes the rows and only new and changed ones are fetched (warehousehashplan.h);
// the plan is the same.
// Nothing is sent. Thread: the caller's (a worker thread in the GUI); cancellable per batch.
// Failure: any error before completion discards the half-built plan.

#include "engine/core/cancellation.h"
#include "engine/core/error.h"
#include "engine/diff/diffplanner.h"
#include "engine/state/planstore.h"
#include "engine/sync/engineservices.h"

#include <functional>

namespace syncline::engine::sync {

struct PlanOptions
{
    diff::DiffOptions diff;
    CancellationToken cancellation;
    int rowsetSize = 4096;
    // Called on the planner's thread after each block read from the model, with the rows read so
    // far (the app's "reading rows" counter). Keep it short: it runs between blocks.
    std::function<void(qint64 modelRows)> progress;
};

class SyncPlanner
{
public:
    explicit SyncPlanner(EngineServices services) : m_services(services) {}

    // Takes the sync's lock for the duration ("sync.running" while a run or reset of it is busy).
    Result<state::PlanInfo> plan(const QString &syncName, const PlanOptions &options = {});
    // For callers that already hold the sync's lock (SyncRunner::run, SyncReset).
    Result<state::PlanInfo> planHoldingLock(const QString &syncName, const PlanOptions &options = {});

private:
    Result<state::PlanInfo> planOnce(const QString &syncName, const PlanOptions &options);
    EngineServices m_services;
};

// "1,234" for counts in messages, whatever the user's locale.
QString formatCount(qint64 value);

} // namespace syncline::engine::sync
