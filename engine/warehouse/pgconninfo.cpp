#include "engine/warehouse/pgconninfo.h"

#include "engine/warehouse/driverdefaults.h"

namespace syncline::engine::warehouse {

namespace {

// libpq conninfo value: single-quoted, with ' and \ escaped.
QByteArray quoted(const QString &value)
{
    QByteArray out("'");
    for (const char c : value.toUtf8()) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '\'';
}

bool isOneOf(const QString &key, std::initializer_list<const char *> names)
{
    for (const char *name : names)
        if (key.compare(QLatin1String(name), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

std::optional<QByteArray> libpqConninfo(const ConnectionSpec &spec)
{
    auto parsed = parseConnectionString(spec.connectionString);
    if (!parsed || recogniseDriver(*parsed) != DriverFamily::PostgreSQL)
        return std::nullopt;
    QString host, port, database, user, password, sslmode;
    for (const ConnectionAttribute &a : *parsed) {
        const QString &key = a.key;
        if (isOneOf(key, {"Server", "Servername"}))
            host = a.value;
        else if (isOneOf(key, {"Port"}))
            port = a.value;
        else if (isOneOf(key, {"Database"}))
            database = a.value;
        else if (isOneOf(key, {"Uid", "Username", "User"}))
            user = a.value;
        else if (isOneOf(key, {"Pwd", "Password"}))
            password = a.value;
        else if (isOneOf(key, {"SSLmode", "sslmode"}))
            sslmode = a.value;
        // Options that only change how psqlODBC fetches or describes: the COPY path takes the
        // columns from the ODBC describe and reads the values itself.
        else if (isOneOf(key, {"Driver", "UseDeclareFetch", "Fetch", "BoolsAsChar", "CommLog", "Debug", "ReadOnly",
                               "TextAsLongVarchar", "UnknownsAsLongVarchar", "MaxVarcharSize", "MaxLongVarcharSize",
                               "UseServerSidePrepare", "ShowSystemTables", "UnknownSizes", "Protocol"}))
            continue;
        else // DSN (odbc.ini), ConnSettings, Pqopt, LFConversion, ...: only psqlODBC knows them
            return std::nullopt;
    }
    if (host.isEmpty())
        return std::nullopt;
    if (spec.password)
        password = *spec.password;
    QByteArray conninfo = "host=" + quoted(host);
    if (!port.isEmpty())
        conninfo += " port=" + quoted(port);
    if (!database.isEmpty())
        conninfo += " dbname=" + quoted(database);
    if (!user.isEmpty())
        conninfo += " user=" + quoted(user);
    if (!password.isEmpty())
        conninfo += " password=" + quoted(password);
    // psqlODBC's default is "disable"; libpq's would be "prefer".
    conninfo += " sslmode=" + quoted(sslmode.isEmpty() ? QStringLiteral("disable") : sslmode.toLower());
    if (spec.loginTimeout.count() > 0)
        conninfo += " connect_timeout=" + QByteArray::number(qint64(spec.loginTimeout.count()));
    conninfo += " application_name='syncline' client_encoding='UTF8'";
    return conninfo;
}

} // namespace syncline::engine::warehouse
