#include "engine/sync/syncrunner.h"

#include "engine/connector/connectorregistry.h"
#include "engine/diff/planaction.h"
#include "engine/mapping/jsonreader.h"
#include "engine/secrets/cachingsecretresolver.h"
#include "engine/state/batchlanding.h"
#include "engine/state/exchangelog.h"
#include "engine/state/foreignkeycheckspause.h"
#include "engine/state/ledgerstore.h"
#include "engine/state/workspace.h"
#include "engine/sync/syncbundle.h"
#include "engine/sync/synclock.h"
#include "engine/sync/worklane.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QThread>

#include <algorithm>
#include <set>
#include <utility>

namespace syncline::engine::sync {

using connector::Operation;
using state::DiffOp;

namespace {

const QString kInterrupted = QStringLiteral(
    "interrupted: the process stopped before the run finished; rows that were in flight are sent again by the next run");

Error refusal(const QString &code, const QString &message)
{
    return Error{code, message, false, {}};
}

// The payload a Clear sends: every mapped field null except the match field, which identifies the
// record. Edited as raw JSON tokens, like the file destination edits stored records: the match
// value goes out byte for byte as delivered, and the members keep the payload's canonical order.
std::string clearedPayload(const std::string &before, const QString &matchField)
{
    std::vector<mapping::json::Member> members;
    if (!mapping::json::splitObject(before, members))
        return "{}";
    const std::string match = matchField.toStdString();
    std::string name;
    std::string cleared = "{";
    for (const mapping::json::Member &member : members) {
        if (cleared.size() > 1)
            cleared.push_back(',');
        cleared.append(member.key);
        cleared.push_back(':');
        const bool isMatch = mapping::json::decodeString(member.key, name) && name == match;
        cleared.append(isMatch ? member.value : std::string_view("null"));
    }
    cleared.push_back('}');
    return cleared;
}

connector::FieldType fieldTypeOfCast(const QString &cast)
{
    const QString kind = cast.section(QLatin1Char(':'), 0, 0).trimmed().toLower();
    if (kind == QLatin1String("number"))
        return connector::FieldType::Number;
    if (kind == QLatin1String("integer"))
        return connector::FieldType::Integer;
    if (kind == QLatin1String("boolean"))
        return connector::FieldType::Boolean;
    if (kind == QLatin1String("date"))
        return connector::FieldType::Date;
    if (kind == QLatin1String("timestamp"))
        return connector::FieldType::Timestamp;
    if (kind == QLatin1String("json"))
        return connector::FieldType::Json;
    return connector::FieldType::Text;
}

// The fields a run sends, in mapping order, the match field first when the mapping lacks it.
std::vector<connector::FieldSpec> mappedFields(const SyncDef &sync)
{
    std::vector<connector::FieldSpec> fields;
    bool hasMatch = false;
    for (const MappingEntry &entry : sync.mapping) {
        connector::FieldSpec field;
        field.name = entry.field;
        field.type = fieldTypeOfCast(entry.cast);
        field.identifier = entry.field == sync.matchField;
        hasMatch = hasMatch || field.identifier;
        fields.push_back(field);
    }
    if (!hasMatch && !sync.matchField.isEmpty()) {
        connector::FieldSpec match;
        match.name = sync.matchField;
        match.identifier = true;
        fields.insert(fields.begin(), match);
    }
    return fields;
}

// Sleeps `delay` unless cancelled first; false when cancelled.
bool waitUnlessCancelled(std::chrono::milliseconds delay, const CancellationToken &cancellation)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < delay.count()) {
        if (cancellation.isCancelled())
            return false;
        QThread::msleep(20);
    }
    return !cancellation.isCancelled();
}

} // namespace

Result<void> SyncRunner::recoverInterrupted(qint64 syncId)
{
    state::RunStore runs(m_services.workspace);
    state::LedgerStore ledger(m_services.workspace);
    if (auto ok = state::PlanStore(m_services.workspace).discardUnfinished(syncId); !ok)
        return ok;
    auto running = runs.running(syncId);
    if (!running)
        return std::unexpected(running.error());
    // The caller holds the sync's lock, so every 'running' run (and every unfinished plan
    // discarded above) belongs to a process that died, and every batch still in flight to a
    // run that died or could not record its outcomes.
    return m_services.workspace.transaction([&]() -> Result<void> {
        for (state::RunInfo run : *running) {
            run.status = QStringLiteral("failed");
            run.error = kInterrupted;
            run.finishedAtMs = QDateTime::currentMSecsSinceEpoch();
            if (auto ok = runs.finish(run); !ok)
                return ok;
        }
        return ledger.releaseInFlight(syncId, std::nullopt, kInterrupted);
    });
}

Result<state::RunInfo> SyncRunner::apply(qint64 planId, const ApplyOptions &options)
{
    state::PlanStore plans(m_services.workspace);
    auto plan = plans.plan(planId);
    if (!plan)
        return std::unexpected(plan.error());
    auto syncName = syncNameById(m_services.workspace, plan->syncId);
    if (!syncName)
        return std::unexpected(syncName.error());
    auto lock = SyncLock::acquire(m_services.workspace.path(), plan->syncId, *syncName);
    if (!lock)
        return std::unexpected(lock.error());
    lock->cancelWhenLost(options.cancellation);
    if (auto ok = recoverInterrupted(plan->syncId); !ok)
        return std::unexpected(ok.error());
    return applyLocked(*plan, *syncName, options);
}

Result<RunResult> SyncRunner::run(const QString &syncName, const PlanOptions &planOptions, const ApplyOptions &applyOptions)
{
    auto bundle = loadSyncBundle(m_services.workspace, syncName);
    if (!bundle)
        return std::unexpected(bundle.error());
    auto lock = SyncLock::acquire(m_services.workspace.path(), bundle->syncId, syncName);
    if (!lock)
        return std::unexpected(lock.error());
    return runHolding(*lock, syncName, planOptions, applyOptions);
}

Result<RunResult> SyncRunner::runHolding(const SyncLock &lock, const QString &syncName, const PlanOptions &planOptions,
                                         const ApplyOptions &applyOptions)
{
    auto bundle = loadSyncBundle(m_services.workspace, syncName);
    if (!bundle)
        return std::unexpected(bundle.error());
    if (lock.syncId() != bundle->syncId)
        return fail(QStringLiteral("sync.lock"),
                    QStringLiteral("the lock held is not the lock of sync '%1'; take it with SyncLock::acquire").arg(syncName));
    // Another process took the lease over (this one was suspended past its expiry): stop sending.
    lock.cancelWhenLost(planOptions.cancellation);
    lock.cancelWhenLost(applyOptions.cancellation);
    if (auto ok = recoverInterrupted(bundle->syncId); !ok)
        return std::unexpected(ok.error());
    RunResult result;
    auto plan = SyncPlanner(m_services).planHoldingLock(syncName, planOptions);
    if (!plan)
        return std::unexpected(plan.error());
    result.plan = *plan;
    if (plan->blocked && !applyOptions.force)
        return result;
    auto run = applyLocked(*plan, syncName, applyOptions);
    if (!run)
        return std::unexpected(run.error());
    result.run = *run;
    return result;
}

Result<state::RunInfo> SyncRunner::applyLocked(const state::PlanInfo &plan, const QString &syncName,
                                               const ApplyOptions &options)
{
    state::Workspace &workspace = m_services.workspace;
    state::PlanStore plans(workspace);
    state::LedgerStore ledger(workspace);
    state::RunStore runs(workspace);
    state::BatchLanding landing(workspace, ledger);

    // Refusals: nothing has been sent yet.
    if (plan.status == QStringLiteral("applied"))
        return std::unexpected(refusal(QStringLiteral("plan.applied"),
                                       QStringLiteral("plan %1 was already applied; make a new plan with "
                                                      "'syncline-cli plan %2'")
                                           .arg(plan.id)
                                           .arg(syncName)));
    if (plan.status == QStringLiteral("building"))
        return std::unexpected(refusal(QStringLiteral("plan.incomplete"),
                                       QStringLiteral("plan %1 was never completed; make a new plan with "
                                                      "'syncline-cli plan %2'")
                                           .arg(plan.id)
                                           .arg(syncName)));
    auto generation = ledger.generation(plan.syncId);
    if (!generation)
        return std::unexpected(generation.error());
    if (*generation != plan.baseGeneration || plan.status == QStringLiteral("superseded")) {
        auto change = ledger.lastChange(plan.syncId);
        return std::unexpected(refusal(
            QStringLiteral("plan.stale"),
            QStringLiteral("plan %1 was made before %2; make a new plan with 'syncline-cli plan %3'")
                .arg(plan.id)
                .arg(change && !change->isEmpty() ? *change : QStringLiteral("another apply of sync '%1'").arg(syncName),
                     syncName)));
    }
    if (plan.blocked && !options.force)
        return std::unexpected(refusal(QStringLiteral("plan.blocked"),
                                       QStringLiteral("plan %1 of sync '%2' is blocked: %3").arg(plan.id).arg(syncName, plan.guardrail)));

    auto bundle = loadSyncBundle(workspace, syncName);
    if (!bundle)
        return std::unexpected(bundle.error());
    // Each secret is read once for the run: by the connector, and for scrubbing the inspector.
    secrets::CachingSecretResolver runSecrets(m_services.secrets);
    auto created = m_services.connectors.create(bundle->destination, runSecrets);
    if (!created)
        return std::unexpected(created.error());
    std::unique_ptr<connector::Connector> destination = std::move(*created);
    const connector::Capabilities capabilities = destination->capabilities();
    std::set<Operation> needed;
    const std::pair<DiffOp, qint64> classes[] = {{DiffOp::Add, plan.counts.added},
                                                 {DiffOp::Change, plan.counts.changed},
                                                 {DiffOp::Remove, plan.counts.removed},
                                                 {DiffOp::Unchanged, plan.counts.unchanged}};
    for (const auto &[op, count] : classes)
        if (count > 0)
            for (bool known : {false, true})
                if (auto action = diff::actionFor(op, plan.mode, plan.onRemoved, known))
                    needed.insert(*action);
    for (Operation op : needed)
        if (std::find(capabilities.operations.begin(), capabilities.operations.end(), op) == capabilities.operations.end())
            return std::unexpected(refusal(
                QStringLiteral("destination.unsupported"),
                QStringLiteral("destination '%1' (%2) cannot %3 records, which plan %4 of sync '%5' needs; change the "
                               "sync's mode or on_removed")
                    .arg(bundle->destination.name, bundle->destination.type, connector::operationName(op))
                    .arg(plan.id)
                    .arg(syncName)));

    // Start: the run exists, the plan is applied and the generation moves, in one transaction,
    // so every other plan of this sync is stale from now on.
    state::RunInfo run;
    run.syncId = plan.syncId;
    run.planId = plan.id;
    run.pid = QCoreApplication::applicationPid();
    run.generation = *generation + 1;
    run.counts.planned = plan.counts.toSend;
    run.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    run.trigger = options.trigger;
    auto started = workspace.transaction([&]() -> Result<void> {
        auto id = runs.create(plan.syncId, plan.id, run.generation, run.pid, run.counts.planned, options.trigger);
        if (!id)
            return std::unexpected(id.error());
        run.id = *id;
        if (auto bumped = ledger.bumpGeneration(plan.syncId,
                                                QStringLiteral("run %1 of sync '%2' applied changes").arg(run.id).arg(syncName));
            !bumped)
            return std::unexpected(bumped.error());
        if (auto ok = plans.markApplied(plan.syncId, plan.id); !ok)
            return ok;
        return runs.pruneOutcomes(plan.syncId, 20);
    });
    if (!started)
        return std::unexpected(started.error());
    if (options.progress)
        options.progress(run.id, run.counts);

    QElapsedTimer clock;
    qint64 deliverNs = 0;
    qint64 commitNs = 0;
    qint64 laneWaitNs = 0; // of commitNs, what the runner waited for after a deliver() ended
    bool cancelled = false;
    QString failure;

    connector::RunContext context;
    context.runId = run.id;
    context.syncName = syncName;
    context.destinationName = bundle->destination.name;
    context.object = bundle->sync.object;
    context.matchField = bundle->sync.matchField;
    context.fields = mappedFields(bundle->sync);
    context.diagnostics = &m_services.diagnostics;
    // The request inspector: written in this runner's own transactions (per batch, and once at
    // the end), scrubbed of the destination's secret values (one that cannot be resolved is
    // not sent either, so there is nothing to scrub).
    for (const SecretRef &ref : bundle->destination.secrets)
        (void)runSecrets.resolve(ref); // cached: read already if the connector used it
    state::ExchangeLog exchanges(workspace, run.id, runSecrets.values());
    context.exchanges = &exchanges;
    destination->setRunContext(context);
    if (auto ok = destination->beginRun(bundle->sync.object); !ok)
        failure = ok.error().toString();
    const int batchSize = std::max(1, capabilities.maxBatchSize);
    // A batch the destination answered whose outcomes are not recorded yet.
    struct Delivered
    {
        std::vector<state::PlanRow> rows;
        std::vector<connector::RecordOutcome> outcomes;
    };
    // Records a delivered batch in one transaction: outcomes, ledger and (only on this thread,
    // outside deliver(), where the connector records them) the inspector's pending exchanges.
    auto land = [&](const Delivered &done, bool inspect, qint64 &ns) -> Result<bool> {
        QElapsedTimer landClock;
        landClock.start();
        bool inspected = false;
        auto committed = workspace.transaction([&]() -> Result<void> {
            if (auto ok = landing.land(plan.syncId, run.id, plan.id, done.rows, done.outcomes); !ok)
                return ok;
            inspected = inspect && bool(exchanges.writePending());
            return {};
        });
        ns += landClock.nsecsElapsed();
        if (!committed)
            return std::unexpected(committed.error());
        return inspected;
    };
    auto counted = [&](const Delivered &done) {
        run.counts.sent += qint64(done.rows.size());
        for (const connector::RecordOutcome &outcome : done.outcomes)
            ++(outcome.accepted ? run.counts.accepted : run.counts.rejected);
        if (options.progress)
            options.progress(run.id, run.counts);
    };
    // With one request in flight, whatever the runner does between an answer and the next request
    // adds to the run's wall time. So while the connector delivers a batch, a thread of the
    // runner's own lands the batch before it and reads the next batch's rows: the workspace is
    // used by one thread at a time (deliver() never touches it). Landing late keeps every
    // promise: a batch stays in in_flight_batches until its outcomes and ledger rows commit
    // together, so a kill resends it like any batch in flight. It widens what a kill resends to
    // two batches, harmless for idempotent operations; a plan with inserts lands each batch
    // before the next is sent, so insert-only syncs resend at most the one batch in flight.
    const bool landWhileDelivering = !needed.contains(Operation::Insert);
    struct Background
    {
        std::optional<Delivered> landed;    // the batch it landed, if any
        std::optional<Error> landError;     // its landing failed (nothing of it was recorded)
        qint64 landNs = 0;
        std::optional<Result<std::vector<state::PlanRow>>> next; // the next batch's rows
    };
    std::optional<Delivered> unlanded;
    WorkLane lane;
    // Lands `unlanded` on this thread; false when that failed (then the run fails).
    auto landHere = [&]() -> bool {
        auto landed = land(*unlanded, true, commitNs);
        if (landed && *landed)
            exchanges.pendingWritten();
        if (landed) {
            counted(*unlanded);
        } else {
            // The destination has the batch but its outcomes are not recorded: it stays in flight
            // until released here (or by the next run), and the next run sends it again.
            if (failure.isEmpty())
                failure = landed.error().toString();
            (void)workspace.transaction([&] { return ledger.releaseInFlight(plan.syncId, run.id, failure); });
        }
        unlanded.reset();
        return bool(landed);
    };
    std::optional<Result<std::vector<state::PlanRow>>> ahead;
    qint64 afterSeq = 0;
    while (failure.isEmpty()) {
        if (options.cancellation.isCancelled()) {
            cancelled = true;
            break;
        }
        Result<std::vector<state::PlanRow>> rows = ahead ? std::move(*ahead) : plans.rows(plan.id, afterSeq, batchSize, true);
        ahead.reset();
        if (!rows) {
            failure = rows.error().toString();
            break;
        }
        if (rows->empty())
            break;
        afterSeq = rows->back().seq;

        // In flight before it is sent: a crash from here on leaves a record of exactly which rows
        // may have reached the destination (the next run sends them again, and says so). The
        // exchanges the connector recorded during the last deliver() go in the same transaction.
        const qint64 firstSeq = rows->front().seq;
        clock.start();
        bool inspected = false;
        auto marked = workspace.transaction([&]() -> Result<void> {
            if (auto ok = ledger.markBatchInFlight(run.id, plan.id, firstSeq, rows->back().seq); !ok)
                return ok;
            inspected = exchanges.hasPending() && bool(exchanges.writePending());
            return {};
        });
        commitNs += clock.nsecsElapsed();
        if (!marked) {
            failure = marked.error().toString();
            break;
        }
        if (inspected)
            exchanges.pendingWritten();

        connector::Batch batch;
        batch.object = bundle->sync.object;
        batch.records.reserve(rows->size());
        // The payloads move into the batch (landing needs each row's seq, key and action only).
        for (state::PlanRow &row : *rows) {
            connector::OutgoingRecord record;
            record.key = row.key;
            record.operation = *row.action;
            record.destinationId = row.destinationId;
            if (row.action == Operation::Delete)
                record.payload = std::move(row.beforePayload);
            else if (row.action == Operation::Clear)
                record.payload = clearedPayload(row.beforePayload, bundle->sync.matchField);
            else
                record.payload = std::move(row.payload);
            batch.records.push_back(std::move(record));
        }

        // From here until wait() below, only the lane's thread touches the workspace.
        Background done;
        lane.run([&, toLand = std::exchange(unlanded, std::nullopt), from = afterSeq]() mutable {
            if (toLand) {
                if (auto ok = land(*toLand, false, done.landNs); !ok)
                    done.landError = ok.error();
                else
                    done.landed = std::move(toLand);
            }
            if (!done.landError)
                done.next = plans.rows(plan.id, from, batchSize, true);
        });

        clock.start();
        Result<std::vector<connector::RecordOutcome>> outcomes = std::vector<connector::RecordOutcome>{};
        for (int attempt = 0;; ++attempt) {
            outcomes = destination->deliver(batch, options.cancellation);
            if (outcomes)
                break;
            if (options.cancellation.isCancelled() || !outcomes.error().retryable || attempt >= options.retries)
                break;
            m_services.diagnostics.report(Severity::Warning, QStringLiteral("sync '%1'").arg(syncName),
                                          QStringLiteral("batch failed (%1); retrying").arg(outcomes.error().toString()));
            if (!waitUnlessCancelled(options.retryDelay * (1 << attempt), options.cancellation))
                break;
        }
        deliverNs += clock.nsecsElapsed();

        clock.start();
        lane.wait();
        laneWaitNs += clock.nsecsElapsed();
        commitNs += done.landNs;
        if (done.landed)
            counted(*done.landed);
        if (done.next)
            ahead = std::move(done.next);
        if (done.landError) {
            // The batch before this one reached the destination but its outcomes are not
            // recorded: it and this one stay in flight until released here (or by the next run),
            // and the next run sends them again.
            failure = done.landError->toString();
            (void)workspace.transaction([&] { return ledger.releaseInFlight(plan.syncId, run.id, failure); });
            break;
        }

        if (!outcomes || outcomes->size() != rows->size()) {
            if (options.cancellation.isCancelled())
                cancelled = true;
            else
                failure = outcomes ? QStringLiteral("the destination answered %1 outcomes for %2 records")
                                         .arg(outcomes->size())
                                         .arg(rows->size())
                                   : outcomes.error().toString();
            // The batch's rows stay dirty (their ledger payload did not move): the next run sends them.
            bool written = false;
            if (workspace.transaction([&]() -> Result<void> {
                    if (auto ok = ledger.releaseInFlight(plan.syncId, run.id, failure); !ok)
                        return ok;
                    written = bool(exchanges.writePending());
                    return {};
                })
                && written)
                exchanges.pendingWritten();
            break;
        }

        unlanded = Delivered{std::move(*rows), std::move(*outcomes)};
        if (!landWhileDelivering && !landHere())
            break;
    }
    // The last batch answered (or one answered before a cancel or a failure) is recorded now.
    if (unlanded)
        (void)landHere();

    if (auto ok = destination->finishRun(failure.isEmpty() && !cancelled); !ok && failure.isEmpty())
        failure = ok.error().toString();
    // Whatever the connector recorded after the last batch (or while closing) is written now.
    destination.reset();
    if (exchanges.hasPending()) {
        if (auto written = workspace.transaction([&] { return exchanges.writePending(); }); written)
            exchanges.pendingWritten();
        else
            m_services.diagnostics.report(Severity::Warning, QStringLiteral("sync '%1'").arg(syncName),
                                          QStringLiteral("could not store the run's HTTP exchanges for 'inspect': %1")
                                              .arg(written.error().toString()));
    }

    // The plan's rows go (the run's outcomes say what happened to each), then payloads nothing
    // refers to any more are collected in bulk, once enough were written since the last time (a
    // pass over every payload of the sync, so not every run). A failure here loses nothing: the
    // next plan applied drops the rows, the next run collects.
    clock.start();
    // Only rows no foreign key points to are deleted here (measured at 100,000 rows: the drop
    // took 28 times the CPU with the checks on).
    Result<void> collected;
    {
        const state::ForeignKeyChecksPause unchecked(workspace);
        collected = workspace.transaction([&]() -> Result<void> {
            if (auto dropped = plans.dropRows(plan.id); !dropped)
                return dropped;
            auto done = ledger.collectGarbage(plan.syncId, plan.ledgerDelivered + plan.counts.added);
            return done ? Result<void>{} : std::unexpected(done.error());
        });
    }
    if (!collected)
        m_services.diagnostics.report(Severity::Warning, QStringLiteral("sync '%1'").arg(syncName),
                                      QStringLiteral("could not reclaim replaced payloads: %1").arg(collected.error().toString()));
    else if (auto released = workspace.releaseFreePages(); !released)
        m_services.diagnostics.report(Severity::Warning, QStringLiteral("sync '%1'").arg(syncName),
                                      QStringLiteral("could not shrink the workspace file: %1").arg(released.error().toString()));
    const qint64 cleanupNs = clock.nsecsElapsed();
    commitNs += cleanupNs;

    run.status = cancelled                   ? QStringLiteral("cancelled")
                 : !failure.isEmpty()        ? QStringLiteral("failed")
                 : run.counts.rejected > 0   ? QStringLiteral("partial")
                                             : QStringLiteral("succeeded");
    run.error = cancelled ? QStringLiteral("cancelled; rows not yet sent stay dirty for the next run") : failure;
    run.timings = plan.timings;
    run.timings.remove(QStringLiteral("model_rows"));
    run.timings.insert(QStringLiteral("deliver_ms"), double(deliverNs / 1000000));
    run.timings.insert(QStringLiteral("commit_ms"), double(commitNs / 1000000));
    // Landing runs while the next batch is delivered: what was left to wait for once it ended.
    run.timings.insert(QStringLiteral("commit_wait_ms"), double(laneWaitNs / 1000000));
    // Of commit_ms, the end of the run: plan rows dropped, payloads collected, file shrunk.
    run.timings.insert(QStringLiteral("cleanup_ms"), double(cleanupNs / 1000000));
    run.finishedAtMs = QDateTime::currentMSecsSinceEpoch();
    if (auto ok = runs.finish(run); !ok)
        return std::unexpected(ok.error());
    return run;
}

} // namespace syncline::engine::sync
