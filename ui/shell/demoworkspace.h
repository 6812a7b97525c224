#pragma once

#include "engine/core/error.h"

#include <QString>

namespace syncline::ui {

// Creates (or completes) the first-start workspace at `path` with the engine's demo definitions:
// the embedded demo warehouse as a source, a customers model, a CSV destination and a sync.
// Runs on the workspace thread (file work).
engine::Result<void> createDemoWorkspace(const QString &path);

} // namespace syncline::ui
