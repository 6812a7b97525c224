#pragma once
// bench_tables' last phase: the same upserts delivered straight to a table destination, without
// the planner, runner or ledger, timing deliver() alone in CPU seconds: the destination's own
// part of an apply (the rest of the apply's CPU is the runner's and the ledger's). For a server
// database the CPU is the client's only; the server's work shows in the wall-clock figure.

#include "engine/connector/connectorregistry.h"

#include <QElapsedTimer>

#include <cstdio>
#include <ctime>

namespace benchtables {

using namespace syncline::engine;

inline double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + t.tv_nsec / 1e9;
}

inline void destinationOnly(connector::ConnectorRegistry &registry, SecretResolver &secrets, const DestinationDef &destination,
                            const QString &table, int rows)
{
    auto created = registry.create(destination, secrets);
    if (!created)
        return (void)std::printf("destination alone: %s\n", qPrintable(created.error().toString()));
    connector::Connector &sink = **created;
    connector::RunContext context;
    context.matchField = QStringLiteral("id");
    context.fields = {{QStringLiteral("id"), {}, connector::FieldType::Integer, false, false, true},
                      {QStringLiteral("email"), {}, connector::FieldType::Text},
                      {QStringLiteral("name"), {}, connector::FieldType::Text},
                      {QStringLiteral("score"), {}, connector::FieldType::Number},
                      {QStringLiteral("seats"), {}, connector::FieldType::Integer}};
    sink.setRunContext(context);
    if (auto begun = sink.beginRun(table); !begun)
        return (void)std::printf("destination alone: %s\n", qPrintable(begun.error().toString()));
    const int batchSize = std::max(1, sink.capabilities().maxBatchSize);
    for (int generation = 0; generation < 2; ++generation) {
        double cpu = 0;
        QElapsedTimer wall;
        wall.start();
        connector::Batch batch{table, {}};
        for (int first = 1; first <= rows; first += batchSize) {
            batch.records.clear();
            for (int id = first; id < first + batchSize && id <= rows; ++id) {
                const std::string n = std::to_string(id);
                batch.records.push_back({n, connector::Operation::Upsert,
                                         "{\"email\":\"person" + n + "@example.com\",\"id\":" + n + ",\"name\":\"Person " + n
                                             + " gen " + std::to_string(generation) + "\",\"score\":" + std::to_string(id * 0.25 + generation)
                                             + ",\"seats\":" + std::to_string(id % 50 + generation) + "}",
                                         {}});
            }
            const double start = threadCpuSeconds();
            auto outcomes = sink.deliver(batch, {});
            cpu += threadCpuSeconds() - start;
            if (!outcomes)
                return (void)std::printf("destination alone: %s\n", qPrintable(outcomes.error().toString()));
        }
        std::printf("destination alone, %s: deliver() %.2f s CPU: %.0f rows per CPU second (%.0f rows/s wall, with "
                    "building the batches and waiting for the commits)\n",
                    generation == 0 ? "insert into a new table" : "every row changed", cpu, rows / cpu,
                    rows / (wall.nsecsElapsed() / 1e9));
        std::fflush(stdout);
    }
    (void)sink.finishRun(true);
}

} // namespace benchtables
