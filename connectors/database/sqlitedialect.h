#pragma once
// SQLite: "quoted" identifiers, no schemas (the object is the table name as written), SQLite's
// upsert (INSERT ... ON CONFLICT(key) DO UPDATE), declared types that give the right affinity.

#include "connectors/database/sqldialect.h"

namespace syncline::connectors::database {

class SqliteDialect final : public SqlDialect
{
public:
    Flavor flavor() const override { return Flavor::SQLite; }
    QString id() const override { return QStringLiteral("sqlite"); }
    QString label() const override { return QStringLiteral("SQLite table"); }
    bool hasSchemas() const override { return false; }
    QString quote(const QString &identifier) const override;
    QString columnType(FieldType type, bool isKey) const override;
    QString upsert(const TableName &name, const QStringList &columns, const QString &key,
                   const QStringList &placeholders) const override;
    CatalogQuery tablesQuery() const override;
    CatalogQuery columnsQuery(const TableName &name) const override;
    FieldType fieldTypeOf(const QString &baseType, const QString &fullType) const override;
    bool isRetryable(const QString &sqlstate, int nativeCode, const QString &lowerMessage) const override;
};

} // namespace syncline::connectors::database
