#include "engine/state/foreignkeycheckspause.h"

#include "engine/state/workspace.h"

#include <sqlite3.h>

namespace syncline::engine::state {

namespace {

bool checksOn(sqlite3 *db)
{
    sqlite3_stmt *stmt = nullptr;
    bool on = true; // when in doubt, as the workspace opens it
    if (sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
        on = sqlite3_column_int(stmt, 0) != 0;
    sqlite3_finalize(stmt);
    return on;
}

} // namespace

ForeignKeyChecksPause::ForeignKeyChecksPause(Workspace &workspace) : m_workspace(workspace)
{
    sqlite3 *db = m_workspace.handle();
    if (!sqlite3_get_autocommit(db) || !checksOn(db))
        return;
    sqlite3_exec(db, "PRAGMA foreign_keys=OFF", nullptr, nullptr, nullptr);
    m_paused = !checksOn(db);
}

ForeignKeyChecksPause::~ForeignKeyChecksPause()
{
    if (m_paused)
        sqlite3_exec(m_workspace.handle(), "PRAGMA foreign_keys=ON", nullptr, nullptr, nullptr);
}

} // namespace syncline::engine::state
