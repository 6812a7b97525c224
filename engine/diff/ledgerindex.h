#pragma once
// The diff's fast path for unchanged rows. Most rows of a sync's second run are unchanged, and
// spilling their payloads only to find them equal to the ledger is most of the diff's cost.
// This index holds, for every delivered ledger key, its key hash and 32 bits of its payload
// hash (12 bytes a key), so a model row can be recognised as *probably* unchanged as it
// streams in and partitioned without its payload. The join still compares the full key and
// the full 128-bit payload hash with the ledger; a row the index wrongly called unchanged
// (odds about 2^-32 per changed row) makes the plan start over without the index.
// Memory: at most `budgetBytes` plus a directory of at most 1 byte a key; past the budget, only the low
// key-hash range that fits is indexed. The planner's peak RSS, whatever the model's size, is
// about: extraction (~55 MB) + this index (48 MB) + the model partitions' budget (48 MB) +
// spill buffers (256 x 32 KB) + prefetched blocks, + 16 MB for the match-collision check when a
// sync needs it (matchcollisions.h); the 10M-row benchmark holds it under 256 MB. The planner
// releases this index once the last row is added, before the join.
// Thread: one thread.

#include "engine/core/error.h"
#include "engine/mapping/mappedrow.h"

#include <cstdint>
#include <vector>

namespace syncline::engine::state {
class LedgerStore;
}

namespace syncline::engine::diff {

class LedgerIndex
{
public:
    Result<void> load(state::LedgerStore &ledger, qint64 syncId, qint64 budgetBytes);

    // True when the ledger delivered this key hash with a payload hash that agrees in 32 bits.
    bool probablyUnchanged(std::uint64_t keyHash, const mapping::PayloadHash &payloadHash) const;
    qint64 size() const { return qint64(m_entries.size()); }

private:
    static std::uint32_t fingerprint(const mapping::PayloadHash &hash);


    // One entry per key, 12 bytes, so a probe costs one cache miss rather than two.
    struct Entry
    {
        std::uint64_t keyHash;
        std::uint32_t fingerprint;
    } __attribute__((packed));
    std::vector<Entry> m_entries; // ascending key hash (unsigned); a hash two keys share is left out
    // m_directory[b] = the first index whose key hash has top bits >= b: a probe searches one
    // small bucket instead of the whole array (key hashes are uniform).
    std::vector<std::uint32_t> m_directory;
    int m_directoryBits = 8; // about eight entries (two cache lines) per bucket
    std::uint64_t m_coveredThrough = 0;        // key hashes above this were not indexed (budget)
    bool m_complete = false;                   // every delivered key is indexed
};

} // namespace syncline::engine::diff
