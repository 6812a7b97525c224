#pragma once
// The sync_leases table: at most one holder per sync, across processes and machines sharing a
// workspace. A lease is free when absent, past its expiry, or held by a process of this host that
// no longer exists (a crash). Each call is one short transaction on the given connection.
// Thread: the workspace's thread.

#include "engine/core/error.h"

#include <QString>

#include <optional>

namespace syncline::engine::state {
class Workspace;
}

namespace syncline::engine::schedule {

struct LeaseHolder
{
    QString token;
    qint64 pid = 0;
    QString host;
    qint64 acquiredAtMs = 0;
    qint64 expiresAtMs = 0;
};

class LeaseStore
{
public:
    explicit LeaseStore(state::Workspace &workspace) : m_workspace(workspace) {}

    // The new lease's token; "sync.running" ("sync 'x' is already running (pid N)") when a live
    // holder has it.
    Result<QString> take(qint64 syncId, const QString &syncName, qint64 nowMs, qint64 ttlMs);
    // Moves the expiry on; false when the lease is no longer this token's (it expired and was taken).
    Result<bool> renew(qint64 syncId, const QString &token, qint64 nowMs, qint64 ttlMs);
    Result<void> release(qint64 syncId, const QString &token);
    Result<std::optional<LeaseHolder>> holder(qint64 syncId);

    static QString thisHost();

private:
    state::Workspace &m_workspace;
};

} // namespace syncline::engine::schedule
