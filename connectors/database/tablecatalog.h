#pragma once
// The destination table as the database's catalog describes it: tables a user may pick, a
// table's columns (type, required, identifying), and the table created from the mapping or an
// existing one checked against it. Thread: the connection's. Failure: Result; messages name the
// table and column and say how to fix it.

#include "connectors/database/sqldialect.h"
#include "engine/connector/connector.h"
#include "engine/warehouse/odbcbatchstatement.h"
#include "engine/warehouse/odbcconnection.h"

namespace syncline::connectors::database {

// Runs a catalog query and returns its rows as text.
engine::Result<std::vector<engine::warehouse::TextRow>> runCatalogQuery(engine::warehouse::OdbcConnection &connection,
                                                                        const CatalogQuery &query);

// Tables as object names ("contacts", "analytics.contacts").
engine::Result<std::vector<engine::connector::ObjectSpec>> listTables(engine::warehouse::OdbcConnection &connection,
                                                                      const SqlDialect &dialect);

// The columns of `name`; empty when the table does not exist.
engine::Result<std::vector<TableColumn>> describeTable(engine::warehouse::OdbcConnection &connection,
                                                       const SqlDialect &dialect, const TableName &name);

// The object for discovery: each column a field, typed from its SQL type; required when NOT NULL
// without a default; identifier when it alone is the primary key or a unique index.
engine::connector::ObjectSpec objectSpecFor(const QString &object, const std::vector<TableColumn> &columns);

// Creates `name` with a column per mapped field, `keyField` the primary key.
engine::Result<void> createTable(engine::warehouse::OdbcConnection &connection, const SqlDialect &dialect,
                                 const TableName &name, const std::vector<engine::connector::FieldSpec> &fields,
                                 const QString &keyField);

// "database.missing_column" when a mapped field has no column (with the ALTER TABLE that adds
// it), "database.key_not_unique" when the key column is neither the primary key nor unique.
engine::Result<void> checkTable(const SqlDialect &dialect, const TableName &name, const std::vector<TableColumn> &columns,
                                const std::vector<engine::connector::FieldSpec> &fields, const QString &keyField);

} // namespace syncline::connectors::database
