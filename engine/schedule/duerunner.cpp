#include "engine/schedule/duerunner.h"

#include "engine/connector/connectorregistry.h"
#include "engine/schedule/schedulestatus.h"
#include "engine/schedule/schedulestore.h"
#include "engine/state/workspace.h"
#include "engine/sync/syncbundle.h"
#include "engine/sync/synclock.h"
#include "engine/sync/syncrunner.h"

namespace syncline::engine::schedule {

QString dueOutcomeName(DueOutcome::Kind kind)
{
    switch (kind) {
    case DueOutcome::Kind::Ran: return QStringLiteral("ran");
    case DueOutcome::Kind::NotDue: return QStringLiteral("not-due");
    case DueOutcome::Kind::Busy: return QStringLiteral("busy");
    case DueOutcome::Kind::PutOff: return QStringLiteral("put-off");
    case DueOutcome::Kind::Blocked: return QStringLiteral("blocked");
    case DueOutcome::Kind::Refused: return QStringLiteral("refused");
    }
    return QString();
}

Result<std::vector<DueOutcome>> DueRunner::runAllDue(const CancellationToken &cancellation)
{
    auto statuses = scheduleStatuses(m_services.workspace, m_clock.now(), m_zone);
    if (!statuses)
        return std::unexpected(statuses.error());
    std::vector<DueOutcome> outcomes;
    for (const SyncScheduleStatus &status : *statuses) {
        if (cancellation.isCancelled())
            break;
        if (!status.runsNow())
            continue;
        DueOutcome outcome = runIfDue(status.syncName, cancellation);
        if (outcome.kind != DueOutcome::Kind::NotDue)
            outcomes.push_back(std::move(outcome));
    }
    return outcomes;
}

DueOutcome DueRunner::runIfDue(const QString &syncName, const CancellationToken &cancellation)
{
    DueOutcome outcome;
    outcome.syncName = syncName;
    auto refused = [&](const Error &error) {
        outcome.kind = DueOutcome::Kind::Refused;
        outcome.message = error.toString();
        return outcome;
    };
    auto bundle = sync::loadSyncBundle(m_services.workspace, syncName);
    if (!bundle)
        return refused(bundle.error());
    auto lock = sync::SyncLock::acquire(m_services.workspace.path(), bundle->syncId, syncName);
    if (!lock) {
        if (lock.error().code != QLatin1String("sync.running"))
            return refused(lock.error());
        outcome.kind = DueOutcome::Kind::Busy;
        outcome.message = lock.error().message;
        return outcome;
    }
    // Under the lease nobody else can start this sync, so this answer holds until we are done.
    const QDateTime now = m_clock.now();
    auto status = scheduleStatus(m_services.workspace, syncName, now, m_zone);
    if (!status)
        return refused(status.error());
    if (!status->runsNow())
        return outcome;
    outcome.trigger = status->check.trigger;

    ScheduleStore store(m_services.workspace);
    auto putOff = [&](const Error &error) {
        outcome.kind = DueOutcome::Kind::PutOff;
        outcome.message = error.toString();
        auto state = store.putOff(bundle->syncId, now.toMSecsSinceEpoch(), outcome.message);
        if (state)
            outcome.nextAttemptAtMs = state->nextAttemptAtMs.value_or(0);
        return outcome;
    };
    auto attempted = [&](DueOutcome::Kind kind) {
        outcome.kind = kind;
        (void)store.recordAttempt(bundle->syncId, now.toMSecsSinceEpoch());
        return outcome;
    };

    // Can the destination be reached? Only a retryable answer (no network, a server down) puts
    // the run off; anything else is left for the run itself to report.
    if (auto destination = m_services.connectors.create(bundle->destination, m_services.secrets); !destination) {
        if (destination.error().retryable)
            return putOff(destination.error());
    } else if (auto object = (*destination)->object(bundle->sync.object); !object && object.error().retryable) {
        return putOff(object.error());
    }

    sync::PlanOptions planOptions;
    planOptions.cancellation = cancellation;
    sync::ApplyOptions applyOptions;
    applyOptions.cancellation = cancellation;
    applyOptions.trigger = outcome.trigger;
    auto result = sync::SyncRunner(m_services).runHolding(*lock, syncName, planOptions, applyOptions);
    if (!result) {
        // Nothing was sent and no run recorded. The warehouse out of reach is put off.
        if (result.error().retryable && !cancellation.isCancelled())
            return putOff(result.error());
        outcome.message = result.error().toString();
        if (cancellation.isCancelled()) { // stopped, not refused: still due next time
            outcome.kind = DueOutcome::Kind::Refused;
            return outcome;
        }
        return attempted(DueOutcome::Kind::Refused);
    }
    if (!result->run) {
        outcome.message = result->plan.guardrail;
        return attempted(DueOutcome::Kind::Blocked);
    }
    outcome.run = *result->run;
    return attempted(DueOutcome::Kind::Ran);
}

} // namespace syncline::engine::schedule
