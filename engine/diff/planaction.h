#pragma once
// Which connector operation, if any, a sync's mode sends for a row the diff classified.
// Documented choices: "update" sends changes of keys the destination already has and skips keys
// it never accepted (it updates existing records only, like Hightouch's update mode); "insert"
// sends new keys only and skips changes; removed rows follow the sync's on_removed action.

#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"
#include "engine/state/planstore.h"

#include <optional>

namespace syncline::engine::diff {

// knownToDestination: the ledger has a payload the destination accepted for this key earlier
// (e.g. before a full resync or a clear), so the record exists there.
std::optional<connector::Operation> actionFor(state::DiffOp op, SyncMode mode, RemovedRowAction onRemoved,
                                              bool knownToDestination);

} // namespace syncline::engine::diff
