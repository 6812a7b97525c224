#pragma once
// The SQL of change detection warehouse, per dialect: a table per sync in the planner schema
// holds the key and the warehouse's source hash of what was delivered (a copy of the ledger,
// which stays the truth), and one statement compares the model with it. Also every statement
// the state table is created, read and rewritten with, so callers never write SQL themselves.
// Pure functions of their arguments: no connection, any thread.

#include "engine/warehouse/sourcehashsql.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace syncline::engine::warehouse {

// Whether warehouse mode has complete SQL for `dialect` (state table, its upkeep, the plan
// statement); the planner refuses warehouse mode elsewhere. Every SqlDialect has it today.
bool warehousePlanSupported(SqlDialect dialect);

// The statement's rows: the model's columns, the source hash, syncline_removed (1: a state key
// the model no longer has; only the key columns are set) and syncline_model_rows (the model's
// row count). Returned: rows whose key is new, NULL or duplicated, rows whose hash differs from
// the state's or the state has none, removed keys. Keys are joined with plain equality: a NULL
// key never matches (such a row is returned, and the mapper rejects it), and the state never
// holds one, since only delivered keys are written to it.
// PostgreSQL and MariaDB share one form (CTEs, LEFT JOIN plus UNION ALL: MariaDB has no FULL
// JOIN); the other dialects use one FULL OUTER JOIN (see warehouseplansql.cpp for each).
QString stateTableName(SqlDialect dialect, const QString &schema, const QString &table);
QString createStateTable(SqlDialect dialect, const QString &modelSql, const QString &table,
                         const std::vector<Column> &keyColumns);
QString createStateMetaTable(SqlDialect dialect, const QString &schema);
QString warehousePlanQuery(SqlDialect dialect, const QString &modelSql, const QString &table,
                           const std::vector<Column> &modelColumns, const std::vector<Column> &keyColumns,
                           const std::vector<Column> &hashed);

// The state table's upkeep. `table` is stateTableName(); key values are keyLiteral() texts, in
// keyColumns order; a row is "(key literals, hash literal or NULL)", in the table's column order.
QString deleteAllStateRows(SqlDialect dialect, const QString &table);
QString deleteStateKeys(SqlDialect dialect, const QString &table, const std::vector<Column> &keyColumns,
                        const std::vector<QStringList> &keys);
QString insertStateRows(SqlDialect dialect, const QString &table, const std::vector<Column> &keyColumns,
                        const QStringList &rows);
QString countStateRows(SqlDialect dialect, const QString &table);
// Fresh statistics after a rewrite, or empty where the warehouse keeps them itself.
QString analyzeStateTable(SqlDialect dialect, const QString &table);
// Whether the upkeep runs in one transaction (ODBC manual commit). BigQuery and Databricks
// have no multi-statement transactions through ODBC: there the meta row, written last, is what
// keeps a half-done rewrite from being used.
bool stateUpkeepIsTransactional(SqlDialect dialect);

// The meta table's row for `stateTable` (the unquoted name): generation and row count.
QString selectStateMeta(SqlDialect dialect, const QString &schema, const QString &stateTable);
QString deleteStateMeta(SqlDialect dialect, const QString &schema, const QString &stateTable);
QString insertStateMeta(SqlDialect dialect, const QString &schema, const QString &stateTable, qint64 generation,
                        qint64 rows);
QString invalidateStateMeta(SqlDialect dialect, const QString &schema, const QString &stateTable);

} // namespace syncline::engine::warehouse
