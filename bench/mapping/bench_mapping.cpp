// Mapping throughput over the contacts model of ../shared/bench/contacts.sql (10 columns, key id):
// rows are built in memory (RowBatchBuilder) so only map + XXH3 hashing is timed. Prints rows/s
// for a plain column mapping, and for the same with a template field (the slower path).

#include "engine/mapping/mapper.h"
#include "engine/warehouse/rowbatch.h"
#include "engine/warehouse/rowbatchbuilder.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>
#include <ctime>
#include <string>

using namespace syncline::engine;
using namespace syncline::engine::warehouse;

namespace {

constexpr int rowsPerBatch = 4096;
constexpr int distinctBatches = 16;

std::vector<Column> contactColumns()
{
    return {RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
            RowBatchBuilder::column(QStringLiteral("email"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("first_name"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("last_name"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("company"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("plan"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("seats"), ColumnKind::Integer),
            RowBatchBuilder::column(QStringLiteral("ltv"), ColumnKind::Decimal),
            RowBatchBuilder::column(QStringLiteral("signup_at"), ColumnKind::TimestampTz),
            RowBatchBuilder::column(QStringLiteral("last_seen_at"), ColumnKind::TimestampTz)};
}

std::vector<RowBatch> contactBatches()
{
    static const char *firstNames[] = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Linus"};
    static const char *lastNames[] = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Torvalds"};
    static const char *domains[] = {"example.com", "example.org", "example.net", "mail.test"};
    static const char *plans[] = {"free", "starter", "pro", "enterprise"};
    std::vector<RowBatch> batches;
    std::int64_t g = 1;
    for (int b = 0; b < distinctBatches; ++b) {
        RowBatchBuilder builder(contactColumns());
        for (int r = 0; r < rowsPerBatch; ++r, ++g) {
            char ltv[32];
            std::snprintf(ltv, sizeof ltv, "%lld.%02lld", static_cast<long long>((g * 7919) % 1000000 / 100),
                          static_cast<long long>((g * 7919) % 100));
            char signup[32];
            std::snprintf(signup, sizeof signup, "2021-%02d-%02dT%02d:%02d:%02dZ", int(1 + g % 12), int(1 + g % 28),
                          int(g % 24), int(g % 60), int((g * 7) % 60));
            builder.addRow({g, "user" + std::to_string(g) + "@" + domains[g % 4], std::string(firstNames[g % 10]),
                            std::string(lastNames[(g / 10) % 10]), "Company " + std::to_string(g % 5000),
                            std::string(plans[(g * 7) % 4]), std::int64_t(1 + (g * 13) % 250), std::string(ltv),
                            std::string(signup), std::string(signup)});
        }
        batches.push_back(builder.build());
    }
    return batches;
}

MappingEntry column(const char *name)
{
    MappingEntry entry;
    entry.column = QString::fromLatin1(name);
    entry.field = QString::fromLatin1(name);
    return entry;
}

double cpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

struct Timing
{
    double wall = 0;
    double cpu = 0;
};

// Wall and CPU time: on a shared machine the CPU time is the fairer figure.
Timing measure(mapping::Mapper &mapper, const std::vector<RowBatch> &batches, qint64 rows, std::uint64_t &checksum)
{
    mapping::MappedRow out;
    QString reason;
    QElapsedTimer timer;
    timer.start();
    const double cpuStart = cpuSeconds();
    qint64 done = 0;
    while (done < rows) {
        const RowBatch &batch = batches[static_cast<size_t>((done / rowsPerBatch) % distinctBatches)];
        const int count = static_cast<int>(std::min<qint64>(rowsPerBatch, rows - done));
        for (int row = 0; row < count; ++row) {
            if (!mapper.map(batch, row, out, &reason)) {
                std::fprintf(stderr, "row invalid: %s\n", qPrintable(reason));
                return {};
            }
            checksum ^= out.keyHash ^ out.payloadHash[0];
        }
        done += count;
    }
    return {timer.nsecsElapsed() / 1e9, cpuSeconds() - cpuStart};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 10'000'000;
    const std::vector<RowBatch> batches = contactBatches();

    SyncDef sync;
    sync.name = QStringLiteral("bench");
    sync.matchColumn = QStringLiteral("id");
    sync.matchField = QStringLiteral("id");
    for (const char *name : {"email", "first_name", "last_name", "company", "plan", "seats", "ltv", "signup_at", "last_seen_at"})
        sync.mapping.push_back(column(name));
    const connector::ObjectSpec object{QStringLiteral("contacts"), QStringLiteral("contacts"), true, {}};

    auto plain = mapping::Mapper::compile(sync, contactColumns(), {QStringLiteral("id")}, object);
    MappingEntry full;
    full.kind = MappingEntry::SourceKind::Template;
    full.templateText = QStringLiteral("{{first_name}} {{last_name}}");
    full.field = QStringLiteral("full_name");
    sync.mapping.push_back(full);
    auto templated = mapping::Mapper::compile(sync, contactColumns(), {QStringLiteral("id")}, object);
    if (!plain || !templated) {
        std::fprintf(stderr, "mapping did not compile\n");
        return 1;
    }
    std::uint64_t checksum = 0;
    const Timing plainTime = measure(*plain, batches, rows, checksum);
    const Timing templateTime = measure(*templated, batches, rows, checksum);
    std::printf("rows: %lld\n", static_cast<long long>(rows));
    std::printf("map+hash, 10 columns:            wall %.3f s, cpu %.3f s (%.2f M rows/s of cpu)\n", plainTime.wall,
                plainTime.cpu, rows / plainTime.cpu / 1e6);
    std::printf("map+hash, 10 columns + template: wall %.3f s, cpu %.3f s (%.2f M rows/s of cpu)\n", templateTime.wall,
                templateTime.cpu, rows / templateTime.cpu / 1e6);
    std::printf("checksum %016llx\n", static_cast<unsigned long long>(checksum));
    return 0;
}
