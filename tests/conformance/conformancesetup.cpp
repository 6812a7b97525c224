#include "tests/conformance/conformancesetup.h"

#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"
#include "engine/core/diagnosticsink.h"
#include "engine/demo/demowarehouse.h"
#include "engine/secrets/envsecretresolver.h"
#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"
#include "engine/sync/engineservices.h"

#include <QFile>
#include <QJsonDocument>

namespace syncline::conformance {

using namespace engine;

QString ModelRow::column(const QString &name) const
{
    if (name == QLatin1String("id"))
        return QString::number(id);
    if (name == QLatin1String("email"))
        return email;
    if (name == QLatin1String("first_name"))
        return firstName;
    if (name == QLatin1String("last_name"))
        return lastName;
    if (name == QLatin1String("score"))
        return QString::number(score);
    return {};
}

QJsonObject CliResult::json() const
{
    return QJsonDocument::fromJson(out).object();
}

ConformanceSetup::ConformanceSetup(VendorFixture &fixture, const QUrl &apiBase)
    : m_fixture(fixture)
    , m_shape(fixture.sync())
{
    const QString warehousePath = m_dir.filePath(QStringLiteral("warehouse.sqlite"));
    if (sqlite3_open(QFile::encodeName(warehousePath).constData(), &m_db) != SQLITE_OK) {
        m_error = QStringLiteral("cannot create the warehouse %1").arg(warehousePath);
        return;
    }
    exec(QStringLiteral(
        "CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT, first_name TEXT, last_name TEXT, score INTEGER)"));
    insertRows(1, fixture.traits().rows);
    m_workspacePath = m_dir.filePath(QStringLiteral("conformance.syncline"));
    auto workspace = state::Workspace::open(m_workspacePath);
    if (!workspace) {
        m_error = workspace.error().message;
        return;
    }
    state::DefinitionStore definitions(**workspace);
    const DestinationDef destination = fixture.destination(apiBase);
    SyncDef sync;
    sync.name = kSyncName;
    sync.model = QStringLiteral("people");
    sync.destination = destination.name;
    sync.object = m_shape.object;
    sync.mode = m_shape.mode;
    sync.onRemoved = m_shape.onRemoved;
    sync.matchColumn = m_shape.matchColumn;
    sync.matchField = m_shape.matchField;
    for (const auto &[column, field] : m_shape.mapping) {
        MappingEntry entry;
        entry.column = column;
        entry.field = field;
        sync.mapping.push_back(entry);
    }
    const auto saved = [&]() -> Result<void> {
        if (auto done
            = definitions.saveSource(SourceDef { QStringLiteral("wh"), demo::demoConnectionString(warehousePath), {} });
            !done)
            return done;
        if (auto done = definitions.saveModel(ModelDef { QStringLiteral("people"), QStringLiteral("wh"),
                QStringLiteral("select id, email, first_name, last_name, score from people"),
                { QStringLiteral("id") } });
            !done)
            return done;
        if (auto done = definitions.saveDestination(destination); !done)
            return done;
        return definitions.saveSync(sync);
    }();
    if (!saved)
        m_error = QStringLiteral("cannot define the sync: %1").arg(saved.error().message);
    const QHash<QString, QString> environment = fixture.secretEnvironment();
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        qputenv(it.key().toUtf8().constData(), it.value().toUtf8());
}

ConformanceSetup::~ConformanceSetup()
{
    sqlite3_close(m_db);
}

void ConformanceSetup::exec(const QString &sql)
{
    char *message = nullptr;
    if (sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &message) != SQLITE_OK) {
        m_error = QStringLiteral("warehouse SQL failed: %1").arg(QString::fromUtf8(message ? message : "?"));
        sqlite3_free(message);
    }
}

void ConformanceSetup::insertRows(qint64 first, qint64 last)
{
    exec(QStringLiteral(
        "WITH RECURSIVE n(i) AS (SELECT %1 UNION ALL SELECT i + 1 FROM n WHERE i < %2) "
        "INSERT INTO people SELECT i, 'person' || i || '@example.com', 'First' || i, 'Last' || i, i % 97 FROM n")
             .arg(first)
             .arg(last));
}

void ConformanceSetup::updateRows(qint64 first, qint64 last, int generation)
{
    exec(QStringLiteral(
        "UPDATE people SET first_name = 'Renamed%3-' || id, score = (id * %3 + 7) % 1000 WHERE id BETWEEN %1 AND %2")
             .arg(first)
             .arg(last)
             .arg(generation));
}

void ConformanceSetup::deleteRows(qint64 first, qint64 last)
{
    for (const ModelRow &row : model()) {
        if (row.id >= first && row.id <= last)
            m_removed.push_back(row);
    }
    exec(QStringLiteral("DELETE FROM people WHERE id BETWEEN %1 AND %2").arg(first).arg(last));
}

std::vector<ModelRow> ConformanceSetup::model() const
{
    std::vector<ModelRow> rows;
    sqlite3_stmt *select = nullptr;
    sqlite3_prepare_v2(
        m_db, "SELECT id, email, first_name, last_name, score FROM people ORDER BY id", -1, &select, nullptr);
    const auto text = [select](int column) {
        return QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(select, column)));
    };
    while (sqlite3_step(select) == SQLITE_ROW)
        rows.push_back(
            ModelRow { sqlite3_column_int64(select, 0), text(1), text(2), text(3), sqlite3_column_int64(select, 4) });
    sqlite3_finalize(select);
    return rows;
}

QString ConformanceSetup::matchValue(const ModelRow &row) const
{
    return row.column(m_shape.matchColumn);
}

Result<state::RunInfo> ConformanceSetup::run(const CancellationToken &cancellation)
{
    auto workspace = state::Workspace::open(m_workspacePath, state::Workspace::OpenMode::MustExist);
    if (!workspace)
        return std::unexpected(workspace.error());
    connector::ConnectorRegistry registry;
    syncline::connectors::registerBuiltinConnectors(registry);
    secrets::EnvSecretResolver secrets;
    NullDiagnosticSink diagnostics;
    sync::EngineServices services { **workspace, registry, secrets, diagnostics };
    sync::ApplyOptions options;
    options.cancellation = cancellation;
    auto result = sync::SyncRunner(services).run(kSyncName, {}, options);
    if (!result)
        return std::unexpected(result.error());
    if (!result->run)
        return fail(QStringLiteral("conformance.blocked"), QStringLiteral("a guardrail blocked the plan"));
    return *result->run;
}

QString ConformanceSetup::cliPath()
{
    return QStringLiteral(SYNCLINE_BINARY_DIR "/app/syncline-cli");
}

CliResult ConformanceSetup::cli(const QStringList &arguments) const
{
    QProcess process;
    process.start(cliPath(), arguments + QStringList { QStringLiteral("--workspace"), m_workspacePath });
    process.waitForFinished(180000);
    return CliResult { process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError() };
}

std::unique_ptr<QProcess> ConformanceSetup::startCli(const QStringList &arguments) const
{
    auto process = std::make_unique<QProcess>();
    process->start(cliPath(), arguments + QStringList { QStringLiteral("--workspace"), m_workspacePath });
    return process;
}

QString ConformanceSetup::differences(const QSet<QString> &absent) const
{
    const bool caseless = m_shape.matchColumn == QLatin1String("email");
    const auto fold = [caseless](const QString &value) { return caseless ? value.toLower() : value; };
    QHash<QString, QHash<QString, QString>> records;
    const FakeRecords held = m_fixture.records();
    for (auto it = held.cbegin(); it != held.cend(); ++it)
        records.insert(fold(it.key()), it.value());

    QHash<QString, QHash<QString, QString>> expected; // match value -> field -> value
    for (const ModelRow &row : model()) {
        if (absent.contains(matchValue(row)))
            continue;
        QHash<QString, QString> fields;
        fields.insert(m_shape.matchField, matchValue(row));
        for (const auto &[column, field] : m_shape.mapping)
            fields.insert(field, row.column(column));
        expected.insert(fold(matchValue(row)), fields);
    }
    if (m_shape.onRemoved == RemovedRowAction::Clear) {
        for (const ModelRow &row : m_removed) {
            QHash<QString, QString> fields;
            fields.insert(m_shape.matchField, matchValue(row));
            for (const auto &[column, field] : m_shape.mapping)
                fields.insert(field, QString());
            expected.insert(fold(matchValue(row)), fields);
        }
    }
    QStringList problems;
    if (records.size() != expected.size())
        problems << QStringLiteral("the fake holds %1 records, the model expects %2")
                        .arg(records.size())
                        .arg(expected.size());
    for (auto it = expected.cbegin(); it != expected.cend() && problems.size() < 6; ++it) {
        const auto found = records.constFind(it.key());
        if (found == records.cend()) {
            problems << QStringLiteral("%1 is missing from the fake").arg(it.key());
            continue;
        }
        for (auto field = it->cbegin(); field != it->cend(); ++field) {
            QString actual = found->value(field.key());
            QString wanted = field.value();
            if (field.key() == m_shape.matchField) {
                actual = fold(actual);
                wanted = fold(wanted);
            }
            if (actual != wanted) {
                problems
                    << QStringLiteral("%1.%2 is '%3', the model says '%4'").arg(it.key(), field.key(), actual, wanted);
                break;
            }
        }
    }
    for (auto it = records.cbegin(); it != records.cend() && problems.size() < 6; ++it) {
        if (!expected.contains(it.key()))
            problems << QStringLiteral("%1 is in the fake but not in the model").arg(it.key());
    }
    return problems.join(QStringLiteral("; "));
}

} // namespace syncline::conformance
