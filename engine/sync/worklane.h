#pragma once
// A thread of its own that runs its owner's jobs one at a time: run() hands a job over and
// returns at once, wait() returns when it is done. The runner lands a batch and reads the next
// one here while the destination delivers, on one thread for the whole run (not one per batch,
// which costs a thread start and a fresh malloc cache each time).
// Thread: construct, run(), wait() and destroy from one thread; the destructor waits for a job
// still running. A job must not throw.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace syncline::engine::sync {

class WorkLane
{
public:
    WorkLane();
    ~WorkLane();
    WorkLane(const WorkLane &) = delete;
    WorkLane &operator=(const WorkLane &) = delete;

    // Starts `job` on the lane's thread; the previous job must have been waited for.
    void run(std::function<void()> job);
    // Returns once the job given to run() has finished (at once when there is none).
    void wait();

private:
    void loop();

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::function<void()> m_job;
    bool m_busy = false;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace syncline::engine::sync
