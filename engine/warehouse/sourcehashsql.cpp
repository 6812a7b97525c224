#include "engine/warehouse/sourcehashsql.h"

#include <QRegularExpression>

// What each dialect's rendering was checked against (vendor documentation, December 2026):
// - PostgreSQL (11 and later): hashtextextended(text, seed) over the row's own text output,
//   ROW(c1, c2, ...)::text. The record output is what record_in parses back, so it is exact:
//   NULL is nothing, '' is "", a value with a comma, quote, parenthesis, backslash or space is
//   quoted with quotes and backslashes doubled, so NULL, '' and 'NULL' differ and no value runs
//   into the next. Each value is its type's output function, the text psqlODBC hands the mapper
//   (floats as float8send()'s exact bytes instead, whatever extra_float_digits says;
//   timestamptz follows the session TimeZone, which OdbcConnection sets to UTC).
//   hashtextextended is the 64-bit hash PostgreSQL's hash partitioning stores on disk, so it is
//   stable across versions and platforms; it is printed as 32 hex digits (16 leading zeros), the
//   width every dialect's hash has. 64 bits: a changed row keeps its old hash with probability
//   2^-64. Measured at 1M contacts rows (10 columns): 1.6-1.9 s against md5 over the 'V<len>:'
//   framing's 4.0-4.3 s (the rendering alone is 1.6 s). Run for real in the tests.
// - MariaDB/MySQL: MD5(str) returns 32 hex digits; CONCAT() is NULL when any argument is, hence
//   the COALESCE; CAST(double AS CHAR) prints the shortest text that reads back to the same double
//   (checked on the test server: 0.1 + 0.2 -> 0.30000000000000004); CHAR_LENGTH counts
//   characters. Run for real in the tests.
// - SQL Server: HASHBYTES('MD5', ...) over NVARCHAR (UTF-16) without the 8,000-byte limit since
//   2016; CONVERT(VARCHAR(32), bytes, 2) is hex without 0x; CONVERT(..., float, 3) always gives
//   17 digits (lossless); styles 126/127 are ISO 8601 with every fractional digit; DATALENGTH,
//   not LEN, which drops trailing spaces.
// - Snowflake: MD5() returns hex (docs: MD5); TO_CHAR/TO_VARCHAR take a numeric format model
//   (docs: TO_CHAR), and floats use 'TME' (text-minimal, scientific); TIMESTAMP_TZ values are
//   converted to UTC first; FF9 prints nanoseconds. Not checked: that TME keeps all 17 digits.
// - BigQuery: MD5() returns BYTES, hence TO_HEX; the conversion rules say CAST(FLOAT64 AS
//   STRING) "returns an approximate string representation", so floats use FORMAT('%.17g');
//   FORMAT_TIMESTAMP with %E6S and the 'UTC' zone.
// - Redshift: MD5() returns "a 32-character string that is a text representation of the
//   hexadecimal value" (docs: MD5 function); OCTET_LENGTH, since LEN drops trailing blanks of
//   CHAR; TO_CHAR with US (microseconds); literals escape backslashes; VARCHAR without a length
//   is VARCHAR(256) and the widest is 65,535 bytes (docs: Character types), hence
//   ::varchar(65535). Not checked: float8 text.
// - Databricks (Spark SQL): md5() returns hex; CAST(double AS STRING) is Java's round-trip
//   form; date_format with a literal 'T' and SSSSSS; identifiers in backticks.
// Only PostgreSQL and MariaDB run against a server in the tests; the others are checked as text.

namespace syncline::engine::warehouse {

namespace {

QString quoteChars(QString text, QChar quote)
{
    text.replace(quote, QString(quote) + quote);
    return quote + text + quote;
}

// 'V' <length> ':' <text>, or 'N' when the text is NULL (only when the value is).
QString framed(SqlDialect dialect, const QString &text)
{
    switch (dialect) {
    case SqlDialect::PostgreSQL:
        return QStringLiteral("coalesce('V' || length(%1) || ':' || %1, 'N')").arg(text);
    case SqlDialect::Redshift:
        return QStringLiteral("coalesce('V' || octet_length(%1)::varchar || ':' || %1, 'N')").arg(text);
    case SqlDialect::Snowflake:
        return QStringLiteral("COALESCE('V' || LENGTH(%1) || ':' || %1, 'N')").arg(text);
    case SqlDialect::MariaDB:
        return QStringLiteral("COALESCE(CONCAT('V', CHAR_LENGTH(%1), ':', %1), 'N')").arg(text);
    case SqlDialect::SqlServer:
        return QStringLiteral("COALESCE(N'V' + CAST(DATALENGTH(%1) AS NVARCHAR(20)) + N':' + %1, N'N')").arg(text);
    case SqlDialect::BigQuery:
        return QStringLiteral("COALESCE(CONCAT('V', CAST(LENGTH(%1) AS STRING), ':', %1), 'N')").arg(text);
    case SqlDialect::Databricks:
        return QStringLiteral("coalesce(concat('V', cast(length(%1) AS STRING), ':', %1), 'N')").arg(text);
    }
    return text;
}

QString postgresText(const QString &c, ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Real:
        return QStringLiteral("encode(float8send(%1::float8), 'hex')").arg(c);
    case ColumnKind::Boolean:
        return QStringLiteral("CASE WHEN %1 THEN 't' ELSE 'f' END").arg(c);
    case ColumnKind::Binary:
        return QStringLiteral("encode(%1::bytea, 'hex')").arg(c);
    default:
        return QStringLiteral("%1::text").arg(c);
    }
}

// A value inside ROW(...): its type's own output, but floats by their exact bytes.
QString postgresRowValue(const QString &c, ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Real:
        return QStringLiteral("float8send(%1::float8)").arg(c);
    case ColumnKind::Binary:
        return QStringLiteral("%1::bytea").arg(c);
    default:
        return c;
    }
}

QString redshiftText(const QString &c, ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Boolean:
        return QStringLiteral("CASE WHEN %1 THEN 't' ELSE 'f' END").arg(c);
    case ColumnKind::Timestamp:
        return QStringLiteral("to_char(%1, 'YYYY-MM-DD\"T\"HH24:MI:SS.US')").arg(c);
    case ColumnKind::TimestampTz:
        return QStringLiteral("to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')").arg(c);
    case ColumnKind::Binary:
        return QStringLiteral("to_hex(%1)").arg(c);
    default: // a bare ::varchar is VARCHAR(256) on Redshift, which would cut long texts short
        return QStringLiteral("%1::varchar(65535)").arg(c);
    }
}

QString mariaText(const QString &c, ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Text:
        return QStringLiteral("CONVERT(%1 USING utf8mb4)").arg(c);
    case ColumnKind::Boolean:
        return QStringLiteral("CAST(%1 + 0 AS CHAR)").arg(c); // BIT(1) and TINYINT(1) alike
    case ColumnKind::Binary:
        return QStringLiteral("HEX(%1)").arg(c);
    default:
        return QStringLiteral("CAST(%1 AS CHAR)").arg(c);
    }
}

QString sqlServerText(const QString &c, ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Real:
        return QStringLiteral("CONVERT(NVARCHAR(40), %1, 3)").arg(c);
    case ColumnKind::Date:
        return QStringLiteral("CONVERT(NVARCHAR(10), %1, 23)").arg(c);
    case ColumnKind::Timestamp:
        return QStringLiteral("CONVERT(NVARCHAR(40), %1, 126)").arg(c);
    case ColumnKind::TimestampTz:
        return QStringLiteral("CONVERT(NVARCHAR(40), SWITCHOFFSET(%1, '+00:00'), 127)").arg(c);
    case ColumnKind::Binary:
        return QStringLiteral("CONVERT(NVARCHAR(MAX), %1, 2)").arg(c);
    default:
        return QStringLiteral("CAST(%1 AS NVARCHAR(MAX))").arg(c);
    }
}

QString snowflakeText(const QString &c, ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Real:
        return QStringLiteral("TO_CHAR(%1, 'TME')").arg(c);
    case ColumnKind::Boolean:
        return QStringLiteral("IFF(%1, 't', 'f')").arg(c);
    case ColumnKind::Date:
        return QStringLiteral("TO_VARCHAR(%1, 'YYYY-MM-DD')").arg(c);
    case ColumnKind::Timestamp:
        return QStringLiteral("TO_VARCHAR(%1, 'YYYY-MM-DD\"T\"HH24:MI:SS.FF9')").arg(c);
    case ColumnKind::TimestampTz:
        return QStringLiteral("TO_VARCHAR(CONVERT_TIMEZONE('UTC', %1), 'YYYY-MM-DD\"T\"HH24:MI:SS.FF9')").arg(c);
    case ColumnKind::Binary:
        return QStringLiteral("TO_VARCHAR(%1, 'HEX')").arg(c);
    default:
        return QStringLiteral("TO_VARCHAR(%1)").arg(c);
    }
}

QString bigQueryText(const QString &c, ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Text:
        return c;
    case ColumnKind::Real:
        return QStringLiteral("FORMAT('%.17g', %1)").arg(c);
    case ColumnKind::Boolean:
        return QStringLiteral("IF(%1, 't', 'f')").arg(c);
    case ColumnKind::Date:
        return QStringLiteral("FORMAT_DATE('%F', %1)").arg(c);
    case ColumnKind::Timestamp:
        return QStringLiteral("FORMAT_DATETIME('%Y-%m-%dT%H:%M:%E6S', %1)").arg(c);
    case ColumnKind::TimestampTz:
        return QStringLiteral("FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E6SZ', %1, 'UTC')").arg(c);
    case ColumnKind::Binary:
        return QStringLiteral("TO_HEX(%1)").arg(c);
    default:
        return QStringLiteral("CAST(%1 AS STRING)").arg(c);
    }
}

QString databricksText(const QString &c, ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Timestamp:
    case ColumnKind::TimestampTz:
        return QStringLiteral("date_format(%1, \"yyyy-MM-dd'T'HH:mm:ss.SSSSSS\")").arg(c);
    case ColumnKind::Binary:
        return QStringLiteral("hex(%1)").arg(c);
    default:
        return QStringLiteral("cast(%1 AS STRING)").arg(c);
    }
}

QString selectList(SqlDialect dialect, const std::vector<Column> &columns)
{
    QStringList names;
    for (const Column &column : columns)
        names << QStringLiteral("m.") + quoteIdentifier(dialect, column.name);
    return names.join(QStringLiteral(", "));
}

QString hashAlias(SqlDialect dialect)
{
    return quoteIdentifier(dialect, QStringLiteral("syncline_source_hash"));
}

} // namespace

QString sqlDialectName(SqlDialect dialect)
{
    switch (dialect) {
    case SqlDialect::PostgreSQL:
        return QStringLiteral("PostgreSQL");
    case SqlDialect::MariaDB:
        return QStringLiteral("MariaDB");
    case SqlDialect::SqlServer:
        return QStringLiteral("SQL Server");
    case SqlDialect::Snowflake:
        return QStringLiteral("Snowflake");
    case SqlDialect::BigQuery:
        return QStringLiteral("BigQuery");
    case SqlDialect::Redshift:
        return QStringLiteral("Redshift");
    case SqlDialect::Databricks:
        return QStringLiteral("Databricks");
    }
    return {};
}

std::optional<SqlDialect> sqlDialectForDbms(const QString &dbmsName)
{
    const QString name = dbmsName.toLower();
    // Redshift's driver may call itself PostgreSQL-like: test it first.
    if (name.contains(QLatin1String("redshift")))
        return SqlDialect::Redshift;
    if (name.contains(QLatin1String("postgres")))
        return SqlDialect::PostgreSQL;
    if (name.contains(QLatin1String("mariadb")) || name.contains(QLatin1String("mysql")))
        return SqlDialect::MariaDB;
    if (name.contains(QLatin1String("sql server")))
        return SqlDialect::SqlServer;
    if (name.contains(QLatin1String("snowflake")))
        return SqlDialect::Snowflake;
    if (name.contains(QLatin1String("bigquery")))
        return SqlDialect::BigQuery;
    if (name.contains(QLatin1String("databricks")) || name.contains(QLatin1String("spark")))
        return SqlDialect::Databricks;
    return std::nullopt;
}

QString quoteIdentifier(SqlDialect dialect, const QString &name)
{
    switch (dialect) {
    case SqlDialect::MariaDB:
    case SqlDialect::Databricks:
        return quoteChars(name, QLatin1Char('`'));
    case SqlDialect::BigQuery: {
        // BigQuery escapes inside backticks with a backslash.
        QString escaped = name;
        escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('`'), QStringLiteral("\\`"));
        return QLatin1Char('`') + escaped + QLatin1Char('`');
    }
    case SqlDialect::SqlServer: {
        QString escaped = name;
        escaped.replace(QLatin1Char(']'), QStringLiteral("]]"));
        return QLatin1Char('[') + escaped + QLatin1Char(']');
    }
    default:
        return quoteChars(name, QLatin1Char('"'));
    }
}

QString modelSubquery(const QString &modelSql)
{
    QString sql = modelSql.trimmed();
    while (sql.endsWith(QLatin1Char(';')))
        sql = sql.chopped(1).trimmed();
    // On a line of its own, so a "-- comment" at the model's end cannot swallow the ") m".
    return sql.contains(QLatin1String("--")) ? sql + QLatin1Char('\n') : sql;
}

QString canonicalValue(SqlDialect dialect, const QString &name, ColumnKind kind)
{
    switch (dialect) {
    case SqlDialect::PostgreSQL:
        return framed(dialect, postgresText(name, kind));
    case SqlDialect::Redshift:
        return framed(dialect, redshiftText(name, kind));
    case SqlDialect::MariaDB:
        return framed(dialect, mariaText(name, kind));
    case SqlDialect::SqlServer:
        return framed(dialect, sqlServerText(name, kind));
    case SqlDialect::Snowflake:
        return framed(dialect, snowflakeText(name, kind));
    case SqlDialect::BigQuery:
        return framed(dialect, bigQueryText(name, kind));
    case SqlDialect::Databricks:
        return framed(dialect, databricksText(name, kind));
    }
    return name;
}

QString sourceHashExpression(SqlDialect dialect, const std::vector<Column> &columns)
{
    if (dialect == SqlDialect::PostgreSQL) {
        QStringList values;
        for (const Column &column : columns)
            values << postgresRowValue(QStringLiteral("m.") + quoteIdentifier(dialect, column.name), column.kind);
        if (values.isEmpty())
            values << QStringLiteral("'-'");
        return QStringLiteral("lpad(to_hex(hashtextextended(ROW(%1)::text, 0)), 32, '0')").arg(values.join(QStringLiteral(", ")));
    }
    QStringList parts;
    for (const Column &column : columns)
        parts << canonicalValue(dialect, QStringLiteral("m.") + quoteIdentifier(dialect, column.name), column.kind);
    if (parts.isEmpty()) // a mapping of constants only: every row hashes alike
        parts << QStringLiteral("'-'");
    switch (dialect) {
    case SqlDialect::PostgreSQL: // above
    case SqlDialect::Redshift:
    case SqlDialect::Snowflake:
        return QStringLiteral("md5(%1)").arg(parts.join(QStringLiteral(" || ")));
    case SqlDialect::MariaDB:
        return QStringLiteral("MD5(CONCAT(%1))").arg(parts.join(QStringLiteral(", ")));
    case SqlDialect::SqlServer:
        return QStringLiteral("CONVERT(VARCHAR(32), HASHBYTES('MD5', CAST(%1 AS NVARCHAR(MAX))), 2)")
            .arg(parts.join(QStringLiteral(" + ")));
    case SqlDialect::BigQuery:
        return QStringLiteral("TO_HEX(MD5(CONCAT(%1)))").arg(parts.join(QStringLiteral(", ")));
    case SqlDialect::Databricks:
        return QStringLiteral("md5(concat(%1))").arg(parts.join(QStringLiteral(", ")));
    }
    return {};
}

QString describeQuery(SqlDialect dialect, const QString &modelSql)
{
    Q_UNUSED(dialect)
    return QStringLiteral("SELECT * FROM (%1) m WHERE 1 = 0").arg(modelSubquery(modelSql));
}

QString hashQuery(SqlDialect dialect, const QString &modelSql, const std::vector<Column> &selected,
                  const std::vector<Column> &hashed)
{
    return QStringLiteral("SELECT %1, %2 AS %3 FROM (%4) m")
        .arg(selectList(dialect, selected), sourceHashExpression(dialect, hashed), hashAlias(dialect),
             modelSubquery(modelSql));
}

QString fullQuery(SqlDialect dialect, const QString &modelSql, const std::vector<Column> &hashed)
{
    return QStringLiteral("SELECT m.*, %1 AS %2 FROM (%3) m")
        .arg(sourceHashExpression(dialect, hashed), hashAlias(dialect), modelSubquery(modelSql));
}

QString fetchQuery(SqlDialect dialect, const QString &modelSql, const std::vector<Column> &hashed,
                   const std::vector<Column> &keyColumns, const std::vector<QStringList> &keys)
{
    QStringList tuples;
    for (const QStringList &key : keys)
        tuples << (key.size() == 1 ? key.front() : QLatin1Char('(') + key.join(QStringLiteral(", ")) + QLatin1Char(')'));
    const QString columns = keyColumns.size() == 1 ? selectList(dialect, keyColumns)
                                                   : QLatin1Char('(') + selectList(dialect, keyColumns) + QLatin1Char(')');
    return fullQuery(dialect, modelSql, hashed)
        + QStringLiteral(" WHERE %1 IN (%2)").arg(columns, tuples.join(QStringLiteral(", ")));
}

std::optional<QString> keyLiteral(SqlDialect dialect, ColumnKind kind, const QString &value)
{
    switch (kind) {
    case ColumnKind::Integer: {
        bool ok = false;
        value.toLongLong(&ok);
        return ok ? std::optional<QString>(value) : std::nullopt;
    }
    case ColumnKind::Decimal:
    case ColumnKind::Date:
    case ColumnKind::Timestamp:
    case ColumnKind::TimestampTz:
        // Digits, signs, '.', ':', 'T', 'Z' and spaces only: quoting needs no escape.
        for (QChar c : value)
            if (!(c.isDigit() || QStringLiteral("+-.: TZ").contains(c)))
                return std::nullopt;
        // BigQuery coerces a string literal to dates and timestamps, not to NUMERIC (docs:
        // Conversion rules, literal coercion); Databricks writes an exact decimal as 1.50BD
        // (docs: DECIMAL type, literals).
        if (kind == ColumnKind::Decimal && dialect == SqlDialect::BigQuery)
            return QStringLiteral("NUMERIC '") + value + QLatin1Char('\'');
        if (kind == ColumnKind::Decimal && dialect == SqlDialect::Databricks)
            return value.contains(QRegularExpression(QStringLiteral("^-?[0-9]+(\\.[0-9]+)?$")))
                ? std::optional<QString>(value + QStringLiteral("BD"))
                : std::nullopt;
        return QLatin1Char('\'') + value + QLatin1Char('\'');
    case ColumnKind::Text:
        break;
    default:
        return std::nullopt;
    }
    if (value.contains(QChar(0)))
        return std::nullopt;
    switch (dialect) {
    case SqlDialect::PostgreSQL: {
        // E'' reads backslashes the same way whatever standard_conforming_strings says.
        QString escaped = value;
        escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("''"));
        return QStringLiteral("E'") + escaped + QLatin1Char('\'');
    }
    case SqlDialect::MariaDB:
        // A hex string with a character set introducer: no escaping, whatever sql_mode says;
        // it takes the column's collation when compared (coercibility).
        return QStringLiteral("_utf8mb4 X'%1'").arg(QString::fromLatin1(value.toUtf8().toHex()));
    case SqlDialect::SqlServer: {
        QString escaped = value;
        escaped.replace(QLatin1Char('\''), QStringLiteral("''"));
        return QStringLiteral("N'") + escaped + QLatin1Char('\'');
    }
    case SqlDialect::BigQuery:
    case SqlDialect::Databricks: {
        QString escaped = value;
        escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
        return QLatin1Char('\'') + escaped + QLatin1Char('\'');
    }
    case SqlDialect::Snowflake:
    case SqlDialect::Redshift: { // both read a backslash in a literal as an escape
        QString escaped = value;
        escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("''"));
        return QLatin1Char('\'') + escaped + QLatin1Char('\'');
    }
    }
    return std::nullopt;
}

} // namespace syncline::engine::warehouse
