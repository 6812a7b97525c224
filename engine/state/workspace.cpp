#include "engine/state/workspace.h"

#include "engine/core/appfolders.h"
#include "engine/state/payloadshapes.h"
#include "engine/state/sqlitestatement.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <sqlite3.h>

#include <mutex>

namespace syncline::engine::state {

namespace {

constexpr int kBusyTimeoutMs = 10000;
const QString kMigrationFolder = QStringLiteral(":/syncline/migrations");

QString sqliteMessage(sqlite3 *db)
{
    return QString::fromUtf8(sqlite3_errmsg(db));
}

Result<qint64> pragmaInt(sqlite3 *db, const char *pragma)
{
    auto statement = SqliteStatement::prepare(db, QStringLiteral("PRAGMA ") + QLatin1String(pragma));
    if (!statement)
        return std::unexpected(statement.error());
    auto row = statement->step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? statement->int64(0) : 0;
}

Result<void> execRaw(sqlite3 *db, const QByteArray &sql, const QString &what)
{
    char *message = nullptr;
    const int rc = sqlite3_exec(db, sql.constData(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK)
        return {};
    const QString text = message ? QString::fromUtf8(message) : QString::fromUtf8(sqlite3_errstr(rc));
    sqlite3_free(message);
    const int primary = rc & 0xff;
    const bool busy = primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
    return fail(busy ? QStringLiteral("workspace.busy") : QStringLiteral("workspace.sql"),
        what + QStringLiteral(": ") + text, busy, { { QStringLiteral("sqlite_code"), QString::number(rc) } });
}

// Refuses files that are not ours: either an SQLite file with our application id, or an empty one.
// The id and the table count are read by one statement, so they come from one snapshot: two reads
// could straddle another process's creation of the same workspace (id still 0, tables already there).
Result<void> checkIsWorkspace(sqlite3 *db, const QString &path)
{
    auto statement = SqliteStatement::prepare(
        db, QStringLiteral("SELECT (SELECT application_id FROM pragma_application_id()),"
                           " (SELECT count(*) FROM sqlite_schema)"));
    Result<bool> row = statement ? statement->step() : Result<bool>(std::unexpected(statement.error()));
    if (!row) {
        if ((row.error().detail(QStringLiteral("sqlite_code")).toInt() & 0xff) == SQLITE_NOTADB)
            return fail(QStringLiteral("workspace.not_a_workspace"),
                        QStringLiteral("%1 is not a Syncline workspace (not an SQLite database); choose a .syncline file or a new file name")
                            .arg(path));
        return std::unexpected(row.error());
    }
    const qint64 applicationId = statement->int64(0);
    const qint64 tables = statement->int64(1);
    if (applicationId == Workspace::ApplicationId)
        return {};
    if (applicationId != 0)
        return fail(QStringLiteral("workspace.not_a_workspace"),
                    QStringLiteral("%1 is not a Syncline workspace (it belongs to another application, id %2)")
                        .arg(path)
                        .arg(applicationId));
    if (tables > 0)
        return fail(QStringLiteral("workspace.not_a_workspace"),
                    QStringLiteral("%1 is an SQLite database but not a Syncline workspace; choose a .syncline file or a new file name")
                        .arg(path));
    return {};
}

Result<void> checkNotNewer(sqlite3 *db, const QString &path, int known)
{
    auto version = pragmaInt(db, "user_version");
    if (!version)
        return std::unexpected(version.error());
    if (*version > known)
        return fail(QStringLiteral("workspace.too_new"),
            QStringLiteral(
                "%1 was written by a newer Syncline (schema %2; this build knows up to %3); update Syncline to open it")
                .arg(path)
                .arg(*version)
                .arg(known));
    return {};
}

} // namespace

struct Workspace::Impl
{
    QString path;
    sqlite3 *db = nullptr;
    int schemaVersion = 0;
    int savepointDepth = 0;
    std::unique_ptr<PayloadShapes> payloadShapes;

    ~Impl()
    {
        if (db)
            sqlite3_close_v2(db);
    }

    // Inside BEGIN IMMEDIATE: re-checks (another process may have migrated meanwhile) and applies what is pending.
    Result<void> migrate(const std::vector<Migration> &migrations)
    {
        if (auto ok = checkIsWorkspace(db, path); !ok)
            return ok;
        const int known = migrations.empty() ? 0 : migrations.back().version;
        if (auto ok = checkNotNewer(db, path, known); !ok)
            return ok;
        auto current = pragmaInt(db, "user_version");
        if (!current)
            return std::unexpected(current.error());
        auto applicationId = pragmaInt(db, "application_id");
        if (!applicationId)
            return std::unexpected(applicationId.error());
        if (*applicationId == 0) {
            if (auto ok = execRaw(db, QByteArrayLiteral("PRAGMA application_id = ") + QByteArray::number(ApplicationId),
                    QStringLiteral("cannot mark the workspace"));
                !ok)
                return ok;
        }
        int version = int(*current);
        for (const Migration &migration : migrations) {
            if (migration.version <= version)
                continue;
            if (auto ok = execRaw(db, migration.sql, QStringLiteral("migration %1 failed").arg(migration.name)); !ok) {
                Error error = ok.error();
                error.code = QStringLiteral("workspace.migration");
                error.details.insert(QStringLiteral("migration"), migration.name);
                return std::unexpected(error);
            }
            version = migration.version;
        }
        if (version != *current) {
            if (auto ok = execRaw(db, QByteArrayLiteral("PRAGMA user_version = ") + QByteArray::number(version),
                    QStringLiteral("cannot record the schema version"));
                !ok)
                return ok;
        }
        schemaVersion = version;
        return {};
    }
};

Workspace::Workspace(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{ }

Workspace::~Workspace() = default;

Result<std::vector<Workspace::Migration>> Workspace::embeddedMigrations()
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{4})_[A-Za-z0-9_]+\\.sql$"));
    std::vector<Migration> migrations;
    const QDir folder(kMigrationFolder);
    for (const QString &name : folder.entryList(QDir::Files, QDir::Name)) {
        const auto match = pattern.match(name);
        if (!match.hasMatch())
            return fail(QStringLiteral("workspace.migration"),
                QStringLiteral("embedded migration %1 is not named NNNN_name.sql").arg(name));
        QFile file(folder.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            return fail(
                QStringLiteral("workspace.migration"), QStringLiteral("cannot read embedded migration %1").arg(name));
        migrations.push_back(Migration { match.captured(1).toInt(), name, file.readAll() });
    }
    std::sort(migrations.begin(), migrations.end(),
        [](const Migration &a, const Migration &b) { return a.version < b.version; });
    for (size_t i = 1; i < migrations.size(); ++i) {
        if (migrations[i].version == migrations[i - 1].version)
            return fail(QStringLiteral("workspace.migration"),
                QStringLiteral("embedded migrations %1 and %2 share version %3")
                    .arg(migrations[i - 1].name, migrations[i].name)
                    .arg(migrations[i].version));
    }
    return migrations;
}

Result<std::unique_ptr<Workspace>> Workspace::open(const QString &path, OpenMode mode)
{
    auto migrations = embeddedMigrations();
    if (!migrations)
        return std::unexpected(migrations.error());
    return open(path, mode, *migrations);
}

Result<std::unique_ptr<Workspace>> Workspace::open(
    const QString &path, OpenMode mode, const std::vector<Migration> &migrations)
{
    const QFileInfo info(path);
    if (path.isEmpty())
        return fail(QStringLiteral("workspace.open"), QStringLiteral("no workspace file given"));
    if (info.exists() && info.isDir())
        return fail(QStringLiteral("workspace.open"), QStringLiteral("%1 is a folder, not a workspace file").arg(path));
    if (!info.exists()) {
        if (mode == OpenMode::MustExist)
            return fail(QStringLiteral("workspace.not_found"),
                QStringLiteral("workspace %1 does not exist; check the path or create it with 'syncline-cli import'")
                    .arg(path));
        if (!QDir().mkpath(info.absolutePath()))
            return fail(QStringLiteral("workspace.open"),
                QStringLiteral("cannot create the folder %1 for the workspace").arg(info.absolutePath()));
    }

    // SQLite's default memory statistics take a process-wide mutex on every allocation, and a
    // serialized connection locks on every call; a workspace connection is only ever used by
    // one thread at a time. (A no-op when something else initialized SQLite first.)
    static std::once_flag configured;
    std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
                      | (mode == OpenMode::CreateIfMissing ? SQLITE_OPEN_CREATE : 0);
    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &impl->db, flags, nullptr);
    if (rc != SQLITE_OK)
        return fail(QStringLiteral("workspace.open"),
            QStringLiteral("cannot open workspace %1: %2")
                .arg(path, impl->db ? sqliteMessage(impl->db) : QString::fromUtf8(sqlite3_errstr(rc))));
    sqlite3_extended_result_codes(impl->db, 1);
    sqlite3_busy_timeout(impl->db, kBusyTimeoutMs);
    impl->payloadShapes = std::make_unique<PayloadShapes>(impl->db);
    if (auto ok = impl->payloadShapes->install(); !ok)
        return std::unexpected(ok.error());
    if (sqlite3_db_readonly(impl->db, "main") == 1)
        return fail(QStringLiteral("workspace.read_only"),
            QStringLiteral("workspace %1 is read-only; check the file's permissions").arg(path));

    if (auto ok = checkIsWorkspace(impl->db, path); !ok)
        return std::unexpected(ok.error());
    const int known = migrations.empty() ? 0 : migrations.back().version;
    if (auto ok = checkNotNewer(impl->db, path, known); !ok)
        return std::unexpected(ok.error());

    // A new workspace gives pages back: a run drops its plan's rows (most of a plan's bytes),
    // and releaseFreePages() returns them to the file system instead of keeping the file at its
    // high-water mark. (Only possible before the first table exists; older files keep reusing
    // their free pages.)
    if (auto pages = pragmaInt(impl->db, "page_count"); pages && *pages == 0) {
        if (auto ok = execRaw(impl->db, QByteArrayLiteral("PRAGMA auto_vacuum=INCREMENTAL"),
                QStringLiteral("cannot configure workspace %1").arg(path));
            !ok)
            return std::unexpected(ok.error());
    }
    {
        auto journal = SqliteStatement::prepare(impl->db, QStringLiteral("PRAGMA journal_mode=WAL"));
        if (!journal)
            return std::unexpected(journal.error());
        auto row = journal->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row || journal->text(0).compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0)
            return fail(QStringLiteral("workspace.open"),
                QStringLiteral("cannot switch workspace %1 to WAL journaling (is it on a network drive?)").arg(path));
    }
    // A 64 MB page cache (SQLite's default is 2 MB): a run's ledger, plan and outcome pages stay
    // in memory across its per-batch transactions instead of being read back from the file.
    // The WAL file is cut back to 8 MB after a checkpoint (a plan's big transaction grows it).
    for (const char *pragma : { "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-65536",
                                "PRAGMA journal_size_limit=8388608" }) {
        if (auto ok = execRaw(impl->db, QByteArray(pragma), QStringLiteral("cannot configure workspace %1").arg(path));
            !ok)
            return std::unexpected(ok.error());
    }

    auto applicationId = pragmaInt(impl->db, "application_id");
    auto version = pragmaInt(impl->db, "user_version");
    if (!applicationId)
        return std::unexpected(applicationId.error());
    if (!version)
        return std::unexpected(version.error());
    impl->schemaVersion = int(*version);
    if (*applicationId == 0 || *version < known) {
        if (auto ok = execRaw(
                impl->db, QByteArrayLiteral("BEGIN IMMEDIATE"), QStringLiteral("cannot lock workspace %1").arg(path));
            !ok)
            return std::unexpected(ok.error());
        auto migrated = impl->migrate(migrations);
        if (!migrated) {
            execRaw(impl->db, QByteArrayLiteral("ROLLBACK"), QString());
            Error error = migrated.error();
            error.message
                = QStringLiteral("cannot upgrade workspace %1: %2 (nothing was changed)").arg(path, error.message);
            return std::unexpected(error);
        }
        if (auto ok
            = execRaw(impl->db, QByteArrayLiteral("COMMIT"), QStringLiteral("cannot commit the workspace upgrade"));
            !ok) {
            execRaw(impl->db, QByteArrayLiteral("ROLLBACK"), QString());
            return std::unexpected(ok.error());
        }
    }
    return std::unique_ptr<Workspace>(new Workspace(std::move(impl)));
}

QString Workspace::path() const
{
    return m_impl->path;
}

int Workspace::schemaVersion() const
{
    return m_impl->schemaVersion;
}

sqlite3 *Workspace::handle() const
{
    return m_impl->db;
}

PayloadShapes &Workspace::payloadShapes() const
{
    return *m_impl->payloadShapes;
}

Result<void> Workspace::transaction(const std::function<Result<void>()> &work)
{
    sqlite3 *db = m_impl->db;
    if (!sqlite3_get_autocommit(db)) {
        // Nested: a savepoint, so an inner failure undoes only the inner work.
        const QByteArray savepoint = "syncline_sp" + QByteArray::number(++m_impl->savepointDepth);
        struct DepthGuard
        {
            int &depth;
            ~DepthGuard() { --depth; }
        } guard { m_impl->savepointDepth };
        if (auto ok = execRaw(db, "SAVEPOINT " + savepoint, QStringLiteral("cannot start a savepoint")); !ok)
            return ok;
        bool released = false;
        struct Rollback
        {
            sqlite3 *db;
            const QByteArray &name;
            bool &released;
            PayloadShapes &shapes;
            ~Rollback()
            {
                if (!released) {
                    execRaw(db, "ROLLBACK TO " + name, QString());
                    execRaw(db, "RELEASE " + name, QString());
                    shapes.forget(); // shapes the inner work added are gone
                }
            }
        } rollback { db, savepoint, released, *m_impl->payloadShapes };
        auto result = work();
        if (!result)
            return result;
        if (auto ok = execRaw(db, "RELEASE " + savepoint, QStringLiteral("cannot release a savepoint")); !ok)
            return ok;
        released = true;
        return {};
    }

    if (auto ok = execRaw(db, QByteArrayLiteral("BEGIN IMMEDIATE"), QStringLiteral("cannot start a write transaction"));
        !ok)
        return ok;
    bool committed = false;
    struct Rollback
    {
        sqlite3 *db;
        bool &committed;
        ~Rollback()
        {
            if (!committed && !sqlite3_get_autocommit(db))
                execRaw(db, QByteArrayLiteral("ROLLBACK"), QString());
        }
    } rollback { db, committed };
    auto result = work();
    if (!result)
        return result;
    if (auto ok = execRaw(db, QByteArrayLiteral("COMMIT"), QStringLiteral("cannot commit")); !ok)
        return ok;
    committed = true;
    return {};
}

Result<void> Workspace::snapshot(const std::function<Result<void>()> &work)
{
    sqlite3 *db = m_impl->db;
    if (!sqlite3_get_autocommit(db))
        return work();
    if (auto ok = execRaw(db, QByteArrayLiteral("BEGIN DEFERRED"), QStringLiteral("cannot start a read transaction"));
        !ok)
        return ok;
    auto result = work();
    // A read transaction has nothing to keep: end it either way.
    execRaw(db, result ? QByteArrayLiteral("COMMIT") : QByteArrayLiteral("ROLLBACK"), QString());
    if (!sqlite3_get_autocommit(db))
        execRaw(db, QByteArrayLiteral("ROLLBACK"), QString());
    return result;
}

Result<void> Workspace::exec(const QString &sql)
{
    return execRaw(m_impl->db, sql.toUtf8(), QStringLiteral("SQL failed"));
}

Result<void> Workspace::releaseFreePages()
{
    return execRaw(m_impl->db, QByteArrayLiteral("PRAGMA incremental_vacuum"), QStringLiteral("cannot release free pages"));
}

Result<QString> Workspace::integrityCheck()
{
    auto statement = SqliteStatement::prepare(m_impl->db, QStringLiteral("PRAGMA integrity_check"));
    if (!statement)
        return std::unexpected(statement.error());
    QStringList lines;
    for (;;) {
        auto row = statement->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        lines << statement->text(0);
    }
    return lines.join(QStringLiteral("; "));
}

QString Workspace::defaultPath()
{
    const QString fromEnvironment = qEnvironmentVariable("SYNCLINE_WORKSPACE");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QString folder = AppFolders::dataFolder();
    QDir().mkpath(folder);
    return folder + QStringLiteral("/default.syncline");
}

} // namespace syncline::engine::state
