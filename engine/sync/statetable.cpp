#include "engine/sync/statetable.h"

#include "engine/state/ledgerstore.h"
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"
#include "engine/sync/modelfeed.h"
#include "engine/sync/statetableupload.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/rowbatch.h"
#include "engine/warehouse/warehouseplansql.h"


#include <algorithm>
#include <cstring>

namespace syncline::engine::sync {

namespace {

// Keys per DELETE ... IN (...) of a refresh.
constexpr int kKeysPerDelete = 5000;
// A plan that touched more than this share of the delivered keys (and more than a few thousand)
// rewrites the table instead of refreshing those keys (a first run's plan touches them all).
constexpr double kMaxRefreshShare = 0.25;
constexpr qint64 kMinRewriteKeys = 10000;

QString qualified(const StateTableSpec &spec)
{
    return warehouse::stateTableName(spec.dialect, spec.schema, spec.table);
}

Result<std::vector<qint64>> integers(warehouse::OdbcConnection &connection, const QString &sql)
{
    auto cursor = connection.execute(sql);
    if (!cursor)
        return std::unexpected(cursor.error());
    std::vector<qint64> values;
    warehouse::RowBatch batch;
    auto more = (*cursor)->fetch(batch);
    if (!more)
        return std::unexpected(more.error());
    if (*more && batch.rowCount() > 0)
        for (int c = 0; c < batch.columnCount(); ++c)
            values.push_back(batch.isNull(0, c) ? -1 : batch.integer(0, c));
    return values;
}

Result<void> writeMeta(warehouse::OdbcConnection &connection, const StateTableSpec &spec, qint64 generation, qint64 rows)
{
    if (auto ok = connection.executeUpdate(warehouse::deleteStateMeta(spec.dialect, spec.schema, spec.table)); !ok)
        return std::unexpected(ok.error());
    if (auto ok = connection.executeUpdate(warehouse::insertStateMeta(spec.dialect, spec.schema, spec.table, generation, rows));
        !ok)
        return std::unexpected(ok.error());
    return {};
}

// Refreshes the keys of the one plan applied at `from` (the state table's generation) from the
// ledger: the keys its run sent, read from the run's per-row outcomes (a plan's own rows are
// dropped when its run ends). False when that plan or its run cannot be found: the caller
// rewrites instead.
Result<bool> refresh(warehouse::OdbcConnection &connection, const StateTableSpec &spec, state::Workspace &workspace,
                     qint64 syncId, qint64 from, qint64 delivered)
{
    auto plan = state::SqliteStatement::prepare(
        workspace.handle(), QStringLiteral("SELECT id, base_generation FROM plans WHERE sync_id = ?1 AND status = 'applied' "
                                           "ORDER BY id DESC LIMIT 1"));
    if (!plan)
        return std::unexpected(plan.error());
    plan->bind(1, syncId);
    auto found = plan->step();
    if (!found)
        return std::unexpected(found.error());
    if (!*found || plan->int64(1) != from)
        return false;
    const qint64 planId = plan->int64(0);
    {
        auto counted = state::SqliteStatement::prepare(
            workspace.handle(),
            QStringLiteral("SELECT count(*) FROM runs u JOIN run_rows r ON r.run_id = u.id WHERE u.plan_id = ?1"));
        if (!counted)
            return std::unexpected(counted.error());
        counted->bind(1, planId);
        if (auto stepped = counted->step(); !stepped)
            return std::unexpected(stepped.error());
        const qint64 touched = counted->int64(0);
        if (touched > kMinRewriteKeys && double(touched) > double(delivered) * kMaxRefreshShare)
            return false; // most keys changed: a rewrite in bulk is cheaper
    }
    auto keys = state::SqliteStatement::prepare(
        workspace.handle(),
        QStringLiteral("SELECT r.key, l.payload_hash IS NOT NULL, l.source_hash FROM runs u "
                       "JOIN run_rows r ON r.run_id = u.id LEFT JOIN ledger l "
                       "ON l.sync_id = ?2 AND l.key_hash = r.key_hash AND l.key = r.key "
                       "WHERE u.plan_id = ?1 ORDER BY r.key_hash, r.key"));
    if (!keys)
        return std::unexpected(keys.error());
    keys->bind(1, planId).bind(2, syncId);
    const QString table = qualified(spec);
    StateTableUpload upload(connection, spec);
    std::vector<QStringList> gone;
    std::vector<std::pair<QStringList, std::optional<mapping::PayloadHash>>> batch;
    std::string previous; // a key two runs of the plan both sent comes twice, in a row
    auto flush = [&]() -> Result<void> {
        if (!gone.empty())
            if (auto ok = connection.executeUpdate(warehouse::deleteStateKeys(spec.dialect, table, spec.keyColumns, gone)); !ok)
                return std::unexpected(ok.error());
        gone.clear();
        // The batch's delivered keys go back in after their old rows are gone.
        for (const auto &[values, hash] : batch)
            if (auto ok = upload.add(values, hash.has_value(), hash.value_or(mapping::PayloadHash{})); !ok)
                return ok;
        batch.clear();
        return upload.flush();
    };
    for (;;) {
        auto more = keys->step();
        if (!more)
            return std::unexpected(more.error());
        if (!*more)
            break;
        if (keys->textView(0) == previous)
            continue;
        previous = std::string(keys->textView(0));
        const QStringList values = stateKeyValues(spec, keys->textView(0));
        if (values.isEmpty())
            return false;
        gone.push_back(stateKeyLiterals(spec, values));
        if (!keys->isNull(1) && keys->int64(1) == 1) {
            std::optional<mapping::PayloadHash> hash;
            if (!keys->isNull(2)) {
                hash.emplace();
                const QByteArray blob = keys->blob(2);
                std::memcpy(hash->data(), blob.constData(), std::min<size_t>(hash->size(), size_t(blob.size())));
            }
            batch.emplace_back(values, hash);
        }
        if (gone.size() >= kKeysPerDelete)
            if (auto ok = flush(); !ok)
                return std::unexpected(ok.error());
    }
    if (auto ok = flush(); !ok)
        return std::unexpected(ok.error());
    return true;
}

Result<void> rewrite(warehouse::OdbcConnection &connection, const StateTableSpec &spec, state::LedgerStore &ledger,
                     qint64 syncId, qint64 generation)
{
    const QString table = qualified(spec);
    // TRUNCATE is transactional in PostgreSQL and leaves no dead rows behind; elsewhere (MariaDB's
    // commits the transaction) the rows are deleted.
    const QString empty = spec.dialect == warehouse::SqlDialect::PostgreSQL
        ? QStringLiteral("TRUNCATE ") + table
        : warehouse::deleteAllStateRows(spec.dialect, table);
    if (auto ok = connection.executeUpdate(empty); !ok)
        return std::unexpected(ok.error());
    StateTableUpload upload(connection, spec);
    auto scanned = ledger.scan(syncId, state::KeyHashRange{}, [&](const state::LedgerScanRow &row) -> Result<void> {
        if (!row.delivered)
            return {};
        const QStringList values = stateKeyValues(spec, row.key);
        if (values.isEmpty())
            return fail(QStringLiteral("change_detection.key"),
                        QStringLiteral("key %1 cannot be written to the state table; use change_detection: warehouse_hash")
                            .arg(QString::fromUtf8(row.key.data(), qsizetype(row.key.size()))));
        return upload.add(values, row.hasSourceHash, row.sourceHash);
    });
    if (!scanned)
        return scanned;
    if (auto ok = upload.flush(); !ok)
        return ok;
    return writeMeta(connection, spec, generation, upload.written());
}

} // namespace

QString stateUpdateName(StateUpdate update)
{
    return update == StateUpdate::None ? QStringLiteral("none")
        : update == StateUpdate::Incremental ? QStringLiteral("incremental")
                                             : QStringLiteral("rewritten");
}

Result<StateUpdate> reconcileStateTable(warehouse::OdbcConnection &connection, const StateTableSpec &spec,
                                        state::Workspace &workspace, state::LedgerStore &ledger, qint64 syncId,
                                        qint64 generation)
{
    if (auto ok = connection.executeUpdate(warehouse::createStateMetaTable(spec.dialect, spec.schema)); !ok)
        return std::unexpected(ok.error());
    if (auto ok = connection.executeUpdate(
            warehouse::createStateTable(spec.dialect, spec.modelSql, qualified(spec), spec.keyColumns));
        !ok)
        return std::unexpected(ok.error());
    // An index on the key, so refreshing a few keys does not scan the table once per batch of
    // them (114 s for 1M keys without it). MariaDB cannot index a TEXT key without a prefix
    // length: there the refresh does without (it stays correct, only slower). The other
    // dialects' warehouses have no secondary indexes (or no IF NOT EXISTS for them).
    if (spec.dialect == warehouse::SqlDialect::PostgreSQL || spec.dialect == warehouse::SqlDialect::MariaDB) {
        QStringList keys;
        for (const warehouse::Column &c : spec.keyColumns)
            keys << warehouse::quoteIdentifier(spec.dialect, c.name);
        auto indexed = connection.executeUpdate(QStringLiteral("CREATE INDEX IF NOT EXISTS %1 ON %2 (%3)")
                                                    .arg(warehouse::quoteIdentifier(spec.dialect, spec.table + QStringLiteral("_key")),
                                                         qualified(spec), keys.join(QStringLiteral(", "))));
        if (!indexed && spec.dialect != warehouse::SqlDialect::MariaDB)
            return std::unexpected(indexed.error());
    }
    auto meta = integers(connection, warehouse::selectStateMeta(spec.dialect, spec.schema, spec.table));
    if (!meta)
        return std::unexpected(meta.error());
    auto delivered = ledger.deliveredCount(syncId);
    if (!delivered)
        return std::unexpected(delivered.error());
    auto count = [&]() -> Result<qint64> {
        auto rows = integers(connection, warehouse::countStateRows(spec.dialect, qualified(spec)));
        if (!rows)
            return std::unexpected(rows.error());
        return rows->empty() ? -1 : rows->front();
    };
    const bool known = meta->size() == 2;
    if (known && (*meta)[0] == generation && (*meta)[1] == *delivered) {
        auto rows = count();
        if (!rows)
            return std::unexpected(rows.error());
        if (*rows == *delivered)
            return StateUpdate::None;
    }
    // Changed in one transaction: a process killed half-way leaves the old table and meta row,
    // whose generation then no longer matches the ledger's.
    const bool transactional = warehouse::stateUpkeepIsTransactional(spec.dialect);
    if (auto ok = transactional ? connection.setAutoCommit(false) : Result<void>{}; !ok)
        return std::unexpected(ok.error());
    auto update = [&]() -> Result<StateUpdate> {
        if (known && (*meta)[0] >= 0 && (*meta)[0] + 1 == generation) {
            auto refreshed = refresh(connection, spec, workspace, syncId, (*meta)[0], *delivered);
            if (!refreshed)
                return std::unexpected(refreshed.error());
            if (*refreshed) {
                auto rows = count();
                if (!rows)
                    return std::unexpected(rows.error());
                if (*rows == *delivered) {
                    if (auto ok = writeMeta(connection, spec, generation, *delivered); !ok)
                        return std::unexpected(ok.error());
                    return StateUpdate::Incremental;
                }
            }
        }
        if (auto ok = rewrite(connection, spec, ledger, syncId, generation); !ok)
            return std::unexpected(ok.error());
        return StateUpdate::Rewritten;
    };
    auto done = update();
    auto finished = !transactional ? Result<void>{} : done ? connection.commit() : connection.rollback();
    if (transactional)
        (void)connection.setAutoCommit(true);
    if (!done)
        return std::unexpected(done.error());
    if (!finished)
        return std::unexpected(finished.error());
    // Fresh statistics: without them PostgreSQL took 0.7 s instead of 0.15 s at 20,000 rows.
    if (const QString analyze = warehouse::analyzeStateTable(spec.dialect, qualified(spec));
        *done == StateUpdate::Rewritten && !analyze.isEmpty())
        if (auto ok = connection.executeUpdate(analyze); !ok)
            return std::unexpected(ok.error());
    return *done;
}

Result<void> invalidateStateTable(warehouse::OdbcConnection &connection, const StateTableSpec &spec)
{
    auto ok = connection.executeUpdate(warehouse::invalidateStateMeta(spec.dialect, spec.schema, spec.table));
    if (!ok)
        return std::unexpected(ok.error());
    return {};
}

} // namespace syncline::engine::sync
