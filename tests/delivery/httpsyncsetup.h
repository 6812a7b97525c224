#pragma once
// Test set-up for syncs into the generic `http` destination: a SQLite warehouse table
// `people(id, name, score, junk)` read through the SQLite ODBC driver, a workspace with the
// model, an `http` destination pointing at a FakeApi, and sync "people-http" (match id,
// mapping name and score, removed rows deleted). Plus the check that the fake holds the model.

#include "connectors/builtinconnectors.h"
#include "engine/sync/syncrunner.h"
#include "tests/fakes/fakeapi.h"
#include "tests/fakes/fakeapistate.h"
#include "tests/sync/syncfixture.h"

#include <QTemporaryDir>

namespace httptest {

using namespace syncline::engine;
using syncline::testfakes::FakeApi;

inline const QString kSyncName = QStringLiteral("people-http");
inline const QString kTokenVariable = QStringLiteral("SYNCLINE_TEST_HTTP_TOKEN");
inline const QString kToken = QStringLiteral("tok-7f3a9c-test");

struct HttpSyncSetup
{
    QTemporaryDir dir;
    std::unique_ptr<synctest::Warehouse> warehouse;
    QString workspacePath;

    // `settings` go to the destination as they are; base_url is added when absent.
    HttpSyncSetup(const FakeApi &api, int rows, QVariantMap settings, SyncMode mode = SyncMode::Upsert)
    {
        warehouse = std::make_unique<synctest::Warehouse>(dir.filePath(QStringLiteral("warehouse.sqlite")));
        insertPeople(1, rows);
        workspacePath = dir.filePath(QStringLiteral("http.syncline"));
        auto workspace = state::Workspace::open(workspacePath);
        QVERIFY2(workspace, "cannot create the workspace");
        state::DefinitionStore definitions(**workspace);
        QVERIFY(definitions.saveSource(SourceDef{QStringLiteral("wh"), demo::demoConnectionString(warehouse->path()), {}}));
        QVERIFY(definitions.saveModel(ModelDef{QStringLiteral("people"), QStringLiteral("wh"),
                                               QStringLiteral("select id, name, score, junk from people"), {QStringLiteral("id")}}));
        if (!settings.contains(QStringLiteral("base_url")))
            settings.insert(QStringLiteral("base_url"), api.url(QStringLiteral("/people")).toString());
        DestinationDef destination{QStringLiteral("api"), QStringLiteral("http"), settings,
                                   {{QStringLiteral("token"), SecretRef{SecretRef::Kind::Env, kTokenVariable}}}};
        QVERIFY(definitions.saveDestination(destination));
        SyncDef sync;
        sync.name = kSyncName;
        sync.model = QStringLiteral("people");
        sync.destination = QStringLiteral("api");
        sync.object = QStringLiteral("people");
        sync.mode = mode;
        sync.onRemoved = mode == SyncMode::InsertOnly ? RemovedRowAction::Ignore : RemovedRowAction::Delete;
        sync.matchColumn = QStringLiteral("id");
        sync.matchField = QStringLiteral("id");
        MappingEntry name;
        name.column = QStringLiteral("name");
        name.field = QStringLiteral("name");
        MappingEntry score;
        score.column = QStringLiteral("score");
        score.field = QStringLiteral("score");
        sync.mapping = {name, score};
        QVERIFY(definitions.saveSync(sync));
        qputenv(kTokenVariable.toUtf8().constData(), kToken.toUtf8());
    }

    void insertPeople(int first, int last)
    {
        warehouse->exec("BEGIN");
        sqlite3_stmt *insert = nullptr;
        sqlite3_prepare_v2(warehouse->handle(), "INSERT INTO people VALUES (?1, ?2, ?3, 'x')", -1, &insert, nullptr);
        for (int id = first; id <= last; ++id) {
            const std::string name = "person " + std::to_string(id);
            sqlite3_bind_int64(insert, 1, id);
            sqlite3_bind_text(insert, 2, name.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(insert, 3, id % 97);
            sqlite3_step(insert);
            sqlite3_reset(insert);
        }
        sqlite3_finalize(insert);
        warehouse->exec("COMMIT");
    }

    // The model as the destination should hold it: id -> (name, score).
    std::map<QString, std::pair<QString, qint64>> model() const
    {
        std::map<QString, std::pair<QString, qint64>> rows;
        sqlite3_stmt *select = nullptr;
        sqlite3_prepare_v2(warehouse->handle(), "SELECT id, name, score FROM people", -1, &select, nullptr);
        while (sqlite3_step(select) == SQLITE_ROW) {
            rows[QString::number(sqlite3_column_int64(select, 0))] = {
                QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(select, 1))), sqlite3_column_int64(select, 2)};
        }
        sqlite3_finalize(select);
        return rows;
    }
};

// One `run` of the sync in this thread, with the connectors the CLI registers and secrets from
// the environment, as `syncline-cli run` does it.
inline Result<sync::RunResult> runSync(const QString &workspacePath)
{
    auto workspace = state::Workspace::open(workspacePath, state::Workspace::OpenMode::MustExist);
    if (!workspace)
        return std::unexpected(workspace.error());
    connector::ConnectorRegistry registry;
    syncline::connectors::registerBuiltinConnectors(registry);
    secrets::EnvSecretResolver secrets;
    NullDiagnosticSink diagnostics;
    sync::EngineServices services{**workspace, registry, secrets, diagnostics};
    return sync::SyncRunner(services).run(kSyncName);
}

// Compares the fake's records with the model: same keys, and each record is exactly
// {id, name, score} with the model's values. Returns an empty string when they are equal,
// else the first few differences.
inline QString differences(const FakeApi &api, const std::map<QString, std::pair<QString, qint64>> &model)
{
    const QHash<QString, QJsonObject> records = api.records();
    QStringList problems;
    if (qsizetype(model.size()) != records.size())
        problems << QStringLiteral("the API holds %1 records, the model has %2 rows").arg(records.size()).arg(model.size());
    for (const auto &[key, row] : model) {
        if (problems.size() >= 5)
            break;
        const auto found = records.constFind(key);
        if (found == records.cend()) {
            problems << QStringLiteral("row %1 is missing from the API").arg(key);
            continue;
        }
        const QJsonObject &record = *found;
        const QStringList fields = record.keys();
        if (fields != QStringList{QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("score")}
            || record.value(QStringLiteral("name")).toString() != row.first
            || record.value(QStringLiteral("score")).toInteger(-1) != row.second
            || syncline::testfakes::FakeApiState::keyOf(record.value(QStringLiteral("id"))) != key)
            problems << QStringLiteral("record %1 is %2").arg(key, QString::fromUtf8(QJsonDocument(record).toJson(QJsonDocument::Compact)));
    }
    for (auto it = records.cbegin(); it != records.cend() && problems.size() < 5; ++it) {
        if (!model.count(it.key()))
            problems << QStringLiteral("record %1 is in the API but not in the model").arg(it.key());
    }
    return problems.join(QStringLiteral("; "));
}

} // namespace httptest
