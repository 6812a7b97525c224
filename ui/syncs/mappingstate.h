#pragma once

#include "engine/definitions/definitions.h"

#include <QString>

#include <optional>
#include <vector>

namespace syncline::ui {

// The user's mapping as one plain value: what every undo command saves before and after.
// Invariants kept by MappingDocument's commands: at most one entry per field; when a match key
// is set, an entry "matchColumn -> matchField" (a column entry) exists.
struct MappingState
{
    std::vector<engine::MappingEntry> entries; // in the order the payload lists them
    QString matchColumn;
    QString matchField;
    // The loaded sync listed its match as a mapping line: keep it there so the payload's field
    // order (and so its hash in the ledger) does not change on a save without edits.
    bool matchListed = false;
    bool operator==(const MappingState &) const = default;

    bool hasMatch() const { return !matchField.isEmpty(); }
    const engine::MappingEntry *entryFor(const QString &field) const;
    engine::MappingEntry *entryFor(const QString &field);
    // Replaces the entry for `entry.field` in place, or appends it.
    void put(engine::MappingEntry entry);
    // Removes the entry for `field`; clears the match when `field` is the match field.
    bool remove(const QString &field);
    // The fields a column feeds directly (column entries only), in entry order.
    QStringList fieldsFedBy(const QString &column) const;

    // What the sync definition holds: the mapping lines, without the match line when the engine
    // adds it (first in the payload) by itself.
    std::vector<engine::MappingEntry> definitionEntries() const;
    static MappingState fromSync(const engine::SyncDef &sync);
};

} // namespace syncline::ui
