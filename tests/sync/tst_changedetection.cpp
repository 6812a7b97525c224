// Change detection modes against real warehouses: 200 rounds of random models and mutations in
// PostgreSQL and MariaDB, each planned once per mode (local, warehouse_hash) in its own
// workspace. Every plan must equal the diff this test computes on its own, and the plans of
// the modes must be identical row by row (op, key, payload, before, action, in order). The names
// include NULL, '', the string 'NULL', quotes and backslashes, so a hash that confused them
// would miss a change. Halfway the mapping changes, which must invalidate stored source hashes.
#include "syncfixture.h"

#include "engine/state/ledgerstore.h"
#include "engine/state/planstore.h"
#include "engine/sync/syncplanner.h"
#include "engine/sync/syncrunner.h"
#include "engine/warehouse/driverdefaults.h"
#include "engine/warehouse/odbcconnection.h"

#include <QRandomGenerator>

#include <optional>
#include <vector>

using namespace synctest;
using namespace syncline::engine;

namespace {

struct ModelRow
{
    std::optional<qint64> id;
    std::optional<std::string> name;
    qint64 score = 0;
    std::string junk;
};

struct Delivered
{
    std::optional<std::string> name;
    qint64 score = 0;
    bool operator==(const Delivered &) const = default;
};

// The password of the test server, for the source's keychain reference "wh-password".
class WarehouseSecrets final : public SecretResolver
{
public:
    explicit WarehouseSecrets(QString password) : m_password(std::move(password)) {}
    Result<QString> resolve(const SecretRef &) override { return m_password; }

private:
    QString m_password;
};

struct Server
{
    QString kind; // "postgresql" or "mariadb"
    QString connection;
    QString password;
    QString plannerSchema; // where warehouse mode keeps its state tables
    QString skip;
};

Server server(const QString &kind)
{
    Server s;
    s.kind = kind;
    const char *variable = kind == QLatin1String("postgresql") ? "SYNCLINE_TEST_PG_ODBC" : "SYNCLINE_TEST_MARIADB_ODBC";
    const QString full = qEnvironmentVariable(variable);
    auto attributes = warehouse::parseConnectionString(full);
    if (full.isEmpty() || !attributes) {
        s.skip = QStringLiteral("%1 is not set (source scripts/test-services.sh and start the server)")
                     .arg(QLatin1String(variable));
        return s;
    }
    s.password = warehouse::attributeValue(*attributes, QStringLiteral("PWD"));
    std::erase_if(*attributes, [](const warehouse::ConnectionAttribute &a) {
        return a.key.compare(QLatin1String("PWD"), Qt::CaseInsensitive) == 0;
    });
    s.connection = warehouse::buildConnectionString(*attributes);
    s.plannerSchema = kind == QLatin1String("postgresql") ? QStringLiteral("syncline_state")
                                                           : warehouse::attributeValue(*attributes, QStringLiteral("Database"));
    return s;
}

// One workspace planning the shared warehouse table with one change detection mode.
struct ModeSetup
{
    QTemporaryDir dir;
    std::unique_ptr<state::Workspace> workspace;
    connector::ConnectorRegistry registry;
    std::shared_ptr<FakeDestination> destination = std::make_shared<FakeDestination>();
    std::unique_ptr<WarehouseSecrets> secrets;
    NullDiagnosticSink diagnostics;
    SyncDef sync;

    ModeSetup(const Server &server, const QString &table, ChangeDetection mode, bool matchOnName)
    {
        auto opened = state::Workspace::open(dir.filePath(QStringLiteral("test.syncline")));
        if (!opened)
            qFatal("cannot open the workspace: %s", qPrintable(opened.error().message));
        workspace = std::move(*opened);
        secrets = std::make_unique<WarehouseSecrets>(server.password);
        auto state = destination;
        registry.add(connector::ConnectorType{QStringLiteral("fake"), QStringLiteral("Fake"), {},
                                              [state](const DestinationDef &, SecretResolver &)
                                                  -> Result<std::unique_ptr<connector::Connector>> {
                                                  return std::make_unique<FakeConnector>(state);
                                              }});
        state::DefinitionStore definitions(*workspace);
        SourceDef source{QStringLiteral("wh"), server.connection, {SecretRef::Kind::Keychain, QStringLiteral("wh-password")}};
        source.plannerSchema = server.plannerSchema;
        SyncSetup::check(definitions.saveSource(source));
        SyncSetup::check(definitions.saveModel(ModelDef{QStringLiteral("people"), QStringLiteral("wh"),
                                                        QStringLiteral("select id, name, score, junk from %1;").arg(table),
                                                        {QStringLiteral("id")}}));
        SyncSetup::check(definitions.saveDestination(DestinationDef{QStringLiteral("dest"), QStringLiteral("fake"), {}, {}}));
        sync.name = QStringLiteral("people-sync");
        sync.model = QStringLiteral("people");
        sync.destination = QStringLiteral("dest");
        sync.object = QStringLiteral("people");
        sync.mode = SyncMode::Mirror;
        sync.guardrails.maxRemovedShare = 1.0;
        sync.changeDetection = mode;
        sync.matchColumn = QStringLiteral("id");
        sync.matchField = QStringLiteral("id");
        if (matchOnName) {
            sync.matchColumn = QStringLiteral("name");
            sync.matchField = QStringLiteral("email");
            connector::FieldSpec email;
            email.name = QStringLiteral("email");
            email.identifier = true;
            email.caseInsensitive = true;
            destination->fields = {email};
        }
        sync.mapping = {MappingEntry::fromColumn(QStringLiteral("name"), QStringLiteral("name")),
                        MappingEntry::fromColumn(QStringLiteral("score"), QStringLiteral("score"))};
        SyncSetup::check(definitions.saveSync(sync));
    }
    sync::EngineServices services() { return {*workspace, registry, *secrets, diagnostics}; }
};

struct PlannedRow
{
    state::DiffOp op;
    std::optional<connector::Operation> action;
    std::string key;
    std::string payload;
    std::string before;
    bool operator==(const PlannedRow &) const = default;
};

std::string literal(const std::optional<std::string> &value, bool mariadb)
{
    if (!value)
        return "NULL";
    std::string out = "'";
    for (char c : *value) {
        if (c == '\'')
            out += "''";
        else if (c == '\\' && mariadb)
            out += "\\\\";
        else
            out += c;
    }
    return out + "'";
}

} // namespace

class TestChangeDetection : public QObject
{
    Q_OBJECT
private slots:
    void aModeTheWarehouseCannotDoIsRefusedWithTheWayOut();
    void everyModePlansTheReferenceDiffAndTheModesAgree_data();
    void everyModePlansTheReferenceDiffAndTheModesAgree();
    void aStateTableBehindTheLedgerIsRewrittenBeforeItIsUsed();
    void aServerOnThisMachineDefaultsToLocal();
    void oddTextKeysRoundTripThroughTheStateTable_data();
    void oddTextKeysRoundTripThroughTheStateTable();
};

void TestChangeDetection::aModeTheWarehouseCannotDoIsRefusedWithTheWayOut()
{
    SyncSetup setup; // a SQLite warehouse: no hash function, so local by default
    setup.warehouse->exec("INSERT INTO people VALUES (1, 'ada', 3, 'x')");
    auto plan = sync::SyncPlanner(setup.services()).plan(setup.sync.name);
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().toString()));
    QCOMPARE(plan->timings.value(QStringLiteral("change_detection")).toString(), QStringLiteral("local"));
    QCOMPARE(plan->counts.added, 1);
    for (ChangeDetection mode : {ChangeDetection::WarehouseHash, ChangeDetection::Warehouse}) {
        setup.sync.changeDetection = mode;
        setup.saveSync();
        auto refused = sync::SyncPlanner(setup.services()).plan(setup.sync.name);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QStringLiteral("change_detection.unsupported"));
        QVERIFY2(refused.error().message.contains(QStringLiteral("set change_detection: local")), qPrintable(refused.error().message));
    }
}

void TestChangeDetection::everyModePlansTheReferenceDiffAndTheModesAgree_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("matchOnName");
    QTest::newRow("postgresql, match on the key") << QStringLiteral("postgresql") << false;
    QTest::newRow("postgresql, match on a case-insensitive name") << QStringLiteral("postgresql") << true;
    QTest::newRow("mariadb, match on the key") << QStringLiteral("mariadb") << false;
    QTest::newRow("mariadb, match on a case-insensitive name") << QStringLiteral("mariadb") << true;
}

void TestChangeDetection::everyModePlansTheReferenceDiffAndTheModesAgree()
{
    QFETCH(QString, kind);
    QFETCH(bool, matchOnName);
    const Server wh = server(kind);
    if (!wh.skip.isEmpty())
        QSKIP(qPrintable(wh.skip));
    const bool mariadb = kind == QLatin1String("mariadb");
    warehouse::ConnectionSpec spec;
    spec.connectionString = wh.connection;
    spec.password = wh.password;
    auto admin = warehouse::OdbcConnection::open(spec);
    QVERIFY2(admin, qPrintable(admin ? QString() : admin.error().toString()));
    auto exec = [&](const std::string &sql) {
        auto done = (*admin)->executeUpdate(QString::fromStdString(sql));
        QVERIFY2(done, qPrintable(done ? QString() : done.error().toString()));
    };
    const std::string table = matchOnName ? "cd_people_names" : "cd_people_keys";
    exec("DROP TABLE IF EXISTS " + table);
    exec("CREATE TABLE " + table + " (id BIGINT, name VARCHAR(200), score INTEGER, junk VARCHAR(40))");
    if (!mariadb)
        exec("CREATE SCHEMA IF NOT EXISTS syncline_state");

    // Warehouse mode needs no collision check (it would need every match value): with one it
    // hashes instead, which the name-matching rounds cover already.
    std::vector<ChangeDetection> modes{ChangeDetection::Local, ChangeDetection::WarehouseHash};
    if (!matchOnName)
        modes.push_back(ChangeDetection::Warehouse);
    std::vector<std::unique_ptr<ModeSetup>> setups;
    for (ChangeDetection mode : modes)
        setups.push_back(std::make_unique<ModeSetup>(wh, QString::fromStdString(table), mode, matchOnName));

    QRandomGenerator random(20261201);
    std::vector<ModelRow> model;
    std::map<std::string, Delivered> delivered;
    qint64 nextId = 1;
    qint64 hashPlansThatFetchedLess = 0;
    qint64 fetchesThroughATemporaryTable = 0; // PostgreSQL: the changed keys joined in one query
    qint64 warehousePlansThatReturnedLess = 0;
    qint64 incrementalStateUpdates = 0; // the state table followed the last run's keys only
    const char *names[] = {"ada", "grace", "", "NULL", "o'hara", "back\\slash", "ada|grace", "Ünïcode"};
    auto randomName = [&]() -> std::optional<std::string> {
        if (random.bounded(8) == 0)
            return std::nullopt;
        if (!matchOnName)
            return std::string(names[random.bounded(8)]);
        return std::string(random.bounded(2) ? "u" : "U") + std::to_string(random.bounded(300));
    };

    for (int round = 0; round < 200; ++round) {
        const QString where = QStringLiteral("%1 round %2").arg(kind).arg(round);
        if (random.bounded(40) == 0) {
            model.clear();
        } else {
            const int inserts = int(random.bounded(model.empty() ? 30 : 6));
            for (int i = 0; i < inserts; ++i)
                model.push_back(ModelRow{nextId++, randomName(), qint64(random.bounded(5)), "j"});
            for (ModelRow &row : model) {
                const int dice = int(random.bounded(20));
                if (dice == 0)
                    row.name = randomName();
                else if (dice == 1)
                    row.score = qint64(random.bounded(5));
                row.junk = std::to_string(random.generate()); // unmapped churn: never sent
            }
            std::erase_if(model, [&](const ModelRow &) { return random.bounded(25) == 0; });
            if (random.bounded(8) == 0)
                model.push_back(ModelRow{std::nullopt, randomName(), 1, "null key"});
            if (random.bounded(4) == 0)
                std::erase_if(model, [](const ModelRow &row) { return !row.id; });
            if (!model.empty() && random.bounded(8) == 0) {
                ModelRow copy = model[random.bounded(qint64(model.size()))];
                if (copy.id) {
                    copy.score += 1;
                    model.push_back(copy);
                }
            }
            if (random.bounded(4) == 0) {
                std::set<qint64> seen;
                std::erase_if(model, [&](const ModelRow &row) { return row.id && !seen.insert(*row.id).second; });
            }
        }
        exec("DELETE FROM " + table);
        if (!model.empty()) {
            std::string insert = "INSERT INTO " + table + " VALUES ";
            for (size_t i = 0; i < model.size(); ++i) {
                const ModelRow &row = model[i];
                insert += (i ? ", (" : "(") + (row.id ? std::to_string(*row.id) : std::string("NULL")) + ", "
                    + literal(row.name, mariadb) + ", " + std::to_string(row.score) + ", '" + row.junk + "')";
            }
            exec(insert);
        }
        // Halfway, a new mapping: every delivered row changes, whatever hashes were stored.
        const bool mappingChanged = round == 100;
        if (mappingChanged)
            for (auto &setup : setups) {
                setup->sync.mapping.push_back(MappingEntry::fromValue(QStringLiteral("2"), QStringLiteral("version")));
                SyncSetup::check(state::DefinitionStore(*setup->workspace).saveSync(setup->sync));
            }

        // The reference diff.
        std::map<std::string, int> keyCount;
        qint64 invalid = 0;
        for (const ModelRow &row : model)
            row.id ? void(++keyCount[std::to_string(*row.id)]) : void(++invalid);
        std::set<std::string> colliding;
        if (matchOnName) {
            std::map<std::string, std::set<qint64>> idsByName;
            for (const ModelRow &row : model)
                if (row.id && row.name)
                    idsByName[QString::fromStdString(*row.name).toLower().toStdString()].insert(*row.id);
            for (const auto &[name, ids] : idsByName)
                if (ids.size() > 1)
                    for (qint64 id : ids)
                        colliding.insert(std::to_string(id));
        }
        std::map<std::string, Delivered> valid;
        for (const ModelRow &row : model)
            if (row.id && keyCount[std::to_string(*row.id)] == 1 && !colliding.count(std::to_string(*row.id)))
                valid[std::to_string(*row.id)] = Delivered{row.name, row.score};
        for (const auto &[key, count] : keyCount)
            if (count > 1 || colliding.count(key))
                invalid += count;
        std::set<std::string> added, changed, removed;
        qint64 unchanged = 0;
        for (const auto &[key, value] : valid) {
            auto it = delivered.find(key);
            if (it == delivered.end())
                added.insert(key);
            else if (!(it->second == value) || mappingChanged)
                changed.insert(key);
            else
                ++unchanged;
        }
        for (const auto &[key, value] : delivered)
            if (!keyCount.count(key))
                removed.insert(key);

        std::vector<std::vector<PlannedRow>> planned;
        const bool emptyModelBlocked = model.empty() && !delivered.empty();
        const bool force = emptyModelBlocked && random.bounded(2) == 0;
        for (auto &setup : setups) {
            sync::PlanOptions options;
            if (round % 3 == 1) { // the partitioned, spilled paths on small data
                options.diff.memoryBudgetBytes = 512;
                options.diff.spillPartitions = 4;
                options.diff.spillDirectory = setup->dir.path();
                options.diff.matchCheckBudgetBytes = 512;
                options.diff.matchCheckSpillPartitions = 4;
            }
                    auto plan = sync::SyncPlanner(setup->services()).plan(setup->sync.name, options);
            QVERIFY2(plan, qPrintable(where + QStringLiteral(": ") + (plan ? QString() : plan.error().toString())));
            const QString mode = where + QLatin1Char(' ') + changeDetectionName(*setup->sync.changeDetection);
            QCOMPARE(plan->timings.value(QStringLiteral("change_detection")).toString(),
                     changeDetectionName(*setup->sync.changeDetection));
            QVERIFY2(plan->counts.added == qint64(added.size()), qPrintable(mode));
            QVERIFY2(plan->counts.changed == qint64(changed.size()), qPrintable(mode));
            QVERIFY2(plan->counts.removed == qint64(removed.size()), qPrintable(mode));
            QVERIFY2(plan->counts.unchanged == unchanged, qPrintable(mode));
            QVERIFY2(plan->counts.invalid == invalid, qPrintable(mode));
            if (plan->timings.contains(QStringLiteral("fetched_keys"))
                && plan->timings.value(QStringLiteral("fetched_keys")).toDouble() < double(valid.size()))
                ++hashPlansThatFetchedLess;
            if (plan->timings.value(QStringLiteral("fetched_through")).toString() == QLatin1String("temporary table"))
                ++fetchesThroughATemporaryTable;
            if (plan->timings.contains(QStringLiteral("returned_rows"))
                && plan->timings.value(QStringLiteral("returned_rows")).toDouble() < double(valid.size()))
                ++warehousePlansThatReturnedLess;
            if (plan->timings.value(QStringLiteral("state_table")).toString() == QLatin1String("incremental"))
                ++incrementalStateUpdates;
            if (*setup->sync.changeDetection == ChangeDetection::Warehouse && round % 10 == 5) {
                // Planned again at the same generation: the state table is current and used as is.
                auto again = sync::SyncPlanner(setup->services()).plan(setup->sync.name, options);
                QVERIFY2(again, qPrintable(mode));
                QCOMPARE(again->timings.value(QStringLiteral("state_table")).toString(), QStringLiteral("none"));
                QCOMPARE(again->counts.changed, plan->counts.changed);
                QCOMPARE(again->counts.unchanged, plan->counts.unchanged);
                plan = std::move(again);
            }
            auto rows = state::PlanStore(*setup->workspace).rows(plan->id, 0, 1000000, false);
            QVERIFY(rows);
            std::vector<PlannedRow> mine;
            for (const state::PlanRow &row : *rows)
                mine.push_back(PlannedRow{row.op, row.action, row.key, row.payload, row.beforePayload});
            planned.push_back(std::move(mine));

            sync::ApplyOptions apply;
            apply.force = force;
            auto run = sync::SyncRunner(setup->services()).apply(plan->id, apply);
            if (emptyModelBlocked && !force) {
                QVERIFY(!run);
                continue;
            }
            QVERIFY2(run, qPrintable(mode + QStringLiteral(": ") + (run ? QString() : run.error().toString())));
            QCOMPARE(run->status, QStringLiteral("succeeded"));
        }
        for (size_t m = 1; m < planned.size(); ++m)
            QVERIFY2(planned[m] == planned[0], qPrintable(where + QStringLiteral(": the modes' plans differ")));
        if (emptyModelBlocked && !force)
            continue;
        for (const auto &key : removed)
            delivered.erase(key);
        for (const auto &key : added)
            delivered[key] = valid[key];
        for (const auto &key : changed)
            delivered[key] = valid[key];
        for (auto &setup : setups) {
            QCOMPARE(setup->destination->records.size(), delivered.size());
            for (const auto &[key, value] : delivered) {
                auto it = setup->destination->records.find(key);
                QVERIFY2(it != setup->destination->records.end(), qPrintable(where));
                const QJsonObject payload = parsePayload(it->second);
                QCOMPARE(payload.value(QStringLiteral("score")).toInteger(), value.score);
                const QJsonValue name = payload.value(QStringLiteral("name"));
                QCOMPARE(name.isNull(), !value.name.has_value());
                if (value.name)
                    QCOMPARE(name.toString().toStdString(), *value.name);
            }
        }
    }
    // The hash mode did its job: most of its plans left unchanged rows in the warehouse.
    QVERIFY2(hashPlansThatFetchedLess > 100, qPrintable(QString::number(hashPlansThatFetchedLess)));
    if (!mariadb) // MariaDB fetches in key batches
        QVERIFY2(fetchesThroughATemporaryTable > 100, qPrintable(QString::number(fetchesThroughATemporaryTable)));
    if (!matchOnName) { // only changes left the warehouse, and the state table followed each run
        QVERIFY2(warehousePlansThatReturnedLess > 100, qPrintable(QString::number(warehousePlansThatReturnedLess)));
        QVERIFY2(incrementalStateUpdates > 100, qPrintable(QString::number(incrementalStateUpdates)));
    }
    exec("DROP TABLE " + table);
}

// Warehouse mode writes its state table from the ledger at the start of the next plan, so a
// process that stops at any point after delivery leaves the table behind the ledger. The worst
// case: a key delivered with a new value whose model row then goes back to the value the stale
// table still holds. Used as is, the table would call the row unchanged; the plan must see the
// ledger's generation moved, rewrite the table first, and send the row.
void TestChangeDetection::aStateTableBehindTheLedgerIsRewrittenBeforeItIsUsed()
{
    const Server wh = server(QStringLiteral("postgresql"));
    if (!wh.skip.isEmpty())
        QSKIP(qPrintable(wh.skip));
    warehouse::ConnectionSpec spec;
    spec.connectionString = wh.connection;
    spec.password = wh.password;
    auto admin = warehouse::OdbcConnection::open(spec);
    QVERIFY(admin);
    auto exec = [&](const QString &sql) {
        auto done = (*admin)->executeUpdate(sql);
        QVERIFY2(done, qPrintable(done ? QString() : done.error().toString()));
    };
    exec(QStringLiteral("CREATE SCHEMA IF NOT EXISTS syncline_state"));
    exec(QStringLiteral("DROP TABLE IF EXISTS cd_behind"));
    exec(QStringLiteral("CREATE TABLE cd_behind (id BIGINT, name VARCHAR(200), score INTEGER, junk VARCHAR(40))"));
    exec(QStringLiteral("INSERT INTO cd_behind SELECT g, 'n' || g, 0, 'j' FROM generate_series(1, 50) g"));
    ModeSetup setup(wh, QStringLiteral("cd_behind"), ChangeDetection::Warehouse, false);
    auto planAndApply = [&](qint64 changed, qint64 added) {
        auto plan = sync::SyncPlanner(setup.services()).plan(setup.sync.name);
        QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().toString()));
        QCOMPARE(plan->timings.value(QStringLiteral("change_detection")).toString(), QStringLiteral("warehouse"));
        QCOMPARE(plan->counts.added, added);
        QCOMPARE(plan->counts.changed, changed);
        QVERIFY(plan->timings.value(QStringLiteral("state_table")).toString() != QLatin1String("none"));
        auto run = sync::SyncRunner(setup.services()).apply(plan->id, {});
        QVERIFY2(run, qPrintable(run ? QString() : run.error().toString()));
    };
    planAndApply(0, 50);
    exec(QStringLiteral("UPDATE cd_behind SET score = 1 WHERE id = 7"));
    planAndApply(1, 0); // delivered; the state table still says score 0 for key 7
    exec(QStringLiteral("UPDATE cd_behind SET score = 0 WHERE id = 7"));
    planAndApply(1, 0); // back to 0: a change for the destination, which holds 1
    QCOMPARE(parsePayload(setup.destination->records.at("7")).value(QStringLiteral("score")).toInteger(), 0);
    exec(QStringLiteral("DROP TABLE cd_behind"));
}

// Over loopback, reading the rows costs less than hashing them in the warehouse (README), so a
// sync that names no mode runs local against a server on this machine; asked for, the warehouse
// modes still run.
void TestChangeDetection::aServerOnThisMachineDefaultsToLocal()
{
    const Server wh = server(QStringLiteral("postgresql"));
    if (!wh.skip.isEmpty())
        QSKIP(qPrintable(wh.skip));
    QVERIFY2(wh.connection.contains(QLatin1String("127.0.0.1")) || wh.connection.contains(QLatin1String("localhost")),
             qPrintable(wh.connection));
    warehouse::ConnectionSpec spec;
    spec.connectionString = wh.connection;
    spec.password = wh.password;
    auto admin = warehouse::OdbcConnection::open(spec);
    QVERIFY(admin);
    QVERIFY((*admin)->executeUpdate(QStringLiteral("DROP TABLE IF EXISTS cd_default")));
    QVERIFY((*admin)->executeUpdate(QStringLiteral("CREATE TABLE cd_default (id BIGINT, name VARCHAR(200), score INTEGER, junk VARCHAR(40))")));
    QVERIFY((*admin)->executeUpdate(QStringLiteral("INSERT INTO cd_default VALUES (1, 'a', 1, 'j')")));
    ModeSetup setup(wh, QStringLiteral("cd_default"), ChangeDetection::WarehouseHash, false);
    setup.sync.changeDetection = std::nullopt;
    SyncSetup::check(state::DefinitionStore(*setup.workspace).saveSync(setup.sync));
    auto plan = sync::SyncPlanner(setup.services()).plan(setup.sync.name);
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().toString()));
    QCOMPARE(plan->timings.value(QStringLiteral("change_detection")).toString(), QStringLiteral("local"));
    setup.sync.changeDetection = ChangeDetection::WarehouseHash;
    SyncSetup::check(state::DefinitionStore(*setup.workspace).saveSync(setup.sync));
    auto asked = sync::SyncPlanner(setup.services()).plan(setup.sync.name);
    QVERIFY2(asked, qPrintable(asked ? QString() : asked.error().toString()));
    QCOMPARE(asked->timings.value(QStringLiteral("change_detection")).toString(), QStringLiteral("warehouse_hash"));
    QVERIFY((*admin)->executeUpdate(QStringLiteral("DROP TABLE cd_default")));
}

void TestChangeDetection::oddTextKeysRoundTripThroughTheStateTable_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
    QTest::newRow("mariadb") << QStringLiteral("mariadb");
}

// The state table is uploaded in bulk (JSON on PostgreSQL, VALUES lists on MariaDB): keys with
// quotes, backslashes, control characters and non-ASCII text must come back equal to the model's,
// or the next plan would return them all as changed. After a rewrite and after a refresh of
// one key, only what changed leaves the warehouse.
void TestChangeDetection::oddTextKeysRoundTripThroughTheStateTable()
{
    QFETCH(QString, kind);
    const Server wh = server(kind);
    if (!wh.skip.isEmpty())
        QSKIP(qPrintable(wh.skip));
    const bool mariadb = kind == QLatin1String("mariadb");
    warehouse::ConnectionSpec spec;
    spec.connectionString = wh.connection;
    spec.password = wh.password;
    auto admin = warehouse::OdbcConnection::open(spec);
    QVERIFY(admin);
    auto exec = [&](const std::string &sql) {
        auto done = (*admin)->executeUpdate(QString::fromStdString(sql));
        QVERIFY2(done, qPrintable(done ? QString() : done.error().toString()));
    };
    if (!mariadb)
        exec("CREATE SCHEMA IF NOT EXISTS syncline_state");
    exec("DROP TABLE IF EXISTS cd_text_keys");
    exec("CREATE TABLE cd_text_keys (id VARCHAR(100), name VARCHAR(200), score INTEGER, junk VARCHAR(40))");
    const std::vector<std::string> keys{"o'hara", "back\\slash", "quo\"te", "tab\there", "line\nbreak", "Ünïcode",
                                        "[1,2]", "{\"a\":1}", "trailing ", "%1 %2", "NULL", "u+0001:\x01"};
    std::string insert = "INSERT INTO cd_text_keys VALUES ";
    for (size_t i = 0; i < keys.size(); ++i)
        insert += (i ? ", (" : "(") + literal(keys[i], mariadb) + ", 'n', " + std::to_string(i) + ", 'j')";
    exec(insert);
    ModeSetup setup(wh, QStringLiteral("cd_text_keys"), ChangeDetection::Warehouse, false);
    auto planAndApply = [&](qint64 added, qint64 changed, qint64 returned) {
        auto plan = sync::SyncPlanner(setup.services()).plan(setup.sync.name);
        QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().toString()));
        QCOMPARE(plan->counts.invalid, 0);
        QCOMPARE(plan->counts.added, added);
        QCOMPARE(plan->counts.changed, changed);
        QCOMPARE(qint64(plan->timings.value(QStringLiteral("returned_rows")).toDouble()), returned);
        auto run = sync::SyncRunner(setup.services()).apply(plan->id, {});
        QVERIFY2(run, qPrintable(run ? QString() : run.error().toString()));
    };
    const qint64 count = qint64(keys.size());
    planAndApply(count, 0, count);
    planAndApply(0, 0, 0); // the table was rewritten from the ledger: every key matched
    exec("UPDATE cd_text_keys SET score = 99 WHERE id = " + literal(keys[0], mariadb));
    planAndApply(0, 1, 1);
    planAndApply(0, 0, 0); // refreshed: the key went out and back in
    QCOMPARE(setup.destination->records.size(), size_t(count));
    exec("DROP TABLE cd_text_keys");
}

QTEST_GUILESS_MAIN(TestChangeDetection)
#include "tst_changedetection.moc"
