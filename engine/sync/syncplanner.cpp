#include "engine/sync/syncplanner.h"

#include "engine/connector/connectorregistry.h"
#include "engine/mapping/mapper.h"
#include "engine/secrets/secretresolver.h"
#include "engine/state/ledgerstore.h"
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"
#include "engine/sync/batchprefetcher.h"
#include "engine/sync/syncbundle.h"
#include "engine/sync/synclock.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/rowbatch.h"

#include <QElapsedTimer>
#include <QLocale>

#include <optional>

namespace syncline::engine::sync {

namespace {

// The match-collision check a sync needs, or nothing when its match values cannot collide: the
// match field is the model's one-column key, uncast, and the destination compares it exactly
// (case folding could still merge two distinct text keys).
std::optional<diff::MatchCollisionCheck> matchCheckFor(const SyncDef &sync, const connector::ObjectSpec &object,
                                                       const mapping::Mapper &mapper)
{
    if (sync.matchField.isEmpty() || mapper.matchColumn() < 0)
        return std::nullopt;
    bool caseInsensitive = false;
    for (const connector::FieldSpec &field : object.fields)
        if (field.name == sync.matchField)
            caseInsensitive = field.caseInsensitive;
    const bool folds = caseInsensitive
        && mapper.columns()[size_t(mapper.matchColumn())].kind == warehouse::ColumnKind::Text;
    if (mapper.matchIsKey() && !folds)
        return std::nullopt;
    return diff::MatchCollisionCheck{sync.object, sync.matchField, caseInsensitive};
}

void discard(state::Workspace &workspace, qint64 planId)
{
    auto s = state::SqliteStatement::prepare(workspace.handle(), QStringLiteral("DELETE FROM plans WHERE id = ?1"));
    if (s)
        (void)s->bind(1, planId).run();
}

// The guardrail verdict: empty when the plan may be applied without --force.
QString guardrailVerdict(const SyncDef &sync, const diff::DiffResult &result, RemovedRowAction onRemoved)
{
    if (sync.guardrails.stopOnEmptyModel && result.modelRows == 0 && result.ledgerDelivered > 0)
        return QStringLiteral("the model returned no rows but %1 records were delivered before; nothing will be "
                              "sent or removed unless you confirm with --force")
            .arg(formatCount(result.ledgerDelivered));
    if (onRemoved != RemovedRowAction::Ignore && result.ledgerDelivered > 0) {
        const double share = double(result.counts.removed) / double(result.ledgerDelivered);
        if (share > sync.guardrails.maxRemovedShare)
            return QStringLiteral("the plan removes %1 of %2 delivered records (%3%), more than this sync's limit of "
                                  "%4%; check the model, or confirm with --force")
                .arg(formatCount(result.counts.removed), formatCount(result.ledgerDelivered))
                .arg(share * 100.0, 0, 'f', 1)
                .arg(sync.guardrails.maxRemovedShare * 100.0, 0, 'g', 3);
    }
    return {};
}

} // namespace

QString formatCount(qint64 value)
{
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    return english.toString(value);
}

Result<state::PlanInfo> SyncPlanner::plan(const QString &syncName, const PlanOptions &options)
{
    // A run of the same sync discards plans still being built when it starts (they can only be
    // left by a process that died, as long as every planner holds the lock).
    auto bundle = loadSyncBundle(m_services.workspace, syncName);
    if (!bundle)
        return std::unexpected(bundle.error());
    auto lock = SyncLock::acquire(m_services.workspace.path(), bundle->syncId, syncName);
    if (!lock)
        return std::unexpected(lock.error());
    return planHoldingLock(syncName, options);
}

Result<state::PlanInfo> SyncPlanner::planHoldingLock(const QString &syncName, const PlanOptions &options)
{
    auto planned = planOnce(syncName, options);
    if (!planned && options.cancellation.isCancelled())
        return fail(QStringLiteral("run.cancelled"),
                    QStringLiteral("the plan of sync '%1' was cancelled; nothing was sent").arg(syncName));
    if (planned || planned.error().code != QLatin1String(diff::kLedgerIndexMiss))
        return planned;
    // About once in 2^32 changed rows the fast path's 32-bit check is fooled; the full check
    // caught it, and the plan is made again the exact way.
    m_services.diagnostics.report(Severity::Info, QStringLiteral("sync '%1'").arg(syncName),
                                  QStringLiteral("planning again without the ledger index (%1)").arg(planned.error().message));
    PlanOptions exact = options;
    exact.diff.ledgerIndex = false;
    return planOnce(syncName, exact);
}

Result<state::PlanInfo> SyncPlanner::planOnce(const QString &syncName, const PlanOptions &options)
{
    state::Workspace &workspace = m_services.workspace;
    auto bundle = loadSyncBundle(workspace, syncName);
    if (!bundle)
        return std::unexpected(bundle.error());
    const SyncDef &sync = bundle->sync;

    auto connector = m_services.connectors.create(bundle->destination, m_services.secrets);
    if (!connector)
        return std::unexpected(connector.error());
    auto object = (*connector)->object(sync.object);
    if (!object)
        return std::unexpected(object.error());

    warehouse::ConnectionSpec spec;
    spec.connectionString = bundle->source.connection;
    if (bundle->source.password.kind != SecretRef::Kind::None) {
        auto password = m_services.secrets.resolve(bundle->source.password);
        if (!password)
            return std::unexpected(password.error());
        spec.password = *password;
    }
    QElapsedTimer clock;
    clock.start();
    qint64 extractNs = 0;
    auto connection = warehouse::OdbcConnection::open(spec);
    if (!connection)
        return std::unexpected(connection.error());
    warehouse::QueryOptions query;
    query.rowsetSize = options.rowsetSize;
    query.cancellation = options.cancellation;
    auto cursor = (*connection)->execute(bundle->model.sql, query);
    if (!cursor)
        return std::unexpected(cursor.error());
    extractNs += clock.nsecsElapsed();
    const qint64 connectNs = extractNs;
    auto mapper = mapping::Mapper::compile(sync, (*cursor)->columns(), bundle->model.primaryKey, *object);
    if (!mapper)
        return std::unexpected(mapper.error());

    state::LedgerStore ledger(workspace);
    state::PlanStore plans(workspace);
    auto generation = ledger.generation(bundle->syncId);
    if (!generation)
        return std::unexpected(generation.error());
    const RemovedRowAction onRemoved = sync.effectiveOnRemoved();
    auto planId = plans.create(bundle->syncId, *generation, sync.mode, onRemoved);
    if (!planId)
        return std::unexpected(planId.error());

    auto build = [&]() -> Result<state::PlanInfo> {
        diff::DiffPlanner planner(workspace, ledger, plans, bundle->syncId, *planId, sync.mode, onRemoved, options.diff);
        if (auto check = matchCheckFor(sync, *object, *mapper))
            planner.checkMatchCollisions(std::move(*check));
        mapping::MappedRow row;
        QString reason;
        qint64 waitNs = 0;
        qint64 readRows = 0;
        {
            // The prefetcher reads the first blocks while the ledger index loads.
            BatchPrefetcher prefetcher(**cursor);
            if (auto ok = planner.loadLedgerIndex(); !ok)
                return std::unexpected(ok.error());
            for (;;) {
                if (options.cancellation.isCancelled())
                    return fail(QStringLiteral("run.cancelled"), QStringLiteral("the plan was cancelled; nothing was sent"));
                const qint64 waitStart = clock.nsecsElapsed();
                auto next = prefetcher.next();
                waitNs += clock.nsecsElapsed() - waitStart;
                if (!next)
                    return std::unexpected(next.error());
                if (!*next)
                    break;
                const warehouse::RowBatch &batch = **next;
                readRows += batch.rowCount();
                for (int r = 0; r < batch.rowCount(); ++r) {
                    row.key.clear();
                    row.keyHash = 0;
                    if (mapper->map(batch, r, row, &reason)) {
                        if (auto ok = planner.add(row); !ok)
                            return std::unexpected(ok.error());
                        continue;
                    }
                    // The mapper fills the key (and its hash) before mapping the payload: a row whose
                    // payload failed still has a usable key, one whose key failed does not.
                    const bool keyKnown = !row.key.empty() && row.keyHash == mapping::Mapper::hashKey(row.key);
                    if (auto ok = planner.addInvalid(keyKnown ? std::string_view(row.key) : std::string_view(), reason); !ok)
                        return std::unexpected(ok.error());
                }
                if (options.progress)
                    options.progress(readRows);
            }
            extractNs += prefetcher.fetchNs();
        }
        auto result = planner.finish(options.cancellation);
        if (!result)
            return std::unexpected(result.error());
        state::PlanInfo info;
        info.id = *planId;
        info.syncId = bundle->syncId;
        info.baseGeneration = *generation;
        info.mode = sync.mode;
        info.onRemoved = onRemoved;
        info.counts = result->counts;
        info.ledgerDelivered = result->ledgerDelivered;
        info.invalidExamples = result->invalidExamples;
        info.guardrail = guardrailVerdict(sync, *result, onRemoved);
        info.blocked = !info.guardrail.isEmpty();
        // Extraction overlaps mapping and diffing: map+diff is the wall time not spent waiting for blocks.
        info.timings = QJsonObject{{QStringLiteral("extract_ms"), double(extractNs / 1000000)},
                                   {QStringLiteral("map_diff_ms"), double((clock.nsecsElapsed() - waitNs - connectNs) / 1000000)},
                                   {QStringLiteral("wall_ms"), double(clock.nsecsElapsed() / 1000000)},
                                   {QStringLiteral("model_rows"), double(result->modelRows)}};
        // Only when the check ran: its final pass (its cost while rows stream is in map_diff_ms).
        if (result->matchChecked)
            info.timings.insert(QStringLiteral("match_check_ms"), double(result->matchCheckNs / 1000000));
        if (auto ok = plans.complete(info); !ok)
            return std::unexpected(ok.error());
        return plans.plan(*planId);
    };
    auto info = build();
    if (!info)
        discard(workspace, *planId);
    return info;
}

} // namespace syncline::engine::sync
