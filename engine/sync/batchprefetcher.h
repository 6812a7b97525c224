#pragma once
// Reads a query's blocks on a thread of its own, a couple of blocks ahead of the consumer, so
// extraction (the driver's network reads and parsing) overlaps mapping and diffing.
// Thread: construct, call next() and destroy from one thread; the cursor is used only by the
// prefetch thread until destruction, which stops it (cancelling a fetch still running).

#include "engine/core/error.h"
#include "engine/warehouse/querycursor.h"
#include "engine/warehouse/rowbatch.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace syncline::engine::sync {

class BatchPrefetcher
{
public:
    explicit BatchPrefetcher(warehouse::QueryCursor &cursor, int depth = 3);
    ~BatchPrefetcher();
    BatchPrefetcher(const BatchPrefetcher &) = delete;
    BatchPrefetcher &operator=(const BatchPrefetcher &) = delete;

    // The next block, valid until the next call; nullptr at the end of the result.
    Result<const warehouse::RowBatch *> next();
    // Time the prefetch thread spent inside fetch().
    qint64 fetchNs() const { return m_fetchNs.load(); }

private:
    void produce();

    warehouse::QueryCursor &m_cursor;
    std::vector<warehouse::RowBatch> m_slots;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<int> m_free;
    std::deque<int> m_filled;       // -1 marks the end
    std::optional<Error> m_error;
    int m_handedOut = -1;
    bool m_stop = false;
    bool m_done = false;
    std::atomic<qint64> m_fetchNs{0};
    std::thread m_thread;
};

} // namespace syncline::engine::sync
