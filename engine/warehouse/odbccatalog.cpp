// OdbcConnection's catalog: schemas, tables and views, columns (SQLTables / SQLColumns).
#include "engine/warehouse/odbcconnection.h"

#include "engine/warehouse/odbcconnectionhandles.h"
#include "engine/warehouse/odbctext.h"

#include <QStringList>

namespace syncline::engine::warehouse {

namespace {

// Reads every row of a catalog result set as text, the columns `wanted` (1-based) only.
Result<std::vector<QStringList>> readRows(SQLHSTMT stmt, const std::vector<SQLUSMALLINT> &wanted, const OdbcErrorContext &errors)
{
    std::vector<QStringList> rows;
    for (;;) {
        const SQLRETURN rc = SQLFetch(stmt);
        if (rc == SQL_NO_DATA)
            break;
        if (!SQL_SUCCEEDED(rc))
            return std::unexpected(odbcError(OdbcStep::Catalog, SQL_HANDLE_STMT, stmt, errors));
        QStringList row;
        for (SQLUSMALLINT column : wanted) {
            SQLWCHAR buffer[1024] = {};
            SQLLEN indicator = 0;
            const SQLRETURN got = SQLGetData(stmt, column, SQL_C_WCHAR, buffer, sizeof buffer, &indicator);
            if (!SQL_SUCCEEDED(got) || indicator == SQL_NULL_DATA)
                row << QString();
            else
                row << fromSqlWide(buffer);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

struct WideArgument
{
    std::vector<SQLWCHAR> text;
    SQLWCHAR *data() { return text.empty() ? nullptr : text.data(); }
    SQLSMALLINT length() const { return text.empty() ? 0 : SQLSMALLINT(SQL_NTS); }
};

WideArgument argument(const QString &value)
{
    if (value.isNull())
        return {};
    return {toSqlWide(value)};
}

} // namespace

Result<std::vector<QString>> OdbcConnection::schemas()
{
    const auto &errors = m_handles->traits.errors;
    // MariaDB has databases (ODBC catalogs) where others have schemas.
    const bool catalogs = m_handles->traits.family == DriverFamily::MariaDB;
    OdbcHandle statement = OdbcHandle::allocate(SQL_HANDLE_STMT, m_handles->connection.get());
    if (!statement)
        return std::unexpected(odbcError(OdbcStep::Catalog, SQL_HANDLE_DBC, m_handles->connection.get(), errors));
    WideArgument all = argument(QString::fromLatin1(catalogs ? SQL_ALL_CATALOGS : SQL_ALL_SCHEMAS));
    WideArgument empty = argument(QStringLiteral(""));
    const SQLRETURN rc = catalogs
        ? SQLTablesW(statement.get(), all.data(), all.length(), empty.data(), empty.length(), empty.data(), empty.length(), nullptr, 0)
        : SQLTablesW(statement.get(), empty.data(), empty.length(), all.data(), all.length(), empty.data(), empty.length(), nullptr, 0);
    if (!SQL_SUCCEEDED(rc))
        return std::unexpected(odbcError(OdbcStep::Catalog, SQL_HANDLE_STMT, statement.get(), errors));
    auto rows = readRows(statement.get(), {SQLUSMALLINT(catalogs ? 1 : 2)}, errors);
    if (!rows)
        return std::unexpected(rows.error());
    std::vector<QString> names;
    for (const auto &row : *rows)
        if (!row.front().isEmpty() && std::find(names.begin(), names.end(), row.front()) == names.end())
            names.push_back(row.front());
    return names;
}

Result<std::vector<CatalogTable>> OdbcConnection::tables(const QString &schema)
{
    const auto &errors = m_handles->traits.errors;
    const bool catalogs = m_handles->traits.family == DriverFamily::MariaDB;
    OdbcHandle statement = OdbcHandle::allocate(SQL_HANDLE_STMT, m_handles->connection.get());
    if (!statement)
        return std::unexpected(odbcError(OdbcStep::Catalog, SQL_HANDLE_DBC, m_handles->connection.get(), errors));
    WideArgument owner = argument(schema.isEmpty() ? QString() : schema);
    WideArgument anyName = argument(QStringLiteral("%"));
    WideArgument types = argument(QStringLiteral("TABLE,VIEW"));
    const SQLRETURN rc = catalogs
        ? SQLTablesW(statement.get(), owner.data(), owner.length(), nullptr, 0, anyName.data(), anyName.length(), types.data(), types.length())
        : SQLTablesW(statement.get(), nullptr, 0, owner.data(), owner.length(), anyName.data(), anyName.length(), types.data(), types.length());
    if (!SQL_SUCCEEDED(rc))
        return std::unexpected(odbcError(OdbcStep::Catalog, SQL_HANDLE_STMT, statement.get(), errors));
    auto rows = readRows(statement.get(), {1, 2, 3, 4}, errors);
    if (!rows)
        return std::unexpected(rows.error());
    std::vector<CatalogTable> result;
    for (const auto &row : *rows)
        result.push_back({row[0], catalogs ? row[0] : row[1], row[2], row[3]});
    return result;
}

Result<std::vector<Column>> OdbcConnection::columns(const QString &schema, const QString &table)
{
    const auto &errors = m_handles->traits.errors;
    const bool catalogs = m_handles->traits.family == DriverFamily::MariaDB;
    OdbcHandle statement = OdbcHandle::allocate(SQL_HANDLE_STMT, m_handles->connection.get());
    if (!statement)
        return std::unexpected(odbcError(OdbcStep::Catalog, SQL_HANDLE_DBC, m_handles->connection.get(), errors));
    WideArgument owner = argument(schema.isEmpty() ? QString() : schema);
    WideArgument name = argument(table);
    WideArgument anyColumn = argument(QStringLiteral("%"));
    const SQLRETURN rc = catalogs
        ? SQLColumnsW(statement.get(), owner.data(), owner.length(), nullptr, 0, name.data(), name.length(), anyColumn.data(), anyColumn.length())
        : SQLColumnsW(statement.get(), nullptr, 0, owner.data(), owner.length(), name.data(), name.length(), anyColumn.data(), anyColumn.length());
    if (!SQL_SUCCEEDED(rc))
        return std::unexpected(odbcError(OdbcStep::Catalog, SQL_HANDLE_STMT, statement.get(), errors));
    // 4 COLUMN_NAME, 5 DATA_TYPE, 6 TYPE_NAME, 7 COLUMN_SIZE, 9 DECIMAL_DIGITS, 11 NULLABLE
    auto rows = readRows(statement.get(), {4, 5, 6, 7, 9, 11}, errors);
    if (!rows)
        return std::unexpected(rows.error());
    std::vector<Column> result;
    for (const auto &row : *rows) {
        Column column;
        column.name = row[0];
        column.sqlType = short(row[1].toInt());
        column.typeName = row[2];
        column.size = row[3].toLongLong();
        column.scale = short(row[4].toInt());
        column.nullable = row[5].toInt() != SQL_NO_NULLS;
        column.kind = columnKindFor(column, m_handles->traits.family, column.typeName.contains(QLatin1String("unsigned"), Qt::CaseInsensitive));
        result.push_back(std::move(column));
    }
    if (result.empty())
        return fail(QStringLiteral("odbc.catalog"),
                    QStringLiteral("The warehouse has no table or view named %1%2").arg(schema.isEmpty() ? QString() : schema + QLatin1Char('.'), table),
                    false, {{QStringLiteral("table"), table}});
    return result;
}

} // namespace syncline::engine::warehouse
