#include "engine/sync/warehousehashplan.h"

#include "engine/diff/sourcehashfilter.h"
#include "engine/state/ledgerstore.h"
#include "engine/state/workspace.h"
#include "engine/sync/batchprefetcher.h"
#include "engine/sync/modelfeed.h"
#include "engine/sync/statetable.h"
#include "engine/sync/statetableupload.h"
#include "engine/sync/syncplanner.h"
#include "engine/warehouse/modelquery.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/rowbatch.h"
#include "engine/warehouse/warehouseplansql.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstring>
#include <unordered_set>
#include <xxhash.h>

namespace syncline::engine::sync {

using warehouse::Column;
using warehouse::ColumnKind;

namespace {

constexpr int kKeysPerFetch = 1000;
constexpr qint64 kFetchListBytes = 32ll * 1024 * 1024; // keys waiting to be fetched, in memory
// Past this share of the model's rows, streaming the model whole is cheaper than fetching by key.
constexpr double kMaxFetchShare = 0.3;

const QString kHashColumn = QStringLiteral("syncline_source_hash");

Column hashColumn()
{
    Column column;
    column.name = kHashColumn;
    column.kind = ColumnKind::Text;
    return column;
}

const Column *findColumn(const std::vector<Column> &columns, const QString &name)
{
    for (const Column &column : columns)
        if (column.name == name)
            return &column;
    for (const Column &column : columns)
        if (column.name.compare(name, Qt::CaseInsensitive) == 0)
            return &column;
    return nullptr;
}

// Whatever makes a payload: a change to any of it changes the salt, so the source hashes the
// ledger keeps from before no longer match and every key is fetched once more.
mapping::PayloadHash saltFor(warehouse::SqlDialect dialect, const SyncBundle &bundle, const std::vector<Column> &model)
{
    QJsonArray mapping;
    for (const MappingEntry &entry : bundle.sync.mapping)
        mapping.append(QJsonArray{int(entry.kind), entry.column, entry.templateText, entry.value, entry.field, entry.cast});
    QJsonArray columns;
    for (const Column &column : model)
        columns.append(QJsonArray{column.name, int(column.kind), column.typeName, column.scale});
    // v2: PostgreSQL's hash became hashtextextended over the record text.
    const QJsonArray all{QStringLiteral("syncline source hash v2"), warehouse::sqlDialectName(dialect), bundle.model.sql,
                         QJsonArray::fromStringList(bundle.model.primaryKey), bundle.sync.object,
                         bundle.sync.matchColumn, bundle.sync.matchField, mapping, columns};
    const QByteArray bytes = QJsonDocument(all).toJson(QJsonDocument::Compact);
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits(bytes.constData(), size_t(bytes.size())));
    mapping::PayloadHash salt;
    std::memcpy(salt.data(), canonical.digest, salt.size());
    return salt;
}

Error cancelled()
{
    return Error{QStringLiteral("run.cancelled"), QStringLiteral("the plan was cancelled; nothing was sent"), false, {}};
}

} // namespace

Result<WarehouseHashPlan> WarehouseHashPlan::prepare(warehouse::OdbcConnection &connection,
                                                     const warehouse::ConnectionSpec &spec, warehouse::SqlDialect dialect, const SyncBundle &bundle,
                                                     const connector::ObjectSpec &object, const PlanOptions &options)
{
    WarehouseHashPlan plan;
    plan.m_connection = &connection;
    plan.m_connectionSpec = spec;
    plan.m_dialect = dialect;
    plan.m_bundle = &bundle;
    plan.m_options = &options;
    plan.m_object = object;
    {
        warehouse::QueryOptions query;
        query.cancellation = options.cancellation;
        auto cursor = connection.execute(warehouse::describeQuery(dialect, bundle.model.sql), query);
        if (!cursor)
            return std::unexpected(cursor.error());
        plan.m_modelColumns = (*cursor)->columns();
    }
    std::vector<Column> withHash = plan.m_modelColumns;
    withHash.push_back(hashColumn());
    auto mapper = mapping::Mapper::compile(bundle.sync, withHash, bundle.model.primaryKey, object);
    if (!mapper)
        return std::unexpected(mapper.error());
    plan.m_mapper = std::move(*mapper);
    for (int column : plan.m_mapper->readColumns())
        if (column < int(plan.m_modelColumns.size()))
            plan.m_hashed.push_back(plan.m_modelColumns[size_t(column)]);
    plan.m_salt = saltFor(dialect, bundle, plan.m_modelColumns);

    // The first pass selects the key and the match column only.
    for (const QString &name : bundle.model.primaryKey) {
        const Column *column = findColumn(plan.m_modelColumns, name);
        if (!column)
            return fail(QStringLiteral("mapping.invalid"),
                        QStringLiteral("the model has no primary key column '%1'").arg(name));
        plan.m_keyColumns.push_back(*column);
        const ColumnKind kind = column->kind;
        plan.m_keysFetchable = plan.m_keysFetchable
            && (kind == ColumnKind::Integer || kind == ColumnKind::Text || kind == ColumnKind::Decimal
                || kind == ColumnKind::Date || kind == ColumnKind::Timestamp || kind == ColumnKind::TimestampTz);
    }
    plan.m_lightColumns = plan.m_keyColumns;
    SyncDef light = bundle.sync;
    light.mapping.clear();
    connector::ObjectSpec lightObject = object;
    lightObject.acceptsAnyField = true;
    lightObject.fields.clear();
    if (!bundle.sync.matchColumn.isEmpty()) {
        const Column *match = findColumn(plan.m_modelColumns, bundle.sync.matchColumn);
        if (match && !findColumn(plan.m_lightColumns, match->name))
            plan.m_lightColumns.push_back(*match);
        for (const MappingEntry &entry : bundle.sync.mapping)
            if (entry.field == bundle.sync.matchField)
                light.mapping.push_back(entry);
        for (const connector::FieldSpec &field : object.fields)
            if (field.name == bundle.sync.matchField)
                lightObject.fields.push_back(field);
    }
    std::vector<Column> lightWithHash = plan.m_lightColumns;
    lightWithHash.push_back(hashColumn());
    if (auto lightMapper = mapping::Mapper::compile(light, lightWithHash, bundle.model.primaryKey, lightObject))
        plan.m_lightMapper = std::move(*lightMapper);
    return plan;
}

Result<std::unique_ptr<diff::DiffPlanner>> WarehouseHashPlan::feed(
    state::LedgerStore &ledger, qint64 syncId, const std::function<std::unique_ptr<diff::DiffPlanner>()> &makePlanner,
    QJsonObject &timings)
{
    timings.insert(QStringLiteral("change_detection"), QStringLiteral("warehouse_hash"));
    auto planner = makePlanner();
    if (m_options->diff.ledgerIndex && m_lightMapper && m_keysFetchable) {
        auto hashed = ledger.hasSourceHashes(syncId);
        if (!hashed)
            return std::unexpected(hashed.error());
        if (*hashed) {
            auto done = prefiltered(ledger, syncId, *planner, timings);
            if (!done)
                return std::unexpected(done.error());
            if (*done)
                return planner;
            planner = makePlanner(); // the first pass gave up: nothing of it is kept
        }
    }
    if (auto ok = streamAll(*planner, timings); !ok)
        return std::unexpected(ok.error());
    return planner;
}

Result<void> WarehouseHashPlan::streamAll(diff::DiffPlanner &planner, QJsonObject &timings)
{
    warehouse::QueryOptions query;
    query.rowsetSize = m_options->rowsetSize;
    query.cancellation = m_options->cancellation;
    auto cursor = warehouse::openModelQuery(*m_connection, m_connectionSpec,
                                            warehouse::fullQuery(m_dialect, m_bundle->model.sql, m_hashed), query);
    if (!cursor)
        return std::unexpected(cursor.error());
    FeedStats stats;
    stats.progress = m_options->progress;
    if (auto ok = feedModelRows(**cursor, *m_mapper, planner, m_salt, m_options->cancellation, stats,
                                [&] { return planner.loadLedgerIndex(); });
        !ok)
        return ok;
    timings.insert(QStringLiteral("streamed_rows"), double(stats.rows));
    timings.insert(QStringLiteral("extract_ms"), double(stats.fetchNs / 1000000));
    return {};
}

Result<bool> WarehouseHashPlan::prefiltered(state::LedgerStore &ledger, qint64 syncId, diff::DiffPlanner &planner,
                                            QJsonObject &timings)
{
    const diff::DiffOptions &options = m_options->diff;
    diff::SourceHashFilter filter(ledger, syncId, options.memoryBudgetBytes, options.spillPartitions,
                                  options.spillDirectory);
    warehouse::QueryOptions query;
    query.rowsetSize = m_options->rowsetSize;
    query.cancellation = m_options->cancellation;
    auto cursor = warehouse::openModelQuery(
        *m_connection, m_connectionSpec, warehouse::hashQuery(m_dialect, m_bundle->model.sql, m_lightColumns, m_hashed), query);
    if (!cursor)
        return std::unexpected(cursor.error());
    qint64 fetchNs = 0;
    {
        BatchPrefetcher prefetcher(**cursor);
        const int hashColumn = int(m_lightColumns.size());
        mapping::MappedRow row;
        QString reason;
        for (;;) {
            if (m_options->cancellation.isCancelled())
                return std::unexpected(cancelled());
            auto next = prefetcher.next();
            if (!next)
                return std::unexpected(next.error());
            if (!*next)
                break;
            const warehouse::RowBatch &batch = **next;
            for (int r = 0; r < batch.rowCount(); ++r) {
                row.key.clear();
                row.keyHash = 0;
                const bool mapped = m_lightMapper->map(batch, r, row, &reason);
                const bool keyKnown = !row.key.empty() && row.keyHash == mapping::Mapper::hashKey(row.key);
                if (!keyKnown) { // a NULL key: invalid in every mode, with the same reason
                    if (auto ok = planner.addInvalid({}, reason); !ok)
                        return std::unexpected(ok.error());
                    continue;
                }
                std::optional<mapping::PayloadHash> hash;
                if (mapped && !batch.isNull(r, hashColumn))
                    hash = saltedSourceHash(m_salt, batch.text(r, hashColumn));
                const std::string_view match = mapped && row.matchLength > 0
                    ? std::string_view(row.payload).substr(row.matchOffset, row.matchLength)
                    : std::string_view();
                if (auto ok = filter.add(row.key, row.keyHash, hash ? &*hash : nullptr, match); !ok)
                    return std::unexpected(ok.error());
            }
        }
        fetchNs = prefetcher.fetchNs();
    }
    const qint64 rows = filter.rows();
    const qint64 limit = std::max<qint64>(kKeysPerFetch, qint64(double(rows) * kMaxFetchShare));
    std::vector<std::string> keys;
    qint64 keyBytes = 0;
    diff::SourceHashFilter::Callbacks callbacks;
    callbacks.unchanged = [&](std::string_view key, std::uint64_t keyHash, const mapping::PayloadHash &payloadHash,
                              const mapping::PayloadHash &sourceHash, std::string_view match) {
        return planner.addUnchanged(key, keyHash, payloadHash, sourceHash, match);
    };
    callbacks.fetch = [&](std::string_view key, std::uint64_t) -> Result<bool> {
        keys.emplace_back(key);
        keyBytes += qint64(key.size() + sizeof(std::string));
        return qint64(keys.size()) <= limit && keyBytes <= kFetchListBytes;
    };
    auto joined = filter.finish(callbacks, m_options->cancellation);
    if (!joined)
        return std::unexpected(joined.error());
    timings.insert(QStringLiteral("hash_rows"), double(rows));
    if (!*joined) {
        timings.insert(QStringLiteral("prefilter_gave_up_at"), double(keys.size()));
        return false;
    }
    qint64 fetched = 0;
    QElapsedTimer clock;
    clock.start();
    auto throughTable = keys.empty() ? Result<bool>(false) : fetchThroughTemporaryTable(keys, planner, fetched);
    if (!throughTable)
        return std::unexpected(throughTable.error());
    timings.insert(QStringLiteral("fetched_through"), *throughTable ? QStringLiteral("temporary table") : QStringLiteral("key batches"));
    if (!*throughTable)
        if (auto ok = fetchKeys(keys, planner, fetched); !ok)
            return std::unexpected(ok.error());
    timings.insert(QStringLiteral("fetched_keys"), double(keys.size()));
    timings.insert(QStringLiteral("fetched_rows"), double(fetched));
    timings.insert(QStringLiteral("extract_ms"), double((fetchNs + clock.nsecsElapsed()) / 1000000));
    return true;
}

Result<bool> WarehouseHashPlan::fetchThroughTemporaryTable(const std::vector<std::string> &keys,
                                                          diff::DiffPlanner &planner, qint64 &fetched)
{
    if (m_dialect != warehouse::SqlDialect::PostgreSQL)
        return false;
    StateTableSpec spec; // the same shape as a state table: the key columns and a hash column
    spec.dialect = m_dialect;
    spec.schema = QStringLiteral("pg_temp");
    spec.table = QStringLiteral("syncline_fetch_keys");
    spec.keyColumns = m_keyColumns;
    const QString table = warehouse::stateTableName(m_dialect, spec.schema, spec.table);
    QStringList names;
    for (const Column &key : m_keyColumns)
        names << warehouse::quoteIdentifier(m_dialect, key.name);
    // Read-only sessions and roles without TEMP may not create it: then the batches do. Made
    // afresh each time: a session planning another model before had other key columns.
    (void)m_connection->executeUpdate(QStringLiteral("DROP TABLE IF EXISTS %1").arg(table));
    if (!m_connection->executeUpdate(QStringLiteral("CREATE TEMPORARY TABLE syncline_fetch_keys AS SELECT %1, "
                                                    "CAST(NULL AS VARCHAR(32)) AS syncline_source_hash FROM (%2) m WHERE 1 = 0")
                                         .arg(QStringLiteral("m.") + names.join(QStringLiteral(", m.")),
                                              warehouse::modelSubquery(m_bundle->model.sql))))
        return false;
    std::unordered_set<std::string> waiting;
    {
        StateTableUpload upload(*m_connection, spec);
        for (const std::string &key : keys) {
            const QStringList values = stateKeyValues(spec, key);
            if (values.isEmpty()) {
                if (auto ok = planner.addInvalid(key, QStringLiteral("its key cannot be looked up in the warehouse by value; "
                                                                     "use change_detection: local"));
                    !ok)
                    return std::unexpected(ok.error());
                continue;
            }
            if (auto ok = upload.add(values, false, {}); !ok)
                return std::unexpected(ok.error());
            waiting.insert(key);
        }
        if (auto ok = upload.flush(); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = m_connection->executeUpdate(QStringLiteral("ANALYZE %1").arg(table)); !ok)
        return std::unexpected(ok.error());
    const QString columns = names.size() == 1 ? QString(QStringLiteral("m.") + names.front())
                                              : QString(QStringLiteral("(m.") + names.join(QStringLiteral(", m.")) + QLatin1Char(')'));
    warehouse::QueryOptions query;
    query.rowsetSize = m_options->rowsetSize;
    query.cancellation = m_options->cancellation;
    auto cursor = m_connection->execute(warehouse::fullQuery(m_dialect, m_bundle->model.sql, m_hashed)
                                            + QStringLiteral(" WHERE %1 IN (SELECT %2 FROM %3)")
                                                  .arg(columns, names.join(QStringLiteral(", ")), table),
                                        query);
    if (!cursor)
        return std::unexpected(cursor.error());
    FeedStats stats;
    if (auto ok = feedModelRows(**cursor, *m_mapper, planner, m_salt, m_options->cancellation, stats, {},
                                [&](std::string_view key) { waiting.erase(std::string(key)); });
        !ok)
        return std::unexpected(ok.error());
    fetched += stats.rows;
    for (const std::string &key : waiting)
        if (auto ok = planner.addInvalid(key, QStringLiteral("the row left the model while the plan was made; "
                                                             "the next plan looks again"));
            !ok)
            return std::unexpected(ok.error());
    (void)m_connection->executeUpdate(QStringLiteral("DROP TABLE %1").arg(table));
    return true;
}

Result<void> WarehouseHashPlan::fetchKeys(const std::vector<std::string> &keys, diff::DiffPlanner &planner,
                                          qint64 &fetched)
{
    const bool composite = m_keyColumns.size() > 1;
    warehouse::QueryOptions query;
    query.rowsetSize = m_options->rowsetSize;
    query.cancellation = m_options->cancellation;
    std::unordered_set<std::string> waiting;
    for (size_t first = 0; first < keys.size(); first += kKeysPerFetch) {
        if (m_options->cancellation.isCancelled())
            return std::unexpected(cancelled());
        const size_t last = std::min(keys.size(), first + kKeysPerFetch);
        std::vector<QStringList> literals;
        waiting.clear();
        for (size_t i = first; i < last; ++i) {
            const QString key = QString::fromUtf8(keys[i].data(), qsizetype(keys[i].size()));
            QStringList values;
            if (!composite) {
                values << key;
            } else {
                const QJsonArray parts = QJsonDocument::fromJson(key.toUtf8()).array();
                for (const QJsonValue &part : parts)
                    values << (part.isString() ? part.toString() : QString::number(part.toInteger()));
            }
            QStringList tuple;
            for (qsizetype c = 0; c < values.size() && c < qsizetype(m_keyColumns.size()); ++c)
                if (auto literal = warehouse::keyLiteral(m_dialect, m_keyColumns[size_t(c)].kind, values[c]))
                    tuple << *literal;
            if (tuple.size() != qsizetype(m_keyColumns.size())) {
                // Cannot be written as a literal: it stays out of this plan, and out of removal.
                if (auto ok = planner.addInvalid(keys[i], QStringLiteral("its key cannot be looked up in the warehouse "
                                                                         "by value; use change_detection: local"));
                    !ok)
                    return ok;
                continue;
            }
            literals.push_back(tuple);
            waiting.insert(keys[i]);
        }
        if (literals.empty())
            continue;
        auto cursor = m_connection->execute(
            warehouse::fetchQuery(m_dialect, m_bundle->model.sql, m_hashed, m_keyColumns, literals), query);
        if (!cursor)
            return std::unexpected(cursor.error());
        FeedStats stats;
        if (auto ok = feedModelRows(**cursor, *m_mapper, planner, m_salt, m_options->cancellation, stats, {},
                                    [&](std::string_view key) { waiting.erase(std::string(key)); });
            !ok)
            return ok;
        fetched += stats.rows;
        // In the model a moment ago, gone now (or not found by its literal): kept out of this plan
        // and out of removal; the next plan sees it again.
        for (const std::string &key : waiting)
            if (auto ok = planner.addInvalid(key, QStringLiteral("the row left the model while the plan was made; "
                                                                 "the next plan looks again"));
                !ok)
                return ok;
    }
    return {};
}

} // namespace syncline::engine::sync

namespace syncline::engine::sync {

Result<std::unique_ptr<diff::DiffPlanner>> WarehouseHashPlan::feedWarehouse(
    state::Workspace &workspace, state::LedgerStore &ledger, qint64 syncId, qint64 generation, const QString &schema,
    const std::function<std::unique_ptr<diff::DiffPlanner>()> &makePlanner, QJsonObject &timings)
{
    m_workspace = &workspace;
    const QString workspacePath = workspace.path();
    if (!m_keysFetchable)
        return fail(QStringLiteral("change_detection.key"),
                    QStringLiteral("change_detection warehouse needs a key of integers, text, decimals, dates or "
                                   "timestamps; use change_detection: warehouse_hash"));
    timings.insert(QStringLiteral("change_detection"), QStringLiteral("warehouse"));
    StateTableSpec spec;
    spec.dialect = m_dialect;
    spec.schema = schema;
    // Per sync, mapping (salt) and workspace: two workspaces never share a state table.
    const QByteArray path = workspacePath.toUtf8();
    spec.table = QStringLiteral("syncline_state_%1_%2_%3")
                     .arg(syncId)
                     .arg(QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(m_salt.data()), 6).toHex()))
                     .arg(XXH3_64bits(path.constData(), size_t(path.size())) & 0xffffffu, 6, 16, QLatin1Char('0'));
    spec.modelSql = m_bundle->model.sql;
    spec.keyColumns = m_keyColumns;
    spec.salt = m_salt;
    m_stateSchema = spec.schema;
    m_stateTable = spec.table;
    QElapsedTimer clock;
    clock.start();
    auto updated = reconcileStateTable(*m_connection, spec, *m_workspace, ledger, syncId, generation);
    if (!updated)
        return std::unexpected(updated.error());
    timings.insert(QStringLiteral("state_table"), stateUpdateName(*updated));
    timings.insert(QStringLiteral("state_table_ms"), double(clock.nsecsElapsed() / 1000000));

    warehouse::QueryOptions query;
    query.rowsetSize = m_options->rowsetSize;
    query.cancellation = m_options->cancellation;
    auto cursor = m_connection->execute(
        warehouse::warehousePlanQuery(m_dialect, m_bundle->model.sql,
                                      warehouse::stateTableName(m_dialect, spec.schema, spec.table), m_modelColumns,
                                      m_keyColumns, m_hashed),
        query);
    if (!cursor)
        return std::unexpected(cursor.error());
    const std::vector<Column> &columns = (*cursor)->columns();
    const int hashColumn = int(m_modelColumns.size());
    if (int(columns.size()) != hashColumn + 3)
        return fail(QStringLiteral("change_detection.statement"),
                    QStringLiteral("the warehouse plan statement returned %1 columns, expected %2")
                        .arg(columns.size())
                        .arg(hashColumn + 3));
    auto mapper = mapping::Mapper::compile(m_bundle->sync, columns, m_bundle->model.primaryKey, m_object);
    if (!mapper)
        return std::unexpected(mapper.error());
    auto planner = makePlanner();
    planner->absentKeysAreUnchanged();
    std::optional<qint64> modelRows;
    qint64 returned = 0;
    {
        BatchPrefetcher prefetcher(**cursor);
        mapping::MappedRow row;
        QString reason;
        for (;;) {
            if (m_options->cancellation.isCancelled())
                return std::unexpected(cancelled());
            auto next = prefetcher.next();
            if (!next)
                return std::unexpected(next.error());
            if (!*next)
                break;
            const warehouse::RowBatch &batch = **next;
            returned += batch.rowCount();
            for (int r = 0; r < batch.rowCount(); ++r) {
                if (!modelRows)
                    modelRows = batch.integer(r, hashColumn + 2);
                row.key.clear();
                row.keyHash = 0;
                const bool mapped = mapper->map(batch, r, row, &reason);
                const bool keyKnown = !row.key.empty() && row.keyHash == mapping::Mapper::hashKey(row.key);
                Result<void> ok;
                if (batch.integer(r, hashColumn + 1) == 1)
                    ok = keyKnown ? planner->addRemovedMarker(row.key, row.keyHash) : Result<void>{};
                else if (!mapped)
                    ok = planner->addInvalid(keyKnown ? std::string_view(row.key) : std::string_view(), reason);
                else if (batch.isNull(r, hashColumn))
                    ok = planner->add(row, mapping::PayloadHash{});
                else
                    ok = planner->add(row, saltedSourceHash(m_salt, batch.text(r, hashColumn)));
                if (!ok)
                    return std::unexpected(ok.error());
            }
        }
    }
    if (!modelRows) { // nothing changed: the count comes on its own
        auto counted = m_connection->execute(
            QStringLiteral("SELECT count(*) FROM (%1) m").arg(warehouse::modelSubquery(m_bundle->model.sql)));
        if (!counted)
            return std::unexpected(counted.error());
        warehouse::RowBatch batch;
        auto more = (*counted)->fetch(batch);
        if (!more)
            return std::unexpected(more.error());
        modelRows = *more && batch.rowCount() > 0 ? batch.integer(0, 0) : 0;
    }
    planner->setModelRows(*modelRows);
    timings.insert(QStringLiteral("returned_rows"), double(returned));
    timings.insert(QStringLiteral("extract_ms"), double(clock.nsecsElapsed() / 1000000));
    return planner;
}

Result<void> WarehouseHashPlan::afterWarehousePlan(const diff::DiffResult &result)
{
    if (m_stateTable.isEmpty() || result.streamedUnchanged == 0)
        return {};
    StateTableSpec spec;
    spec.dialect = m_dialect;
    spec.schema = m_stateSchema;
    spec.table = m_stateTable;
    return invalidateStateTable(*m_connection, spec);
}

} // namespace syncline::engine::sync
