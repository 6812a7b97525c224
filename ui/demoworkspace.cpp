#include "ui/demoworkspace.h"

#include "engine/demo/demowarehouse.h"
#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"

namespace syncline::ui {

using engine::Result;

Result<void> createDemoWorkspace(const QString &path)
{
    auto warehouse = engine::demo::ensureDemoWarehouse();
    if (!warehouse)
        return std::unexpected(warehouse.error());
    auto workspace = engine::state::Workspace::open(path);
    if (!workspace)
        return std::unexpected(workspace.error());
    engine::state::DefinitionStore store(**workspace);
    auto existing = store.source(QStringLiteral("demo"));
    if (!existing)
        return std::unexpected(existing.error());
    if (*existing)
        return {};
    engine::SourceDef source{QStringLiteral("demo"), engine::demo::demoConnectionString(*warehouse), {}};
    if (auto saved = store.saveSource(source); !saved)
        return saved;
    engine::ModelDef model{QStringLiteral("customers"), source.name,
                           QStringLiteral("select id, email, first_name, last_name, plan, country, seats, lifetime_value\n"
                                          "from customers\nwhere is_active = 1"),
                           {QStringLiteral("id")}};
    return store.saveModel(model);
}

} // namespace syncline::ui
