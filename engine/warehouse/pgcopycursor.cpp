#include "engine/warehouse/pgcopycursor.h"

#include "engine/warehouse/rowbatchstorage.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>

namespace syncline::engine::warehouse {

// The libpq connection and its cancel object; shared with the cancel callback so a cancel in
// flight never sees them freed.
struct PgCopySession
{
    std::mutex mutex; // held while cancelling and while closing
    PGconn *connection = nullptr;
    PGcancel *cancel = nullptr;
    std::atomic_bool requested{false};

    void requestCancel()
    {
        requested = true;
        std::lock_guard lock(mutex);
        if (cancel) {
            char message[256];
            PQcancel(cancel, message, int(sizeof message));
        }
    }

    void close()
    {
        std::lock_guard lock(mutex);
        if (cancel)
            PQfreeCancel(cancel);
        cancel = nullptr;
        if (connection)
            PQfinish(connection); // an unfinished COPY ends with the connection
        connection = nullptr;
    }

    ~PgCopySession() { close(); }
};

namespace {

constexpr size_t kMaxBlockTextBytes = size_t(16) << 20; // a block ends early past this much text

// Decodes COPY text escapes (\b \f \n \r \t \v \\ \ooo \xhh, any other \c is c) into `out`.
void unescape(std::string_view field, std::string &out)
{
    out.clear();
    for (size_t i = 0; i < field.size(); ++i) {
        char c = field[i];
        if (c != '\\' || i + 1 == field.size()) {
            out += c;
            continue;
        }
        c = field[++i];
        switch (c) {
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case 'x': {
            int value = 0, digits = 0;
            while (digits < 2 && i + 1 < field.size() && std::isxdigit(static_cast<unsigned char>(field[i + 1]))) {
                const char h = field[++i];
                value = value * 16 + (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
                ++digits;
            }
            out += digits ? char(value) : 'x';
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                int value = c - '0';
                for (int digits = 1; digits < 3 && i + 1 < field.size() && field[i + 1] >= '0' && field[i + 1] <= '7'; ++digits)
                    value = value * 8 + (field[++i] - '0');
                out += char(value & 0xff);
            } else {
                out += c;
            }
        }
    }
}

int hexValue(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

// bytea in hex output ("\x0a0b") to its bytes.
bool appendBytea(std::string_view text, std::string &arena)
{
    if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0)
        return false;
    for (size_t i = 2; i < text.size(); i += 2) {
        const int high = hexValue(text[i]), low = hexValue(text[i + 1]);
        if (high < 0 || low < 0)
            return false;
        arena += char(high << 4 | low);
    }
    return true;
}

// "YYYY-MM-DD": the only date shape psqlODBC reads right (it turns infinity into today's date,
// drops BC and misreads a 5-digit year), so any other is refused rather than given differently.
bool isPlainDate(std::string_view text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return false;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (text[i] < '0' || text[i] > '9')
            return false;
    return true;
}

// "2024-03-01 12:34:56.5[+00]" -> "2024-03-01T12:34:56.500000[Z]", as psqlODBC's timestamp struct
// formats (odbctext.cpp formatTimestamp): microseconds when there is a fraction. Like psqlODBC,
// infinity is 9999-12-31T23:59:59, -infinity -9999-01-01T00:00:00, and BC a negative year.
bool appendTimestamp(std::string_view text, bool utc, std::string &arena)
{
    if (text == "infinity" || text == "-infinity") {
        arena.append(text[0] == '-' ? "-9999-01-01T00:00:00" : "9999-12-31T23:59:59");
        if (utc)
            arena += 'Z';
        return true;
    }
    bool bc = false;
    if (text.size() > 3 && text.substr(text.size() - 3) == " BC") {
        bc = true;
        text.remove_suffix(3);
    }
    if (utc) { // the session is UTC: every value ends in "+00"
        if (text.size() < 3 || text.substr(text.size() - 3) != "+00")
            return false;
        text.remove_suffix(3);
    }
    const size_t space = text.find(' ');
    if (space != 10 || !isPlainDate(text.substr(0, space)) || text.size() < 19)
        return false;
    if (bc)
        arena += '-';
    arena.append(text.substr(0, space));
    arena += 'T';
    std::string_view time = text.substr(space + 1);
    const size_t dot = time.find('.');
    if (dot == std::string_view::npos) {
        arena.append(time);
    } else {
        const std::string_view fraction = time.substr(dot + 1);
        if (fraction.size() > 6)
            return false;
        arena.append(time.substr(0, dot + 1));
        arena.append(fraction);
        arena.append(6 - fraction.size(), '0');
    }
    if (utc)
        arena += 'Z';
    return true;
}

bool parseReal(std::string_view text, double &value)
{
    if (text == "NaN") {
        value = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    if (text == "Infinity" || text == "-Infinity") {
        value = text[0] == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
        return true;
    }
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
}

void prepareBuffers(RowBatch::Storage &storage, const std::vector<Column> &columns, const void *owner, int rowset)
{
    if (storage.layoutOwner != owner) {
        storage.columns = columns;
        storage.buffers.assign(columns.size(), ColumnBuffer{});
        for (size_t c = 0; c < columns.size(); ++c) {
            ColumnBuffer &buffer = storage.buffers[c];
            buffer.kind = columns[c].kind;
            switch (buffer.kind) {
            case ColumnKind::Integer: buffer.cType = SQL_C_SBIGINT; buffer.width = sizeof(int64_t); break;
            case ColumnKind::Real: buffer.cType = SQL_C_DOUBLE; buffer.width = sizeof(double); break;
            case ColumnKind::Boolean: buffer.cType = SQL_C_BIT; buffer.width = 1; break;
            default: buffer.cType = SQL_C_CHAR; buffer.width = 0; break;
            }
        }
        storage.layoutOwner = owner;
    }
    for (ColumnBuffer &buffer : storage.buffers) {
        buffer.data.resize(size_t(rowset) * size_t(buffer.width));
        buffer.indicators.resize(size_t(rowset));
        buffer.views.resize(buffer.width == 0 ? size_t(rowset) : 0);
        buffer.arena.clear();
        buffer.longValues.clear();
    }
}

} // namespace

PgCopyCursor::PgCopyCursor(std::vector<Column> columns, const QueryOptions &options, const OdbcErrorContext &errors)
    : m_session(std::make_shared<PgCopySession>())
    , m_token(options.cancellation)
    , m_errors(errors)
    , m_columns(std::move(columns))
    , m_rowsetSize(std::clamp(options.rowsetSize, 1024, 65536))
{
    for (const Column &column : m_columns)
        m_uppercase.push_back(column.kind == ColumnKind::Text && column.typeName.compare(QLatin1String("uuid"), Qt::CaseInsensitive) == 0);
}

PgCopyCursor::~PgCopyCursor()
{
    m_registration.reset();
    m_session->close();
}

void PgCopyCursor::cancel() { m_session->requestCancel(); }

Error PgCopyCursor::serverError(OdbcStep step, const char *sqlstate, const QString &message) const
{
    OdbcErrorContext context = m_errors;
    context.cancelled = m_session->requested || m_token.isCancelled();
    OdbcDiagnostic diagnostic;
    diagnostic.sqlstate = sqlstate && *sqlstate ? QString::fromLatin1(sqlstate) : QStringLiteral("08S01");
    diagnostic.message = message.trimmed();
    return classifyOdbcError(step, {diagnostic}, context);
}

Error PgCopyCursor::resultError(OdbcStep step, PGresult *result) const
{
    const char *sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const char *message = result ? PQresultErrorMessage(result) : nullptr;
    if (!message || !*message)
        message = PQerrorMessage(m_session->connection);
    return serverError(step, sqlstate, QString::fromUtf8(message));
}

Result<std::unique_ptr<QueryCursor>> PgCopyCursor::open(const QByteArray &conninfo, std::vector<Column> columns,
                                                        const QString &sql, const QueryOptions &options,
                                                        const OdbcErrorContext &errors)
{
    std::unique_ptr<PgCopyCursor> cursor(new PgCopyCursor(std::move(columns), options, errors));
    PgCopySession &session = *cursor->m_session;
    session.connection = PQconnectdb(conninfo.constData());
    if (PQstatus(session.connection) != CONNECTION_OK)
        return std::unexpected(cursor->serverError(OdbcStep::Connect, "08001", QString::fromUtf8(PQerrorMessage(session.connection))));
    session.cancel = PQgetCancel(session.connection);
    cursor->m_registration = options.cancellation.onCancel([session = cursor->m_session] { session->requestCancel(); });

    // The session OdbcConnection gives psqlODBC (UTC, see odbcconnection.h), and text forms the
    // parser reads exactly: ISO dates, shortest exact floats, hex bytea.
    QByteArray setup = "SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, MDY'; SET TimeZone = 'UTC'; "
                       "SET extra_float_digits = 3; SET bytea_output = 'hex'; SET IntervalStyle = 'postgres'";
    if (options.timeout.count() > 0)
        setup += "; SET statement_timeout = " + QByteArray::number(qint64(options.timeout.count()) * 1000);
    PGresult *set = PQexec(session.connection, setup.constData());
    const bool setOk = PQresultStatus(set) == PGRES_COMMAND_OK;
    if (!setOk) {
        Error error = cursor->resultError(OdbcStep::Execute, set);
        PQclear(set);
        return std::unexpected(error);
    }
    PQclear(set);
    if (session.requested || cursor->m_token.isCancelled())
        return fail(QStringLiteral("query.cancelled"), QStringLiteral("The query was cancelled"));

    QString body = sql.trimmed();
    while (body.endsWith(QLatin1Char(';')))
        body = body.chopped(1).trimmed();
    const QByteArray copy = "COPY (SELECT * FROM (" + body.toUtf8() + "\n) AS syncline_model) TO STDOUT";
    PGresult *started = PQexec(session.connection, copy.constData());
    if (PQresultStatus(started) != PGRES_COPY_OUT) {
        Error error = cursor->resultError(OdbcStep::Execute, started);
        PQclear(started);
        return std::unexpected(error);
    }
    PQclear(started);
    return std::unique_ptr<QueryCursor>(std::move(cursor));
}

Result<void> PgCopyCursor::finishCopy()
{
    // After the last row (or a failure): the COPY's final result says how it ended.
    std::optional<Error> error;
    while (PGresult *result = PQgetResult(m_session->connection)) {
        if (!error && PQresultStatus(result) != PGRES_COMMAND_OK)
            error = resultError(OdbcStep::Fetch, result);
        PQclear(result);
    }
    m_done = true;
    if (error)
        return std::unexpected(*error);
    return {};
}

Result<bool> PgCopyCursor::fetch(RowBatch &batch)
{
    RowBatch::Storage &storage = batch.storage();
    storage.rowCount = 0;
    if (m_session->requested || m_token.isCancelled()) {
        m_done = true;
        m_session->close();
        return fail(QStringLiteral("query.cancelled"), QStringLiteral("The query was cancelled"));
    }
    prepareBuffers(storage, m_columns, this, m_rowsetSize);
    if (m_done)
        return false;

    const size_t columnCount = m_columns.size();
    m_offsets.resize(columnCount * size_t(m_rowsetSize));
    std::vector<size_t> &offsets = m_offsets;
    std::string &scratch = m_scratch;
    size_t textBytes = 0;
    int rows = 0;
    auto badValue = [&](size_t c, std::string_view text) {
        m_done = true;
        m_session->close();
        return fail(QStringLiteral("query.copy_value"),
                    QStringLiteral("Reading the model with COPY: column \"%1\" (%2) has a value the reader does not "
                                   "understand: \"%3\". Set SYNCLINE_PG_COPY=0 to read it through ODBC, and report it.")
                        .arg(m_columns[c].name, m_columns[c].typeName,
                             QString::fromUtf8(text.data(), qsizetype(std::min<size_t>(text.size(), 60)))));
    };
    while (rows < m_rowsetSize && textBytes < kMaxBlockTextBytes) {
        char *line = nullptr;
        const int length = PQgetCopyData(m_session->connection, &line, 0);
        if (length == -1) {
            if (auto ended = finishCopy(); !ended) {
                m_session->close();
                return std::unexpected(ended.error());
            }
            break;
        }
        if (length < 0) {
            Error error = serverError(OdbcStep::Fetch, nullptr, QString::fromUtf8(PQerrorMessage(m_session->connection)));
            m_done = true;
            m_session->close();
            return std::unexpected(error);
        }
        std::string_view rest(line, size_t(length));
        if (!rest.empty() && rest.back() == '\n')
            rest.remove_suffix(1);
        for (size_t c = 0; c < columnCount; ++c) {
            const size_t tab = rest.find('\t');
            if ((tab == std::string_view::npos) != (c + 1 == columnCount)) {
                PQfreemem(line);
                return badValue(c, rest);
            }
            std::string_view field = rest.substr(0, tab);
            rest = tab == std::string_view::npos ? std::string_view() : rest.substr(tab + 1);
            ColumnBuffer &buffer = storage.buffers[c];
            SQLLEN &indicator = buffer.indicators[size_t(rows)];
            if (field == "\\N") {
                indicator = SQL_NULL_DATA;
                continue;
            }
            if (field.find('\\') != std::string_view::npos) {
                unescape(field, scratch);
                field = scratch;
            }
            bool ok = true;
            switch (buffer.kind) {
            case ColumnKind::Integer: {
                int64_t value = 0;
                const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
                ok = ec == std::errc() && end == field.data() + field.size();
                std::memcpy(buffer.cell(rows), &value, sizeof value);
                indicator = sizeof value;
                break;
            }
            case ColumnKind::Real: {
                double value = 0;
                ok = parseReal(field, value);
                std::memcpy(buffer.cell(rows), &value, sizeof value);
                indicator = sizeof value;
                break;
            }
            case ColumnKind::Boolean:
                ok = field == "t" || field == "f";
                *buffer.cell(rows) = field == "t" ? 1 : 0;
                indicator = 1;
                break;
            default: {
                const size_t start = buffer.arena.size();
                offsets[c * size_t(m_rowsetSize) + size_t(rows)] = start;
                if (buffer.kind == ColumnKind::Binary)
                    ok = appendBytea(field, buffer.arena);
                else if (buffer.kind == ColumnKind::Timestamp || buffer.kind == ColumnKind::TimestampTz)
                    ok = appendTimestamp(field, buffer.kind == ColumnKind::TimestampTz, buffer.arena);
                else if (buffer.kind == ColumnKind::Date && !isPlainDate(field))
                    ok = false;
                else
                    buffer.arena.append(field);
                if (m_uppercase[c])
                    for (size_t i = start; i < buffer.arena.size(); ++i)
                        buffer.arena[i] = char(std::toupper(static_cast<unsigned char>(buffer.arena[i])));
                indicator = SQLLEN(buffer.arena.size() - start);
                textBytes += buffer.arena.size() - start;
            }
            }
            if (!ok) {
                const std::string copy(field);
                PQfreemem(line);
                return badValue(c, copy);
            }
        }
        PQfreemem(line);
        ++rows;
    }
    for (size_t c = 0; c < columnCount; ++c) {
        ColumnBuffer &buffer = storage.buffers[c];
        if (buffer.width != 0)
            continue;
        for (int r = 0; r < rows; ++r) {
            const SQLLEN indicator = buffer.indicators[size_t(r)];
            buffer.views[size_t(r)] = indicator == SQL_NULL_DATA
                                          ? std::string_view()
                                          : std::string_view(buffer.arena).substr(offsets[c * size_t(m_rowsetSize) + size_t(r)], size_t(indicator));
        }
    }
    storage.rowCount = rows;
    m_total += rows;
    return rows > 0;
}

} // namespace syncline::engine::warehouse
