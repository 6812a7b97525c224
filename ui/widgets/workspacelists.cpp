#include "ui/widgets/workspacelists.h"

#include "engine/state/definitionstore.h"
#include "engine/state/runstore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

namespace syncline::ui {

using engine::Result;
using engine::state::DefinitionStore;
using Rows = DefinitionListPage::Rows;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("syncline::ui::WorkspaceLists", text);
}

constexpr int kRunsShown = 200;

} // namespace

Result<Rows> destinationRows(engine::state::Workspace &workspace)
{
    auto defs = DefinitionStore(workspace).destinations();
    if (!defs)
        return std::unexpected(defs.error());
    Rows rows;
    for (const auto &d : *defs)
        rows.push_back({d.name, d.type});
    return rows;
}

Result<Rows> syncRows(engine::state::Workspace &workspace)
{
    auto defs = DefinitionStore(workspace).syncs();
    if (!defs)
        return std::unexpected(defs.error());
    Rows rows;
    for (const auto &s : *defs)
        rows.push_back({s.name, s.model, s.destination + QStringLiteral(" / ") + s.object, engine::syncModeName(s.mode),
                        s.schedule.isEmpty() ? tr("manual") : s.schedule});
    return rows;
}

Result<Rows> runRows(engine::state::Workspace &workspace)
{
    DefinitionStore definitions(workspace);
    auto syncs = definitions.syncs();
    if (!syncs)
        return std::unexpected(syncs.error());
    QHash<qint64, QString> names;
    for (const auto &sync : *syncs)
        if (auto id = definitions.syncId(sync.name))
            names.insert(*id, sync.name);
    auto runs = engine::state::RunStore(workspace).runs(std::nullopt, kRunsShown);
    if (!runs)
        return std::unexpected(runs.error());
    const QLocale locale;
    Rows rows;
    for (const auto &run : *runs) {
        const QString started = locale.toString(QDateTime::fromMSecsSinceEpoch(run.startedAtMs), QLocale::ShortFormat);
        const QString took = run.finishedAtMs > run.startedAtMs
                                 ? tr("%1 s").arg(locale.toString((run.finishedAtMs - run.startedAtMs) / 1000.0, 'f', 1))
                                 : QString();
        rows.push_back({started, names.value(run.syncId, tr("(removed sync)")), run.status,
                        locale.toString(run.counts.planned), locale.toString(run.counts.accepted),
                        locale.toString(run.counts.rejected), took, engine::state::runTriggerName(run.trigger), run.error});
    }
    return rows;
}

} // namespace syncline::ui
