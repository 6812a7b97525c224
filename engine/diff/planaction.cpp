#include "engine/diff/planaction.h"

namespace syncline::engine::diff {

using connector::Operation;
using state::DiffOp;

std::optional<Operation> actionFor(DiffOp op, SyncMode mode, RemovedRowAction onRemoved, bool knownToDestination)
{
    switch (op) {
    case DiffOp::Add:
        switch (mode) {
        case SyncMode::Upsert:
        case SyncMode::Mirror:
        case SyncMode::All:
            return Operation::Upsert;
        case SyncMode::InsertOnly:
            return Operation::Insert;
        case SyncMode::UpdateOnly:
            return knownToDestination ? std::optional(Operation::Update) : std::nullopt;
        }
        return std::nullopt;
    case DiffOp::Change:
        switch (mode) {
        case SyncMode::Upsert:
        case SyncMode::Mirror:
        case SyncMode::All:
            return Operation::Upsert;
        case SyncMode::UpdateOnly:
            return Operation::Update;
        case SyncMode::InsertOnly:
            return std::nullopt;
        }
        return std::nullopt;
    case DiffOp::Remove:
        switch (onRemoved) {
        case RemovedRowAction::Ignore:
            return std::nullopt;
        case RemovedRowAction::Clear:
            return Operation::Clear;
        case RemovedRowAction::Delete:
            return Operation::Delete;
        }
        return std::nullopt;
    case DiffOp::Unchanged:
        return mode == SyncMode::All ? std::optional(Operation::Upsert) : std::nullopt;
    }
    return std::nullopt;
}

} // namespace syncline::engine::diff
