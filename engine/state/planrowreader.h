#pragma once
// Reads a frozen plan's rows one kind at a time, a page at a time, for the app's diff preview:
// rows of one DiffOp in seq order after a given seq, optionally only keys containing a text,
// each with its before and after payloads. Never the whole plan at once.
// Thread: the workspace's thread.

#include "engine/core/error.h"
#include "engine/state/planstore.h"

#include <QString>

#include <vector>

namespace syncline::engine::state {

class Workspace;

class PlanRowReader
{
public:
    explicit PlanRowReader(Workspace &workspace) : m_workspace(workspace) {}

    // Up to `limit` rows of kind `op` with seq > afterSeq, in seq order. `keyContains`, when not
    // empty, keeps the keys that contain it (ASCII letters compared without case).
    Result<std::vector<PlanRow>> page(qint64 planId, DiffOp op, qint64 afterSeq, int limit,
                                      const QString &keyContains = {});

private:
    Workspace &m_workspace;
};

} // namespace syncline::engine::state
