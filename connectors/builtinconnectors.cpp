#include "connectors/builtinconnectors.h"

#include "connectors/file/filedestination.h"
#include "engine/connector/connectorregistry.h"

namespace syncline::connectors {

void registerBuiltinConnectors(engine::connector::ConnectorRegistry &registry)
{
    registry.add(file::FileDestination::connectorType());
}

} // namespace syncline::connectors
