#include "engine/sync/worklane.h"

#include <algorithm>
#include <cerrno>
#include <utility>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace syncline::engine::sync {

WorkLane::WorkLane() : m_thread([this] { loop(); }) {}

WorkLane::~WorkLane()
{
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return !m_busy; });
        m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

void WorkLane::run(std::function<void()> job)
{
    {
        std::lock_guard lock(m_mutex);
        m_job = std::move(job);
        m_busy = true;
    }
    m_changed.notify_all();
}

void WorkLane::wait()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_busy; });
}

void WorkLane::loop()
{
#ifdef __linux__
    // Background work: on a busy machine the owner's thread (and whatever it waits on) goes
    // first, so the lane fills idle time instead of delaying the critical path.
    const auto tid = id_t(syscall(SYS_gettid));
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, tid);
    if (errno == 0)
        (void)setpriority(PRIO_PROCESS, tid, std::min(nice + 5, 19));
#endif
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return m_stop || (m_busy && m_job); });
            if (m_stop)
                return;
            job = std::move(m_job);
            m_job = nullptr;
        }
        job();
        job = nullptr; // its captures go before the owner hears it is done
        {
            std::lock_guard lock(m_mutex);
            m_busy = false;
        }
        m_changed.notify_all();
    }
}

} // namespace syncline::engine::sync
