#pragma once
// Change detection warehouse_hash, first pass: the warehouse's (key, source hash) stream joined
// with the ledger's source hashes. A key found once in the stream whose source hash equals the
// one the ledger keeps for its delivered payload is unchanged and is not fetched; every other
// key (new, changed, never hashed, duplicated, hashed as NULL) must be fetched in full and
// diffed the ordinary way. Keys of the ledger missing from the stream are left out: the diff
// that follows sees them as removed. Memory stays within the budget (spilled partitions, as
// the diff's own, modelpartitions.h). Thread: the workspace's thread.

#include "engine/core/cancellation.h"
#include "engine/core/error.h"
#include "engine/diff/modelpartitions.h"
#include "engine/mapping/mappedrow.h"

#include <cstdint>
#include <functional>
#include <string_view>

namespace syncline::engine::state {
class LedgerStore;
}

namespace syncline::engine::diff {

class SourceHashFilter
{
public:
    SourceHashFilter(state::LedgerStore &ledger, qint64 syncId, qint64 memoryBudgetBytes, int spillPartitions,
                     QString spillDirectory);

    // One streamed row: `match` is its match value (raw JSON) when the plan checks collisions.
    // A row whose hash is unknown (NULL) passes `sourceHash` as nullptr: it is always fetched.
    Result<void> add(std::string_view key, std::uint64_t keyHash, const mapping::PayloadHash *sourceHash,
                     std::string_view match);
    qint64 rows() const { return m_partitions.records(); }

    struct Callbacks
    {
        // Unchanged: the ledger's delivered payload hash, the (equal) source hash, the match value.
        std::function<Result<void>(std::string_view key, std::uint64_t keyHash, const mapping::PayloadHash &payloadHash,
                                   const mapping::PayloadHash &sourceHash, std::string_view match)>
            unchanged;
        // To be fetched in full; called once per key. Return false to stop (too many: the caller
        // plans the ordinary way instead).
        std::function<Result<bool>(std::string_view key, std::uint64_t keyHash)> fetch;
    };
    // Joins with the ledger; false when `fetch` stopped it. Call once, after the last add().
    Result<bool> finish(const Callbacks &callbacks, const CancellationToken &cancellation);

private:
    state::LedgerStore &m_ledger;
    qint64 m_syncId;
    ModelPartitions m_partitions;
};

} // namespace syncline::engine::diff
