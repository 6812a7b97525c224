#pragma once
// Records what the destination made of one delivered batch, set-based: the batch leaves
// in_flight_batches, every row's outcome goes to run_rows, and the ledger moves forward for the
// accepted rows, each as one INSERT … SELECT over the plan rows of the batch's seq range instead
// of one keyed statement per row. Rows whose outcome is not a plain "accepted" (rejected, an
// error note, a record id from the destination) are staged in a small temporary table the
// statements join; rejected, deleted and cleared rows go through LedgerStore's per-key methods.
// Same promises as those methods: the ledger's payload moves forward only for accepted rows.
// Call land() inside the runner's per-batch Workspace::transaction. Thread: the workspace's.

#include "engine/connector/connector.h"
#include "engine/core/error.h"
#include "engine/state/planstore.h"

#include <memory>
#include <vector>

namespace syncline::engine::state {

class Workspace;
class LedgerStore;
class SqliteStatement;

class BatchLanding
{
public:
    BatchLanding(Workspace &workspace, LedgerStore &ledger);
    ~BatchLanding();
    BatchLanding(const BatchLanding &) = delete;
    BatchLanding &operator=(const BatchLanding &) = delete;

    // `rows` are the batch's plan rows of plan `planId` as read for sending (every row with an
    // action in [rows.front().seq, rows.back().seq], in seq order), `outcomes` the destination's
    // answer for each, in the same order (same size).
    Result<void> land(qint64 syncId, qint64 runId, qint64 planId, const std::vector<PlanRow> &rows,
                      const std::vector<connector::RecordOutcome> &outcomes);

private:
    Result<SqliteStatement *> statement(int slot, const char *sql);
    Workspace &m_workspace;
    LedgerStore &m_ledger;
    std::vector<std::unique_ptr<SqliteStatement>> m_statements;
    bool m_tableReady = false; // the temporary table exists on this connection
};

} // namespace syncline::engine::state
