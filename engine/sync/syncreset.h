#pragma once
// Resets a sync's change tracking. Both kinds bump the sync's generation, so plans made before
// are refused, and both take the sync's run lock.
// - fullResync: the next plan sends every row once more (the ledger forgets what was delivered
//   but keeps the destination's record ids, so updates still find their records).
// - trackingOnly: the current model is taken as delivered without sending anything (plans the
//   model, then writes the ledger from the plan).

#include "engine/core/error.h"
#include "engine/state/planstore.h"
#include "engine/sync/engineservices.h"
#include "engine/sync/syncplanner.h"

namespace syncline::engine::sync {

class SyncReset
{
public:
    explicit SyncReset(EngineServices services) : m_services(services) {}

    Result<void> fullResync(const QString &syncName);
    // Returns the plan that was adopted. A plan a guardrail blocked needs force.
    Result<state::PlanInfo> trackingOnly(const QString &syncName, bool force, const PlanOptions &options = {});

private:
    EngineServices m_services;
};

} // namespace syncline::engine::sync
