#include "engine/sync/batchprefetcher.h"

#include <chrono>

namespace syncline::engine::sync {

BatchPrefetcher::BatchPrefetcher(warehouse::QueryCursor &cursor, int depth) : m_cursor(cursor), m_slots(size_t(depth))
{
    for (int i = 0; i < depth; ++i)
        m_free.push_back(i);
    m_thread = std::thread([this] { produce(); });
}

BatchPrefetcher::~BatchPrefetcher()
{
    bool running = false;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        running = !m_done;
    }
    m_changed.notify_all();
    if (running)
        m_cursor.cancel(); // unblocks a fetch waiting on the server
    m_thread.join();
}

void BatchPrefetcher::produce()
{
    for (;;) {
        int slot = -1;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return m_stop || !m_free.empty(); });
            if (m_stop)
                break;
            slot = m_free.front();
            m_free.pop_front();
        }
        const auto start = std::chrono::steady_clock::now();
        auto more = m_cursor.fetch(m_slots[size_t(slot)]);
        m_fetchNs += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
        std::lock_guard lock(m_mutex);
        if (!more)
            m_error = more.error();
        if (!more || !*more) {
            m_filled.push_back(-1);
            break;
        }
        m_filled.push_back(slot);
        m_changed.notify_all();
    }
    std::lock_guard lock(m_mutex);
    m_done = true;
    m_changed.notify_all();
}

Result<const warehouse::RowBatch *> BatchPrefetcher::next()
{
    std::unique_lock lock(m_mutex);
    if (m_handedOut >= 0) {
        m_free.push_back(m_handedOut);
        m_handedOut = -1;
        m_changed.notify_all();
    }
    m_changed.wait(lock, [this] { return !m_filled.empty() || m_done; });
    if (m_filled.empty() || m_filled.front() < 0) {
        if (m_error)
            return std::unexpected(*m_error);
        return nullptr;
    }
    m_handedOut = m_filled.front();
    m_filled.pop_front();
    return &m_slots[size_t(m_handedOut)];
}

} // namespace syncline::engine::sync
