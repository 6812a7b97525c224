#include "connectors/database/tablesettings.h"

#include "engine/warehouse/driverdefaults.h"

#include <QDir>
#include <QFileInfo>

namespace syncline::connectors::database {

using engine::fail;
using engine::Result;
using engine::connector::SettingSpec;
using engine::warehouse::DriverFamily;

namespace {

DriverFamily familyOf(Flavor flavor)
{
    switch (flavor) {
    case Flavor::PostgreSQL: return DriverFamily::PostgreSQL;
    case Flavor::MariaDB: return DriverFamily::MariaDB;
    case Flavor::SQLite: return DriverFamily::SQLite;
    }
    return DriverFamily::Unknown;
}

QString example(Flavor flavor)
{
    switch (flavor) {
    case Flavor::PostgreSQL: return QStringLiteral("Driver={PostgreSQL Unicode};Server=db.example.com;Port=5432;Database=crm;Uid=syncline");
    case Flavor::MariaDB: return QStringLiteral("Driver={MariaDB Unicode};Server=db.example.com;Port=3306;Database=crm;Uid=syncline");
    case Flavor::SQLite: return QStringLiteral("/home/me/crm.sqlite or Driver={SQLite3};Database=/home/me/crm.sqlite");
    }
    return {};
}

} // namespace

std::vector<SettingSpec> TableSettings::schema(const SqlDialect &dialect)
{
    SettingSpec connection;
    connection.key = QStringLiteral("connection");
    connection.label = QStringLiteral("Connection");
    connection.type = SettingSpec::Type::Text;
    connection.required = true;
    connection.help = QStringLiteral("ODBC connection string or DSN, without a password (e.g. %1)").arg(example(dialect.flavor()));
    SettingSpec password;
    password.key = QStringLiteral("password");
    password.label = QStringLiteral("Password");
    password.type = SettingSpec::Type::Secret;
    password.help = QStringLiteral("The database user's password, from the keychain or an environment variable");
    SettingSpec batch;
    batch.key = QStringLiteral("batch_size");
    batch.label = QStringLiteral("Batch size");
    batch.type = SettingSpec::Type::Integer;
    batch.defaultValue = 1000;
    batch.help = QStringLiteral("Records per transaction (1 to 10000)");
    if (dialect.flavor() == Flavor::SQLite)
        return {connection, batch};
    return {connection, password, batch};
}

Result<TableSettings> TableSettings::fromDestination(const engine::DestinationDef &destination, const SqlDialect &dialect,
                                                     engine::SecretResolver &secrets)
{
    TableSettings settings;
    settings.destination = destination.name;
    QString connection = destination.settings.value(QStringLiteral("connection")).toString().trimmed();
    if (connection.isEmpty())
        return fail(QStringLiteral("database.settings"),
                    QStringLiteral("Destination '%1' has no connection: set it to an ODBC connection string such as %2")
                        .arg(destination.name, example(dialect.flavor())));
    if (engine::connectionStringHasPassword(connection))
        return fail(QStringLiteral("database.settings"),
                    QStringLiteral("The connection of destination '%1' contains a password (Pwd= or Password=); remove it "
                                   "and give the password as the destination's secret 'password' (keychain or env)")
                        .arg(destination.name));
    if (dialect.flavor() == Flavor::SQLite && !connection.contains(QLatin1Char('='))) {
        QString path = connection;
        if (path == QLatin1String("~") || path.startsWith(QStringLiteral("~/")))
            path = QDir::homePath() + path.mid(1);
        const QFileInfo file(path);
        if (!file.absoluteDir().exists())
            return fail(QStringLiteral("database.settings"),
                        QStringLiteral("The folder of the SQLite file '%1' (destination '%2') does not exist; create it or "
                                       "change the connection")
                            .arg(file.absoluteFilePath(), destination.name));
        connection = QStringLiteral("Driver={SQLite3};Database=") + engine::warehouse::braceQuoted(file.absoluteFilePath())
                   + QLatin1Char(';');
    }
    auto attributes = engine::warehouse::parseConnectionString(connection);
    if (!attributes)
        return fail(QStringLiteral("database.settings"),
                    QStringLiteral("The connection of destination '%1' is not a valid ODBC string: %2")
                        .arg(destination.name, attributes.error().message));
    const DriverFamily family = engine::warehouse::recogniseDriver(*attributes);
    if (family != DriverFamily::Unknown && family != familyOf(dialect.flavor()))
        return fail(QStringLiteral("database.settings"),
                    QStringLiteral("Destination '%1' is of type %2 but its connection names a %3 driver; use a %2 driver "
                                   "(e.g. %4) or change the destination's type")
                        .arg(destination.name, dialect.id(), engine::warehouse::driverFamilyName(family), example(dialect.flavor())));
    if (dialect.flavor() == Flavor::PostgreSQL && engine::warehouse::attributeValue(*attributes, QStringLiteral("Protocol")).isNull()) {
        // psqlODBC rolls the whole transaction back when a statement fails unless told not to
        // (Protocol=7.4-0: "no rollback on errors"); the writer rolls back to its own savepoint.
        attributes->push_back({QStringLiteral("Protocol"), QStringLiteral("7.4-0")});
        connection = engine::warehouse::buildConnectionString(*attributes);
    }
    settings.connection = connection;

    const QVariant batch = destination.settings.value(QStringLiteral("batch_size"));
    if (batch.isValid()) {
        bool ok = false;
        settings.batchSize = batch.toInt(&ok);
        if (!ok || settings.batchSize < 1 || settings.batchSize > 10000)
            return fail(QStringLiteral("database.settings"),
                        QStringLiteral("Destination '%1' has batch_size '%2'; use a whole number from 1 to 10000")
                            .arg(destination.name, batch.toString()));
    }
    const auto secret = destination.secrets.constFind(QStringLiteral("password"));
    if (secret != destination.secrets.constEnd() && secret->kind != engine::SecretRef::Kind::None) {
        auto password = secrets.resolve(*secret);
        if (!password)
            return std::unexpected(password.error());
        settings.password = *password;
    }
    return settings;
}

} // namespace syncline::connectors::database
