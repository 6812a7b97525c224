#pragma once
// Turns the workspace connection's foreign-key checks off for its lifetime, for bulk deletes of
// rows no foreign key points to (a run's plan rows, unreferenced payloads). With the checks on,
// SQLite deletes such rows in two passes and rebalances the B-tree after nearly every row, and
// never truncates a table; deleting rows of a child table cannot break a constraint, so the
// checks buy nothing there. Create it outside any transaction (SQLite ignores the pragma inside
// one: active() then says false and nothing changes). The checks are back on when it goes.
// Thread: the workspace's.

#include "engine/core/error.h"

namespace syncline::engine::state {

class Workspace;

class ForeignKeyChecksPause
{
public:
    explicit ForeignKeyChecksPause(Workspace &workspace);
    ~ForeignKeyChecksPause();
    ForeignKeyChecksPause(const ForeignKeyChecksPause &) = delete;
    ForeignKeyChecksPause &operator=(const ForeignKeyChecksPause &) = delete;

    bool active() const { return m_paused; } // the checks are off now

private:
    Workspace &m_workspace;
    bool m_paused = false;
};

} // namespace syncline::engine::state
