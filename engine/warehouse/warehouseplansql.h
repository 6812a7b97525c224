#pragma once
// The SQL of change detection warehouse, per dialect: a table per sync in the planner schema
// holds the key and the warehouse's source hash of what was delivered (a copy of the ledger,
// which stays the truth), and one statement compares the model with it.
// Pure functions of their arguments: no connection, any thread.

#include "engine/warehouse/sourcehashsql.h"

#include <QString>

#include <vector>

namespace syncline::engine::warehouse {

// The statement's rows: the model's columns, the source hash, syncline_removed (1: a state key
// the model no longer has; only the key columns are set) and syncline_model_rows (the model's
// row count). Returned: rows whose key is new, NULL or duplicated, rows whose hash differs from
// the state's or the state has none, removed keys.
// Written in the SQL PostgreSQL and MariaDB share (CTEs, UNION ALL: MariaDB has no FULL JOIN,
// CREATE TABLE IF NOT EXISTS ... AS); the planner runs warehouse mode on those two only.
QString stateTableName(SqlDialect dialect, const QString &schema, const QString &table);
QString createStateTable(SqlDialect dialect, const QString &modelSql, const QString &table,
                         const std::vector<Column> &keyColumns);
QString createStateMetaTable(SqlDialect dialect, const QString &schema);
QString warehousePlanQuery(SqlDialect dialect, const QString &modelSql, const QString &table,
                           const std::vector<Column> &modelColumns, const std::vector<Column> &keyColumns,
                           const std::vector<Column> &hashed);

} // namespace syncline::engine::warehouse
