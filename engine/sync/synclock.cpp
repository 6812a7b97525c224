#include "engine/sync/synclock.h"

#include <QLockFile>

namespace syncline::engine::sync {

SyncLock::SyncLock(std::unique_ptr<QLockFile> file) : m_file(std::move(file)) {}
SyncLock::SyncLock(SyncLock &&) noexcept = default;
SyncLock &SyncLock::operator=(SyncLock &&) noexcept = default;
SyncLock::~SyncLock() = default; // QLockFile unlocks on destruction

Result<SyncLock> SyncLock::acquire(const QString &workspacePath, qint64 syncId, const QString &syncName)
{
    const QString path = workspacePath + QStringLiteral(".sync-%1.lock").arg(syncId);
    auto file = std::make_unique<QLockFile>(path);
    // Staleness by age would let a long run be taken over; only a dead owner makes it stale.
    file->setStaleLockTime(0);
    if (file->tryLock(0))
        return SyncLock(std::move(file));
    if (file->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString application;
        file->getLockInfo(&pid, &host, &application);
        return fail(QStringLiteral("sync.running"),
                    QStringLiteral("sync '%1' is already running (pid %2); wait for it to finish").arg(syncName).arg(pid),
                    true, {{QStringLiteral("pid"), QString::number(pid)}});
    }
    return fail(QStringLiteral("sync.lock"),
                QStringLiteral("cannot create the lock file %1 for sync '%2'; check that its folder is writable")
                    .arg(path, syncName));
}

} // namespace syncline::engine::sync
