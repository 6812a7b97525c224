#include "engine/warehouse/rowbatch.h"

#include "engine/warehouse/rowbatchstorage.h"

#include <QLocale>

#include <cstring>

namespace syncline::engine::warehouse {

RowBatch::RowBatch() : m_storage(std::make_unique<Storage>()) {}
RowBatch::~RowBatch() = default;
RowBatch::RowBatch(RowBatch &&) noexcept = default;
RowBatch &RowBatch::operator=(RowBatch &&) noexcept = default;

RowBatch::Storage &RowBatch::storage()
{
    if (!m_storage)
        m_storage = std::make_unique<Storage>();
    return *m_storage;
}

const RowBatch::Storage &RowBatch::storage() const
{
    static const Storage empty;
    return m_storage ? *m_storage : empty;
}

const std::vector<Column> &RowBatch::columns() const { return storage().columns; }
int RowBatch::columnCount() const { return int(storage().columns.size()); }
int RowBatch::rowCount() const { return storage().rowCount; }

bool RowBatch::isNull(int row, int column) const
{
    return m_storage->buffers[size_t(column)].indicators[size_t(row)] == SQL_NULL_DATA;
}

int64_t RowBatch::integer(int row, int column) const
{
    const ColumnBuffer &buffer = m_storage->buffers[size_t(column)];
    if (buffer.indicators[size_t(row)] == SQL_NULL_DATA)
        return 0;
    if (buffer.cType == SQL_C_SBIGINT) {
        int64_t value;
        std::memcpy(&value, buffer.cell(row), sizeof value);
        return value;
    }
    if (buffer.cType == SQL_C_DOUBLE)
        return int64_t(real(row, column));
    if (buffer.cType == SQL_C_BIT)
        return *buffer.cell(row) ? 1 : 0;
    const std::string_view digits = buffer.views[size_t(row)];
    return std::strtoll(std::string(digits).c_str(), nullptr, 10);
}

double RowBatch::real(int row, int column) const
{
    const ColumnBuffer &buffer = m_storage->buffers[size_t(column)];
    if (buffer.indicators[size_t(row)] == SQL_NULL_DATA)
        return 0.0;
    if (buffer.cType == SQL_C_DOUBLE) {
        double value;
        std::memcpy(&value, buffer.cell(row), sizeof value);
        return value;
    }
    if (buffer.cType == SQL_C_SBIGINT)
        return double(integer(row, column));
    if (buffer.cType == SQL_C_BIT)
        return *buffer.cell(row) ? 1.0 : 0.0;
    return std::strtod(std::string(buffer.views[size_t(row)]).c_str(), nullptr);
}

bool RowBatch::boolean(int row, int column) const
{
    const ColumnBuffer &buffer = m_storage->buffers[size_t(column)];
    if (buffer.indicators[size_t(row)] == SQL_NULL_DATA)
        return false;
    if (buffer.cType == SQL_C_BIT)
        return *buffer.cell(row) != 0;
    if (buffer.cType == SQL_C_SBIGINT || buffer.cType == SQL_C_DOUBLE)
        return integer(row, column) != 0;
    const std::string_view text = buffer.views[size_t(row)];
    return text == "1" || text == "t" || text == "true" || text == "TRUE" || text == "y";
}

std::string_view RowBatch::text(int row, int column) const
{
    const ColumnBuffer &buffer = m_storage->buffers[size_t(column)];
    if (buffer.views.empty())
        return {};
    return buffer.views[size_t(row)];
}

QString RowBatch::displayText(int row, int column) const
{
    if (isNull(row, column))
        return {};
    const ColumnBuffer &buffer = m_storage->buffers[size_t(column)];
    switch (buffer.kind) {
    case ColumnKind::Integer:
        if (buffer.cType == SQL_C_SBIGINT)
            return QString::number(integer(row, column));
        break;
    case ColumnKind::Real:
        if (buffer.cType == SQL_C_DOUBLE)
            return QString::number(real(row, column), 'g', QLocale::FloatingPointShortest);
        break;
    case ColumnKind::Boolean:
        if (buffer.cType == SQL_C_BIT)
            return boolean(row, column) ? QStringLiteral("true") : QStringLiteral("false");
        break;
    case ColumnKind::Binary: {
        const std::string_view bytes = text(row, column);
        return QStringLiteral("\\x") + QString::fromLatin1(QByteArray(bytes.data(), qsizetype(bytes.size())).toHex());
    }
    default: break;
    }
    const std::string_view value = text(row, column);
    return QString::fromUtf8(value.data(), qsizetype(value.size()));
}

} // namespace syncline::engine::warehouse
