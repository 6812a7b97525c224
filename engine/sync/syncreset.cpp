#include "engine/sync/syncreset.h"

#include "engine/state/ledgerstore.h"
#include "engine/state/workspace.h"
#include "engine/sync/syncbundle.h"
#include "engine/sync/synclock.h"

namespace syncline::engine::sync {

Result<void> SyncReset::fullResync(const QString &syncName)
{
    auto bundle = loadSyncBundle(m_services.workspace, syncName);
    if (!bundle)
        return std::unexpected(bundle.error());
    auto lock = SyncLock::acquire(m_services.workspace.path(), bundle->syncId, syncName);
    if (!lock)
        return std::unexpected(lock.error());
    state::LedgerStore ledger(m_services.workspace);
    return m_services.workspace.transaction([&]() -> Result<void> {
        if (auto ok = ledger.releaseInFlight(bundle->syncId, std::nullopt, QStringLiteral("reset")); !ok)
            return ok;
        if (auto ok = ledger.forgetDelivered(bundle->syncId); !ok)
            return ok;
        auto bumped = ledger.bumpGeneration(bundle->syncId, QStringLiteral("sync '%1' was reset (full resync)").arg(syncName));
        if (!bumped)
            return std::unexpected(bumped.error());
        return {};
    });
}

Result<state::PlanInfo> SyncReset::trackingOnly(const QString &syncName, bool force, const PlanOptions &options)
{
    auto bundle = loadSyncBundle(m_services.workspace, syncName);
    if (!bundle)
        return std::unexpected(bundle.error());
    auto lock = SyncLock::acquire(m_services.workspace.path(), bundle->syncId, syncName);
    if (!lock)
        return std::unexpected(lock.error());
    auto plan = SyncPlanner(m_services).planHoldingLock(syncName, options);
    if (!plan)
        return std::unexpected(plan.error());
    if (plan->blocked && !force)
        return fail(QStringLiteral("plan.blocked"),
                    QStringLiteral("change tracking of sync '%1' was not reset: %2").arg(syncName, plan->guardrail));

    state::LedgerStore ledger(m_services.workspace);
    state::PlanStore plans(m_services.workspace);
    const qint64 syncId = bundle->syncId;
    auto adopted = m_services.workspace.transaction([&]() -> Result<void> {
        if (auto ok = ledger.releaseInFlight(syncId, std::nullopt, QStringLiteral("reset")); !ok)
            return ok;
        qint64 afterSeq = 0;
        for (;;) {
            auto rows = plans.rows(plan->id, afterSeq, 5000, false);
            if (!rows)
                return std::unexpected(rows.error());
            if (rows->empty())
                break;
            afterSeq = rows->back().seq;
            for (const state::PlanRow &row : *rows) {
                Result<void> ok;
                if (row.op == state::DiffOp::Remove)
                    ok = ledger.erase(syncId, row.key, row.keyHash);
                else
                    ok = ledger.adopt(syncId, row.key, row.keyHash, row.payloadHash, row.payloadId,
                                      row.sourceHash ? &*row.sourceHash : nullptr);
                if (!ok)
                    return ok;
            }
        }
        if (auto ok = plans.markApplied(syncId, plan->id); !ok)
            return ok;
        auto bumped = ledger.bumpGeneration(syncId, QStringLiteral("sync '%1' was reset (tracking only)").arg(syncName));
        if (!bumped)
            return std::unexpected(bumped.error());
        return {};
    });
    if (!adopted)
        return std::unexpected(adopted.error());
    return plans.plan(plan->id);
}

} // namespace syncline::engine::sync
