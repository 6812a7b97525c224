#include "ui/syncs/syncengine.h"

#include "connectors/builtinconnectors.h"

namespace syncline::ui {

void SyncEngine::Diagnostics::report(engine::Severity severity, const QString &where, const QString &message)
{
    qInfo("%s: %s", qPrintable(where), qPrintable(message));
    if (severity == engine::Severity::Info)
        return;
    QMutexLocker lock(&m_mutex);
    if (m_warnings.size() < 50)
        m_warnings << where + QStringLiteral(": ") + message;
}

QStringList SyncEngine::Diagnostics::warnings() const
{
    QMutexLocker lock(&m_mutex);
    return m_warnings;
}

engine::Result<std::unique_ptr<SyncEngine>> SyncEngine::open(const QString &workspacePath,
                                                             std::shared_ptr<engine::SecretResolver> secrets)
{
    auto workspace = engine::state::Workspace::open(workspacePath, engine::state::Workspace::OpenMode::MustExist);
    if (!workspace)
        return std::unexpected(workspace.error());
    std::unique_ptr<SyncEngine> engine(new SyncEngine);
    engine->m_workspace = std::move(*workspace);
    connectors::registerBuiltinConnectors(engine->m_connectors);
    engine->m_secrets = std::move(secrets);
    engine->m_composite = std::make_unique<engine::secrets::CompositeSecretResolver>(
        engine->m_env, engine->m_secrets ? *engine->m_secrets : static_cast<engine::SecretResolver &>(engine->m_env));
    return engine;
}

} // namespace syncline::ui
