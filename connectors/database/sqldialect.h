#pragma once
// What differs between the databases a table destination writes to: identifier quoting, the
// object name's schema part, column types for a table created from the mapping, the upsert
// statement, catalog queries, and how a JSON value is written as a parameter. One subclass per
// database (postgresdialect, mariadbdialect, sqlitedialect); stateless, any thread.
// Names are taken literally (case and all) and always quoted.

#include "engine/connector/connector.h"
#include "engine/core/error.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syncline::connectors::database {

using engine::connector::FieldType;

enum class Flavor { PostgreSQL, MariaDB, SQLite };

// A table: schema (PostgreSQL schema, MariaDB database; empty = the connection's default).
struct TableName
{
    QString schema;
    QString table;
};

// One column of an existing table, as the catalog describes it.
struct TableColumn
{
    QString name;
    QString typeName;       // e.g. "character varying(10)", "varchar(255)", "TEXT"
    QString castType;       // PostgreSQL: the type without modifiers, for CAST(? AS ...)
    FieldType type = FieldType::Text;
    bool notNull = false;
    bool hasDefault = false;
    bool unique = false;    // a one-column primary key or unique index
    bool primaryKey = false;
    bool caseInsensitive = false; // text compared ignoring case (MariaDB *_ci collations, citext)
};

// A catalog query and its parameters, in order.
struct CatalogQuery
{
    QString sql;
    std::vector<QString> parameters;
};

class SqlDialect
{
public:
    virtual ~SqlDialect() = default;

    virtual Flavor flavor() const = 0;
    virtual QString id() const = 0;    // "postgresql"
    virtual QString label() const = 0; // "PostgreSQL table"
    virtual bool hasSchemas() const { return true; }

    // "name" with the dialect's quote character doubled inside.
    virtual QString quote(const QString &identifier) const = 0;
    QString qualified(const TableName &name) const;
    // "analytics.contacts", "\"odd.schema\".\"my table\"" (quotes of the dialect): schema and
    // table. Without schemas (SQLite) the whole text is the table name.
    engine::Result<TableName> parseObject(const QString &object) const;
    // The object text for a table; the schema is left out when it is the default one.
    QString objectName(const TableName &name, bool inDefaultSchema) const;

    // The column type for a field of a table created from the mapping.
    virtual QString columnType(FieldType type, bool isKey) const = 0;
    virtual QString createTable(const TableName &name, const std::vector<engine::connector::FieldSpec> &fields,
                                const QString &keyField) const;
    // Insert or update on the key: `columns` in parameter order, `key` among them.
    virtual QString upsert(const TableName &name, const QStringList &columns, const QString &key,
                           const QStringList &placeholders) const = 0;

    // Rows (schema, table, 1 when in the default schema) of the tables a user may pick.
    virtual CatalogQuery tablesQuery() const = 0;
    // Rows (name, base type, full type, not null, has default, unique, primary key, collation).
    virtual CatalogQuery columnsQuery(const TableName &name) const = 0;
    virtual FieldType fieldTypeOf(const QString &baseType, const QString &fullType) const = 0;
    virtual bool isCaseInsensitive(const QString &baseType, const QString &collation) const;

    // The parameter marker for a column: "?" or, for PostgreSQL, "CAST(? AS type)".
    virtual QString placeholder(const TableColumn &) const { return QStringLiteral("?"); }
    // A JSON value token as parameter text for a column of `type`; nullopt for null.
    std::optional<std::string> parameterText(std::string_view token, FieldType type) const;

    // The SQL state of a failure that means "try again later" beyond the common ones.
    virtual bool isRetryable(const QString &sqlstate, int nativeCode, const QString &lowerMessage) const;

protected:
    virtual std::string booleanText(bool value) const { return value ? "1" : "0"; }
    virtual void adjustTimestamp(std::string &) const {}
    QChar m_quote = QLatin1Char('"');
};

std::unique_ptr<SqlDialect> makeDialect(Flavor flavor);

} // namespace syncline::connectors::database
