#include "ui/sources/driverkinds.h"

#include <QCoreApplication>

namespace syncline::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("syncline::ui::DriverKinds", text);
}

using T = DriverField::Type;

std::vector<DriverKind> makeKinds()
{
    const auto host = [](const QString &keyword, const QString &placeholder) {
        return DriverField{keyword, tr("Host"), {}, placeholder, T::Text, true};
    };
    const auto port = [](const QString &keyword, const QString &value) {
        return DriverField{keyword, tr("Port"), value, {}, T::Number, false};
    };
    const auto text = [](const QString &keyword, const QString &label, const QString &placeholder, bool required = true) {
        return DriverField{keyword, label, {}, placeholder, T::Text, required};
    };
    return {
        {QStringLiteral("postgresql"), QStringLiteral("PostgreSQL"), {QStringLiteral("postgresql unicode"), QStringLiteral("psqlodbcw"), QStringLiteral("postgresql")},
         QStringLiteral("PostgreSQL Unicode"), tr("Install the psqlODBC driver (Debian/Ubuntu: odbc-postgresql)."),
         {host(QStringLiteral("Server"), QStringLiteral("db.example.com")), port(QStringLiteral("Port"), QStringLiteral("5432")),
          text(QStringLiteral("Database"), tr("Database"), QStringLiteral("analytics")),
          text(QStringLiteral("Uid"), tr("User"), QStringLiteral("analyst")),
          DriverField{QStringLiteral("SSLmode"), tr("SSL mode"), QStringLiteral("prefer"), QStringLiteral("disable, prefer, require, verify-full"), T::Text, false}},
         {}, true, tr("Password")},
        {QStringLiteral("mysql"), QStringLiteral("MySQL / MariaDB"), {QStringLiteral("mariadb"), QStringLiteral("mysql")},
         QStringLiteral("MariaDB Unicode"), tr("Install MariaDB Connector/ODBC (Debian/Ubuntu: odbc-mariadb) or MySQL Connector/ODBC."),
         {host(QStringLiteral("Server"), QStringLiteral("db.example.com")), port(QStringLiteral("Port"), QStringLiteral("3306")),
          text(QStringLiteral("Database"), tr("Database"), QStringLiteral("analytics")),
          text(QStringLiteral("Uid"), tr("User"), QStringLiteral("analyst"))},
         {}, true, tr("Password")},
        {QStringLiteral("sqlite"), QStringLiteral("SQLite"), {QStringLiteral("sqlite3"), QStringLiteral("sqlite")},
         QStringLiteral("SQLite3"), tr("Install the SQLite ODBC driver (Debian/Ubuntu: libsqliteodbc)."),
         {DriverField{QStringLiteral("Database"), tr("Database file"), {}, QStringLiteral("/path/to/warehouse.db"), T::File, true}},
         {}, false, {}},
        {QStringLiteral("sqlserver"), QStringLiteral("SQL Server"), {QStringLiteral("sql server"), QStringLiteral("freetds")},
         QStringLiteral("ODBC Driver 18 for SQL Server"), tr("Install Microsoft ODBC Driver 18 for SQL Server (msodbcsql18)."),
         {host(QStringLiteral("Server"), QStringLiteral("host,1433")), text(QStringLiteral("Database"), tr("Database"), QStringLiteral("analytics")),
          text(QStringLiteral("UID"), tr("User"), QStringLiteral("analyst")),
          DriverField{QStringLiteral("Encrypt"), tr("Encrypt"), QStringLiteral("yes"), QStringLiteral("yes, no, strict"), T::Text, false}},
         {}, true, tr("Password")},
        {QStringLiteral("snowflake"), QStringLiteral("Snowflake"), {QStringLiteral("snowflake")},
         QStringLiteral("SnowflakeDSIIDriver"), tr("Install the Snowflake ODBC driver from Snowflake's download page."),
         {host(QStringLiteral("Server"), QStringLiteral("account.snowflakecomputing.com")),
          text(QStringLiteral("Database"), tr("Database"), QStringLiteral("ANALYTICS")),
          text(QStringLiteral("Schema"), tr("Schema"), QStringLiteral("PUBLIC"), false),
          text(QStringLiteral("Warehouse"), tr("Warehouse"), QStringLiteral("COMPUTE_WH")),
          text(QStringLiteral("Role"), tr("Role"), QStringLiteral("ANALYST"), false),
          text(QStringLiteral("UID"), tr("User"), QStringLiteral("analyst"))},
         {}, true, tr("Password")},
        {QStringLiteral("bigquery"), QStringLiteral("BigQuery"), {QStringLiteral("bigquery")},
         QStringLiteral("Simba ODBC Driver for Google BigQuery"), tr("Install the Simba ODBC driver for Google BigQuery from Google Cloud's download page."),
         {text(QStringLiteral("Catalog"), tr("Project"), QStringLiteral("my-gcp-project")),
          text(QStringLiteral("DefaultDataset"), tr("Dataset"), QStringLiteral("analytics"), false),
          text(QStringLiteral("Email"), tr("Service account"), QStringLiteral("syncline@my-gcp-project.iam.gserviceaccount.com")),
          DriverField{QStringLiteral("KeyFilePath"), tr("Key file"), {}, QStringLiteral("/path/to/key.json"), T::File, true}},
         {{QStringLiteral("OAuthMechanism"), QStringLiteral("0")}}, false, {}},
        {QStringLiteral("redshift"), QStringLiteral("Amazon Redshift"), {QStringLiteral("redshift")},
         QStringLiteral("Amazon Redshift (x64)"), tr("Install the Amazon Redshift ODBC driver from AWS's download page."),
         {host(QStringLiteral("Server"), QStringLiteral("cluster.abc123.eu-west-1.redshift.amazonaws.com")),
          port(QStringLiteral("Port"), QStringLiteral("5439")), text(QStringLiteral("Database"), tr("Database"), QStringLiteral("dev")),
          text(QStringLiteral("UID"), tr("User"), QStringLiteral("analyst"))},
         {}, true, tr("Password")},
        {QStringLiteral("databricks"), QStringLiteral("Databricks"), {QStringLiteral("databricks"), QStringLiteral("simba spark")},
         QStringLiteral("Simba Spark ODBC Driver"), tr("Install the Databricks (Simba Spark) ODBC driver from Databricks' download page."),
         {host(QStringLiteral("Host"), QStringLiteral("adb-1234567890.1.azuredatabricks.net")), port(QStringLiteral("Port"), QStringLiteral("443")),
          text(QStringLiteral("HTTPPath"), tr("HTTP path"), QStringLiteral("/sql/1.0/warehouses/abc123")),
          text(QStringLiteral("Schema"), tr("Schema"), QStringLiteral("default"), false)},
         {{QStringLiteral("SSL"), QStringLiteral("1")}, {QStringLiteral("ThriftTransport"), QStringLiteral("2")},
          {QStringLiteral("AuthMech"), QStringLiteral("3")}, {QStringLiteral("UID"), QStringLiteral("token")}},
         true, tr("Personal access token")},
    };
}

QString quoteValue(const QString &value)
{
    if (value.contains(QLatin1Char(';')) || value.contains(QLatin1Char('{')) || value.contains(QLatin1Char('}'))
        || value.startsWith(QLatin1Char(' ')) || value.endsWith(QLatin1Char(' '))) {
        QString escaped = value;
        escaped.replace(QLatin1Char('}'), QStringLiteral("}}"));
        return QLatin1Char('{') + escaped + QLatin1Char('}');
    }
    return value;
}

} // namespace

const std::vector<DriverKind> &driverKinds()
{
    static const std::vector<DriverKind> kinds = makeKinds();
    return kinds;
}

const DriverKind *driverKind(const QString &id)
{
    for (const DriverKind &kind : driverKinds())
        if (kind.id == id)
            return &kind;
    return nullptr;
}

QString matchingDriver(const DriverKind &kind, const QStringList &installedDrivers)
{
    for (const QString &pattern : kind.driverPatterns)
        for (const QString &driver : installedDrivers)
            if (driver.toLower().contains(pattern))
                return driver;
    return {};
}

const DriverKind *kindForDriver(const QString &driverName)
{
    const QString lower = driverName.toLower();
    for (const DriverKind &kind : driverKinds())
        for (const QString &pattern : kind.driverPatterns)
            if (lower.contains(pattern))
                return &kind;
    return nullptr;
}

QString buildConnectionString(const DriverKind &kind, const QString &driverName, const QMap<QString, QString> &values)
{
    QStringList parts;
    parts << QStringLiteral("Driver={") + driverName + QLatin1Char('}');
    for (const DriverField &field : kind.fields) {
        const QString value = values.value(field.keyword).trimmed();
        if (!value.isEmpty())
            parts << field.keyword + QLatin1Char('=') + quoteValue(value);
    }
    for (auto it = kind.fixed.cbegin(); it != kind.fixed.cend(); ++it)
        parts << it.key() + QLatin1Char('=') + quoteValue(it.value());
    return parts.join(QLatin1Char(';')) + QLatin1Char(';');
}

QList<QPair<QString, QString>> parseConnectionString(const QString &connection)
{
    QList<QPair<QString, QString>> pairs;
    int i = 0;
    const int n = int(connection.size());
    while (i < n) {
        const int eq = int(connection.indexOf(QLatin1Char('='), i));
        if (eq < 0)
            break;
        const QString key = connection.mid(i, eq - i).trimmed();
        QString value;
        int j = eq + 1;
        if (j < n && connection[j] == QLatin1Char('{')) {
            ++j;
            while (j < n) {
                if (connection[j] == QLatin1Char('}')) {
                    if (j + 1 < n && connection[j + 1] == QLatin1Char('}')) {
                        value += QLatin1Char('}');
                        j += 2;
                        continue;
                    }
                    ++j;
                    break;
                }
                value += connection[j++];
            }
            while (j < n && connection[j] != QLatin1Char(';'))
                ++j;
        } else {
            const int semi = int(connection.indexOf(QLatin1Char(';'), j));
            const int end = semi < 0 ? n : semi;
            value = connection.mid(j, end - j).trimmed();
            j = end;
        }
        if (!key.isEmpty())
            pairs.append({key, value});
        i = j + 1;
    }
    return pairs;
}

bool containsPassword(const QString &connection)
{
    for (const auto &[key, value] : parseConnectionString(connection))
        if (key.compare(QStringLiteral("pwd"), Qt::CaseInsensitive) == 0 || key.compare(QStringLiteral("password"), Qt::CaseInsensitive) == 0)
            return !value.isEmpty();
    return false;
}

} // namespace syncline::ui
