// The ledger's storage: upgrading a schema-2 workspace keeps every delivered payload and
// releases rows a dead process left in flight; upgrading a schema-8 workspace keeps every
// status word, source hash and open plan; replaced payloads are collected without touching
// the ones the ledger still points to.
#include "engine/definitions/definitions.h"
#include "engine/state/batchlanding.h"
#include "engine/state/definitionstore.h"
#include "engine/state/ledgerstore.h"
#include "engine/state/planstore.h"
#include "engine/state/runstore.h"
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"
#include "ledgertestsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace syncline::engine;
using namespace syncline::engine::state;
using namespace syncline::engine::state::testing;

namespace {

qint64 scalar(Workspace &workspace, const QString &sql)
{
    auto s = SqliteStatement::prepare(workspace.handle(), sql);
    if (!s)
        return -1;
    auto row = s->step();
    return row && *row ? s->int64(0) : -1;
}


} // namespace

class TestLedgerStore : public QObject
{
    Q_OBJECT

private slots:
    void upgradeFromSchemaTwoKeepsPayloadsAndReleasesInFlightRows()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.syncline"));
        auto all = Workspace::embeddedMigrations();
        QVERIFY(all);
        std::vector<Workspace::Migration> schemaTwo;
        for (const auto &migration : *all)
            if (migration.version <= 2)
                schemaTwo.push_back(migration);
        QCOMPARE(int(schemaTwo.size()), 2);
        {
            auto old = Workspace::open(path, Workspace::OpenMode::CreateIfMissing, schemaTwo);
            QVERIFY2(old, qPrintable(old ? QString() : old.error().message));
            const qint64 syncId = defineSync(**old);
            QVERIFY(syncId > 0);
            // Written as the schema-2 code wrote them: a delivered row, a row in flight over a
            // delivered payload, and a new key in flight that was never delivered.
            const QString insert = QStringLiteral(
                "INSERT INTO ledger (sync_id, key_hash, key, payload_hash, payload, status, in_flight_run, attempts, "
                "updated_at) VALUES (%1, %2, '%3', %4, %5, '%6', %7, 1, 0)");
            for (const QString &sql :
                 {insert.arg(syncId).arg(qint64(LedgerStore::hashKey("1"))).arg(QStringLiteral("1"), QStringLiteral("zeroblob(16)"),
                                                                          QStringLiteral("'{\"a\":1}'"),
                                                                          QStringLiteral("delivered"), QStringLiteral("NULL")),
                  insert.arg(syncId).arg(qint64(LedgerStore::hashKey("2"))).arg(QStringLiteral("2"), QStringLiteral("zeroblob(16)"),
                                                                          QStringLiteral("'{\"a\":2}'"),
                                                                          QStringLiteral("in_flight"), QStringLiteral("7")),
                  insert.arg(syncId).arg(qint64(LedgerStore::hashKey("3"))).arg(QStringLiteral("3"), QStringLiteral("NULL"),
                                                                          QStringLiteral("NULL"), QStringLiteral("in_flight"),
                                                                          QStringLiteral("7"))}) {
                auto s = SqliteStatement::prepare((*old)->handle(), sql);
                QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
                QVERIFY(s->run());
            }
            // An open plan of schema 2, with its payloads inline.
            for (const QString &sql :
                 {QStringLiteral("INSERT INTO plans (id, sync_id, created_at, base_generation, status, mode, on_removed) "
                                 "VALUES (5, %1, 0, 0, 'open', 'upsert', 'ignore')")
                      .arg(syncId),
                  QStringLiteral("INSERT INTO plan_rows (plan_id, seq, op, action, key, key_hash, payload, payload_hash, "
                                 "before_payload) VALUES (5, 1, 'change', 'upsert', '1', %1, '{\"a\":10}', zeroblob(16), "
                                 "'{\"a\":1}')")
                      .arg(qint64(LedgerStore::hashKey("1")))}) {
                auto s = SqliteStatement::prepare((*old)->handle(), sql);
                QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
                QVERIFY2(s->run(), qPrintable(sql));
            }
        }

        auto workspace = Workspace::open(path);
        QVERIFY2(workspace, qPrintable(workspace ? QString() : workspace.error().message));
        QCOMPARE((*workspace)->schemaVersion(), all->back().version);
        const qint64 syncId = scalar(**workspace, QStringLiteral("SELECT id FROM syncs WHERE name = 's'"));
        LedgerStore ledger(**workspace);

        auto delivered = ledger.find(syncId, "1");
        QVERIFY(delivered && *delivered);
        QCOMPARE((*delivered)->status, QStringLiteral("delivered"));
        QCOMPARE(QString::fromStdString((*delivered)->payload), QStringLiteral("{\"a\":1}"));

        auto released = ledger.find(syncId, "2");
        QVERIFY(released && *released);
        QCOMPARE((*released)->status, QStringLiteral("delivered"));
        QCOMPARE(QString::fromStdString((*released)->payload), QStringLiteral("{\"a\":2}"));
        QVERIFY((*released)->lastError.startsWith(QStringLiteral("interrupted")));
        QVERIFY(!(*released)->inFlightRun);

        auto pending = ledger.find(syncId, "3");
        QVERIFY(pending && *pending);
        QCOMPARE((*pending)->status, QStringLiteral("pending"));
        QVERIFY((*pending)->payload.empty());

        auto flying = ledger.inFlight(syncId);
        QVERIFY(flying && flying->empty());
        auto planRows = PlanStore(**workspace).rows(5, 0, 10, false);
        QVERIFY(planRows);
        QCOMPARE(int(planRows->size()), 1);
        QCOMPARE(QString::fromStdString(planRows->front().payload), QStringLiteral("{\"a\":10}"));
        QCOMPARE(QString::fromStdString(planRows->front().beforePayload), QStringLiteral("{\"a\":1}"));
        QCOMPARE(scalar(**workspace, QStringLiteral("SELECT count(*) FROM payloads")), 4); // 2 ledger + 2 plan
        auto check = SqliteStatement::prepare((*workspace)->handle(), QStringLiteral("PRAGMA integrity_check"));
        QVERIFY(check && *check->step());
        QCOMPARE(check->text(0), QStringLiteral("ok"));
    }

    void upgradeFromSchemaEightKeepsStatusesSourceHashesAndOpenPlans()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("eight.syncline"));
        auto all = Workspace::embeddedMigrations();
        QVERIFY(all);
        std::vector<Workspace::Migration> schemaEight;
        for (const auto &migration : *all)
            if (migration.version <= 8)
                schemaEight.push_back(migration);
        QCOMPARE(schemaEight.back().version, 8);
        auto hex = [](char c) { return QStringLiteral("x'%1'").arg(QString::fromLatin1(QByteArray(16, c).toHex())); };
        qint64 syncId = 0;
        {
            auto old = Workspace::open(path, Workspace::OpenMode::CreateIfMissing, schemaEight);
            QVERIFY2(old, qPrintable(old ? QString() : old.error().message));
            syncId = defineSync(**old);
            QVERIFY(syncId > 0);
            // As the schema-8 code wrote them: payloads carrying their source hash (warehouse_hash),
            // the ledger with status words and a copy of the delivered payload's source hash, and an
            // open plan whose changed row's new payload carries its own.
            const QString k = QStringLiteral("%1, %2, '%3'");
            auto key = [&](const char *text) {
                return k.arg(syncId).arg(qint64(LedgerStore::hashKey(text))).arg(QLatin1String(text));
            };
            const QStringList statements{
                QStringLiteral("INSERT INTO payloads (id, sync_id, payload, source_hash) VALUES "
                               "(1, %1, '{\"a\":1}', %2), (3, %1, '{\"a\":3}', NULL), (4, %1, '{\"a\":4}', %3), "
                               "(5, %1, '{\"a\":10}', %4)")
                    .arg(syncId)
                    .arg(hex('A'), hex('B'), hex('C')),
                QStringLiteral("INSERT INTO ledger (sync_id, key_hash, key, payload_hash, payload_id, destination_id, "
                               "status, attempts, last_error, updated_at, source_hash) VALUES "
                               "(%1, %2, 1, NULL, 'delivered', 1, NULL, 0, %3), "
                               "(%4, NULL, NULL, NULL, 'rejected', 2, 'bad email', 0, NULL), "
                               "(%5, NULL, 3, 'rec-3', 'cleared', 1, NULL, 0, NULL), "
                               "(%6, NULL, 4, NULL, 'pending', 0, NULL, 0, %7)")
                    .arg(key("1"), hex('1'), hex('A'), key("2"), key("3"), key("4"), hex('B')),
                QStringLiteral("INSERT INTO plans (id, sync_id, created_at, base_generation, status, mode, on_removed) "
                               "VALUES (5, %1, 0, 0, 'open', 'upsert', 'ignore')")
                    .arg(syncId),
                QStringLiteral("INSERT INTO plan_rows (plan_id, seq, op, action, key, key_hash, payload_id, payload_hash, "
                               "before_payload_id) VALUES (5, 1, 'change', 'upsert', '1', %1, 5, %2, 1)")
                    .arg(qint64(LedgerStore::hashKey("1")))
                    .arg(hex('5')),
                QStringLiteral("INSERT INTO runs (id, sync_id, plan_id, generation, status, pid, started_at) "
                               "VALUES (8, %1, NULL, 1, 'partial', 1, 0), (9, %1, 5, 1, 'running', 1, 0)")
                    .arg(syncId),
                QStringLiteral("INSERT INTO run_rows (run_id, key_hash, key, seq, op, outcome, error, destination_id) "
                               "VALUES (8, %1, '2', 1, 'upsert', 'rejected', 'bad email', NULL), "
                               "(8, %2, '3', 2, 'upsert', 'accepted', NULL, 'rec-3')")
                    .arg(qint64(LedgerStore::hashKey("2")))
                    .arg(qint64(LedgerStore::hashKey("3"))),
            };
            for (const QString &sql : statements) {
                auto s = SqliteStatement::prepare((*old)->handle(), sql);
                QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
                QVERIFY2(s->run(), qPrintable(sql));
            }
        }

        auto workspace = Workspace::open(path);
        QVERIFY2(workspace, qPrintable(workspace ? QString() : workspace.error().message));
        QCOMPARE((*workspace)->schemaVersion(), all->back().version);
        LedgerStore ledger(**workspace);

        // What `syncline-cli ledger` and the Runs page show: the same words, payloads, notes and ids.
        const std::map<std::string, QString> words{
            {"1", QStringLiteral("delivered")}, {"2", QStringLiteral("rejected")},
            {"3", QStringLiteral("cleared")}, {"4", QStringLiteral("pending")}};
        for (const auto &[k, word] : words) {
            auto entry = ledger.find(syncId, k);
            QVERIFY(entry && *entry);
            QCOMPARE((*entry)->status, word);
        }
        QCOMPARE(QString::fromStdString((*ledger.find(syncId, "1"))->payload), QStringLiteral("{\"a\":1}"));
        QCOMPARE((*ledger.find(syncId, "2"))->lastError, QStringLiteral("bad email"));
        QCOMPARE((*ledger.find(syncId, "3"))->destinationId, QStringLiteral("rec-3"));
        QCOMPARE(scalar(**workspace, QStringLiteral("SELECT count(*) FROM ledger")), 4);
        // The run history keeps each row's outcome.
        RunStore runs(**workspace);
        auto rejected = runs.outcomesForKey(syncId, "2", 5);
        QVERIFY(rejected && rejected->size() == 1);
        QVERIFY(!rejected->front().accepted);
        QCOMPARE(rejected->front().error, QStringLiteral("bad email"));
        auto accepted = runs.outcomesForKey(syncId, "3", 5);
        QVERIFY(accepted && accepted->size() == 1);
        QVERIFY(accepted->front().accepted);
        QCOMPARE(accepted->front().destinationId, QStringLiteral("rec-3"));

        // What the next plan reads: the same delivered keys and source hashes.
        std::map<std::string, std::optional<mapping::PayloadHash>> sourceHashes;
        qint64 delivered = 0;
        QVERIFY(ledger.scan(syncId, KeyHashRange{}, [&](const LedgerScanRow &row) -> Result<void> {
            delivered += row.delivered ? 1 : 0;
            if (row.hasSourceHash)
                sourceHashes[std::string(row.key)] = row.sourceHash;
            return {};
        }));
        QCOMPARE(delivered, 1);
        QCOMPARE(int(sourceHashes.size()), 2);
        QVERIFY(sourceHashes["1"] == hashOf('A'));
        QVERIFY(sourceHashes["4"] == hashOf('B'));
        QCOMPARE(*ledger.hasSourceHashes(syncId), true);

        // The open plan still sends the new payload, with the source hash its payload carried.
        PlanStore plans(**workspace);
        auto rows = plans.rows(5, 0, 10, true);
        QVERIFY(rows);
        QCOMPARE(int(rows->size()), 1);
        QCOMPARE(QString::fromStdString(rows->front().payload), QStringLiteral("{\"a\":10}"));
        QVERIFY(rows->front().sourceHash && *rows->front().sourceHash == hashOf('C'));

        // Accepting it moves the ledger to the new payload and its source hash.
        BatchLanding landing(**workspace, ledger);
        QVERIFY((*workspace)->exec(QStringLiteral("BEGIN IMMEDIATE")));
        auto landed = landing.land(syncId, 9, 5, *rows, {connector::RecordOutcome{true, {}, {}, false}});
        QVERIFY2(landed, qPrintable(landed ? QString() : landed.error().message));
        QVERIFY((*workspace)->exec(QStringLiteral("COMMIT")));
        auto after = ledger.find(syncId, "1");
        QVERIFY(after && *after);
        QCOMPARE((*after)->status, QStringLiteral("delivered"));
        QCOMPARE(QString::fromStdString((*after)->payload), QStringLiteral("{\"a\":10}"));
        sourceHashes.clear();
        QVERIFY(ledger.scan(syncId, KeyHashRange{}, [&](const LedgerScanRow &row) -> Result<void> {
            if (row.hasSourceHash)
                sourceHashes[std::string(row.key)] = row.sourceHash;
            return {};
        }));
        QVERIFY(sourceHashes["1"] == hashOf('C'));

        // A resend of the same payload without a hash keeps the ledger's; another payload drops it.
        QVERIFY(ledger.accept(syncId, "1", LedgerStore::hashKey("1"), hashOf('5'), 5, {}));
        QVERIFY(*ledger.hasSourceHashes(syncId));
        QVERIFY(ledger.accept(syncId, "1", LedgerStore::hashKey("1"), hashOf('1'), 1, {}));
        QCOMPARE(scalar(**workspace, QStringLiteral("SELECT count(*) FROM ledger WHERE source_hash IS NOT NULL")), 1);
    }

    void aSupersededPlanTakesItsNewPayloadsAlong()
    {
        QTemporaryDir dir;
        auto workspace = Workspace::open(dir.filePath(QStringLiteral("w.syncline")));
        QVERIFY(workspace);
        const qint64 syncId = defineSync(**workspace);
        QVERIFY(syncId > 0);
        LedgerStore ledger(**workspace);
        PlanStore plans(**workspace);
        // The ledger holds key 1; a preview plans a change of it and an add of key 2, and a
        // second plan resends key 1 unchanged (mode "all" style) and is applied.
        auto delivered = ledger.addPayload(syncId, "{\"a\":1}");
        QVERIFY(delivered);
        QVERIFY(ledger.accept(syncId, "1", LedgerStore::hashKey("1"), hashOf('1'), *delivered, {}));
        auto plan = [&](std::vector<std::pair<DiffOp, std::string>> rows) -> qint64 {
            auto id = plans.create(syncId, 0, SyncMode::Upsert, RemovedRowAction::Ignore);
            if (!id)
                return -1;
            qint64 seq = 0;
            for (const auto &[op, key] : rows) {
                PlanRow row;
                row.seq = ++seq;
                row.op = op;
                row.action = connector::Operation::Upsert;
                row.key = key;
                row.keyHash = LedgerStore::hashKey(key);
                auto payload = op == DiffOp::Unchanged ? Result<qint64>(*delivered)
                                                       : ledger.addPayload(syncId, "{\"a\":" + key + "0}");
                if (!payload)
                    return -1;
                row.payloadId = *payload;
                if (!plans.addRow(*id, row))
                    return -1;
            }
            PlanInfo info;
            info.id = *id;
            info.syncId = syncId;
            return plans.complete(info) ? *id : -1;
        };
        const qint64 preview = plan({{DiffOp::Change, "1"}, {DiffOp::Add, "2"}});
        QVERIFY(preview > 0);
        QCOMPARE(scalar(**workspace, QStringLiteral("SELECT count(*) FROM payloads")), 3);
        const qint64 applied = plan({{DiffOp::Unchanged, "1"}});
        QVERIFY(applied > 0);
        QVERIFY(plans.markApplied(syncId, applied));
        QCOMPARE(scalar(**workspace, QStringLiteral("SELECT count(*) FROM payloads")), 1);
        auto kept = ledger.find(syncId, "1");
        QVERIFY(kept && *kept);
        QCOMPARE(QString::fromStdString((*kept)->payload), QStringLiteral("{\"a\":1}"));
    }

    void payloadsNothingRefersToAreCollected()
    {
        QTemporaryDir dir;
        auto workspace = Workspace::open(dir.filePath(QStringLiteral("gc.syncline")));
        QVERIFY(workspace);
        const qint64 syncId = defineSync(**workspace);
        QVERIFY(syncId > 0);
        LedgerStore ledger(**workspace);
        std::map<std::string, qint64> firstPayload;
        auto write = [&](std::string_view key, char version) {
            const std::string payload = "{\"v\":\"" + std::string(1, version) + "\"}";
            return (*workspace)->transaction([&]() -> Result<void> {
                auto id = ledger.addPayload(syncId, payload);
                if (!id)
                    return std::unexpected(id.error());
                firstPayload.try_emplace(std::string(key), *id);
                if (auto ok = ledger.accept(syncId, key, LedgerStore::hashKey(key), hashOf(version), *id, {}); !ok)
                    return ok;
                return ledger.recordPayloadsAdded(syncId);
            });
        };
        for (char version : {'a', 'b', 'c'})
            for (std::string_view key : {"k1", "k2", "k3"})
                QVERIFY(write(key, version));
        QVERIFY(ledger.erase(syncId, "k3", LedgerStore::hashKey("k3")));
        QCOMPARE(scalar(**workspace, QStringLiteral("SELECT count(*) FROM payloads")), 9);
        QCOMPARE(scalar(**workspace, QStringLiteral("SELECT payloads_since_collect FROM sync_state")), 9);

        // A plan still shows k1's first payload as its "before": that one is kept too.
        PlanStore plans(**workspace);
        auto planId = plans.create(syncId, 0, SyncMode::Upsert, RemovedRowAction::Ignore);
        QVERIFY(planId);
        PlanRow row;
        row.seq = 1;
        row.op = DiffOp::Remove;
        row.key = "k1";
        row.keyHash = LedgerStore::hashKey("k1");
        row.beforePayloadId = firstPayload["k1"];
        QVERIFY(plans.addRow(*planId, row));

        // Not before enough payloads were added since the last collection; then exactly the
        // ones no ledger row and no plan row points to go.
        auto skipped = ledger.collectGarbage(syncId, 2);
        QVERIFY(skipped && !*skipped);
        QCOMPARE(scalar(**workspace, QStringLiteral("SELECT count(*) FROM payloads")), 9);
        auto collected = ledger.collectGarbage(syncId, 2, 0);
        QVERIFY(collected && *collected);
        QCOMPARE(scalar(**workspace, QStringLiteral("SELECT count(*) FROM payloads")), 3);
        QCOMPARE(scalar(**workspace, QStringLiteral("SELECT payloads_since_collect FROM sync_state")), 0);
        for (std::string_view key : {"k1", "k2"}) {
            auto entry = ledger.find(syncId, key);
            QVERIFY(entry && *entry);
            QCOMPARE(QString::fromStdString((*entry)->payload), QStringLiteral("{\"v\":\"c\"}"));
        }
        auto shown = plans.rows(*planId, 0, 10, false);
        QVERIFY(shown && shown->size() == 1);
        QCOMPARE(QString::fromStdString(shown->front().beforePayload), QStringLiteral("{\"v\":\"a\"}"));
        auto gone = ledger.find(syncId, "k3");
        QVERIFY(gone && !*gone);
    }
};

QTEST_GUILESS_MAIN(TestLedgerStore)
#include "tst_ledgerstore.moc"
