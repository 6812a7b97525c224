#include "engine/state/batchlanding.h"

#include "engine/state/ledgersql.h"
#include "engine/state/ledgerstore.h"
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QDateTime>

#include <sqlite3.h>


namespace syncline::engine::state {

namespace {

using connector::Operation;

enum Slot {
    StageSlot,
    UnstageSlot,
    OutcomesSlot,
    OutcomesStagedSlot,
    // The two accept statements: + 1 when outcomes are staged.
    AcceptSlot,
    AcceptStagedSlot,
    SlotCount
};

// The rows of the batch whose outcome is not a plain acceptance, by plan seq. A temporary table
// lives in this connection's own temp database: it is never written to the workspace file or its
// WAL, and it rolls back with the transaction it was written in.
const char *const kCreateStage = "CREATE TEMP TABLE IF NOT EXISTS syncline_batch_outcomes ("
                                 "seq INTEGER PRIMARY KEY, accepted INTEGER NOT NULL, error TEXT, destination_id TEXT)";

// ?1 sync, ?2 run, ?3 plan, ?4 first seq, ?5 last seq (inclusive), ?6 now (Unix ms).
// The batch is exactly the plan rows with an action in the range (what PlanStore::rows() read).
#define BATCH_ROWS "plan_rows r WHERE r.plan_id = ?3 AND r.seq BETWEEN ?4 AND ?5 AND r.action IS NOT NULL"
#define BATCH_ROWS_STAGED                                                                                              \
    "plan_rows r LEFT JOIN temp.syncline_batch_outcomes o ON o.seq = r.seq "                                          \
    "WHERE r.plan_id = ?3 AND r.seq BETWEEN ?4 AND ?5 AND r.action IS NOT NULL"

#define OUTCOMES_INSERT "INSERT INTO run_rows (run_id, key_hash, key, seq, op, rejected, error, destination_id) "

// As LedgerStore::accept(): the plan row's payload becomes the delivered one, its source hash
// comes along (SYNCLINE_LEDGER_KEPT_SOURCE_HASH), and the destination's record id (the answer's, else the one the plan knew) is
// kept when there is none. Rows sent as delete or clear are not accepted this way.
#define ACCEPT_INSERT                                                                                                  \
    "INSERT INTO ledger (sync_id, key_hash, key, payload_hash, payload_id, destination_id, status, attempts, "        \
    "last_error, updated_at, source_hash) "
#define ACCEPT_COLUMNS                                                                                                 \
    "?1, r.key_hash, r.key, coalesce(r.payload_hash, zeroblob(16)), coalesce(r.payload_id, 0), "                      \
    "%1, " SYNCLINE_LEDGER_DELIVERED ", 1, NULL, ?6, r.source_hash "
#define ACCEPT_KINDS " AND r.action <> 'delete' AND r.action <> 'clear'"
#define ACCEPT_CONFLICT                                                                                                \
    " ON CONFLICT (sync_id, key_hash, key) DO UPDATE SET payload_hash = excluded.payload_hash, "                      \
    "source_hash = " SYNCLINE_LEDGER_KEPT_SOURCE_HASH ", payload_id = excluded.payload_id, "                         \
    "destination_id = coalesce(excluded.destination_id, destination_id), "                                            \
    "status = " SYNCLINE_LEDGER_DELIVERED ", attempts = attempts + 1, last_error = NULL, "                            \
    "updated_at = excluded.updated_at"

QString acceptSql(bool staged)
{
    const QString columns = QString::fromUtf8(ACCEPT_COLUMNS)
                                .arg(staged ? QStringLiteral("coalesce(o.destination_id, nullif(r.destination_id, ''))")
                                            : QStringLiteral("nullif(r.destination_id, '')"));
    return QString::fromUtf8(ACCEPT_INSERT) + QStringLiteral("SELECT ") + columns + QStringLiteral("FROM ")
           + QString::fromUtf8(staged ? BATCH_ROWS_STAGED " AND o.accepted IS NOT 0" : BATCH_ROWS)
           + QString::fromUtf8(ACCEPT_KINDS ACCEPT_CONFLICT);
}

bool plainlyAccepted(const connector::RecordOutcome &outcome)
{
    return outcome.accepted && outcome.error.isEmpty() && outcome.destinationId.isEmpty();
}

} // namespace

BatchLanding::BatchLanding(Workspace &workspace, LedgerStore &ledger) : m_workspace(workspace), m_ledger(ledger)
{
    m_statements.resize(SlotCount);
}

BatchLanding::~BatchLanding() = default;

Result<SqliteStatement *> BatchLanding::statement(int slot, const char *sql)
{
    auto &cached = m_statements[size_t(slot)];
    if (!cached) {
        const QString text = slot >= AcceptSlot ? acceptSql(slot == AcceptStagedSlot)
                                                : QString::fromUtf8(sql);
        auto prepared = SqliteStatement::prepare(m_workspace.handle(), text);
        if (!prepared)
            return std::unexpected(prepared.error());
        cached = std::make_unique<SqliteStatement>(std::move(*prepared));
    }
    return cached.get();
}

Result<void> BatchLanding::land(qint64 syncId, qint64 runId, qint64 planId, const std::vector<PlanRow> &rows,
                                const std::vector<connector::RecordOutcome> &outcomes)
{
    if (rows.size() != outcomes.size())
        return fail(QStringLiteral("run.outcomes"),
                    QStringLiteral("%1 outcomes for a batch of %2 rows").arg(outcomes.size()).arg(rows.size()));
    if (rows.empty())
        return {};
    const qint64 firstSeq = rows.front().seq;
    const qint64 lastSeq = rows.back().seq;
    if (auto ok = m_ledger.landBatch(runId, firstSeq); !ok)
        return ok;

    // Stage the rows that are not plain acceptances (none, for most batches). The table is
    // emptied in the transaction that filled it, and once when this landing first uses it (it
    // outlives the landing on the workspace's connection).
    bool staged = false;
    for (size_t i = 0; i < rows.size(); ++i) {
        const connector::RecordOutcome &outcome = outcomes[i];
        if (plainlyAccepted(outcome))
            continue;
        if (!m_tableReady) {
            for (const char *sql : {kCreateStage, "DELETE FROM temp.syncline_batch_outcomes"}) {
                auto prepared = SqliteStatement::prepare(m_workspace.handle(), QString::fromUtf8(sql));
                if (!prepared)
                    return std::unexpected(prepared.error());
                if (auto ok = prepared->run(); !ok)
                    return ok;
            }
            m_tableReady = true;
        }
        auto stage = statement(StageSlot, "INSERT INTO temp.syncline_batch_outcomes (seq, accepted, error, destination_id) "
                                          "VALUES (?1, ?2, ?3, ?4)");
        if (!stage)
            return std::unexpected(stage.error());
        SqliteStatement &s = **stage;
        s.bind(1, rows[i].seq).bind(2, qint64(outcome.accepted ? 1 : 0));
        if (outcome.error.isEmpty())
            s.bindNull(3);
        else
            s.bind(3, outcome.error);
        if (outcome.destinationId.isEmpty())
            s.bindNull(4);
        else
            s.bind(4, outcome.destinationId);
        staged = true;
        if (auto ok = s.run(); !ok)
            return ok;
    }

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Binds the parameters the statement has of ?1 sync, ?2 run, ?3 plan, ?4/?5 seq range, ?6 now.
    auto bindRange = [&](SqliteStatement &s) -> SqliteStatement & {
        const qint64 values[] = {syncId, runId, planId, firstSeq, lastSeq, now};
        for (int i = 1; i <= 6; ++i)
            if (sqlite3_bind_parameter_name(s.handle(), i))
                s.bind(i, values[i - 1]);
        return s;
    };

    // Every row's outcome, as the destination answered it.
    auto outcomesStatement
        = staged ? statement(OutcomesStagedSlot,
                             OUTCOMES_INSERT "SELECT ?2, r.key_hash, r.key, r.seq, r.action, "
                                             "CASE WHEN o.accepted = 0 THEN 1 ELSE 0 END, "
                                             "o.error, o.destination_id FROM " BATCH_ROWS_STAGED)
                 : statement(OutcomesSlot, OUTCOMES_INSERT "SELECT ?2, r.key_hash, r.key, r.seq, r.action, 0, "
                                                           "NULL, NULL FROM " BATCH_ROWS);
    if (!outcomesStatement)
        return std::unexpected(outcomesStatement.error());
    if (auto ok = bindRange(**outcomesStatement).run(); !ok)
        return ok;

    // The ledger moves forward for every accepted row sent as upsert, update or insert, with
    // the plan row's source hash (warehouse_hash).
    auto accept = statement(staged ? AcceptStagedSlot : AcceptSlot, nullptr);
    if (!accept)
        return std::unexpected(accept.error());
    if (auto ok = bindRange(**accept).run(); !ok)
        return ok;

    if (staged) {
        auto unstage = statement(UnstageSlot, "DELETE FROM temp.syncline_batch_outcomes");
        if (!unstage)
            return std::unexpected(unstage.error());
        if (auto ok = (*unstage)->run(); !ok)
            return ok;
    }

    // The rest, one key at a time: rejections, and accepted deletes and clears.
    for (size_t i = 0; i < rows.size(); ++i) {
        const PlanRow &row = rows[i];
        const connector::RecordOutcome &outcome = outcomes[i];
        Result<void> moved;
        if (!outcome.accepted)
            moved = m_ledger.reject(syncId, row.key, row.keyHash, outcome.error);
        else if (row.action == Operation::Delete)
            moved = m_ledger.erase(syncId, row.key, row.keyHash);
        else if (row.action == Operation::Clear)
            moved = m_ledger.markCleared(syncId, row.key, row.keyHash);
        if (!moved)
            return moved;
    }
    return {};
}

} // namespace syncline::engine::state
