// The SQLite table destination's direct path (the sqlite3 C API instead of the ODBC driver), as a
// user meets it: values stored exactly as the ODBC path stored them, a row that breaks a NOT NULL
// or CHECK constraint rejected alone with the column named while its neighbours land, a reader
// holding the database open while a batch commits, and a process killed in the middle of a batch
// leaving none of that batch behind (a child process of this test is killed by SIGKILL).

#include "tablefixture.h"

#include "connectors/database/sqldialect.h"
#include "connectors/database/sqlitefile.h"
#include "connectors/database/sqlitetablewriter.h"
#include "connectors/database/tablecatalog.h"
#include "connectors/database/tablewriter.h"

#include <QProcess>

#include <sqlite3.h>
#include <csignal>

#include <atomic>
#include <numeric>
#include <random>
#include <thread>

using namespace tabletest;
using namespace syncline::engine;
using namespace syncline::connectors::database;
using connector::Operation;
using connector::OutgoingRecord;

namespace {

#define VERIFY_OK(result) QVERIFY2((result).has_value(), qPrintable((result) ? QString() : (result).error().toString()))

const char *const kCrashChild = "SYNCLINE_SQLITE_CRASH_CHILD";

// Runs `sql` on the file with sqlite3 directly (set-up and checks without the code under test).
QStringList query(const QString &path, const QString &sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    sqlite3_busy_timeout(db, 10000);
    QStringList out;
    const QByteArray utf8 = sql.toUtf8();
    const char *tail = utf8.constData();
    while (tail && *tail) {
        sqlite3_stmt *statement = nullptr;
        if (sqlite3_prepare_v2(db, tail, -1, &statement, &tail) != SQLITE_OK)
            qFatal("SQL failed (%s): %s", tail, sqlite3_errmsg(db));
        if (!statement)
            break;
        int rc;
        while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
            QStringList cells;
            for (int c = 0; c < sqlite3_column_count(statement); ++c)
                cells << (sqlite3_column_type(statement, c) == SQLITE_NULL
                              ? QStringLiteral("∅")
                              : QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(statement, c))));
            out << cells.join(QLatin1Char('|'));
        }
        if (rc != SQLITE_DONE)
            qFatal("SQL failed (%s): %s", qPrintable(sql), sqlite3_errmsg(db));
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return out;
}

DestinationDef destinationFor(const QString &connection)
{
    return DestinationDef{QStringLiteral("dest"), QStringLiteral("sqlite"), {{QStringLiteral("connection"), connection}}, {}};
}

std::unique_ptr<connector::Connector> connectorFor(connector::ConnectorRegistry &registry, const QString &connection)
{
    synctest::NullSecrets secrets;
    auto created = registry.create(destinationFor(connection), secrets);
    if (!created)
        qFatal("cannot create the connector: %s", qPrintable(created.error().toString()));
    return std::move(*created);
}

connector::RunContext idNameContext()
{
    connector::RunContext context;
    context.matchField = QStringLiteral("id");
    context.fields = {{QStringLiteral("id"), {}, connector::FieldType::Integer, false, false, true},
                      {QStringLiteral("name"), {}, connector::FieldType::Text}};
    return context;
}

OutgoingRecord upsert(int id, const std::string &rest)
{
    return OutgoingRecord{std::to_string(id), Operation::Upsert, "{\"id\":" + std::to_string(id) + rest + "}", {}};
}

std::vector<OutgoingRecord> range(int first, int last)
{
    std::vector<OutgoingRecord> records;
    for (int id = first; id <= last; ++id)
        records.push_back(upsert(id, ",\"name\":\"n" + std::to_string(id) + "\""));
    return records;
}

// The child of crashMidBatchLeavesNoPartialBatch: SQL function crash() kills this process the way
// `kill -9` would; a trigger on the table calls it in the middle of the second batch.
void killNow(sqlite3_context *, int, sqlite3_value **)
{
    std::raise(SIGKILL);
}

int registerCrash(sqlite3 *db, char **, const sqlite3_api_routines *)
{
    return sqlite3_create_function(db, "crash", 0, SQLITE_UTF8, nullptr, killNow, nullptr, nullptr);
}

int crashChild(const QString &spec)
{
    const QStringList parts = spec.split(QLatin1Char('|'));
    sqlite3_auto_extension(reinterpret_cast<void (*)()>(registerCrash));
    connector::ConnectorRegistry registry;
    syncline::connectors::registerBuiltinConnectors(registry);
    auto destination = connectorFor(registry, parts.at(0));
    destination->setRunContext(idNameContext());
    if (!destination->beginRun(parts.at(1)))
        return 2;
    if (!destination->deliver({parts.at(1), range(1, 1000)}, {}))
        return 3;
    (void)destination->deliver({parts.at(1), range(1001, 2000)}, {}); // killed at id 1500
    return 4;
}

} // namespace

class SqliteTableDestinationTest : public QObject
{
    Q_OBJECT

private slots:
    // Each value goes in as the text the ODBC path bound, so every declared type's affinity stores
    // the same type and value: compared cell by cell with TableWriter writing through the driver.
    void valuesAreStoredAsTheOdbcPathStoredThem()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("same.sqlite"));
        const QString columns = QStringLiteral("(id INTEGER PRIMARY KEY, t TEXT, n NUMERIC, r REAL, i INTEGER, b BOOLEAN, "
                                               "d DATE, ts TIMESTAMP, j JSON, v VARCHAR(5), u)");
        query(path, QStringLiteral("CREATE TABLE viaodbc %1; CREATE TABLE direct %1").arg(columns));
        const std::vector<std::string> values = {"3", "12.50", "1e3", "-0", "\"007\"", "\"12\"", "\"1.5e2\"", "true", "false",
                                                 "null", "\"a \\\"quoted\\\" \\u00e9 🎉\"", "{\"a\":[1,2]}", "[]", "\"\"",
                                                 "\"2024-03-01T10:15:00Z\"", "9223372036854775807", "123456789012345678901"};
        std::vector<OutgoingRecord> records;
        for (size_t k = 0; k < values.size(); ++k) {
            std::string payload = "{\"id\":" + std::to_string(k + 1);
            for (const char *column : {"t", "n", "r", "i", "b", "d", "ts", "j", "v", "u"})
                payload += ",\"" + std::string(column) + "\":" + values[k];
            records.push_back(OutgoingRecord{std::to_string(k + 1), Operation::Upsert, payload + "}", {}});
        }
        const connector::Batch batch{QStringLiteral("x"), records};
        const auto dialect = makeDialect(Flavor::SQLite);

        Target t;
        t.type = QStringLiteral("sqlite");
        t.connection = path;
        auto odbc = open(t);
        auto described = describeTable(*odbc, *dialect, TableName{{}, QStringLiteral("viaodbc")});
        VERIFY_OK(described);
        VERIFY_OK(odbc->setAutoCommit(false));
        TableWriter viaOdbc(*odbc, *dialect, TableName{{}, QStringLiteral("viaodbc")}, *described, QStringLiteral("id"));
        auto odbcOutcomes = viaOdbc.write(batch, {});
        VERIFY_OK(odbcOutcomes);
        odbc.reset();

        auto options = directSqliteOptions(QStringLiteral("Driver={SQLite3};Database=") + path);
        QVERIFY(options);
        auto file = SqliteFile::open(*options, QStringLiteral("dest"));
        VERIFY_OK(file);
        SqliteTableWriter direct(std::move(*file), *dialect, TableName{{}, QStringLiteral("direct")}, *described, QStringLiteral("id"));
        auto directOutcomes = direct.write(batch, {});
        VERIFY_OK(directOutcomes);

        QCOMPARE(directOutcomes->size(), odbcOutcomes->size());
        for (size_t k = 0; k < records.size(); ++k)
            QVERIFY2((*directOutcomes)[k].accepted == (*odbcOutcomes)[k].accepted, records[k].payload.c_str());
        QString cells;
        for (const char *column : {"t", "n", "r", "i", "b", "d", "ts", "j", "v", "u"})
            cells += QStringLiteral(", typeof(%1), quote(%1)").arg(QLatin1String(column));
        const QString select = QStringLiteral("SELECT id%1 FROM %2 ORDER BY id").arg(cells);
        const QStringList expected = query(path, select.arg(QStringLiteral("viaodbc")));
        QCOMPARE(expected.size(), qsizetype(values.size()));
        QCOMPARE(query(path, select.arg(QStringLiteral("direct"))), expected);
    }

    // Random batches of every operation (inserts of existing keys, updates of missing ones, clears,
    // deletes, rows breaking NOT NULL and CHECK, payloads without a key or not an object) give the
    // same per-record outcomes and messages, and leave the same table, through both paths. The ODBC
    // driver appends SQLite's result code to its messages (" (19)"); the direct path does not.
    void everyOperationHasTheOutcomesOfTheOdbcPath()
    {
        QTemporaryDir dir;
        const QString odbcPath = dir.filePath(QStringLiteral("odbc.sqlite"));
        const QString directPath = dir.filePath(QStringLiteral("direct.sqlite"));
        const QString create = QStringLiteral("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', "
                                              "age INTEGER CHECK (age >= 0), note TEXT)");
        query(odbcPath, create);
        query(directPath, create);
        const auto dialect = makeDialect(Flavor::SQLite);
        const TableName table{{}, QStringLiteral("people")};
        Target t;
        t.type = QStringLiteral("sqlite");
        t.connection = odbcPath;
        auto odbc = open(t);
        auto columns = describeTable(*odbc, *dialect, table);
        VERIFY_OK(columns);
        VERIFY_OK(odbc->setAutoCommit(false));
        TableWriter viaOdbc(*odbc, *dialect, table, *columns, QStringLiteral("id"));
        auto file = SqliteFile::open(*directSqliteOptions(QStringLiteral("Database=") + directPath), QStringLiteral("dest"));
        VERIFY_OK(file);
        SqliteTableWriter direct(std::move(*file), *dialect, table, *columns, QStringLiteral("id"));

        QRandomGenerator random(20261201);
        const Operation operations[] = {Operation::Upsert, Operation::Upsert, Operation::Insert, Operation::Update,
                                        Operation::Delete, Operation::Clear};
        static const QRegularExpression driverCode(QStringLiteral(" \\(\\d+\\)$"));
        int rejections = 0;
        QSet<QString> kinds;
        for (int round = 0; round < 40; ++round) {
            std::vector<int> keys(40);
            std::iota(keys.begin(), keys.end(), 1);
            std::shuffle(keys.begin(), keys.end(), std::mt19937(round));
            connector::Batch batch{QStringLiteral("people"), {}};
            for (int r = 0; r < 15; ++r) {
                const int id = keys[size_t(r)];
                const Operation op = operations[random.bounded(6)];
                std::string payload = "{\"id\":" + std::to_string(id);
                const int roll = random.bounded(20);
                if (roll == 0)
                    payload = "{\"name\":\"no key\"";
                if (random.bounded(3))
                    payload += roll == 1 ? ",\"name\":null" : ",\"name\":\"n" + std::to_string(id) + "-" + std::to_string(round) + "\"";
                if (random.bounded(2))
                    payload += ",\"age\":" + std::to_string(roll == 2 ? -1 : int(random.bounded(90)));
                if (random.bounded(2))
                    payload += random.bounded(2) ? ",\"note\":null" : ",\"note\":\"x\\\"y\"";
                payload += "}";
                if (roll == 3)
                    payload = "[1,2]";
                batch.records.push_back(OutgoingRecord{std::to_string(id), op, payload, {}});
            }
            auto expected = viaOdbc.write(batch, {});
            VERIFY_OK(expected);
            auto got = direct.write(batch, {});
            VERIFY_OK(got);
            for (size_t r = 0; r < batch.records.size(); ++r) {
                const QString context = QString::fromStdString(std::string(connector::operationName(batch.records[r].operation).toStdString())
                                                               + " " + batch.records[r].payload);
                QVERIFY2((*got)[r].accepted == (*expected)[r].accepted, qPrintable(context));
                QCOMPARE((*got)[r].error, QString((*expected)[r].error).remove(driverCode));
                rejections += (*got)[r].accepted ? 0 : 1;
                if (!(*got)[r].accepted)
                    kinds.insert((*got)[r].error.section(QLatin1Char(':'), 0, 0));
            }
        }
        // The rounds met every kind of rejection, not only clean rows.
        qInfo("%d rejections: %s", rejections, qPrintable(QStringList(kinds.begin(), kinds.end()).join(QStringLiteral("; "))));
        QCOMPARE(kinds.size(), qsizetype(6));
        odbc.reset();
        const QString select = QStringLiteral("SELECT id, typeof(name), quote(name), typeof(age), quote(age), quote(note) FROM people ORDER BY id");
        const QStringList expectedRows = query(odbcPath, select);
        QVERIFY(expectedRows.size() > 10);
        QCOMPARE(query(directPath, select), expectedRows);
    }

    void rowBreakingNotNullOrCheckIsRejectedAloneNamingTheColumn()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("strict.sqlite"));
        query(path, QStringLiteral("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                                   "age INTEGER CHECK (age >= 0), email TEXT UNIQUE ON CONFLICT ROLLBACK)"));
        connector::ConnectorRegistry registry;
        syncline::connectors::registerBuiltinConnectors(registry);
        auto destination = connectorFor(registry, path);
        auto context = idNameContext();
        context.fields.push_back({QStringLiteral("age"), {}, connector::FieldType::Integer});
        context.fields.push_back({QStringLiteral("email"), {}, connector::FieldType::Text});
        destination->setRunContext(context);
        VERIFY_OK(destination->beginRun(QStringLiteral("people")));

        std::vector<OutgoingRecord> records;
        for (int id = 1; id <= 10; ++id) {
            const std::string name = id == 3 ? "null" : "\"p" + std::to_string(id) + "\"";
            const std::string age = id == 7 ? "-1" : std::to_string(20 + id);
            const std::string email = id == 9 ? "\"p1@x\"" : "\"p" + std::to_string(id) + "@x\""; // 9 repeats 1's email
            records.push_back(upsert(id, ",\"name\":" + name + ",\"age\":" + age + ",\"email\":" + email));
        }
        records.push_back(upsert(11, "")); // only the key: nothing else to write, lands as a row of NULLs... but name is NOT NULL
        records.push_back(OutgoingRecord{"x", Operation::Upsert, "{\"id\":\"x\",\"name\":\"bad key\"}", {}});
        auto outcomes = destination->deliver({QStringLiteral("people"), records}, {});
        VERIFY_OK(outcomes);
        QCOMPARE(outcomes->size(), records.size());
        for (int id : {1, 2, 4, 5, 6, 8, 10})
            QVERIFY2((*outcomes)[size_t(id - 1)].accepted, qPrintable(QString::number(id) + (*outcomes)[size_t(id - 1)].error));
        const QString notNull = (*outcomes)[2].error;
        QVERIFY2(!(*outcomes)[2].accepted && notNull.contains(QLatin1String("NOT NULL")) && notNull.contains(QLatin1String("name")),
                 qPrintable(notNull));
        const QString check = (*outcomes)[6].error;
        QVERIFY2(!(*outcomes)[6].accepted && check.contains(QLatin1String("CHECK")) && check.contains(QLatin1String("age")),
                 qPrintable(check));
        // A constraint whose conflict clause rolls the whole transaction back still costs only its row.
        const QString unique = (*outcomes)[8].error;
        QVERIFY2(!(*outcomes)[8].accepted && unique.contains(QLatin1String("UNIQUE")) && unique.contains(QLatin1String("email")),
                 qPrintable(unique));
        QVERIFY2(!(*outcomes)[10].accepted && (*outcomes)[10].error.contains(QLatin1String("name")), qPrintable((*outcomes)[10].error));
        // A key the INTEGER PRIMARY KEY cannot hold names the key column.
        QVERIFY2(!(*outcomes)[11].accepted && (*outcomes)[11].error.contains(QLatin1String("\"id\"")), qPrintable((*outcomes)[11].error));
        qInfo("rejections: %s; %s; %s; %s", qPrintable(notNull), qPrintable(check), qPrintable(unique),
              qPrintable((*outcomes)[11].error));
        QCOMPARE(query(path, QStringLiteral("SELECT group_concat(id) FROM (SELECT id FROM people ORDER BY id)")),
                 QStringList{QStringLiteral("1,2,4,5,6,8,10")});

        // The fixed rows go out with the next batch of the same run.
        auto fixed = destination->deliver({QStringLiteral("people"), {upsert(3, ",\"name\":\"p3\",\"age\":1,\"email\":\"p3@x\"")}}, {});
        VERIFY_OK(fixed);
        QVERIFY((*fixed)[0].accepted);
        VERIFY_OK(destination->finishRun(true));
        QCOMPARE(query(path, QStringLiteral("SELECT name, age FROM people WHERE id = 3")), QStringList{QStringLiteral("p3|1")});
    }

    // A reader in the middle of a read transaction (a report, the sqlite3 shell) makes the batch's
    // commit wait, not fail: the writer waits for it (the driver's busy timeout) and the batch lands.
    void readerHoldingTheDatabaseDoesNotBreakTheRun()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("shared.sqlite"));
        query(path, QStringLiteral("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO people VALUES (0, 'zero')"));
        connector::ConnectorRegistry registry;
        syncline::connectors::registerBuiltinConnectors(registry);
        auto destination = connectorFor(registry, path);
        destination->setRunContext(idNameContext());
        VERIFY_OK(destination->beginRun(QStringLiteral("people")));

        std::atomic<bool> holding = false, sawCommitWaiting = false, stop = false;
        std::thread reader([&] {
            sqlite3 *db = nullptr, *probe = nullptr;
            sqlite3_open(path.toUtf8().constData(), &db);
            sqlite3_open(path.toUtf8().constData(), &probe);
            sqlite3_exec(db, "BEGIN; SELECT COUNT(*) FROM people", nullptr, nullptr, nullptr); // holds a shared lock
            holding = true;
            // The writer asks for the commit's exclusive lock when a new reader is refused (PENDING).
            while (!stop && !sawCommitWaiting) {
                if (sqlite3_exec(probe, "SELECT COUNT(*) FROM people", nullptr, nullptr, nullptr) == SQLITE_BUSY)
                    sawCommitWaiting = true;
                else
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(200)); // the writer keeps waiting meanwhile
            sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
            sqlite3_close(probe);
            sqlite3_close(db);
        });
        while (!holding)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        auto outcomes = destination->deliver({QStringLiteral("people"), range(1, 500)}, {});
        stop = true;
        reader.join();
        VERIFY_OK(outcomes);
        QVERIFY(sawCommitWaiting);
        QVERIFY(std::all_of(outcomes->begin(), outcomes->end(), [](const connector::RecordOutcome &o) { return o.accepted; }));
        VERIFY_OK(destination->finishRun(true));
        QCOMPARE(query(path, QStringLiteral("SELECT COUNT(*) FROM people")), QStringList{QStringLiteral("501")});
    }

    // A writer that keeps the file locked past the connection's Timeout= fails the batch as
    // retryable (the runner tries it again) and writes nothing; a cancelled run writes nothing.
    void lockedDatabaseFailsTheBatchAsRetryableAndCancellationWritesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("locked.sqlite"));
        query(path, QStringLiteral("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT)"));
        connector::ConnectorRegistry registry;
        syncline::connectors::registerBuiltinConnectors(registry);
        auto destination = connectorFor(registry, QStringLiteral("Driver={SQLite3};Database=%1;Timeout=50").arg(path));
        destination->setRunContext(idNameContext());
        VERIFY_OK(destination->beginRun(QStringLiteral("people")));

        sqlite3 *other = nullptr;
        sqlite3_open(path.toUtf8().constData(), &other);
        QCOMPARE(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO people VALUES (100, 'other')", nullptr, nullptr, nullptr), SQLITE_OK);
        auto locked = destination->deliver({QStringLiteral("people"), range(1, 10)}, {});
        QVERIFY(!locked);
        QVERIFY2(locked.error().retryable && locked.error().message.contains(QLatin1String("people"))
                     && locked.error().message.contains(QLatin1String("locked")),
                 qPrintable(locked.error().toString()));
        sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
        sqlite3_close(other);
        auto again = destination->deliver({QStringLiteral("people"), range(1, 10)}, {}); // reconnects and lands
        VERIFY_OK(again);
        QCOMPARE(query(path, QStringLiteral("SELECT COUNT(*) FROM people")), QStringList{QStringLiteral("11")});

        const CancellationToken cancel;
        cancel.cancel();
        auto cancelled = destination->deliver({QStringLiteral("people"), range(11, 20)}, cancel);
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.error().code, QStringLiteral("database.cancelled"));
        VERIFY_OK(destination->finishRun(false));
        QCOMPARE(query(path, QStringLiteral("SELECT COUNT(*) FROM people")), QStringList{QStringLiteral("11")});
    }

    // A process killed while a batch is half written (here by SIGKILL from a trigger at the 500th
    // row of the second batch) leaves the first batch whole and nothing of the second.
    void crashMidBatchLeavesNoPartialBatch()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("crash.sqlite"));
        query(path, QStringLiteral("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);"
                                   "CREATE TRIGGER boom AFTER INSERT ON people WHEN NEW.id = 1500 BEGIN SELECT crash(); END"));
        QProcess child;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QLatin1String(kCrashChild), path + QStringLiteral("|people"));
        child.setProcessEnvironment(environment);
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForFinished(120000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit); // killed in the middle, as planned
        QCOMPARE(query(path, QStringLiteral("SELECT COUNT(*), MIN(id), MAX(id) FROM people")),
                 QStringList{QStringLiteral("1000|1|1000")});
        QCOMPARE(query(path, QStringLiteral("PRAGMA integrity_check")), QStringList{QStringLiteral("ok")});
    }

    // What a connection string means to the driver is what it means to the direct path.
    void connectionStringOptionsFollowTheDriver()
    {
        auto plain = directSqliteOptions(QStringLiteral("Driver={SQLite3};Database={/tmp/a;b.sqlite};"));
        QVERIFY(plain);
        QCOMPARE(plain->path, QStringLiteral("/tmp/a;b.sqlite"));
        QCOMPARE(plain->busyTimeoutMs, 100000);
        QCOMPARE(plain->synchronous, QStringLiteral("NORMAL"));
        QVERIFY(plain->create && !plain->foreignKeys);
        auto tuned = directSqliteOptions(QStringLiteral("Driver=SQLite3;database=/x.db;Timeout=2500;SyncPragma=FULL;"
                                                        "JournalMode=WAL;FKSupport=yes;NoCreat=1"));
        QVERIFY(tuned);
        QCOMPARE(tuned->busyTimeoutMs, 2500);
        QCOMPARE(tuned->synchronous, QStringLiteral("FULL"));
        QCOMPARE(tuned->journalMode, QStringLiteral("WAL"));
        QVERIFY(tuned->foreignKeys && !tuned->create);
        // A DSN keeps its file and options in odbc.ini, extensions need the driver: both stay on ODBC.
        QVERIFY(!directSqliteOptions(QStringLiteral("DSN=crm")));
        QVERIFY(!directSqliteOptions(QStringLiteral("DSN=crm;Database=/x.db")));
        QVERIFY(!directSqliteOptions(QStringLiteral("Driver={SQLite3};Database=/x.db;LoadExt=mod_spatialite")));
        QVERIFY(!directSqliteOptions(QStringLiteral("Driver={SQLite3};Database=/x.db;SyncPragma=OFF; DROP")));
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kCrashChild))
        return crashChild(qEnvironmentVariable(kCrashChild));
    SqliteTableDestinationTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_sqlitetabledestination.moc"
