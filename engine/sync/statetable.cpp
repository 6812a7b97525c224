#include "engine/sync/statetable.h"

#include "engine/state/ledgerstore.h"
#include "engine/sync/modelfeed.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/rowbatch.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncline::engine::sync {

namespace {

constexpr int kRowsPerInsert = 500;

QString qualified(const StateTableSpec &spec)
{
    return warehouse::stateTableName(spec.dialect, spec.schema, spec.table);
}

QString metaTable(const StateTableSpec &spec)
{
    return warehouse::stateTableName(spec.dialect, spec.schema, QStringLiteral("syncline_state_meta"));
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

// The key's columns as literals, in key column order; empty when one cannot be written.
QStringList keyLiterals(const StateTableSpec &spec, std::string_view key)
{
    const QString text = QString::fromUtf8(key.data(), qsizetype(key.size()));
    QStringList values;
    if (spec.keyColumns.size() == 1) {
        values << text;
    } else {
        for (const QJsonValue &part : QJsonDocument::fromJson(text.toUtf8()).array())
            values << (part.isString() ? part.toString() : QString::number(part.toInteger()));
    }
    QStringList literals;
    for (qsizetype c = 0; c < values.size() && c < qsizetype(spec.keyColumns.size()); ++c)
        if (auto literal = warehouse::keyLiteral(spec.dialect, spec.keyColumns[size_t(c)].kind, values[c]))
            literals << *literal;
    return literals.size() == qsizetype(spec.keyColumns.size()) ? literals : QStringList();
}

Result<void> rewrite(warehouse::OdbcConnection &connection, const StateTableSpec &spec, state::LedgerStore &ledger,
                     qint64 syncId, qint64 generation)
{
    const QString table = qualified(spec);
    if (auto ok = connection.executeUpdate(QStringLiteral("DELETE FROM %1").arg(table)); !ok)
        return std::unexpected(ok.error());
    QStringList rows;
    qint64 written = 0;
    auto flush = [&]() -> Result<void> {
        if (rows.isEmpty())
            return {};
        auto ok = connection.executeUpdate(QStringLiteral("INSERT INTO %1 VALUES %2").arg(table, rows.join(QStringLiteral(", "))));
        rows.clear();
        if (!ok)
            return std::unexpected(ok.error());
        return {};
    };
    auto scanned = ledger.scan(syncId, state::KeyHashRange{}, [&](const state::LedgerScanRow &row) -> Result<void> {
        if (!row.delivered)
            return {};
        const QStringList literals = keyLiterals(spec, row.key);
        if (literals.isEmpty())
            return fail(QStringLiteral("change_detection.key"),
                        QStringLiteral("key %1 cannot be written to the state table; use change_detection: warehouse_hash")
                            .arg(QString::fromUtf8(row.key.data(), qsizetype(row.key.size()))));
        const QString hash = row.hasSourceHash
            ? QLatin1Char('\'') + warehouseSourceHash(spec.salt, row.sourceHash) + QLatin1Char('\'')
            : QStringLiteral("NULL");
        rows << QLatin1Char('(') + literals.join(QStringLiteral(", ")) + QStringLiteral(", ") + hash + QLatin1Char(')');
        ++written;
        if (rows.size() >= kRowsPerInsert)
            return flush();
        return {};
    });
    if (!scanned)
        return scanned;
    if (auto ok = flush(); !ok)
        return ok;
    const QString name = QLatin1Char('\'') + spec.table + QLatin1Char('\'');
    if (auto ok = connection.executeUpdate(QStringLiteral("DELETE FROM %1 WHERE state_table = %2").arg(metaTable(spec), name)); !ok)
        return std::unexpected(ok.error());
    if (auto ok = connection.executeUpdate(QStringLiteral("INSERT INTO %1 VALUES (%2, %3, %4)")
                                               .arg(metaTable(spec), name)
                                               .arg(generation)
                                               .arg(written));
        !ok)
        return std::unexpected(ok.error());
    return {};
}

} // namespace

Result<bool> reconcileStateTable(warehouse::OdbcConnection &connection, const StateTableSpec &spec,
                                 state::LedgerStore &ledger, qint64 syncId, qint64 generation)
{
    if (auto ok = connection.executeUpdate(warehouse::createStateMetaTable(spec.dialect, spec.schema)); !ok)
        return std::unexpected(ok.error());
    if (auto ok = connection.executeUpdate(
            warehouse::createStateTable(spec.dialect, spec.modelSql, qualified(spec), spec.keyColumns));
        !ok)
        return std::unexpected(ok.error());
    auto meta = integers(connection, QStringLiteral("SELECT generation, row_count FROM %1 WHERE state_table = '%2'")
                                         .arg(metaTable(spec), spec.table));
    if (!meta)
        return std::unexpected(meta.error());
    auto rows = integers(connection, QStringLiteral("SELECT count(*) FROM %1").arg(qualified(spec)));
    if (!rows)
        return std::unexpected(rows.error());
    auto delivered = ledger.deliveredCount(syncId);
    if (!delivered)
        return std::unexpected(delivered.error());
    if (meta->size() == 2 && (*meta)[0] == generation && (*meta)[1] == *delivered && !rows->empty()
        && (*rows)[0] == *delivered)
        return false;
    // Rewritten in one transaction: a process killed half-way leaves the old table and meta row.
    if (auto ok = connection.setAutoCommit(false); !ok)
        return std::unexpected(ok.error());
    auto done = rewrite(connection, spec, ledger, syncId, generation);
    auto finished = done ? connection.commit() : connection.rollback();
    (void)connection.setAutoCommit(true);
    if (!done)
        return std::unexpected(done.error());
    if (!finished)
        return std::unexpected(finished.error());
    // Fresh statistics: without them PostgreSQL took 0.7 s instead of 0.15 s at 20,000 rows.
    if (spec.dialect == warehouse::SqlDialect::PostgreSQL)
        if (auto ok = connection.executeUpdate(QStringLiteral("ANALYZE %1").arg(qualified(spec))); !ok)
            return std::unexpected(ok.error());
    return true;
}

Result<void> invalidateStateTable(warehouse::OdbcConnection &connection, const StateTableSpec &spec)
{
    auto ok = connection.executeUpdate(QStringLiteral("UPDATE %1 SET generation = -1 WHERE state_table = '%2'")
                                           .arg(metaTable(spec), spec.table));
    if (!ok)
        return std::unexpected(ok.error());
    return {};
}

} // namespace syncline::engine::sync
