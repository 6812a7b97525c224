#pragma once
// A prepared statement run over arrays of parameters (SQL_ATTR_PARAMSET_SIZE): many rows per
// round trip for writers, or one row of parameters for a query whose result is read back as text.
// Every value is bound as UTF-8 text (SQL_C_CHAR) with the SQL type the caller names; the driver
// and server convert. Thread: like its OdbcConnection, which it must not outlive.
// Failure: an execution fails as a whole when any parameter set fails (the caller rolls back to
// a savepoint and isolates the row); the Error carries SQLSTATE, native code and the driver's
// message, password redacted.

#include "engine/core/error.h"
#include "engine/warehouse/odbchandle.h"

#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syncline::engine::warehouse {

class OdbcConnection;

// Parameter values, row after row, each cell UTF-8 text or NULL.
class ParameterRows
{
public:
    explicit ParameterRows(int columns) : m_columns(columns) {}
    int columnCount() const { return m_columns; }
    size_t rowCount() const { return m_columns ? m_cells.size() / size_t(m_columns) : 0; }
    void addRow() { m_cells.resize(m_cells.size() + size_t(m_columns)); }
    void set(size_t row, int column, std::string_view text) { m_cells[row * size_t(m_columns) + size_t(column)] = std::string(text); }
    const std::optional<std::string> &cell(size_t row, int column) const { return m_cells[row * size_t(m_columns) + size_t(column)]; }
    void clear() { m_cells.clear(); }

private:
    int m_columns = 0;
    std::vector<std::optional<std::string>> m_cells;
};

// How one parameter is described to the driver: its SQL type (SQL_VARCHAR, SQL_BIGINT, ...).
struct ParameterType
{
    short sqlType = 12; // SQL_VARCHAR
    short decimalDigits = 0;
};

using TextRow = std::vector<std::optional<std::string>>;

class OdbcBatchStatement
{
public:
    static Result<std::unique_ptr<OdbcBatchStatement>> prepare(OdbcConnection &connection, const QString &sql,
                                                               std::vector<ParameterType> parameters);
    ~OdbcBatchStatement();

    // Runs the statement once per row in [first, first + count) as one parameter array.
    // Returns the rows affected as the driver counts them (-1 when unknown).
    Result<qint64> execute(const ParameterRows &rows, size_t first, size_t count);
    // Runs the statement with row `row` of `rows` (none when the statement has no parameters)
    // and reads every result row, each column as text.
    Result<std::vector<TextRow>> query(const ParameterRows &rows, size_t row);

    const QString &sql() const { return m_sql; }

private:
    OdbcBatchStatement(OdbcConnection &connection, OdbcHandle statement, QString sql, std::vector<ParameterType> parameters);
    Result<void> bind(const ParameterRows &rows, size_t first, size_t count);
    Error failure() const;

    OdbcConnection &m_connection;
    OdbcHandle m_statement;
    QString m_sql;
    std::vector<ParameterType> m_parameters;
    std::vector<std::vector<char>> m_buffers; // per parameter: count cells of m_widths[i] bytes
    std::vector<std::vector<long>> m_indicators;
    std::vector<long> m_widths;
    std::vector<unsigned short> m_status;
    unsigned long m_processed = 0;
};

} // namespace syncline::engine::warehouse
