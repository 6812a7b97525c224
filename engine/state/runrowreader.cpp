#include "engine/state/runrowreader.h"

#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

namespace syncline::engine::state {

namespace {

const QString kFilter = QStringLiteral(
    "rr.run_id = ?1 AND (?2 IS NULL OR instr(lower(rr.key), lower(?2)) > 0) AND (?3 = 0 OR rr.rejected = 1)");

void bindFilter(SqliteStatement &s, qint64 runId, const RunRowFilter &filter)
{
    s.bind(1, runId);
    if (filter.keyContains.isEmpty())
        s.bindNull(2);
    else
        s.bind(2, filter.keyContains);
    s.bind(3, qint64(filter.rejectedOnly ? 1 : 0));
}

} // namespace

Result<std::vector<RunRow>> RunRowReader::page(qint64 runId, const RunRowFilter &filter, const std::optional<RunRow> &after,
                                               int limit)
{
    // Row values compare (key_hash, key) in the primary key's order, so the page is an index range.
    auto s = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("SELECT rr.key_hash, rr.key, rr.seq, rr.op, rr.rejected, rr.error, rr.destination_id "
                       "FROM run_rows rr WHERE ") + kFilter
            + QStringLiteral(" AND (?4 IS NULL OR (rr.key_hash, rr.key) > (?4, ?5)) "
                             "ORDER BY rr.key_hash, rr.key LIMIT ?6"));
    if (!s)
        return std::unexpected(s.error());
    bindFilter(*s, runId, filter);
    if (after)
        s->bind(4, after->keyHash).bind(5, std::string_view(after->key));
    else
        s->bindNull(4).bindNull(5);
    s->bind(6, qint64(limit));
    std::vector<RunRow> rows;
    for (;;) {
        auto more = s->step();
        if (!more)
            return std::unexpected(more.error());
        if (!*more)
            break;
        rows.push_back(RunRow{s->int64(0), std::string(s->textView(1)), s->int64(2), s->text(3),
                              s->int64(4) == 0, s->text(5), s->text(6)});
    }
    return rows;
}

Result<void> RunRowReader::forEach(qint64 runId, const RunRowFilter &filter,
                                   const std::function<Result<void>(const RunRow &)> &visit)
{
    std::optional<RunRow> after;
    for (;;) {
        auto rows = page(runId, filter, after, 5000);
        if (!rows)
            return std::unexpected(rows.error());
        for (const RunRow &row : *rows)
            if (auto ok = visit(row); !ok)
                return ok;
        if (rows->size() < 5000)
            return {};
        after = rows->back();
    }
}

Result<qint64> RunRowReader::count(qint64 runId, const RunRowFilter &filter)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("SELECT count(*) FROM run_rows rr WHERE ") + kFilter);
    if (!s)
        return std::unexpected(s.error());
    bindFilter(*s, runId, filter);
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    return s->int64(0);
}

} // namespace syncline::engine::state
