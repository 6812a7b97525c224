#include "engine/warehouse/odbcquerycursor.h"

#include "engine/warehouse/odbctext.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace syncline::engine::warehouse {

namespace {

constexpr size_t kMaxBatchBytes = size_t(24) << 20; // bound buffers of one batch stay under this
constexpr int kMinRowset = 64;

} // namespace

ColumnKind columnKindFor(const Column &column, DriverFamily family, bool isUnsigned)
{
    const QString type = column.typeName.toLower();
    switch (column.sqlType) {
    case SQL_BIGINT:
        return isUnsigned ? ColumnKind::Decimal : ColumnKind::Integer;
    case SQL_TINYINT:
    case SQL_SMALLINT:
    case SQL_INTEGER:
        return ColumnKind::Integer;
    case SQL_REAL:
    case SQL_FLOAT:
    case SQL_DOUBLE:
        return ColumnKind::Real;
    case SQL_DECIMAL:
    case SQL_NUMERIC:
        return ColumnKind::Decimal;
    case SQL_BIT:
        return ColumnKind::Boolean;
    case SQL_TYPE_DATE:
    case SQL_DATE:
        return ColumnKind::Date;
    case SQL_TYPE_TIME:
    case SQL_TIME:
        return ColumnKind::Time;
    case SQL_TYPE_TIMESTAMP:
    case SQL_TIMESTAMP:
        if (type.contains(QLatin1String("timestamptz")) || type.contains(QLatin1String("with time zone")))
            return ColumnKind::TimestampTz;
        // MariaDB TIMESTAMP is an instant shown in the session time zone, which is UTC here.
        if (family == DriverFamily::MariaDB && type == QLatin1String("timestamp"))
            return ColumnKind::TimestampTz;
        return ColumnKind::Timestamp;
    case SQL_BINARY:
    case SQL_VARBINARY:
    case SQL_LONGVARBINARY:
        return ColumnKind::Binary;
    default:
        return ColumnKind::Text;
    }
}

namespace {

bool isTruncated(const ColumnBuffer &buffer, SQLLEN indicator)
{
    if (indicator == SQL_NULL_DATA)
        return false;
    if (indicator == SQL_NO_TOTAL)
        return true;
    switch (buffer.cType) {
    case SQL_C_CHAR: return indicator > buffer.width - 1;
    case SQL_C_WCHAR: return indicator > buffer.width - SQLLEN(sizeof(SQLWCHAR));
    default: return indicator > buffer.width;
    }
}

} // namespace

SQLRETURN executeDirect(SQLHSTMT statement, const QString &sql, const CursorTraits &traits)
{
    if (traits.narrowSql) {
        QByteArray utf8 = sql.toUtf8();
        return SQLExecDirect(statement, reinterpret_cast<SQLCHAR *>(utf8.data()), SQLINTEGER(utf8.size()));
    }
    std::vector<SQLWCHAR> text = toSqlWide(sql);
    return SQLExecDirectW(statement, text.data(), SQL_NTS);
}

void OdbcQueryCursor::CancelTarget::cancel()
{
    requested = true;
    std::lock_guard lock(mutex);
    if (!statement)
        return;
    if (fetching && serverCancel)
        serverCancel();
    else
        SQLCancel(statement);
}

OdbcQueryCursor::OdbcQueryCursor(OdbcHandle statement, std::shared_ptr<CancelTarget> target,
                                 const QueryOptions &options, const CursorTraits &traits)
    : m_statement(std::move(statement))
    , m_cancel(std::move(target))
    , m_token(options.cancellation)
    , m_traits(traits)
    , m_rowsetSize(std::clamp(options.rowsetSize, 1024, 65536))
    , m_limit(options.limit)
{
}

OdbcQueryCursor::~OdbcQueryCursor()
{
    m_registration.reset();
    {
        std::lock_guard lock(m_cancel->mutex);
        m_cancel->statement = nullptr;
    }
    close();
}

void OdbcQueryCursor::close()
{
    if (m_statement)
        SQLFreeStmt(m_statement.get(), SQL_CLOSE);
}

void OdbcQueryCursor::cancel() { m_cancel->cancel(); }

Error OdbcQueryCursor::failure(OdbcStep step) const
{
    OdbcErrorContext context = m_traits.errors;
    context.cancelled = m_cancel->requested || m_token.isCancelled();
    return odbcError(step, SQL_HANDLE_STMT, m_statement.get(), context);
}

Result<std::unique_ptr<QueryCursor>> OdbcQueryCursor::execute(SQLHDBC connection, const QString &sql,
                                                              const QueryOptions &options, const CursorTraits &traits)
{
    OdbcHandle statement = OdbcHandle::allocate(SQL_HANDLE_STMT, connection);
    if (!statement)
        return std::unexpected(odbcError(OdbcStep::Execute, SQL_HANDLE_DBC, connection, traits.errors));
    auto target = std::make_shared<CancelTarget>();
    target->statement = statement.get();
    target->serverCancel = traits.serverCancel;
    std::unique_ptr<OdbcQueryCursor> cursor(new OdbcQueryCursor(std::move(statement), target, options, traits));
    SQLHSTMT stmt = cursor->m_statement.get();

    SQLSetStmtAttr(stmt, SQL_ATTR_CURSOR_TYPE, reinterpret_cast<SQLPOINTER>(SQL_CURSOR_FORWARD_ONLY), 0);
    SQLSetStmtAttr(stmt, SQL_ATTR_CONCURRENCY, reinterpret_cast<SQLPOINTER>(SQL_CONCUR_READ_ONLY), 0);
    if (options.timeout.count() > 0)
        SQLSetStmtAttr(stmt, SQL_ATTR_QUERY_TIMEOUT, reinterpret_cast<SQLPOINTER>(SQLULEN(options.timeout.count())), 0);

    cursor->m_registration = options.cancellation.onCancel([target] { target->cancel(); });
    if (target->requested)
        return fail(QStringLiteral("query.cancelled"), QStringLiteral("The query was cancelled"));

    const SQLRETURN rc = executeDirect(stmt, sql, traits);
    if (rc == SQL_NO_DATA) {
        cursor->m_done = true;
        return std::unique_ptr<QueryCursor>(std::move(cursor));
    }
    if (!SQL_SUCCEEDED(rc))
        return std::unexpected(cursor->failure(OdbcStep::Execute));
    if (target->requested)
        return fail(QStringLiteral("query.cancelled"), QStringLiteral("The query was cancelled"));
    if (auto described = cursor->describeColumns(); !described)
        return std::unexpected(described.error());
    return std::unique_ptr<QueryCursor>(std::move(cursor));
}

Result<void> OdbcQueryCursor::describeColumns()
{
    SQLHSTMT stmt = m_statement.get();
    SQLSMALLINT count = 0;
    if (!SQL_SUCCEEDED(SQLNumResultCols(stmt, &count)))
        return std::unexpected(failure(OdbcStep::Execute));
    if (count == 0) {
        m_done = true;
        return {};
    }
    size_t rowBytes = 0;
    for (SQLSMALLINT i = 1; i <= count; ++i) {
        SQLWCHAR name[512] = {};
        SQLSMALLINT nameLength = 0, sqlType = 0, digits = 0, nullable = SQL_NULLABLE_UNKNOWN;
        SQLULEN size = 0;
        if (!SQL_SUCCEEDED(SQLDescribeColW(stmt, SQLUSMALLINT(i), name, SQLSMALLINT(std::size(name)), &nameLength, &sqlType,
                                           &size, &digits, &nullable)))
            return std::unexpected(failure(OdbcStep::Execute));
        SQLWCHAR typeName[128] = {};
        SQLSMALLINT typeNameBytes = 0;
        SQLColAttributeW(stmt, SQLUSMALLINT(i), SQL_DESC_TYPE_NAME, typeName, SQLSMALLINT(sizeof typeName), &typeNameBytes, nullptr);
        SQLLEN isUnsigned = SQL_FALSE;
        SQLColAttributeW(stmt, SQLUSMALLINT(i), SQL_DESC_UNSIGNED, nullptr, 0, nullptr, &isUnsigned);

        Column column;
        column.name = fromSqlWide(name, std::min<qsizetype>(nameLength, qsizetype(std::size(name)) - 1));
        column.typeName = fromSqlWide(typeName);
        column.sqlType = sqlType;
        column.size = qint64(size);
        column.scale = digits;
        column.nullable = nullable != SQL_NO_NULLS;
        column.kind = columnKindFor(column, m_traits.family, isUnsigned == SQL_TRUE);

        ColumnBuffer buffer;
        buffer.kind = column.kind;
        const SQLLEN declared = size > 0 && size < SQLULEN(1) << 30 ? SQLLEN(size) : 0;
        switch (column.kind) {
        case ColumnKind::Integer: buffer.cType = SQL_C_SBIGINT; buffer.width = sizeof(int64_t); break;
        case ColumnKind::Real: buffer.cType = SQL_C_DOUBLE; buffer.width = sizeof(double); break;
        case ColumnKind::Boolean: buffer.cType = SQL_C_BIT; buffer.width = 1; break;
        case ColumnKind::Date: buffer.cType = SQL_C_TYPE_DATE; buffer.width = sizeof(SQL_DATE_STRUCT); break;
        case ColumnKind::Timestamp:
        case ColumnKind::TimestampTz: buffer.cType = SQL_C_TYPE_TIMESTAMP; buffer.width = sizeof(SQL_TIMESTAMP_STRUCT); break;
        case ColumnKind::Decimal:
        case ColumnKind::Time:
            buffer.cType = SQL_C_CHAR; // ASCII digits, signs and colons: no conversion needed
            buffer.width = std::clamp<SQLLEN>(declared + 4, 32, 128);
            buffer.longData = true;
            break;
        case ColumnKind::Binary:
            buffer.cType = SQL_C_BINARY;
            buffer.width = declared > 0 ? std::min(declared, kCellCapBytes) : kCellCapBytes;
            buffer.longData = true;
            break;
        case ColumnKind::Text:
            buffer.cType = m_traits.textCType;
            if (buffer.cType == SQL_C_WCHAR) // UTF-16: up to 2 units per character, plus the terminator
                buffer.width = SQLLEN(sizeof(SQLWCHAR)) * (declared > 0 ? std::min(declared * 2, kCellCapBytes / 2) + 1 : kCellCapBytes / 2 + 1);
            else // UTF-8: up to 4 bytes per character, plus the terminator
                buffer.width = declared > 0 ? std::min(declared * 4, kCellCapBytes) + 1 : kCellCapBytes + 1;
            buffer.longData = true;
            break;
        }
        rowBytes += size_t(buffer.width) + sizeof(SQLLEN) + sizeof(std::string_view);
        m_columns.push_back(std::move(column));
        m_plan.push_back(std::move(buffer));
    }
    // Keep one batch's buffers bounded whatever the column count and widths.
    if (size_t(m_rowsetSize) * rowBytes > kMaxBatchBytes)
        m_rowsetSize = std::max<int>(kMinRowset, int(kMaxBatchBytes / rowBytes));
    if (m_traits.driverFetchSize > 0 && m_traits.driverFetchSize % m_rowsetSize != 0) {
        const int reads = std::max(1, int(std::lround(double(m_traits.driverFetchSize) / m_rowsetSize)));
        m_rowsetSize = std::max(1, m_traits.driverFetchSize / reads);
    }
    if (m_limit && *m_limit < m_rowsetSize)
        m_rowsetSize = int(std::max<qint64>(1, *m_limit));

    const SQLULEN arraySize = m_traits.blockGetData ? SQLULEN(m_rowsetSize) : 1;
    SQLSetStmtAttr(stmt, SQL_ATTR_ROW_BIND_TYPE, reinterpret_cast<SQLPOINTER>(SQL_BIND_BY_COLUMN), 0);
    if (!SQL_SUCCEEDED(SQLSetStmtAttr(stmt, SQL_ATTR_ROW_ARRAY_SIZE, reinterpret_cast<SQLPOINTER>(arraySize), 0)))
        m_traits.blockGetData = false;
    SQLSetStmtAttr(stmt, SQL_ATTR_ROWS_FETCHED_PTR, &m_rowsFetchedByDriver, 0);
    return {};
}

void OdbcQueryCursor::prepareLayout(RowBatch::Storage &storage) const
{
    if (storage.layoutOwner != this) {
        storage.columns = m_columns;
        storage.buffers.resize(m_plan.size());
        for (size_t c = 0; c < m_plan.size(); ++c) {
            ColumnBuffer &buffer = storage.buffers[c];
            buffer.kind = m_plan[c].kind;
            buffer.cType = m_plan[c].cType;
            buffer.width = m_plan[c].width;
            buffer.longData = m_plan[c].longData;
        }
        storage.layoutOwner = this;
    }
    for (ColumnBuffer &buffer : storage.buffers) {
        buffer.data.resize(size_t(m_rowsetSize) * size_t(buffer.width));
        buffer.indicators.resize(size_t(m_rowsetSize));
        buffer.views.resize(size_t(m_rowsetSize));
        buffer.longValues.clear();
    }
}

Result<bool> OdbcQueryCursor::fetch(RowBatch &batch)
{
    RowBatch::Storage &storage = batch.storage();
    storage.rowCount = 0;
    if (m_cancel->requested || m_token.isCancelled()) {
        close();
        m_done = true;
        return fail(QStringLiteral("query.cancelled"), QStringLiteral("The query was cancelled"));
    }
    if (m_done) {
        if (storage.layoutOwner != this) {
            storage.columns = m_columns;
            storage.buffers.clear();
        }
        return false;
    }
    prepareLayout(storage);
    Result<int> fetched = m_traits.blockGetData ? fetchBlock(storage) : fetchRowByRow(storage);
    if (!fetched) {
        close();
        m_done = true;
        return std::unexpected(fetched.error());
    }
    int rows = *fetched;
    finishCells(storage, rows);
    if (m_limit && m_total + rows >= *m_limit) {
        rows = int(*m_limit - m_total);
        m_done = true;
        close();
    }
    if (rows == 0 && !m_done) {
        m_done = true;
        close();
    }
    storage.rowCount = rows;
    m_total += rows;
    return rows > 0;
}

Result<int> OdbcQueryCursor::fetchBlock(RowBatch::Storage &storage)
{
    SQLHSTMT stmt = m_statement.get();
    for (size_t c = 0; c < storage.buffers.size(); ++c) {
        ColumnBuffer &buffer = storage.buffers[c];
        SQLBindCol(stmt, SQLUSMALLINT(c + 1), buffer.cType, buffer.data.data(), buffer.width, buffer.indicators.data());
    }
    m_rowsFetchedByDriver = 0;
    m_cancel->fetching = true;
    const SQLRETURN rc = SQLFetch(stmt);
    m_cancel->fetching = false;
    if (rc == SQL_NO_DATA) {
        m_done = true;
        close();
        return 0;
    }
    if (!SQL_SUCCEEDED(rc))
        return std::unexpected(failure(OdbcStep::Fetch));
    const int rows = int(m_rowsFetchedByDriver);
    if (auto longCells = readLongCells(storage, rows); !longCells)
        return std::unexpected(longCells.error());
    return rows;
}

Result<int> OdbcQueryCursor::fetchRowByRow(RowBatch::Storage &storage)
{
    SQLHSTMT stmt = m_statement.get();
    int rows = 0;
    for (; rows < m_rowsetSize; ++rows) {
        if (rows % 256 == 0 && (m_cancel->requested || m_token.isCancelled()))
            return fail(QStringLiteral("query.cancelled"), QStringLiteral("The query was cancelled"));
        for (size_t c = 0; c < storage.buffers.size(); ++c) {
            ColumnBuffer &buffer = storage.buffers[c];
            SQLBindCol(stmt, SQLUSMALLINT(c + 1), buffer.cType, buffer.cell(rows), buffer.width, &buffer.indicators[size_t(rows)]);
        }
        m_cancel->fetching = true;
        const SQLRETURN rc = SQLFetch(stmt);
        m_cancel->fetching = false;
        if (rc == SQL_NO_DATA) {
            m_done = true;
            break;
        }
        if (!SQL_SUCCEEDED(rc))
            return std::unexpected(failure(OdbcStep::Fetch));
        for (size_t c = 0; c < storage.buffers.size(); ++c) {
            ColumnBuffer &buffer = storage.buffers[c];
            if (buffer.longData && isTruncated(buffer, buffer.indicators[size_t(rows)]))
                if (auto read = readLongValue(buffer, int(c), rows); !read)
                    return std::unexpected(read.error());
        }
        if (m_limit && m_total + rows + 1 >= *m_limit) {
            ++rows;
            break;
        }
    }
    if (m_done)
        close();
    return rows;
}

Result<void> OdbcQueryCursor::readLongCells(RowBatch::Storage &storage, int rows)
{
    for (size_t c = 0; c < storage.buffers.size(); ++c) {
        ColumnBuffer &buffer = storage.buffers[c];
        if (!buffer.longData)
            continue;
        for (int row = 0; row < rows; ++row) {
            if (!isTruncated(buffer, buffer.indicators[size_t(row)]))
                continue;
            if (!SQL_SUCCEEDED(SQLSetPos(m_statement.get(), SQLSETPOSIROW(row + 1), SQL_POSITION, SQL_LOCK_NO_CHANGE)))
                return std::unexpected(failure(OdbcStep::Fetch));
            if (auto read = readLongValue(buffer, int(c), row); !read)
                return read;
        }
    }
    return {};
}

Result<void> OdbcQueryCursor::readLongValue(ColumnBuffer &buffer, int column, int row)
{
    // Reads the whole value of the current row's cell in chunks; marks the cell by setting its
    // indicator to the negative index of the value in longValues (below SQL_NO_TOTAL).
    if (m_chunk.empty())
        m_chunk.resize(size_t(64) << 10);
    const SQLLEN terminator = buffer.cType == SQL_C_CHAR ? 1 : buffer.cType == SQL_C_WCHAR ? SQLLEN(sizeof(SQLWCHAR)) : 0;
    const SQLLEN room = SQLLEN(m_chunk.size()) - terminator;
    std::string value;
    std::u16string wide;
    for (;;) {
        SQLLEN indicator = 0;
        const SQLRETURN rc = SQLGetData(m_statement.get(), SQLUSMALLINT(column + 1), buffer.cType, m_chunk.data(),
                                        SQLLEN(m_chunk.size()), &indicator);
        if (rc == SQL_NO_DATA)
            break;
        if (!SQL_SUCCEEDED(rc))
            return std::unexpected(failure(OdbcStep::Fetch));
        if (indicator == SQL_NULL_DATA) {
            buffer.indicators[size_t(row)] = SQL_NULL_DATA;
            return {};
        }
        const SQLLEN got = (indicator == SQL_NO_TOTAL || indicator > room) ? room : indicator;
        if (buffer.cType == SQL_C_WCHAR)
            wide.append(reinterpret_cast<const char16_t *>(m_chunk.data()), size_t(got) / sizeof(char16_t));
        else
            value.append(m_chunk.data(), size_t(got));
        if (rc == SQL_SUCCESS)
            break;
    }
    if (buffer.cType == SQL_C_WCHAR) {
        value.resize(wide.size() * 3);
        value.resize(utf16ToUtf8(wide.data(), wide.size(), value.data()));
    }
    buffer.longValues.push_back(std::move(value));
    buffer.indicators[size_t(row)] = SQL_NO_TOTAL - SQLLEN(buffer.longValues.size());
    return {};
}

void OdbcQueryCursor::finishCells(RowBatch::Storage &storage, int rows) const
{
    for (ColumnBuffer &buffer : storage.buffers) {
        const auto longIndex = [&](SQLLEN indicator) { return size_t(SQL_NO_TOTAL - indicator - 1); };
        switch (buffer.cType) {
        case SQL_C_SBIGINT:
        case SQL_C_DOUBLE:
        case SQL_C_BIT:
            break;
        case SQL_C_TYPE_DATE:
        case SQL_C_TYPE_TIMESTAMP: {
            if (buffer.arena.size() < size_t(rows) * 32)
                buffer.arena.resize(size_t(rows) * 32);
            char *out = buffer.arena.data();
            for (int row = 0; row < rows; ++row) {
                if (buffer.indicators[size_t(row)] == SQL_NULL_DATA) {
                    buffer.views[size_t(row)] = {};
                    continue;
                }
                size_t length;
                if (buffer.cType == SQL_C_TYPE_DATE) {
                    SQL_DATE_STRUCT date;
                    std::memcpy(&date, buffer.cell(row), sizeof date);
                    length = formatDate(date, out);
                } else {
                    SQL_TIMESTAMP_STRUCT timestamp;
                    std::memcpy(&timestamp, buffer.cell(row), sizeof timestamp);
                    length = formatTimestamp(timestamp, buffer.kind == ColumnKind::TimestampTz, out);
                }
                buffer.views[size_t(row)] = std::string_view(out, length);
                out += length;
            }
            break;
        }
        case SQL_C_WCHAR: {
            size_t units = 0;
            for (int row = 0; row < rows; ++row) {
                const SQLLEN indicator = buffer.indicators[size_t(row)];
                if (indicator > 0)
                    units += size_t(indicator) / sizeof(SQLWCHAR);
            }
            if (buffer.arena.size() < units * 3)
                buffer.arena.resize(units * 3);
            char *out = buffer.arena.data();
            for (int row = 0; row < rows; ++row) {
                const SQLLEN indicator = buffer.indicators[size_t(row)];
                if (indicator < SQL_NO_TOTAL) {
                    buffer.views[size_t(row)] = buffer.longValues[longIndex(indicator)];
                } else if (indicator < 0) {
                    buffer.views[size_t(row)] = {};
                } else {
                    const size_t length = utf16ToUtf8(reinterpret_cast<const char16_t *>(buffer.cell(row)),
                                                      size_t(indicator) / sizeof(SQLWCHAR), out);
                    buffer.views[size_t(row)] = std::string_view(out, length);
                    out += length;
                }
            }
            break;
        }
        default: // SQL_C_CHAR (UTF-8) and SQL_C_BINARY: the bound cell is the value
            for (int row = 0; row < rows; ++row) {
                const SQLLEN indicator = buffer.indicators[size_t(row)];
                if (indicator < SQL_NO_TOTAL)
                    buffer.views[size_t(row)] = buffer.longValues[longIndex(indicator)];
                else if (indicator < 0)
                    buffer.views[size_t(row)] = {};
                else
                    buffer.views[size_t(row)] = std::string_view(buffer.cell(row), size_t(indicator));
            }
            break;
        }
        // Marked long cells keep a readable indicator: their byte length.
        for (int row = 0; row < rows && !buffer.longValues.empty(); ++row) {
            SQLLEN &indicator = buffer.indicators[size_t(row)];
            if (indicator < SQL_NO_TOTAL)
                indicator = SQLLEN(buffer.views[size_t(row)].size());
        }
    }
}

} // namespace syncline::engine::warehouse
