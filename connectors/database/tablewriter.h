#pragma once
// Writes one batch of records to a table in one transaction: records are grouped by operation
// and field set, each group runs as a parameter array, and a group that fails is split in halves
// inside savepoints until the failing rows are isolated, so good rows land and each bad row is
// rejected with the database's message. Insert rejects existing keys and update missing ones
// (looked up first, in the same transaction); delete of a missing row is accepted; clear sets the
// fields it names to NULL, keeping the key (a missing row is accepted). Thread: the connection's. Failure: a statement or transient failure
// rolls the whole batch back and returns an Error (retryable when transient).

#include "connectors/database/sqldialect.h"
#include "engine/connector/connector.h"
#include "engine/warehouse/odbcbatchstatement.h"
#include "engine/warehouse/odbcconnection.h"

#include <map>
#include <unordered_map>

namespace syncline::connectors::database {

class TableWriter
{
public:
    TableWriter(engine::warehouse::OdbcConnection &connection, const SqlDialect &dialect, TableName table,
                std::vector<TableColumn> columns, QString keyColumn);

    engine::Result<std::vector<engine::connector::RecordOutcome>> write(const engine::connector::Batch &batch,
                                                                        const engine::CancellationToken &cancellation);

    static constexpr size_t kLookupChunk = 100;          // keys per existence query
    static constexpr size_t kMaxBoundBytes = 32u << 20;  // parameter buffers per execution

private:
    struct Row;
    struct Group;
    engine::Result<void> runGroup(Group &group, std::vector<engine::connector::RecordOutcome> &outcomes,
                                  const engine::CancellationToken &cancellation);
    engine::Result<void> filterByExistence(Group &group, std::vector<engine::connector::RecordOutcome> &outcomes);
    engine::Result<engine::warehouse::OdbcBatchStatement *> statement(const QString &cacheKey, const QString &sql,
                                                                      size_t parameters);
    engine::Result<void> isolate(engine::warehouse::OdbcBatchStatement &statement,
                                 const engine::warehouse::ParameterRows &parameters, const std::vector<size_t> &records,
                                 size_t first, size_t count, std::vector<engine::connector::RecordOutcome> &outcomes,
                                 const engine::CancellationToken &cancellation);
    engine::Result<void> execute(const QString &sql);
    QString normalizedKey(const QString &text) const;

    engine::warehouse::OdbcConnection &m_connection;
    const SqlDialect &m_dialect;
    TableName m_table;
    std::vector<TableColumn> m_columns;
    std::unordered_map<QString, size_t> m_columnIndex;
    QString m_key;
    size_t m_keyIndex = 0;
    std::map<QString, std::unique_ptr<engine::warehouse::OdbcBatchStatement>> m_statements;
};

} // namespace syncline::connectors::database
