// Payloads in the workspace: stored compactly (a BLOB of values under a shape) when they can be,
// as text otherwise, and every reader (the runner's plan rows, the preview's pages, the ledger's
// "last payload sent") gets the exact text back; a shape is trained after enough payloads and
// makes later ones smaller; a shape a rolled-back transaction added is never used afterwards;
// a workspace of the previous schema keeps reading its text payloads after the upgrade.
#include "engine/definitions/definitions.h"
#include "engine/state/definitionstore.h"
#include "engine/state/ledgerstore.h"
#include "engine/state/payloadshapes.h"
#include "engine/state/planrowreader.h"
#include "engine/state/planstore.h"
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"
#include "ledgertestsupport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace syncline::engine;
using namespace syncline::engine::state;
using namespace syncline::engine::state::testing;

namespace {

QString text(Workspace &workspace, const QString &sql)
{
    auto s = SqliteStatement::prepare(workspace.handle(), sql);
    if (!s)
        return QStringLiteral("<%1>").arg(s.error().message);
    auto row = s->step();
    if (!row)
        return QStringLiteral("<%1>").arg(row.error().message);
    return *row ? s->text(0) : QStringLiteral("<no row>");
}


std::string contact(int i)
{
    static const char *names[] = {"Ada", "Grace", "Alan", "Edsger", "Barbara"};
    return "{\"id\":" + std::to_string(i) + ",\"email\":\"user" + std::to_string(i * 7919 % 100000)
        + "@example.com\",\"name\":\"" + names[i % 5] + "\",\"ltv\":\"" + std::to_string(i % 977) + ".50\","
        + "\"seen\":\"2024-05-0" + std::to_string(1 + i % 9) + "T10:15:00Z\",\"tags\":[\"a\",{\"b\":null}]}";
}

// Adds `payload` in its own transaction; its payloads row id.
qint64 add(Workspace &workspace, LedgerStore &ledger, qint64 syncId, const std::string &payload)
{
    qint64 id = -1;
    auto ok = workspace.transaction([&]() -> Result<void> {
        auto added = ledger.addPayload(syncId, payload);
        if (!added)
            return std::unexpected(added.error());
        id = *added;
        return {};
    });
    return ok ? id : -1;
}

} // namespace

class TestPayloadStorage : public QObject
{
    Q_OBJECT

private slots:
    void everyReaderGetsTheExactTextOfEitherForm()
    {
        QTemporaryDir dir;
        auto workspace = Workspace::open(dir.filePath(QStringLiteral("p.syncline")));
        QVERIFY(workspace);
        Workspace &w = **workspace;
        const qint64 syncId = defineSync(w);
        QVERIFY(syncId > 0);
        LedgerStore ledger(w);
        PlanStore plans(w);
        // Objects are stored compactly; what the codec cannot reproduce exactly stays text.
        const std::vector<std::pair<std::string, const char *>> payloads = {
            {"{\"email\":\"zoë@example.com\",\"n\":-12,\"x\":1.50,\"note\":\"tab\\t \\\"q\\\" \\u00e9\"}", "blob"},
            {"{\"email\":\"a@b\",\"n\":3,\"x\":0.0,\"note\":null}", "blob"},
            {"{}", "blob"},
            {"{\"nested\":{\"a\":[1,2,{\"b\":\"}\"}]},\"at\":\"2024-03-01 10:15:00+02\"}", "blob"},
            {"{ \"spaced\": 1 }", "text"},
            {"[1,2,3]", "text"},
        };
        auto planId = plans.create(syncId, 0, SyncMode::Upsert, RemovedRowAction::Ignore);
        QVERIFY(planId);
        qint64 seq = 0;
        std::vector<qint64> ids;
        for (const auto &[payload, form] : payloads) {
            const qint64 id = add(w, ledger, syncId, payload);
            QVERIFY(id > 0);
            ids.push_back(id);
            QCOMPARE(text(w, QStringLiteral("SELECT typeof(payload) FROM payloads WHERE id = %1").arg(id)), QString::fromLatin1(form));
            QCOMPARE(text(w, QStringLiteral("SELECT payload_json(payload) FROM payloads WHERE id = %1").arg(id)),
                     QString::fromStdString(payload));
            const std::string key = "k" + std::to_string(++seq);
            QVERIFY(ledger.accept(syncId, key, LedgerStore::hashKey(key), hashOf('a'), id, {}));
            PlanRow row;
            row.seq = seq;
            row.op = DiffOp::Change;
            row.action = connector::Operation::Upsert;
            row.key = key;
            row.keyHash = LedgerStore::hashKey(key);
            row.payloadId = id;
            row.payloadHash = hashOf('b');
            row.beforePayloadId = ids.front();
            QVERIFY(plans.addRow(*planId, row));
        }
        auto rows = plans.rows(*planId, 0, 100, false);
        QVERIFY(rows);
        QCOMPARE(rows->size(), payloads.size());
        auto page = PlanRowReader(w).page(*planId, DiffOp::Change, 0, 100, {});
        QVERIFY(page);
        QCOMPARE(page->size(), payloads.size());
        for (size_t i = 0; i < payloads.size(); ++i) {
            QCOMPARE((*rows)[i].payload, payloads[i].first);
            QCOMPARE((*rows)[i].beforePayload, payloads.front().first);
            QCOMPARE((*page)[i].payload, payloads[i].first);
            QCOMPARE((*page)[i].beforePayload, payloads.front().first);
            auto entry = ledger.find(syncId, "k" + std::to_string(i + 1));
            QVERIFY(entry && *entry);
            QCOMPARE((*entry)->payload, payloads[i].first);
        }
    }

    void aTrainedShapeMakesLaterPayloadsSmallerAndReadsBackExactly()
    {
        QTemporaryDir dir;
        auto workspace = Workspace::open(dir.filePath(QStringLiteral("t.syncline")));
        QVERIFY(workspace);
        Workspace &w = **workspace;
        const qint64 syncId = defineSync(w);
        LedgerStore ledger(w);
        const int count = int(PayloadShapes::TrainingSamples) + 200;
        QVERIFY(w.transaction([&]() -> Result<void> {
            for (int i = 0; i < count; ++i)
                if (auto id = ledger.addPayload(syncId, contact(i)); !id)
                    return std::unexpected(id.error());
            return {};
        }));
        QCOMPARE(text(w, QStringLiteral("SELECT count(*) FROM payload_shapes")), QStringLiteral("2"));
        QCOMPARE(text(w, QStringLiteral("SELECT count(*) FROM payload_shapes WHERE dictionary IS NOT NULL")),
                 QStringLiteral("1"));
        const int before = text(w, QStringLiteral("SELECT avg(length(payload)) FROM payloads WHERE id <= 100")).toDouble();
        const int after = text(w, QStringLiteral("SELECT avg(length(payload)) FROM payloads WHERE id > %1").arg(count - 100))
                              .toDouble();
        QVERIFY2(after < before * 0.8, qPrintable(QStringLiteral("%1 -> %2 bytes").arg(before).arg(after)));
        QVERIFY2(after * 3 < int(contact(count - 1).size()), qPrintable(QString::number(after)));
        {
            auto s = SqliteStatement::prepare(w.handle(),
                                              QStringLiteral("SELECT id, payload_json(payload) FROM payloads ORDER BY id"));
            QVERIFY(s);
            int seen = 0;
            for (;;) {
                auto row = s->step();
                QVERIFY(row);
                if (!*row)
                    break;
                QCOMPARE(std::string(s->textView(1)), contact(seen));
                ++seen;
            }
            QCOMPARE(seen, count);
        }

        // Another connection (another process) finds the trained shape and decodes with it.
        auto second = Workspace::open(w.path());
        QVERIFY(second);
        LedgerStore other(**second);
        const qint64 id = add(**second, other, syncId, contact(count));
        QCOMPARE(text(**second, QStringLiteral("SELECT payload_json(payload) FROM payloads WHERE id = %1").arg(id)),
                 QString::fromStdString(contact(count)));
        QCOMPARE(text(**second, QStringLiteral("SELECT count(*) FROM payload_shapes")), QStringLiteral("2"));
        QCOMPARE(text(w, QStringLiteral("SELECT payload_json(payload) FROM payloads WHERE id = %1").arg(id)),
                 QString::fromStdString(contact(count)));
    }

    void aShapeOfARolledBackTransactionIsNeverUsedAgain()
    {
        QTemporaryDir dir;
        auto workspace = Workspace::open(dir.filePath(QStringLiteral("r.syncline")));
        QVERIFY(workspace);
        Workspace &w = **workspace;
        const qint64 syncId = defineSync(w);
        LedgerStore ledger(w);
        // A whole transaction, then a savepoint inside one: each adds a shape and is undone.
        QString seenInside;
        auto failed = w.transaction([&]() -> Result<void> {
            if (auto id = ledger.addPayload(syncId, "{\"a\":1}"); !id)
                return std::unexpected(id.error());
            seenInside = text(w, QStringLiteral("SELECT payload_json(payload) FROM payloads"));
            return fail(QStringLiteral("test.undo"), QStringLiteral("undo"));
        });
        QVERIFY(!failed);
        QCOMPARE(seenInside, QStringLiteral("{\"a\":1}"));
        QCOMPARE(text(w, QStringLiteral("SELECT count(*) FROM payload_shapes")), QStringLiteral("0"));
        QVERIFY(w.transaction([&]() -> Result<void> {
            auto inner = w.transaction([&]() -> Result<void> {
                if (auto id = ledger.addPayload(syncId, "{\"b\":2}"); !id)
                    return std::unexpected(id.error());
                return fail(QStringLiteral("test.undo"), QStringLiteral("undo"));
            });
            return inner ? fail(QStringLiteral("test.inner"), QStringLiteral("inner work did not fail")) : Result<void>{};
        }));
        QCOMPARE(text(w, QStringLiteral("SELECT count(*) FROM payload_shapes")), QStringLiteral("0"));
        // The shape ids the undone transactions used go to new shapes; each payload reads back as written.
        // Checked on this connection and on a fresh one, which knows nothing of the undone shapes.
        auto fresh = Workspace::open(w.path());
        QVERIFY(fresh);
        for (const std::string payload : {"{\"c\":\"x\"}", "{\"a\":1}", "{\"b\":2}", "{\"c\":\"y\"}"}) {
            const qint64 id = add(w, ledger, syncId, payload);
            QVERIFY(id > 0);
            const QString read = QStringLiteral("SELECT payload_json(payload) FROM payloads WHERE id = %1").arg(id);
            QCOMPARE(text(w, read), QString::fromStdString(payload));
            QCOMPARE(text(**fresh, read), QString::fromStdString(payload));
            QCOMPARE(text(w, QStringLiteral("SELECT typeof(payload) FROM payloads WHERE id = %1").arg(id)),
                     QStringLiteral("blob"));
        }
        QCOMPARE(text(w, QStringLiteral("SELECT count(*) FROM payload_shapes")), QStringLiteral("3"));
    }

    void upgradeFromSchemaSevenKeepsReadingTextPayloads()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.syncline"));
        auto all = Workspace::embeddedMigrations();
        QVERIFY(all);
        std::vector<Workspace::Migration> schemaSeven;
        for (const auto &migration : *all)
            if (migration.version <= 7)
                schemaSeven.push_back(migration);
        QCOMPARE(schemaSeven.back().version, 7);
        const std::string old = "{\"email\":\"old@example.com\",\"n\":1}";
        qint64 syncId = 0;
        {
            auto previous = Workspace::open(path, Workspace::OpenMode::CreateIfMissing, schemaSeven);
            QVERIFY(previous);
            syncId = defineSync(**previous);
            QVERIFY(syncId > 0);
            // As the schema-7 code wrote them: the payload as text, the ledger pointing to it.
            const QString insert = QStringLiteral("INSERT INTO payloads (id, sync_id, payload) VALUES (1, %1, '%2')")
                                       .arg(syncId)
                                       .arg(QString::fromStdString(old));
            for (const QString &sql : {insert, QStringLiteral("INSERT INTO ledger (sync_id, key_hash, key, payload_hash, "
                                                              "payload_id, status, attempts, updated_at) VALUES "
                                                              "(%1, %2, 'k', zeroblob(16), 1, 'delivered', 1, 0)")
                                                   .arg(syncId)
                                                   .arg(qint64(LedgerStore::hashKey("k")))}) {
                auto s = SqliteStatement::prepare((*previous)->handle(), sql);
                QVERIFY2(s, qPrintable(sql));
                QVERIFY2(s->run(), qPrintable(sql));
            }
        }
        auto workspace = Workspace::open(path);
        QVERIFY2(workspace, qPrintable(workspace ? QString() : workspace.error().message));
        Workspace &w = **workspace;
        QCOMPARE(w.schemaVersion(), all->back().version);
        LedgerStore ledger(w);
        auto entry = ledger.find(syncId, "k");
        QVERIFY(entry && *entry);
        QCOMPARE((*entry)->payload, old);
        // A new payload of the same fields is compact; both read back, and collection keeps the live one.
        const std::string next = "{\"email\":\"new@example.com\",\"n\":2}";
        QVERIFY(w.transaction([&]() -> Result<void> {
            auto id = ledger.addPayload(syncId, next);
            if (!id)
                return std::unexpected(id.error());
            if (auto ok = ledger.accept(syncId, "k2", LedgerStore::hashKey("k2"), hashOf('n'), *id, {}); !ok)
                return ok;
            return ledger.recordPayloadsAdded(syncId);
        }));
        QCOMPARE(text(w, QStringLiteral("SELECT group_concat(typeof(payload)) FROM payloads ORDER BY id")),
                 QStringLiteral("text,blob"));
        auto fresh = ledger.find(syncId, "k2");
        QVERIFY(fresh && *fresh);
        QCOMPARE((*fresh)->payload, next);
        auto collected = ledger.collectGarbage(syncId, 0, 0);
        QVERIFY(collected && *collected);
        QCOMPARE(text(w, QStringLiteral("SELECT count(*) FROM payloads")), QStringLiteral("2"));
        QCOMPARE(text(w, QStringLiteral("PRAGMA integrity_check")), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestPayloadStorage)
#include "tst_payloadstorage.moc"
