#pragma once
// The settings of a table destination (types postgresql, mariadb, sqlite): `connection`, an ODBC
// connection string without a password (for sqlite also a plain file path), the secret
// `password`, and `batch_size`. Read and checked when the connector is created.

#include "connectors/database/sqldialect.h"
#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"
#include "engine/secrets/secretresolver.h"

#include <optional>

namespace syncline::connectors::database {

struct TableSettings
{
    QString destination;             // the destination's name, for messages
    QString connection;              // ODBC connection string, never with a password
    std::optional<QString> password; // resolved from the `password` secret, when given
    int batchSize = 1000;

    // "database.settings" for a missing connection, a password written into it, a driver of
    // another database, or a bad batch_size; the secret's own error when it cannot be resolved.
    static engine::Result<TableSettings> fromDestination(const engine::DestinationDef &destination, const SqlDialect &dialect,
                                                         engine::SecretResolver &secrets);
    static std::vector<engine::connector::SettingSpec> schema(const SqlDialect &dialect);
};

} // namespace syncline::connectors::database
