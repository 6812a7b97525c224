// One step of the diff benchmark, in its own process so each step's peak RSS is its own:
//   --step extract : read the model through the engine's model reader only (the baseline)
//   --step run     : plan + apply the sync: with --endpoint, through the `http` destination to
//                    that URL (the peer's sink, so both do equal work); without, into an
//                    in-process counting destination (Syncline alone, no network)
//   --step plan    : plan only (compare with the peer's --dry-run)
//   --mode MODE    : the sync's change_detection (default: the best the warehouse allows)
// Prints one JSON line: timings per phase, counts, peak RSS.
#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"
#include "engine/secrets/envsecretresolver.h"
#include "engine/state/definitionstore.h"
#include "engine/state/planstore.h"
#include "engine/state/workspace.h"
#include "engine/sync/syncplanner.h"
#include "engine/sync/syncrunner.h"
#include "engine/warehouse/modelquery.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/rowbatch.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTextStream>

#include <optional>

#include <sys/resource.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

using namespace syncline::engine;

namespace {

// Accepts every record and counts them: measures Syncline, not a network.
class CountingConnector final : public connector::Connector
{
public:
    connector::Capabilities capabilities() const override
    {
        using connector::Operation;
        return {{Operation::Upsert, Operation::Update, Operation::Insert, Operation::Delete, Operation::Clear}, 5000, false};
    }
    Result<std::vector<connector::ObjectSpec>> objects() override { return std::vector<connector::ObjectSpec>{}; }
    Result<connector::ObjectSpec> object(const QString &name) override
    {
        connector::ObjectSpec spec;
        spec.name = name;
        spec.acceptsAnyField = true;
        return spec;
    }
    Result<void> beginRun(const QString &) override { return {}; }
    Result<std::vector<connector::RecordOutcome>> deliver(const connector::Batch &batch, const CancellationToken &) override
    {
        std::vector<connector::RecordOutcome> outcomes(batch.records.size());
        for (auto &outcome : outcomes)
            outcome.accepted = true;
        return outcomes;
    }
    Result<void> finishRun(bool) override { return {}; }
};

qint64 peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

// A digest of a plan's rows that does not depend on their order: the count of rows to apply, and
// the sums (mod 2^64, both halves) of XXH3-128 over each row's op, key and payload. Two modes
// whose plans hold the same rows print the same digest. Pages through the plan: flat memory.
Result<QString> planDigest(state::Workspace &workspace, qint64 planId)
{
    state::PlanStore plans(workspace);
    qint64 after = 0, count = 0;
    std::uint64_t low = 0, high = 0;
    std::string buffer;
    for (;;) {
        auto rows = plans.rows(planId, after, 10000, false);
        if (!rows)
            return std::unexpected(rows.error());
        if (rows->empty())
            break;
        for (const state::PlanRow &row : *rows) {
            after = row.seq;
            if (row.op == state::DiffOp::Unchanged)
                continue;
            buffer.assign(1, char('0' + int(row.op)));
            buffer += row.key;
            buffer += '\0';
            buffer += row.payload;
            const XXH128_hash_t hash = XXH3_128bits(buffer.data(), buffer.size());
            low += hash.low64;
            high += hash.high64;
            ++count;
        }
    }
    return QStringLiteral("%1:%2%3").arg(count).arg(high, 16, 16, QLatin1Char('0')).arg(low, 16, 16, QLatin1Char('0'));
}

int die(const QString &message)
{
    QTextStream(stderr) << "bench_diff: " << message << Qt::endl;
    return 1;
}

// With an endpoint, the destination is the generic `http` one as a user would set it up for the
// sink: a bare JSON array of 100 records per POST, DELETE <endpoint>/<id> for removed rows.
// One request in flight, like the peer (sink.py serves one connection at a time).
Result<void> define(state::Workspace &workspace, const QString &connection, const QString &endpoint,
                    std::optional<ChangeDetection> changeDetection)
{
    state::DefinitionStore definitions(workspace);
    SourceDef source{QStringLiteral("pg"), connection, SecretRef{SecretRef::Kind::Env, QStringLiteral("SYNCLINE_TEST_PG_PASSWORD")}};
    source.plannerSchema = QStringLiteral("public"); // change detection warehouse: the bench role owns it
    if (auto ok = definitions.saveSource(source); !ok)
        return ok;
    if (auto ok = definitions.saveModel(ModelDef{QStringLiteral("contacts"), QStringLiteral("pg"),
                                                 QStringLiteral("select * from contacts"), {QStringLiteral("id")}});
        !ok)
        return ok;
    const DestinationDef destination = endpoint.isEmpty()
        ? DestinationDef{QStringLiteral("count"), QStringLiteral("count"), {}, {}}
        : DestinationDef{QStringLiteral("sink"), QStringLiteral("http"),
                         QVariantMap{{QStringLiteral("base_url"), endpoint},
                                     {QStringLiteral("batch_size"), 100},
                                     {QStringLiteral("concurrency"), 1}},
                         {}};
    if (auto ok = definitions.saveDestination(destination); !ok)
        return ok;
    SyncDef sync;
    sync.name = QStringLiteral("contacts-bench");
    sync.model = QStringLiteral("contacts");
    sync.destination = destination.name;
    sync.object = QStringLiteral("contacts");
    sync.mode = SyncMode::Upsert;
    sync.onRemoved = RemovedRowAction::Delete; // the peer deletes removed rows too
    sync.changeDetection = changeDetection;
    sync.matchColumn = QStringLiteral("id");
    sync.matchField = QStringLiteral("id");
    for (const char *column : {"email", "first_name", "last_name", "company", "plan", "seats", "ltv", "signup_at", "last_seen_at"}) {
        MappingEntry entry;
        entry.column = QString::fromLatin1(column);
        entry.field = entry.column;
        sync.mapping.push_back(entry);
    }
    return definitions.saveSync(sync);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("workspace"), QStringLiteral("workspace file"), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("connection"), QStringLiteral("ODBC connection string without the password"), QStringLiteral("STR")});
    parser.addOption({QStringLiteral("step"), QStringLiteral("extract | run | plan"), QStringLiteral("STEP")});
    parser.addOption({QStringLiteral("endpoint"), QStringLiteral("send through the http destination to this URL"), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("mode"), QStringLiteral("change detection: local | warehouse_hash | warehouse"), QStringLiteral("MODE")});
    parser.process(app);
    std::optional<ChangeDetection> mode;
    if (parser.isSet(QStringLiteral("mode"))) {
        mode = changeDetectionFromName(parser.value(QStringLiteral("mode")));
        if (!mode)
            return die(QStringLiteral("unknown --mode %1 (local, warehouse_hash or warehouse)").arg(parser.value(QStringLiteral("mode"))));
    }
    const QString step = parser.value(QStringLiteral("step"));
    const QString connection = parser.value(QStringLiteral("connection"));
    QJsonObject report{{QStringLiteral("step"), step}};
    QElapsedTimer clock;
    clock.start();

    if (step == QStringLiteral("extract")) {
        warehouse::ConnectionSpec spec;
        spec.connectionString = connection;
        spec.password = qEnvironmentVariable("SYNCLINE_TEST_PG_PASSWORD");
        auto db = warehouse::OdbcConnection::open(spec);
        if (!db)
            return die(db.error().toString());
        // The engine's own model reader (PostgreSQL by COPY where the connection allows, as a
        // local-mode plan reads it), so the ratios compare a run with Syncline's own extraction.
        auto cursor = warehouse::openModelQuery(**db, spec, QStringLiteral("select * from contacts"), warehouse::QueryOptions{});
        if (!cursor)
            return die(cursor.error().toString());
        warehouse::RowBatch batch;
        qint64 rows = 0;
        for (;;) {
            auto more = (*cursor)->fetch(batch);
            if (!more)
                return die(more.error().toString());
            if (!*more)
                break;
            rows += batch.rowCount();
        }
        report.insert(QStringLiteral("rows"), rows);
        report.insert(QStringLiteral("extract_ms"), clock.elapsed());
    } else {
        auto workspace = state::Workspace::open(parser.value(QStringLiteral("workspace")));
        if (!workspace)
            return die(workspace.error().toString());
        if (auto ok = define(**workspace, connection, parser.value(QStringLiteral("endpoint")), mode); !ok)
            return die(ok.error().toString());
        connector::ConnectorRegistry registry;
        syncline::connectors::registerBuiltinConnectors(registry);
        registry.add(connector::ConnectorType{QStringLiteral("count"), QStringLiteral("Counting"), {},
                                              [](const DestinationDef &, SecretResolver &) -> Result<std::unique_ptr<connector::Connector>> {
                                                  return std::make_unique<CountingConnector>();
                                              }});
        secrets::EnvSecretResolver secrets;
        NullDiagnosticSink sink;
        sync::EngineServices services{**workspace, registry, secrets, sink};
        state::PlanInfo plan;
        if (step == QStringLiteral("plan")) {
            auto planned = sync::SyncPlanner(services).plan(QStringLiteral("contacts-bench"));
            if (!planned)
                return die(planned.error().toString());
            plan = *planned;
            auto digest = planDigest(**workspace, plan.id);
            if (!digest)
                return die(digest.error().toString());
            report.insert(QStringLiteral("plan_digest"), *digest);
        } else {
            auto result = sync::SyncRunner(services).run(QStringLiteral("contacts-bench"));
            if (!result)
                return die(result.error().toString());
            plan = result->plan;
            if (!result->run)
                return die(QStringLiteral("the plan was blocked: ") + plan.guardrail);
            report.insert(QStringLiteral("status"), result->run->status);
            report.insert(QStringLiteral("sent"), result->run->counts.sent);
            report.insert(QStringLiteral("accepted"), result->run->counts.accepted);
            report.insert(QStringLiteral("rejected"), result->run->counts.rejected);
            if (!result->run->error.isEmpty())
                report.insert(QStringLiteral("error"), result->run->error.left(300));
            for (auto it = result->run->timings.begin(); it != result->run->timings.end(); ++it)
                report.insert(it.key(), it.value());
        }
        for (auto it = plan.timings.begin(); it != plan.timings.end(); ++it)
            if (!report.contains(it.key()))
                report.insert(it.key(), it.value());
        report.insert(QStringLiteral("added"), plan.counts.added);
        report.insert(QStringLiteral("changed"), plan.counts.changed);
        report.insert(QStringLiteral("removed"), plan.counts.removed);
        report.insert(QStringLiteral("unchanged"), plan.counts.unchanged);
        report.insert(QStringLiteral("invalid"), plan.counts.invalid);
    }
    report.insert(QStringLiteral("total_ms"), clock.elapsed());
    report.insert(QStringLiteral("peak_rss_mb"), peakRssMb());
    QTextStream(stdout) << QString::fromUtf8(QJsonDocument(report).toJson(QJsonDocument::Compact)) << Qt::endl;
    return 0;
}
