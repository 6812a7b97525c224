#pragma once
// Runs due syncs once each, the way both 'syncline-cli run-due' and the app's scheduler do: per
// sync it takes the sync's lease, checks again that the sync is still due (another process may
// have just run it), checks that the destination can be reached, then plans and applies. A sync
// whose warehouse or destination cannot be reached (a retryable failure before anything was
// sent) is put off with backoff instead of being recorded as a failed run.
// Thread: the caller's; the services' workspace belongs to that thread.

#include "engine/core/cancellation.h"
#include "engine/schedule/clock.h"
#include "engine/state/runstore.h"
#include "engine/sync/engineservices.h"

#include <QDateTime>
#include <QTimeZone>

#include <optional>
#include <vector>

namespace syncline::engine::schedule {

struct DueOutcome
{
    enum class Kind {
        Ran,      // a run was recorded (whatever its status)
        NotDue,   // not due (any more), or put off and still waiting
        Busy,     // another process or thread holds the sync's lease
        PutOff,   // could not reach the warehouse or destination; retried after nextAttemptAtMs
        Blocked,  // a guardrail blocked the plan; nothing was sent
        Refused,  // another error before anything was sent (a bad definition, a missing secret)
    };
    QString syncName;
    Kind kind = Kind::NotDue;
    state::RunTrigger trigger = state::RunTrigger::Schedule;
    std::optional<state::RunInfo> run;
    QString message;             // why it was put off, blocked or refused
    qint64 nextAttemptAtMs = 0;  // PutOff
};

QString dueOutcomeName(DueOutcome::Kind kind); // ran, not-due, busy, put-off, blocked, refused

class DueRunner
{
public:
    DueRunner(sync::EngineServices services, const Clock &clock, QTimeZone zone)
        : m_services(services), m_clock(clock), m_zone(std::move(zone))
    {
    }

    // Every sync that is due now, once, in name order; syncs not due are left out.
    Result<std::vector<DueOutcome>> runAllDue(const CancellationToken &cancellation = {});
    // The named sync when it is due now.
    DueOutcome runIfDue(const QString &syncName, const CancellationToken &cancellation = {});

private:
    sync::EngineServices m_services;
    const Clock &m_clock;
    QTimeZone m_zone;
};

} // namespace syncline::engine::schedule
