#pragma once

#include "engine/core/error.h"
#include "engine/state/runrowreader.h"

#include <QString>

namespace syncline::ui {

// Writes one run's per-row outcomes (those `filter` keeps) to a CSV file: a header line
// key,operation,outcome,error,record_id, then one line per row, RFC 4180 quoting, UTF-8.
// Opens its own connection to the workspace, so it may run in any background thread; the file
// appears whole or not at all (QSaveFile). Returns the number of rows written.
engine::Result<qint64> exportRunCsv(const QString &workspacePath, qint64 runId, const engine::state::RunRowFilter &filter,
                                    const QString &csvPath);

// One CSV field, quoted when it holds a comma, a quote or a line break.
QString csvField(const QString &value);

} // namespace syncline::ui
