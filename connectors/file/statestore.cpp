#include "connectors/file/statestore.h"

#include "engine/state/ledgerstore.h"

#include <QDir>
#include <QFile>

#include <sqlite3.h>

namespace syncline::connectors::file {

using engine::Error;
using engine::fail;
using engine::Result;
using engine::state::SqliteStatement;

namespace {

constexpr int busyTimeoutMs = 10000;

// Records are clustered by the key's hash (XXH3-64, as the ledger's key_hash), the order in which
// the runner delivers a plan: a batch then updates a few neighbouring pages instead of one page
// per record scattered over the whole file (which every commit wrote to the WAL again).
const char *const schema
    = "CREATE TABLE IF NOT EXISTS records("
      "  key_hash INTEGER NOT NULL,"
      "  key TEXT NOT NULL,"
      "  payload TEXT NOT NULL,"
      "  present INTEGER NOT NULL,"
      "  deliveries INTEGER NOT NULL,"
      "  PRIMARY KEY (key_hash, key)) WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS fields(position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
      "CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS runs(run INTEGER PRIMARY KEY, file_name TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS journal("
      "  id INTEGER PRIMARY KEY,"
      "  run INTEGER NOT NULL REFERENCES runs(run),"
      "  operation TEXT NOT NULL,"
      "  key TEXT NOT NULL,"
      "  payload TEXT NOT NULL);"
      "CREATE INDEX IF NOT EXISTS journal_run ON journal(run, id);";

// A sidecar written before records were clustered by key hash: rebuilt once, in one transaction.
const char *const upgradeRecords
    = "BEGIN IMMEDIATE;"
      "CREATE TABLE records_by_hash("
      "  key_hash INTEGER NOT NULL,"
      "  key TEXT NOT NULL,"
      "  payload TEXT NOT NULL,"
      "  present INTEGER NOT NULL,"
      "  deliveries INTEGER NOT NULL,"
      "  PRIMARY KEY (key_hash, key)) WITHOUT ROWID;"
      "INSERT INTO records_by_hash SELECT syncline_key_hash(key), key, payload, present, deliveries FROM records;"
      "DROP TABLE records;"
      "ALTER TABLE records_by_hash RENAME TO records;"
      "COMMIT;";

qint64 keyHash(std::string_view key)
{
    return static_cast<qint64>(engine::state::LedgerStore::hashKey(key));
}

void keyHashFunction(sqlite3_context *context, int, sqlite3_value **values)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(values[0]));
    const int size = sqlite3_value_bytes(values[0]);
    sqlite3_result_int64(context, keyHash(std::string_view(text ? text : "", size_t(size))));
}

// Statement slots, prepared once per store.
enum Slot { SelectPresent, Upsert, Remove, InsertField, SelectFields, SelectMeta, UpsertMeta, Journal, UpsertMany, SlotCount };

// Records written by one multi-row upsert: one statement's fixed cost (reset, bind, halt) shared
// by this many rows, and their texts bound without a copy.
constexpr size_t putsPerStatement = 64;

std::string upsertManySql()
{
    std::string sql = "INSERT INTO records(key_hash, key, payload, present, deliveries) VALUES ";
    for (size_t i = 0; i < putsPerStatement; ++i)
        sql += i == 0 ? "(?, ?, ?, 1, 1)" : ", (?, ?, ?, 1, 1)";
    // A key twice in one statement is upserted twice, in order, as by two put() calls.
    sql += " ON CONFLICT(key_hash, key) DO UPDATE SET payload = excluded.payload, present = 1, "
           "deliveries = deliveries + 1";
    return sql;
}

} // namespace

QString StateStore::fileName(const QString &object)
{
    return QLatin1Char('.') + object + QStringLiteral(".syncline-state");
}

StateStore::StateStore(sqlite3 *db, QString path)
    : m_db(db)
    , m_path(std::move(path))
{
    m_statements.resize(SlotCount);
}

StateStore::~StateStore()
{
    m_statements.clear();
    sqlite3_close(m_db);
}

Result<std::unique_ptr<StateStore>> StateStore::open(const QString &folder, const QString &object)
{
    const QString path = QDir(folder).filePath(fileName(object));
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &db,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const QString reason = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_close(db);
        return fail(QStringLiteral("file.state"),
            QStringLiteral("Cannot open the delivery state file %1: %2; check that the folder is writable")
                .arg(path, reason));
    }
    sqlite3_busy_timeout(db, busyTimeoutMs);
    std::unique_ptr<StateStore> store(new StateStore(db, path));
    // WAL keeps readers (tests, a second Syncline) out of the writer's way; NORMAL sync is
    // durable against process crashes, which is what the state must survive.
    // A 64 MB page cache (the default is 2 MB) keeps the records a run rewrites in memory.
    for (const char *sql : { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-65536" }) {
        if (auto ok = store->exec(sql); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = store->upgrade(); !ok)
        return std::unexpected(ok.error());
    if (auto ok = store->exec(schema); !ok)
        return std::unexpected(ok.error());
    return store;
}

Result<void> StateStore::upgrade()
{
    sqlite3_create_function(m_db, "syncline_key_hash", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, keyHashFunction,
        nullptr, nullptr);
    auto probe = SqliteStatement::prepare(m_db,
        QStringLiteral("SELECT (SELECT count(*) FROM pragma_table_info('records')), "
                       "(SELECT count(*) FROM pragma_table_info('records') WHERE name = 'key_hash')"));
    if (!probe)
        return std::unexpected(wrap(probe.error()));
    auto row = probe->step();
    if (!row)
        return std::unexpected(wrap(row.error()));
    const bool old = *row && probe->int64(0) > 0 && probe->int64(1) == 0;
    probe->reset();
    if (!old)
        return {};
    if (auto ok = exec(upgradeRecords); !ok) {
        rollback();
        return ok;
    }
    return {};
}

Error StateStore::wrap(const Error &error) const
{
    Error wrapped = error;
    wrapped.code = error.retryable ? QStringLiteral("file.state_busy") : QStringLiteral("file.state");
    wrapped.message = QStringLiteral("Delivery state file %1: %2").arg(m_path, error.message);
    return wrapped;
}

Result<void> StateStore::exec(const char *sql)
{
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &message);
    if (rc == SQLITE_OK)
        return {};
    const QString text = message ? QString::fromUtf8(message) : QString::fromUtf8(sqlite3_errstr(rc));
    sqlite3_free(message);
    const int primary = rc & 0xff;
    const bool busy = primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
    return fail(busy ? QStringLiteral("file.state_busy") : QStringLiteral("file.state"),
        QStringLiteral("Delivery state file %1: %2").arg(m_path, text), busy,
        { { QStringLiteral("sqlite_code"), QString::number(rc) } });
}

Result<SqliteStatement *> StateStore::statement(int slot, const char *sql)
{
    auto &cached = m_statements[static_cast<size_t>(slot)];
    if (!cached) {
        auto prepared = SqliteStatement::prepare(m_db, QString::fromUtf8(sql));
        if (!prepared)
            return std::unexpected(wrap(prepared.error()));
        cached = std::make_unique<SqliteStatement>(std::move(*prepared));
    }
    cached->reset();
    return cached.get();
}

Result<void> StateStore::begin()
{
    return exec("BEGIN IMMEDIATE");
}

Result<void> StateStore::commit()
{
    if (auto ok = flushPuts(); !ok)
        return ok;
    return exec("COMMIT");
}

void StateStore::rollback()
{
    m_queued.clear();
    if (!sqlite3_get_autocommit(m_db))
        (void)exec("ROLLBACK");
}

Result<std::optional<std::string>> StateStore::presentPayload(std::string_view key)
{
    if (auto ok = flushPuts(); !ok)
        return std::unexpected(ok.error());
    auto select
        = statement(SelectPresent, "SELECT payload FROM records WHERE key_hash = ?1 AND key = ?2 AND present = 1");
    if (!select)
        return std::unexpected(select.error());
    (*select)->bind(1, keyHash(key)).bind(2, key);
    auto row = (*select)->step();
    if (!row)
        return std::unexpected(wrap(row.error()));
    std::optional<std::string> payload;
    if (*row)
        payload = std::string((*select)->textView(0));
    (*select)->reset();
    return payload;
}

Result<void> StateStore::put(std::string_view key, std::string_view payload)
{
    auto upsert = statement(Upsert,
        "INSERT INTO records(key_hash, key, payload, present, deliveries) VALUES (?1, ?2, ?3, 1, 1) "
        "ON CONFLICT(key_hash, key) DO UPDATE SET payload = excluded.payload, present = 1, "
        "deliveries = deliveries + 1");
    if (!upsert)
        return std::unexpected(upsert.error());
    (*upsert)->bind(1, keyHash(key)).bind(2, key).bind(3, payload);
    if (auto ok = (*upsert)->run(); !ok)
        return std::unexpected(wrap(ok.error()));
    return {};
}

Result<void> StateStore::queuePut(std::string_view key, std::string_view payload)
{
    m_queued.emplace_back(key, payload);
    if (m_queued.size() < putsPerStatement)
        return {};
    return writePuts(m_queued.size());
}

Result<void> StateStore::flushPuts()
{
    if (m_queued.size() >= putsPerStatement)
        return writePuts(m_queued.size());
    // Fewer than a full statement: one at a time.
    std::vector<std::pair<std::string_view, std::string_view>> queued;
    queued.swap(m_queued);
    for (const auto &[key, payload] : queued) {
        if (auto ok = put(key, payload); !ok)
            return ok;
    }
    return {};
}

Result<void> StateStore::writePuts(size_t count)
{
    static const std::string sql = upsertManySql();
    std::vector<std::pair<std::string_view, std::string_view>> queued;
    queued.swap(m_queued);
    size_t next = 0;
    for (; count - next >= putsPerStatement; next += putsPerStatement) {
        auto upsert = statement(UpsertMany, sql.c_str());
        if (!upsert)
            return std::unexpected(upsert.error());
        sqlite3_stmt *handle = (*upsert)->handle();
        for (size_t i = 0; i < putsPerStatement; ++i) {
            const auto &[key, payload] = queued[next + i];
            const int column = int(i) * 3;
            sqlite3_bind_int64(handle, column + 1, keyHash(key));
            sqlite3_bind_text(handle, column + 2, key.data(), int(key.size()), SQLITE_STATIC);
            sqlite3_bind_text(handle, column + 3, payload.data(), int(payload.size()), SQLITE_STATIC);
        }
        if (auto ok = (*upsert)->run(); !ok)
            return std::unexpected(wrap(ok.error()));
    }
    for (; next < count; ++next) {
        if (auto ok = put(queued[next].first, queued[next].second); !ok)
            return ok;
    }
    return {};
}

Result<void> StateStore::remove(std::string_view key)
{
    if (auto ok = flushPuts(); !ok)
        return ok;
    auto remove = statement(Remove,
        "INSERT INTO records(key_hash, key, payload, present, deliveries) VALUES (?1, ?2, '{}', 0, 1) "
        "ON CONFLICT(key_hash, key) DO UPDATE SET present = 0, deliveries = deliveries + 1");
    if (!remove)
        return std::unexpected(remove.error());
    (*remove)->bind(1, keyHash(key)).bind(2, key);
    if (auto ok = (*remove)->run(); !ok)
        return std::unexpected(wrap(ok.error()));
    return {};
}

Result<void> StateStore::noteFields(const std::vector<std::string> &names)
{
    auto insert = statement(InsertField, "INSERT OR IGNORE INTO fields(name) VALUES (?1)");
    if (!insert)
        return std::unexpected(insert.error());
    for (const std::string &name : names) {
        (*insert)->bind(1, std::string_view(name));
        if (auto ok = (*insert)->run(); !ok)
            return std::unexpected(wrap(ok.error()));
    }
    return {};
}

Result<std::vector<std::string>> StateStore::fields()
{
    auto select = statement(SelectFields, "SELECT name FROM fields ORDER BY position");
    if (!select)
        return std::unexpected(select.error());
    std::vector<std::string> names;
    while (true) {
        auto row = (*select)->step();
        if (!row)
            return std::unexpected(wrap(row.error()));
        if (!*row)
            break;
        names.emplace_back((*select)->textView(0));
    }
    (*select)->reset();
    return names;
}

Result<qint64> StateStore::metaValue(const char *name)
{
    auto select = statement(SelectMeta, "SELECT value FROM meta WHERE name = ?1");
    if (!select)
        return std::unexpected(select.error());
    (*select)->bind(1, std::string_view(name));
    auto row = (*select)->step();
    if (!row)
        return std::unexpected(wrap(row.error()));
    const qint64 value = *row ? (*select)->int64(0) : 0;
    (*select)->reset();
    return value;
}

Result<void> StateStore::setMetaValue(const char *name, qint64 value)
{
    auto upsert = statement(UpsertMeta,
        "INSERT INTO meta(name, value) VALUES (?1, ?2) "
        "ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    if (!upsert)
        return std::unexpected(upsert.error());
    (*upsert)->bind(1, std::string_view(name)).bind(2, value);
    if (auto ok = (*upsert)->run(); !ok)
        return std::unexpected(wrap(ok.error()));
    return {};
}

Result<qint64> StateStore::generation()
{
    return metaValue("generation");
}

Result<void> StateStore::bumpGeneration()
{
    auto current = generation();
    if (!current)
        return std::unexpected(current.error());
    return setMetaValue("generation", *current + 1);
}

Result<qint64> StateStore::snapshotGeneration()
{
    return metaValue("snapshot_generation");
}

Result<void> StateStore::setSnapshotGeneration(qint64 generation)
{
    return setMetaValue("snapshot_generation", generation);
}

Result<void> StateStore::forEachPresent(const std::function<void(std::string_view, std::string_view)> &visit)
{
    if (auto ok = flushPuts(); !ok)
        return ok;
    auto select = SqliteStatement::prepare(
        m_db, QStringLiteral("SELECT key, payload FROM records WHERE present = 1 ORDER BY key"));
    if (!select)
        return std::unexpected(wrap(select.error()));
    while (true) {
        auto row = select->step();
        if (!row)
            return std::unexpected(wrap(row.error()));
        if (!*row)
            return {};
        visit(select->textView(0), select->textView(1));
    }
}

Result<qint64> StateStore::startRun(const std::function<QString(qint64)> &fileNameFor)
{
    auto next = metaValue("run_sequence");
    if (!next)
        return std::unexpected(next.error());
    const qint64 run = *next + 1;
    if (auto ok = begin(); !ok)
        return std::unexpected(ok.error());
    auto insert = SqliteStatement::prepare(m_db, QStringLiteral("INSERT INTO runs(run, file_name) VALUES (?1, ?2)"));
    if (!insert) {
        rollback();
        return std::unexpected(wrap(insert.error()));
    }
    insert->bind(1, run).bind(2, fileNameFor(run));
    if (auto ok = insert->run(); !ok) {
        rollback();
        return std::unexpected(wrap(ok.error()));
    }
    if (auto ok = setMetaValue("run_sequence", run); !ok) {
        rollback();
        return std::unexpected(ok.error());
    }
    if (auto ok = commit(); !ok) {
        rollback();
        return std::unexpected(ok.error());
    }
    return run;
}

Result<std::vector<StateStore::PendingRun>> StateStore::pendingRuns()
{
    auto select = SqliteStatement::prepare(m_db, QStringLiteral("SELECT run, file_name FROM runs ORDER BY run"));
    if (!select)
        return std::unexpected(wrap(select.error()));
    std::vector<PendingRun> runs;
    while (true) {
        auto row = select->step();
        if (!row)
            return std::unexpected(wrap(row.error()));
        if (!*row)
            return runs;
        runs.push_back({ select->int64(0), select->text(1) });
    }
}

Result<void> StateStore::journal(qint64 run, std::string_view operation, std::string_view key, std::string_view payload)
{
    auto insert = statement(Journal, "INSERT INTO journal(run, operation, key, payload) VALUES (?1, ?2, ?3, ?4)");
    if (!insert)
        return std::unexpected(insert.error());
    (*insert)->bind(1, run).bind(2, operation).bind(3, key).bind(4, payload);
    if (auto ok = (*insert)->run(); !ok)
        return std::unexpected(wrap(ok.error()));
    return {};
}

Result<void> StateStore::forEachJournal(
    qint64 run, const std::function<void(std::string_view, std::string_view, std::string_view)> &visit)
{
    auto select = SqliteStatement::prepare(
        m_db, QStringLiteral("SELECT operation, key, payload FROM journal WHERE run = ?1 ORDER BY id"));
    if (!select)
        return std::unexpected(wrap(select.error()));
    select->bind(1, run);
    while (true) {
        auto row = select->step();
        if (!row)
            return std::unexpected(wrap(row.error()));
        if (!*row)
            return {};
        visit(select->textView(0), select->textView(1), select->textView(2));
    }
}

Result<void> StateStore::dropRun(qint64 run)
{
    if (auto ok = begin(); !ok)
        return ok;
    for (const char *sql : { "DELETE FROM journal WHERE run = ?1", "DELETE FROM runs WHERE run = ?1" }) {
        auto drop = SqliteStatement::prepare(m_db, QString::fromUtf8(sql));
        if (!drop) {
            rollback();
            return std::unexpected(wrap(drop.error()));
        }
        drop->bind(1, run);
        if (auto ok = drop->run(); !ok) {
            rollback();
            return std::unexpected(wrap(ok.error()));
        }
    }
    return commit();
}

} // namespace syncline::connectors::file
