#include "engine/state/ledgerstore.h"

#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QDateTime>

#include <sqlite3.h>
#include <xxhash.h>

#include <cstring>

namespace syncline::engine::state {

namespace {

enum Slot {
    FindSlot,
    MarkInFlightSlot,
    AcceptSlot,
    RejectSlot,
    EraseSlot,
    ClearedSlot,
    AdoptSlot,
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

Result<std::optional<LedgerEntry>> LedgerStore::find(qint64 syncId, std::string_view key)
{
    auto stmt = statement(FindSlot,
                          "SELECT key_hash, key, payload_hash, payload, destination_id, status, in_flight_run, attempts, "
                          "last_error, updated_at FROM ledger WHERE sync_id = ?1 AND key_hash = ?2 AND key = ?3");
    if (!stmt)
        return std::unexpected(stmt.error());
    SqliteStatement &s = **stmt;
    s.bind(1, syncId).bind(2, toSql(hashKey(key))).bind(3, key);
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
        e.status = s.text(5);
        if (!s.isNull(6))
            e.inFlightRun = s.int64(6);
        e.attempts = int(s.int64(7));
        e.lastError = s.text(8);
        e.updatedAtMs = s.int64(9);
        entry = std::move(e);
    }
    s.reset();
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
        QStringLiteral("SELECT key_hash, key, payload_hash, payload, destination_id FROM ledger "
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
        row.payload = s.textView(3);
        row.destinationId = s.textView(4);
        if (auto ok = visit(row); !ok)
            return ok;
    }
    return {};
}

Result<qint64> LedgerStore::deliveredCount(qint64 syncId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("SELECT count(*) FROM ledger WHERE sync_id = ?1 AND payload_hash IS NOT NULL"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId);
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? s->int64(0) : 0;
}

Result<std::vector<LedgerEntry>> LedgerStore::inFlight(qint64 syncId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("SELECT key, in_flight_run FROM ledger WHERE sync_id = ?1 "
                                                     "AND in_flight_run IS NOT NULL"));
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
        e.key = std::string(s->textView(0));
        e.keyHash = hashKey(e.key);
        e.inFlightRun = s->int64(1);
        e.status = QStringLiteral("in_flight");
        entries.push_back(std::move(e));
    }
    return entries;
}

Result<void> LedgerStore::markInFlight(qint64 syncId, qint64 runId, std::string_view key, std::uint64_t keyHash)
{
    auto stmt = statement(MarkInFlightSlot,
                          "INSERT INTO ledger (sync_id, key_hash, key, status, in_flight_run, attempts, updated_at) "
                          "VALUES (?1, ?2, ?3, 'in_flight', ?4, 0, ?5) "
                          "ON CONFLICT (sync_id, key_hash, key) DO UPDATE SET status = 'in_flight', "
                          "in_flight_run = excluded.in_flight_run, updated_at = excluded.updated_at");
    if (!stmt)
        return std::unexpected(stmt.error());
    return (*stmt)->bind(1, syncId).bind(2, toSql(keyHash)).bind(3, key).bind(4, runId).bind(5, nowMs()).run();
}

Result<void> LedgerStore::accept(qint64 syncId, std::string_view key, std::uint64_t keyHash,
                                 const mapping::PayloadHash &hash, std::string_view payload, const QString &destinationId)
{
    auto stmt = statement(AcceptSlot,
                          "INSERT INTO ledger (sync_id, key_hash, key, payload_hash, payload, destination_id, status, "
                          "in_flight_run, attempts, last_error, updated_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'delivered', NULL, 1, NULL, ?7) "
                          "ON CONFLICT (sync_id, key_hash, key) DO UPDATE SET payload_hash = excluded.payload_hash, "
                          "payload = excluded.payload, destination_id = coalesce(excluded.destination_id, destination_id), "
                          "status = 'delivered', in_flight_run = NULL, attempts = attempts + 1, last_error = NULL, "
                          "updated_at = excluded.updated_at");
    if (!stmt)
        return std::unexpected(stmt.error());
    SqliteStatement &s = **stmt;
    s.bind(1, syncId).bind(2, toSql(keyHash)).bind(3, key).bindBlob(4, hash.data(), int(hash.size())).bind(5, payload);
    if (destinationId.isEmpty())
        s.bindNull(6);
    else
        s.bind(6, destinationId);
    return s.bind(7, nowMs()).run();
}

Result<void> LedgerStore::reject(qint64 syncId, std::string_view key, std::uint64_t keyHash, const QString &error)
{
    auto stmt = statement(RejectSlot,
                          "UPDATE ledger SET status = 'rejected', in_flight_run = NULL, attempts = attempts + 1, "
                          "last_error = ?4, updated_at = ?5 WHERE sync_id = ?1 AND key_hash = ?2 AND key = ?3");
    if (!stmt)
        return std::unexpected(stmt.error());
    return (*stmt)->bind(1, syncId).bind(2, toSql(keyHash)).bind(3, key).bind(4, error).bind(5, nowMs()).run();
}

Result<void> LedgerStore::erase(qint64 syncId, std::string_view key, std::uint64_t keyHash)
{
    auto stmt = statement(EraseSlot, "DELETE FROM ledger WHERE sync_id = ?1 AND key_hash = ?2 AND key = ?3");
    if (!stmt)
        return std::unexpected(stmt.error());
    return (*stmt)->bind(1, syncId).bind(2, toSql(keyHash)).bind(3, key).run();
}

Result<void> LedgerStore::markCleared(qint64 syncId, std::string_view key, std::uint64_t keyHash)
{
    auto stmt = statement(ClearedSlot,
                          "UPDATE ledger SET payload_hash = NULL, status = 'cleared', in_flight_run = NULL, "
                          "attempts = attempts + 1, last_error = NULL, updated_at = ?4 "
                          "WHERE sync_id = ?1 AND key_hash = ?2 AND key = ?3");
    if (!stmt)
        return std::unexpected(stmt.error());
    return (*stmt)->bind(1, syncId).bind(2, toSql(keyHash)).bind(3, key).bind(4, nowMs()).run();
}

Result<void> LedgerStore::releaseInFlight(qint64 syncId, std::optional<qint64> runId, const QString &why)
{
    auto s = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("UPDATE ledger SET in_flight_run = NULL, last_error = ?3, updated_at = ?4, "
                       "status = CASE WHEN payload_hash IS NULL THEN 'pending' ELSE 'delivered' END "
                       "WHERE sync_id = ?1 AND in_flight_run IS NOT NULL AND (?2 IS NULL OR in_flight_run = ?2)"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId);
    if (runId)
        s->bind(2, *runId);
    else
        s->bindNull(2);
    return s->bind(3, why).bind(4, nowMs()).run();
}

Result<void> LedgerStore::forgetDelivered(qint64 syncId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("UPDATE ledger SET payload_hash = NULL, status = 'pending', "
                                                     "updated_at = ?2 WHERE sync_id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    return s->bind(1, syncId).bind(2, nowMs()).run();
}

Result<void> LedgerStore::adopt(qint64 syncId, const mapping::MappedRow &row)
{
    auto stmt = statement(AdoptSlot,
                          "INSERT INTO ledger (sync_id, key_hash, key, payload_hash, payload, status, attempts, updated_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, 'delivered', 0, ?6) "
                          "ON CONFLICT (sync_id, key_hash, key) DO UPDATE SET payload_hash = excluded.payload_hash, "
                          "payload = excluded.payload, status = 'delivered', in_flight_run = NULL, last_error = NULL, "
                          "updated_at = excluded.updated_at");
    if (!stmt)
        return std::unexpected(stmt.error());
    return (*stmt)
        ->bind(1, syncId)
        .bind(2, toSql(row.keyHash))
        .bind(3, std::string_view(row.key))
        .bindBlob(4, row.payloadHash.data(), int(row.payloadHash.size()))
        .bind(5, std::string_view(row.payload))
        .bind(6, nowMs())
        .run();
}

Result<void> LedgerStore::eraseAll(qint64 syncId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(), QStringLiteral("DELETE FROM ledger WHERE sync_id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    return s->bind(1, syncId).run();
}

Result<qint64> LedgerStore::generation(qint64 syncId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("SELECT generation FROM sync_state WHERE sync_id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId);
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? s->int64(0) : 0;
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
