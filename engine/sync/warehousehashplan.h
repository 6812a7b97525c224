#pragma once
// Change detection warehouse_hash for one plan: the warehouse returns each key with a hash of
// the mapped columns; keys whose hash the ledger already holds for the delivered payload are
// unchanged and stay in the warehouse, the others are fetched in full (on PostgreSQL through a
// temporary table of their keys and one query; elsewhere in batches of 1,000 keys), mapped
// and diffed as in local mode (so the payload hash still decides: a hash that errs costs a
// fetch, never a wrong row). When most keys would be fetched anyway (a first run, a new
// mapping), the whole model is streamed once with its hashes instead.
// Thread: the planner's; the connection is used by this object only while feed() runs.

#include "engine/connector/connector.h"
#include "engine/core/error.h"
#include "engine/diff/diffplanner.h"
#include "engine/mapping/mapper.h"
#include "engine/sync/syncbundle.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/sourcehashsql.h"

#include <QJsonObject>

#include <functional>
#include <memory>
#include <optional>

namespace syncline::engine::state {
class LedgerStore;
class Workspace;
}

namespace syncline::engine::sync {

struct PlanOptions;

class WarehouseHashPlan
{
public:
    // Describes the model and compiles the mapping against it ("mapping.invalid" as in local mode).
    // `spec` is the connection's: the long reads (the whole model, every key's hash) go through
    // warehouse::openModelQuery, which reads PostgreSQL with COPY where it can.
    static Result<WarehouseHashPlan> prepare(warehouse::OdbcConnection &connection, const warehouse::ConnectionSpec &spec,
                                             warehouse::SqlDialect dialect,
                                             const SyncBundle &bundle, const connector::ObjectSpec &object,
                                             const PlanOptions &options);

    // The mapper of the model's rows (with the source hash as an extra last column).
    mapping::Mapper &mapper() { return *m_mapper; }

    // Feeds the plan's rows into a planner `makePlanner` creates (again, when the first pass
    // gives up and the model is streamed whole). Adds its figures to `timings`.
    Result<std::unique_ptr<diff::DiffPlanner>> feed(state::LedgerStore &ledger, qint64 syncId,
                                                    const std::function<std::unique_ptr<diff::DiffPlanner>()> &makePlanner,
                                                    QJsonObject &timings);

    // Change detection warehouse: the state table in `schema` is brought in line with the ledger
    // (statetable.h), then one statement returns only new, changed, NULL-keyed, duplicated and
    // removed rows; every other delivered key is unchanged without leaving the warehouse.
    Result<std::unique_ptr<diff::DiffPlanner>> feedWarehouse(
        state::Workspace &workspace, state::LedgerStore &ledger, qint64 syncId, qint64 generation, const QString &schema,
        const std::function<std::unique_ptr<diff::DiffPlanner>()> &makePlanner, QJsonObject &timings);
    // After a warehouse plan: a row the statement returned that proved unchanged means the state
    // table is behind (a refreshed source hash); the next plan rewrites it.
    Result<void> afterWarehousePlan(const diff::DiffResult &result);

private:
    WarehouseHashPlan() = default;
    Result<bool> prefiltered(state::LedgerStore &ledger, qint64 syncId, diff::DiffPlanner &planner, QJsonObject &timings);
    Result<void> fetchKeys(const std::vector<std::string> &keys, diff::DiffPlanner &planner, qint64 &fetched);
    // PostgreSQL: the keys go into a temporary table and one query joins the model with it.
    // False (nothing fed) when the session may not create one: the caller fetches in batches.
    Result<bool> fetchThroughTemporaryTable(const std::vector<std::string> &keys, diff::DiffPlanner &planner,
                                            qint64 &fetched);
    Result<void> streamAll(diff::DiffPlanner &planner, QJsonObject &timings);

    warehouse::OdbcConnection *m_connection = nullptr;
    warehouse::ConnectionSpec m_connectionSpec;
    warehouse::SqlDialect m_dialect = warehouse::SqlDialect::PostgreSQL;
    const SyncBundle *m_bundle = nullptr;
    const PlanOptions *m_options = nullptr;
    std::vector<warehouse::Column> m_modelColumns;
    std::vector<warehouse::Column> m_hashed;      // the columns the mapping reads
    std::vector<warehouse::Column> m_keyColumns;
    std::vector<warehouse::Column> m_lightColumns; // what the first pass selects: key, match column
    std::optional<mapping::Mapper> m_mapper;
    std::optional<mapping::Mapper> m_lightMapper; // key and match value of the first pass's rows
    mapping::PayloadHash m_salt{};
    bool m_keysFetchable = true;
    connector::ObjectSpec m_object;
    QString m_stateSchema;
    state::Workspace *m_workspace = nullptr;
    QString m_stateTable;
};

} // namespace syncline::engine::sync
