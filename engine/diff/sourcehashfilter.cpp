#include "engine/diff/sourcehashfilter.h"

#include "engine/state/ledgerstore.h"

#include <algorithm>

namespace syncline::engine::diff {

SourceHashFilter::SourceHashFilter(state::LedgerStore &ledger, qint64 syncId, qint64 memoryBudgetBytes,
                                   int spillPartitions, QString spillDirectory)
    : m_ledger(ledger)
    , m_syncId(syncId)
    , m_partitions(memoryBudgetBytes, spillPartitions, std::move(spillDirectory))
{
}

Result<void> SourceHashFilter::add(std::string_view key, std::uint64_t keyHash, const mapping::PayloadHash *sourceHash,
                                   std::string_view match)
{
    // A NULL hash is kept as an invalid-kind record: it never equals the ledger's.
    if (!sourceHash)
        return m_partitions.add(RecordKind::InvalidWithKey, keyHash, mapping::PayloadHash{}, key, match);
    return m_partitions.add(RecordKind::Valid, keyHash, *sourceHash, key, match);
}

Result<bool> SourceHashFilter::finish(const Callbacks &callbacks, const CancellationToken &cancellation)
{
    if (auto ok = m_partitions.finishWriting(); !ok)
        return std::unexpected(ok.error());
    bool stopped = false;
    PartitionData data;
    for (int partition = 0; partition < m_partitions.partitionCount() && !stopped; ++partition) {
        if (cancellation.isCancelled())
            return fail(QStringLiteral("run.cancelled"), QStringLiteral("the plan was cancelled; nothing was sent"));
        if (auto ok = m_partitions.load(partition, data); !ok)
            return std::unexpected(ok.error());
        std::vector<RecordRef> &records = data.records;
        std::sort(records.begin(), records.end(), [&](const RecordRef &a, const RecordRef &b) {
            return a.keyHash != b.keyHash ? a.keyHash < b.keyHash : data.key(a) < data.key(b);
        });
        size_t next = 0;
        // Settles the records of one key [start, end), with its ledger row if any. The decisions
        // are collected and acted on after the scan (the callbacks may write to the workspace).
        struct Decision
        {
            size_t record;
            bool unchanged;
            mapping::PayloadHash payloadHash;
        };
        std::vector<Decision> decisions;
        auto settle = [&](size_t start, size_t end, const state::LedgerScanRow *ledger) {
            const RecordRef &r = records[start];
            const bool unchanged = end - start == 1 && r.kind == RecordKind::Valid && ledger && ledger->delivered
                && ledger->hasSourceHash && ledger->sourceHash == r.payloadHash;
            decisions.push_back(Decision{start, unchanged, ledger && ledger->delivered ? ledger->payloadHash : mapping::PayloadHash{}});
        };
        auto groupEnd = [&](size_t start) {
            size_t end = start + 1;
            while (end < records.size() && records[end].keyHash == records[start].keyHash
                   && data.key(records[end]) == data.key(records[start]))
                ++end;
            return end;
        };
        auto visit = [&](const state::LedgerScanRow &ledger) -> Result<void> {
            while (next < records.size()
                   && (records[next].keyHash != ledger.keyHash ? records[next].keyHash < ledger.keyHash
                                                                : data.key(records[next]) < ledger.key)) {
                const size_t end = groupEnd(next);
                settle(next, end, nullptr);
                next = end;
            }
            if (next < records.size() && records[next].keyHash == ledger.keyHash && data.key(records[next]) == ledger.key) {
                const size_t end = groupEnd(next);
                settle(next, end, &ledger);
                next = end;
            }
            return {};
        };
        if (auto ok = m_ledger.scan(m_syncId, m_partitions.range(partition), visit); !ok)
            return std::unexpected(ok.error());
        while (next < records.size()) {
            const size_t end = groupEnd(next);
            settle(next, end, nullptr);
            next = end;
        }
        for (const Decision &d : decisions) {
            const RecordRef &r = records[d.record];
            if (d.unchanged) {
                if (auto ok = callbacks.unchanged(data.key(r), r.keyHash, d.payloadHash, r.payloadHash, data.payload(r)); !ok)
                    return std::unexpected(ok.error());
                continue;
            }
            auto more = callbacks.fetch(data.key(r), r.keyHash);
            if (!more)
                return std::unexpected(more.error());
            if (!*more) {
                stopped = true;
                break;
            }
        }
    }
    return !stopped;
}

} // namespace syncline::engine::diff
