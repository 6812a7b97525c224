#include "app/common/enginebootstrap.h"

#include "connectors/builtinconnectors.h"

#include <QDir>
#include <QFileInfo>

namespace syncline::app {

EngineBootstrap::EngineBootstrap(std::unique_ptr<engine::state::Workspace> workspace, engine::DiagnosticSink &diagnostics)
    : m_workspace(std::move(workspace))
    , m_secrets(m_env, m_keychain)
    , m_diagnostics(diagnostics)
{
    connectors::registerBuiltinConnectors(m_connectors);
}

engine::Result<std::unique_ptr<EngineBootstrap>> EngineBootstrap::open(const QString &workspacePath,
                                                               engine::DiagnosticSink &diagnostics,
                                                               engine::state::Workspace::OpenMode mode)
{
    const QString path = workspacePath.isEmpty() ? engine::state::Workspace::defaultPath() : workspacePath;
    if (mode == engine::state::Workspace::OpenMode::CreateIfMissing)
        QDir().mkpath(QFileInfo(path).absolutePath());
    auto workspace = engine::state::Workspace::open(path, mode);
    if (!workspace)
        return std::unexpected(workspace.error());
    return std::unique_ptr<EngineBootstrap>(new EngineBootstrap(std::move(*workspace), diagnostics));
}

} // namespace syncline::app
