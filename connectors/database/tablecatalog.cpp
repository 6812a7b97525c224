#include "connectors/database/tablecatalog.h"

#include "connectors/database/writefailure.h"

namespace syncline::connectors::database {

using engine::fail;
using engine::Result;
using engine::connector::FieldSpec;
using engine::connector::ObjectSpec;
using engine::warehouse::OdbcBatchStatement;
using engine::warehouse::ParameterRows;
using engine::warehouse::ParameterType;
using engine::warehouse::TextRow;

Result<std::vector<TextRow>> runCatalogQuery(engine::warehouse::OdbcConnection &connection, const CatalogQuery &query)
{
    auto statement = OdbcBatchStatement::prepare(connection, query.sql,
                                                 std::vector<ParameterType>(query.parameters.size()));
    if (!statement)
        return std::unexpected(statement.error());
    ParameterRows parameters(static_cast<int>(query.parameters.size()));
    parameters.addRow();
    for (size_t i = 0; i < query.parameters.size(); ++i)
        parameters.set(0, int(i), query.parameters[i].toStdString());
    return (*statement)->query(parameters, 0);
}

namespace {

QString cell(const TextRow &row, size_t column)
{
    return column < row.size() && row[column] ? QString::fromStdString(*row[column]) : QString();
}

} // namespace

Result<std::vector<ObjectSpec>> listTables(engine::warehouse::OdbcConnection &connection, const SqlDialect &dialect)
{
    auto rows = runCatalogQuery(connection, dialect.tablesQuery());
    if (!rows)
        return std::unexpected(catalogFailure(rows.error(), QStringLiteral("Could not list the tables")));
    std::vector<ObjectSpec> objects;
    for (const TextRow &row : *rows) {
        ObjectSpec spec;
        spec.name = dialect.objectName(TableName{cell(row, 0), cell(row, 1)}, cell(row, 2) == QLatin1String("1"));
        spec.label = spec.name;
        objects.push_back(std::move(spec));
    }
    return objects;
}

Result<std::vector<TableColumn>> describeTable(engine::warehouse::OdbcConnection &connection, const SqlDialect &dialect,
                                               const TableName &name)
{
    auto rows = runCatalogQuery(connection, dialect.columnsQuery(name));
    if (!rows)
        return std::unexpected(catalogFailure(rows.error(), QStringLiteral("Could not read the columns of table %1")
                                                                .arg(dialect.qualified(name))));
    std::vector<TableColumn> columns;
    for (const TextRow &row : *rows) {
        TableColumn column;
        column.name = cell(row, 0);
        const QString baseType = cell(row, 1);
        column.typeName = cell(row, 2);
        column.castType = baseType;
        column.type = dialect.fieldTypeOf(baseType, column.typeName);
        column.notNull = cell(row, 3) == QLatin1String("1");
        column.hasDefault = cell(row, 4) == QLatin1String("1");
        column.unique = cell(row, 5) == QLatin1String("1");
        column.primaryKey = cell(row, 6) == QLatin1String("1");
        column.caseInsensitive = dialect.isCaseInsensitive(baseType, cell(row, 7));
        columns.push_back(std::move(column));
    }
    return columns;
}

ObjectSpec objectSpecFor(const QString &object, const std::vector<TableColumn> &columns)
{
    ObjectSpec spec;
    spec.name = object;
    spec.label = object;
    for (const TableColumn &column : columns) {
        FieldSpec field;
        field.name = column.name;
        field.label = column.name + QStringLiteral(" (") + column.typeName + QLatin1Char(')');
        field.type = column.type;
        field.required = column.notNull && !column.hasDefault;
        field.identifier = column.unique || column.primaryKey;
        field.caseInsensitive = column.caseInsensitive;
        spec.fields.push_back(std::move(field));
    }
    return spec;
}

Result<void> createTable(engine::warehouse::OdbcConnection &connection, const SqlDialect &dialect, const TableName &name,
                         const std::vector<FieldSpec> &fields, const QString &keyField)
{
    const QString sql = dialect.createTable(name, fields, keyField);
    if (auto done = connection.executeUpdate(sql); !done)
        return std::unexpected(catalogFailure(done.error(), QStringLiteral("Could not create table %1 from the mapping (%2)")
                                                                .arg(dialect.qualified(name), sql)));
    return {};
}

Result<void> checkTable(const SqlDialect &dialect, const TableName &name, const std::vector<TableColumn> &columns,
                        const std::vector<FieldSpec> &fields, const QString &keyField)
{
    QStringList missing, additions;
    for (const FieldSpec &field : fields) {
        const bool found = std::any_of(columns.begin(), columns.end(), [&](const TableColumn &c) { return c.name == field.name; });
        if (found)
            continue;
        missing << field.name;
        additions << QStringLiteral("ALTER TABLE %1 ADD COLUMN %2 %3;")
                         .arg(dialect.qualified(name), dialect.quote(field.name), dialect.columnType(field.type, false));
    }
    if (!missing.isEmpty())
        return fail(QStringLiteral("database.missing_column"),
                    QStringLiteral("Table %1 has no column %2 for the mapped field%3; add %4 (%5) or remove the field%3 "
                                   "from the sync's mapping")
                        .arg(dialect.qualified(name), missing.join(QStringLiteral(", ")),
                             missing.size() > 1 ? QStringLiteral("s") : QString(),
                             missing.size() > 1 ? QStringLiteral("them") : QStringLiteral("it"),
                             additions.join(QLatin1Char(' '))),
                    false, {{QStringLiteral("table"), dialect.qualified(name)}, {QStringLiteral("columns"), missing.join(QLatin1Char(','))}});
    const auto key = std::find_if(columns.begin(), columns.end(), [&](const TableColumn &c) { return c.name == keyField; });
    if (key != columns.end() && !key->unique && !key->primaryKey)
        return fail(QStringLiteral("database.key_not_unique"),
                    QStringLiteral("Column %1 of table %2 is the sync's match field but neither the primary key nor unique, "
                                   "so a record cannot be found by it; add a unique index (CREATE UNIQUE INDEX %3 ON %2 (%1)) "
                                   "or match on a unique column")
                        .arg(dialect.quote(keyField), dialect.qualified(name),
                             dialect.quote(name.table + QLatin1Char('_') + keyField + QStringLiteral("_key"))));
    return {};
}

} // namespace syncline::connectors::database
