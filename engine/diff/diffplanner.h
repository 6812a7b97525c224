#pragma once
// Change detection: joins the stream of mapped model rows with a sync's ledger and writes the
// plan's rows (added, changed with before and after, removed; unchanged too in mode "all").
// Memory stays bounded whatever the model size: model records are partitioned by key hash
// (spilled to temporary files past the budget) and each partition is merge-joined with the
// same key-hash range of the ledger, read in key order. Rows with a duplicated key are all
// invalid; a key comparison, not only its hash, decides equality. With checkMatchCollisions(),
// rows whose match values collide (one destination record, several keys) are invalid too.
// An invalid key's ledger row is left as it is: a delivered record is neither changed nor
// removed, and once the model is fixed the key diffs against its last delivered payload.
// Thread: the workspace's thread. Plan rows are committed in chunks while the plan is 'building'.

#include "engine/core/cancellation.h"
#include "engine/core/error.h"
#include "engine/definitions/definitions.h"
#include "engine/diff/ledgerindex.h"
#include "engine/diff/matchcollisions.h"
#include "engine/diff/modelpartitions.h"
#include "engine/mapping/mappedrow.h"
#include "engine/state/planstore.h"

#include <QString>

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace syncline::engine::state {
class LedgerStore;
class Workspace;
} // namespace syncline::engine::state

namespace syncline::engine::diff {

struct DiffOptions
{
    qint64 memoryBudgetBytes = 48ll * 1024 * 1024; // model records held in memory before spilling
    int spillPartitions = 256;
    QString spillDirectory;                         // default: the system's temporary folder
    int examplesPerKind = 5;                        // invalid examples kept per kind (mapping, duplicate)
    int rowsPerCommit = 20000;
    bool ledgerIndex = true;                        // the fast path for unchanged rows (ledgerindex.h)
    qint64 ledgerIndexBudgetBytes = 48ll * 1024 * 1024; // about 4M keys; see the RSS budget in ledgerindex.h
    qint64 matchCheckBudgetBytes = 16ll * 1024 * 1024;  // (match value, key) pairs in memory before spilling
    int matchCheckSpillPartitions = 64;
};

// The error finish() returns when the ledger index called a row unchanged that was not: the
// plan must be made again with DiffOptions::ledgerIndex off (SyncPlanner does).
inline constexpr const char *kLedgerIndexMiss = "diff.ledger_index_miss";

struct DiffResult
{
    state::PlanCounts counts;
    qint64 modelRows = 0;        // every row the model returned, valid or not
    qint64 ledgerDelivered = 0;  // ledger rows with a delivered payload
    std::vector<state::InvalidExample> invalidExamples;
    bool matchChecked = false;    // checkMatchCollisions() was on
    qint64 matchCollisions = 0;   // groups of rows sharing one match value
    qint64 matchCheckNs = 0;      // time finish() spent finding them (add() time is in the row loop)
    qint64 streamedUnchanged = 0; // rows added (not absent) that turned out unchanged
};

class DiffPlanner
{
public:
    DiffPlanner(state::Workspace &workspace, state::LedgerStore &ledger, state::PlanStore &plans, qint64 syncId,
                qint64 planId, SyncMode mode, RemovedRowAction onRemoved, DiffOptions options = {});
    ~DiffPlanner();

    // Makes rows with different keys and equal match values invalid (see matchcollisions.h).
    // Call before add() when match values can collide: not when the match field is the model's
    // one-column key compared exactly, which the duplicate-key check already keeps unique.
    void checkMatchCollisions(MatchCollisionCheck check);
    // Reads the ledger index (when the options and the mode allow it); call before add().
    Result<void> loadLedgerIndex();
    // Change detection warehouse_hash: every row added comes with its source hash, which the
    // plan's rows carry (so accepting one moves the ledger's source hash with it) and which
    // replaces the ledger's for rows found unchanged. Call before add().
    void keepSourceHashes() { m_sourceHashes = true; }
    // One model row that mapped cleanly.
    Result<void> add(const mapping::MappedRow &row);
    Result<void> add(const mapping::MappedRow &row, const mapping::PayloadHash &sourceHash);
    // A key the warehouse's source hash found unchanged, so its row was not fetched: it diffs as
    // the ledger's delivered payload `ledgerPayloadHash`. `match` is its match value (raw JSON,
    // empty without a match check) for the collision check.
    // Change detection warehouse: only changed rows are added; a delivered ledger key that is
    // neither added nor marked removed is unchanged. Call before add().
    void absentKeysAreUnchanged() { m_absentUnchanged = true; }
    Result<void> addRemovedMarker(std::string_view key, std::uint64_t keyHash);
    // The model's row count when rows were left in the warehouse (for counts and guardrails).
    void setModelRows(qint64 rows) { m_modelRowsOverride = rows; }
    Result<void> addUnchanged(std::string_view key, std::uint64_t keyHash, const mapping::PayloadHash &ledgerPayloadHash,
                              const mapping::PayloadHash &sourceHash, std::string_view match);
    // One model row that cannot be sent; `key` is empty when the key itself is NULL or unreadable.
    Result<void> addInvalid(std::string_view key, const QString &reason);
    // Joins with the ledger and writes the plan rows. Call once, after the last row.
    Result<DiffResult> finish(const CancellationToken &cancellation);

private:
    Result<void> joinPartition(int partition, const CancellationToken &cancellation);
    // `payloadId`: a stored payload equal to `payload` (0: store `payload` now, unless removing);
    // `beforePayloadId`: the ledger's last accepted payload (0: none).
    Result<void> writeRow(state::DiffOp op, std::string_view key, std::uint64_t keyHash, std::string_view payload,
                      qint64 payloadId, const mapping::PayloadHash &hash, qint64 beforePayloadId, std::string_view destinationId,
                      bool knownToDestination, const mapping::PayloadHash *sourceHash = nullptr);
    Result<void> begin();
    // The key is unchanged under a source hash the ledger does not have yet: record it.
    Result<void> noteSourceHash(const state::LedgerScanRow &ledger, const mapping::PayloadHash &sourceHash);
    Result<void> writeSourceHashes();
    struct NewSourceHash
    {
        std::string key;
        std::uint64_t keyHash;
        qint64 payloadId;
        mapping::PayloadHash hash;
    };
    std::vector<NewSourceHash> m_newSourceHashes;
    enum class InvalidKind { Mapping, Duplicate, Collision };
    void noteInvalid(std::string_view key, const QString &reason, InvalidKind kind);
    Result<void> markCollisions(const CancellationToken &cancellation);
    Result<void> commitIfDue(bool force);

    state::Workspace &m_workspace;
    state::LedgerStore &m_ledger;
    state::PlanStore &m_plans;
    qint64 m_syncId;
    qint64 m_planId;
    SyncMode m_mode;
    RemovedRowAction m_onRemoved;
    DiffOptions m_options;
    ModelPartitions m_partitions;
    LedgerIndex m_index;
    std::unique_ptr<MatchCollisions> m_collisions;
    bool m_indexed = false;
    bool m_sourceHashes = false;
    bool m_absentUnchanged = false;
    std::optional<qint64> m_modelRowsOverride;
    std::string m_scratch;      // a payload with its source hash appended
    mapping::MappedRow m_matchRow; // addUnchanged()'s row for the collision check
    DiffResult m_result;
    int m_mappingExamples = 0;
    int m_duplicateExamples = 0;
    int m_collisionExamples = 0;
    qint64 m_seq = 0;
    int m_uncommitted = 0;
    bool m_inTransaction = false;
};

} // namespace syncline::engine::diff
