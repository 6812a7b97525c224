#include "engine/warehouse/odbcconnection.h"

#include "engine/warehouse/driverdefaults.h"
#include "engine/warehouse/odbcdiagnostics.h"
#include "engine/warehouse/odbcconnectionhandles.h"
#include "engine/warehouse/odbchandle.h"
#include "engine/warehouse/odbcquerycursor.h"
#include "engine/warehouse/odbctext.h"

#include <langinfo.h>

namespace syncline::engine::warehouse {

ConnectionSpec ConnectionSpec::fromDsn(const QString &dsn)
{
    ConnectionSpec spec;
    spec.connectionString = QStringLiteral("DSN=") + (dsn.contains(QLatin1Char(';')) ? braceQuoted(dsn) : dsn) + QLatin1Char(';');
    return spec;
}

namespace {

QString infoString(SQLHDBC connection, SQLUSMALLINT info)
{
    SQLWCHAR buffer[256] = {};
    SQLSMALLINT bytes = 0;
    if (!SQL_SUCCEEDED(SQLGetInfoW(connection, info, buffer, SQLSMALLINT(sizeof buffer), &bytes)))
        return {};
    return fromSqlWide(buffer);
}

// Which C type gives correct UTF-8 (4-byte characters included) with each driver, as tested
// in tests/warehouse:
// - SQLite3 ODBC hands out its UTF-8 as is for SQL_C_CHAR; its SQL_C_WCHAR path mangles
//   characters outside the BMP.
// - psqlODBC's Unicode driver hands out UTF-8 for SQL_C_CHAR when the process locale is UTF-8
//   (Qt makes it so); in another locale it would convert to that locale, so SQL_C_WCHAR then.
// - MariaDB Connector/ODBC returns the connection character set for SQL_C_CHAR (utf8mb4 by our
//   default); its SQL_C_WCHAR fails the fetch when a truncated cell splits a surrogate pair.
// - Any other driver: SQL_C_WCHAR (UTF-16), re-encoded by the cursor.
SQLSMALLINT textCTypeFor(DriverFamily family, const QString &driverName, const QString &charset, bool utf8Locale)
{
    switch (family) {
    case DriverFamily::SQLite: return SQL_C_CHAR;
    case DriverFamily::PostgreSQL:
        return utf8Locale && driverName.contains(QLatin1String("psqlodbcw")) ? SQL_C_CHAR : SQL_C_WCHAR;
    case DriverFamily::MariaDB:
        return charset.startsWith(QLatin1String("utf8"), Qt::CaseInsensitive) ? SQL_C_CHAR : SQL_C_WCHAR;
    case DriverFamily::Unknown: break;
    }
    return SQL_C_WCHAR;
}

} // namespace

Result<std::unique_ptr<OdbcConnection>> OdbcConnection::open(const ConnectionSpec &spec)
{
    // Read before connecting: a driver may change the process locale while it connects.
    const bool utf8Locale = QByteArray(nl_langinfo(CODESET)) == QByteArrayLiteral("UTF-8");
    auto parsed = parseConnectionString(spec.connectionString);
    if (!parsed) {
        Error error = parsed.error();
        error.message = redactSecrets(error.message, spec.password);
        return std::unexpected(error);
    }
    std::vector<ConnectionAttribute> attributes = std::move(*parsed);
    const DriverFamily family = recogniseDriver(attributes);
    if (spec.applyDriverDefaults)
        applyDriverDefaults(attributes, family);

    OdbcErrorContext errors;
    errors.password = spec.password;
    if (!spec.password) { // a password written into the string is a secret all the same
        const QString inline_ = attributeValue(attributes, QStringLiteral("PWD"));
        const QString inlineLong = attributeValue(attributes, QStringLiteral("Password"));
        if (!inline_.isEmpty())
            errors.password = inline_;
        else if (!inlineLong.isEmpty())
            errors.password = inlineLong;
    }
    errors.driver = attributeValue(attributes, QStringLiteral("Driver"));
    errors.dsn = attributeValue(attributes, QStringLiteral("DSN"));

    QString connectionString;
    if (spec.password) {
        std::erase_if(attributes, [](const ConnectionAttribute &a) {
            return a.key.compare(QLatin1String("PWD"), Qt::CaseInsensitive) == 0
                   || a.key.compare(QLatin1String("Password"), Qt::CaseInsensitive) == 0;
        });
        connectionString = buildConnectionString(attributes) + QStringLiteral("PWD=") + braceQuoted(*spec.password) + QLatin1Char(';');
    } else {
        connectionString = buildConnectionString(attributes);
    }

    auto handles = std::make_unique<Handles>();
    handles->environment = OdbcHandle::allocate(SQL_HANDLE_ENV, SQL_NULL_HANDLE);
    if (!handles->environment)
        return fail(QStringLiteral("odbc.environment"), QStringLiteral("The ODBC driver manager (unixODBC) could not start; is libodbc installed?"));
    SQLSetEnvAttr(handles->environment.get(), SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
    handles->connection = OdbcHandle::allocate(SQL_HANDLE_DBC, handles->environment.get());
    if (!handles->connection)
        return std::unexpected(odbcError(OdbcStep::Connect, SQL_HANDLE_ENV, handles->environment.get(), errors));
    SQLHDBC dbc = handles->connection.get();
    SQLSetConnectAttr(dbc, SQL_ATTR_LOGIN_TIMEOUT, reinterpret_cast<SQLPOINTER>(SQLULEN(spec.loginTimeout.count())), 0);

    std::vector<SQLWCHAR> text = toSqlWide(connectionString);
    connectionString.fill(QLatin1Char(' '));
    SQLWCHAR completed[2048] = {};
    SQLSMALLINT completedLength = 0;
    const SQLRETURN rc = SQLDriverConnectW(dbc, nullptr, text.data(), SQL_NTS, completed, SQLSMALLINT(std::size(completed)),
                                           &completedLength, SQL_DRIVER_NOPROMPT);
    std::fill(text.begin(), text.end(), SQLWCHAR(0));
    std::fill(std::begin(completed), std::end(completed), SQLWCHAR(0));
    if (!SQL_SUCCEEDED(rc))
        return std::unexpected(odbcError(OdbcStep::Connect, SQL_HANDLE_DBC, dbc, errors));
    handles->connected = true;

    handles->driverName = infoString(dbc, SQL_DRIVER_NAME);
    handles->dbmsName = infoString(dbc, SQL_DBMS_NAME);
    SQLUINTEGER getData = 0;
    SQLGetInfoW(dbc, SQL_GETDATA_EXTENSIONS, &getData, sizeof getData, nullptr);

    CursorTraits &traits = handles->traits;
    traits.family = family != DriverFamily::Unknown ? family : recogniseDriverName(handles->driverName);

    // MariaDB Connector/ODBC 3.1 reports SQL_GD_BLOCK, but SQLGetData after SQLSetPos(SQL_POSITION)
    // reads the rowset's last row (tests/warehouse shows it): its results are buffered in
    // client memory anyway, so it is read one row at a time.
    traits.blockGetData = (getData & SQL_GD_BLOCK) && (getData & SQL_GD_BOUND) && traits.family != DriverFamily::MariaDB;
    traits.textCType = textCTypeFor(traits.family, handles->driverName, attributeValue(attributes, QStringLiteral("CHARSET")), utf8Locale);
    traits.narrowSql = traits.family == DriverFamily::SQLite;
    if (traits.family == DriverFamily::PostgreSQL
        && attributeValue(attributes, QStringLiteral("UseDeclareFetch")) == QLatin1String("1"))
        traits.driverFetchSize = attributeValue(attributes, QStringLiteral("Fetch")).toInt();
    traits.errors = errors;

    std::unique_ptr<OdbcConnection> connection(new OdbcConnection(std::move(handles)));
    // Timestamps with time zone are read as UTC text: the session time zone is UTC.
    QString setUtc;
    if (connection->m_handles->traits.family == DriverFamily::PostgreSQL)
        setUtc = QStringLiteral("SET TIME ZONE 'UTC'");
    else if (connection->m_handles->traits.family == DriverFamily::MariaDB)
        setUtc = QStringLiteral("SET time_zone = '+00:00'");
    if (!setUtc.isEmpty())
        if (auto set = connection->executeUpdate(setUtc); !set)
            return std::unexpected(set.error());
    if (connection->m_handles->traits.family == DriverFamily::PostgreSQL) {
        // psqlODBC's SQLCancel does nothing while a cursor FETCH runs on the server: a cancel
        // then asks the server from a second, short-lived connection (same role).
        auto pid = connection->execute(QStringLiteral("SELECT pg_backend_pid()"));
        RowBatch batch;
        if (pid && (*pid)->fetch(batch).value_or(false) && batch.rowCount() == 1) {
            const qint64 backend = batch.integer(0, 0);
            ConnectionSpec side = spec;
            side.loginTimeout = std::chrono::seconds(5);
            connection->m_handles->traits.serverCancel = [side, backend] {
                if (auto other = OdbcConnection::open(side))
                    (void)(*other)->executeUpdate(QStringLiteral("SELECT pg_cancel_backend(%1)").arg(backend));
            };
        }
    }
    return connection;
}

OdbcConnection::OdbcConnection(std::unique_ptr<Handles> handles) : m_handles(std::move(handles)) {}
OdbcConnection::~OdbcConnection() = default;

QString OdbcConnection::driverName() const { return m_handles->driverName; }
QString OdbcConnection::dbmsName() const { return m_handles->dbmsName; }

Result<std::unique_ptr<QueryCursor>> OdbcConnection::execute(const QString &sql, const QueryOptions &options)
{
    return OdbcQueryCursor::execute(m_handles->connection.get(), sql, options, m_handles->traits);
}

Result<qint64> OdbcConnection::executeUpdate(const QString &sql)
{
    OdbcHandle statement = OdbcHandle::allocate(SQL_HANDLE_STMT, m_handles->connection.get());
    if (!statement)
        return std::unexpected(odbcError(OdbcStep::Execute, SQL_HANDLE_DBC, m_handles->connection.get(), m_handles->traits.errors));
    const SQLRETURN rc = executeDirect(statement.get(), sql, m_handles->traits);
    if (rc == SQL_NO_DATA)
        return 0;
    if (!SQL_SUCCEEDED(rc))
        return std::unexpected(odbcError(OdbcStep::Execute, SQL_HANDLE_STMT, statement.get(), m_handles->traits.errors));
    SQLLEN count = -1;
    SQLRowCount(statement.get(), &count);
    return qint64(count);
}

} // namespace syncline::engine::warehouse
