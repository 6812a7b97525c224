#pragma once
// One workspace = one SQLite file (*.syncline): definitions, ledgers, plans, run history.
// Never secrets. Opening applies pending migrations in one transaction. WAL, foreign keys on.
// Sharing: several processes (the app, a scheduled syncline-cli) may open one workspace at once;
// SQLite's WAL with a busy timeout serialises their writes, each write is one transaction, so no
// interleaving can corrupt it. Running one sync twice at once is prevented by the sync runner.
// A file that is not a Syncline workspace, or one from a newer Syncline, is refused with a clear error.
// Thread: a Workspace and its stores are used from one thread at a time.

#include "engine/core/error.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

struct sqlite3;

namespace syncline::engine::state {

class PayloadShapes;

class Workspace
{
public:
    enum class OpenMode { CreateIfMissing, MustExist };
    static Result<std::unique_ptr<Workspace>> open(const QString &path, OpenMode mode = OpenMode::CreateIfMissing);

    // One schema step: resource :/syncline/migrations/NNNN_name.sql (any module may add a .qrc
    // with that prefix). version = NNNN; user_version is the highest applied.
    struct Migration
    {
        int version = 0;
        QString name; // file name, e.g. "0001_definitions.sql"
        QByteArray sql;
    };
    // Every embedded migration, sorted by version; "workspace.migration" on a malformed name or a duplicate version.
    static Result<std::vector<Migration>> embeddedMigrations();
    // As open(), with an explicit migration list (tests use it to prove a failing step rolls back).
    static Result<std::unique_ptr<Workspace>> open(
        const QString &path, OpenMode mode, const std::vector<Migration> &migrations);
    static constexpr int ApplicationId = 0x53594e43; // "SYNC" in PRAGMA application_id
    ~Workspace();
    Workspace(const Workspace &) = delete;
    Workspace &operator=(const Workspace &) = delete;

    QString path() const;
    int schemaVersion() const;
    sqlite3 *handle() const; // for the engine's stores; one thread at a time (the runner hands the workspace to its lane thread and waits)
    // How payloads are stored on this connection; SQL reads them through payload_json(payload).
    PayloadShapes &payloadShapes() const;

    // Runs `work` inside BEGIN IMMEDIATE ... COMMIT; rolls back when it returns an error.
    Result<void> transaction(const std::function<Result<void>()> &work);
    // Runs `work` inside a read transaction (BEGIN DEFERRED): one consistent view that does not take
    // the write lock, so it never waits for or blocks another process's writes. Nested: just runs `work`.
    Result<void> snapshot(const std::function<Result<void>()> &work);
    // Runs SQL without results (DDL, PRAGMA); error code "workspace.sql".
    Result<void> exec(const QString &sql);
    // Gives the file's free pages back to the file system (workspaces created with this version;
    // a no-op for older ones, which reuse them). Call outside a transaction, after big deletes.
    Result<void> releaseFreePages();
    // PRAGMA integrity_check; "ok" when clean.
    Result<QString> integrityCheck();

    // The default workspace: $SYNCLINE_WORKSPACE, else <data folder>/default.syncline
    // (~/.local/share/syncline/default.syncline on Linux; see engine/core/appfolders.h).
    static QString defaultPath();

    struct Impl;

private:
    explicit Workspace(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace syncline::engine::state
