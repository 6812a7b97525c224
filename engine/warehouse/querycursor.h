#pragma once
// A running query whose rows are read block by block (column-wise block fetch).
// Thread: fetch() from the owning thread; cancel() from any thread ends a running
// query within a second (SQLCancel). Destroying the cursor closes the statement.

#include "engine/core/error.h"
#include "engine/warehouse/column.h"
#include "engine/warehouse/rowbatch.h"

#include <memory>
#include <vector>

namespace syncline::engine::warehouse {

class QueryCursor
{
public:
    virtual ~QueryCursor() = default;
    virtual const std::vector<Column> &columns() const = 0;
    // Fills `batch` with the next block. Returns false at the end of the result.
    // A cancelled query fails with code "query.cancelled".
    virtual Result<bool> fetch(RowBatch &batch) = 0;
    virtual void cancel() = 0;
    virtual qint64 rowsFetched() const = 0;
};

} // namespace syncline::engine::warehouse
