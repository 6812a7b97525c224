// 200 rounds of random models and mutations; every plan is compared with a diff this test
// computes on its own, then applied, and the destination must equal what the reference says
// was delivered. The warehouse is SQLite read through the SQLite3 ODBC driver. A second pass
// matches on a name compared ignoring case, so that rows sometimes collide on their match value.
#include "syncfixture.h"

#include "engine/state/ledgerstore.h"
#include "engine/state/planstore.h"
#include "engine/sync/syncplanner.h"
#include "engine/sync/syncrunner.h"

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

std::string sqlText(const std::optional<std::string> &value)
{
    return value ? "'" + *value + "'" : std::string("NULL");
}

} // namespace

class TestSyncRandomized : public QObject
{
    Q_OBJECT
private slots:
    void everyPlanMatchesTheReferenceDiffAndApplyMirrorsTheModel_data();
    void everyPlanMatchesTheReferenceDiffAndApplyMirrorsTheModel();
};

void TestSyncRandomized::everyPlanMatchesTheReferenceDiffAndApplyMirrorsTheModel_data()
{
    QTest::addColumn<bool>("matchOnName");
    QTest::newRow("match on the key") << false;
    QTest::newRow("match on a case-insensitive name") << true;
}

void TestSyncRandomized::everyPlanMatchesTheReferenceDiffAndApplyMirrorsTheModel()
{
    QFETCH(bool, matchOnName);
    SyncSetup setup(SyncMode::Mirror);
    setup.sync.guardrails.maxRemovedShare = 1.0;
    if (matchOnName) {
        setup.sync.matchColumn = QStringLiteral("name");
        setup.sync.matchField = QStringLiteral("email");
        connector::FieldSpec email;
        email.name = QStringLiteral("email");
        email.identifier = true;
        email.caseInsensitive = true;
        setup.destination->fields = {email};
    }
    setup.saveSync();
    QRandomGenerator random(20261125);
    std::vector<ModelRow> model;
    std::map<std::string, Delivered> delivered; // the reference ledger: what the destination holds
    qint64 nextId = 1;
    int collidingRounds = 0;
    const char *names[] = {"ada", "grace", "alan", "edsger", "barbara"};
    auto randomName = [&]() -> std::optional<std::string> {
        if (random.bounded(10) == 0)
            return std::nullopt;
        if (!matchOnName)
            return std::string(names[random.bounded(5)]);
        // About one row in ten shares its name with another, sometimes in another case.
        return std::string(random.bounded(2) ? "u" : "U") + std::to_string(random.bounded(300));
    };

    for (int round = 0; round < 200; ++round) {
        // Mutate the model.
        if (random.bounded(33) == 0) {
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
                    row.score = qint64(random.bounded(5)); // sometimes the same value: unchanged
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
            if (random.bounded(4) == 0) { // drop duplicates again, keeping the first row of each key
                std::set<qint64> seen;
                std::erase_if(model, [&](const ModelRow &row) { return row.id && !seen.insert(*row.id).second; });
            }
        }
        setup.warehouse->exec("BEGIN; DELETE FROM people;");
        for (const ModelRow &row : model)
            setup.warehouse->exec("INSERT INTO people VALUES (" + (row.id ? std::to_string(*row.id) : std::string("NULL"))
                                  + ", " + sqlText(row.name) + ", " + std::to_string(row.score) + ", '" + row.junk + "')");
        setup.warehouse->exec("COMMIT");

        // The reference diff.
        std::map<std::string, int> keyCount;
        qint64 invalid = 0;
        for (const ModelRow &row : model)
            row.id ? void(++keyCount[std::to_string(*row.id)]) : void(++invalid);
        std::set<std::string> added, changed, removed;
        qint64 unchanged = 0;
        // Keys whose match value (the name, ignoring case) other keys share.
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
            collidingRounds += colliding.empty() ? 0 : 1;
        }
        std::map<std::string, Delivered> valid;
        for (const ModelRow &row : model) {
            if (!row.id)
                continue;
            const std::string key = std::to_string(*row.id);
            if (keyCount[key] > 1 || colliding.count(key))
                continue;
            valid[key] = Delivered{row.name, row.score};
        }
        for (const auto &[key, count] : keyCount)
            if (count > 1 || colliding.count(key))
                invalid += count;
        for (const auto &[key, value] : valid) {
            auto it = delivered.find(key);
            if (it == delivered.end())
                added.insert(key);
            else if (!(it->second == value))
                changed.insert(key);
            else
                ++unchanged;
        }
        for (const auto &[key, value] : delivered)
            if (!keyCount.count(key))
                removed.insert(key);

        // The engine's plan.
        sync::PlanOptions options;
        if (round % 3 == 1) { // force the partitioned, spilled path on small data
            options.diff.memoryBudgetBytes = 512;
            options.diff.spillPartitions = 4;
            options.diff.spillDirectory = setup.dir.path();
            options.diff.matchCheckBudgetBytes = 512;
            options.diff.matchCheckSpillPartitions = 4;
        }
        auto plan = sync::SyncPlanner(setup.services()).plan(setup.sync.name, options);
        QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().toString()));
        const QString where = QStringLiteral("round %1").arg(round);
        QVERIFY2(plan->counts.added == qint64(added.size()), qPrintable(where));
        QVERIFY2(plan->counts.changed == qint64(changed.size()), qPrintable(where));
        QVERIFY2(plan->counts.removed == qint64(removed.size()), qPrintable(where));
        QVERIFY2(plan->counts.unchanged == unchanged, qPrintable(where));
        QVERIFY2(plan->counts.invalid == invalid, qPrintable(where));

        std::set<std::string> planAdded, planChanged, planRemoved;
        auto rows = state::PlanStore(*setup.workspace).rows(plan->id, 0, 1000000, false);
        QVERIFY(rows);
        for (const state::PlanRow &row : *rows) {
            (row.op == state::DiffOp::Add ? planAdded : row.op == state::DiffOp::Change ? planChanged : planRemoved)
                .insert(row.key);
            if (row.op == state::DiffOp::Change) {
                const QJsonObject after = parsePayload(row.payload);
                const Delivered &expected = valid[row.key];
                QCOMPARE(after.value(QStringLiteral("score")).toInteger(), expected.score);
                QCOMPARE(parsePayload(row.beforePayload).value(QStringLiteral("score")).toInteger(),
                         delivered[row.key].score);
            }
        }
        QVERIFY2(planAdded == added && planChanged == changed && planRemoved == removed, qPrintable(where));

        const bool emptyModelBlocked = model.empty() && !delivered.empty();
        QCOMPARE(plan->blocked, emptyModelBlocked);
        sync::ApplyOptions apply;
        apply.force = emptyModelBlocked && random.bounded(2) == 0;
        auto run = sync::SyncRunner(setup.services()).apply(plan->id, apply);
        if (emptyModelBlocked && !apply.force) {
            QVERIFY(!run);
            QCOMPARE(run.error().code, QStringLiteral("plan.blocked"));
            continue;
        }
        QVERIFY2(run, qPrintable(run ? QString() : run.error().toString()));
        QCOMPARE(run->status, QStringLiteral("succeeded"));
        QCOMPARE(run->counts.sent, qint64(added.size() + changed.size() + removed.size()));
        if (round % 4 == 3) { // collect replaced payloads: later rounds' "before" values must survive it
            auto id = state::DefinitionStore(*setup.workspace).syncId(setup.sync.name);
            QVERIFY(id);
            auto collected = setup.workspace->transaction([&]() -> Result<void> {
                auto done = state::LedgerStore(*setup.workspace).collectGarbage(*id, 0, 0);
                return done ? Result<void>{} : std::unexpected(done.error());
            });
            QVERIFY2(collected, qPrintable(where));
        }

        for (const auto &key : removed)
            delivered.erase(key);
        for (const auto &key : added)
            delivered[key] = valid[key];
        for (const auto &key : changed)
            delivered[key] = valid[key];
        // The destination holds exactly what the reference delivered.
        QCOMPARE(setup.destination->records.size(), delivered.size());
        for (const auto &[key, value] : delivered) {
            auto it = setup.destination->records.find(key);
            QVERIFY2(it != setup.destination->records.end(), qPrintable(where + QStringLiteral(" key ") + QString::fromStdString(key)));
            const QJsonObject payload = parsePayload(it->second);
            QCOMPARE(payload.value(QStringLiteral("score")).toInteger(), value.score);
            const QJsonValue name = payload.value(QStringLiteral("name"));
            QCOMPARE(name.isNull(), !value.name.has_value());
            if (value.name)
                QCOMPARE(name.toString().toStdString(), *value.name);
        }
    }
    if (matchOnName)
        QVERIFY2(collidingRounds > 20, qPrintable(QString::number(collidingRounds)));
    auto integrity = setup.workspace->integrityCheck();
    QVERIFY(integrity);
    QCOMPARE(*integrity, QStringLiteral("ok"));
}

QTEST_GUILESS_MAIN(TestSyncRandomized)
#include "tst_syncrandomized.moc"
