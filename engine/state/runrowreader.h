#pragma once
// Reads one run's per-row outcomes for the app's run detail and its CSV export: a page at a time
// (keyset pagination in the table's key order, so a page costs the same at row 10 and at row
// 1,000,000), optionally only keys containing a text and only rejected rows.
// Thread: the workspace's thread.

#include "engine/core/error.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace syncline::engine::state {

class Workspace;

struct RunRow
{
    qint64 keyHash = 0;    // with key, the position a page continues from
    std::string key;
    qint64 seq = 0;        // the plan row's seq
    QString operation;     // upsert, update, insert, delete, clear
    bool accepted = false;
    QString error;
    QString destinationId;
};

struct RunRowFilter
{
    QString keyContains;   // empty: every key (ASCII letters compared without case)
    bool rejectedOnly = false;
};

class RunRowReader
{
public:
    explicit RunRowReader(Workspace &workspace) : m_workspace(workspace) {}

    // Up to `limit` rows after `after` (the last row of the previous page; unset: from the start).
    Result<std::vector<RunRow>> page(qint64 runId, const RunRowFilter &filter, const std::optional<RunRow> &after,
                                     int limit);
    // Every matching row in page order, until `visit` fails.
    Result<void> forEach(qint64 runId, const RunRowFilter &filter, const std::function<Result<void>(const RunRow &)> &visit);
    // How many rows match.
    Result<qint64> count(qint64 runId, const RunRowFilter &filter);

private:
    Workspace &m_workspace;
};

} // namespace syncline::engine::state
