#pragma once
// The one place where every built-in destination connector is registered.

namespace syncline::engine::connector {
class ConnectorRegistry;
}

namespace syncline::connectors {

void registerBuiltinConnectors(engine::connector::ConnectorRegistry &registry);

} // namespace syncline::connectors
