#pragma once
// The one place where every built-in destination connector is registered.

namespace syncline::connectors {

void registerBuiltinConnectors();

} // namespace syncline::connectors
