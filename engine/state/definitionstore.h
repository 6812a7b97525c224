#pragma once
// Reads and writes the user's definitions (sources, models, destinations, syncs) in a workspace.
// Names are unique per kind. Saving an existing name replaces it (an upsert) and keeps its id,
// so ledgers, plans and runs that refer to it stay attached. Removing something that others
// depend on fails with "definitions.in_use" naming the dependants.
// Validation (unknown source of a model, empty primary key, ...) fails with "definitions.invalid"
// and a message that names the definition and the field.

#include "engine/core/error.h"
#include "engine/definitions/definitions.h"

#include <optional>
#include <vector>

namespace syncline::engine::state {

class Workspace;

class DefinitionStore
{
public:
    explicit DefinitionStore(Workspace &workspace);

    Result<std::vector<SourceDef>> sources();
    Result<std::optional<SourceDef>> source(const QString &name);
    Result<void> saveSource(const SourceDef &source);
    Result<void> removeSource(const QString &name);

    Result<std::vector<ModelDef>> models();
    Result<std::optional<ModelDef>> model(const QString &name);
    Result<void> saveModel(const ModelDef &model);
    Result<void> removeModel(const QString &name);

    Result<std::vector<DestinationDef>> destinations();
    Result<std::optional<DestinationDef>> destination(const QString &name);
    Result<void> saveDestination(const DestinationDef &destination);
    Result<void> removeDestination(const QString &name);

    Result<std::vector<SyncDef>> syncs();
    Result<std::optional<SyncDef>> sync(const QString &name);
    Result<void> saveSync(const SyncDef &sync);
    Result<void> removeSync(const QString &name);

    // The row id of a sync (ledgers, plans and runs refer to it); "definitions.not_found" if absent.
    Result<qint64> syncId(const QString &name);

    // What an import did to one definition.
    struct ImportChange
    {
        enum class Action { Created, Updated, Unchanged };
        QString kind; // "source", "model", "destination", "sync"
        QString name;
        Action action = Action::Unchanged;
    };
    // Saves every definition of the bundle (sources, models, destinations, syncs in that order) in one
    // transaction: all or nothing. Same name replaces; definitions not in the bundle stay.
    // On failure the error's details "kind" and "name" say which definition was refused.
    Result<std::vector<ImportChange>> importDefinitions(const Definitions &definitions);
    // Everything in the workspace, each kind sorted by name.
    Result<Definitions> exportDefinitions();

private:
    Result<void> readAll(Definitions &definitions);
    Workspace &m_workspace;
};

} // namespace syncline::engine::state
