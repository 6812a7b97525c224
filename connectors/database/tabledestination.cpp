#include "connectors/database/tabledestination.h"

#include "connectors/database/sqlitefile.h"
#include "connectors/database/sqlitetablewriter.h"
#include "connectors/database/tablecatalog.h"
#include "connectors/database/tablewriter.h"

namespace syncline::connectors::database {

using engine::fail;
using engine::Result;
using engine::connector::Capabilities;
using engine::connector::ConnectorType;
using engine::connector::ObjectSpec;
using engine::connector::Operation;
using engine::connector::RecordOutcome;
using engine::warehouse::OdbcConnection;

TableDestination::TableDestination(std::unique_ptr<SqlDialect> dialect, TableSettings settings)
    : m_dialect(std::move(dialect)), m_settings(std::move(settings))
{ }

TableDestination::~TableDestination()
{
    m_writer.reset();
    m_sqliteWriter.reset();
    if (m_connection && m_running)
        (void)m_connection->rollback();
}

ConnectorType TableDestination::connectorType(Flavor flavor)
{
    const std::unique_ptr<SqlDialect> dialect = makeDialect(flavor);
    ConnectorType type;
    type.id = dialect->id();
    type.label = dialect->label();
    type.settings = TableSettings::schema(*dialect);
    type.capabilities = typeCapabilities(TableSettings().batchSize);
    type.create = [flavor](const engine::DestinationDef &destination,
                           engine::SecretResolver &secrets) -> Result<std::unique_ptr<engine::connector::Connector>> {
        std::unique_ptr<SqlDialect> dialect = makeDialect(flavor);
        auto settings = TableSettings::fromDestination(destination, *dialect, secrets);
        if (!settings)
            return std::unexpected(settings.error());
        return std::make_unique<TableDestination>(std::move(dialect), std::move(*settings));
    };
    return type;
}

Capabilities TableDestination::typeCapabilities(int batchSize)
{
    Capabilities capabilities;
    capabilities.operations = {Operation::Upsert, Operation::Update, Operation::Insert, Operation::Delete, Operation::Clear};
    capabilities.maxBatchSize = batchSize;
    capabilities.discoversObjects = true;
    return capabilities;
}

Capabilities TableDestination::capabilities() const
{
    return typeCapabilities(m_settings.batchSize);
}

Result<OdbcConnection *> TableDestination::connection()
{
    if (m_connection)
        return m_connection.get();
    engine::warehouse::ConnectionSpec spec;
    spec.connectionString = m_settings.connection;
    spec.password = m_settings.password;
    auto opened = OdbcConnection::open(spec);
    if (!opened) {
        engine::Error error = opened.error();
        if (error.code == QLatin1String("odbc.auth"))
            error.message = QStringLiteral("The database rejected the user name or password of destination '%1'; check the "
                                           "user in its connection and its 'password' secret")
                                .arg(m_settings.destination);
        else
            error.message = QStringLiteral("Destination '%1': %2")
                                .arg(m_settings.destination,
                                     QString(error.message).replace(QStringLiteral("warehouse"), QStringLiteral("database")));
        return std::unexpected(error);
    }
    m_connection = std::move(*opened);
    return m_connection.get();
}

void TableDestination::disconnect()
{
    m_writer.reset();
    m_sqliteWriter.reset();
    m_connection.reset();
}

Result<std::vector<ObjectSpec>> TableDestination::objects()
{
    auto open = connection();
    if (!open)
        return std::unexpected(open.error());
    return listTables(**open, *m_dialect);
}

Result<ObjectSpec> TableDestination::object(const QString &name)
{
    auto table = m_dialect->parseObject(name);
    if (!table)
        return std::unexpected(table.error());
    auto open = connection();
    if (!open)
        return std::unexpected(open.error());
    auto columns = describeTable(**open, *m_dialect, *table);
    if (!columns)
        return std::unexpected(columns.error());
    if (columns->empty()) {
        ObjectSpec spec;
        spec.name = name;
        spec.label = name + QStringLiteral(" (new table, created from the mapping by the first run)");
        spec.acceptsAnyField = true;
        return spec;
    }
    return objectSpecFor(name, *columns);
}

Result<void> TableDestination::beginRun(const QString &object)
{
    auto table = m_dialect->parseObject(object);
    if (!table)
        return std::unexpected(table.error());
    m_table = *table;
    auto open = connection();
    if (!open)
        return std::unexpected(open.error());
    auto columns = describeTable(**open, *m_dialect, m_table);
    if (!columns)
        return std::unexpected(columns.error());
    const QString qualified = m_dialect->qualified(m_table);
    if (columns->empty()) {
        if (m_context.fields.empty() || m_context.matchField.isEmpty())
            return fail(QStringLiteral("database.missing_table"),
                        QStringLiteral("Table %1 does not exist on destination '%2'; create it, or let a sync create it "
                                       "from its mapping")
                            .arg(qualified, m_settings.destination));
        if (auto created = createTable(**open, *m_dialect, m_table, m_context.fields, m_context.matchField); !created)
            return created;
        if (m_context.diagnostics)
            m_context.diagnostics->report(engine::Severity::Info, QStringLiteral("destination '%1'").arg(m_settings.destination),
                                          QStringLiteral("created table %1 from the mapping of sync '%2'")
                                              .arg(qualified, m_context.syncName));
        columns = describeTable(**open, *m_dialect, m_table);
        if (!columns)
            return std::unexpected(columns.error());
    }
    m_columns = std::move(*columns);
    m_key = m_context.matchField;
    if (m_key.isEmpty()) { // used without a sync: the table's own one-column key
        for (const TableColumn &column : m_columns)
            if (column.primaryKey)
                m_key = column.name;
        if (m_key.isEmpty())
            return fail(QStringLiteral("database.no_key"),
                        QStringLiteral("Table %1 has no one-column primary key and no match field was given").arg(qualified));
    }
    if (auto checked = checkTable(*m_dialect, m_table, m_columns, m_context.fields, m_key); !checked)
        return checked;
    if (std::none_of(m_columns.begin(), m_columns.end(), [&](const TableColumn &c) { return c.name == m_key; }))
        return fail(QStringLiteral("database.missing_column"),
                    QStringLiteral("Table %1 has no column %2 for the match field; add it or match on another field")
                        .arg(qualified, m_dialect->quote(m_key)));
    return startWriting();
}

Result<void> TableDestination::startWriting()
{
    if (m_dialect->flavor() == Flavor::SQLite)
        if (const auto direct = directSqliteOptions(m_settings.connection)) {
            m_connection.reset(); // discovery's ODBC connection is not needed while writing
            auto file = SqliteFile::open(*direct, m_settings.destination);
            if (!file)
                return std::unexpected(file.error());
            m_sqliteWriter = std::make_unique<SqliteTableWriter>(std::move(*file), *m_dialect, m_table, m_columns, m_key);
            m_running = true;
            return {};
        }
    auto open = connection();
    if (!open)
        return std::unexpected(open.error());
    if (auto manual = (*open)->setAutoCommit(false); !manual)
        return manual;
    m_writer = std::make_unique<TableWriter>(**open, *m_dialect, m_table, m_columns, m_key);
    m_running = true;
    return {};
}

Result<std::vector<RecordOutcome>> TableDestination::deliver(const engine::connector::Batch &batch,
                                                             const engine::CancellationToken &cancellation)
{
    if (!m_running)
        return fail(QStringLiteral("database.not_started"), QStringLiteral("deliver() was called before beginRun()"));
    if (!m_writer && !m_sqliteWriter) // the last batch lost the connection: connect again
        if (auto started = startWriting(); !started) {
            engine::Error error = started.error();
            error.retryable = error.retryable || error.code == QLatin1String("odbc.unreachable");
            disconnect();
            return std::unexpected(error);
        }
    auto outcomes = m_sqliteWriter ? m_sqliteWriter->write(batch, cancellation) : m_writer->write(batch, cancellation);
    if (!outcomes && outcomes.error().retryable)
        disconnect(); // a deadlock, a lost or broken connection: start clean next time
    return outcomes;
}

Result<void> TableDestination::finishRun(bool)
{
    m_writer.reset();
    m_sqliteWriter.reset();
    m_running = false;
    if (m_connection) {
        (void)m_connection->rollback(); // nothing is pending: every deliver() committed or rolled back
        (void)m_connection->setAutoCommit(true);
    }
    m_connection.reset();
    return {};
}

} // namespace syncline::connectors::database
