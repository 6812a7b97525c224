#pragma once
// Everything a sync refers to, loaded together: the sync, its model, the model's source and
// the destination. Failure names the missing definition and how to add it.

#include "engine/core/error.h"
#include "engine/definitions/definitions.h"

namespace syncline::engine::state {
class Workspace;
}

namespace syncline::engine::sync {

struct SyncBundle
{
    qint64 syncId = 0;
    SyncDef sync;
    ModelDef model;
    SourceDef source;
    DestinationDef destination;
};

Result<SyncBundle> loadSyncBundle(state::Workspace &workspace, const QString &syncName);
// The name of the sync with row id `syncId` ("definitions.not_found" when it was removed).
Result<QString> syncNameById(state::Workspace &workspace, qint64 syncId);

} // namespace syncline::engine::sync
