#pragma once
// A whole sync into Google Sheets, as a user sets it up: a SQLite warehouse table
// people(id, name, score, junk) read through the SQLite ODBC driver, a workspace with the model, a
// `google_sheets` destination at the fake (its service account key in an environment variable, as
// `syncline-cli` reads it), and sync "people-sheet" into tab "people" (match id; name, score).

#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"
#include "tests/sync/syncfixture.h"

#include <QTemporaryDir>

#include "sheetsfixture.h"

namespace sheetstest {

inline const QString kSyncName = QStringLiteral("people-sheet");
inline const QByteArray kKeyVariable = "SYNCLINE_TEST_SHEETS_SERVICE_ACCOUNT";

struct SheetsSyncSetup
{
    QTemporaryDir dir;
    std::unique_ptr<synctest::Warehouse> warehouse;
    QString workspacePath;

    SheetsSyncSetup(const SheetsFake &fake, const RsaKeyPair &key, int rows, const QVariantMap &settings,
        SyncMode mode = SyncMode::Upsert, RemovedRowAction onRemoved = RemovedRowAction::Delete)
    {
        warehouse = std::make_unique<synctest::Warehouse>(dir.filePath(QStringLiteral("warehouse.sqlite")));
        insertPeople(1, rows);
        workspacePath = dir.filePath(QStringLiteral("sheets.syncline"));
        auto workspace = state::Workspace::open(workspacePath);
        QVERIFY2(workspace, "cannot create the workspace");
        state::DefinitionStore definitions(**workspace);
        QVERIFY(definitions.saveSource(
            SourceDef { QStringLiteral("wh"), demo::demoConnectionString(warehouse->path()), {} }));
        QVERIFY(definitions.saveModel(ModelDef { QStringLiteral("people"), QStringLiteral("wh"),
            QStringLiteral("select id, name, score, junk from people"), { QStringLiteral("id") } }));
        DestinationDef destination = sheetsDestination(fake, QStringLiteral("service_account"), settings);
        destination.secrets.insert(
            QStringLiteral("service_account"), SecretRef { SecretRef::Kind::Env, QString::fromLatin1(kKeyVariable) });
        QVERIFY(definitions.saveDestination(destination));
        SyncDef sync;
        sync.name = kSyncName;
        sync.model = QStringLiteral("people");
        sync.destination = destination.name;
        sync.object = QStringLiteral("people");
        sync.mode = mode;
        sync.onRemoved = onRemoved;
        sync.matchColumn = QStringLiteral("id");
        sync.matchField = QStringLiteral("id");
        sync.mapping = { MappingEntry::fromColumn(QStringLiteral("name"), QStringLiteral("name")),
            MappingEntry::fromColumn(QStringLiteral("score"), QStringLiteral("score")) };
        QVERIFY(definitions.saveSync(sync));
        qputenv(kKeyVariable.constData(), serviceAccountJson(key).toUtf8());
    }

    void insertPeople(int first, int last)
    {
        warehouse->exec("BEGIN");
        for (int id = first; id <= last; ++id)
            warehouse->exec("INSERT INTO people VALUES (" + std::to_string(id) + ", 'person " + std::to_string(id)
                + "', " + std::to_string(id % 97) + ", 'x')");
        warehouse->exec("COMMIT");
    }

    // The model as the tab should hold it: "id|name|score|" lines in id order.
    QStringList model() const
    {
        QStringList lines;
        sqlite3_stmt *select = nullptr;
        sqlite3_prepare_v2(warehouse->handle(), "SELECT id, name, score FROM people ORDER BY id", -1, &select, nullptr);
        while (sqlite3_step(select) == SQLITE_ROW)
            lines << QStringLiteral("%1|%2|%3|")
                         .arg(sqlite3_column_int64(select, 0))
                         .arg(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(select, 1))))
                         .arg(sqlite3_column_int64(select, 2));
        sqlite3_finalize(select);
        return lines;
    }
};

// The tab's data rows sorted by id (the sheet keeps append order; a model has none).
inline QStringList sortedLines(const SheetsFake &fake)
{
    QStringList lines = dataLines(fake);
    std::sort(lines.begin(), lines.end(), [](const QString &a, const QString &b) {
        return a.section(QLatin1Char('|'), 0, 0).toLongLong() < b.section(QLatin1Char('|'), 0, 0).toLongLong();
    });
    return lines;
}

} // namespace sheetstest
