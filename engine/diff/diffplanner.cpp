#include "engine/diff/diffplanner.h"

#include "engine/diff/planaction.h"
#include "engine/state/ledgerstore.h"
#include "engine/state/workspace.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cstring>

namespace syncline::engine::diff {

using state::DiffOp;

namespace {

Error cancelled()
{
    return Error{QStringLiteral("run.cancelled"), QStringLiteral("the plan was cancelled; nothing was sent"), false, {}};
}

} // namespace

DiffPlanner::DiffPlanner(state::Workspace &workspace, state::LedgerStore &ledger, state::PlanStore &plans,
                         qint64 syncId, qint64 planId, SyncMode mode, RemovedRowAction onRemoved, DiffOptions options)
    : m_workspace(workspace)
    , m_ledger(ledger)
    , m_plans(plans)
    , m_syncId(syncId)
    , m_planId(planId)
    , m_mode(mode)
    , m_onRemoved(onRemoved)
    , m_options(std::move(options))
    , m_partitions(m_options.memoryBudgetBytes, m_options.spillPartitions, m_options.spillDirectory)
{
}

DiffPlanner::~DiffPlanner()
{
    if (m_inTransaction)
        (void)m_workspace.exec(QStringLiteral("ROLLBACK"));
}

Result<void> DiffPlanner::loadLedgerIndex()
{
    // Only where an unchanged row is not sent: mode "all" sends every payload anyway.
    if (!m_options.ledgerIndex || actionFor(DiffOp::Unchanged, m_mode, m_onRemoved, true))
        return {};
    if (auto ok = m_index.load(m_ledger, m_syncId, m_options.ledgerIndexBudgetBytes); !ok)
        return ok;
    m_indexed = m_index.size() > 0;
    return {};
}

void DiffPlanner::checkMatchCollisions(MatchCollisionCheck check)
{
    m_collisions = std::make_unique<MatchCollisions>(std::move(check), m_options.matchCheckBudgetBytes,
                                                     m_options.matchCheckSpillPartitions, m_options.spillDirectory);
    m_result.matchChecked = true;
}

Result<void> DiffPlanner::add(const mapping::MappedRow &row, const mapping::PayloadHash &sourceHash)
{
    ++m_result.modelRows;
    if (m_collisions)
        if (auto ok = m_collisions->add(row); !ok)
            return ok;
    // The source hash rides at the end of the record's payload (joinPartition() splits it off).
    const std::string_view hash(reinterpret_cast<const char *>(sourceHash.data()), sourceHash.size());
    if (m_indexed && m_index.probablyUnchanged(row.keyHash, row.payloadHash))
        return m_partitions.add(RecordKind::UnchangedCandidate, row.keyHash, row.payloadHash, row.key, hash);
    m_scratch.assign(row.payload);
    m_scratch.append(hash);
    return m_partitions.add(RecordKind::Valid, row.keyHash, row.payloadHash, row.key, m_scratch);
}

Result<void> DiffPlanner::addUnchanged(std::string_view key, std::uint64_t keyHash,
                                       const mapping::PayloadHash &ledgerPayloadHash,
                                       const mapping::PayloadHash &sourceHash, std::string_view match)
{
    ++m_result.modelRows;
    if (m_collisions) {
        m_matchRow.key.assign(key);
        m_matchRow.keyHash = keyHash;
        m_matchRow.payload.assign(match);
        m_matchRow.matchOffset = 0;
        m_matchRow.matchLength = std::uint32_t(match.size());
        if (auto ok = m_collisions->add(m_matchRow); !ok)
            return ok;
    }
    const std::string_view hash(reinterpret_cast<const char *>(sourceHash.data()), sourceHash.size());
    return m_partitions.add(RecordKind::UnchangedCandidate, keyHash, ledgerPayloadHash, key, hash);
}

Result<void> DiffPlanner::addRemovedMarker(std::string_view key, std::uint64_t keyHash)
{
    return m_partitions.add(RecordKind::RemovedMarker, keyHash, mapping::PayloadHash{}, key, {});
}

Result<void> DiffPlanner::add(const mapping::MappedRow &row)
{
    ++m_result.modelRows;
    // Every valid row, the probably-unchanged ones too: an unchanged row collides with a new one.
    if (m_collisions)
        if (auto ok = m_collisions->add(row); !ok)
            return ok;
    if (m_indexed && m_index.probablyUnchanged(row.keyHash, row.payloadHash))
        return m_partitions.add(RecordKind::UnchangedCandidate, row.keyHash, row.payloadHash, row.key, {});
    return m_partitions.add(RecordKind::Valid, row.keyHash, row.payloadHash, row.key, row.payload);
}

Result<void> DiffPlanner::addInvalid(std::string_view key, const QString &reason)
{
    ++m_result.modelRows;
    if (key.empty()) {
        ++m_result.counts.invalid;
        noteInvalid(key, reason, InvalidKind::Mapping);
        return {};
    }
    // Kept with the valid rows: a key that is in the model, even unsendable, is not "removed",
    // and it may also be a duplicate of a valid row.
    const QByteArray why = reason.toUtf8();
    return m_partitions.add(RecordKind::InvalidWithKey, state::LedgerStore::hashKey(key), mapping::PayloadHash{}, key,
                            std::string_view(why.constData(), size_t(why.size())));
}

void DiffPlanner::noteInvalid(std::string_view key, const QString &reason, InvalidKind kind)
{
    int &kept = kind == InvalidKind::Duplicate   ? m_duplicateExamples
                : kind == InvalidKind::Collision ? m_collisionExamples
                                                 : m_mappingExamples;
    if (kept >= m_options.examplesPerKind)
        return;
    ++kept;
    m_result.invalidExamples.push_back(
        state::InvalidExample{QString::fromUtf8(key.data(), qsizetype(key.size())), reason});
}

Result<void> DiffPlanner::commitIfDue(bool force)
{
    if (m_inTransaction && (force || m_uncommitted >= m_options.rowsPerCommit)) {
        if (auto ok = m_ledger.recordPayloadsAdded(m_syncId); !ok)
            return ok;
        if (auto ok = m_workspace.exec(QStringLiteral("COMMIT")); !ok)
            return ok;
        m_inTransaction = false;
        m_uncommitted = 0;
    }
    return {};
}

Result<void> DiffPlanner::begin()
{
    if (!m_inTransaction) {
        if (auto ok = m_workspace.exec(QStringLiteral("BEGIN IMMEDIATE")); !ok)
            return ok;
        m_inTransaction = true;
    }
    return {};
}

Result<void> DiffPlanner::noteSourceHash(const state::LedgerScanRow &ledger, const mapping::PayloadHash &sourceHash)
{
    if (ledger.hasSourceHash && ledger.sourceHash == sourceHash)
        return {};
    // Written after the partition's ledger scan, not into the table it is reading.
    m_newSourceHashes.push_back(NewSourceHash{std::string(ledger.key), ledger.keyHash, ledger.payloadId, sourceHash});
    return {};
}

Result<void> DiffPlanner::writeSourceHashes()
{
    for (const NewSourceHash &s : m_newSourceHashes) {
        if (auto ok = begin(); !ok)
            return ok;
        if (auto ok = m_ledger.setSourceHash(m_syncId, s.key, s.keyHash, s.payloadId, s.hash); !ok)
            return ok;
        ++m_uncommitted;
        if (auto ok = commitIfDue(false); !ok)
            return ok;
    }
    m_newSourceHashes.clear();
    return {};
}

Result<void> DiffPlanner::writeRow(DiffOp op, std::string_view key, std::uint64_t keyHash, std::string_view payload,
                               qint64 payloadId, const mapping::PayloadHash &hash, qint64 beforePayloadId,
                               std::string_view destinationId,
                               bool knownToDestination, const mapping::PayloadHash *sourceHash)
{
    const auto action = actionFor(op, m_mode, m_onRemoved, knownToDestination);
    switch (op) {
    case DiffOp::Add:
        ++m_result.counts.added;
        break;
    case DiffOp::Change:
        ++m_result.counts.changed;
        break;
    case DiffOp::Remove:
        ++m_result.counts.removed;
        break;
    case DiffOp::Unchanged:
        ++m_result.counts.unchanged;
        break;
    }
    if (action)
        ++m_result.counts.toSend;
    if (op == DiffOp::Unchanged && !action)
        return commitIfDue(false);
    if (auto ok = begin(); !ok)
        return ok;
    state::PlanRow row;
    row.seq = ++m_seq;
    row.op = op;
    row.action = action;
    row.key = std::string(key);
    row.keyHash = keyHash;
    if (op != DiffOp::Remove && payloadId == 0) {
        auto stored = m_ledger.addPayload(m_syncId, payload);
        if (!stored)
            return std::unexpected(stored.error());
        payloadId = *stored;
    }
    row.payloadId = payloadId;
    row.payloadHash = hash;
    row.beforePayloadId = beforePayloadId;
    row.destinationId = QString::fromUtf8(destinationId.data(), qsizetype(destinationId.size()));
    if (sourceHash && op != DiffOp::Remove)
        row.sourceHash = *sourceHash;
    if (auto ok = m_plans.addRow(m_planId, row); !ok)
        return ok;
    ++m_uncommitted;
    return commitIfDue(false);
}

Result<void> DiffPlanner::markCollisions(const CancellationToken &cancellation)
{
    QElapsedTimer clock;
    clock.start();
    // Each key of a colliding group gets a marker record in the model partitions, so the join
    // meets it next to the key's rows and its ledger row, whichever partition they fell in.
    auto onKey = [&](std::uint64_t keyHash, std::string_view key) -> Result<void> {
        return m_partitions.add(RecordKind::MatchCollision, keyHash, mapping::PayloadHash{}, key, {});
    };
    auto onGroup = [&](std::string_view firstKey, const QString &message) {
        noteInvalid(firstKey, message, InvalidKind::Collision);
    };
    auto groups = m_collisions->find(onKey, onGroup, cancellation);
    if (!groups)
        return std::unexpected(groups.error());
    m_result.matchCollisions = *groups;
    m_collisions.reset(); // its memory and temporary files
    m_result.matchCheckNs = clock.nsecsElapsed();
    return {};
}

Result<DiffResult> DiffPlanner::finish(const CancellationToken &cancellation)
{
    // add() is over: the ledger index has done its work, give its memory back before the join.
    m_index = LedgerIndex{};
    if (m_collisions)
        if (auto ok = markCollisions(cancellation); !ok)
            return std::unexpected(ok.error());
    if (auto ok = m_partitions.finishWriting(); !ok)
        return std::unexpected(ok.error());
    for (int partition = 0; partition < m_partitions.partitionCount(); ++partition) {
        if (cancellation.isCancelled())
            return std::unexpected(cancelled());
        if (auto ok = joinPartition(partition, cancellation); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = commitIfDue(true); !ok)
        return std::unexpected(ok.error());
    if (m_modelRowsOverride)
        m_result.modelRows = *m_modelRowsOverride;
    return m_result;
}

Result<void> DiffPlanner::joinPartition(int partition, const CancellationToken &cancellation)
{
    PartitionData data;
    if (auto ok = m_partitions.load(partition, data); !ok)
        return ok;
    std::vector<RecordRef> &records = data.records;
    auto less = [&](const RecordRef &a, const RecordRef &b) {
        return a.keyHash != b.keyHash ? a.keyHash < b.keyHash : data.key(a) < data.key(b);
    };
    std::sort(records.begin(), records.end(), less);

    const size_t count = records.size();
    size_t next = 0;
    auto groupEnd = [&](size_t start) {
        size_t end = start + 1;
        while (end < count && records[end].keyHash == records[start].keyHash
               && data.key(records[end]) == data.key(records[start]))
            ++end;
        return end;
    };
    // Settles the model rows [start, end) of one key, with the key's ledger row if it has one.
    // An invalid key writes no plan row, so its ledger row (if any) stays as it is.
    auto settle = [&](size_t start, size_t end, const state::LedgerScanRow *ledger) -> Result<void> {
        const RecordRef *first = nullptr;
        size_t rows = 0;
        bool collides = false;
        for (size_t i = start; i < end; ++i) {
            if (records[i].kind == RecordKind::MatchCollision) {
                collides = true;
                continue;
            }
            if (records[i].kind == RecordKind::RemovedMarker)
                continue;
            ++rows;
            if (!first)
                first = &records[i];
        }
        if (!first) { // only markers: a removed key (a collision marker is only made for a key of the model)
            if (!ledger || !ledger->delivered)
                return {};
            return writeRow(DiffOp::Remove, ledger->key, ledger->keyHash, {}, 0, mapping::PayloadHash{},
                            ledger->payloadId, ledger->destinationId, true);
        }
        const RecordRef &r = *first;
        const std::string_view key = data.key(r);
        if (rows > 1) {
            m_result.counts.invalid += qint64(rows);
            noteInvalid(key, QStringLiteral("duplicate key: %1 rows of the model have it").arg(rows),
                        InvalidKind::Duplicate);
            return {};
        }
        if (collides) { // its group's message is among the examples already
            ++m_result.counts.invalid;
            return {};
        }
        if (r.kind == RecordKind::InvalidWithKey) {
            ++m_result.counts.invalid;
            const std::string_view reason = data.payload(r);
            noteInvalid(key, QString::fromUtf8(reason.data(), qsizetype(reason.size())), InvalidKind::Mapping);
            return {};
        }
        // With source hashes, a row's record ends with its 16 bytes (add()).
        std::string_view payload = data.payload(r);
        mapping::PayloadHash source{};
        const bool sourced = m_sourceHashes && payload.size() >= source.size()
            && (r.kind == RecordKind::Valid || r.kind == RecordKind::UnchangedCandidate);
        if (sourced) {
            std::memcpy(source.data(), payload.data() + payload.size() - source.size(), source.size());
            payload.remove_suffix(source.size());
        }
        if (r.kind == RecordKind::UnchangedCandidate) {
            if (ledger && ledger->delivered && ledger->payloadHash == r.payloadHash) {
                if (sourced)
                    if (auto ok = noteSourceHash(*ledger, source); !ok)
                        return ok;
                ++m_result.streamedUnchanged;
                return writeRow(DiffOp::Unchanged, key, r.keyHash, {}, ledger->payloadId, r.payloadHash,
                                ledger->payloadId, ledger->destinationId, true, sourced ? &source : nullptr);
            }
            return std::unexpected(Error{QString::fromLatin1(kLedgerIndexMiss),
                                         QStringLiteral("the ledger index mistook a changed row for an unchanged one"),
                                         false,
                                         {}});
        }
        const mapping::PayloadHash *sourceHash = sourced ? &source : nullptr;
        if (!ledger)
            return writeRow(DiffOp::Add, key, r.keyHash, payload, 0, r.payloadHash, 0, {}, false, sourceHash);
        // Unchanged: the payload is the one the ledger already points to.
        if (ledger->delivered && ledger->payloadHash == r.payloadHash) {
            if (sourced)
                if (auto ok = noteSourceHash(*ledger, source); !ok)
                    return ok;
            ++m_result.streamedUnchanged;
            return writeRow(DiffOp::Unchanged, key, r.keyHash, payload, ledger->payloadId, r.payloadHash,
                            ledger->payloadId, ledger->destinationId, true, sourceHash);
        }
        // Known but not delivered now (cleared, reset, rejected) is an add; the destination may
        // still hold the record if it ever accepted a payload for it.
        if (!ledger->delivered)
            return writeRow(DiffOp::Add, key, r.keyHash, payload, 0, r.payloadHash, ledger->payloadId,
                            ledger->destinationId, ledger->payloadId != 0, sourceHash);
        return writeRow(DiffOp::Change, key, r.keyHash, payload, 0, r.payloadHash, ledger->payloadId,
                        ledger->destinationId, true, sourceHash);
    };

    qint64 visited = 0;
    auto visit = [&](const state::LedgerScanRow &ledger) -> Result<void> {
        if ((++visited & 4095) == 0 && cancellation.isCancelled())
            return std::unexpected(cancelled());
        if (ledger.delivered)
            ++m_result.ledgerDelivered;
        auto modelBefore = [&](const RecordRef &r) {
            return r.keyHash != ledger.keyHash ? r.keyHash < ledger.keyHash : data.key(r) < ledger.key;
        };
        while (next < count && modelBefore(records[next])) {
            const size_t end = groupEnd(next);
            if (auto ok = settle(next, end, nullptr); !ok)
                return ok;
            next = end;
        }
        if (next < count && records[next].keyHash == ledger.keyHash && data.key(records[next]) == ledger.key) {
            const size_t end = groupEnd(next);
            if (auto ok = settle(next, end, &ledger); !ok)
                return ok;
            next = end;
            return {};
        }
        if (!ledger.delivered)
            return {};
        if (m_absentUnchanged) // left in the warehouse as unchanged
            return writeRow(DiffOp::Unchanged, ledger.key, ledger.keyHash, {}, ledger.payloadId, ledger.payloadHash,
                            ledger.payloadId, ledger.destinationId, true);
        return writeRow(DiffOp::Remove, ledger.key, ledger.keyHash, {}, 0, mapping::PayloadHash{}, ledger.payloadId,
                     ledger.destinationId, true);
    };
    if (auto ok = m_ledger.scan(m_syncId, m_partitions.range(partition), visit); !ok)
        return ok;
    if (auto ok = writeSourceHashes(); !ok)
        return ok;
    while (next < count) {
        const size_t end = groupEnd(next);
        if (auto ok = settle(next, end, nullptr); !ok)
            return ok;
        next = end;
    }
    return {};
}

} // namespace syncline::engine::diff
