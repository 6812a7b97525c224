#include "ui/shell/demoworkspace.h"

#include "engine/demo/demoworkspace.h"
#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"

namespace syncline::ui {

engine::Result<void> createDemoWorkspace(const QString &path)
{
    auto workspace = engine::state::Workspace::open(path);
    if (!workspace)
        return std::unexpected(workspace.error());
    engine::state::DefinitionStore store(**workspace);
    return engine::demo::installDemoDefinitions(store, engine::demo::defaultDemoExportFolder());
}

} // namespace syncline::ui
