#include "engine/schedule/leasestore.h"

#include "engine/schedule/processalive.h"
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QCoreApplication>
#include <QSysInfo>
#include <QUuid>

#include <sqlite3.h>

namespace syncline::engine::schedule {

using state::SqliteStatement;

QString LeaseStore::thisHost()
{
    return QSysInfo::machineHostName();
}

Result<std::optional<LeaseHolder>> LeaseStore::holder(qint64 syncId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("SELECT token, pid, host, acquired_at, expires_at FROM sync_leases "
                                                     "WHERE sync_id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId);
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return std::optional<LeaseHolder>();
    return std::optional<LeaseHolder>(LeaseHolder{s->text(0), s->int64(1), s->text(2), s->int64(3), s->int64(4)});
}

Result<QString> LeaseStore::take(qint64 syncId, const QString &syncName, qint64 nowMs, qint64 ttlMs)
{
    const QString token = QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto taken = m_workspace.transaction([&]() -> Result<void> {
        auto current = holder(syncId);
        if (!current)
            return std::unexpected(current.error());
        if (*current) {
            const LeaseHolder &held = **current;
            const bool crashed = held.host == thisHost() && !processExists(held.pid);
            if (held.expiresAtMs > nowMs && !crashed)
                return fail(QStringLiteral("sync.running"),
                            QStringLiteral("sync '%1' is already running (pid %2%3); wait for it to finish")
                                .arg(syncName)
                                .arg(held.pid)
                                .arg(held.host == thisHost() ? QString() : QStringLiteral(" on %1").arg(held.host)),
                            true, {{QStringLiteral("pid"), QString::number(held.pid)}, {QStringLiteral("host"), held.host}});
        }
        auto s = SqliteStatement::prepare(m_workspace.handle(),
                                          QStringLiteral("INSERT OR REPLACE INTO sync_leases (sync_id, token, pid, host, "
                                                         "acquired_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
        if (!s)
            return std::unexpected(s.error());
        return s->bind(1, syncId)
            .bind(2, token)
            .bind(3, qint64(QCoreApplication::applicationPid()))
            .bind(4, thisHost())
            .bind(5, nowMs)
            .bind(6, nowMs + ttlMs)
            .run();
    });
    if (!taken)
        return std::unexpected(taken.error());
    return token;
}

Result<bool> LeaseStore::renew(qint64 syncId, const QString &token, qint64 nowMs, qint64 ttlMs)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("UPDATE sync_leases SET expires_at = ?3 WHERE sync_id = ?1 AND token = ?2"));
    if (!s)
        return std::unexpected(s.error());
    if (auto ok = s->bind(1, syncId).bind(2, token).bind(3, nowMs + ttlMs).run(); !ok)
        return std::unexpected(ok.error());
    return sqlite3_changes(m_workspace.handle()) > 0;
}

Result<void> LeaseStore::release(qint64 syncId, const QString &token)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("DELETE FROM sync_leases WHERE sync_id = ?1 AND token = ?2"));
    if (!s)
        return std::unexpected(s.error());
    return s->bind(1, syncId).bind(2, token).run();
}

} // namespace syncline::engine::schedule
