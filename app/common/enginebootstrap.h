#pragma once
// The one engine bootstrap the CLI and the GUI share: opens a workspace and owns the services a
// sync needs (the connector registry with every built-in connector, the secret resolvers,
// a diagnostics sink). Links engine + connectors, never ui/. Thread: the thread that created it.

#include "engine/connector/connectorregistry.h"
#include "engine/core/diagnosticsink.h"
#include "engine/core/error.h"
#include "engine/secrets/compositesecretresolver.h"
#include "engine/secrets/envsecretresolver.h"
#include "engine/secrets/keychainsecretresolver.h"
#include "engine/state/workspace.h"
#include "engine/sync/engineservices.h"

#include <memory>

namespace syncline::app {

class EngineBootstrap
{
public:
    // Opens (creating when missing) the workspace at `workspacePath`, or the default one when empty.
    static engine::Result<std::unique_ptr<EngineBootstrap>> open(const QString &workspacePath, engine::DiagnosticSink &diagnostics,
                                                         engine::state::Workspace::OpenMode mode
                                                         = engine::state::Workspace::OpenMode::CreateIfMissing);

    engine::state::Workspace &workspace() { return *m_workspace; }
    const engine::connector::ConnectorRegistry &connectors() const { return m_connectors; }
    engine::SecretResolver &secrets() { return m_secrets; }
    engine::sync::EngineServices services() { return {*m_workspace, m_connectors, m_secrets, m_diagnostics}; }

private:
    EngineBootstrap(std::unique_ptr<engine::state::Workspace> workspace, engine::DiagnosticSink &diagnostics);

    std::unique_ptr<engine::state::Workspace> m_workspace;
    engine::connector::ConnectorRegistry m_connectors;
    engine::secrets::EnvSecretResolver m_env;
    engine::secrets::KeychainSecretResolver m_keychain;
    engine::secrets::CompositeSecretResolver m_secrets;
    engine::DiagnosticSink &m_diagnostics;
};

} // namespace syncline::app
