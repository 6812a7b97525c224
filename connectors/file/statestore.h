#pragma once
// The file destination's sidecar: one SQLite file per object in the destination folder
// (".<object>.syncline-state") holding the delivered state by key (clustered by the key's hash,
// the runner's delivery order; older sidecars are upgraded on open), per-key delivery counts,
// the CSV header's fields in first-seen order, and the change journal of runs whose change
// file is not yet written. deliver() changes it in one transaction, so a crash at any instant
// leaves either all or none of a batch. Thread: one thread at a time (the run's thread).

#include "engine/core/error.h"
#include "engine/state/sqlitestatement.h"

#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct sqlite3;

namespace syncline::connectors::file {

class StateStore
{
public:
    static QString fileName(const QString &object); // ".<object>.syncline-state"
    static engine::Result<std::unique_ptr<StateStore>> open(const QString &folder, const QString &object);
    ~StateStore();

    engine::Result<void> begin();
    engine::Result<void> commit();
    void rollback();

    // The payload of a present record, or nullopt when the key is absent (never sent or deleted).
    engine::Result<std::optional<std::string>> presentPayload(std::string_view key);
    // Stores `payload` under `key` as present and counts one delivery.
    engine::Result<void> put(std::string_view key, std::string_view payload);
    // As put(), batched: the record is written with others in one multi-row statement, at the
    // latest by flushPuts(). The views must stay valid until then. Call flushPuts() before any
    // other read or write of records, and before commit().
    engine::Result<void> queuePut(std::string_view key, std::string_view payload);
    engine::Result<void> flushPuts();
    // Marks `key` absent and counts one delivery (a missing key is recorded as absent too).
    engine::Result<void> remove(std::string_view key);
    // Adds field names not seen before to the end of the header order.
    engine::Result<void> noteFields(const std::vector<std::string> &names);
    engine::Result<std::vector<std::string>> fields();

    // A counter bumped by every delivering transaction, and the value the visible snapshot
    // file was last written at; different means the file is behind the state.
    engine::Result<qint64> generation();
    engine::Result<void> bumpGeneration();
    engine::Result<qint64> snapshotGeneration();
    engine::Result<void> setSnapshotGeneration(qint64 generation);

    // Present records in key order (bytewise).
    engine::Result<void> forEachPresent(
        const std::function<void(std::string_view key, std::string_view payload)> &visit);

    // Change journal (layout: changes).
    struct PendingRun
    {
        qint64 run = 0;
        QString fileName;
    };
    engine::Result<qint64> startRun(const std::function<QString(qint64 runSequence)> &fileNameFor);
    engine::Result<std::vector<PendingRun>> pendingRuns();
    engine::Result<void> journal(
        qint64 run, std::string_view operation, std::string_view key, std::string_view payload);
    engine::Result<void> forEachJournal(qint64 run,
        const std::function<void(std::string_view operation, std::string_view key, std::string_view payload)> &visit);
    engine::Result<void> dropRun(qint64 run);

private:
    StateStore(sqlite3 *db, QString path);
    engine::Result<void> exec(const char *sql);
    engine::Result<void> upgrade(); // a sidecar from before records were clustered by key hash
    engine::Result<engine::state::SqliteStatement *> statement(int slot, const char *sql);
    engine::Error wrap(const engine::Error &error) const;
    engine::Result<qint64> metaValue(const char *name);
    engine::Result<void> setMetaValue(const char *name, qint64 value);

    engine::Result<void> writePuts(size_t count);

    sqlite3 *m_db = nullptr;
    std::vector<std::pair<std::string_view, std::string_view>> m_queued; // queuePut() not yet written
    QString m_path;
    std::vector<std::unique_ptr<engine::state::SqliteStatement>> m_statements;
};

} // namespace syncline::connectors::file
