// The workspace file: creation, refusal of foreign or newer files, migrations in one transaction,
// transactions and savepoints, and several processes writing one workspace at once.
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace syncline::engine;
using namespace syncline::engine::state;

namespace {

qint64 scalar(sqlite3 *db, const QString &sql)
{
    auto statement = SqliteStatement::prepare(db, sql);
    if (!statement)
        qFatal("prepare failed: %s", qPrintable(statement.error().message));
    auto row = statement->step();
    if (!row || !*row)
        qFatal("no row for %s", qPrintable(sql));
    return statement->int64(0);
}

QString text(sqlite3 *db, const QString &sql)
{
    auto statement = SqliteStatement::prepare(db, sql);
    if (!statement)
        qFatal("prepare failed: %s", qPrintable(statement.error().message));
    auto row = statement->step();
    return row && *row ? statement->text(0) : QString();
}

// Opens a file with plain SQLite (no migrations) to look at what a failed open left behind.
struct RawDb
{
    sqlite3 *db = nullptr;
    explicit RawDb(const QString &path) { sqlite3_open(QFile::encodeName(path).constData(), &db); }
    ~RawDb() { sqlite3_close(db); }
};

Workspace::Migration migration(int version, const char *name, const char *sql)
{
    return Workspace::Migration { version, QString::fromLatin1(name), QByteArray(sql) };
}

} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString file(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void embeddedMigrationsAreDiscoveredInOrder()
    {
        auto migrations = Workspace::embeddedMigrations();
        QVERIFY2(migrations, qPrintable(migrations ? QString() : migrations.error().message));
        QVERIFY(!migrations->empty());
        QCOMPARE(migrations->front().version, 1);
        QCOMPARE(migrations->front().name, QStringLiteral("0001_definitions.sql"));
        for (size_t i = 1; i < migrations->size(); ++i)
            QVERIFY((*migrations)[i - 1].version < (*migrations)[i].version);
    }

    void newWorkspaceIsWalWithForeignKeysAndLatestSchema()
    {
        auto workspace = Workspace::open(file("new.syncline"));
        QVERIFY2(workspace, qPrintable(workspace ? QString() : workspace.error().message));
        sqlite3 *db = (*workspace)->handle();
        const auto migrations = Workspace::embeddedMigrations();
        QCOMPARE((*workspace)->schemaVersion(), migrations->back().version);
        QCOMPARE(scalar(db, QStringLiteral("PRAGMA user_version")), qint64(migrations->back().version));
        QCOMPARE(scalar(db, QStringLiteral("PRAGMA application_id")), qint64(Workspace::ApplicationId));
        QCOMPARE(text(db, QStringLiteral("PRAGMA journal_mode")), QStringLiteral("wal"));
        QCOMPARE(scalar(db, QStringLiteral("PRAGMA foreign_keys")), 1);
        QCOMPARE(scalar(db, QStringLiteral("PRAGMA synchronous")), 1); // NORMAL
        for (const char *table : { "sources", "models", "destinations", "syncs" })
            QCOMPARE(scalar(db,
                         QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '%1'")
                             .arg(QLatin1String(table))),
                1);
        QCOMPARE(*(*workspace)->integrityCheck(), QStringLiteral("ok"));
    }

    void reopeningKeepsDataAndAppliesNothingTwice()
    {
        const QString path = file("reopen.syncline");
        {
            auto workspace = Workspace::open(path);
            QVERIFY(workspace);
            QVERIFY((*workspace)->exec(QStringLiteral("INSERT INTO sources(name, connection) VALUES ('w', 'DSN=w')")));
        }
        auto again = Workspace::open(path, Workspace::OpenMode::MustExist);
        QVERIFY2(again, qPrintable(again ? QString() : again.error().message));
        QCOMPARE(scalar((*again)->handle(), QStringLiteral("SELECT count(*) FROM sources")), 1);
    }

    void mustExistRefusesAMissingFile()
    {
        const QString path = file("missing.syncline");
        auto workspace = Workspace::open(path, Workspace::OpenMode::MustExist);
        QVERIFY(!workspace);
        QCOMPARE(workspace.error().code, QStringLiteral("workspace.not_found"));
        QVERIFY(workspace.error().message.contains(path));
        QVERIFY(!QFile::exists(path));
    }

    void refusesAFileThatIsNotADatabase()
    {
        const QString path = file("notes.txt");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray content = "these are my notes, not a database, and they are long enough to fill a header\n";
        f.write(content.repeated(4));
        f.close();
        auto workspace = Workspace::open(path);
        QVERIFY(!workspace);
        QCOMPARE(workspace.error().code, QStringLiteral("workspace.not_a_workspace"));
        QVERIFY(workspace.error().message.contains(path));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), content.repeated(4)); // untouched
    }

    void refusesAnotherApplicationsSqliteDatabase()
    {
        const QString path = file("other.db");
        {
            RawDb raw(path);
            QCOMPARE(sqlite3_exec(raw.db, "CREATE TABLE notes(x)", nullptr, nullptr, nullptr), SQLITE_OK);
        }
        auto workspace = Workspace::open(path);
        QVERIFY(!workspace);
        QCOMPARE(workspace.error().code, QStringLiteral("workspace.not_a_workspace"));
        QVERIFY(workspace.error().message.contains(QStringLiteral("not a Syncline workspace")));
        RawDb raw(path);
        QCOMPARE(scalar(raw.db, QStringLiteral("PRAGMA application_id")), 0);
        QCOMPARE(scalar(raw.db, QStringLiteral("SELECT count(*) FROM sqlite_schema")), 1);
    }

    void refusesAWorkspaceFromANewerSyncline()
    {
        const QString path = file("newer.syncline");
        {
            auto workspace = Workspace::open(path);
            QVERIFY(workspace);
            QVERIFY((*workspace)->exec(QStringLiteral("PRAGMA user_version = 9999")));
        }
        auto workspace = Workspace::open(path);
        QVERIFY(!workspace);
        QCOMPARE(workspace.error().code, QStringLiteral("workspace.too_new"));
        QVERIFY(workspace.error().message.contains(QStringLiteral("newer Syncline")));
        QVERIFY(workspace.error().message.contains(QStringLiteral("9999")));
    }

    void failingMigrationOnANewFileLeavesNothing()
    {
        const QString path = file("broken-new.syncline");
        const std::vector<Workspace::Migration> migrations {
            migration(1, "0001_a.sql", "CREATE TABLE a(x); INSERT INTO a VALUES (1);"),
            migration(2, "0002_b.sql", "CREATE TABLE b(y);"),
            migration(3, "0003_broken.sql", "CREATE TABLE c(z); INSERT INTO nowhere VALUES (1);"),
        };
        auto workspace = Workspace::open(path, Workspace::OpenMode::CreateIfMissing, migrations);
        QVERIFY(!workspace);
        QCOMPARE(workspace.error().code, QStringLiteral("workspace.migration"));
        QVERIFY2(workspace.error().message.contains(QStringLiteral("0003_broken.sql")),
            qPrintable(workspace.error().message));
        QVERIFY(workspace.error().message.contains(QStringLiteral("nowhere")));
        RawDb raw(path);
        QCOMPARE(scalar(raw.db, QStringLiteral("PRAGMA user_version")), 0);
        QCOMPARE(scalar(raw.db, QStringLiteral("PRAGMA application_id")), 0);
        QCOMPARE(scalar(raw.db, QStringLiteral("SELECT count(*) FROM sqlite_schema")), 0);
    }

    void failingMigrationOnAnUpgradeKeepsThePreviousSchema()
    {
        const QString path = file("broken-upgrade.syncline");
        std::vector<Workspace::Migration> migrations { migration(
            1, "0001_a.sql", "CREATE TABLE a(x); INSERT INTO a VALUES (1);") };
        {
            auto workspace = Workspace::open(path, Workspace::OpenMode::CreateIfMissing, migrations);
            QVERIFY(workspace);
            QCOMPARE((*workspace)->schemaVersion(), 1);
        }
        migrations.push_back(migration(2, "0002_b.sql", "CREATE TABLE b(y); DELETE FROM a;"));
        migrations.push_back(migration(3, "0003_broken.sql", "CREATE TABLE c(z); SELEC 1;"));
        auto workspace = Workspace::open(path, Workspace::OpenMode::MustExist, migrations);
        QVERIFY(!workspace);
        QVERIFY(workspace.error().message.contains(QStringLiteral("0003_broken.sql")));
        QVERIFY(workspace.error().message.contains(QStringLiteral("nothing was changed")));
        RawDb raw(path);
        QCOMPARE(scalar(raw.db, QStringLiteral("PRAGMA user_version")), 1);
        QCOMPARE(scalar(raw.db, QStringLiteral("SELECT count(*) FROM a")), 1);
        QCOMPARE(scalar(raw.db, QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name IN ('b', 'c')")), 0);

        migrations.pop_back(); // the fixed build: migration 2 now applies on top of 1
        auto fixed = Workspace::open(path, Workspace::OpenMode::MustExist, migrations);
        QVERIFY2(fixed, qPrintable(fixed ? QString() : fixed.error().message));
        QCOMPARE((*fixed)->schemaVersion(), 2);
        QCOMPARE(scalar((*fixed)->handle(), QStringLiteral("SELECT count(*) FROM a")), 0);
    }

    void transactionRollsBackWhenWorkFails()
    {
        auto workspace = Workspace::open(file("tx.syncline"));
        QVERIFY(workspace);
        Workspace &ws = **workspace;
        auto result = ws.transaction([&]() -> Result<void> {
            if (auto ok = ws.exec(QStringLiteral("INSERT INTO sources(name, connection) VALUES ('a', 'DSN=a')")); !ok)
                return ok;
            return fail(QStringLiteral("test.stop"), QStringLiteral("stop"));
        });
        QVERIFY(!result);
        QCOMPARE(result.error().code, QStringLiteral("test.stop"));
        QCOMPARE(scalar(ws.handle(), QStringLiteral("SELECT count(*) FROM sources")), 0);
        QVERIFY(sqlite3_get_autocommit(ws.handle()));
    }

    void nestedTransactionUndoesOnlyTheInnerWork()
    {
        auto workspace = Workspace::open(file("nested.syncline"));
        QVERIFY(workspace);
        Workspace &ws = **workspace;
        auto result = ws.transaction([&]() -> Result<void> {
            if (auto ok = ws.exec(QStringLiteral("INSERT INTO sources(name, connection) VALUES ('outer', 'DSN=a')"));
                !ok)
                return ok;
            auto inner = ws.transaction([&]() -> Result<void> {
                if (auto ok
                    = ws.exec(QStringLiteral("INSERT INTO sources(name, connection) VALUES ('inner', 'DSN=b')"));
                    !ok)
                    return ok;
                return fail(QStringLiteral("test.inner"), QStringLiteral("inner fails"));
            });
            if (inner)
                return fail(QStringLiteral("test.unexpected"), QStringLiteral("inner should have failed"));
            return {};
        });
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QCOMPARE(text(ws.handle(), QStringLiteral("SELECT group_concat(name) FROM sources")), QStringLiteral("outer"));
    }

    void snapshotIsConsistentAndDoesNotBlockWriters()
    {
        const QString path = file("snapshot.syncline");
        auto reader = Workspace::open(path);
        auto writer = Workspace::open(path);
        QVERIFY(reader && writer);
        const QString count = QStringLiteral("SELECT count(*) FROM sources");
        QElapsedTimer writeTime;
        qint64 before = -1;
        qint64 during = -1;
        auto read = (*reader)->snapshot([&]() -> Result<void> {
            before = scalar((*reader)->handle(), count);
            writeTime.start();
            auto written = (*writer)->transaction([&]() {
                return (*writer)->exec(QStringLiteral("INSERT INTO sources(name, connection) VALUES ('new', 'DSN=n')"));
            });
            if (!written)
                return written;
            during = scalar((*reader)->handle(), count);
            return {};
        });
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QVERIFY(writeTime.elapsed() < 2000); // the writer did not wait for the reader's busy timeout
        QCOMPARE(during, before); // the reader kept its view
        QCOMPARE(scalar((*reader)->handle(), count), before + 1);
    }

    void sqlErrorsNameTheProblem()
    {
        auto workspace = Workspace::open(file("errors.syncline"));
        QVERIFY(workspace);
        auto statement
            = SqliteStatement::prepare((*workspace)->handle(), QStringLiteral("SELECT * FROM no_such_table"));
        QVERIFY(!statement);
        QCOMPARE(statement.error().code, QStringLiteral("workspace.sql"));
        QVERIFY(statement.error().message.contains(QStringLiteral("no_such_table")));
        auto insert = SqliteStatement::prepare(
            (*workspace)->handle(), QStringLiteral("INSERT INTO sources(name, connection) VALUES (?, ?)"));
        QVERIFY(insert);
        QVERIFY(insert->bind(1, QStringLiteral("dup")).bind(2, QStringLiteral("DSN=x")).run());
        auto duplicate = insert->bind(1, QStringLiteral("dup")).bind(2, QStringLiteral("DSN=y")).run();
        QVERIFY(!duplicate);
        QVERIFY(duplicate.error().message.contains(QStringLiteral("UNIQUE")));
    }

    void twoProcessesWritingAtOnceLoseNothing()
    {
        const QString path = file("shared.syncline"); // created concurrently by the writers themselves
        constexpr int kWriters = 3;
        constexpr int kTransactions = 2000;
        std::vector<std::unique_ptr<QProcess>> writers;
        for (int i = 0; i < kWriters; ++i) {
            auto process = std::make_unique<QProcess>();
            process->start(QStringLiteral(WORKSPACE_WRITER),
                { path, QStringLiteral("writer%1").arg(i), QString::number(kTransactions) });
            writers.push_back(std::move(process));
        }
        for (auto &process : writers) {
            QVERIFY(process->waitForFinished(120000));
            QVERIFY2(process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0,
                process->readAllStandardError().constData());
        }
        auto workspace = Workspace::open(path, Workspace::OpenMode::MustExist);
        QVERIFY2(workspace, qPrintable(workspace ? QString() : workspace.error().message));
        sqlite3 *db = (*workspace)->handle();
        QCOMPARE(
            scalar(db, QStringLiteral("SELECT n FROM writer_counter WHERE id = 1")), qint64(kWriters * kTransactions));
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM writer_log")), qint64(kWriters * kTransactions));
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(DISTINCT label || '/' || seq) FROM writer_log")),
            qint64(kWriters * kTransactions));
        QCOMPARE(*(*workspace)->integrityCheck(), QStringLiteral("ok"));
    }

    void defaultPathFollowsTheEnvironmentThenTheDataFolder()
    {
        qputenv("SYNCLINE_WORKSPACE", file("from-env.syncline").toUtf8());
        QCOMPARE(Workspace::defaultPath(), file("from-env.syncline"));
        qunsetenv("SYNCLINE_WORKSPACE");
        QStandardPaths::setTestModeEnabled(true);
        // <generic data folder>/<application name>, without the organisation folder in between.
        const QString expected = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QLatin1Char('/')
                               + QCoreApplication::applicationName() + QStringLiteral("/default.syncline");
        QCOMPARE(Workspace::defaultPath(), expected);
        QVERIFY(QFileInfo(expected).dir().exists());
        QStandardPaths::setTestModeEnabled(false);
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
