#include "engine/sync/syncplanner.h"

#include "engine/connector/connectorregistry.h"
#include "engine/mapping/mapper.h"
#include "engine/secrets/secretresolver.h"
#include "engine/state/ledgerstore.h"
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"
#include "engine/sync/modelfeed.h"
#include "engine/sync/syncbundle.h"
#include "engine/sync/synclock.h"
#include "engine/sync/warehousehashplan.h"
#include "engine/warehouse/driverdefaults.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/rowbatch.h"
#include "engine/warehouse/warehouseplansql.h"

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

struct Detection
{
    ChangeDetection mode = ChangeDetection::Local;
    std::optional<warehouse::SqlDialect> dialect;
};

// Whether the connection string names this machine as the server (localhost, 127.x, ::1).
bool serverIsLocal(const QString &connectionString)
{
    auto attributes = warehouse::parseConnectionString(connectionString);
    if (!attributes)
        return false;
    for (const char *name : {"Server", "Servername", "Host", "Hostname"}) {
        QString host = warehouse::attributeValue(*attributes, QString::fromLatin1(name)).trimmed().toLower();
        if (host.isEmpty())
            continue;
        if (host.startsWith(QLatin1Char('['))) // [::1]:5432
            host = host.mid(1).section(QLatin1Char(']'), 0, 0);
        else if (host.count(QLatin1Char(':')) == 1) // host:port
            host = host.section(QLatin1Char(':'), 0, 0);
        host = host.section(QLatin1Char(','), 0, 0); // host,port (SQL Server)
        return host == QLatin1String("localhost") || host.startsWith(QLatin1String("127.")) || host == QLatin1String("::1");
    }
    return false;
}

// The sync's change detection, else its source's, else the best the warehouse allows:
// warehouse_hash where Syncline's hash SQL runs in the tests (PostgreSQL, MariaDB), local elsewhere
// and where the server is this machine: reading rows over loopback costs less than hashing them
// in the warehouse (README, Change detection: 1M rows, second run 2.0x extraction in local
// against 2.7x in warehouse_hash).
Result<Detection> changeDetectionFor(const SyncBundle &bundle, warehouse::OdbcConnection &connection)
{
    Detection detection;
    detection.dialect = warehouse::sqlDialectForDbms(connection.dbmsName());
    const std::optional<ChangeDetection> asked = bundle.sync.changeDetection ? bundle.sync.changeDetection
                                                                             : bundle.source.changeDetection;
    if (!asked) {
        const bool tested = detection.dialect == warehouse::SqlDialect::PostgreSQL
            || detection.dialect == warehouse::SqlDialect::MariaDB;
        detection.mode = tested && !serverIsLocal(bundle.source.connection) ? ChangeDetection::WarehouseHash
                                                                            : ChangeDetection::Local;
        return detection;
    }
    detection.mode = *asked;
    if (detection.mode == ChangeDetection::Local)
        return detection;
    if (!detection.dialect)
        return fail(QStringLiteral("change_detection.unsupported"),
                    QStringLiteral("sync '%1' asks for change_detection %2, but its source '%3' is %4, which Syncline "
                                   "cannot hash in SQL (supported: PostgreSQL, MariaDB/MySQL, SQL Server, Snowflake, "
                                   "BigQuery, Redshift, Databricks); set change_detection: local")
                        .arg(bundle.sync.name, changeDetectionName(detection.mode), bundle.source.name,
                             connection.dbmsName().isEmpty() ? QStringLiteral("an unknown database") : connection.dbmsName()));
    if (detection.mode != ChangeDetection::Warehouse)
        return detection;
    if (!warehouse::warehousePlanSupported(*detection.dialect))
        return fail(QStringLiteral("change_detection.unsupported"),
                    QStringLiteral("sync '%1': change_detection warehouse has no plan statement for %2 (source '%3') "
                                   "in this version; use change_detection: warehouse_hash")
                        .arg(bundle.sync.name, warehouse::sqlDialectName(*detection.dialect), bundle.source.name));
    if (bundle.source.plannerSchema.isEmpty())
        return fail(QStringLiteral("change_detection.planner_schema"),
                    QStringLiteral("sync '%1': change_detection warehouse keeps a state table in the warehouse; set "
                                   "planner_schema: SCHEMA on source '%2' (a schema Syncline may create tables in), or "
                                   "use change_detection: warehouse_hash")
                        .arg(bundle.sync.name, bundle.source.name));
    return detection;
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
    auto connection = warehouse::OdbcConnection::open(spec);
    if (!connection)
        return std::unexpected(connection.error());
    auto detection = changeDetectionFor(*bundle, **connection);
    if (!detection)
        return std::unexpected(detection.error());

    // Local: the model's own query, mapped here. warehouse_hash: the model wrapped (see
    // warehousehashplan.h), with its own mapper over the same columns plus the source hash.
    std::unique_ptr<warehouse::QueryCursor> cursor;
    std::optional<mapping::Mapper> localMapper;
    std::optional<WarehouseHashPlan> hashPlan;
    int extractConnections = 1;
    if (detection->mode != ChangeDetection::Local) {
        auto prepared = WarehouseHashPlan::prepare(**connection, spec, *detection->dialect, *bundle, *object, options);
        if (!prepared)
            return std::unexpected(prepared.error());
        hashPlan.emplace(std::move(*prepared));
    } else {
        warehouse::QueryOptions query;
        query.rowsetSize = options.rowsetSize;
        query.cancellation = options.cancellation;
        auto opened = openModelCursor(**connection, spec, bundle->model.sql, bundle->model.primaryKey,
                                      sync.extractConnections, query, &extractConnections);
        if (!opened)
            return std::unexpected(opened.error());
        cursor = std::move(*opened);
        auto mapper = mapping::Mapper::compile(sync, cursor->columns(), bundle->model.primaryKey, *object);
        if (!mapper)
            return std::unexpected(mapper.error());
        localMapper.emplace(std::move(*mapper));
    }
    const qint64 connectNs = clock.nsecsElapsed();
    mapping::Mapper &mapper = hashPlan ? hashPlan->mapper() : *localMapper;

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
        const auto check = matchCheckFor(sync, *object, mapper);
        auto makePlanner = [&] {
            auto planner = std::make_unique<diff::DiffPlanner>(workspace, ledger, plans, bundle->syncId, *planId,
                                                               sync.mode, onRemoved, options.diff);
            if (check)
                planner->checkMatchCollisions(*check);
            if (hashPlan)
                planner->keepSourceHashes();
            return planner;
        };
        QJsonObject timings;
        std::unique_ptr<diff::DiffPlanner> planner;
        FeedStats stats;
        stats.progress = options.progress;
        // Match collisions need every row's match value: warehouse mode then hashes instead.
        const bool inWarehouse = detection->mode == ChangeDetection::Warehouse && !check;
        if (hashPlan) {
            auto fed = inWarehouse ? hashPlan->feedWarehouse(workspace, ledger, bundle->syncId, *generation,
                                                             bundle->source.plannerSchema, makePlanner, timings)
                                   : hashPlan->feed(ledger, bundle->syncId, makePlanner, timings);
            if (!fed)
                return std::unexpected(fed.error());
            planner = std::move(*fed);
        } else {
            planner = makePlanner();
            // The prefetcher reads the first blocks while the ledger index loads.
            if (auto ok = feedModelRows(*cursor, mapper, *planner, std::nullopt, options.cancellation, stats,
                                        [&] { return planner->loadLedgerIndex(); });
                !ok)
                return std::unexpected(ok.error());
            timings.insert(QStringLiteral("extract_ms"), double((connectNs + stats.fetchNs) / 1000000));
            timings.insert(QStringLiteral("change_detection"), QStringLiteral("local"));
            if (extractConnections > 1)
                timings.insert(QStringLiteral("extract_connections"), extractConnections);
        }
        auto result = planner->finish(options.cancellation);
        if (!result)
            return std::unexpected(result.error());
        if (inWarehouse)
            if (auto ok = hashPlan->afterWarehousePlan(*result); !ok)
                return std::unexpected(ok.error());
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
        info.timings = timings;
        info.timings.insert(QStringLiteral("map_diff_ms"),
                            double((clock.nsecsElapsed() - stats.waitNs - connectNs) / 1000000));
        info.timings.insert(QStringLiteral("wall_ms"), double(clock.nsecsElapsed() / 1000000));
        info.timings.insert(QStringLiteral("model_rows"), double(result->modelRows));
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
