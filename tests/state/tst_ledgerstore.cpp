// The ledger's storage: upgrading a schema-2 workspace keeps every delivered payload and
// releases rows a dead process left in flight; replaced payloads are collected without
// touching the ones the ledger still points to.
#include "engine/definitions/definitions.h"
#include "engine/state/definitionstore.h"
#include "engine/state/ledgerstore.h"
#include "engine/state/planstore.h"
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace syncline::engine;
using namespace syncline::engine::state;

namespace {

qint64 scalar(Workspace &workspace, const QString &sql)
{
    auto s = SqliteStatement::prepare(workspace.handle(), sql);
    if (!s)
        return -1;
    auto row = s->step();
    return row && *row ? s->int64(0) : -1;
}

// A source, model, destination and sync, so the ledger's foreign keys hold. Returns the sync's id.
qint64 defineSync(Workspace &workspace)
{
    DefinitionStore definitions(workspace);
    if (!definitions.saveSource(SourceDef{QStringLiteral("src"), QStringLiteral("Driver={SQLite3};Database=x.db"), {}})
        || !definitions.saveModel(ModelDef{QStringLiteral("m"), QStringLiteral("src"), QStringLiteral("select 1 as id"),
                                           {QStringLiteral("id")}})
        || !definitions.saveDestination(DestinationDef{QStringLiteral("d"), QStringLiteral("file"), {}, {}}))
        return -1;
    SyncDef sync;
    sync.name = QStringLiteral("s");
    sync.model = QStringLiteral("m");
    sync.destination = QStringLiteral("d");
    sync.object = QStringLiteral("o");
    sync.matchColumn = QStringLiteral("id");
    sync.matchField = QStringLiteral("id");
    if (!definitions.saveSync(sync))
        return -1;
    auto id = definitions.syncId(sync.name);
    return id ? *id : -1;
}

mapping::PayloadHash hashOf(char c)
{
    mapping::PayloadHash hash{};
    hash.fill(static_cast<unsigned char>(c));
    return hash;
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
