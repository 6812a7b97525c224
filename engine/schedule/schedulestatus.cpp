#include "engine/schedule/schedulestatus.h"

#include "engine/state/definitionstore.h"
#include "engine/state/runstore.h"
#include "engine/state/workspace.h"

#include <algorithm>

namespace syncline::engine::schedule {

namespace {

Result<SyncScheduleStatus> statusOf(state::Workspace &workspace, qint64 syncId, const SyncDef &sync, const QDateTime &now,
                                    const QTimeZone &zone)
{
    SyncScheduleStatus status;
    status.syncId = syncId;
    status.syncName = sync.name;
    auto parsed = Schedule::parse(sync.schedule);
    if (parsed)
        status.schedule = *parsed;
    else
        status.scheduleError = parsed.error().message;
    auto lastRun = state::RunStore(workspace).lastStartedAt(syncId);
    if (!lastRun)
        return std::unexpected(lastRun.error());
    auto state = ScheduleStore(workspace).state(syncId);
    if (!state)
        return std::unexpected(state.error());
    status.state = *state;
    std::optional<qint64> last = *lastRun;
    if (state->lastAttemptAtMs)
        last = std::max(last.value_or(0), *state->lastAttemptAtMs);
    if (last)
        status.lastStart = QDateTime::fromMSecsSinceEpoch(*last, Qt::UTC);
    if (status.schedule)
        status.check = checkDue(*status.schedule, status.lastStart, now, zone);
    status.putOff = status.check.due && state->nextAttemptAtMs && *state->nextAttemptAtMs > now.toMSecsSinceEpoch();
    return status;
}

} // namespace

Result<SyncScheduleStatus> scheduleStatus(state::Workspace &workspace, const QString &syncName, const QDateTime &now,
                                          const QTimeZone &zone)
{
    state::DefinitionStore definitions(workspace);
    auto sync = definitions.sync(syncName);
    if (!sync)
        return std::unexpected(sync.error());
    if (!*sync)
        return fail(QStringLiteral("definitions.not_found"),
                    QStringLiteral("there is no sync '%1' in this workspace; list them with 'syncline-cli export'").arg(syncName));
    auto id = definitions.syncId(syncName);
    if (!id)
        return std::unexpected(id.error());
    return statusOf(workspace, *id, **sync, now, zone);
}

Result<std::vector<SyncScheduleStatus>> scheduleStatuses(state::Workspace &workspace, const QDateTime &now,
                                                         const QTimeZone &zone)
{
    state::DefinitionStore definitions(workspace);
    auto syncs = definitions.syncs();
    if (!syncs)
        return std::unexpected(syncs.error());
    std::sort(syncs->begin(), syncs->end(), [](const SyncDef &a, const SyncDef &b) { return a.name < b.name; });
    std::vector<SyncScheduleStatus> statuses;
    for (const SyncDef &sync : *syncs) {
        auto id = definitions.syncId(sync.name);
        if (!id)
            return std::unexpected(id.error());
        auto status = statusOf(workspace, *id, sync, now, zone);
        if (!status)
            return std::unexpected(status.error());
        statuses.push_back(std::move(*status));
    }
    return statuses;
}

} // namespace syncline::engine::schedule
