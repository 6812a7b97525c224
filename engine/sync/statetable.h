#pragma once
// Change detection warehouse: the sync's state table in the planner schema, a copy of the
// ledger's delivered keys and the warehouse's source hash of each (NULL when the ledger has
// none). The ledger stays the truth: before each plan the table is compared with it (the
// ledger generation and row count it was written at, kept in syncline_state_meta, and its own
// row count) and rewritten from it when they disagree (in one transaction where the warehouse
// has them; elsewhere the meta row, written last, marks the table current). A table
// behind the ledger (a run since, a process killed before the rewrite) is therefore never used.
// Thread: the planner's.

#include "engine/core/error.h"
#include "engine/mapping/mappedrow.h"
#include "engine/warehouse/sourcehashsql.h"

#include <QString>

#include <vector>

namespace syncline::engine::warehouse {
class OdbcConnection;
}
namespace syncline::engine::state {
class LedgerStore;
class Workspace;
}

namespace syncline::engine::sync {

struct StateTableSpec
{
    warehouse::SqlDialect dialect = warehouse::SqlDialect::PostgreSQL;
    QString schema;
    QString table;         // unquoted name inside the schema
    QString modelSql;
    std::vector<warehouse::Column> keyColumns;
    mapping::PayloadHash salt{};
};

enum class StateUpdate { None, Incremental, Rewritten };
QString stateUpdateName(StateUpdate update); // "none", "incremental", "rewritten"

// Creates the table (and an index on its key) if needed and makes it equal to the ledger's
// delivered keys at `generation`: when exactly one plan was applied since it was written and it
// touched at most 10,000 keys or a quarter of them, only that plan's keys are refreshed;
// otherwise (or when the counts still disagree) it is rewritten in bulk (statetableupload.h).
Result<StateUpdate> reconcileStateTable(warehouse::OdbcConnection &connection, const StateTableSpec &spec,
                                        state::Workspace &workspace, state::LedgerStore &ledger, qint64 syncId,
                                        qint64 generation);
// Marks the table as not matching the ledger (the next plan rewrites it).
Result<void> invalidateStateTable(warehouse::OdbcConnection &connection, const StateTableSpec &spec);

} // namespace syncline::engine::sync
