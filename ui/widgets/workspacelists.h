#pragma once

#include "ui/widgets/definitionlistpage.h"

namespace syncline::ui {

// Rows for the read-only list pages; each runs on the workspace thread.
engine::Result<DefinitionListPage::Rows> destinationRows(engine::state::Workspace &workspace);
engine::Result<DefinitionListPage::Rows> syncRows(engine::state::Workspace &workspace);
engine::Result<DefinitionListPage::Rows> runRows(engine::state::Workspace &workspace);

} // namespace syncline::ui
