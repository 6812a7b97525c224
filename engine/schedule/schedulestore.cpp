#include "engine/schedule/schedulestore.h"

#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <algorithm>

namespace syncline::engine::schedule {

using state::SqliteStatement;

qint64 ScheduleStore::backoffMs(int putOffs)
{
    const int doublings = std::clamp(putOffs - 1, 0, 6);
    return std::min<qint64>(60'000LL << doublings, 3'600'000LL);
}

Result<ScheduleState> ScheduleStore::state(qint64 syncId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("SELECT last_attempt_at, next_attempt_at, put_offs, last_error "
                                                     "FROM schedule_state WHERE sync_id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId);
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    ScheduleState state;
    if (*row) {
        if (!s->isNull(0))
            state.lastAttemptAtMs = s->int64(0);
        if (!s->isNull(1))
            state.nextAttemptAtMs = s->int64(1);
        state.putOffs = int(s->int64(2));
        state.lastError = s->text(3);
    }
    return state;
}

Result<void> ScheduleStore::recordAttempt(qint64 syncId, qint64 atMs)
{
    auto s = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("INSERT INTO schedule_state (sync_id, last_attempt_at, next_attempt_at, put_offs, last_error) "
                       "VALUES (?1, ?2, NULL, 0, '') ON CONFLICT (sync_id) DO UPDATE SET "
                       "last_attempt_at = max(coalesce(last_attempt_at, 0), ?2), next_attempt_at = NULL, put_offs = 0, "
                       "last_error = ''"));
    if (!s)
        return std::unexpected(s.error());
    return s->bind(1, syncId).bind(2, atMs).run();
}

Result<ScheduleState> ScheduleStore::putOff(qint64 syncId, qint64 nowMs, const QString &error)
{
    ScheduleState next;
    auto done = m_workspace.transaction([&]() -> Result<void> {
        auto current = state(syncId);
        if (!current)
            return std::unexpected(current.error());
        next = *current;
        next.putOffs = current->putOffs + 1;
        next.nextAttemptAtMs = nowMs + backoffMs(next.putOffs);
        next.lastError = error;
        auto s = SqliteStatement::prepare(
            m_workspace.handle(),
            QStringLiteral("INSERT INTO schedule_state (sync_id, next_attempt_at, put_offs, last_error) VALUES (?1, ?2, ?3, ?4) "
                           "ON CONFLICT (sync_id) DO UPDATE SET next_attempt_at = ?2, put_offs = ?3, last_error = ?4"));
        if (!s)
            return std::unexpected(s.error());
        return s->bind(1, syncId).bind(2, *next.nextAttemptAtMs).bind(3, qint64(next.putOffs)).bind(4, error).run();
    });
    if (!done)
        return std::unexpected(done.error());
    return next;
}

} // namespace syncline::engine::schedule
