#include "connectors/builtinconnectors.h"

#include "connectors/database/tabledestination.h"
#include "connectors/file/filedestination.h"
#include "engine/connector/connectorregistry.h"

namespace syncline::connectors {

void registerBuiltinConnectors(engine::connector::ConnectorRegistry &registry)
{
    registry.add(file::FileDestination::connectorType());
    registry.add(database::TableDestination::connectorType(database::Flavor::PostgreSQL));
    registry.add(database::TableDestination::connectorType(database::Flavor::MariaDB));
    registry.add(database::TableDestination::connectorType(database::Flavor::SQLite));
}

} // namespace syncline::connectors
