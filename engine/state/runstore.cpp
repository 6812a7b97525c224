#include "engine/state/runstore.h"

#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QDateTime>
#include <QJsonDocument>

#include <sqlite3.h>
#include <xxhash.h>

namespace syncline::engine::state {

namespace {

const QString kRunColumns = QStringLiteral(
    "id, sync_id, plan_id, generation, status, pid, started_at, finished_at, planned, sent, accepted, rejected, "
    "timings, error, started_by");

RunInfo readRun(const SqliteStatement &s)
{
    RunInfo run;
    run.id = s.int64(0);
    run.syncId = s.int64(1);
    if (!s.isNull(2))
        run.planId = s.int64(2);
    run.generation = s.int64(3);
    run.status = s.text(4);
    run.pid = s.int64(5);
    run.startedAtMs = s.int64(6);
    run.finishedAtMs = s.isNull(7) ? 0 : s.int64(7);
    run.counts = RunCounts{s.int64(8), s.int64(9), s.int64(10), s.int64(11)};
    run.timings = QJsonDocument::fromJson(s.text(12).toUtf8()).object();
    run.error = s.text(13);
    run.trigger = runTriggerFromName(s.text(14)).value_or(RunTrigger::Manual);
    return run;
}

Result<std::vector<RunInfo>> readRuns(SqliteStatement &s)
{
    std::vector<RunInfo> runs;
    for (;;) {
        auto row = s.step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        runs.push_back(readRun(s));
    }
    return runs;
}

} // namespace

QString runTriggerName(RunTrigger trigger)
{
    switch (trigger) {
    case RunTrigger::Manual: return QStringLiteral("manual");
    case RunTrigger::Schedule: return QStringLiteral("schedule");
    case RunTrigger::Cli: return QStringLiteral("cli");
    case RunTrigger::CatchUp: return QStringLiteral("catch-up");
    }
    return QStringLiteral("manual");
}

std::optional<RunTrigger> runTriggerFromName(const QString &name)
{
    for (RunTrigger trigger : {RunTrigger::Manual, RunTrigger::Schedule, RunTrigger::Cli, RunTrigger::CatchUp})
        if (runTriggerName(trigger) == name)
            return trigger;
    return std::nullopt;
}

RunStore::RunStore(Workspace &workspace) : m_workspace(workspace) {}

RunStore::~RunStore() = default;

Result<qint64> RunStore::create(qint64 syncId, std::optional<qint64> planId, qint64 generation, qint64 pid, qint64 planned,
                                RunTrigger trigger)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("INSERT INTO runs (sync_id, plan_id, generation, status, pid, started_at, "
                                                     "planned, started_by) VALUES (?1, ?2, ?3, 'running', ?4, ?5, ?6, ?7)"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId);
    if (planId)
        s->bind(2, *planId);
    else
        s->bindNull(2);
    s->bind(3, generation).bind(4, pid).bind(5, QDateTime::currentMSecsSinceEpoch()).bind(6, planned);
    s->bind(7, runTriggerName(trigger));
    if (auto ok = s->run(); !ok)
        return std::unexpected(ok.error());
    return qint64(sqlite3_last_insert_rowid(m_workspace.handle()));
}

Result<void> RunStore::addOutcome(qint64 runId, qint64 seq, std::string_view key, std::uint64_t keyHash,
                                  connector::Operation operation, const connector::RecordOutcome &outcome)
{
    if (!m_insertOutcome) {
        auto s = SqliteStatement::prepare(m_workspace.handle(),
                                          QStringLiteral("INSERT INTO run_rows (run_id, seq, key, op, rejected, error, "
                                                         "destination_id, key_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
        if (!s)
            return std::unexpected(s.error());
        m_insertOutcome = std::make_unique<SqliteStatement>(std::move(*s));
    }
    SqliteStatement &s = *m_insertOutcome;
    s.bind(1, runId).bind(2, seq).bind(3, key).bind(4, connector::operationName(operation));
    s.bind(5, qint64(outcome.accepted ? 0 : 1));
    if (outcome.error.isEmpty())
        s.bindNull(6);
    else
        s.bind(6, outcome.error);
    if (outcome.destinationId.isEmpty())
        s.bindNull(7);
    else
        s.bind(7, outcome.destinationId);
    s.bind(8, static_cast<qint64>(keyHash));
    return s.run();
}

Result<void> RunStore::finish(const RunInfo &run)
{
    auto s = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("UPDATE runs SET status = ?2, finished_at = ?3, planned = ?4, sent = ?5, accepted = ?6, "
                       "rejected = ?7, timings = ?8, error = ?9 WHERE id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    return s->bind(1, run.id)
        .bind(2, run.status)
        .bind(3, run.finishedAtMs ? run.finishedAtMs : QDateTime::currentMSecsSinceEpoch())
        .bind(4, run.counts.planned)
        .bind(5, run.counts.sent)
        .bind(6, run.counts.accepted)
        .bind(7, run.counts.rejected)
        .bind(8, QString::fromUtf8(QJsonDocument(run.timings).toJson(QJsonDocument::Compact)))
        .bind(9, run.error.isNull() ? QStringLiteral("") : run.error)
        .run();
}

Result<RunInfo> RunStore::run(qint64 runId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("SELECT ") + kRunColumns + QStringLiteral(" FROM runs WHERE id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, runId);
    auto runs = readRuns(*s);
    if (!runs)
        return std::unexpected(runs.error());
    if (runs->empty())
        return fail(QStringLiteral("run.not_found"), QStringLiteral("there is no run %1 in this workspace").arg(runId));
    return runs->front();
}

Result<std::vector<RunInfo>> RunStore::runs(std::optional<qint64> syncId, int limit)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("SELECT ") + kRunColumns
                                          + QStringLiteral(" FROM runs WHERE (?1 IS NULL OR sync_id = ?1) "
                                                           "ORDER BY id DESC LIMIT ?2"));
    if (!s)
        return std::unexpected(s.error());
    if (syncId)
        s->bind(1, *syncId);
    else
        s->bindNull(1);
    s->bind(2, qint64(limit));
    return readRuns(*s);
}

Result<std::vector<RunInfo>> RunStore::running(qint64 syncId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("SELECT ") + kRunColumns
                                          + QStringLiteral(" FROM runs WHERE sync_id = ?1 AND status = 'running' ORDER BY id"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId);
    return readRuns(*s);
}

Result<std::optional<qint64>> RunStore::lastStartedAt(qint64 syncId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("SELECT max(started_at) FROM runs WHERE sync_id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId);
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row || s->isNull(0))
        return std::optional<qint64>();
    return std::optional<qint64>(s->int64(0));
}

Result<std::vector<RowOutcome>> RunStore::outcomesForKey(qint64 syncId, std::string_view key, int limit)
{
    auto s = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("SELECT r.id, r.started_at, rr.key, rr.op, rr.rejected, rr.error, rr.destination_id "
                       "FROM runs r JOIN run_rows rr ON rr.run_id = r.id AND rr.key_hash = ?4 AND rr.key = ?2 "
                       "WHERE r.sync_id = ?1 ORDER BY r.id DESC LIMIT ?3"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId).bind(2, key).bind(3, qint64(limit)).bind(4, static_cast<qint64>(XXH3_64bits(key.data(), key.size())));
    std::vector<RowOutcome> outcomes;
    for (;;) {
        auto row = s->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        outcomes.push_back(RowOutcome{s->int64(0), s->int64(1), std::string(s->textView(2)), s->text(3),
                                      s->int64(4) == 0, s->text(5), s->text(6)});
    }
    return outcomes;
}

Result<void> RunStore::pruneOutcomes(qint64 syncId, int keepRuns)
{
    auto s = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("DELETE FROM run_rows WHERE run_id IN (SELECT id FROM runs WHERE sync_id = ?1 AND id < "
                       "(SELECT min(id) FROM (SELECT id FROM runs WHERE sync_id = ?1 ORDER BY id DESC LIMIT ?2)))"));
    if (!s)
        return std::unexpected(s.error());
    return s->bind(1, syncId).bind(2, qint64(keepRuns)).run();
}

} // namespace syncline::engine::state
