// OdbcConnection's transactions: autocommit on or off, commit, rollback (SQLEndTran).
#include "engine/warehouse/odbcconnection.h"

#include "engine/warehouse/odbcconnectionhandles.h"
#include "engine/warehouse/odbcdiagnostics.h"

namespace syncline::engine::warehouse {

Result<void> OdbcConnection::setAutoCommit(bool on)
{
    SQLHDBC dbc = m_handles->connection.get();
    const SQLRETURN rc = SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT,
                                           reinterpret_cast<SQLPOINTER>(on ? SQL_AUTOCOMMIT_ON : SQL_AUTOCOMMIT_OFF), 0);
    if (!SQL_SUCCEEDED(rc))
        return std::unexpected(odbcError(OdbcStep::Execute, SQL_HANDLE_DBC, dbc, m_handles->traits.errors));
    return {};
}

namespace {

Result<void> endTransaction(OdbcConnection::Handles &handles, SQLSMALLINT completion)
{
    SQLHDBC dbc = handles.connection.get();
    const SQLRETURN rc = SQLEndTran(SQL_HANDLE_DBC, dbc, completion);
    if (!SQL_SUCCEEDED(rc))
        return std::unexpected(odbcError(OdbcStep::Execute, SQL_HANDLE_DBC, dbc, handles.traits.errors));
    return {};
}

} // namespace

Result<void> OdbcConnection::commit() { return endTransaction(*m_handles, SQL_COMMIT); }
Result<void> OdbcConnection::rollback() { return endTransaction(*m_handles, SQL_ROLLBACK); }

} // namespace syncline::engine::warehouse
