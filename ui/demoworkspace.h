#pragma once

#include "engine/core/error.h"

#include <QString>

namespace syncline::ui {

// Creates the first-start workspace at `path`: the embedded demo warehouse as source "demo"
// and a sample model "customers" keyed on id. Leaves an existing workspace's definitions alone.
// Runs on the workspace thread (file work).
engine::Result<void> createDemoWorkspace(const QString &path);

} // namespace syncline::ui
