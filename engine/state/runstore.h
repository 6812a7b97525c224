#pragma once
// Run history: one row per execution of a plan (status, counts, per-phase timings, error)
// and one per record sent (operation, accepted or rejected, error), searchable by key.
// Per-row outcomes are written by the runner inside its per-batch transaction (BatchLanding,
// one statement per batch; addOutcome() is the same, one row at a time).
// Thread: the workspace's thread.

#include "engine/connector/connector.h"
#include "engine/core/error.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syncline::engine::state {

class Workspace;
class SqliteStatement;

struct RunCounts
{
    qint64 planned = 0;  // rows the plan asked to send
    qint64 sent = 0;     // rows handed to the destination
    qint64 accepted = 0;
    qint64 rejected = 0;
};

// What started a run: a person in the app, the schedule, the command line, or the scheduler
// catching up after several missed times. Stored as its name in runs.started_by.
enum class RunTrigger { Manual, Schedule, Cli, CatchUp };
QString runTriggerName(RunTrigger trigger);  // manual, schedule, cli, catch-up
std::optional<RunTrigger> runTriggerFromName(const QString &name);

struct RunInfo
{
    qint64 id = 0;
    qint64 syncId = 0;
    std::optional<qint64> planId;
    qint64 generation = 0;
    QString status;        // running, succeeded, partial, failed, cancelled
    qint64 pid = 0;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    RunCounts counts;
    QJsonObject timings;   // extract_ms, map_diff_ms, deliver_ms, commit_ms
    QString error;
    RunTrigger trigger = RunTrigger::Manual;
};

struct RowOutcome
{
    qint64 runId = 0;
    qint64 atMs = 0;       // the run's start
    std::string key;
    QString operation;     // upsert, update, insert, delete, clear
    bool accepted = false;
    QString error;
    QString destinationId;
};

class RunStore
{
public:
    explicit RunStore(Workspace &workspace);
    ~RunStore();
    RunStore(const RunStore &) = delete;
    RunStore &operator=(const RunStore &) = delete;

    Result<qint64> create(qint64 syncId, std::optional<qint64> planId, qint64 generation, qint64 pid, qint64 planned,
                          RunTrigger trigger = RunTrigger::Manual);
    // One record's outcome (call inside the batch's transaction).
    Result<void> addOutcome(qint64 runId, qint64 seq, std::string_view key, std::uint64_t keyHash,
                            connector::Operation operation, const connector::RecordOutcome &outcome);
    Result<void> finish(const RunInfo &run);

    // "run.not_found" when absent.
    Result<RunInfo> run(qint64 runId);
    // Newest first; every sync when syncId is unset.
    Result<std::vector<RunInfo>> runs(std::optional<qint64> syncId, int limit);
    Result<std::vector<RunInfo>> running(qint64 syncId);
    // The start of the sync's newest run (Unix ms), or nothing when it never ran.
    Result<std::optional<qint64>> lastStartedAt(qint64 syncId);
    // Newest first.
    Result<std::vector<RowOutcome>> outcomesForKey(qint64 syncId, std::string_view key, int limit);
    // Keeps per-row outcomes of the newest `keepRuns` runs of the sync only.
    Result<void> pruneOutcomes(qint64 syncId, int keepRuns);

private:
    Workspace &m_workspace;
    std::unique_ptr<SqliteStatement> m_insertOutcome;
};

} // namespace syncline::engine::state
