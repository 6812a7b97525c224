#pragma once
// A block of rows from a query, stored column-wise as the driver delivered them.
// Cheap to read cell by cell; valid until the next fetch into the same batch.
// Not thread-safe; move it (or copy cells out) to hand it to another thread.

#include "engine/warehouse/column.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace syncline::engine::warehouse {

class RowBatch
{
public:
    RowBatch();
    ~RowBatch();
    RowBatch(RowBatch &&) noexcept;
    RowBatch &operator=(RowBatch &&) noexcept;

    const std::vector<Column> &columns() const;
    int columnCount() const;
    int rowCount() const;

    bool isNull(int row, int column) const;
    int64_t integer(int row, int column) const;        // ColumnKind::Integer
    double real(int row, int column) const;            // ColumnKind::Real
    bool boolean(int row, int column) const;           // ColumnKind::Boolean
    std::string_view text(int row, int column) const;  // every other kind, UTF-8 / raw bytes

    // Any cell as a display string (NULL -> empty QString that isNull()). For previews.
    QString displayText(int row, int column) const;

    // Implementation detail owned by the query cursor that fills the batch.
    struct Storage;
    Storage &storage();
    const Storage &storage() const;

private:
    std::unique_ptr<Storage> m_storage;
};

} // namespace syncline::engine::warehouse
