#pragma once

#include "engine/connector/connectorregistry.h"
#include "engine/core/diagnosticsink.h"
#include "engine/core/error.h"
#include "engine/secrets/compositesecretresolver.h"
#include "engine/secrets/envsecretresolver.h"
#include "engine/secrets/secretresolver.h"
#include "engine/state/workspace.h"
#include "engine/sync/engineservices.h"

#include <QMutex>
#include <QStringList>

#include <memory>

namespace syncline::ui {

// A private engine for one plan, send or export in a background thread: its own connection to
// the workspace file (SQLite WAL lets it work beside the WorkspaceService's), the built-in
// connectors and the app's secrets, so a long plan or send never holds the workspace thread.
// Create, use and destroy it in that one thread.
class SyncEngine
{
public:
    // Environment references resolve from the environment and keychain references through
    // `secrets` (the app's keychain), as in the CLI; `secrets` may be null: environment only.
    static engine::Result<std::unique_ptr<SyncEngine>> open(const QString &workspacePath,
                                                            std::shared_ptr<engine::SecretResolver> secrets);

    engine::state::Workspace &workspace() { return *m_workspace; }
    engine::sync::EngineServices services() { return {*m_workspace, m_connectors, *m_composite, m_diagnostics}; }
    // The engine's warnings so far (a retried batch, an inspector write that failed).
    QStringList warnings() const { return m_diagnostics.warnings(); }

private:
    class Diagnostics final : public engine::DiagnosticSink
    {
    public:
        void report(engine::Severity severity, const QString &where, const QString &message) override;
        QStringList warnings() const;

    private:
        mutable QMutex m_mutex;
        QStringList m_warnings;
    };

    SyncEngine() = default;

    std::unique_ptr<engine::state::Workspace> m_workspace;
    engine::connector::ConnectorRegistry m_connectors;
    engine::secrets::EnvSecretResolver m_env;
    std::shared_ptr<engine::SecretResolver> m_secrets; // keychain references
    std::unique_ptr<engine::secrets::CompositeSecretResolver> m_composite;
    Diagnostics m_diagnostics;
};

} // namespace syncline::ui
