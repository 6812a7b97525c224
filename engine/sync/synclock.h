#pragma once
// Keeps two processes (the app, a scheduled syncline-cli) or two threads from planning, applying
// or resetting one sync at once: a lease in the workspace (table sync_leases) held through its own
// connection, renewed by a heartbeat thread while held, freed on destruction. A lease left by a
// process that crashed is taken over: at once when the holder was on this host, otherwise once it
// expires (no heartbeat for `ttl`). A holder that finds its lease taken (it was suspended past
// the ttl, e.g. a laptop asleep mid-run) cancels the tokens given to cancelWhenLost(), so its run
// stops at the next batch instead of running beside the new holder.

#include "engine/core/cancellation.h"
#include "engine/core/error.h"

#include <QString>

#include <chrono>
#include <memory>

namespace syncline::engine::sync {

struct LeaseTiming
{
    std::chrono::milliseconds ttl{60000};       // a holder silent this long has lost the lease
    std::chrono::milliseconds heartbeat{15000}; // how often the holder renews it
};

class SyncLock
{
public:
    // "sync.running" ("sync 'x' is already running (pid N)") when another live holder has it.
    static Result<SyncLock> acquire(const QString &workspacePath, qint64 syncId, const QString &syncName,
                                    LeaseTiming timing = {});
    SyncLock(SyncLock &&) noexcept;
    SyncLock &operator=(SyncLock &&) noexcept;
    ~SyncLock();

    qint64 syncId() const;
    // True once a heartbeat found the lease taken by someone else (this process stalled past the ttl).
    bool lost() const;
    // Cancels `token` if the lease is lost (at once when it already is).
    void cancelWhenLost(const CancellationToken &token) const;

    struct Lease;

private:
    explicit SyncLock(std::unique_ptr<Lease> lease);
    std::unique_ptr<Lease> m_lease;
};

} // namespace syncline::engine::sync
