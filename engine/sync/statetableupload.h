#pragma once
// Change detection warehouse: writes (key, source hash) rows into a sync's state table in bulk.
// PostgreSQL gets one JSON document per 10,000 rows through json_populate_recordset (each value
// read by its column's input function; 1M rows in about 5 s where multi-row VALUES took 13 s:
// the server's analysis of long VALUES lists dominates, and psqlODBC cannot reach COPY); other
// dialects get multi-row INSERT ... VALUES of 2,000 rows (warehouse::insertStateRows). Thread: the caller's, with its connection.

#include "engine/core/error.h"
#include "engine/mapping/mappedrow.h"
#include "engine/sync/statetable.h"

#include <QString>
#include <QStringList>

#include <string_view>

namespace syncline::engine::sync {

// The key's column values as text, in key column order (a composite key is a JSON array);
// empty when one of them cannot be written as a literal of its column (keyLiteral).
QStringList stateKeyValues(const StateTableSpec &spec, std::string_view key);
// The same values as SQL literals of the dialect.
QStringList stateKeyLiterals(const StateTableSpec &spec, const QStringList &values);

class StateTableUpload
{
public:
    StateTableUpload(warehouse::OdbcConnection &connection, const StateTableSpec &spec);
    // Queues a row (sent when enough are queued); `values` from stateKeyValues.
    Result<void> add(const QStringList &values, bool hasSourceHash, const mapping::PayloadHash &sourceHash);
    Result<void> flush();
    qint64 written() const { return m_written; }

private:
    warehouse::OdbcConnection &m_connection;
    const StateTableSpec &m_spec;
    QString m_table;
    QString m_pending;         // PostgreSQL: the JSON array's rows
    QStringList m_pendingRows; // elsewhere: "(literals, hash)" rows for warehouse::insertStateRows
    int m_rows = 0;
    qint64 m_written = 0;
};

} // namespace syncline::engine::sync
