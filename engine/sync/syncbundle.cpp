#include "engine/sync/syncbundle.h"

#include "engine/state/definitionstore.h"
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

namespace syncline::engine::sync {

namespace {
Error missing(const QString &what, const QString &name, const QString &owner)
{
    return Error{QStringLiteral("definitions.not_found"),
                 QStringLiteral("%1 '%2'%3 does not exist in this workspace; define it with 'syncline-cli import FILE.yaml'")
                     .arg(what, name, owner.isEmpty() ? QString() : QStringLiteral(" (used by %1)").arg(owner)),
                 false,
                 {}};
}
} // namespace

Result<SyncBundle> loadSyncBundle(state::Workspace &workspace, const QString &syncName)
{
    state::DefinitionStore definitions(workspace);
    SyncBundle bundle;
    auto sync = definitions.sync(syncName);
    if (!sync)
        return std::unexpected(sync.error());
    if (!*sync)
        return std::unexpected(missing(QStringLiteral("sync"), syncName, {}));
    bundle.sync = **sync;
    auto id = definitions.syncId(syncName);
    if (!id)
        return std::unexpected(id.error());
    bundle.syncId = *id;
    auto model = definitions.model(bundle.sync.model);
    if (!model)
        return std::unexpected(model.error());
    if (!*model)
        return std::unexpected(missing(QStringLiteral("model"), bundle.sync.model, QStringLiteral("sync '%1'").arg(syncName)));
    bundle.model = **model;
    auto source = definitions.source(bundle.model.source);
    if (!source)
        return std::unexpected(source.error());
    if (!*source)
        return std::unexpected(
            missing(QStringLiteral("source"), bundle.model.source, QStringLiteral("model '%1'").arg(bundle.model.name)));
    bundle.source = **source;
    auto destination = definitions.destination(bundle.sync.destination);
    if (!destination)
        return std::unexpected(destination.error());
    if (!*destination)
        return std::unexpected(missing(QStringLiteral("destination"), bundle.sync.destination,
                                       QStringLiteral("sync '%1'").arg(syncName)));
    bundle.destination = **destination;
    return bundle;
}

Result<QString> syncNameById(state::Workspace &workspace, qint64 syncId)
{
    auto s = state::SqliteStatement::prepare(workspace.handle(), QStringLiteral("SELECT name FROM syncs WHERE id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId);
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return fail(QStringLiteral("definitions.not_found"),
                    QStringLiteral("the sync of this plan (id %1) was removed from the workspace").arg(syncId));
    return s->text(0);
}

} // namespace syncline::engine::sync
