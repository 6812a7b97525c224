#include "engine/warehouse/keysplit.h"

#include "engine/warehouse/rowbatch.h"

#include <algorithm>

namespace syncline::engine::warehouse {

namespace {

QString wrapped(const QString &modelSql, const QString &filter)
{
    return QStringLiteral("SELECT * FROM (%1) m WHERE %2").arg(modelSubquery(modelSql), filter);
}

// The model's column named `name`: exact, else the one column equal ignoring case (the mapper's rule).
const Column *columnNamed(const std::vector<Column> &columns, const QString &name)
{
    const Column *found = nullptr;
    for (const Column &column : columns) {
        if (column.name == name)
            return &column;
        if (column.name.compare(name, Qt::CaseInsensitive) == 0) {
            if (found)
                return nullptr;
            found = &column;
        }
    }
    return found;
}

} // namespace

std::vector<QString> rangeSplitQueries(SqlDialect dialect, const QString &modelSql, const QString &key, qint64 low,
                                       qint64 high, int parts)
{
    const QString column = QStringLiteral("m.") + quoteIdentifier(dialect, key);
    // Boundaries b1..b(N-1) of equal width, non-decreasing (which keeps the parts disjoint and
    // covering), in unsigned arithmetic so keys near the int64 limits cannot overflow.
    const quint64 span = quint64(high) - quint64(low);
    std::vector<qint64> bounds;
    for (int i = 1; i < parts; ++i) {
        quint64 offset = (span / quint64(parts)) * quint64(i);
        if (__builtin_add_overflow(offset, quint64(i), &offset) || offset > span)
            offset = span;
        bounds.push_back(qint64(quint64(low) + offset));
    }
    std::vector<QString> queries;
    for (int i = 0; i < parts; ++i) {
        QString filter;
        if (i == 0)
            filter = QStringLiteral("%1 < %2 OR %1 IS NULL").arg(column).arg(bounds[0]);
        else if (i == parts - 1)
            filter = QStringLiteral("%1 >= %2").arg(column).arg(bounds[size_t(i - 1)]);
        else
            filter = QStringLiteral("%1 >= %2 AND %1 < %3").arg(column).arg(bounds[size_t(i - 1)]).arg(bounds[size_t(i)]);
        queries.push_back(wrapped(modelSql, filter));
    }
    return queries;
}

std::optional<std::vector<QString>> hashSplitQueries(SqlDialect dialect, const QString &modelSql, const QStringList &keys,
                                                     int parts)
{
    QStringList columns;
    for (const QString &key : keys)
        columns << QStringLiteral("m.") + quoteIdentifier(dialect, key);
    QString bucket;
    switch (dialect) {
    case SqlDialect::PostgreSQL:
        // The row's text is never NULL, even for NULL keys: "(,)". The mask keeps it non-negative
        // (abs() of the smallest int4 fails).
        bucket = QStringLiteral("(hashtext(ROW(%1)::text) & 2147483647) % %2").arg(columns.join(QStringLiteral(", "))).arg(parts);
        break;
    case SqlDialect::MariaDB:
        // CONCAT_WS skips NULLs, so a NULL key gives '' (never NULL); CRC32 is unsigned.
        bucket = QStringLiteral("CRC32(CONCAT_WS(',', %1)) % %2").arg(columns.join(QStringLiteral(", "))).arg(parts);
        break;
    default:
        return std::nullopt;
    }
    std::vector<QString> queries;
    for (int i = 0; i < parts; ++i)
        queries.push_back(wrapped(modelSql, QStringLiteral("%1 = %2").arg(bucket).arg(i)));
    return queries;
}

Result<KeySplit> planSplit(OdbcConnection &connection, const QString &modelSql, const QStringList &primaryKey, int parts,
                           const QueryOptions &options)
{
    KeySplit split;
    split.queries = {modelSql};
    const std::optional<SqlDialect> dialect = sqlDialectForDbms(connection.dbmsName());
    if (parts <= 1 || !dialect || primaryKey.isEmpty())
        return split;
    QueryOptions small = options;
    small.rowsetSize = 1024;
    std::vector<Column> columns;
    {
        auto cursor = connection.execute(describeQuery(*dialect, modelSql), small);
        if (!cursor)
            return std::unexpected(cursor.error());
        columns = (*cursor)->columns();
    }
    QStringList keys;
    for (const QString &name : primaryKey) {
        const Column *column = columnNamed(columns, name);
        if (!column)
            return fail(QStringLiteral("mapping.invalid"),
                        QStringLiteral("the model has no primary key column '%1'; check the model's primary_key").arg(name));
        keys << column->name;
    }
    if (keys.size() == 1 && columnNamed(columns, keys.front())->kind == ColumnKind::Integer) {
        const QString key = QStringLiteral("m.") + quoteIdentifier(*dialect, keys.front());
        auto cursor = connection.execute(
            QStringLiteral("SELECT min(%1), max(%1) FROM (%2) m").arg(key, modelSubquery(modelSql)), small);
        if (!cursor)
            return std::unexpected(cursor.error());
        RowBatch batch;
        auto more = (*cursor)->fetch(batch);
        if (!more)
            return std::unexpected(more.error());
        if (!*more || batch.isNull(0, 0) || batch.isNull(0, 1))
            return split; // no rows, or every key NULL: nothing worth splitting
        split.method = KeySplit::Method::Range;
        split.queries = rangeSplitQueries(*dialect, modelSql, keys.front(), batch.integer(0, 0), batch.integer(0, 1), parts);
        split.description = QStringLiteral("%1 ranges of %2").arg(parts).arg(keys.front());
        return split;
    }
    if (auto queries = hashSplitQueries(*dialect, modelSql, keys, parts)) {
        split.method = KeySplit::Method::Hash;
        split.queries = std::move(*queries);
        split.description = QStringLiteral("%1 hash buckets of %2").arg(parts).arg(keys.join(QStringLiteral(", ")));
    }
    return split;
}

} // namespace syncline::engine::warehouse
