#include "connectors/file/filedestinationstate.h"

#include "connectors/file/statestore.h"
#include "engine/state/sqlitestatement.h"

#include <QDir>
#include <QFile>

#include <memory>
#include <sqlite3.h>

namespace syncline::connectors::file {

using engine::fail;
using engine::Result;
using engine::state::SqliteStatement;

Result<FileDestinationState> FileDestinationState::open(const QString &folder, const QString &object)
{
    const QString path = QDir(folder).filePath(StateStore::fileName(object));
    if (!QFile::exists(path))
        return fail(QStringLiteral("file.state"),
            QStringLiteral("No delivery state for object '%1' in %2: nothing was delivered there").arg(object, folder));
    sqlite3 *raw = nullptr;
    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &raw, SQLITE_OPEN_READONLY, nullptr);
    const std::unique_ptr<sqlite3, int (*)(sqlite3 *)> db(raw, sqlite3_close);
    if (rc != SQLITE_OK)
        return fail(QStringLiteral("file.state"),
            QStringLiteral("Cannot open %1: %2").arg(path, QString::fromUtf8(sqlite3_errstr(rc))));
    sqlite3_busy_timeout(db.get(), 10000);

    FileDestinationState state;
    auto records
        = SqliteStatement::prepare(db.get(), QStringLiteral("SELECT key, payload, present, deliveries FROM records"));
    if (!records)
        return std::unexpected(records.error());
    while (true) {
        auto row = records->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        Record record;
        record.payload = std::string(records->textView(1));
        record.present = records->int64(2) != 0;
        record.deliveries = records->int64(3);
        state.m_records.emplace(std::string(records->textView(0)), std::move(record));
    }
    auto meta = SqliteStatement::prepare(db.get(), QStringLiteral("SELECT name, value FROM meta"));
    if (!meta)
        return std::unexpected(meta.error());
    while (true) {
        auto row = meta->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        if (meta->textView(0) == "generation")
            state.m_generation = meta->int64(1);
        else if (meta->textView(0) == "snapshot_generation")
            state.m_snapshotGeneration = meta->int64(1);
    }
    return state;
}

std::optional<FileDestinationState::Record> FileDestinationState::record(const std::string &key) const
{
    const auto found = m_records.find(key);
    if (found == m_records.end())
        return std::nullopt;
    return found->second;
}

qint64 FileDestinationState::presentCount() const
{
    qint64 count = 0;
    for (const auto &[key, record] : m_records)
        count += record.present ? 1 : 0;
    return count;
}

qint64 FileDestinationState::totalDeliveries() const
{
    qint64 total = 0;
    for (const auto &[key, record] : m_records)
        total += record.deliveries;
    return total;
}

} // namespace syncline::connectors::file
