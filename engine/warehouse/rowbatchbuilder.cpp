#include "engine/warehouse/rowbatchbuilder.h"

#include "engine/warehouse/rowbatchstorage.h"

#include <cstring>

namespace syncline::engine::warehouse {

RowBatchBuilder::RowBatchBuilder(std::vector<Column> columns) : m_columns(std::move(columns)) {}

Column RowBatchBuilder::column(const QString &name, ColumnKind kind)
{
    Column column;
    column.name = name;
    column.kind = kind;
    column.typeName = columnKindName(kind);
    return column;
}

RowBatchBuilder &RowBatchBuilder::addRow(std::vector<Cell> cells)
{
    cells.resize(m_columns.size());
    m_rows.push_back(std::move(cells));
    return *this;
}

void RowBatchBuilder::clearRows()
{
    m_rows.clear();
}

RowBatch RowBatchBuilder::build() const
{
    RowBatch batch;
    fill(batch);
    return batch;
}

void RowBatchBuilder::fill(RowBatch &batch) const
{
    RowBatch::Storage &storage = batch.storage();
    storage.columns = m_columns;
    storage.rowCount = static_cast<int>(m_rows.size());
    storage.layoutOwner = this;
    storage.buffers.resize(m_columns.size());
    const size_t rows = m_rows.size();
    for (size_t c = 0; c < m_columns.size(); ++c) {
        ColumnBuffer &buffer = storage.buffers[c];
        buffer.kind = m_columns[c].kind;
        buffer.longData = false;
        buffer.indicators.assign(rows, SQL_NULL_DATA);
        buffer.views.clear();
        buffer.arena.clear();
        buffer.longValues.clear();
        switch (buffer.kind) {
        case ColumnKind::Integer: buffer.cType = SQL_C_SBIGINT; buffer.width = sizeof(std::int64_t); break;
        case ColumnKind::Real: buffer.cType = SQL_C_DOUBLE; buffer.width = sizeof(double); break;
        case ColumnKind::Boolean: buffer.cType = SQL_C_BIT; buffer.width = 1; break;
        default: buffer.cType = SQL_C_CHAR; buffer.width = 0; break;
        }
        buffer.data.assign(rows * static_cast<size_t>(buffer.width), 0);
        const bool textLike = buffer.cType == SQL_C_CHAR;
        std::vector<std::pair<size_t, size_t>> spans(textLike ? rows : 0); // offset, length in arena
        for (size_t r = 0; r < rows; ++r) {
            const Cell &cell = m_rows[r][c];
            const int row = static_cast<int>(r);
            if (buffer.cType == SQL_C_SBIGINT && std::holds_alternative<std::int64_t>(cell)) {
                const std::int64_t value = std::get<std::int64_t>(cell);
                std::memcpy(buffer.cell(row), &value, sizeof value);
                buffer.indicators[r] = sizeof value;
            } else if (buffer.cType == SQL_C_DOUBLE && std::holds_alternative<double>(cell)) {
                const double value = std::get<double>(cell);
                std::memcpy(buffer.cell(row), &value, sizeof value);
                buffer.indicators[r] = sizeof value;
            } else if (buffer.cType == SQL_C_BIT && std::holds_alternative<bool>(cell)) {
                *buffer.cell(row) = std::get<bool>(cell) ? 1 : 0;
                buffer.indicators[r] = 1;
            } else if (textLike && std::holds_alternative<std::string>(cell)) {
                const std::string &text = std::get<std::string>(cell);
                spans[r] = {buffer.arena.size(), text.size()};
                buffer.arena.append(text);
                buffer.indicators[r] = static_cast<SQLLEN>(text.size());
            }
        }
        if (textLike) {
            buffer.views.resize(rows);
            for (size_t r = 0; r < rows; ++r)
                buffer.views[r] = std::string_view(buffer.arena).substr(spans[r].first, spans[r].second);
        }
    }
}

} // namespace syncline::engine::warehouse
