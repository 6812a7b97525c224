#include "engine/warehouse/odbcdrivers.h"

#include "engine/warehouse/odbcdiagnostics.h"
#include "engine/warehouse/odbchandle.h"
#include "engine/warehouse/odbctext.h"

#include <QStringList>

namespace syncline::engine::warehouse {

namespace {

Result<OdbcHandle> environment()
{
    OdbcHandle env = OdbcHandle::allocate(SQL_HANDLE_ENV, SQL_NULL_HANDLE);
    if (!env)
        return fail(QStringLiteral("odbc.environment"), QStringLiteral("The ODBC driver manager (unixODBC) could not start; is libodbc installed?"));
    SQLSetEnvAttr(env.get(), SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
    return env;
}

// "Driver=x.so\0Setup=y.so\0\0" -> "Driver=x.so;Setup=y.so"
QString joinAttributes(const SQLWCHAR *attributes, SQLSMALLINT length)
{
    QStringList parts;
    qsizetype start = 0;
    for (qsizetype i = 0; i < length; ++i) {
        if (attributes[i] == 0) {
            if (i == start)
                break;
            parts << fromSqlWide(attributes + start, i - start);
            start = i + 1;
        }
    }
    if (start < length && attributes[start] != 0)
        parts << fromSqlWide(attributes + start, length - start);
    return parts.join(QLatin1Char(';'));
}

} // namespace

Result<std::vector<OdbcDriverInfo>> installedDrivers()
{
    auto env = environment();
    if (!env)
        return std::unexpected(env.error());
    std::vector<OdbcDriverInfo> drivers;
    SQLUSMALLINT direction = SQL_FETCH_FIRST;
    for (;;) {
        SQLWCHAR name[512] = {};
        SQLWCHAR attributes[4096] = {};
        SQLSMALLINT nameLength = 0, attributesLength = 0;
        const SQLRETURN rc = SQLDriversW(env->get(), direction, name, SQLSMALLINT(std::size(name)), &nameLength, attributes,
                                         SQLSMALLINT(std::size(attributes)), &attributesLength);
        if (rc == SQL_NO_DATA)
            break;
        if (!SQL_SUCCEEDED(rc))
            return std::unexpected(odbcError(OdbcStep::Drivers, SQL_HANDLE_ENV, env->get(), {}));
        drivers.push_back({fromSqlWide(name), joinAttributes(attributes, std::min<SQLSMALLINT>(attributesLength, SQLSMALLINT(std::size(attributes))))});
        direction = SQL_FETCH_NEXT;
    }
    return drivers;
}

Result<std::vector<OdbcDataSourceInfo>> dataSources()
{
    auto env = environment();
    if (!env)
        return std::unexpected(env.error());
    std::vector<OdbcDataSourceInfo> sources;
    for (const SQLUSMALLINT first : {SQLUSMALLINT(SQL_FETCH_FIRST_USER), SQLUSMALLINT(SQL_FETCH_FIRST_SYSTEM)}) {
        SQLUSMALLINT direction = first;
        for (;;) {
            SQLWCHAR name[512] = {};
            SQLWCHAR driver[512] = {};
            SQLSMALLINT nameLength = 0, driverLength = 0;
            const SQLRETURN rc = SQLDataSourcesW(env->get(), direction, name, SQLSMALLINT(std::size(name)), &nameLength, driver,
                                                 SQLSMALLINT(std::size(driver)), &driverLength);
            if (rc == SQL_NO_DATA)
                break;
            if (!SQL_SUCCEEDED(rc))
                return std::unexpected(odbcError(OdbcStep::Drivers, SQL_HANDLE_ENV, env->get(), {}));
            sources.push_back({fromSqlWide(name), fromSqlWide(driver), first == SQL_FETCH_FIRST_USER});
            direction = SQL_FETCH_NEXT;
        }
    }
    return sources;
}

} // namespace syncline::engine::warehouse
