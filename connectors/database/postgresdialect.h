#pragma once
// PostgreSQL: "quoted" identifiers, schemas, INSERT ... ON CONFLICT (key) DO UPDATE, parameters
// cast to the column's type (psqlODBC sends text parameters as varchar), timestamptz and jsonb
// for tables created from the mapping.

#include "connectors/database/sqldialect.h"

namespace syncline::connectors::database {

class PostgresDialect final : public SqlDialect
{
public:
    Flavor flavor() const override { return Flavor::PostgreSQL; }
    QString id() const override { return QStringLiteral("postgresql"); }
    QString label() const override { return QStringLiteral("PostgreSQL table"); }
    QString quote(const QString &identifier) const override;
    QString columnType(FieldType type, bool isKey) const override;
    QString upsert(const TableName &name, const QStringList &columns, const QString &key,
                   const QStringList &placeholders) const override;
    CatalogQuery tablesQuery() const override;
    CatalogQuery columnsQuery(const TableName &name) const override;
    FieldType fieldTypeOf(const QString &baseType, const QString &fullType) const override;
    bool isCaseInsensitive(const QString &baseType, const QString &collation) const override;
    QString placeholder(const TableColumn &column) const override;
    bool isRetryable(const QString &sqlstate, int nativeCode, const QString &lowerMessage) const override;

protected:
    std::string booleanText(bool value) const override { return value ? "true" : "false"; }
};

} // namespace syncline::connectors::database
