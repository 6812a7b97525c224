#pragma once
// MariaDB: `quoted` identifiers, databases as schemas, INSERT ... ON DUPLICATE KEY UPDATE.
// A text key of a table created from the mapping is VARCHAR(255) with the binary collation
// (TEXT cannot be a key without a length, and utf8mb4_bin keeps keys that differ only in case
// apart). Existing text columns with a *_ci collation are reported as case-insensitive.

#include "connectors/database/sqldialect.h"

namespace syncline::connectors::database {

class MariaDbDialect final : public SqlDialect
{
public:
    MariaDbDialect() { m_quote = QLatin1Char('`'); }
    Flavor flavor() const override { return Flavor::MariaDB; }
    QString id() const override { return QStringLiteral("mariadb"); }
    QString label() const override { return QStringLiteral("MariaDB table"); }
    QString quote(const QString &identifier) const override;
    QString columnType(FieldType type, bool isKey) const override;
    QString createTable(const TableName &name, const std::vector<engine::connector::FieldSpec> &fields,
                        const QString &keyField) const override;
    QString upsert(const TableName &name, const QStringList &columns, const QString &key,
                   const QStringList &placeholders) const override;
    CatalogQuery tablesQuery() const override;
    CatalogQuery columnsQuery(const TableName &name) const override;
    FieldType fieldTypeOf(const QString &baseType, const QString &fullType) const override;
    bool isCaseInsensitive(const QString &baseType, const QString &collation) const override;
    bool isRetryable(const QString &sqlstate, int nativeCode, const QString &lowerMessage) const override;

protected:
    void adjustTimestamp(std::string &text) const override;
};

} // namespace syncline::connectors::database
