#pragma once
// The ledger of one workspace: per sync and key, the payload the destination last accepted
// (hash and JSON), its record id, status, attempts and last error; plus each sync's generation.
// Promise: a key's payload moves forward only through accept(); reject() and release() keep it.
// The runner calls the write methods inside its own Workspace::transaction, one per batch;
// it accepts a batch's rows set-based through BatchLanding (the same rules as accept()).
// Thread: the workspace's thread.

#include "engine/core/error.h"
#include "engine/mapping/mappedrow.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syncline::engine::state {

class Workspace;
class SqliteStatement;

struct LedgerEntry
{
    std::string key;
    std::uint64_t keyHash = 0;
    std::optional<mapping::PayloadHash> payloadHash; // unset: never delivered, cleared or reset
    std::string payload;
    QString destinationId;
    QString status;         // delivered, rejected, in_flight, cleared, pending (see ledgersql.h)
    std::optional<qint64> inFlightRun;
    int attempts = 0;
    QString lastError;
    qint64 updatedAtMs = 0;
};

// One ledger row as a scan sees it; the views are valid only during the callback. The scan
// leaves the payload out (it is most of a row's bytes): read it with payload() for the keys
// that need it.
struct LedgerScanRow
{
    std::uint64_t keyHash = 0;
    std::string_view key;
    bool delivered = false;            // payload_hash IS NOT NULL
    mapping::PayloadHash payloadHash{}; // when delivered
    std::string_view destinationId;
    qint64 payloadId = 0;              // the last accepted payload, for payload(); 0 when none ever was
    bool hasSourceHash = false;        // change detection warehouse_hash: see migration 0006
    mapping::PayloadHash sourceHash{}; // when hasSourceHash
};

// A contiguous range of key hashes (unsigned, inclusive).
struct KeyHashRange
{
    std::uint64_t first = 0;
    std::uint64_t last = ~std::uint64_t(0);
};

class LedgerStore
{
public:
    explicit LedgerStore(Workspace &workspace);
    ~LedgerStore();
    LedgerStore(const LedgerStore &) = delete;
    LedgerStore &operator=(const LedgerStore &) = delete;

    static std::uint64_t hashKey(std::string_view key); // XXH3-64, as MappedRow::keyHash

    Result<std::optional<LedgerEntry>> find(qint64 syncId, std::string_view key);
    // Calls `visit` for every ledger row of the sync whose key hash lies in `range`.
    Result<void> scan(qint64 syncId, KeyHashRange range, const std::function<Result<void>(const LedgerScanRow &)> &visit);
    // Every delivered key hash of the sync with its payload hash, in unsigned key-hash order,
    // until `visit` returns false. Reads only the ledger's narrow columns.
    Result<void> scanDelivered(qint64 syncId,
                               const std::function<bool(std::uint64_t keyHash, const mapping::PayloadHash &hash)> &visit);
    // Stores a payload a plan is about to refer to (append-only; see collectGarbage) and returns its id.
    // The source hash of the row it was mapped from rides on the plan row (PlanRow::sourceHash).
    Result<qint64> addPayload(qint64 syncId, std::string_view payload);
    // The planner found the key's delivered payload `payloadId` unchanged under a new source hash
    // (a finer rendering, a new mapping): the hint moves on so the next plan need not fetch the row
    // again, and a resend of that same payload keeps it.
    Result<void> setSourceHash(qint64 syncId, std::string_view key, std::uint64_t keyHash, qint64 payloadId,
                               const mapping::PayloadHash &hash);
    // True when some delivered key of the sync has a source hash (warehouse_hash can help).
    Result<bool> hasSourceHashes(qint64 syncId);
    Result<qint64> deliveredCount(qint64 syncId);
    // Keys of the sync whose batch is in flight (sent, outcome not yet recorded), with their run.
    Result<std::vector<LedgerEntry>> inFlight(qint64 syncId);

    // The runner's per-batch steps (call inside a transaction).
    // A batch is the plan rows [firstSeq, lastSeq] of the run's plan: marked before it is sent,
    // landed in the same transaction that records its outcomes.
    Result<void> markBatchInFlight(qint64 runId, qint64 planId, qint64 firstSeq, qint64 lastSeq);
    Result<void> landBatch(qint64 runId, qint64 firstSeq);
    // The destination accepted the payload `payloadId` (the plan row's) for the key; the ledger's
    // source hash becomes the plan row's `sourceHash`, or stays when it is null and the payload is
    // the one the ledger holds, else becomes unknown (see SYNCLINE_LEDGER_KEPT_SOURCE_HASH).
    Result<void> accept(qint64 syncId, std::string_view key, std::uint64_t keyHash, const mapping::PayloadHash &hash,
                        qint64 payloadId, const QString &destinationId,
                        const mapping::PayloadHash *sourceHash = nullptr);
    Result<void> reject(qint64 syncId, std::string_view key, std::uint64_t keyHash, const QString &error);
    // A delete was accepted: the key leaves the ledger.
    Result<void> erase(qint64 syncId, std::string_view key, std::uint64_t keyHash);
    // A clear was accepted: nothing of ours remains in the record, but its id is kept.
    Result<void> markCleared(qint64 syncId, std::string_view key, std::uint64_t keyHash);
    // Batches of `runId` (or of any run of the sync when unset) still in flight are landed without
    // an outcome: their keys keep their previous state, and those in the ledger note `why`.
    Result<void> releaseInFlight(qint64 syncId, std::optional<qint64> runId, const QString &why);

    // Reset: every key becomes undelivered (the next plan sends everything once), ids kept.
    Result<void> forgetDelivered(qint64 syncId);
    // Reset: take payload `payloadId` as delivered for `key` without sending it (source hash as accept()).
    Result<void> adopt(qint64 syncId, std::string_view key, std::uint64_t keyHash, const mapping::PayloadHash &hash,
                       qint64 payloadId, const mapping::PayloadHash *sourceHash = nullptr);

    // Payloads no ledger row and no plan row refers to any more stay until collected in bulk.
    // recordPayloadsAdded() adds the count of addPayload() calls to the sync's state (call in
    // the same transaction); collectGarbage() deletes the unreferenced payloads once more than
    // twice `liveRows` (and at least `minAdded`) were added since the last collection, so its
    // pass over every payload of the sync is paid for by the rows that made the garbage.
    Result<void> recordPayloadsAdded(qint64 syncId);
    Result<bool> collectGarbage(qint64 syncId, qint64 liveRows, qint64 minAdded = 10000);

    // The sync's generation: bumped by every apply and reset (frozen plans compare it).
    Result<qint64> generation(qint64 syncId);
    Result<qint64> bumpGeneration(qint64 syncId, const QString &reason);
    Result<QString> lastChange(qint64 syncId);

private:
    Result<SqliteStatement *> statement(int slot, const char *sql);
    // statement() with ?1 = syncId, ?2 = keyHash, ?3 = key bound: every per-key statement's shape.
    Result<SqliteStatement *> keyedStatement(int slot, const char *sql, qint64 syncId, std::string_view key,
                                             std::uint64_t keyHash);
    Workspace &m_workspace;
    std::vector<std::unique_ptr<SqliteStatement>> m_statements;
    qint64 m_payloadsAdded = 0; // addPayload() calls since the last recordPayloadsAdded()
    std::string m_encoded;      // addPayload()'s compact payload, reused
};

} // namespace syncline::engine::state
