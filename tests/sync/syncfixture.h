#pragma once
// Test helpers for the sync tests: a SQLite warehouse read through the SQLite3 ODBC driver
// (the real code path), a workspace with one sync, and an in-memory fake destination whose
// behaviour (rejections, failing batches, supported operations) each test sets.

#include "engine/connector/connectorregistry.h"
#include "engine/core/diagnosticsink.h"
#include "engine/demo/demowarehouse.h"
#include "engine/secrets/envsecretresolver.h"
#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"
#include "engine/sync/engineservices.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace synctest {

using namespace syncline::engine;

// What the fake destination holds and how it behaves.
struct FakeDestination
{
    std::map<std::string, std::string> records;   // key -> payload
    std::map<std::string, int> deliveries;        // accepted deliveries per key
    std::set<std::string> rejectKeys;             // rejected with "rejected by the test"
    std::vector<connector::Operation> operations{connector::Operation::Upsert, connector::Operation::Update,
                                                 connector::Operation::Insert, connector::Operation::Delete,
                                                 connector::Operation::Clear};
    std::vector<connector::FieldSpec> fields;     // fields the object lists (it accepts any other field)
    int maxBatchSize = 50;
    int failNextBatches = 0;        // whole-batch retryable failures to answer first
    bool failFatally = false;       // every batch fails, not retryable
    std::function<void(int)> onBatch; // called with the batch number before answering
    std::vector<std::pair<std::string, connector::Operation>> log;
    int batches = 0;
};

class FakeConnector final : public connector::Connector
{
public:
    explicit FakeConnector(std::shared_ptr<FakeDestination> state) : m_state(std::move(state)) {}
    connector::Capabilities capabilities() const override
    {
        return connector::Capabilities{m_state->operations, m_state->maxBatchSize, false};
    }
    Result<std::vector<connector::ObjectSpec>> objects() override { return std::vector<connector::ObjectSpec>{}; }
    Result<connector::ObjectSpec> object(const QString &name) override
    {
        connector::ObjectSpec spec;
        spec.name = name;
        spec.acceptsAnyField = true;
        spec.fields = m_state->fields;
        return spec;
    }
    Result<void> beginRun(const QString &) override { return {}; }
    Result<std::vector<connector::RecordOutcome>> deliver(const connector::Batch &batch, const CancellationToken &) override
    {
        using connector::Operation;
        if (m_state->onBatch)
            m_state->onBatch(m_state->batches);
        ++m_state->batches;
        if (m_state->failFatally)
            return fail(QStringLiteral("fake.down"), QStringLiteral("the fake destination is down"), false);
        if (m_state->failNextBatches > 0) {
            --m_state->failNextBatches;
            return fail(QStringLiteral("fake.busy"), QStringLiteral("the fake destination is busy"), true);
        }
        std::vector<connector::RecordOutcome> outcomes;
        for (const auto &record : batch.records) {
            connector::RecordOutcome outcome;
            auto &records = m_state->records;
            const bool exists = records.count(record.key) > 0;
            if (m_state->rejectKeys.count(record.key)) {
                outcome.error = QStringLiteral("rejected by the test");
            } else if (record.operation == Operation::Update && !exists) {
                outcome.error = QStringLiteral("no such record");
            } else if (record.operation == Operation::Insert && exists) {
                outcome.error = QStringLiteral("duplicate record");
            } else {
                outcome.accepted = true;
                outcome.destinationId = QStringLiteral("id-") + QString::fromStdString(record.key);
                if (record.operation == Operation::Delete)
                    records.erase(record.key);
                else
                    records[record.key] = record.payload;
                ++m_state->deliveries[record.key];
            }
            m_state->log.emplace_back(record.key, record.operation);
            outcomes.push_back(outcome);
        }
        return outcomes;
    }
    Result<void> finishRun(bool) override { return {}; }

private:
    std::shared_ptr<FakeDestination> m_state;
};

class NullSecrets final : public SecretResolver
{
public:
    Result<QString> resolve(const SecretRef &) override { return QString(); }
};

// A warehouse table `people(id, name, score, junk)` in a SQLite file, written with the C API.
class Warehouse
{
public:
    explicit Warehouse(const QString &path) : m_path(path)
    {
        QVERIFY2(sqlite3_open(QFile::encodeName(path).constData(), &m_db) == SQLITE_OK, "cannot create the warehouse");
        exec("DROP TABLE IF EXISTS people; CREATE TABLE people (id INTEGER, name TEXT, score INTEGER, junk TEXT)");
    }
    ~Warehouse() { sqlite3_close(m_db); }
    void exec(const std::string &sql)
    {
        char *message = nullptr;
        if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
            const QString text = QString::fromUtf8(message ? message : "?");
            sqlite3_free(message);
            QFAIL(qPrintable(QStringLiteral("warehouse SQL failed: ") + text));
        }
    }
    QString path() const { return m_path; }
    sqlite3 *handle() const { return m_db; }

private:
    QString m_path;
    sqlite3 *m_db = nullptr;
};

// A workspace with the source, model, a "fake" destination and sync "people-sync".
struct SyncSetup
{
    QTemporaryDir dir;
    std::unique_ptr<Warehouse> warehouse;
    std::unique_ptr<state::Workspace> workspace;
    connector::ConnectorRegistry registry;
    std::shared_ptr<FakeDestination> destination = std::make_shared<FakeDestination>();
    NullSecrets secrets;
    NullDiagnosticSink diagnostics;
    SyncDef sync;

    SyncSetup(SyncMode mode = SyncMode::Upsert, std::optional<RemovedRowAction> onRemoved = std::nullopt)
    {
        warehouse = std::make_unique<Warehouse>(dir.filePath(QStringLiteral("warehouse.sqlite")));
        auto opened = state::Workspace::open(dir.filePath(QStringLiteral("test.syncline")));
        if (!opened)
            qFatal("cannot open the workspace: %s", qPrintable(opened.error().message));
        workspace = std::move(*opened);
        auto state = destination;
        registry.add(connector::ConnectorType{QStringLiteral("fake"), QStringLiteral("Fake"), {},
                                              [state](const DestinationDef &, SecretResolver &)
                                                  -> Result<std::unique_ptr<connector::Connector>> {
                                                  return std::make_unique<FakeConnector>(state);
                                              }});
        state::DefinitionStore definitions(*workspace);
        check(definitions.saveSource(SourceDef{QStringLiteral("wh"), demo::demoConnectionString(warehouse->path()), {}}));
        check(definitions.saveModel(ModelDef{QStringLiteral("people"), QStringLiteral("wh"),
                                             QStringLiteral("select id, name, score, junk from people"),
                                             {QStringLiteral("id")}}));
        check(definitions.saveDestination(DestinationDef{QStringLiteral("dest"), QStringLiteral("fake"), {}, {}}));
        sync.name = QStringLiteral("people-sync");
        sync.model = QStringLiteral("people");
        sync.destination = QStringLiteral("dest");
        sync.object = QStringLiteral("people");
        sync.mode = mode;
        sync.onRemoved = onRemoved;
        sync.matchColumn = QStringLiteral("id");
        sync.matchField = QStringLiteral("id");
        MappingEntry name;
        name.column = QStringLiteral("name");
        name.field = QStringLiteral("name");
        MappingEntry score;
        score.column = QStringLiteral("score");
        score.field = QStringLiteral("score");
        sync.mapping = {name, score};
        saveSync();
    }
    void saveSync() { check(state::DefinitionStore(*workspace).saveSync(sync)); }
    static void check(const Result<void> &ok)
    {
        if (!ok)
            qFatal("set-up failed: %s", qPrintable(ok.error().message));
    }
    sync::EngineServices services() { return {*workspace, registry, secrets, diagnostics}; }
};

inline QJsonObject parsePayload(const std::string &payload)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(payload)).object();
}

} // namespace synctest
