// The embedded demo warehouse: generated once, with the rows and the dirty rows the demo promises.

#include "engine/demo/demowarehouse.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace syncline::engine;

namespace {

qint64 scalar(const QString &path, const char *sql)
{
    sqlite3 *db = nullptr;
    qint64 value = -1;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_stmt *statement = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK && sqlite3_step(statement) == SQLITE_ROW)
            value = sqlite3_column_int64(statement, 0);
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return value;
}

} // namespace

class DemoWarehouseTest : public QObject
{
    Q_OBJECT

private slots:
    void generatesCustomersAccountsAndOrders()
    {
        QTemporaryDir dir;
        const auto path = demo::ensureDemoWarehouse(dir.path());
        QVERIFY2(path.has_value(), qPrintable(path ? QString() : path.error().message));
        QVERIFY(QFileInfo::exists(*path));
        QCOMPARE(scalar(*path, "select count(distinct id) from customers"), 10000);
        QVERIFY(scalar(*path, "select count(*) from accounts") >= 1000);
        QVERIFY(scalar(*path, "select count(*) from orders") >= 10000);
        QCOMPARE(scalar(*path, "select count(*) from customers where email not like '%_@_%._%'"), 0);
        QCOMPARE(scalar(*path, "select count(distinct plan) from customers"), 4);
    }

    void containsTheDirtyRowsValidationShouldCatch()
    {
        QTemporaryDir dir;
        const auto path = demo::ensureDemoWarehouse(dir.path());
        QVERIFY(path.has_value());
        QCOMPARE(scalar(*path, "select count(*) from customers where email is null"), 1);
        QCOMPARE(scalar(*path, "select count(*) from (select id from customers group by id having count(*) > 1)"), 1);
    }

    void isGeneratedOnceAndRegeneratedWhenTheRecipeChanges()
    {
        QTemporaryDir dir;
        const auto first = demo::ensureDemoWarehouse(dir.path());
        QVERIFY(first.has_value());
        // Mark the file; an up-to-date warehouse must be reused as it is.
        QCOMPARE(scalar(*first, "create table user_marker(x)"), -1);
        const auto second = demo::ensureDemoWarehouse(dir.path());
        QVERIFY(second.has_value());
        QCOMPARE(scalar(*second, "select count(*) from user_marker"), 0);

        // An older recipe version is replaced by a fresh build.
        QCOMPARE(scalar(*second, "pragma user_version = 0"), -1);
        const auto third = demo::ensureDemoWarehouse(dir.path());
        QVERIFY(third.has_value());
        QCOMPARE(scalar(*third, "select count(*) from sqlite_master where name = 'user_marker'"), 0);
        QCOMPARE(scalar(*third, "pragma user_version"), demo::demoWarehouseVersion());
        QVERIFY(demo::demoWarehouseVersion() >= 1);
    }

    void connectionStringUsesTheSqliteOdbcDriver()
    {
        const QString connection = demo::demoConnectionString(QStringLiteral("/data/demo-warehouse.sqlite"));
        QVERIFY(connection.contains(QStringLiteral("Driver={SQLite3}")));
        QVERIFY(connection.contains(QStringLiteral("Database=/data/demo-warehouse.sqlite")));
    }

    void refusesAFolderTheOdbcDriverCannotOpen()
    {
        QTemporaryDir dir;
        const auto path = demo::ensureDemoWarehouse(dir.path() + QStringLiteral("/a;b"));
        QVERIFY(!path.has_value());
        QVERIFY(path.error().message.contains(QStringLiteral("';'")));
    }
};

QTEST_GUILESS_MAIN(DemoWarehouseTest)
#include "tst_demowarehouse.moc"
