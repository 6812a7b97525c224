#pragma once
// The services a plan, an apply or a reset needs, passed in by the composition root (the CLI
// or the GUI, through app/common's bootstrap). Non-owning references; all used from the
// thread that runs the sync, except the registry, which is read-only and shareable.

#include "engine/core/diagnosticsink.h"

namespace syncline::engine {
class SecretResolver;
namespace connector {
class ConnectorRegistry;
}
namespace state {
class Workspace;
}
} // namespace syncline::engine

namespace syncline::engine::sync {

struct EngineServices
{
    state::Workspace &workspace;
    const connector::ConnectorRegistry &connectors;
    SecretResolver &secrets;
    DiagnosticSink &diagnostics;
};

} // namespace syncline::engine::sync
