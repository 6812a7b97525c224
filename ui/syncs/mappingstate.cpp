#include "ui/syncs/mappingstate.h"

#include <QStringList>

#include <algorithm>

namespace syncline::ui {

using engine::MappingEntry;

const MappingEntry *MappingState::entryFor(const QString &field) const
{
    auto found = std::find_if(entries.begin(), entries.end(), [&](const MappingEntry &e) { return e.field == field; });
    return found == entries.end() ? nullptr : &*found;
}

MappingEntry *MappingState::entryFor(const QString &field)
{
    auto found = std::find_if(entries.begin(), entries.end(), [&](const MappingEntry &e) { return e.field == field; });
    return found == entries.end() ? nullptr : &*found;
}

void MappingState::put(MappingEntry entry)
{
    if (MappingEntry *existing = entryFor(entry.field))
        *existing = std::move(entry);
    else
        entries.push_back(std::move(entry));
}

bool MappingState::remove(const QString &field)
{
    const auto before = entries.size();
    std::erase_if(entries, [&](const MappingEntry &e) { return e.field == field; });
    if (field == matchField) {
        matchColumn.clear();
        matchField.clear();
        matchListed = false;
    }
    return entries.size() != before;
}

QStringList MappingState::fieldsFedBy(const QString &column) const
{
    QStringList fields;
    for (const MappingEntry &entry : entries) {
        if (entry.kind == MappingEntry::SourceKind::Column && entry.column == column)
            fields << entry.field;
    }
    return fields;
}

std::vector<MappingEntry> MappingState::definitionEntries() const
{
    std::vector<MappingEntry> out;
    out.reserve(entries.size());
    for (const MappingEntry &entry : entries) {
        const bool isMatchLine = hasMatch() && entry.field == matchField
            && entry.kind == MappingEntry::SourceKind::Column && entry.column == matchColumn;
        if (isMatchLine && !matchListed && entry.cast.isEmpty())
            continue; // the engine puts the match field first from the match column
        out.push_back(entry);
    }
    return out;
}

MappingState MappingState::fromSync(const engine::SyncDef &sync)
{
    MappingState state;
    state.matchColumn = sync.matchColumn;
    state.matchField = sync.matchField;
    if (state.matchField.isEmpty() || state.matchColumn.isEmpty()) {
        state.matchColumn.clear();
        state.matchField.clear();
    } else {
        // The engine fills the match field first; show it as the first connection.
        const bool listed = std::any_of(sync.mapping.begin(), sync.mapping.end(), [&](const MappingEntry &e) {
            return e.field == sync.matchField && e.kind == MappingEntry::SourceKind::Column
                && e.column == sync.matchColumn;
        });
        state.matchListed = listed;
        if (!listed)
            state.entries.push_back(MappingEntry::fromColumn(sync.matchColumn, sync.matchField));
    }
    for (const MappingEntry &entry : sync.mapping) {
        if (!state.entryFor(entry.field))
            state.entries.push_back(entry);
    }
    return state;
}

} // namespace syncline::ui
