#include "engine/state/ledgerstore.h"

#include "engine/state/ledgersql.h"
#include "engine/state/payloadshapes.h"
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QDateTime>

#include <sqlite3.h>
#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <limits>

namespace syncline::engine::state {

namespace {

enum Slot {
    FindSlot,
    FindInFlightSlot,
    MarkBatchSlot,
    LandBatchSlot,
    AcceptSlot,
    AddPayloadSlot,
    RejectSlot,
    EraseSlot,
    ClearedSlot,
    AdoptSlot,
    SourceHashSlot,
    SlotCount
};

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 toSql(std::uint64_t hash)
{
    return static_cast<qint64>(hash);
}

// The first column of the first row of `sql` bound to ?1 = syncId, or `none` when there is no row.
Result<qint64> integerFor(sqlite3 *db, const char *sql, qint64 syncId, qint64 none = 0)
{
    auto s = SqliteStatement::prepare(db, QString::fromUtf8(sql));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId);
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? s->int64(0) : none;
}

// Runs `sql` with ?1 = syncId.
Result<void> runFor(sqlite3 *db, const char *sql, qint64 syncId)
{
    auto s = SqliteStatement::prepare(db, QString::fromUtf8(sql));
    if (!s)
        return std::unexpected(s.error());
    return s->bind(1, syncId).run();
}

// Binds parameter `index` to the source hash, or NULL when there is none.
void bindSourceHash(SqliteStatement &s, int index, const mapping::PayloadHash *sourceHash)
{
    if (sourceHash)
        s.bindBlob(index, sourceHash->data(), int(sourceHash->size()));
    else
        s.bindNull(index);
}

mapping::PayloadHash hashFromBlob(const void *data, int size)
{
    mapping::PayloadHash hash{};
    if (data && size == int(hash.size()))
        std::memcpy(hash.data(), data, hash.size());
    return hash;
}

} // namespace

LedgerStore::LedgerStore(Workspace &workspace) : m_workspace(workspace)
{
    m_statements.resize(SlotCount);
}

LedgerStore::~LedgerStore() = default;

std::uint64_t LedgerStore::hashKey(std::string_view key)
{
    return XXH3_64bits(key.data(), key.size());
}

Result<SqliteStatement *> LedgerStore::statement(int slot, const char *sql)
{
    auto &cached = m_statements[size_t(slot)];
    if (!cached) {
        auto prepared = SqliteStatement::prepare(m_workspace.handle(), QString::fromUtf8(sql));
        if (!prepared)
            return std::unexpected(prepared.error());
        cached = std::make_unique<SqliteStatement>(std::move(*prepared));
    }
    return cached.get();
}

Result<SqliteStatement *> LedgerStore::keyedStatement(int slot, const char *sql, qint64 syncId, std::string_view key,
                                                      std::uint64_t keyHash)
{
    auto stmt = statement(slot, sql);
    if (stmt)
        (*stmt)->bind(1, syncId).bind(2, toSql(keyHash)).bind(3, key);
    return stmt;
}

Result<std::optional<LedgerEntry>> LedgerStore::find(qint64 syncId, std::string_view key)
{
    const std::uint64_t keyHash = hashKey(key);
    auto stmt = keyedStatement(FindSlot,
                               "SELECT l.key_hash, l.key, l.payload_hash, payload_json(p.payload), l.destination_id, "
                               "l.status, l.attempts, l.last_error, l.updated_at FROM ledger l "
                               "LEFT JOIN payloads p ON p.id = l.payload_id "
                               "WHERE l.sync_id = ?1 AND l.key_hash = ?2 AND l.key = ?3",
                               syncId, key, keyHash);
    if (!stmt)
        return std::unexpected(stmt.error());
    SqliteStatement &s = **stmt;
    auto row = s.step();
    if (!row) {
        s.reset();
        return std::unexpected(row.error());
    }
    std::optional<LedgerEntry> entry;
    if (*row) {
        LedgerEntry e;
        e.keyHash = static_cast<std::uint64_t>(s.int64(0));
        e.key = std::string(s.textView(1));
        if (!s.isNull(2)) {
            const QByteArray blob = s.blob(2);
            e.payloadHash = hashFromBlob(blob.constData(), int(blob.size()));
        }
        e.payload = std::string(s.textView(3));
        e.destinationId = s.text(4);
        e.status = ledgerStatusName(s.int64(5));
        e.attempts = int(s.int64(6));
        e.lastError = s.text(7);
        e.updatedAtMs = s.int64(8);
        entry = std::move(e);
    }
    s.reset();

    // In flight: a batch holding the key was sent and its outcome is not recorded yet. A new key
    // has no ledger row until then, so it is reported with status in_flight alone.
    auto inFlight = keyedStatement(
        FindInFlightSlot, "SELECT run_id FROM in_flight_keys WHERE sync_id = ?1 AND key_hash = ?2 AND key = ?3 LIMIT 1",
        syncId, key, keyHash);
    if (!inFlight)
        return std::unexpected(inFlight.error());
    SqliteStatement &f = **inFlight;
    auto flying = f.step();
    if (!flying) {
        f.reset();
        return std::unexpected(flying.error());
    }
    if (*flying) {
        if (!entry) {
            LedgerEntry e;
            e.key = std::string(key);
            e.keyHash = keyHash;
            entry = std::move(e);
        }
        entry->inFlightRun = f.int64(0);
        entry->status = QStringLiteral("in_flight");
    }
    f.reset();
    return entry;
}

Result<void> LedgerStore::scan(qint64 syncId, KeyHashRange range,
                               const std::function<Result<void>(const LedgerScanRow &)> &visit)
{
    // A range that crosses 2^63 is not contiguous as signed integers: split it in two.
    const std::uint64_t half = std::uint64_t(1) << 63;
    if (range.first < half && range.last >= half) {
        if (auto ok = scan(syncId, KeyHashRange{range.first, half - 1}, visit); !ok)
            return ok;
        return scan(syncId, KeyHashRange{half, range.last}, visit);
    }
    auto prepared = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("SELECT key_hash, key, payload_hash, destination_id, payload_id, source_hash FROM ledger "
                       "WHERE sync_id = ?1 AND key_hash BETWEEN ?2 AND ?3 ORDER BY key_hash, key"));
    if (!prepared)
        return std::unexpected(prepared.error());
    SqliteStatement &s = *prepared;
    s.bind(1, syncId).bind(2, toSql(range.first)).bind(3, toSql(range.last));
    LedgerScanRow row;
    for (;;) {
        auto more = s.step();
        if (!more)
            return std::unexpected(more.error());
        if (!*more)
            break;
        row.keyHash = static_cast<std::uint64_t>(s.int64(0));
        row.key = s.textView(1);
        row.delivered = !s.isNull(2);
        if (row.delivered)
            row.payloadHash = hashFromBlob(sqlite3_column_blob(s.handle(), 2), sqlite3_column_bytes(s.handle(), 2));
        row.destinationId = s.textView(3);
        row.payloadId = s.isNull(4) ? 0 : s.int64(4);
        row.hasSourceHash = !s.isNull(5);
        if (row.hasSourceHash)
            row.sourceHash = hashFromBlob(sqlite3_column_blob(s.handle(), 5), sqlite3_column_bytes(s.handle(), 5));
        if (auto ok = visit(row); !ok)
            return ok;
    }
    return {};
}

Result<void> LedgerStore::scanDelivered(
    qint64 syncId, const std::function<bool(std::uint64_t keyHash, const mapping::PayloadHash &hash)> &visit)
{
    auto prepared = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("SELECT key_hash, payload_hash FROM ledger WHERE sync_id = ?1 AND key_hash BETWEEN ?2 AND ?3 "
                       "AND payload_hash IS NOT NULL ORDER BY key_hash"));
    if (!prepared)
        return std::unexpected(prepared.error());
    SqliteStatement &s = *prepared;
    // Unsigned order: the non-negative signed half first, then the negative half.
    const std::pair<qint64, qint64> halves[] = {{0, std::numeric_limits<qint64>::max()},
                                                 {std::numeric_limits<qint64>::min(), -1}};
    for (const auto &[first, last] : halves) {
        s.reset();
        s.bind(1, syncId).bind(2, first).bind(3, last);
        for (;;) {
            auto more = s.step();
            if (!more)
                return std::unexpected(more.error());
            if (!*more)
                break;
            const auto hash = hashFromBlob(sqlite3_column_blob(s.handle(), 1), sqlite3_column_bytes(s.handle(), 1));
            if (!visit(static_cast<std::uint64_t>(s.int64(0)), hash))
                return {};
        }
    }
    return {};
}

Result<qint64> LedgerStore::deliveredCount(qint64 syncId)
{
    return integerFor(m_workspace.handle(), "SELECT count(*) FROM ledger WHERE sync_id = ?1 AND payload_hash IS NOT NULL",
                      syncId);
}

Result<std::vector<LedgerEntry>> LedgerStore::inFlight(qint64 syncId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("SELECT key_hash, key, run_id FROM in_flight_keys WHERE sync_id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId);
    std::vector<LedgerEntry> entries;
    for (;;) {
        auto row = s->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        LedgerEntry e;
        e.keyHash = static_cast<std::uint64_t>(s->int64(0));
        e.key = std::string(s->textView(1));
        e.inFlightRun = s->int64(2);
        e.status = QStringLiteral("in_flight");
        entries.push_back(std::move(e));
    }
    return entries;
}

Result<void> LedgerStore::markBatchInFlight(qint64 runId, qint64 planId, qint64 firstSeq, qint64 lastSeq)
{
    auto stmt = statement(MarkBatchSlot,
                          "INSERT INTO in_flight_batches (run_id, plan_id, first_seq, last_seq) VALUES (?1, ?2, ?3, ?4)");
    if (!stmt)
        return std::unexpected(stmt.error());
    return (*stmt)->bind(1, runId).bind(2, planId).bind(3, firstSeq).bind(4, lastSeq).run();
}

Result<void> LedgerStore::landBatch(qint64 runId, qint64 firstSeq)
{
    auto stmt = statement(LandBatchSlot, "DELETE FROM in_flight_batches WHERE run_id = ?1 AND first_seq = ?2");
    if (!stmt)
        return std::unexpected(stmt.error());
    return (*stmt)->bind(1, runId).bind(2, firstSeq).run();
}

Result<void> LedgerStore::accept(qint64 syncId, std::string_view key, std::uint64_t keyHash,
                                 const mapping::PayloadHash &hash, qint64 payloadId, const QString &destinationId,
                                 const mapping::PayloadHash *sourceHash)
{
    auto stmt = keyedStatement(AcceptSlot,
                               "INSERT INTO ledger (sync_id, key_hash, key, payload_hash, payload_id, destination_id, "
                               "status, attempts, last_error, updated_at, source_hash) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, " SYNCLINE_LEDGER_DELIVERED ", 1, NULL, ?7, ?8) "
                               "ON CONFLICT (sync_id, key_hash, key) DO UPDATE SET payload_hash = excluded.payload_hash, "
                               "source_hash = " SYNCLINE_LEDGER_KEPT_SOURCE_HASH ", payload_id = excluded.payload_id, "
                               "destination_id = coalesce(excluded.destination_id, destination_id), "
                               "status = " SYNCLINE_LEDGER_DELIVERED ", attempts = attempts + 1, last_error = NULL, "
                               "updated_at = excluded.updated_at",
                               syncId, key, keyHash);
    if (!stmt)
        return std::unexpected(stmt.error());
    SqliteStatement &s = **stmt;
    s.bindBlob(4, hash.data(), int(hash.size())).bind(5, payloadId);
    if (destinationId.isEmpty())
        s.bindNull(6);
    else
        s.bind(6, destinationId);
    bindSourceHash(s, 8, sourceHash);
    return s.bind(7, nowMs()).run();
}

Result<qint64> LedgerStore::addPayload(qint64 syncId, std::string_view payload)
{
    auto stmt = statement(AddPayloadSlot, "INSERT INTO payloads (sync_id, payload) VALUES (?1, ?2)");
    if (!stmt)
        return std::unexpected(stmt.error());
    // Compact (a BLOB of values, see payloadcodec.h) when the payload allows it, else as written.
    m_encoded.clear();
    auto compact = m_workspace.payloadShapes().encode(payload, m_encoded);
    if (!compact)
        return std::unexpected(compact.error());
    if (*compact)
        (*stmt)->bindBlob(2, m_encoded.data(), int(m_encoded.size()));
    else
        (*stmt)->bind(2, payload);
    if (auto ok = (*stmt)->bind(1, syncId).run(); !ok)
        return std::unexpected(ok.error());
    ++m_payloadsAdded;
    return qint64(sqlite3_last_insert_rowid(m_workspace.handle()));
}

Result<void> LedgerStore::recordPayloadsAdded(qint64 syncId)
{
    if (m_payloadsAdded == 0)
        return {};
    auto s = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("INSERT INTO sync_state (sync_id, payloads_since_collect) VALUES (?1, ?2) "
                       "ON CONFLICT (sync_id) DO UPDATE SET "
                       "payloads_since_collect = payloads_since_collect + excluded.payloads_since_collect"));
    if (!s)
        return std::unexpected(s.error());
    if (auto ok = s->bind(1, syncId).bind(2, m_payloadsAdded).run(); !ok)
        return ok;
    m_payloadsAdded = 0;
    return {};
}

Result<bool> LedgerStore::collectGarbage(qint64 syncId, qint64 liveRows, qint64 minAdded)
{
    auto added = integerFor(m_workspace.handle(), "SELECT payloads_since_collect FROM sync_state WHERE sync_id = ?1", syncId);
    if (!added)
        return std::unexpected(added.error());
    if (*added == 0 || *added < std::max(minAdded, 2 * liveRows))
        return false;
    const char *statements[] = {
        "DELETE FROM payloads WHERE sync_id = ?1 "
        "AND id NOT IN (SELECT payload_id FROM ledger WHERE sync_id = ?1 AND payload_id IS NOT NULL) "
        "AND id NOT IN (SELECT r.payload_id FROM plan_rows r JOIN plans p ON p.id = r.plan_id "
        "               WHERE p.sync_id = ?1 AND r.payload_id IS NOT NULL) "
        "AND id NOT IN (SELECT r.before_payload_id FROM plan_rows r JOIN plans p ON p.id = r.plan_id "
        "               WHERE p.sync_id = ?1 AND r.before_payload_id IS NOT NULL)",
        "UPDATE sync_state SET payloads_since_collect = 0 WHERE sync_id = ?1",
    };
    for (const char *sql : statements)
        if (auto ok = runFor(m_workspace.handle(), sql, syncId); !ok)
            return std::unexpected(ok.error());
    return true;
}

Result<void> LedgerStore::reject(qint64 syncId, std::string_view key, std::uint64_t keyHash, const QString &error)
{
    // A key the destination never accepted gets its first ledger row here: rejected, nothing delivered.
    auto stmt = keyedStatement(RejectSlot,
                               "INSERT INTO ledger (sync_id, key_hash, key, status, attempts, last_error, updated_at) "
                               "VALUES (?1, ?2, ?3, " SYNCLINE_LEDGER_REJECTED ", 1, ?4, ?5) "
                               "ON CONFLICT (sync_id, key_hash, key) DO UPDATE SET status = " SYNCLINE_LEDGER_REJECTED ", "
                               "attempts = attempts + 1, last_error = excluded.last_error, updated_at = excluded.updated_at",
                               syncId, key, keyHash);
    if (!stmt)
        return std::unexpected(stmt.error());
    return (*stmt)->bind(4, error).bind(5, nowMs()).run();
}

Result<void> LedgerStore::erase(qint64 syncId, std::string_view key, std::uint64_t keyHash)
{
    // Its payload row stays until collected with the others (plans may still show it).
    auto stmt = keyedStatement(EraseSlot, "DELETE FROM ledger WHERE sync_id = ?1 AND key_hash = ?2 AND key = ?3", syncId,
                               key, keyHash);
    if (!stmt)
        return std::unexpected(stmt.error());
    return (*stmt)->run();
}

Result<void> LedgerStore::markCleared(qint64 syncId, std::string_view key, std::uint64_t keyHash)
{
    auto stmt = keyedStatement(ClearedSlot,
                               "UPDATE ledger SET payload_hash = NULL, status = " SYNCLINE_LEDGER_CLEARED ", "
                               "attempts = attempts + 1, last_error = NULL, updated_at = ?4 "
                               "WHERE sync_id = ?1 AND key_hash = ?2 AND key = ?3",
                               syncId, key, keyHash);
    if (!stmt)
        return std::unexpected(stmt.error());
    return (*stmt)->bind(4, nowMs()).run();
}

Result<void> LedgerStore::releaseInFlight(qint64 syncId, std::optional<qint64> runId, const QString &why)
{
    // The keys' ledger state (payload, status) stays as it was, so the next plan sends them again;
    // only the note says why. At most a batch or two per run is ever in flight.
    // ?1 = the sync, ?2 = the run, or NULL for every run of the sync.
    auto prepare = [&](const char *sql) -> Result<SqliteStatement> {
        auto s = SqliteStatement::prepare(m_workspace.handle(), QString::fromUtf8(sql));
        if (!s)
            return s;
        s->bind(1, syncId);
        if (runId)
            s->bind(2, *runId);
        else
            s->bindNull(2);
        return s;
    };
    auto note = prepare("UPDATE ledger SET last_error = ?3, updated_at = ?4 WHERE sync_id = ?1 AND (key_hash, key) IN ("
                        "SELECT key_hash, key FROM in_flight_keys WHERE sync_id = ?1 AND (?2 IS NULL OR run_id = ?2))");
    if (!note)
        return std::unexpected(note.error());
    if (auto ok = note->bind(3, why).bind(4, nowMs()).run(); !ok)
        return ok;
    auto land = prepare("DELETE FROM in_flight_batches WHERE run_id IN (SELECT id FROM runs WHERE sync_id = ?1) "
                        "AND (?2 IS NULL OR run_id = ?2)");
    if (!land)
        return std::unexpected(land.error());
    return land->run();
}

Result<void> LedgerStore::forgetDelivered(qint64 syncId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("UPDATE ledger SET payload_hash = NULL, status = " SYNCLINE_LEDGER_PENDING ", "
                                                     "updated_at = ?2 WHERE sync_id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    return s->bind(1, syncId).bind(2, nowMs()).run();
}

Result<void> LedgerStore::adopt(qint64 syncId, std::string_view key, std::uint64_t keyHash,
                                const mapping::PayloadHash &hash, qint64 payloadId,
                                const mapping::PayloadHash *sourceHash)
{
    auto stmt = keyedStatement(AdoptSlot,
                               "INSERT INTO ledger (sync_id, key_hash, key, payload_hash, payload_id, status, attempts, "
                               "updated_at, source_hash) VALUES (?1, ?2, ?3, ?4, ?5, " SYNCLINE_LEDGER_DELIVERED ", 0, ?6, ?7) "
                               "ON CONFLICT (sync_id, key_hash, key) DO UPDATE SET payload_hash = excluded.payload_hash, "
                               "source_hash = " SYNCLINE_LEDGER_KEPT_SOURCE_HASH ", payload_id = excluded.payload_id, "
                               "status = " SYNCLINE_LEDGER_DELIVERED ", last_error = NULL, "
                               "updated_at = excluded.updated_at",
                               syncId, key, keyHash);
    if (!stmt)
        return std::unexpected(stmt.error());
    bindSourceHash(**stmt, 7, sourceHash);
    return (*stmt)->bindBlob(4, hash.data(), int(hash.size())).bind(5, payloadId).bind(6, nowMs()).run();
}

Result<void> LedgerStore::setSourceHash(qint64 syncId, std::string_view key, std::uint64_t keyHash, qint64 payloadId,
                                        const mapping::PayloadHash &hash)
{
    // The ledger's row holds it for its payload: a plan row that resends that payload (mode
    // "all") keeps it on acceptance (SYNCLINE_LEDGER_KEPT_SOURCE_HASH).
    Q_UNUSED(payloadId);
    auto stmt = keyedStatement(SourceHashSlot,
                               "UPDATE ledger SET source_hash = ?4 WHERE sync_id = ?1 AND key_hash = ?2 AND key = ?3",
                               syncId, key, keyHash);
    if (!stmt)
        return std::unexpected(stmt.error());
    return (*stmt)->bindBlob(4, hash.data(), int(hash.size())).run();
}

Result<bool> LedgerStore::hasSourceHashes(qint64 syncId)
{
    auto found = integerFor(m_workspace.handle(),
                            "SELECT 1 FROM ledger WHERE sync_id = ?1 AND source_hash IS NOT NULL "
                            "AND payload_hash IS NOT NULL LIMIT 1",
                            syncId);
    if (!found)
        return std::unexpected(found.error());
    return *found == 1;
}

Result<qint64> LedgerStore::generation(qint64 syncId)
{
    return integerFor(m_workspace.handle(), "SELECT generation FROM sync_state WHERE sync_id = ?1", syncId);
}

Result<qint64> LedgerStore::bumpGeneration(qint64 syncId, const QString &reason)
{
    auto s = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("INSERT INTO sync_state (sync_id, generation, last_change) VALUES (?1, 1, ?2) "
                       "ON CONFLICT (sync_id) DO UPDATE SET generation = generation + 1, last_change = excluded.last_change"));
    if (!s)
        return std::unexpected(s.error());
    if (auto ok = s->bind(1, syncId).bind(2, reason).run(); !ok)
        return std::unexpected(ok.error());
    return generation(syncId);
}

Result<QString> LedgerStore::lastChange(qint64 syncId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("SELECT last_change FROM sync_state WHERE sync_id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId);
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? s->text(0) : QString();
}

} // namespace syncline::engine::state
