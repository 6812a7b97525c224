#pragma once
// Frozen plans: the counts, guardrail verdict and rows of one diff of a sync, as previewed.
// Apply reads exactly these rows back. A plan is 'building' while the diff writes its rows,
// 'open' once complete, then 'applied' (by a run or a tracking reset) or 'superseded'
// (another plan of the sync was applied first). Thread: the workspace's thread.

#include "engine/connector/connector.h"
#include "engine/core/error.h"
#include "engine/definitions/definitions.h"
#include "engine/mapping/mappedrow.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace syncline::engine::state {

class Workspace;
class SqliteStatement;

// What the diff found for a key. Unchanged rows are stored only when they are sent (mode "all").
enum class DiffOp { Add, Change, Remove, Unchanged };
QString diffOpName(DiffOp op); // "add", "change", "remove", "unchanged"

struct PlanRow
{
    qint64 seq = 0;
    DiffOp op = DiffOp::Add;
    std::optional<connector::Operation> action; // unset: the sync's mode does not send this row
    std::string key;
    std::uint64_t keyHash = 0;
    std::string payload;                         // after (empty for remove); read by rows()
    qint64 payloadId = 0;                        // its row in the payloads table (0 for remove)
    mapping::PayloadHash payloadHash{};
    std::string beforePayload;                   // the ledger's last accepted payload (change, remove); read by rows()
    qint64 beforePayloadId = 0;                  // its row in the payloads table (0 when none)
    QString destinationId;                       // from the ledger, when known
    std::optional<mapping::PayloadHash> sourceHash; // warehouse_hash: of the row the payload was mapped from

};

struct PlanCounts
{
    qint64 added = 0;
    qint64 changed = 0;
    qint64 removed = 0;
    qint64 unchanged = 0;
    qint64 invalid = 0;
    qint64 toSend = 0; // rows with an action
};

struct InvalidExample
{
    QString key;    // empty when the key itself is NULL
    QString reason;
};

struct PlanInfo
{
    qint64 id = 0;
    qint64 syncId = 0;
    qint64 createdAtMs = 0;
    qint64 baseGeneration = 0;
    QString status;
    SyncMode mode = SyncMode::Upsert;
    RemovedRowAction onRemoved = RemovedRowAction::Ignore;
    PlanCounts counts;
    qint64 ledgerDelivered = 0; // delivered ledger rows when the plan was made
    std::vector<InvalidExample> invalidExamples;
    bool blocked = false;
    QString guardrail;          // why it is blocked
    QJsonObject timings;        // extract_ms, map_diff_ms
};

class PlanStore
{
public:
    explicit PlanStore(Workspace &workspace);
    ~PlanStore();
    PlanStore(const PlanStore &) = delete;
    PlanStore &operator=(const PlanStore &) = delete;

    // A new plan in state 'building'.
    Result<qint64> create(qint64 syncId, qint64 baseGeneration, SyncMode mode, RemovedRowAction onRemoved);
    // Drops plans of the sync a killed or failed planner left unfinished (with their rows).
    // Call under the sync's run lock.
    Result<void> discardUnfinished(qint64 syncId);
    // Appends one row (call inside a transaction; the diff commits in chunks).
    Result<void> addRow(qint64 planId, const PlanRow &row);
    // Stores counts, examples, verdict and timings, and opens the plan.
    Result<void> complete(const PlanInfo &info);

    // "plan.not_found" when there is no such plan.
    Result<PlanInfo> plan(qint64 planId);
    // Rows with seq > afterSeq in seq order; only rows with an action when sentOnly (then the
    // before payload is read only for rows sent as delete or clear, the ones that send it).
    Result<std::vector<PlanRow>> rows(qint64 planId, qint64 afterSeq, int limit, bool sentOnly);
    // An applied plan's rows are dropped once its run ends (the run keeps each row's outcome).
    Result<bool> hasRows(qint64 planId);

    // `planId` was applied: it becomes 'applied'; the sync's other open plans are superseded
    // and rows of the sync's other plans are dropped (their counts stay).
    Result<void> markApplied(qint64 syncId, qint64 planId);
    // The run of applied plan `planId` ended: its rows go (they would be most of the workspace),
    // unless a batch of it is still in flight (then the next run's recovery needs them, and
    // markApplied() of the next plan drops them). Call inside a transaction.
    Result<void> dropRows(qint64 planId);

private:
    Workspace &m_workspace;
    std::unique_ptr<SqliteStatement> m_insert;
};

} // namespace syncline::engine::state
