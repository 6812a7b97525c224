// The file destination: snapshot and changes layouts in CSV and JSON Lines, the reject rules,
// atomic rewrites that repair themselves after a crash, delivery counts, and folder errors.

#include "connectors/file/filedestination.h"
#include "connectors/file/filedestinationstate.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>
#include <unistd.h>

using namespace syncline::engine;
using namespace syncline::engine::connector;
using syncline::connectors::file::FileDestination;
using syncline::connectors::file::FileDestinationState;
using syncline::connectors::file::FileSettings;

namespace {

const QDateTime fixedNow(QDate(2026, 11, 25), QTime(15, 1, 2), Qt::UTC);

DestinationDef fileDestination(const QString &folder, const QString &format, const QString &layout)
{
    DestinationDef destination;
    destination.name = QStringLiteral("exports");
    destination.type = QStringLiteral("file");
    destination.settings = { { QStringLiteral("folder"), folder }, { QStringLiteral("format"), format },
        { QStringLiteral("layout"), layout } };
    return destination;
}

std::unique_ptr<FileDestination> open(
    const QString &folder, const QString &format, const QString &layout, QDateTime now = fixedNow)
{
    auto settings = FileSettings::fromDestination(fileDestination(folder, format, layout));
    if (!settings)
        qFatal("settings rejected: %s", qPrintable(settings.error().message));
    return std::make_unique<FileDestination>(*settings, [now] { return now; });
}

OutgoingRecord record(Operation operation, const char *key, const char *payload)
{
    OutgoingRecord outgoing;
    outgoing.operation = operation;
    outgoing.key = key;
    outgoing.payload = payload;
    return outgoing;
}

std::vector<RecordOutcome> deliver(
    FileDestination &destination, const QString &object, std::vector<OutgoingRecord> records)
{
    Batch batch { object, std::move(records) };
    auto outcomes = destination.deliver(batch, CancellationToken());
    if (!outcomes)
        qFatal("deliver failed: %s", qPrintable(outcomes.error().message));
    return *outcomes;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray("<missing>");
    return file.readAll();
}

QStringList visibleFiles(const QString &folder)
{
    return QDir(folder).entryList(QDir::Files, QDir::Name);
}

} // namespace

class FileDestinationTest : public QObject
{
    Q_OBJECT

private slots:
    void sidecarFromBeforeKeyHashClusteringIsUpgradedAndKept()
    {
        // A sidecar as the file destination wrote it before records were clustered by key hash.
        QTemporaryDir folder;
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(folder.filePath(QStringLiteral(".customers.syncline-state"))).constData(), &db),
            SQLITE_OK);
        QCOMPARE(sqlite3_exec(db,
                     "CREATE TABLE records(key TEXT PRIMARY KEY, payload TEXT NOT NULL, present INTEGER NOT NULL,"
                     " deliveries INTEGER NOT NULL) WITHOUT ROWID;"
                     "CREATE TABLE fields(position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
                     "CREATE TABLE meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
                     "INSERT INTO records VALUES ('a', '{\"id\":\"a\",\"n\":1}', 1, 2), ('b', '{}', 0, 3);"
                     "INSERT INTO fields(name) VALUES ('id'), ('n');"
                     "INSERT INTO meta VALUES ('generation', 4), ('snapshot_generation', 4);",
                     nullptr, nullptr, nullptr),
            SQLITE_OK);
        sqlite3_close(db);

        auto destination = open(folder.path(), QStringLiteral("jsonl"), QStringLiteral("snapshot"));
        QVERIFY(destination->beginRun(QStringLiteral("customers")).has_value());
        const auto outcomes = deliver(*destination, QStringLiteral("customers"),
            { record(Operation::Insert, "a", "{\"id\":\"a\",\"n\":9}"), record(Operation::Upsert, "c", "{\"id\":\"c\",\"n\":3}"),
                record(Operation::Update, "b", "{\"id\":\"b\",\"n\":2}") });
        QCOMPARE(outcomes.size(), size_t(3));
        QVERIFY(!outcomes[0].accepted); // 'a' survived the upgrade, so inserting it again is refused
        QVERIFY(outcomes[1].accepted);
        QVERIFY(!outcomes[2].accepted); // 'b' is still deleted
        QVERIFY(destination->finishRun(true).has_value());
        QCOMPARE(readAll(folder.filePath(QStringLiteral("customers.jsonl"))),
            QByteArray("{\"key\":\"a\",\"payload\":{\"id\":\"a\",\"n\":1}}\n"
                       "{\"key\":\"c\",\"payload\":{\"id\":\"c\",\"n\":3}}\n"));
        auto state = FileDestinationState::open(folder.path(), QStringLiteral("customers"));
        QVERIFY(state.has_value());
        QCOMPARE(state->record("a")->deliveries, qint64(2));
        QCOMPARE(state->record("b")->deliveries, qint64(3));
        QCOMPARE(state->record("c")->deliveries, qint64(1));
    }

    void snapshotJsonlMirrorsDeliveredRecordsInKeyOrder()
    {
        QTemporaryDir folder;
        auto destination = open(folder.path(), QStringLiteral("jsonl"), QStringLiteral("snapshot"));
        QVERIFY(destination->beginRun(QStringLiteral("customers")).has_value());
        const auto outcomes = deliver(*destination, QStringLiteral("customers"),
            { record(Operation::Upsert, "b", "{\"id\":\"b\",\"n\":2}"),
                record(Operation::Upsert, "a", "{\"id\":\"a\",\"n\":1}"),
                record(Operation::Upsert, "c", "{\"id\":\"c\",\"n\":3}") });
        QCOMPARE(outcomes.size(), size_t(3));
        for (const RecordOutcome &outcome : outcomes)
            QVERIFY(outcome.accepted);
        QVERIFY(destination->finishRun(true).has_value());

        QCOMPARE(readAll(folder.filePath(QStringLiteral("customers.jsonl"))),
            QByteArray("{\"key\":\"a\",\"payload\":{\"id\":\"a\",\"n\":1}}\n"
                       "{\"key\":\"b\",\"payload\":{\"id\":\"b\",\"n\":2}}\n"
                       "{\"key\":\"c\",\"payload\":{\"id\":\"c\",\"n\":3}}\n"));
        // Only the snapshot is visible; the state is a hidden sidecar; no temp files are left.
        QCOMPARE(visibleFiles(folder.path()), QStringList { QStringLiteral("customers.jsonl") });
        QVERIFY(QFile::exists(folder.filePath(QStringLiteral(".customers.syncline-state"))));
    }

    void snapshotCsvHasTheUnionHeaderAndRfc4180Quoting()
    {
        QTemporaryDir folder;
        auto destination = open(folder.path(), QStringLiteral("csv"), QStringLiteral("snapshot"));
        QVERIFY(destination->beginRun(QStringLiteral("people")).has_value());
        deliver(*destination, QStringLiteral("people"),
            { record(Operation::Upsert, "1", "{\"id\":1,\"name\":\"Smith, \\\"Jo\\\"\",\"note\":\"line1\\nline2\"}"),
                record(Operation::Upsert, "2", "{\"id\":2,\"name\":\"Zoë\",\"note\":null,\"vip\":true}") });
        QVERIFY(destination->finishRun(true).has_value());
        QCOMPARE(readAll(folder.filePath(QStringLiteral("people.csv"))),
            QByteArray("id,name,note,vip\r\n"
                       "1,\"Smith, \"\"Jo\"\"\",\"line1\nline2\",\r\n"
                       "2,Zoë,,true\r\n"));
    }

    void insertOfAnExistingKeyAndUpdateOfAMissingKeyAreRejected()
    {
        QTemporaryDir folder;
        auto destination = open(folder.path(), QStringLiteral("jsonl"), QStringLiteral("snapshot"));
        QVERIFY(destination->beginRun(QStringLiteral("t")).has_value());
        const auto outcomes = deliver(*destination, QStringLiteral("t"),
            { record(Operation::Insert, "1", "{\"v\":1}"), record(Operation::Insert, "1", "{\"v\":2}"),
                record(Operation::Update, "2", "{\"v\":3}"), record(Operation::Update, "1", "{\"v\":4}"),
                record(Operation::Delete, "9", "{\"v\":9}") });
        QVERIFY(outcomes[0].accepted);
        QVERIFY(!outcomes[1].accepted);
        QCOMPARE(outcomes[1].error, QStringLiteral("record already exists"));
        QVERIFY(!outcomes[2].accepted);
        QCOMPARE(outcomes[2].error, QStringLiteral("no such record"));
        QVERIFY(outcomes[3].accepted);
        QVERIFY2(outcomes[4].accepted, "deleting a missing key is idempotent");
        QVERIFY(destination->finishRun(true).has_value());
        QCOMPARE(
            readAll(folder.filePath(QStringLiteral("t.jsonl"))), QByteArray("{\"key\":\"1\",\"payload\":{\"v\":4}}\n"));

        // Rejected records are not deliveries; accepted ones are counted per key.
        auto state = FileDestinationState::open(folder.path(), QStringLiteral("t"));
        QVERIFY(state.has_value());
        QCOMPARE(state->record("1")->deliveries, qint64(2));
        QVERIFY(!state->record("2").has_value());
        QCOMPARE(state->record("9")->deliveries, qint64(1));
        QVERIFY(!state->record("9")->present);
    }

    void replayedInsertOfTheSamePayloadIsAccepted()
    {
        // After a crash the runner resends the batch that was in flight; an identical insert is
        // that replay, not a conflict.
        QTemporaryDir folder;
        auto destination = open(folder.path(), QStringLiteral("jsonl"), QStringLiteral("snapshot"));
        QVERIFY(destination->beginRun(QStringLiteral("t")).has_value());
        deliver(*destination, QStringLiteral("t"), { record(Operation::Insert, "1", "{\"v\":1}") });
        const auto outcomes = deliver(*destination, QStringLiteral("t"),
            { record(Operation::Insert, "1", "{\"v\":1}"), record(Operation::Insert, "1", "{\"v\":2}") });
        QVERIFY(outcomes[0].accepted);
        QVERIFY(!outcomes[1].accepted);
        QCOMPARE(outcomes[1].error, QStringLiteral("record already exists"));
        QVERIFY(destination->finishRun(true).has_value());
        auto state = FileDestinationState::open(folder.path(), QStringLiteral("t"));
        QVERIFY(state.has_value());
        QCOMPARE(state->record("1")->deliveries, qint64(2));
        QCOMPARE(state->record("1")->payload, std::string("{\"v\":1}"));
    }

    void strayTempFilesOfACrashedRewriteAreRemoved()
    {
        QTemporaryDir folder;
        const QStringList strays
            = { QStringLiteral("t.csv.AbC123"), QStringLiteral("t-20261125T150102Z-3.csv.zZ9zzz") };
        const QStringList kept = { QStringLiteral("t.csv.backup"), QStringLiteral("other.csv.AbC123") };
        for (const QString &name : strays + kept) {
            QFile file(folder.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        auto destination = open(folder.path(), QStringLiteral("csv"), QStringLiteral("snapshot"));
        QVERIFY(destination->beginRun(QStringLiteral("t")).has_value());
        QVERIFY(destination->finishRun(true).has_value());
        QStringList expected = kept + QStringList { QStringLiteral("t.csv") };
        expected.sort();
        QCOMPARE(visibleFiles(folder.path()), expected);
    }

    void deleteAndClearChangeTheSnapshot()
    {
        QTemporaryDir folder;
        auto destination = open(folder.path(), QStringLiteral("jsonl"), QStringLiteral("snapshot"));
        QVERIFY(destination->beginRun(QStringLiteral("t")).has_value());
        deliver(*destination, QStringLiteral("t"),
            { record(Operation::Upsert, "1", "{\"id\":1,\"email\":\"a@x\",\"plan\":\"pro\",\"note\":\"vip\"}"),
                record(Operation::Upsert, "2", "{\"id\":2,\"email\":\"b@x\",\"plan\":\"free\"}") });
        deliver(*destination, QStringLiteral("t"),
            { record(Operation::Delete, "2", "{\"id\":2,\"email\":\"b@x\",\"plan\":\"free\"}"),
                // As the runner sends it: the mapped fields null, the match field kept.
                record(Operation::Clear, "1", "{\"id\":1,\"email\":null,\"plan\":null}") });
        QVERIFY(destination->finishRun(true).has_value());
        QCOMPARE(readAll(folder.filePath(QStringLiteral("t.jsonl"))),
            QByteArray("{\"key\":\"1\",\"payload\":{\"id\":1,\"email\":null,\"plan\":null,\"note\":\"vip\"}}\n"));
    }

    void crashBeforeFinishRunIsRepairedByTheNextRun()
    {
        QTemporaryDir folder;
        {
            auto destination = open(folder.path(), QStringLiteral("csv"), QStringLiteral("snapshot"));
            QVERIFY(destination->beginRun(QStringLiteral("t")).has_value());
            deliver(*destination, QStringLiteral("t"), { record(Operation::Upsert, "1", "{\"id\":1}") });
            QVERIFY(destination->finishRun(true).has_value());
        }
        QCOMPARE(readAll(folder.filePath(QStringLiteral("t.csv"))), QByteArray("id\r\n1\r\n"));
        {
            // The process "dies" after an acknowledged batch: no finishRun, the file is stale.
            auto destination = open(folder.path(), QStringLiteral("csv"), QStringLiteral("snapshot"));
            QVERIFY(destination->beginRun(QStringLiteral("t")).has_value());
            deliver(*destination, QStringLiteral("t"), { record(Operation::Upsert, "2", "{\"id\":2}") });
        }
        QCOMPARE(readAll(folder.filePath(QStringLiteral("t.csv"))), QByteArray("id\r\n1\r\n"));
        auto destination = open(folder.path(), QStringLiteral("csv"), QStringLiteral("snapshot"));
        QVERIFY(destination->beginRun(QStringLiteral("t")).has_value());
        QCOMPARE(readAll(folder.filePath(QStringLiteral("t.csv"))), QByteArray("id\r\n1\r\n2\r\n"));
        QVERIFY(destination->finishRun(true).has_value());
        QCOMPARE(visibleFiles(folder.path()), QStringList { QStringLiteral("t.csv") });
    }

    void deletedSnapshotFileIsRewrittenFromTheState()
    {
        QTemporaryDir folder;
        auto destination = open(folder.path(), QStringLiteral("jsonl"), QStringLiteral("snapshot"));
        QVERIFY(destination->beginRun(QStringLiteral("t")).has_value());
        deliver(*destination, QStringLiteral("t"), { record(Operation::Upsert, "1", "{\"id\":1}") });
        QVERIFY(destination->finishRun(true).has_value());
        QVERIFY(QFile::remove(folder.filePath(QStringLiteral("t.jsonl"))));
        QVERIFY(destination->beginRun(QStringLiteral("t")).has_value());
        QCOMPARE(readAll(folder.filePath(QStringLiteral("t.jsonl"))),
            QByteArray("{\"key\":\"1\",\"payload\":{\"id\":1}}\n"));
        QVERIFY(destination->finishRun(true).has_value());
    }

    void changesJsonlWritesOneFilePerRunWithOperationKeyAndPayload()
    {
        QTemporaryDir folder;
        auto destination = open(folder.path(), QStringLiteral("jsonl"), QStringLiteral("changes"));
        QVERIFY(destination->beginRun(QStringLiteral("orders")).has_value());
        deliver(*destination, QStringLiteral("orders"),
            { record(Operation::Upsert, "7", "{\"id\":7}"), record(Operation::Insert, "8", "{\"id\":8}") });
        deliver(*destination, QStringLiteral("orders"), { record(Operation::Delete, "7", "{\"id\":7}") });
        // Nothing is visible before the run finishes.
        QCOMPARE(visibleFiles(folder.path()), QStringList());
        QVERIFY(destination->finishRun(true).has_value());
        const QString first = QStringLiteral("orders-20261125T150102Z-1.jsonl");
        QCOMPARE(visibleFiles(folder.path()), QStringList { first });
        QCOMPARE(readAll(folder.filePath(first)),
            QByteArray("{\"operation\":\"upsert\",\"key\":\"7\",\"payload\":{\"id\":7}}\n"
                       "{\"operation\":\"insert\",\"key\":\"8\",\"payload\":{\"id\":8}}\n"
                       "{\"operation\":\"delete\",\"key\":\"7\",\"payload\":{\"id\":7}}\n"));

        // A second run gets its own file; a run that delivered nothing writes none.
        QVERIFY(destination->beginRun(QStringLiteral("orders")).has_value());
        const auto outcomes = deliver(*destination, QStringLiteral("orders"),
            { record(Operation::Insert, "8", "{\"id\":8,\"x\":1}"), record(Operation::Upsert, "9", "{\"id\":9}") });
        QVERIFY(!outcomes[0].accepted); // the changes layout keeps the same reject rules
        QVERIFY(destination->finishRun(true).has_value());
        QVERIFY(destination->beginRun(QStringLiteral("orders")).has_value());
        QVERIFY(destination->finishRun(true).has_value());
        const QString second = QStringLiteral("orders-20261125T150102Z-2.jsonl");
        QCOMPARE(visibleFiles(folder.path()), QStringList({ first, second }));
        QCOMPARE(readAll(folder.filePath(second)),
            QByteArray("{\"operation\":\"upsert\",\"key\":\"9\",\"payload\":{\"id\":9}}\n"));
    }

    void changesCsvHeaderIsTheUnionOfTheRunsFields()
    {
        QTemporaryDir folder;
        auto destination = open(folder.path(), QStringLiteral("csv"), QStringLiteral("changes"));
        QVERIFY(destination->beginRun(QStringLiteral("o")).has_value());
        deliver(*destination, QStringLiteral("o"), { record(Operation::Upsert, "1", "{\"id\":1,\"a\":\"x\"}") });
        deliver(
            *destination, QStringLiteral("o"), { record(Operation::Upsert, "[2,\"eu\"]", "{\"id\":2,\"b\":\"y\"}") });
        QVERIFY(destination->finishRun(true).has_value());
        QCOMPARE(readAll(folder.filePath(QStringLiteral("o-20261125T150102Z-1.csv"))),
            QByteArray("operation,key,id,a,b\r\n"
                       "upsert,1,1,x,\r\n"
                       "upsert,\"[2,\"\"eu\"\"]\",2,,y\r\n"));
    }

    void changesOfACrashedRunAreWrittenByTheNextRun()
    {
        QTemporaryDir folder;
        {
            auto destination = open(folder.path(), QStringLiteral("jsonl"), QStringLiteral("changes"));
            QVERIFY(destination->beginRun(QStringLiteral("o")).has_value());
            deliver(*destination, QStringLiteral("o"), { record(Operation::Upsert, "1", "{\"id\":1}") });
            // killed here: no finishRun
        }
        QCOMPARE(visibleFiles(folder.path()), QStringList());
        const QDateTime later = fixedNow.addSecs(60);
        auto destination = open(folder.path(), QStringLiteral("jsonl"), QStringLiteral("changes"), later);
        QVERIFY(destination->beginRun(QStringLiteral("o")).has_value());
        const QString crashed = QStringLiteral("o-20261125T150102Z-1.jsonl");
        QCOMPARE(visibleFiles(folder.path()), QStringList { crashed });
        QCOMPARE(readAll(folder.filePath(crashed)),
            QByteArray("{\"operation\":\"upsert\",\"key\":\"1\",\"payload\":{\"id\":1}}\n"));
        deliver(*destination, QStringLiteral("o"), { record(Operation::Upsert, "2", "{\"id\":2}") });
        QVERIFY(destination->finishRun(true).has_value());
        QCOMPARE(visibleFiles(folder.path()), QStringList({ crashed, QStringLiteral("o-20261125T150202Z-2.jsonl") }));
    }

    void deliveriesAreCountedPerKey()
    {
        QTemporaryDir folder;
        auto destination = open(folder.path(), QStringLiteral("jsonl"), QStringLiteral("snapshot"));
        QVERIFY(destination->beginRun(QStringLiteral("t")).has_value());
        deliver(*destination, QStringLiteral("t"), { record(Operation::Upsert, "1", "{\"v\":1}") });
        deliver(*destination, QStringLiteral("t"),
            { record(Operation::Upsert, "1", "{\"v\":1}"), record(Operation::Upsert, "2", "{\"v\":2}") });
        QVERIFY(destination->finishRun(true).has_value());
        auto state = FileDestinationState::open(folder.path(), QStringLiteral("t"));
        QVERIFY(state.has_value());
        QCOMPARE(state->record("1")->deliveries, qint64(2));
        QCOMPARE(state->record("2")->deliveries, qint64(1));
        QCOMPARE(state->record("2")->payload, std::string("{\"v\":2}"));
        QCOMPARE(state->presentCount(), qint64(2));
        QCOMPARE(state->totalDeliveries(), qint64(3));
        QCOMPARE(state->generation(), state->snapshotGeneration());
    }

    // A batch longer than the sidecar's multi-row upsert, with a key upserted twice and keys that
    // later records of the same batch update, clear, insert over or delete: each record sees the
    // ones before it, as if written one by one.
    void aLongBatchAppliesItsRecordsInOrder()
    {
        QTemporaryDir folder;
        auto destination = open(folder.path(), QStringLiteral("csv"), QStringLiteral("snapshot"));
        QVERIFY(destination->beginRun(QStringLiteral("t")).has_value());
        std::vector<std::string> keys, payloads;
        for (int i = 0; i < 150; ++i) {
            keys.push_back("k" + std::to_string(1000 + i));
            payloads.push_back("{\"n\":" + std::to_string(i) + "}");
        }
        std::vector<OutgoingRecord> records;
        for (int i = 0; i < 150; ++i)
            records.push_back(record(Operation::Upsert, keys[size_t(i)].c_str(), payloads[size_t(i)].c_str()));
        records.push_back(record(Operation::Upsert, "k1003", "{\"n\":-3,\"late\":\"x\"}"));
        records.push_back(record(Operation::Update, "k1010", "{\"n\":-10}"));
        records.push_back(record(Operation::Insert, "k1020", "{\"n\":-20}"));
        records.push_back(record(Operation::Clear, "k1030", "{\"n\":null}"));
        records.push_back(record(Operation::Delete, "k1149", "{}"));
        records.push_back(record(Operation::Upsert, "k1149", "{\"n\":149}"));
        records.push_back(record(Operation::Delete, "k1148", "{}"));
        const auto outcomes = deliver(*destination, QStringLiteral("t"), records);
        QCOMPARE(int(outcomes.size()), 157);
        for (int i = 0; i < 157; ++i)
            QVERIFY2(outcomes[size_t(i)].accepted == (i != 152), qPrintable(QString::number(i)));
        QCOMPARE(outcomes[152].error, QStringLiteral("record already exists"));
        QVERIFY(destination->finishRun(true).has_value());

        auto state = FileDestinationState::open(folder.path(), QStringLiteral("t"));
        QVERIFY(state.has_value());
        QCOMPARE(state->record("k1003")->payload, std::string("{\"n\":-3,\"late\":\"x\"}"));
        QCOMPARE(state->record("k1003")->deliveries, qint64(2));
        QCOMPARE(state->record("k1010")->payload, std::string("{\"n\":-10}"));
        QCOMPARE(state->record("k1020")->payload, std::string("{\"n\":20}"));
        QCOMPARE(state->record("k1030")->payload, std::string("{\"n\":null}"));
        QCOMPARE(state->record("k1149")->deliveries, qint64(3));
        QVERIFY(state->record("k1149")->present);
        QVERIFY(!state->record("k1148")->present);
        QCOMPARE(state->record("k1100")->payload, std::string("{\"n\":100}"));
        QCOMPARE(state->presentCount(), qint64(149));
        QCOMPARE(state->totalDeliveries(), qint64(156));
        // The late field joined the CSV header once.
        const QByteArray csv = readAll(destination->snapshotPath(QStringLiteral("t")));
        QVERIFY2(csv.startsWith("n,late\r\n"), csv.left(40).constData());
        QCOMPARE(csv.count("\r\n"), 150);
    }

    void objectsAreFileNamesAcceptingAnyField()
    {
        QTemporaryDir folder;
        auto destination = open(folder.path(), QStringLiteral("jsonl"), QStringLiteral("snapshot"));
        auto spec = destination->object(QStringLiteral("customers"));
        QVERIFY(spec.has_value());
        QVERIFY(spec->acceptsAnyField);
        QCOMPARE(spec->name, QStringLiteral("customers"));
        auto bad = destination->object(QStringLiteral("../etc/passwd"));
        QVERIFY(!bad.has_value());
        QCOMPARE(bad.error().code, QStringLiteral("file.object"));
        QVERIFY(!destination->beginRun(QStringLiteral(".hidden")).has_value());

        QVERIFY(destination->beginRun(QStringLiteral("customers")).has_value());
        deliver(*destination, QStringLiteral("customers"), { record(Operation::Upsert, "1", "{\"v\":1}") });
        QVERIFY(destination->finishRun(true).has_value());
        auto objects = destination->objects();
        QVERIFY(objects.has_value());
        QCOMPARE(objects->size(), size_t(1));
        QCOMPARE(objects->front().name, QStringLiteral("customers"));
    }

    void missingFolderIsAClearError()
    {
        QTemporaryDir parent;
        const QString missing = parent.filePath(QStringLiteral("no-such-folder"));
        auto settings = FileSettings::fromDestination(
            fileDestination(missing, QStringLiteral("csv"), QStringLiteral("snapshot")));
        QVERIFY(!settings.has_value());
        QCOMPARE(settings.error().code, QStringLiteral("file.folder_missing"));
        QVERIFY2(settings.error().message.contains(missing), qPrintable(settings.error().message));
        QVERIFY2(settings.error().message.contains(QStringLiteral("create it")), qPrintable(settings.error().message));

        QFile plain(parent.filePath(QStringLiteral("plain")));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.close();
        auto notAFolder = FileSettings::fromDestination(
            fileDestination(plain.fileName(), QStringLiteral("csv"), QStringLiteral("snapshot")));
        QVERIFY(!notAFolder.has_value());
        QVERIFY2(notAFolder.error().message.contains(QStringLiteral("not a folder")),
            qPrintable(notAFolder.error().message));
    }

    void unwritableFolderIsAClearError()
    {
        QTemporaryDir parent;
        QString folder = parent.filePath(QStringLiteral("locked"));
        QVERIFY(QDir().mkdir(folder));
        QVERIFY(QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        if (geteuid() == 0)
            folder = QStringLiteral("/proc"); // root ignores permission bits; nobody can create files in /proc
        auto settings
            = FileSettings::fromDestination(fileDestination(folder, QStringLiteral("csv"), QStringLiteral("snapshot")));
        QFile::setPermissions(parent.filePath(QStringLiteral("locked")),
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QVERIFY(!settings.has_value());
        QCOMPARE(settings.error().code, QStringLiteral("file.folder_not_writable"));
        QVERIFY2(settings.error().message.contains(folder), qPrintable(settings.error().message));
        QVERIFY2(settings.error().message.contains(QStringLiteral("writable")), qPrintable(settings.error().message));
    }

    void unknownChoicesAndMissingFolderSettingAreRejected()
    {
        QTemporaryDir folder;
        auto badFormat = FileSettings::fromDestination(
            fileDestination(folder.path(), QStringLiteral("xlsx"), QStringLiteral("snapshot")));
        QVERIFY(!badFormat.has_value());
        QVERIFY2(
            badFormat.error().message.contains(QStringLiteral("csv or jsonl")), qPrintable(badFormat.error().message));
        auto badLayout = FileSettings::fromDestination(
            fileDestination(folder.path(), QStringLiteral("csv"), QStringLiteral("mirror")));
        QVERIFY(!badLayout.has_value());
        QVERIFY2(badLayout.error().message.contains(QStringLiteral("snapshot or changes")),
            qPrintable(badLayout.error().message));
        DestinationDef noFolder = fileDestination(QString(), QStringLiteral("csv"), QStringLiteral("snapshot"));
        auto missing = FileSettings::fromDestination(noFolder);
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().code, QStringLiteral("file.settings"));

        DestinationDef defaults;
        defaults.name = QStringLiteral("d");
        defaults.settings = { { QStringLiteral("folder"), folder.path() } };
        auto settings = FileSettings::fromDestination(defaults);
        QVERIFY(settings.has_value());
        QCOMPARE(settings->format, syncline::connectors::file::Format::Jsonl);
        QCOMPARE(settings->layout, syncline::connectors::file::Layout::Snapshot);
    }
};

QTEST_GUILESS_MAIN(FileDestinationTest)
#include "tst_filedestination.moc"
