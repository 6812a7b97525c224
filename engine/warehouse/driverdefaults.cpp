#include "engine/warehouse/driverdefaults.h"

#include <QStringList>

#include "engine/warehouse/odbcdrivers.h"

namespace syncline::engine::warehouse {

QString driverFamilyName(DriverFamily family)
{
    switch (family) {
    case DriverFamily::PostgreSQL: return QStringLiteral("PostgreSQL");
    case DriverFamily::SQLite: return QStringLiteral("SQLite");
    case DriverFamily::MariaDB: return QStringLiteral("MariaDB");
    case DriverFamily::Unknown: break;
    }
    return QStringLiteral("unknown");
}

Result<std::vector<ConnectionAttribute>> parseConnectionString(const QString &text)
{
    std::vector<ConnectionAttribute> attributes;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return fail(QStringLiteral("odbc.bad_connection_string"),
                    QStringLiteral("The connection string is empty; write Driver={name};Server=... or a DSN name"));
    if (!trimmed.contains(QLatin1Char('=')) && !trimmed.contains(QLatin1Char(';'))) {
        attributes.push_back({QStringLiteral("DSN"), trimmed});
        return attributes;
    }
    qsizetype i = 0;
    const qsizetype n = trimmed.size();
    while (i < n) {
        while (i < n && (trimmed[i] == QLatin1Char(';') || trimmed[i].isSpace()))
            ++i;
        if (i >= n)
            break;
        const qsizetype equals = trimmed.indexOf(QLatin1Char('='), i);
        const qsizetype semicolon = trimmed.indexOf(QLatin1Char(';'), i);
        if (equals < 0 || (semicolon >= 0 && semicolon < equals))
            return fail(QStringLiteral("odbc.bad_connection_string"),
                        QStringLiteral("The connection string has a part without '=' at character %1; write Key=Value pairs separated by ';'").arg(i + 1));
        const QString key = trimmed.mid(i, equals - i).trimmed();
        if (key.isEmpty())
            return fail(QStringLiteral("odbc.bad_connection_string"),
                        QStringLiteral("The connection string has a value without a key at character %1").arg(i + 1));
        i = equals + 1;
        while (i < n && trimmed[i] == QLatin1Char(' '))
            ++i;
        QString value;
        if (i < n && trimmed[i] == QLatin1Char('{')) {
            ++i;
            bool closed = false;
            while (i < n) {
                if (trimmed[i] == QLatin1Char('}')) {
                    if (i + 1 < n && trimmed[i + 1] == QLatin1Char('}')) {
                        value += QLatin1Char('}');
                        i += 2;
                        continue;
                    }
                    closed = true;
                    ++i;
                    break;
                }
                value += trimmed[i++];
            }
            if (!closed)
                return fail(QStringLiteral("odbc.bad_connection_string"),
                            QStringLiteral("The value of %1 in the connection string opens a '{' that is never closed").arg(key));
            while (i < n && trimmed[i] != QLatin1Char(';'))
                ++i;
        } else {
            const qsizetype end = semicolon < 0 ? n : semicolon;
            value = trimmed.mid(i, end - i).trimmed();
            i = end;
        }
        attributes.push_back({key, value});
    }
    if (attributes.empty())
        return fail(QStringLiteral("odbc.bad_connection_string"), QStringLiteral("The connection string has no Key=Value pairs"));
    return attributes;
}

QString braceQuoted(const QString &value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('}'), QStringLiteral("}}"));
    return QLatin1Char('{') + escaped + QLatin1Char('}');
}

QString buildConnectionString(const std::vector<ConnectionAttribute> &attributes)
{
    QString text;
    for (const auto &attribute : attributes) {
        const QString &v = attribute.value;
        const bool quote = v.contains(QLatin1Char(';')) || v.contains(QLatin1Char('{')) || v.contains(QLatin1Char('}'))
                           || v.contains(QLatin1Char('=')) || (!v.isEmpty() && (v.front().isSpace() || v.back().isSpace()));
        text += attribute.key + QLatin1Char('=') + (quote ? braceQuoted(v) : v) + QLatin1Char(';');
    }
    return text;
}

QString attributeValue(const std::vector<ConnectionAttribute> &attributes, const QString &key)
{
    for (const auto &attribute : attributes)
        if (attribute.key.compare(key, Qt::CaseInsensitive) == 0)
            return attribute.value;
    return {};
}

void setAttribute(std::vector<ConnectionAttribute> &attributes, const QString &key, const QString &value,
                  const QStringList &aliases)
{
    std::erase_if(attributes, [&](const ConnectionAttribute &a) {
        return a.key.compare(key, Qt::CaseInsensitive) == 0 || aliases.contains(a.key, Qt::CaseInsensitive);
    });
    attributes.push_back({key, value});
}

namespace {
// The library a registered driver name points at ("PostgreSQL Unicode" -> "Driver=psqlodbcw.so;..."),
// read through the driver manager (SQLDrivers) so no odbcinst library is needed.
QString registeredDriverAttributes(const QString &name)
{
    auto drivers = installedDrivers();
    if (drivers)
        for (const auto &driver : *drivers)
            if (driver.name.compare(name, Qt::CaseInsensitive) == 0)
                return driver.attributes;
    return {};
}

QString dataSourceDriver(const QString &dsn)
{
    auto sources = dataSources();
    if (sources)
        for (const auto &source : *sources)
            if (source.name.compare(dsn, Qt::CaseInsensitive) == 0)
                return source.driver;
    return {};
}
} // namespace

DriverFamily recogniseDriverName(const QString &driverNameOrLibrary)
{
    QString text = driverNameOrLibrary.toLower();
    if (!driverNameOrLibrary.contains(QLatin1Char('/')))
        text += QLatin1Char(' ') + registeredDriverAttributes(driverNameOrLibrary).toLower();
    if (text.contains(QLatin1String("psqlodbc")) || text.contains(QLatin1String("postgres")))
        return DriverFamily::PostgreSQL;
    if (text.contains(QLatin1String("sqlite")))
        return DriverFamily::SQLite;
    if (text.contains(QLatin1String("maodbc")) || text.contains(QLatin1String("mariadb")) || text.contains(QLatin1String("myodbc"))
        || text.contains(QLatin1String("mysql")))
        return DriverFamily::MariaDB;
    return DriverFamily::Unknown;
}

DriverFamily recogniseDriver(const std::vector<ConnectionAttribute> &attributes)
{
    const QString driver = attributeValue(attributes, QStringLiteral("Driver"));
    if (!driver.isEmpty())
        return recogniseDriverName(driver);
    const QString dsn = attributeValue(attributes, QStringLiteral("DSN"));
    if (!dsn.isEmpty()) {
        const QString dsnDriver = dataSourceDriver(dsn);
        if (!dsnDriver.isEmpty())
            return recogniseDriverName(dsnDriver);
    }
    return DriverFamily::Unknown;
}

std::vector<ConnectionAttribute> driverDefaults(DriverFamily family)
{
    switch (family) {
    case DriverFamily::PostgreSQL:
        return {{QStringLiteral("UseDeclareFetch"), QStringLiteral("1")},
                {QStringLiteral("Fetch"), QStringLiteral("10000")},
                {QStringLiteral("BoolsAsChar"), QStringLiteral("0")},
                {QStringLiteral("CommLog"), QStringLiteral("0")}};
    case DriverFamily::SQLite:
        return {{QStringLiteral("StepAPI"), QStringLiteral("1")}, {QStringLiteral("BigInt"), QStringLiteral("1")}};
    case DriverFamily::MariaDB:
        return {{QStringLiteral("CHARSET"), QStringLiteral("utf8mb4")}};
    case DriverFamily::Unknown: break;
    }
    return {};
}

void applyDriverDefaults(std::vector<ConnectionAttribute> &attributes, DriverFamily family)
{
    for (auto &fallback : driverDefaults(family))
        if (attributeValue(attributes, fallback.key).isNull())
            attributes.push_back(std::move(fallback));
}

} // namespace syncline::engine::warehouse
