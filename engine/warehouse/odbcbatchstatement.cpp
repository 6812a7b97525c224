#include "engine/warehouse/odbcbatchstatement.h"

#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/odbcconnectionhandles.h"
#include "engine/warehouse/odbcdiagnostics.h"
#include "engine/warehouse/odbctext.h"

#include <cstring>

namespace syncline::engine::warehouse {

static_assert(sizeof(long) == sizeof(SQLLEN), "SQLLEN is expected to be a long");
static_assert(sizeof(unsigned long) == sizeof(SQLULEN), "SQLULEN is expected to be an unsigned long");
static_assert(sizeof(unsigned short) == sizeof(SQLUSMALLINT), "SQLUSMALLINT is expected to be an unsigned short");

Result<std::unique_ptr<OdbcBatchStatement>> OdbcBatchStatement::prepare(OdbcConnection &connection, const QString &sql,
                                                                        std::vector<ParameterType> parameters)
{
    OdbcConnection::Handles &handles = *connection.m_handles;
    OdbcHandle statement = OdbcHandle::allocate(SQL_HANDLE_STMT, handles.connection.get());
    if (!statement)
        return std::unexpected(odbcError(OdbcStep::Execute, SQL_HANDLE_DBC, handles.connection.get(), handles.traits.errors));
    SQLRETURN rc;
    if (handles.traits.narrowSql) {
        QByteArray utf8 = sql.toUtf8();
        rc = SQLPrepare(statement.get(), reinterpret_cast<SQLCHAR *>(utf8.data()), SQLINTEGER(utf8.size()));
    } else {
        std::vector<SQLWCHAR> text = toSqlWide(sql);
        rc = SQLPrepareW(statement.get(), text.data(), SQL_NTS);
    }
    if (!SQL_SUCCEEDED(rc))
        return std::unexpected(odbcError(OdbcStep::Execute, SQL_HANDLE_STMT, statement.get(), handles.traits.errors));
    return std::unique_ptr<OdbcBatchStatement>(
        new OdbcBatchStatement(connection, std::move(statement), sql, std::move(parameters)));
}

OdbcBatchStatement::OdbcBatchStatement(OdbcConnection &connection, OdbcHandle statement, QString sql,
                                       std::vector<ParameterType> parameters)
    : m_connection(connection), m_statement(std::move(statement)), m_sql(std::move(sql)), m_parameters(std::move(parameters))
{
    m_buffers.resize(m_parameters.size());
    m_indicators.resize(m_parameters.size());
    m_widths.resize(m_parameters.size());
}

OdbcBatchStatement::~OdbcBatchStatement()
{
    if (m_statement) {
        SQLFreeStmt(m_statement.get(), SQL_CLOSE);
        SQLFreeStmt(m_statement.get(), SQL_RESET_PARAMS);
    }
}

Error OdbcBatchStatement::failure() const
{
    return odbcError(OdbcStep::Execute, SQL_HANDLE_STMT, m_statement.get(), m_connection.m_handles->traits.errors);
}

Result<void> OdbcBatchStatement::bind(const ParameterRows &rows, size_t first, size_t count)
{
    SQLHSTMT stmt = m_statement.get();
    // Column-wise arrays: each parameter's cells are as wide as its longest value in the range.
    for (size_t p = 0; p < m_parameters.size(); ++p) {
        const int column = int(p);
        // At least 16 bytes a cell, and slack after the last: MariaDB Connector/ODBC 3.1 reads and
        // writes 8-byte words at a text cell's start (valgrind shows it), past a narrow cell's end.
        size_t width = 16;
        for (size_t r = first; r < first + count; ++r)
            if (const auto &cell = rows.cell(r, column))
                width = std::max(width, cell->size() + 1);
        m_widths[p] = long(width);
        std::vector<char> &buffer = m_buffers[p];
        buffer.assign(width * count + 16, '\0');
        std::vector<long> &indicators = m_indicators[p];
        indicators.resize(count);
        for (size_t i = 0; i < count; ++i) {
            const auto &cell = rows.cell(first + i, column);
            if (!cell) {
                indicators[i] = SQL_NULL_DATA;
                continue;
            }
            std::memcpy(buffer.data() + i * width, cell->data(), cell->size());
            buffer[i * width + cell->size()] = '\0';
            indicators[i] = long(cell->size());
        }
        const ParameterType &type = m_parameters[p];
        SQLULEN columnSize = width - 1;
        if (type.sqlType == SQL_TYPE_TIMESTAMP)
            columnSize = 26;
        else if (type.sqlType == SQL_NUMERIC || type.sqlType == SQL_DECIMAL)
            columnSize = 38;
        const SQLRETURN rc = SQLBindParameter(stmt, SQLUSMALLINT(p + 1), SQL_PARAM_INPUT, SQL_C_CHAR, type.sqlType, columnSize,
                                              type.decimalDigits, buffer.data(), SQLLEN(width),
                                              reinterpret_cast<SQLLEN *>(indicators.data()));
        if (!SQL_SUCCEEDED(rc))
            return std::unexpected(failure());
    }
    m_status.assign(count, SQL_PARAM_UNUSED);
    SQLSetStmtAttr(stmt, SQL_ATTR_PARAM_BIND_TYPE, reinterpret_cast<SQLPOINTER>(SQL_PARAM_BIND_BY_COLUMN), 0);
    if (!SQL_SUCCEEDED(SQLSetStmtAttr(stmt, SQL_ATTR_PARAMSET_SIZE, reinterpret_cast<SQLPOINTER>(SQLULEN(count)), 0)))
        return std::unexpected(failure());
    SQLSetStmtAttr(stmt, SQL_ATTR_PARAM_STATUS_PTR, m_status.data(), 0);
    SQLSetStmtAttr(stmt, SQL_ATTR_PARAMS_PROCESSED_PTR, &m_processed, 0);
    return {};
}

Result<qint64> OdbcBatchStatement::execute(const ParameterRows &rows, size_t first, size_t count)
{
    if (count == 0)
        return 0;
    if (auto bound = bind(rows, first, count); !bound)
        return std::unexpected(bound.error());
    m_processed = 0;
    const SQLRETURN rc = SQLExecute(m_statement.get());
    if (rc == SQL_NO_DATA)
        return 0; // e.g. an UPDATE or DELETE that matched nothing
    if (!SQL_SUCCEEDED(rc)) {
        Error error = failure();
        SQLFreeStmt(m_statement.get(), SQL_CLOSE);
        return std::unexpected(error);
    }
    // Some drivers go on after a failing parameter set and say so only in its status.
    for (size_t i = 0; i < std::min<size_t>(count, m_processed ? m_processed : count); ++i)
        if (m_status[i] == SQL_PARAM_ERROR) {
            Error error = failure();
            SQLFreeStmt(m_statement.get(), SQL_CLOSE);
            return std::unexpected(error);
        }
    SQLLEN affected = -1;
    SQLRowCount(m_statement.get(), &affected);
    // Drain any further results (some drivers give one per parameter set).
    while (SQL_SUCCEEDED(SQLMoreResults(m_statement.get()))) {
        SQLLEN more = -1;
        if (SQL_SUCCEEDED(SQLRowCount(m_statement.get(), &more)) && more > 0 && affected >= 0)
            affected += more;
    }
    SQLFreeStmt(m_statement.get(), SQL_CLOSE);
    return qint64(affected);
}

Result<std::vector<TextRow>> OdbcBatchStatement::query(const ParameterRows &rows, size_t row)
{
    SQLHSTMT stmt = m_statement.get();
    if (!m_parameters.empty())
        if (auto bound = bind(rows, row, 1); !bound)
            return std::unexpected(bound.error());
    SQLRETURN rc = SQLExecute(stmt);
    std::vector<TextRow> result;
    if (rc == SQL_NO_DATA)
        return result;
    if (!SQL_SUCCEEDED(rc))
        return std::unexpected(failure());
    SQLSMALLINT columns = 0;
    SQLNumResultCols(stmt, &columns);
    std::vector<char> chunk(4096);
    while (columns > 0) {
        rc = SQLFetch(stmt);
        if (rc == SQL_NO_DATA)
            break;
        if (!SQL_SUCCEEDED(rc)) {
            Error error = failure();
            SQLFreeStmt(stmt, SQL_CLOSE);
            return std::unexpected(error);
        }
        TextRow values(static_cast<size_t>(columns));
        for (SQLSMALLINT c = 1; c <= columns; ++c) {
            std::string text;
            bool null = false;
            for (;;) {
                SQLLEN indicator = 0;
                rc = SQLGetData(stmt, SQLUSMALLINT(c), SQL_C_CHAR, chunk.data(), SQLLEN(chunk.size()), &indicator);
                if (rc == SQL_NO_DATA)
                    break;
                if (!SQL_SUCCEEDED(rc)) {
                    Error error = failure();
                    SQLFreeStmt(stmt, SQL_CLOSE);
                    return std::unexpected(error);
                }
                if (indicator == SQL_NULL_DATA) {
                    null = true;
                    break;
                }
                const size_t got = (indicator == SQL_NO_TOTAL || indicator >= SQLLEN(chunk.size()))
                                       ? chunk.size() - 1
                                       : size_t(indicator);
                text.append(chunk.data(), got);
                if (rc == SQL_SUCCESS)
                    break;
            }
            if (!null)
                values[size_t(c - 1)] = std::move(text);
        }
        result.push_back(std::move(values));
    }
    SQLFreeStmt(stmt, SQL_CLOSE);
    return result;
}

} // namespace syncline::engine::warehouse
