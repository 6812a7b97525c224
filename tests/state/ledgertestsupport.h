#pragma once
// Shared by the ledger and payload tests: the definitions a sync needs so the ledger's foreign
// keys hold, and recognisable payload hashes.

#include "engine/definitions/definitions.h"
#include "engine/mapping/mappedrow.h"
#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"

namespace syncline::engine::state::testing {

// A source, model, destination and sync named "s"; returns the sync's id, or -1.
inline qint64 defineSync(Workspace &workspace)
{
    DefinitionStore definitions(workspace);
    if (!definitions.saveSource(SourceDef{QStringLiteral("src"), QStringLiteral("Driver={SQLite3};Database=x.db"), {}})
        || !definitions.saveModel(ModelDef{QStringLiteral("m"), QStringLiteral("src"), QStringLiteral("select 1 as id"),
                                           {QStringLiteral("id")}})
        || !definitions.saveDestination(DestinationDef{QStringLiteral("d"), QStringLiteral("file"), {}, {}}))
        return -1;
    SyncDef sync;
    sync.name = QStringLiteral("s");
    sync.model = QStringLiteral("m");
    sync.destination = QStringLiteral("d");
    sync.object = QStringLiteral("o");
    sync.matchColumn = QStringLiteral("id");
    sync.matchField = QStringLiteral("id");
    if (!definitions.saveSync(sync))
        return -1;
    auto id = definitions.syncId(sync.name);
    return id ? *id : -1;
}

// A hash whose 16 bytes are all `c`.
inline mapping::PayloadHash hashOf(char c)
{
    mapping::PayloadHash hash{};
    hash.fill(static_cast<unsigned char>(c));
    return hash;
}

} // namespace syncline::engine::state::testing
