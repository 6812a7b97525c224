#pragma once
// Builds a RowBatch from plain values, without a driver: for tests and benchmarks of the code
// that reads batches (mapping, diff). Cells are stored exactly as a QueryCursor stores them
// (typed buffers for integer/real/boolean, UTF-8 text views for every other kind).
// Thread: a builder is a plain value; build() may be called any number of times.

#include "engine/warehouse/column.h"
#include "engine/warehouse/rowbatch.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace syncline::engine::warehouse {

class RowBatchBuilder
{
public:
    // NULL, or the value in the form the column's kind is read with (Integer: int64_t,
    // Real: double, Boolean: bool, every other kind: its text, e.g. "2024-03-01", "-12.50").
    using Cell = std::variant<std::monostate, std::int64_t, double, bool, std::string>;

    explicit RowBatchBuilder(std::vector<Column> columns);

    // Appends a row; `cells` has one entry per column. A cell whose type does not fit the
    // column's kind is stored as NULL.
    RowBatchBuilder &addRow(std::vector<Cell> cells);
    void clearRows();
    int rowCount() const { return static_cast<int>(m_rows.size()); }

    RowBatch build() const;
    // Refills `batch` in place (reusing its buffers), as a cursor's fetch does.
    void fill(RowBatch &batch) const;

    // Columns named and kinded in one go: column(QStringLiteral("id"), ColumnKind::Integer).
    static Column column(const QString &name, ColumnKind kind);

private:
    std::vector<Column> m_columns;
    std::vector<std::vector<Cell>> m_rows;
};

} // namespace syncline::engine::warehouse
