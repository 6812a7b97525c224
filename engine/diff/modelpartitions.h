#pragma once
// The model side of the diff's hash join, kept within a memory budget: records (key hash,
// payload hash, key, payload) accumulate in memory; past the budget they are spilled to
// `partitions` temporary files by the key hash's high bits, so each partition can be loaded
// and joined with the same key-hash range of the ledger on its own.
// Thread: one thread. Files live in a private temporary folder removed on destruction.

#include "engine/core/error.h"
#include "engine/mapping/mappedrow.h"
#include "engine/state/ledgerstore.h"

#include <QString>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

class QTemporaryDir;

namespace syncline::engine::diff {

enum class RecordKind : std::uint8_t {
    Valid = 0,
    InvalidWithKey = 1, // mapping failed but the key is known: protects the key from removal
    UnchangedCandidate = 2, // the ledger index says probably unchanged: kept without its payload
    MatchCollision = 3, // not a model row: marks a key whose match value other keys share (matchcollisions.h)
    RemovedMarker = 4, // not a model row: change detection warehouse says the key left the model
};

struct RecordRef
{
    std::uint64_t keyHash = 0;
    mapping::PayloadHash payloadHash{};
    std::uint32_t keyOffset = 0;
    std::uint32_t keyLength = 0;
    std::uint32_t payloadOffset = 0;
    std::uint32_t payloadLength = 0; // for InvalidWithKey: the reason
    RecordKind kind = RecordKind::Valid;
};

// One partition's records, in memory.
struct PartitionData
{
    std::string arena;
    std::vector<RecordRef> records;

    std::string_view key(const RecordRef &r) const { return std::string_view(arena).substr(r.keyOffset, r.keyLength); }
    std::string_view payload(const RecordRef &r) const
    {
        return std::string_view(arena).substr(r.payloadOffset, r.payloadLength);
    }
    void append(RecordKind kind, std::uint64_t keyHash, const mapping::PayloadHash &hash, std::string_view key,
                std::string_view payload);
    qint64 bytes() const { return qint64(arena.size() + records.size() * sizeof(RecordRef)); }
    void clear();
};

class ModelPartitions
{
public:
    ModelPartitions(qint64 memoryBudgetBytes, int spillPartitions, QString spillDirectory);
    ~ModelPartitions();
    ModelPartitions(const ModelPartitions &) = delete;
    ModelPartitions &operator=(const ModelPartitions &) = delete;

    Result<void> add(RecordKind kind, std::uint64_t keyHash, const mapping::PayloadHash &hash, std::string_view key,
                     std::string_view payload);
    // Flushes the spill files; call once after the last add().
    Result<void> finishWriting();

    bool spilled() const { return !m_files.empty(); }
    int partitionCount() const { return spilled() ? int(m_files.size()) : 1; }
    qint64 records() const { return m_records; }
    state::KeyHashRange range(int partition) const;
    // Loads one partition into `out` (replacing its content).
    Result<void> load(int partition, PartitionData &out);

private:
    Result<void> spill();
    Result<void> flush(int partition);
    Result<void> write(int partition, RecordKind kind, std::uint64_t keyHash, const mapping::PayloadHash &hash,
                       std::string_view key, std::string_view payload);
    int partitionOf(std::uint64_t keyHash) const { return int(keyHash >> (64 - m_bits)); }

    qint64 m_budget;
    int m_bits = 0;
    QString m_spillDirectory;
    PartitionData m_memory;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::vector<std::FILE *> m_files;
    std::vector<QString> m_paths;
    // Per partition, records waiting to be written in one call: stdio's per-call lock cost as
    // much as the copying when every record was three fwrite() calls.
    std::vector<std::string> m_pending;
    qint64 m_records = 0;
};

} // namespace syncline::engine::diff
