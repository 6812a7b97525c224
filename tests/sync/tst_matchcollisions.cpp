// One destination record, one model row: rows whose match values collide (a composite key
// matched on one of its columns, two customers sharing an email, emails differing only in case
// for a case-insensitive field) are invalid, named together in the plan, and never sent, while
// the records delivered before stay as they are until the model is fixed.
#include "syncfixture.h"

#include "engine/state/planstore.h"
#include "engine/sync/syncplanner.h"
#include "engine/sync/syncrunner.h"

using namespace synctest;
using namespace syncline::engine;
using connector::Operation;

namespace {

state::PlanInfo planOf(SyncSetup &setup, const sync::PlanOptions &options = {})
{
    auto plan = sync::SyncPlanner(setup.services()).plan(setup.sync.name, options);
    if (!plan)
        qFatal("plan failed: %s", qPrintable(plan.error().toString()));
    return *plan;
}

state::RunInfo applyPlan(SyncSetup &setup, qint64 planId)
{
    sync::ApplyOptions options;
    options.retryDelay = std::chrono::milliseconds(1);
    auto run = sync::SyncRunner(setup.services()).apply(planId, options);
    if (!run)
        qFatal("apply failed: %s", qPrintable(run.error().toString()));
    return *run;
}

// The sync matches model column `name` (an email here) on destination field `email`.
void matchOnEmail(SyncSetup &setup, bool caseInsensitive)
{
    setup.sync.matchColumn = QStringLiteral("name");
    setup.sync.matchField = QStringLiteral("email");
    setup.saveSync();
    connector::FieldSpec email;
    email.name = QStringLiteral("email");
    email.identifier = true;
    email.caseInsensitive = caseInsensitive;
    setup.destination->fields = {email};
}

QStringList reasons(const state::PlanInfo &plan)
{
    QStringList out;
    for (const auto &example : plan.invalidExamples)
        out << example.reason;
    return out;
}

QString collisionMessage(int rows, const QString &value, const QString &keys)
{
    return QStringLiteral("%1 rows would write the same people record, email %2: keys %3; make email unique in the "
                          "model, none of them is sent until then")
        .arg(rows)
        .arg(value, keys);
}

std::set<std::string> planKeys(SyncSetup &setup, qint64 planId)
{
    auto rows = state::PlanStore(*setup.workspace).rows(planId, 0, 10000000, false);
    if (!rows)
        qFatal("cannot read the plan: %s", qPrintable(rows.error().toString()));
    std::set<std::string> keys;
    for (const state::PlanRow &row : *rows)
        keys.insert(row.key);
    return keys;
}

} // namespace

class TestMatchCollisions : public QObject
{
    Q_OBJECT
private slots:
    void compositeKeyMatchedOnOneColumnIsInvalid();
    void customersSharingAnEmailAreInvalidAndNeverSent();
    void caseInsensitiveFieldComparesFoldedValues();
    void caseSensitiveFieldKeepsValuesThatDifferInCase();
    void collisionOfDeliveredRowsSendsNothingAndRemovesNothing();
    void fixingTheModelByRemovingARowResumesCleanly();
    void matchOnTheKeySkipsTheCheck();
    void spilledCheckFindsEveryCollisionInALargeModel();
};

void TestMatchCollisions::compositeKeyMatchedOnOneColumnIsInvalid()
{
    SyncSetup setup;
    SyncSetup::check(state::DefinitionStore(*setup.workspace)
                         .saveModel(ModelDef{QStringLiteral("people"), QStringLiteral("wh"),
                                             QStringLiteral("select id, name, score, junk from people"),
                                             {QStringLiteral("id"), QStringLiteral("name")}}));
    setup.warehouse->exec("INSERT INTO people VALUES (17, 'eu', 1, 'j'), (17, 'us', 2, 'j'), (18, 'eu', 3, 'j')");
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.invalid, 2);
    QCOMPARE(plan.counts.added, 1);
    QCOMPARE(plan.invalidExamples.size(), size_t(1));
    QCOMPARE(plan.invalidExamples[0].key, QStringLiteral("[17,\"eu\"]"));
    QCOMPARE(plan.invalidExamples[0].reason,
             QStringLiteral("2 rows would write the same people record, id 17: keys [17,\"eu\"], [17,\"us\"]; make id "
                            "unique in the model, none of them is sent until then"));
    QCOMPARE(applyPlan(setup, plan.id).counts.sent, 1);
    QCOMPARE(setup.destination->records.size(), size_t(1));
    QVERIFY(setup.destination->records.count("[18,\"eu\"]"));
}

void TestMatchCollisions::customersSharingAnEmailAreInvalidAndNeverSent()
{
    SyncSetup setup;
    matchOnEmail(setup, false);
    setup.warehouse->exec("INSERT INTO people VALUES (912, 'ann@example.com', 1, 'j'), (17, 'ann@example.com', 2, 'j'), "
                          "(3, 'bob@example.com', 3, 'j'), (4, NULL, 4, 'j'), (5, NULL, 5, 'j')");
    const state::PlanInfo plan = planOf(setup);
    // Rows without an email identify no record: they do not collide with each other.
    QCOMPARE(plan.counts.invalid, 2);
    QCOMPARE(plan.counts.added, 3);
    QCOMPARE(reasons(plan), QStringList{collisionMessage(2, QStringLiteral("ann@example.com"), QStringLiteral("17, 912"))});
    QCOMPARE(plan.invalidExamples[0].key, QStringLiteral("17"));
    QCOMPARE(planKeys(setup, plan.id), (std::set<std::string>{"3", "4", "5"}));
    applyPlan(setup, plan.id);
    QCOMPARE(setup.destination->deliveries.count("17"), size_t(0));
    QCOMPARE(setup.destination->deliveries.count("912"), size_t(0));
    QCOMPARE(setup.destination->records.size(), size_t(3));
}

void TestMatchCollisions::caseInsensitiveFieldComparesFoldedValues()
{
    SyncSetup setup;
    matchOnEmail(setup, true);
    setup.warehouse->exec("INSERT INTO people VALUES (1, 'Ann@Example.com', 1, 'j'), (2, 'ann@example.COM', 2, 'j'), "
                          "(3, 'ÉLODIE@example.com', 3, 'j'), (4, 'élodie@example.com', 4, 'j'), "
                          "(5, 'bob@example.com', 5, 'j')");
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.invalid, 4);
    QCOMPARE(plan.counts.added, 1);
    // The message shows the value as the model wrote it (the first key's row).
    QStringList expected{collisionMessage(2, QStringLiteral("Ann@Example.com"), QStringLiteral("1, 2")),
                         collisionMessage(2, QStringLiteral("ÉLODIE@example.com"), QStringLiteral("3, 4"))};
    QStringList got = reasons(plan);
    expected.sort();
    got.sort();
    QCOMPARE(got, expected);
    applyPlan(setup, plan.id);
    QCOMPARE(setup.destination->records.size(), size_t(1));
    QVERIFY(setup.destination->records.count("5"));
}

void TestMatchCollisions::caseSensitiveFieldKeepsValuesThatDifferInCase()
{
    SyncSetup setup;
    matchOnEmail(setup, false);
    setup.warehouse->exec("INSERT INTO people VALUES (1, 'Ann@Example.com', 1, 'j'), (2, 'ann@example.COM', 2, 'j')");
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.invalid, 0);
    QCOMPARE(plan.counts.added, 2);
    QCOMPARE(applyPlan(setup, plan.id).counts.sent, 2);
}

void TestMatchCollisions::collisionOfDeliveredRowsSendsNothingAndRemovesNothing()
{
    SyncSetup setup(SyncMode::Mirror);
    matchOnEmail(setup, false);
    setup.warehouse->exec("INSERT INTO people VALUES (17, 'ann@example.com', 1, 'j'), (3, 'bob@example.com', 3, 'j'), "
                          "(5, 'eve@example.com', 5, 'j'), (6, 'dan@example.com', 6, 'j')");
    QCOMPARE(applyPlan(setup, planOf(setup).id).counts.sent, 4);
    const std::string annBefore = setup.destination->records.at("17");

    // 17 is unchanged (the ledger index's fast path), 5 changes into bob's email, 912 is new.
    setup.warehouse->exec("INSERT INTO people VALUES (912, 'ann@example.com', 9, 'j'); "
                          "UPDATE people SET name = 'bob@example.com', score = 50 WHERE id = 5");
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.invalid, 4);
    QCOMPARE(plan.counts.added, 0);
    QCOMPARE(plan.counts.changed, 0);
    QCOMPARE(plan.counts.removed, 0);
    QCOMPARE(plan.counts.unchanged, 1); // 6
    QStringList expected{collisionMessage(2, QStringLiteral("ann@example.com"), QStringLiteral("17, 912")),
                         collisionMessage(2, QStringLiteral("bob@example.com"), QStringLiteral("3, 5"))};
    QStringList got = reasons(plan);
    expected.sort();
    got.sort();
    QCOMPARE(got, expected);
    QVERIFY(!plan.blocked);
    const int logged = int(setup.destination->log.size());
    QCOMPARE(applyPlan(setup, plan.id).counts.sent, 0);
    QCOMPARE(int(setup.destination->log.size()), logged);
    QCOMPARE(setup.destination->records.at("17"), annBefore);
    QCOMPARE(setup.destination->records.size(), size_t(4));

    // Fixed: 912 gets its own email, 5 its own again. The delivered rows resume where they were:
    // 17 and 3 are unchanged, 5 changes (its score), 912 is added.
    setup.warehouse->exec("UPDATE people SET name = 'carol@example.com' WHERE id = 912; "
                          "UPDATE people SET name = 'eve@example.com' WHERE id = 5");
    const state::PlanInfo fixed = planOf(setup);
    QCOMPARE(fixed.counts.invalid, 0);
    QCOMPARE(fixed.counts.added, 1);
    QCOMPARE(fixed.counts.changed, 1);
    QCOMPARE(fixed.counts.unchanged, 3);
    QCOMPARE(fixed.counts.removed, 0);
    QCOMPARE(planKeys(setup, fixed.id), (std::set<std::string>{"5", "912"}));
    QCOMPARE(applyPlan(setup, fixed.id).counts.sent, 2);
    QCOMPARE(setup.destination->deliveries.at("17"), 1);
    QCOMPARE(setup.destination->deliveries.at("5"), 2);
    QCOMPARE(setup.destination->deliveries.at("912"), 1);
    QCOMPARE(parsePayload(setup.destination->records.at("5")).value(QStringLiteral("score")).toInteger(), 50);
}

void TestMatchCollisions::fixingTheModelByRemovingARowResumesCleanly()
{
    SyncSetup setup(SyncMode::Mirror);
    setup.sync.guardrails.maxRemovedShare = 1.0;
    matchOnEmail(setup, true);
    setup.warehouse->exec("INSERT INTO people VALUES (17, 'ann@example.com', 1, 'j'), (3, 'bob@example.com', 3, 'j')");
    applyPlan(setup, planOf(setup).id);
    setup.warehouse->exec("INSERT INTO people VALUES (912, 'ANN@example.com', 9, 'j')");
    const state::PlanInfo colliding = planOf(setup);
    QCOMPARE(colliding.counts.invalid, 2);
    QCOMPARE(colliding.counts.removed, 0);
    applyPlan(setup, colliding.id);

    // The user keeps 912 and drops 17: 17 is removed (it was delivered), 912 is added.
    setup.warehouse->exec("DELETE FROM people WHERE id = 17");
    const state::PlanInfo fixed = planOf(setup);
    QCOMPARE(fixed.counts.invalid, 0);
    QCOMPARE(fixed.counts.added, 1);
    QCOMPARE(fixed.counts.removed, 1);
    QCOMPARE(fixed.counts.unchanged, 1);
    QCOMPARE(planKeys(setup, fixed.id), (std::set<std::string>{"17", "912"}));
    applyPlan(setup, fixed.id);
    QCOMPARE(setup.destination->records.size(), size_t(2));
    QVERIFY(setup.destination->records.count("912"));
    QVERIFY(!setup.destination->records.count("17"));
}

void TestMatchCollisions::matchOnTheKeySkipsTheCheck()
{
    SyncSetup setup; // matches id -> id, the model's one-column key
    setup.warehouse->exec("INSERT INTO people VALUES (1, 'a', 1, 'j'), (2, 'a', 2, 'j')");
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.added, 2);
    QVERIFY2(!plan.timings.contains(QStringLiteral("match_check_ms")), "the check ran for a match on the key");

    // The same key compared ignoring case must be checked: 'A' and 'a' are one record there.
    setup.warehouse->exec("DELETE FROM people; CREATE TABLE emails (id TEXT, score INTEGER); "
                          "INSERT INTO emails VALUES ('Ann@x.org', 1), ('ann@x.org', 2), ('bob@x.org', 3)");
    SyncSetup::check(state::DefinitionStore(*setup.workspace)
                         .saveModel(ModelDef{QStringLiteral("people"), QStringLiteral("wh"),
                                             QStringLiteral("select id, 'n' as name, score from emails"),
                                             {QStringLiteral("id")}}));
    connector::FieldSpec id;
    id.name = QStringLiteral("id");
    id.identifier = true;
    id.caseInsensitive = true;
    setup.destination->fields = {id};
    const state::PlanInfo folded = planOf(setup);
    QVERIFY(folded.timings.contains(QStringLiteral("match_check_ms")));
    QCOMPARE(folded.counts.invalid, 2);
    QCOMPARE(folded.counts.added, 1);
}

void TestMatchCollisions::spilledCheckFindsEveryCollisionInALargeModel()
{
    SyncSetup setup;
    matchOnEmail(setup, true);
    constexpr int rows = 300000;
    setup.warehouse->exec("WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < "
                          + std::to_string(rows)
                          + ") INSERT INTO people SELECT x, 'user' || x || '@example.com', x, 'j' FROM seq");
    // Four pairs spread over the key range, and one group of twelve that differ in case only.
    setup.warehouse->exec("UPDATE people SET name = 'user10@example.com' WHERE id = 299999;"
                          "UPDATE people SET name = 'user150000@example.com' WHERE id = 7;"
                          "UPDATE people SET name = 'user42@example.com' WHERE id = 123456;"
                          "UPDATE people SET name = 'USER77777@EXAMPLE.COM' WHERE id = 200000;"
                          "UPDATE people SET name = 'Shared@Example.com' WHERE id % 25000 = 1");
    const QString twelve = QStringLiteral("1, 100001, 125001, 150001, 175001, 200001, 225001, 250001, 25001, "
                                          "275001 and 2 more");
    QStringList expected{collisionMessage(2, QStringLiteral("user10@example.com"), QStringLiteral("10, 299999")),
                         collisionMessage(2, QStringLiteral("user150000@example.com"), QStringLiteral("150000, 7")),
                         collisionMessage(2, QStringLiteral("user42@example.com"), QStringLiteral("123456, 42")),
                         collisionMessage(2, QStringLiteral("USER77777@EXAMPLE.COM"), QStringLiteral("200000, 77777")),
                         collisionMessage(12, QStringLiteral("Shared@Example.com"), twelve)};
    expected.sort();
    constexpr int colliding = 4 * 2 + 12;

    sync::PlanOptions tiny;
    tiny.diff.matchCheckBudgetBytes = 64 * 1024; // about 700 rows: the check spills almost everything
    tiny.diff.matchCheckSpillPartitions = 16;
    tiny.diff.spillDirectory = setup.dir.path();
    const state::PlanInfo spilled = planOf(setup, tiny);
    QCOMPARE(spilled.counts.invalid, colliding);
    QCOMPARE(spilled.counts.added, rows - colliding);
    QStringList got = reasons(spilled);
    got.sort();
    QCOMPARE(got, expected);
    const std::set<std::string> keys = planKeys(setup, spilled.id);
    QCOMPARE(keys.size(), size_t(rows - colliding));
    for (const char *key : {"10", "299999", "7", "150000", "42", "123456", "77777", "200000", "1", "275001"})
        QVERIFY2(!keys.count(key), key);

    // The in-memory path agrees.
    const state::PlanInfo inMemory = planOf(setup);
    QCOMPARE(inMemory.counts.invalid, colliding);
    got = reasons(inMemory);
    got.sort();
    QCOMPARE(got, expected);
}

QTEST_GUILESS_MAIN(TestMatchCollisions)
#include "tst_matchcollisions.moc"
