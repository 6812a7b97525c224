// What differs per database without a server: object names split into schema and table with
// each dialect's quotes, identifiers quoted so odd names stay one name, the upsert each database
// understands, and which failures reject a row, fail a batch, or are retried.

#include "connectors/database/sqldialect.h"
#include "connectors/database/writefailure.h"

#include <QTest>

using namespace syncline::connectors::database;
using syncline::engine::Error;

namespace {

Error odbcFailure(const QString &sqlstate, int native, const QString &message)
{
    return Error{QStringLiteral("query.failed"), QStringLiteral("The warehouse could not run the query: ") + message, false,
                 {{QStringLiteral("sqlstate"), sqlstate},
                  {QStringLiteral("native_code"), QString::number(native)},
                  {QStringLiteral("driver_message"), QStringLiteral("[ma-3.1.15]") + message},
                  {QStringLiteral("diagnostics"), sqlstate + QStringLiteral(": ") + message}}};
}

} // namespace

class TableDialectTest : public QObject
{
    Q_OBJECT

private slots:
    void objectNamesSplitIntoSchemaAndTable()
    {
        const auto pg = makeDialect(Flavor::PostgreSQL);
        auto plain = pg->parseObject(QStringLiteral("analytics.contacts"));
        QVERIFY(plain);
        QCOMPARE(plain->schema, QStringLiteral("analytics"));
        QCOMPARE(plain->table, QStringLiteral("contacts"));
        auto quotedDot = pg->parseObject(QStringLiteral("\"my.schema\".\"Odd \"\"x\"\" t\""));
        QVERIFY(quotedDot);
        QCOMPARE(quotedDot->schema, QStringLiteral("my.schema"));
        QCOMPARE(quotedDot->table, QStringLiteral("Odd \"x\" t"));
        QCOMPARE(pg->qualified(*quotedDot), QStringLiteral("\"my.schema\".\"Odd \"\"x\"\" t\""));
        QCOMPARE(pg->objectName(*quotedDot, false), QStringLiteral("\"my.schema\".\"Odd \"\"x\"\" t\""));
        QVERIFY(!pg->parseObject(QStringLiteral("a.b.c")));
        QVERIFY(!pg->parseObject(QStringLiteral("\"unclosed.t")));
        QVERIFY(!pg->parseObject(QStringLiteral("a.")));

        const auto maria = makeDialect(Flavor::MariaDB);
        auto db = maria->parseObject(QStringLiteral("`crm`.`we``ird`"));
        QVERIFY(db);
        QCOMPARE(db->schema, QStringLiteral("crm"));
        QCOMPARE(db->table, QStringLiteral("we`ird"));
        QCOMPARE(maria->qualified(*db), QStringLiteral("`crm`.`we``ird`"));

        const auto sqlite = makeDialect(Flavor::SQLite);
        auto whole = sqlite->parseObject(QStringLiteral("v1.2 exports"));
        QVERIFY(whole);
        QCOMPARE(whole->table, QStringLiteral("v1.2 exports"));
        QCOMPARE(sqlite->qualified(*whole), QStringLiteral("\"v1.2 exports\""));
    }

    void eachDatabaseGetsItsOwnUpsert()
    {
        const QStringList columns{QStringLiteral("id"), QStringLiteral("Full Name")};
        const QStringList markers{QStringLiteral("?"), QStringLiteral("?")};
        QCOMPARE(makeDialect(Flavor::PostgreSQL)->upsert({QStringLiteral("s"), QStringLiteral("t")}, columns, QStringLiteral("id"), markers),
                 QStringLiteral("INSERT INTO \"s\".\"t\" (\"id\", \"Full Name\") VALUES (?, ?) ON CONFLICT (\"id\") DO UPDATE SET "
                                "\"Full Name\" = EXCLUDED.\"Full Name\""));
        QCOMPARE(makeDialect(Flavor::MariaDB)->upsert({{}, QStringLiteral("t")}, columns, QStringLiteral("id"), markers),
                 QStringLiteral("INSERT INTO `t` (`id`, `Full Name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `Full Name` = VALUES(`Full Name`)"));
        QCOMPARE(makeDialect(Flavor::SQLite)->upsert({{}, QStringLiteral("t")}, {QStringLiteral("id")}, QStringLiteral("id"), {QStringLiteral("?")}),
                 QStringLiteral("INSERT INTO \"t\" (\"id\") VALUES (?) ON CONFLICT (\"id\") DO NOTHING"));
    }

    void valuesBecomeParameterTextForTheColumnType()
    {
        const auto pg = makeDialect(Flavor::PostgreSQL);
        const auto maria = makeDialect(Flavor::MariaDB);
        QVERIFY(!pg->parameterText("null", FieldType::Text));
        QCOMPARE(*pg->parameterText("true", FieldType::Boolean), std::string("true"));
        QCOMPARE(*maria->parameterText("true", FieldType::Boolean), std::string("1"));
        QCOMPARE(*pg->parameterText("\"a\\\"b \\u00e9\"", FieldType::Text), std::string("a\"b \xc3\xa9"));
        QCOMPARE(*maria->parameterText("\"2024-03-01T10:15:00Z\"", FieldType::Timestamp), std::string("2024-03-01 10:15:00"));
        QCOMPARE(*pg->parameterText("{\"a\":[1,2]}", FieldType::Json), std::string("{\"a\":[1,2]}"));
        QCOMPARE(*pg->parameterText("-1.25e3", FieldType::Number), std::string("-1.25e3"));
    }

    void failuresAreRowBatchOrTransient()
    {
        const auto pg = makeDialect(Flavor::PostgreSQL);
        const auto maria = makeDialect(Flavor::MariaDB);
        const auto sqlite = makeDialect(Flavor::SQLite);
        QCOMPARE(failureScope(*pg, odbcFailure(QStringLiteral("22001"), 7, QStringLiteral("value too long"))), FailureScope::Row);
        QCOMPARE(failureScope(*pg, odbcFailure(QStringLiteral("23505"), 7, QStringLiteral("duplicate key"))), FailureScope::Row);
        QCOMPARE(failureScope(*pg, odbcFailure(QStringLiteral("42703"), 7, QStringLiteral("column does not exist"))), FailureScope::Batch);
        QCOMPARE(failureScope(*pg, odbcFailure(QStringLiteral("40P01"), 7, QStringLiteral("deadlock detected"))), FailureScope::Transient);
        QCOMPARE(failureScope(*pg, odbcFailure(QStringLiteral("40001"), 7, QStringLiteral("could not serialize access"))), FailureScope::Transient);
        QCOMPARE(failureScope(*pg, odbcFailure(QStringLiteral("08S01"), 7, QStringLiteral("server closed the connection"))), FailureScope::Transient);
        QCOMPARE(failureScope(*maria, odbcFailure(QStringLiteral("HY000"), 1205, QStringLiteral("Lock wait timeout exceeded"))), FailureScope::Transient);
        QCOMPARE(failureScope(*maria, odbcFailure(QStringLiteral("HY000"), 2006, QStringLiteral("MySQL server has gone away"))), FailureScope::Transient);
        QCOMPARE(failureScope(*maria, odbcFailure(QStringLiteral("23000"), 1048, QStringLiteral("Column 'name' cannot be null"))), FailureScope::Row);
        QCOMPARE(failureScope(*sqlite, odbcFailure(QStringLiteral("HY000"), 5, QStringLiteral("database is locked"))), FailureScope::Transient);
        QCOMPARE(failureScope(*sqlite, odbcFailure(QStringLiteral("HY000"), 1, QStringLiteral("no such table: t"))), FailureScope::Batch);

        const Error transient = batchFailure(*pg, odbcFailure(QStringLiteral("40P01"), 7, QStringLiteral("deadlock detected")),
                                             QStringLiteral("Writing to table t failed"));
        QVERIFY(transient.retryable);
        QCOMPARE(databaseMessage(odbcFailure(QStringLiteral("22001"), 7, QStringLiteral("Data too long for column 'name' at row 1"))),
                 QStringLiteral("Data too long for column 'name' at row 1"));
    }
};

QTEST_GUILESS_MAIN(TableDialectTest)
#include "tst_tabledialect.moc"
