// The postgresql, mariadb and sqlite table destinations against real databases (SQLite in a
// temporary file; PostgreSQL and MariaDB from scripts/test-services.sh, skipped without them):
// tables created from the mapping, syncs through the real planner and runner compared with the
// model by querying the table, bad rows rejected alone, clear errors for a table that does not
// fit, odd identifiers, and the per-record rules of insert, update and delete.

#include "tablefixture.h"

#include "connectors/database/tabledestination.h"
#include "engine/state/runstore.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace tabletest;
using namespace syncline::engine;
using connector::FieldType;
using connector::Operation;

namespace {

#define VERIFY_OK(result) QVERIFY2((result).has_value(), qPrintable((result) ? QString() : (result).error().toString()))

void addTargets()
{
    QTest::addColumn<QString>("type");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
    QTest::newRow("mariadb") << QStringLiteral("mariadb");
}

// The object name for `table`: schema-qualified where the database has schemas.
QString objectFor(const TableSetup &s, const QString &table)
{
    return s.t.schema.isEmpty() ? table : s.t.schema + QLatin1Char('.') + table;
}

QString quoted(const TableSetup &s, const QString &name)
{
    const QChar q = s.t.type == QLatin1String("mariadb") ? QLatin1Char('`') : QLatin1Char('"');
    QString text = name;
    text.replace(q, QString(2, q));
    return q + text + q;
}

QString qualified(const TableSetup &s, const QString &table)
{
    return s.t.schema.isEmpty() ? quoted(s, table) : quoted(s, s.t.schema) + QLatin1Char('.') + quoted(s, table);
}

// Booleans and timestamps read back the same whatever the database: 1/0, no zone suffix.
QString normalised(QString row)
{
    QStringList cells = row.split(QLatin1Char('|'));
    for (QString &cell : cells) {
        if (cell == QLatin1String("true"))
            cell = QStringLiteral("1");
        else if (cell == QLatin1String("false"))
            cell = QStringLiteral("0");
        static const QRegularExpression timestamp(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:"));
        if (timestamp.match(cell).hasMatch())
            cell[10] = QLatin1Char('T');
        if (cell.endsWith(QLatin1Char('Z')))
            cell.chop(1);
        if (cell.endsWith(QLatin1String(".000000")))
            cell.chop(7);
    }
    return cells.join(QLatin1Char('|'));
}

QStringList normalised(const QStringList &rows)
{
    QStringList out;
    for (const QString &row : rows)
        out << normalised(row);
    return out;
}

void createPeople(TableSetup &s)
{
    s.warehouse->exec("DROP TABLE people; CREATE TABLE people (id INTEGER, email TEXT, name TEXT, score REAL, "
                      "seats INTEGER, active INTEGER, signed TEXT, seen TEXT, tags TEXT)");
}

} // namespace

class TableDestinationTest : public QObject
{
    Q_OBJECT

private slots:
    void tableIsCreatedFromTheMappingAndFollowsTheModel_data() { addTargets(); }
    void tableIsCreatedFromTheMappingAndFollowsTheModel()
    {
        QFETCH(QString, type);
        TableSetup s(type);
        if (s.skipped())
            QSKIP(qPrintable(s.t.skipReason));
        auto check = open(s.t);
        if (type == QLatin1String("postgresql"))
            exec(*check, QStringLiteral("CREATE SCHEMA IF NOT EXISTS analytics"));
        createPeople(s);
        s.warehouse->exec("INSERT INTO people VALUES "
                          "(1, 'ann@example.com', 'Ann 🎉 Ökonom', 12.5, 3, 1, '2024-03-01', '2024-03-01T10:15:00Z', '{\"a\":[1,2]}'),"
                          "(2, 'bob@example.com', 'Bob', NULL, 0, 0, '2023-12-31', '2023-12-31T23:59:59Z', '[]'),"
                          "(3, 'cy@example.com', 'Cy''s', -1.25, 100, 1, NULL, NULL, NULL)");
        const QString table = uniqueName(QStringLiteral("contacts"));
        s.sync.object = objectFor(s, table);
        s.sync.mode = SyncMode::Mirror;
        s.map(QStringLiteral("id"), QStringLiteral("id"), QStringLiteral("integer"));
        s.map(QStringLiteral("email"), QStringLiteral("email"));
        s.map(QStringLiteral("name"), QStringLiteral("name"));
        s.map(QStringLiteral("score"), QStringLiteral("score"), QStringLiteral("number"));
        s.map(QStringLiteral("seats"), QStringLiteral("seats"), QStringLiteral("integer"));
        s.map(QStringLiteral("active"), QStringLiteral("active"), QStringLiteral("boolean"));
        s.map(QStringLiteral("signed"), QStringLiteral("signed_on"), QStringLiteral("date"));
        s.map(QStringLiteral("seen"), QStringLiteral("last_seen"), QStringLiteral("timestamp"));
        s.map(QStringLiteral("tags"), QStringLiteral("tags"));
        s.saveSync();

        auto first = s.run();
        VERIFY_OK(first);
        QCOMPARE(first->status, QStringLiteral("succeeded"));
        QCOMPARE(first->counts.accepted, qint64(3));

        // The created table: the match field is the key, the casts gave the column types.
        auto object = s.connector()->object(s.sync.object);
        VERIFY_OK(object);
        QVERIFY(!object->acceptsAnyField);
        std::map<QString, connector::FieldSpec> fields;
        for (const auto &field : object->fields)
            fields[field.name] = field;
        QCOMPARE(fields.size(), size_t(9));
        QVERIFY(fields[QStringLiteral("id")].identifier);
        QVERIFY(fields[QStringLiteral("id")].required);
        QVERIFY(!fields[QStringLiteral("email")].identifier);
        QCOMPARE(fields[QStringLiteral("id")].type, FieldType::Integer);
        QCOMPARE(fields[QStringLiteral("seats")].type, FieldType::Integer);
        QCOMPARE(fields[QStringLiteral("score")].type, FieldType::Number);
        QCOMPARE(fields[QStringLiteral("active")].type, type == QLatin1String("mariadb") ? FieldType::Boolean : FieldType::Boolean);
        QCOMPARE(fields[QStringLiteral("signed_on")].type, FieldType::Date);
        QCOMPARE(fields[QStringLiteral("last_seen")].type, FieldType::Timestamp);
        QCOMPARE(fields[QStringLiteral("email")].type, FieldType::Text);
        QVERIFY(!fields[QStringLiteral("id")].caseInsensitive);

        const QString select = QStringLiteral("SELECT id, email, name, score, seats, active, signed_on, last_seen FROM %1 ORDER BY id")
                                   .arg(qualified(s, table));
        QCOMPARE(normalised(rows(*check, select)),
                 QStringList({QStringLiteral("1|ann@example.com|Ann 🎉 Ökonom|12.5|3|1|2024-03-01|2024-03-01T10:15:00"),
                              QStringLiteral("2|bob@example.com|Bob|∅|0|0|2023-12-31|2023-12-31T23:59:59"),
                              QStringLiteral("3|cy@example.com|Cy's|-1.25|100|1|∅|∅")}));
        const QStringList tags = rows(*check, QStringLiteral("SELECT tags FROM %1 ORDER BY id").arg(qualified(s, table)));
        QCOMPARE(QJsonDocument::fromJson(tags.value(0).toUtf8()).object().value(QStringLiteral("a")).toArray().size(), 2);

        // An update, a removal and a new row: the table follows the model.
        s.warehouse->exec("UPDATE people SET name = 'Bobby', active = 1 WHERE id = 2; DELETE FROM people WHERE id = 3; "
                          "INSERT INTO people VALUES (4, 'di@example.com', 'Di', 7, 1, 0, '2025-01-02', NULL, NULL)");
        auto second = s.run();
        VERIFY_OK(second);
        QCOMPARE(second->status, QStringLiteral("succeeded"));
        QCOMPARE(second->counts.accepted, qint64(3));
        QCOMPARE(normalised(rows(*check, select)),
                 QStringList({QStringLiteral("1|ann@example.com|Ann 🎉 Ökonom|12.5|3|1|2024-03-01|2024-03-01T10:15:00"),
                              QStringLiteral("2|bob@example.com|Bobby|∅|0|1|2023-12-31|2023-12-31T23:59:59"),
                              QStringLiteral("4|di@example.com|Di|7|1|0|2025-01-02|∅")}));
        exec(*check, QStringLiteral("DROP TABLE %1").arg(qualified(s, table)));
    }

    void removedRowsAreClearedWhenTheSyncSaysSo_data() { addTargets(); }
    void removedRowsAreClearedWhenTheSyncSaysSo()
    {
        QFETCH(QString, type);
        TableSetup s(type, RemovedRowAction::Clear);
        if (s.skipped())
            QSKIP(qPrintable(s.t.skipReason));
        auto check = open(s.t);
        createPeople(s);
        s.warehouse->exec("INSERT INTO people (id, email, name, seats) VALUES (1, 'a@x', 'A', 1), (2, 'b@x', 'B', 2), (3, 'c@x', 'C', 3)");
        const QString table = uniqueName(QStringLiteral("cleared"));
        s.sync.object = table;
        s.map(QStringLiteral("id"), QStringLiteral("id"), QStringLiteral("integer"));
        s.map(QStringLiteral("email"), QStringLiteral("email"));
        s.map(QStringLiteral("seats"), QStringLiteral("seats"), QStringLiteral("integer"));
        s.saveSync();
        VERIFY_OK(s.run());
        s.warehouse->exec("DELETE FROM people WHERE id = 2");
        auto run = s.run();
        VERIFY_OK(run);
        QCOMPARE(run->status, QStringLiteral("succeeded"));
        QCOMPARE(rows(*check, QStringLiteral("SELECT id, email, seats FROM %1 ORDER BY id").arg(quoted(s, table))),
                 QStringList({QStringLiteral("1|a@x|1"), QStringLiteral("2|∅|∅"), QStringLiteral("3|c@x|3")}));
        exec(*check, QStringLiteral("DROP TABLE %1").arg(quoted(s, table)));
    }

    void badRowIsRejectedAloneWhileTheRestLand_data() { addTargets(); }
    void badRowIsRejectedAloneWhileTheRestLand()
    {
        QFETCH(QString, type);
        TableSetup s(type);
        if (s.skipped())
            QSKIP(qPrintable(s.t.skipReason));
        auto check = open(s.t);
        const QString table = uniqueName(QStringLiteral("strict"));
        // An existing table with a length limit (SQLite: a CHECK) and a NOT NULL column.
        if (type == QLatin1String("sqlite"))
            exec(*check, QStringLiteral("CREATE TABLE %1 (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (length(name) <= 10), "
                                        "score NUMERIC)").arg(quoted(s, table)));
        else
            exec(*check, QStringLiteral("CREATE TABLE %1 (id BIGINT PRIMARY KEY, name VARCHAR(10) NOT NULL, score %2)")
                             .arg(quoted(s, table), type == QLatin1String("mariadb") ? QStringLiteral("DOUBLE") : QStringLiteral("NUMERIC")));
        createPeople(s);
        for (int id = 1; id <= 50; ++id) {
            const std::string name = id == 17 ? "'a name much too long'" : id == 33 ? "NULL" : "'n" + std::to_string(id) + "'";
            s.warehouse->exec("INSERT INTO people (id, name, score) VALUES (" + std::to_string(id) + ", " + name + ", "
                              + std::to_string(id) + ".5)");
        }
        s.sync.object = table;
        s.map(QStringLiteral("id"), QStringLiteral("id"), QStringLiteral("integer"));
        s.map(QStringLiteral("name"), QStringLiteral("name"));
        s.map(QStringLiteral("score"), QStringLiteral("score"), QStringLiteral("number"));
        s.saveSync();

        auto run = s.run();
        VERIFY_OK(run);
        QVERIFY2(run->status == QLatin1String("partial"), qPrintable(run->status + QLatin1Char(' ') + run->error));
        QCOMPARE(run->counts.accepted, qint64(48));
        QCOMPARE(run->counts.rejected, qint64(2));
        const QString count = QStringLiteral("SELECT COUNT(*), SUM(id) FROM %1").arg(quoted(s, table));
        QCOMPARE(rows(*check, count), QStringList{QStringLiteral("48|%1").arg(50 * 51 / 2 - 17 - 33)});

        state::RunStore runs(*s.workspace);
        const qint64 syncId = *state::DefinitionStore(*s.workspace).syncId(s.sync.name);
        auto tooLong = runs.outcomesForKey(syncId, "17", 1);
        VERIFY_OK(tooLong);
        QCOMPARE(tooLong->size(), size_t(1));
        QVERIFY(!tooLong->front().accepted);
        QVERIFY2(!tooLong->front().error.isEmpty() && !tooLong->front().error.contains(QLatin1String("[")),
                 qPrintable(tooLong->front().error));
        auto missing = runs.outcomesForKey(syncId, "33", 1);
        VERIFY_OK(missing);
        QVERIFY2(missing->front().error.contains(QLatin1String("null"), Qt::CaseInsensitive), qPrintable(missing->front().error));
        qInfo("rejections: 17: %s; 33: %s", qPrintable(tooLong->front().error), qPrintable(missing->front().error));

        // Fixed in the model, the rejected row goes out with the next run; the other stays out.
        s.warehouse->exec("UPDATE people SET name = 'short' WHERE id = 17");
        auto again = s.run();
        VERIFY_OK(again);
        QCOMPARE(again->counts.accepted, qint64(1));
        QCOMPARE(again->counts.rejected, qint64(1));
        QCOMPARE(rows(*check, count), QStringList{QStringLiteral("49|%1").arg(50 * 51 / 2 - 33)});
        exec(*check, QStringLiteral("DROP TABLE %1").arg(quoted(s, table)));
    }

    void existingTableWithoutAMappedColumnIsAClearError_data() { addTargets(); }
    void existingTableWithoutAMappedColumnIsAClearError()
    {
        QFETCH(QString, type);
        TableSetup s(type);
        if (s.skipped())
            QSKIP(qPrintable(s.t.skipReason));
        auto check = open(s.t);
        const QString table = uniqueName(QStringLiteral("narrow"));
        exec(*check, QStringLiteral("CREATE TABLE %1 (id BIGINT PRIMARY KEY, name VARCHAR(50))").arg(quoted(s, table)));
        createPeople(s);
        s.warehouse->exec("INSERT INTO people (id, name, score) VALUES (1, 'a', 2)");
        s.sync.object = table;
        s.map(QStringLiteral("id"), QStringLiteral("id"), QStringLiteral("integer"));
        s.map(QStringLiteral("name"), QStringLiteral("name"));
        s.map(QStringLiteral("score"), QStringLiteral("score"), QStringLiteral("number"));
        s.saveSync();

        // The preview already refuses it, naming the table and the column.
        auto run = s.run();
        QVERIFY(!run);
        QVERIFY2(run.error().message.contains(table) && run.error().message.contains(QLatin1String("score")),
                 qPrintable(run.error().message));

        // A run that meets the table (say, altered since the preview) says how to add the column.
        auto destination = s.connector();
        connector::RunContext context;
        context.matchField = QStringLiteral("id");
        context.fields = {{QStringLiteral("id"), {}, FieldType::Integer, false, false, true},
                          {QStringLiteral("name"), {}, FieldType::Text},
                          {QStringLiteral("score"), {}, FieldType::Number}};
        destination->setRunContext(context);
        auto begun = destination->beginRun(table);
        QVERIFY(!begun);
        QCOMPARE(begun.error().code, QStringLiteral("database.missing_column"));
        QVERIFY2(begun.error().message.contains(table) && begun.error().message.contains(QLatin1String("ALTER TABLE"))
                     && begun.error().message.contains(QLatin1String("score")),
                 qPrintable(begun.error().message));
        QVERIFY(destination->finishRun(false));
        exec(*check, QStringLiteral("DROP TABLE %1").arg(quoted(s, table)));
    }

    void oddIdentifiersAreQuoted_data() { addTargets(); }
    void oddIdentifiersAreQuoted()
    {
        QFETCH(QString, type);
        TableSetup s(type);
        if (s.skipped())
            QSKIP(qPrintable(s.t.skipReason));
        auto check = open(s.t);
        createPeople(s);
        s.warehouse->exec("INSERT INTO people (id, email, name) VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B')");
        const QString table = uniqueName(QStringLiteral("Odd \"Mixed\" `Table`"));
        s.sync.object = table;
        s.sync.matchField = QStringLiteral("Contact Id");
        s.map(QStringLiteral("id"), QStringLiteral("Contact Id"), QStringLiteral("integer"));
        s.map(QStringLiteral("email"), QStringLiteral("e-mail; DROP"));
        s.map(QStringLiteral("name"), QStringLiteral("Full \"Name\" `x`"));
        s.saveSync();
        auto run = s.run();
        VERIFY_OK(run);
        QCOMPARE(run->status, QStringLiteral("succeeded"));
        s.warehouse->exec("UPDATE people SET name = 'B2' WHERE id = 2");
        auto second = s.run();
        VERIFY_OK(second);
        QCOMPARE(second->counts.accepted, qint64(1));
        QCOMPARE(rows(*check, QStringLiteral("SELECT %1, %2, %3 FROM %4 ORDER BY 1")
                                  .arg(quoted(s, QStringLiteral("Contact Id")), quoted(s, QStringLiteral("e-mail; DROP")),
                                       quoted(s, QStringLiteral("Full \"Name\" `x`")), quoted(s, table))),
                 QStringList({QStringLiteral("1|a@x|A"), QStringLiteral("2|b@x|B2")}));
        auto listed = s.connector()->objects();
        VERIFY_OK(listed);
        // Discovery lists the table under a name (quoted where it must be) that finds it again.
        const auto entry = std::find_if(listed->begin(), listed->end(), [&](const connector::ObjectSpec &o) {
            return o.name.contains(table.mid(table.lastIndexOf(QLatin1Char('_'))));
        });
        QVERIFY(entry != listed->end());
        auto described = s.connector()->object(entry->name);
        VERIFY_OK(described);
        QCOMPARE(described->fields.size(), size_t(3));
        QCOMPARE(described->fields[0].name, QStringLiteral("Contact Id"));
        QVERIFY(described->fields[0].identifier);
        exec(*check, QStringLiteral("DROP TABLE %1").arg(quoted(s, table)));
    }

    void insertUpdateAndDeleteFollowPerRecordRules_data() { addTargets(); }
    void insertUpdateAndDeleteFollowPerRecordRules()
    {
        QFETCH(QString, type);
        TableSetup s(type);
        if (s.skipped())
            QSKIP(qPrintable(s.t.skipReason));
        auto check = open(s.t);
        const QString table = uniqueName(QStringLiteral("rules"));
        auto destination = s.connector();
        connector::RunContext context;
        context.matchField = QStringLiteral("email");
        context.fields = {{QStringLiteral("email"), {}, FieldType::Text, false, false, true},
                          {QStringLiteral("n"), {}, FieldType::Integer}};
        destination->setRunContext(context);
        VERIFY_OK(destination->beginRun(table));
        auto record = [](const char *email, Operation op, int n) {
            return connector::OutgoingRecord{email, op, "{\"email\":\"" + std::string(email) + "\",\"n\":" + std::to_string(n) + "}", {}};
        };
        auto first = destination->deliver({table, {record("a@x", Operation::Upsert, 1), record("b@x", Operation::Upsert, 2)}}, {});
        VERIFY_OK(first);
        // One batch never holds a key twice (the plan has one row per key): inserts and updates
        // first, then deletes.
        auto second = destination->deliver({table,
                                            {record("b@x", Operation::Insert, 20), record("c@x", Operation::Insert, 3),
                                             record("z@x", Operation::Update, 9), record("a@x", Operation::Update, 10),
                                             record("A@x", Operation::Upsert, 11)}},
                                           {});
        VERIFY_OK(second);
        QCOMPARE(second->size(), size_t(5));
        QVERIFY(!(*second)[0].accepted);
        QVERIFY2((*second)[0].error.contains(QLatin1String("already exists")), qPrintable((*second)[0].error));
        QVERIFY((*second)[1].accepted);
        QVERIFY(!(*second)[2].accepted);
        QVERIFY2((*second)[2].error.contains(QLatin1String("no such record")), qPrintable((*second)[2].error));
        QVERIFY((*second)[3].accepted);
        QVERIFY((*second)[4].accepted);
        auto third = destination->deliver({table, {record("y@x", Operation::Delete, 0), record("b@x", Operation::Delete, 0)}}, {});
        VERIFY_OK(third);
        QVERIFY((*third)[0].accepted); // deleting what is not there is done
        QVERIFY((*third)[1].accepted);
        VERIFY_OK(destination->finishRun(true));
        // A created MariaDB text key compares case-sensitively (utf8mb4_bin): A@x is its own row.
        QCOMPARE(rows(*check, QStringLiteral("SELECT email, n FROM %1 ORDER BY email").arg(quoted(s, table))),
                 QStringList({QStringLiteral("A@x|11"), QStringLiteral("a@x|10"), QStringLiteral("c@x|3")}));
        exec(*check, QStringLiteral("DROP TABLE %1").arg(quoted(s, table)));
    }

    void lostConnectionFailsTheBatchAsRetryableAndTheNextOneReconnects_data()
    {
        QTest::addColumn<QString>("type");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
        QTest::newRow("mariadb") << QStringLiteral("mariadb");
    }
    void lostConnectionFailsTheBatchAsRetryableAndTheNextOneReconnects()
    {
        QFETCH(QString, type);
        TableSetup s(type);
        if (s.skipped())
            QSKIP(qPrintable(s.t.skipReason));
        auto check = open(s.t);
        const QString table = uniqueName(QStringLiteral("lost"));
        auto destination = s.connector();
        connector::RunContext context;
        context.matchField = QStringLiteral("id");
        context.fields = {{QStringLiteral("id"), {}, FieldType::Integer, false, false, true}, {QStringLiteral("name"), {}, FieldType::Text}};
        destination->setRunContext(context);
        VERIFY_OK(destination->beginRun(table));
        auto record = [](int id) {
            return connector::OutgoingRecord{std::to_string(id), Operation::Upsert,
                                             "{\"id\":" + std::to_string(id) + ",\"name\":\"n" + std::to_string(id) + "\"}", {}};
        };
        VERIFY_OK(destination->deliver({table, {record(1), record(2)}}, {}));

        // The server drops the destination's session (as a restart or a network cut would).
        if (type == QLatin1String("postgresql")) {
            (void)rows(*check, QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                                              "AND usename = current_user AND pid <> pg_backend_pid()"));
        } else {
            for (const QString &id : rows(*check, QStringLiteral("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = SUBSTRING_INDEX(CURRENT_USER(), '@', 1) "
                                                                 "AND ID <> CONNECTION_ID()")))
                (void)check->executeUpdate(QStringLiteral("KILL ") + id);
        }
        auto lost = destination->deliver({table, {record(3), record(4)}}, {});
        QVERIFY(!lost);
        QVERIFY2(lost.error().retryable, qPrintable(lost.error().toString()));
        auto again = destination->deliver({table, {record(3), record(4)}}, {});
        VERIFY_OK(again);
        QVERIFY((*again)[0].accepted && (*again)[1].accepted);
        VERIFY_OK(destination->finishRun(true));
        QCOMPARE(rows(*check, QStringLiteral("SELECT id, name FROM %1 ORDER BY id").arg(quoted(s, table))),
                 QStringList({QStringLiteral("1|n1"), QStringLiteral("2|n2"), QStringLiteral("3|n3"), QStringLiteral("4|n4")}));
        exec(*check, QStringLiteral("DROP TABLE %1").arg(quoted(s, table)));
    }

    void mariadbCaseInsensitiveKeyIsReported()
    {
        TableSetup s(QStringLiteral("mariadb"));
        if (s.skipped())
            QSKIP(qPrintable(s.t.skipReason));
        auto check = open(s.t);
        const QString table = uniqueName(QStringLiteral("ci"));
        exec(*check, QStringLiteral("CREATE TABLE `%1` (email VARCHAR(100) PRIMARY KEY, code VARCHAR(10) COLLATE utf8mb4_bin UNIQUE, "
                                    "note TEXT NOT NULL, extra INT NOT NULL DEFAULT 0) DEFAULT CHARSET=utf8mb4").arg(table));
        auto object = s.connector()->object(table);
        VERIFY_OK(object);
        QCOMPARE(object->fields.size(), size_t(4));
        QVERIFY(object->fields[0].identifier);
        QVERIFY(object->fields[0].caseInsensitive);
        QVERIFY(object->fields[1].identifier);
        QVERIFY(!object->fields[1].caseInsensitive);
        QVERIFY(object->fields[2].required);
        QVERIFY(!object->fields[2].identifier);
        QVERIFY(!object->fields[3].required);
        exec(*check, QStringLiteral("DROP TABLE `%1`").arg(table));
    }

    void passwordInTheConnectionIsRefused()
    {
        connector::ConnectorRegistry registry;
        syncline::connectors::registerBuiltinConnectors(registry);
        synctest::NullSecrets secrets;
        DestinationDef destination{QStringLiteral("crm"), QStringLiteral("postgresql"),
                                   {{QStringLiteral("connection"),
                                     QStringLiteral("Driver={PostgreSQL Unicode};Server=127.0.0.1;Uid=u;Pwd=s3cret-value")}},
                                   {}};
        auto created = registry.create(destination, secrets);
        QVERIFY(!created);
        QCOMPARE(created.error().code, QStringLiteral("database.settings"));
        QVERIFY(created.error().message.contains(QLatin1String("password")));
        QVERIFY(!created.error().toString().contains(QLatin1String("s3cret-value")));

        destination.settings[QStringLiteral("connection")] = QStringLiteral("Driver={MariaDB Unicode};Server=127.0.0.1");
        auto wrongDriver = registry.create(destination, secrets);
        QVERIFY(!wrongDriver);
        QVERIFY2(wrongDriver.error().message.contains(QLatin1String("MariaDB")), qPrintable(wrongDriver.error().message));
    }
};

QTEST_GUILESS_MAIN(TableDestinationTest)
#include "tst_tabledestination.moc"
