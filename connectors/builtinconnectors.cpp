#include "connectors/builtinconnectors.h"

#include "engine/connector/connectorregistry.h"

namespace syncline::connectors {

void registerBuiltinConnectors(engine::connector::ConnectorRegistry &registry)
{
    (void)registry;
}

} // namespace syncline::connectors
