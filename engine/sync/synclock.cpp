#include "engine/sync/synclock.h"

#include "engine/schedule/leasestore.h"
#include "engine/state/workspace.h"

#include <QDateTime>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace syncline::engine::sync {

namespace {
qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

// The lease's own workspace connection is used by acquire(), then only by the heartbeat thread,
// then by the destructor after that thread has stopped: one thread at a time.
struct SyncLock::Lease
{
    std::unique_ptr<state::Workspace> workspace;
    qint64 syncId = 0;
    QString token;
    LeaseTiming timing;
    std::mutex mutex; // guards stopping and onLoss
    std::condition_variable wake;
    bool stopping = false;
    std::atomic<bool> lost{false};
    std::vector<CancellationToken> onLoss;
    std::thread heartbeat;

    void markLost()
    {
        std::vector<CancellationToken> tokens;
        {
            std::lock_guard lock(mutex);
            lost = true;
            tokens.swap(onLoss);
        }
        for (const CancellationToken &token : tokens)
            token.cancel();
    }

    // Renews once `heartbeat` has passed on the wall clock. Ticks at least every second, so after
    // a suspend (when a steady-clock wait would still be sleeping) it notices within a second
    // whether someone took the lease meanwhile.
    void beat()
    {
        schedule::LeaseStore leases(*workspace);
        const auto tick = std::min<std::chrono::milliseconds>(timing.heartbeat, std::chrono::seconds(1));
        qint64 renewedAt = nowMs();
        std::unique_lock lock(mutex);
        while (!wake.wait_for(lock, tick, [this] { return stopping; })) {
            if (nowMs() - renewedAt < timing.heartbeat.count() || lost)
                continue;
            lock.unlock();
            // A busy workspace (another writer) just means trying again at the next tick.
            auto renewed = leases.renew(syncId, token, nowMs(), timing.ttl.count());
            if (renewed && *renewed)
                renewedAt = nowMs();
            else if (renewed)
                markLost();
            lock.lock();
        }
    }

    ~Lease()
    {
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        wake.notify_all();
        if (heartbeat.joinable())
            heartbeat.join();
        if (workspace)
            (void)schedule::LeaseStore(*workspace).release(syncId, token);
    }
};

SyncLock::SyncLock(std::unique_ptr<Lease> lease) : m_lease(std::move(lease)) {}
SyncLock::SyncLock(SyncLock &&) noexcept = default;
SyncLock &SyncLock::operator=(SyncLock &&) noexcept = default;
SyncLock::~SyncLock() = default;

qint64 SyncLock::syncId() const
{
    return m_lease ? m_lease->syncId : 0;
}

bool SyncLock::lost() const
{
    return m_lease && m_lease->lost;
}

void SyncLock::cancelWhenLost(const CancellationToken &token) const
{
    if (!m_lease)
        return;
    {
        std::lock_guard lock(m_lease->mutex);
        if (!m_lease->lost) {
            m_lease->onLoss.push_back(token);
            return;
        }
    }
    token.cancel();
}

Result<SyncLock> SyncLock::acquire(const QString &workspacePath, qint64 syncId, const QString &syncName, LeaseTiming timing)
{
    auto workspace = state::Workspace::open(workspacePath, state::Workspace::OpenMode::MustExist);
    if (!workspace)
        return fail(QStringLiteral("sync.lock"),
                    QStringLiteral("cannot open the workspace %1 to take the lease of sync '%2': %3")
                        .arg(workspacePath, syncName, workspace.error().message));
    auto token = schedule::LeaseStore(**workspace).take(syncId, syncName, nowMs(), timing.ttl.count());
    if (!token)
        return std::unexpected(token.error());
    auto lease = std::make_unique<Lease>();
    lease->workspace = std::move(*workspace);
    lease->syncId = syncId;
    lease->token = *token;
    lease->timing = timing;
    lease->heartbeat = std::thread([raw = lease.get()] { raw->beat(); });
    return SyncLock(std::move(lease));
}

} // namespace syncline::engine::sync
