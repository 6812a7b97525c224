#pragma once

#include <QThreadPool>

namespace syncline::ui {

// The pool for the UI's warehouse work (previews, key checks, catalog loads, connection tests).
// Separate from the global pool so long-running cursors never starve Qt's own tasks; tasks
// hold blocking ODBC calls, so the pool is wider than the core count.
QThreadPool &backgroundPool();

} // namespace syncline::ui
