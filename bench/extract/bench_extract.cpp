// Reads a whole table through the warehouse engine, touching every cell, and prints rows/s and
// peak RSS. Used by bench/extract/run.sh, which compares it with psql's COPY.
// usage: bench_extract --connection STR [--password-env VAR] --table T [--key K --parallel N] [--rowset N]
#include "engine/warehouse/odbcconnection.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>

#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <thread>

using namespace syncline::engine;
using namespace syncline::engine::warehouse;

namespace {

struct Totals
{
    qint64 rows = 0;
    uint64_t checksum = 0;
};

// Reads every row of `sql`, folding every cell into a checksum so no read is skipped.
Result<Totals> readAll(const ConnectionSpec &spec, const QString &sql, int rowset)
{
    auto connection = OdbcConnection::open(spec);
    if (!connection)
        return std::unexpected(connection.error());
    QueryOptions options;
    options.rowsetSize = rowset;
    auto cursor = (*connection)->execute(sql, options);
    if (!cursor)
        return std::unexpected(cursor.error());
    const auto &columns = (*cursor)->columns();
    RowBatch batch;
    Totals totals;
    for (;;) {
        auto more = (*cursor)->fetch(batch);
        if (!more)
            return std::unexpected(more.error());
        if (!*more)
            break;
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
    std::vector<QString> queries;
    if (parallel <= 1) {
        queries.push_back(QStringLiteral("SELECT * FROM %1").arg(table));
    } else {
        // Key ranges of equal width over [min, max]; one connection each.
        auto connection = OdbcConnection::open(spec);
        if (!connection) {
            std::fprintf(stderr, "bench_extract: %s\n", qPrintable(connection.error().toString()));
            return 1;
        }
        auto cursor = (*connection)->execute(QStringLiteral("SELECT min(%1), max(%1) FROM %2").arg(key, table));
        RowBatch batch;
        if (!cursor || !(*cursor)->fetch(batch).value_or(false)) {
            std::fprintf(stderr, "bench_extract: could not read the key range\n");
            return 1;
        }
        const qint64 low = batch.integer(0, 0), high = batch.integer(0, 1);
        const qint64 step = (high - low) / parallel + 1;
        for (int i = 0; i < parallel; ++i)
            queries.push_back(QStringLiteral("SELECT * FROM %1 WHERE %2 >= %3 AND %2 < %4").arg(table, key).arg(low + i * step).arg(low + (i + 1) * step));
    }

    std::vector<Result<Totals>> results(queries.size(), Totals{});
    std::vector<std::thread> threads;
    for (size_t i = 0; i < queries.size(); ++i)
        threads.emplace_back([&, i] { results[i] = readAll(spec, queries[i], rowset); });
    for (auto &thread : threads)
        thread.join();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;

    Totals total;
    for (const auto &result : results) {
        if (!result) {
            std::fprintf(stderr, "bench_extract: %s\n", qPrintable(result.error().toString()));
            return 1;
        }
        total.rows += result->rows;
        total.checksum += result->checksum;
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("rows=%lld seconds=%.3f rows_per_s=%.0f peak_rss_mb=%.1f checksum=%llu connections=%d\n", total.rows, seconds,
                double(total.rows) / seconds, double(usage.ru_maxrss) / 1024.0, static_cast<unsigned long long>(total.checksum),
                int(queries.size()));
    return 0;
}
