#pragma once
// The scheduler's memory per sync (table schedule_state): when it last attempted a run (even one
// that made no run: a blocked plan, a refusal), and the backoff after attempts it put off because
// the warehouse or destination could not be reached. Thread: the workspace's thread.

#include "engine/core/error.h"

#include <QString>

#include <optional>

namespace syncline::engine::state {
class Workspace;
}

namespace syncline::engine::schedule {

struct ScheduleState
{
    std::optional<qint64> lastAttemptAtMs;
    std::optional<qint64> nextAttemptAtMs; // put off until then
    int putOffs = 0;                       // consecutive attempts put off
    QString lastError;
};

class ScheduleStore
{
public:
    explicit ScheduleStore(state::Workspace &workspace) : m_workspace(workspace) {}

    Result<ScheduleState> state(qint64 syncId);
    // An attempt that was not put off: remembers when, forgets any backoff.
    Result<void> recordAttempt(qint64 syncId, qint64 atMs);
    // Puts the sync off: 1 minute after the first failure to reach it, doubling up to an hour.
    // Returns the state with the next attempt time.
    Result<ScheduleState> putOff(qint64 syncId, qint64 nowMs, const QString &error);

    static qint64 backoffMs(int putOffs);

private:
    state::Workspace &m_workspace;
};

} // namespace syncline::engine::schedule
