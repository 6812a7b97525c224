#pragma once
// The SQL that change detection sends to a warehouse, per dialect: the model wrapped so the
// warehouse returns each row's key and a hash of exactly the mapped columns (warehouse_hash),
// and the query that fetches chosen keys in full. The hash is 32 hex digits: MD5 over a canonical
// rendering of each value (NULL is "N", a value is "V<length>:<text>", so NULL, '' and the
// string 'NULL' differ and no value can run into the next); on PostgreSQL the 64-bit
// hashtextextended over the row's record text, which is exact in the same way (see the .cpp). The rendering is at least as fine
// as what the ODBC driver hands the mapper (floats by their exact bits or a round-trip form,
// timestamps with every fractional digit, time zones in UTC): two rows that map differently
// always hash differently; the reverse costs only a refetch, which the payload hash settles.
// Pure functions of their arguments: no connection, any thread.

#include "engine/warehouse/column.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace syncline::engine::warehouse {

enum class SqlDialect { PostgreSQL, MariaDB, SqlServer, Snowflake, BigQuery, Redshift, Databricks };

QString sqlDialectName(SqlDialect dialect); // "PostgreSQL", "MariaDB", ...
// The dialect of an ODBC SQL_DBMS_NAME ("PostgreSQL", "MariaDB", "MySQL", "Microsoft SQL Server",
// "Snowflake", "Google BigQuery", "Redshift", "Spark SQL"/"Databricks"); none when unknown.
std::optional<SqlDialect> sqlDialectForDbms(const QString &dbmsName);

// "name" with the dialect's quotes, the quote character doubled inside (backticks for MariaDB,
// BigQuery and Databricks, brackets for SQL Server).
QString quoteIdentifier(SqlDialect dialect, const QString &name);
// The model's SQL without trailing semicolons and spaces, ready to be wrapped as a subquery
// (a line break ends it when it may hold a line comment).
QString modelSubquery(const QString &modelSql);

// The canonical text of column `name` (already quoted and qualified) of `kind`, never NULL.
// (PostgreSQL's hash renders the row as a record instead, and does not use it.)
QString canonicalValue(SqlDialect dialect, const QString &name, ColumnKind kind);
// 32 hex digits over the canonical texts of `columns` of the subquery alias `m`.
QString sourceHashExpression(SqlDialect dialect, const std::vector<Column> &columns);

// SELECT no rows of the model: its columns, for compiling the mapping.
QString describeQuery(SqlDialect dialect, const QString &modelSql);
// SELECT the `selected` columns and the source hash of `hashed` (as the last column).
QString hashQuery(SqlDialect dialect, const QString &modelSql, const std::vector<Column> &selected,
                  const std::vector<Column> &hashed);
// SELECT every column of the model and the source hash of `hashed` (as the last column),
// for every key of `keys` when given (values in `keyColumns` order, as the key's text).
QString fullQuery(SqlDialect dialect, const QString &modelSql, const std::vector<Column> &hashed);
QString fetchQuery(SqlDialect dialect, const QString &modelSql, const std::vector<Column> &hashed,
                   const std::vector<Column> &keyColumns, const std::vector<QStringList> &keys);
// A key value as a literal that compares equal to the column; none for kinds a key cannot be
// fetched by (real, boolean, binary, time), or for text with characters the dialect cannot write.
std::optional<QString> keyLiteral(SqlDialect dialect, ColumnKind kind, const QString &value);

} // namespace syncline::engine::warehouse
