#include "engine/warehouse/parallelquerycursor.h"

#include "engine/warehouse/modelquery.h"
#include "engine/warehouse/rowbatchstorage.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace syncline::engine::warehouse {

namespace {
constexpr int kSlotsPerPart = 2;
}

struct ParallelQueryCursor::Shared
{
    struct Part
    {
        std::array<RowBatch, kSlotsPerPart> blocks;
        std::deque<int> free{0, 1};
        std::thread thread;
    };

    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::unique_ptr<Part>> parts;
    std::deque<std::pair<int, int>> ready; // (part, slot) holding a block for the consumer
    std::vector<Column> columns;
    int described = 0; // parts whose query runs and whose columns are known
    int running = 0;   // parts whose thread has not finished
    bool stopped = false;
    std::optional<Error> error;
    CancellationToken stopAll; // every part's query is registered on it
    CancellationToken::Registration callerCancel;
    std::atomic<qint64> rows{0};

    // Keeps the first failure (naming its connection) and stops the other parts.
    void failed(int part, Error error)
    {
        {
            std::lock_guard lock(mutex);
            if (!this->error && !stopped) {
                if (error.code != QLatin1String("query.cancelled")) {
                    error.message = QStringLiteral("Reading the model over %1 connections: connection %2 of %1 failed: %3")
                                        .arg(parts.size())
                                        .arg(part + 1)
                                        .arg(error.message);
                    error.details.insert(QStringLiteral("connection"), QString::number(part + 1));
                }
                this->error = std::move(error);
            }
            changed.notify_all();
        }
        stopAll.cancel();
    }

    // A cancel: every part stops, and fetch() says so at once (even while no part is fetching).
    void cancelAll()
    {
        {
            std::lock_guard lock(mutex);
            if (!error && !stopped)
                error = Error{QStringLiteral("query.cancelled"), QStringLiteral("The query was cancelled")};
            changed.notify_all();
        }
        stopAll.cancel();
    }

    void run(int index, OdbcConnection *first, ConnectionSpec spec, QString sql, QueryOptions options)
    {
        std::unique_ptr<OdbcConnection> own;
        std::unique_ptr<QueryCursor> cursor; // destroyed before `own`
        Part &part = *parts[size_t(index)];
        auto finish = [this] {
            std::lock_guard lock(mutex);
            --running;
            changed.notify_all();
        };
        OdbcConnection *connection = first;
        if (!connection) {
            auto opened = OdbcConnection::open(spec);
            if (!opened) {
                failed(index, opened.error());
                return finish();
            }
            own = std::move(*opened);
            connection = own.get();
        }
        if (stopAll.isCancelled())
            return finish();
        auto executed = openModelQuery(*connection, spec, sql, options); // COPY for PostgreSQL
        if (!executed) {
            failed(index, executed.error());
            return finish();
        }
        cursor = std::move(*executed);
        bool matches = true;
        {
            std::lock_guard lock(mutex);
            if (described == 0)
                columns = cursor->columns();
            else
                matches = sameColumns(cursor->columns());
            if (matches)
                ++described;
            changed.notify_all();
        }
        if (!matches) {
            failed(index, Error{QStringLiteral("query.parallel_columns"),
                                QStringLiteral("its query returned other columns than the first connection's; the model "
                                               "must return the same columns every time it runs")});
            cursor.reset();
            return finish();
        }
        for (;;) {
            int slot = -1;
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return stopped || error || !part.free.empty(); });
                if (stopped || error)
                    break;
                slot = part.free.front();
                part.free.pop_front();
            }
            auto more = cursor->fetch(part.blocks[size_t(slot)]);
            if (!more) {
                failed(index, more.error());
                break;
            }
            if (!*more)
                break;
            rows += part.blocks[size_t(slot)].rowCount();
            std::lock_guard lock(mutex);
            ready.emplace_back(index, slot);
            changed.notify_all();
        }
        cursor.reset();
        finish();
    }

    bool sameColumns(const std::vector<Column> &other) const
    {
        if (other.size() != columns.size())
            return false;
        for (size_t c = 0; c < other.size(); ++c)
            if (other[c].name != columns[c].name || other[c].kind != columns[c].kind)
                return false;
        return true;
    }
};

ParallelQueryCursor::ParallelQueryCursor(std::shared_ptr<Shared> shared) : m_shared(std::move(shared)) {}

ParallelQueryCursor::~ParallelQueryCursor() { stop(); }

void ParallelQueryCursor::stop()
{
    m_shared->callerCancel.reset();
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->stopped = true;
        m_shared->changed.notify_all();
    }
    m_shared->stopAll.cancel(); // unblocks a fetch waiting on the server
    for (auto &part : m_shared->parts)
        if (part->thread.joinable())
            part->thread.join();
}

Result<std::unique_ptr<QueryCursor>> ParallelQueryCursor::open(OdbcConnection &first, const ConnectionSpec &spec,
                                                               const std::vector<QString> &queries,
                                                               const QueryOptions &options)
{
    auto shared = std::make_shared<Shared>();
    const int count = int(queries.size());
    for (int i = 0; i < count; ++i)
        shared->parts.push_back(std::make_unique<Shared::Part>());
    QueryOptions partOptions = options;
    partOptions.limit.reset();
    partOptions.cancellation = shared->stopAll;
    partOptions.rowsetSize = std::max(1024, options.rowsetSize / std::max(1, count));
    std::unique_ptr<ParallelQueryCursor> cursor(new ParallelQueryCursor(shared));
    shared->callerCancel = options.cancellation.onCancel([weak = std::weak_ptr<Shared>(shared)] {
        if (auto alive = weak.lock())
            alive->cancelAll();
    });
    shared->running = count;
    for (int i = 0; i < count; ++i)
        shared->parts[size_t(i)]->thread = std::thread(
            [raw = shared.get(), i, connection = i == 0 ? &first : nullptr, spec, sql = queries[size_t(i)], partOptions] {
                raw->run(i, connection, spec, sql, partOptions);
            });
    std::unique_lock lock(shared->mutex);
    shared->changed.wait(lock, [&] { return shared->error || shared->described == count || shared->running == 0; });
    if (shared->error) {
        Error error = *shared->error;
        lock.unlock();
        cursor.reset(); // stops and joins every part
        return std::unexpected(error);
    }
    if (shared->described < count) { // only a stop without an error: the caller cancelled
        lock.unlock();
        return fail(QStringLiteral("query.cancelled"), QStringLiteral("The query was cancelled"));
    }
    lock.unlock();
    return std::unique_ptr<QueryCursor>(std::move(cursor));
}

const std::vector<Column> &ParallelQueryCursor::columns() const { return m_shared->columns; }

Result<bool> ParallelQueryCursor::fetch(RowBatch &batch)
{
    Shared &shared = *m_shared;
    std::unique_lock lock(shared.mutex);
    shared.changed.wait(lock, [&] { return shared.error || !shared.ready.empty() || shared.running == 0; });
    if (shared.error)
        return std::unexpected(*shared.error);
    if (shared.ready.empty()) {
        batch.storage().rowCount = 0;
        if (batch.storage().columns.empty())
            batch.storage().columns = shared.columns;
        return false;
    }
    const auto [part, slot] = shared.ready.front();
    shared.ready.pop_front();
    // The caller takes the filled block; its old one becomes the part's free slot.
    std::swap(batch, shared.parts[size_t(part)]->blocks[size_t(slot)]);
    shared.parts[size_t(part)]->free.push_back(slot);
    shared.changed.notify_all();
    return true;
}

void ParallelQueryCursor::cancel() { m_shared->cancelAll(); }

qint64 ParallelQueryCursor::rowsFetched() const { return m_shared->rows.load(); }

} // namespace syncline::engine::warehouse
