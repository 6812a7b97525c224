#pragma once
// Keeps two processes (the app, a scheduled syncline-cli) from applying one sync at once:
// a lock file next to the workspace ("<workspace>.sync-<id>.lock") holding the owner's pid.
// A lock left by a process that died (crash, SIGKILL) is taken over. Released on destruction.

#include "engine/core/error.h"

#include <QString>

#include <memory>

class QLockFile;

namespace syncline::engine::sync {

class SyncLock
{
public:
    // "sync.running" ("sync 'x' is already running (pid N)") when another live process holds it.
    static Result<SyncLock> acquire(const QString &workspacePath, qint64 syncId, const QString &syncName);
    SyncLock(SyncLock &&) noexcept;
    SyncLock &operator=(SyncLock &&) noexcept;
    ~SyncLock();

private:
    explicit SyncLock(std::unique_ptr<QLockFile> file);
    std::unique_ptr<QLockFile> m_file;
};

} // namespace syncline::engine::sync
