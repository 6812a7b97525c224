#pragma once
// Helpers for the table destination tests and benchmark: the three databases as targets (SQLite
// in a temporary file, PostgreSQL and MariaDB from scripts/test-services.sh, their password kept
// apart from the connection and handed over by a secret resolver), a workspace whose model
// reads a SQLite warehouse over ODBC and whose sync writes to the target through the real
// registry and runner, and a way to read the destination table back.

#include "../sync/syncfixture.h"

#include "connectors/builtinconnectors.h"
#include "engine/sync/syncplanner.h"
#include "engine/sync/syncrunner.h"
#include "engine/warehouse/driverdefaults.h"
#include "engine/warehouse/odbcconnection.h"

#include <QRandomGenerator>

namespace tabletest {

using namespace syncline::engine;

struct Target
{
    QString type;        // "sqlite", "postgresql", "mariadb"
    QString connection;  // what goes into the destination's `connection` setting
    QString password;
    QString skipReason;  // non-empty: not available here
    QString schema;      // a schema/database for qualified object names ("" for SQLite)
};

inline Target target(const QString &type, const QTemporaryDir &dir)
{
    Target t;
    t.type = type;
    if (type == QLatin1String("sqlite")) {
        t.connection = dir.filePath(QStringLiteral("destination.sqlite")); // a plain path is accepted
        return t;
    }
    const char *variable = type == QLatin1String("postgresql") ? "SYNCLINE_TEST_PG_ODBC" : "SYNCLINE_TEST_MARIADB_ODBC";
    const QString full = qEnvironmentVariable(variable);
    if (full.isEmpty()) {
        t.skipReason = QStringLiteral("%1 is not set (source scripts/test-services.sh and start the server)").arg(QLatin1String(variable));
        return t;
    }
    auto attributes = warehouse::parseConnectionString(full);
    if (!attributes) {
        t.skipReason = QStringLiteral("%1 is not a connection string").arg(QLatin1String(variable));
        return t;
    }
    t.password = warehouse::attributeValue(*attributes, QStringLiteral("PWD"));
    std::erase_if(*attributes, [](const warehouse::ConnectionAttribute &a) {
        return a.key.compare(QLatin1String("PWD"), Qt::CaseInsensitive) == 0;
    });
    t.connection = warehouse::buildConnectionString(*attributes);
    t.schema = type == QLatin1String("postgresql") ? QStringLiteral("analytics")
                                                    : warehouse::attributeValue(*attributes, QStringLiteral("Database"));
    return t;
}

// Resolves the destination's `password` secret to the target's password.
class PasswordSecrets final : public SecretResolver
{
public:
    explicit PasswordSecrets(QString password) : m_password(std::move(password)) {}
    Result<QString> resolve(const SecretRef &ref) override
    {
        if (ref.name == QLatin1String("dest-password"))
            return m_password;
        return QString();
    }

private:
    QString m_password;
};

// A fresh table name per test run, so runs never see each other's tables.
inline QString uniqueName(const QString &stem)
{
    return stem + QStringLiteral("_") + QString::number(QRandomGenerator::global()->bounded(1000000, 9999999));
}

// An ODBC connection to the target with its password (for set-up and checks).
inline std::unique_ptr<warehouse::OdbcConnection> open(const Target &t)
{
    warehouse::ConnectionSpec spec;
    spec.connectionString = t.type == QLatin1String("sqlite") ? QStringLiteral("Driver={SQLite3};Database=") + t.connection
                                                               : t.connection;
    if (!t.password.isEmpty())
        spec.password = t.password;
    auto connection = warehouse::OdbcConnection::open(spec);
    if (!connection)
        qFatal("cannot connect to the %s target: %s", qPrintable(t.type), qPrintable(connection.error().toString()));
    return std::move(*connection);
}

inline void exec(warehouse::OdbcConnection &connection, const QString &sql)
{
    auto done = connection.executeUpdate(sql);
    if (!done)
        qFatal("set-up SQL failed (%s): %s", qPrintable(sql), qPrintable(done.error().toString()));
}

// Every row of `sql`, cells joined by '|', NULL as "∅".
inline QStringList rows(warehouse::OdbcConnection &connection, const QString &sql)
{
    QStringList out;
    auto cursor = connection.execute(sql);
    if (!cursor)
        qFatal("query failed (%s): %s", qPrintable(sql), qPrintable(cursor.error().toString()));
    warehouse::RowBatch batch;
    while ((*cursor)->fetch(batch).value_or(false)) {
        for (int r = 0; r < batch.rowCount(); ++r) {
            QStringList cells;
            for (int c = 0; c < batch.columnCount(); ++c)
                cells << (batch.isNull(r, c) ? QStringLiteral("∅") : batch.displayText(r, c));
            out << cells.join(QLatin1Char('|'));
        }
    }
    return out;
}

// A workspace: warehouse table `people` in SQLite, model `people` (key id), destination `dest`
// of the target's type, sync `people-sync` writing to `object` matched on id.
struct TableSetup
{
    QTemporaryDir dir;
    Target t;
    std::unique_ptr<synctest::Warehouse> warehouse;
    std::unique_ptr<state::Workspace> workspace;
    connector::ConnectorRegistry registry;
    std::unique_ptr<PasswordSecrets> secrets;
    NullDiagnosticSink diagnostics;
    SyncDef sync;
    DestinationDef destination;

    explicit TableSetup(const QString &type, std::optional<RemovedRowAction> onRemoved = std::nullopt)
    {
        t = target(type, dir);
        if (!t.skipReason.isEmpty())
            return;
        secrets = std::make_unique<PasswordSecrets>(t.password);
        syncline::connectors::registerBuiltinConnectors(registry);
        warehouse = std::make_unique<synctest::Warehouse>(dir.filePath(QStringLiteral("warehouse.sqlite")));
        auto opened = state::Workspace::open(dir.filePath(QStringLiteral("test.syncline")));
        if (!opened)
            qFatal("cannot open the workspace: %s", qPrintable(opened.error().message));
        workspace = std::move(*opened);
        state::DefinitionStore definitions(*workspace);
        check(definitions.saveSource(SourceDef{QStringLiteral("wh"), demo::demoConnectionString(warehouse->path()), {}}));
        check(definitions.saveModel(ModelDef{QStringLiteral("people"), QStringLiteral("wh"),
                                             QStringLiteral("select * from people"), {QStringLiteral("id")}}));
        destination.name = QStringLiteral("dest");
        destination.type = type;
        destination.settings.insert(QStringLiteral("connection"), t.connection);
        if (!t.password.isEmpty())
            destination.secrets.insert(QStringLiteral("password"), SecretRef{SecretRef::Kind::Keychain, QStringLiteral("dest-password")});
        check(definitions.saveDestination(destination));
        sync.name = QStringLiteral("people-sync");
        sync.model = QStringLiteral("people");
        sync.destination = QStringLiteral("dest");
        sync.matchColumn = QStringLiteral("id");
        sync.matchField = QStringLiteral("id");
        sync.guardrails.maxRemovedShare = 1.0;
        sync.onRemoved = onRemoved;
    }
    bool skipped() const { return !t.skipReason.isEmpty(); }
    void map(const QString &column, const QString &field, const QString &cast = {})
    {
        sync.mapping.push_back(MappingEntry::fromColumn(column, field, cast));
    }
    void saveSync() { check(state::DefinitionStore(*workspace).saveSync(sync)); }
    static void check(const Result<void> &ok)
    {
        if (!ok)
            qFatal("set-up failed: %s", qPrintable(ok.error().message));
    }
    sync::EngineServices services() { return {*workspace, registry, *secrets, diagnostics}; }
    // Plans and applies; the plan's error when planning fails.
    Result<state::RunInfo> run()
    {
        auto plan = sync::SyncPlanner(services()).plan(sync.name);
        if (!plan)
            return std::unexpected(plan.error());
        sync::ApplyOptions options;
        options.force = true;
        options.retryDelay = std::chrono::milliseconds(1);
        return sync::SyncRunner(services()).apply(plan->id, options);
    }
    std::unique_ptr<connector::Connector> connector()
    {
        auto created = registry.create(destination, *secrets);
        if (!created)
            qFatal("cannot create the connector: %s", qPrintable(created.error().toString()));
        return std::move(*created);
    }
};

} // namespace tabletest
