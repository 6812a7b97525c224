#pragma once
// RowBatch's storage: the buffers a QueryCursor binds with column-wise block fetch, kept per
// column and reused from batch to batch (no allocation per cell). Internal to engine/warehouse.

#include "engine/warehouse/column.h"
#include "engine/warehouse/rowbatch.h"

#include <sql.h>
#include <sqlext.h>

#include <string>
#include <string_view>
#include <vector>

namespace syncline::engine::warehouse {

struct ColumnBuffer
{
    ColumnKind kind = ColumnKind::Text;
    SQLSMALLINT cType = SQL_C_CHAR; // what the cell is bound as
    SQLLEN width = 0;               // bytes per cell in `data`
    bool longData = false;          // may be truncated by the cap: check indicators after a fetch
    std::vector<char> data;         // rows * width, as the driver wrote it
    std::vector<SQLLEN> indicators; // byte length or SQL_NULL_DATA, per row
    // Text-like kinds: each row's UTF-8 (or raw bytes), pointing into `data`, `arena` or `longValues`.
    std::vector<std::string_view> views;
    std::string arena;                   // converted cells (UTF-16 -> UTF-8, timestamps -> ISO text)
    std::vector<std::string> longValues; // values longer than the bound cell, fetched with SQLGetData

    const char *cell(int row) const { return data.data() + size_t(row) * size_t(width); }
    char *cell(int row) { return data.data() + size_t(row) * size_t(width); }
};

struct RowBatch::Storage
{
    std::vector<Column> columns;
    std::vector<ColumnBuffer> buffers;
    int rowCount = 0;
    const void *layoutOwner = nullptr; // the cursor whose layout the buffers have
};

} // namespace syncline::engine::warehouse
