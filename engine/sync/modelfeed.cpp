#include "engine/sync/modelfeed.h"

#include "engine/diff/diffplanner.h"
#include "engine/mapping/mapper.h"
#include "engine/sync/batchprefetcher.h"
#include "engine/warehouse/keysplit.h"
#include "engine/warehouse/modelquery.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/parallelquerycursor.h"
#include "engine/warehouse/querycursor.h"
#include "engine/warehouse/rowbatch.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cstring>
#include <xxhash.h>

namespace syncline::engine::sync {

namespace {
int hexDigit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}
} // namespace

mapping::PayloadHash saltedSourceHash(const mapping::PayloadHash &salt, std::string_view warehouseHash)
{
    // MD5 as hex (every dialect's): its bytes XOR the salt, so warehouse mode can give the
    // warehouse back its own hash (warehouseSourceHash) and a new salt still changes them all.
    if (warehouseHash.size() == 32) {
        mapping::PayloadHash hash;
        bool hex = true;
        for (size_t i = 0; i < 16 && hex; ++i) {
            const int high = hexDigit(warehouseHash[2 * i]);
            const int low = hexDigit(warehouseHash[2 * i + 1]);
            hex = high >= 0 && low >= 0;
            hash[i] = std::uint8_t((high << 4 | low) ^ salt[i]);
        }
        if (hex)
            return hash;
    }
    char buffer[16 + 64];
    const size_t length = std::min(warehouseHash.size(), sizeof buffer - 16);
    std::memcpy(buffer, salt.data(), 16);
    std::memcpy(buffer + 16, warehouseHash.data(), length);
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits(buffer, 16 + length));
    mapping::PayloadHash hash;
    std::memcpy(hash.data(), canonical.digest, hash.size());
    return hash;
}

QString warehouseSourceHash(const mapping::PayloadHash &salt, const mapping::PayloadHash &stored)
{
    QByteArray raw(16, '\0');
    for (int i = 0; i < 16; ++i)
        raw[i] = char(stored[size_t(i)] ^ salt[size_t(i)]);
    return QString::fromLatin1(raw.toHex());
}

Result<std::unique_ptr<warehouse::QueryCursor>> openModelCursor(warehouse::OdbcConnection &connection,
                                                                const warehouse::ConnectionSpec &spec, const QString &modelSql,
                                                                const QStringList &primaryKey, int connections,
                                                                const warehouse::QueryOptions &options, int *used)
{
    if (used)
        *used = 1;
    if (connections <= 1)
        return warehouse::openModelQuery(connection, spec, modelSql, options);
    auto split = warehouse::planSplit(connection, modelSql, primaryKey, connections, options);
    if (!split)
        return std::unexpected(split.error());
    if (split->queries.size() <= 1)
        return warehouse::openModelQuery(connection, spec, split->queries.front(), options);
    if (used)
        *used = int(split->queries.size());
    return warehouse::ParallelQueryCursor::open(connection, spec, split->queries, options);
}

Result<void> feedModelRows(warehouse::QueryCursor &cursor, mapping::Mapper &mapper, diff::DiffPlanner &planner,
                           const std::optional<mapping::PayloadHash> &salt, const CancellationToken &cancellation,
                           FeedStats &stats, const std::function<Result<void>()> &beforeFirst,
                           const std::function<void(std::string_view key)> &onKey)
{
    QElapsedTimer clock;
    clock.start();
    mapping::MappedRow row;
    QString reason;
    BatchPrefetcher prefetcher(cursor);
    if (beforeFirst)
        if (auto ok = beforeFirst(); !ok)
            return ok;
    const int hashColumn = int(cursor.columns().size()) - 1;
    for (;;) {
        if (cancellation.isCancelled())
            return fail(QStringLiteral("run.cancelled"), QStringLiteral("the plan was cancelled; nothing was sent"));
        const qint64 waitStart = clock.nsecsElapsed();
        auto next = prefetcher.next();
        stats.waitNs += clock.nsecsElapsed() - waitStart;
        if (!next)
            return std::unexpected(next.error());
        if (!*next)
            break;
        const warehouse::RowBatch &batch = **next;
        stats.rows += batch.rowCount();
        for (int r = 0; r < batch.rowCount(); ++r) {
            row.key.clear();
            row.keyHash = 0;
            if (mapper.map(batch, r, row, &reason)) {
                if (onKey)
                    onKey(row.key);
                Result<void> ok;
                if (!salt) {
                    ok = planner.add(row);
                } else if (batch.isNull(r, hashColumn)) {
                    // No hash (the warehouse could not render a value): a hash nothing equals.
                    mapping::PayloadHash none{};
                    none.fill(0xff);
                    ok = planner.add(row, none);
                } else {
                    ok = planner.add(row, saltedSourceHash(*salt, batch.text(r, hashColumn)));
                }
                if (!ok)
                    return ok;
                continue;
            }
            // The mapper fills the key (and its hash) before mapping the payload: a row whose
            // payload failed still has a usable key, one whose key failed does not.
            const bool keyKnown = !row.key.empty() && row.keyHash == mapping::Mapper::hashKey(row.key);
            if (keyKnown && onKey)
                onKey(row.key);
            if (auto ok = planner.addInvalid(keyKnown ? std::string_view(row.key) : std::string_view(), reason); !ok)
                return ok;
        }
        if (stats.progress)
            stats.progress(stats.rows);
    }
    stats.fetchNs += prefetcher.fetchNs();
    return {};
}

} // namespace syncline::engine::sync
