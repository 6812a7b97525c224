#pragma once
// The database table destinations, types "postgresql", "mariadb" and "sqlite", over ODBC.
// The sync's object is the table ("contacts", "analytics.contacts"; MariaDB: "db.table").
// beginRun() creates a missing table from the mapping (the match field its primary key, column
// types from the casts) or checks an existing one (every mapped field has a column, the match
// column is the primary key or unique; a missing column is an error naming the ALTER TABLE that
// adds it: Syncline never changes an existing table). deliver() writes a batch in one
// transaction with the database's own upsert (see TableWriter); a lost connection or a deadlock
// fails the batch as retryable, and the next deliver() reconnects. SQLite writes through the
// sqlite3 C API (SqliteTableWriter) when the connection names its file (Database=, no DSN);
// discovery and table creation stay on ODBC, so what a user sees is the same either way.
// Thread: one instance per run, used by the run's thread only.

#include "connectors/database/sqldialect.h"
#include "connectors/database/tablesettings.h"
#include "engine/connector/connector.h"
#include "engine/connector/connectorregistry.h"
#include "engine/warehouse/odbcconnection.h"

#include <memory>

namespace syncline::connectors::database {

class TableWriter;
class SqliteTableWriter;

class TableDestination final : public engine::connector::Connector
{
public:
    TableDestination(std::unique_ptr<SqlDialect> dialect, TableSettings settings);
    ~TableDestination() override;

    // The registry entry for one database: id, settings schema and factory.
    static engine::connector::ConnectorType connectorType(Flavor flavor);

    void setRunContext(const engine::connector::RunContext &context) override { m_context = context; }
    // What every instance can do, with `batchSize` records per deliver(); the registry entry shows the default.
    static engine::connector::Capabilities typeCapabilities(int batchSize);
    engine::connector::Capabilities capabilities() const override;
    engine::Result<std::vector<engine::connector::ObjectSpec>> objects() override;
    // An existing table lists its columns; a missing one accepts any field (it is created from
    // the mapping by the first run). A MariaDB text column with a *_ci collation is caseInsensitive.
    engine::Result<engine::connector::ObjectSpec> object(const QString &name) override;
    engine::Result<void> beginRun(const QString &object) override;
    engine::Result<std::vector<engine::connector::RecordOutcome>> deliver(
        const engine::connector::Batch &batch, const engine::CancellationToken &cancellation) override;
    engine::Result<void> finishRun(bool runSucceeded) override;

private:
    engine::Result<engine::warehouse::OdbcConnection *> connection();
    engine::Result<void> startWriting();
    void disconnect();

    std::unique_ptr<SqlDialect> m_dialect;
    TableSettings m_settings;
    engine::connector::RunContext m_context;
    std::unique_ptr<engine::warehouse::OdbcConnection> m_connection;
    std::unique_ptr<TableWriter> m_writer;
    std::unique_ptr<SqliteTableWriter> m_sqliteWriter; // the direct path, instead of m_writer
    TableName m_table;
    std::vector<TableColumn> m_columns;
    QString m_key;
    bool m_running = false;
};

} // namespace syncline::connectors::database
