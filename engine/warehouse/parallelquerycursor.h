#pragma once
// One stream of rows read over several connections at once: each part's query (keysplit.h) runs
// on a connection and thread of its own, fetching a block ahead, and fetch() hands out the next
// block any part has ready (blocks of different parts interleave; rows are not ordered).
// Memory stays bounded: two blocks per part plus the caller's. The first failure of any part
// stops every part and is what fetch() returns, its message naming the failing connection.
// Thread: fetch() from one thread; cancel() from any. Part 0 runs on the connection given to
// open(), which must outlive the cursor and not be used meanwhile; the others open their own.

#include "engine/core/cancellation.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/querycursor.h"

#include <memory>
#include <vector>

namespace syncline::engine::warehouse {

class ParallelQueryCursor final : public QueryCursor
{
public:
    // Starts every part and returns once all have their columns (or the first has failed).
    static Result<std::unique_ptr<QueryCursor>> open(OdbcConnection &first, const ConnectionSpec &spec,
                                                     const std::vector<QString> &queries, const QueryOptions &options);
    ~ParallelQueryCursor() override;

    const std::vector<Column> &columns() const override;
    Result<bool> fetch(RowBatch &batch) override;
    void cancel() override;
    qint64 rowsFetched() const override;

    struct Shared;

private:
    explicit ParallelQueryCursor(std::shared_ptr<Shared> shared);
    void stop();

    std::shared_ptr<Shared> m_shared;
};

} // namespace syncline::engine::warehouse
