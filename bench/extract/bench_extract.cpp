// Reads a whole table through the warehouse engine as the planner does (one connection, or split
// by key over --parallel N), touching every cell, and prints rows/s, CPU seconds and peak RSS. Used by bench/extract/run.sh, which compares it with psql's COPY.
// usage: bench_extract --connection STR [--password-env VAR] --table T [--key K --parallel N] [--rowset N]
#include "engine/sync/batchprefetcher.h"
#include "engine/sync/modelfeed.h"
#include "engine/warehouse/odbcconnection.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>

#include <sys/resource.h>

#include <cstdio>

using namespace syncline::engine;
using namespace syncline::engine::warehouse;

namespace {

struct Totals
{
    qint64 rows = 0;
    uint64_t checksum = 0;
};

// Reads every row of the model the planner's way (openModelCursor, then the prefetch thread),
// folding every cell into a checksum so no read is skipped.
Result<Totals> readAll(const ConnectionSpec &spec, const QString &sql, const QString &key, int parallel, int rowset,
                       int *connections)
{
    auto connection = OdbcConnection::open(spec);
    if (!connection)
        return std::unexpected(connection.error());
    QueryOptions options;
    options.rowsetSize = rowset;
    auto cursor = sync::openModelCursor(**connection, spec, sql, {key}, parallel, options, connections);
    if (!cursor)
        return std::unexpected(cursor.error());
    const auto &columns = (*cursor)->columns();
    sync::BatchPrefetcher prefetcher(**cursor);
    Totals totals;
    for (;;) {
        auto next = prefetcher.next();
        if (!next)
            return std::unexpected(next.error());
        if (!*next)
            break;
        const RowBatch &batch = **next;
        const int rows = batch.rowCount();
        for (int c = 0; c < int(columns.size()); ++c) {
            const ColumnKind kind = columns[size_t(c)].kind;
            for (int r = 0; r < rows; ++r) {
                if (batch.isNull(r, c))
                    continue;
                switch (kind) {
                case ColumnKind::Integer: totals.checksum += uint64_t(batch.integer(r, c)); break;
                case ColumnKind::Real: totals.checksum += uint64_t(batch.real(r, c)); break;
                case ColumnKind::Boolean: totals.checksum += batch.boolean(r, c) ? 1 : 0; break;
                default: {
                    const std::string_view text = batch.text(r, c);
                    totals.checksum += text.size() + (text.empty() ? 0 : uint8_t(text.back()));
                }
                }
            }
        }
        totals.rows += rows;
    }
    return totals;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto value = [&](const char *name, const QString &fallback = {}) {
        const qsizetype i = args.indexOf(QString::fromLatin1(name));
        return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
    };
    ConnectionSpec spec;
    spec.connectionString = value("--connection");
    const QString passwordVariable = value("--password-env");
    if (!passwordVariable.isEmpty())
        spec.password = qEnvironmentVariable(passwordVariable.toLocal8Bit().constData());
    const QString table = value("--table");
    const QString key = value("--key", QStringLiteral("id"));
    const int parallel = value("--parallel", QStringLiteral("1")).toInt();
    const int rowset = value("--rowset", QStringLiteral("4096")).toInt();
    if (spec.connectionString.isEmpty() || table.isEmpty()) {
        std::fprintf(stderr, "usage: bench_extract --connection STR [--password-env VAR] --table T [--key K --parallel N] [--rowset N]\n");
        return 2;
    }

    QElapsedTimer timer;
    timer.start();
    int connections = 1;
    const auto total = readAll(spec, QStringLiteral("SELECT * FROM %1").arg(table), key, parallel, rowset, &connections);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (!total) {
        std::fprintf(stderr, "bench_extract: %s\n", qPrintable(total.error().toString()));
        return 1;
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                              + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    std::printf("rows=%lld seconds=%.3f rows_per_s=%.0f peak_rss_mb=%.1f checksum=%llu connections=%d cpu_s=%.3f\n", total->rows,
                seconds, double(total->rows) / seconds, double(usage.ru_maxrss) / 1024.0,
                static_cast<unsigned long long>(total->checksum), connections, cpuSeconds);
    return 0;
}
