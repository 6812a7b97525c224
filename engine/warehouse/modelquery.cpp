#include "engine/warehouse/modelquery.h"

#include "engine/warehouse/driverdefaults.h"
#include "engine/warehouse/pgconninfo.h"
#include "engine/warehouse/pgcopycursor.h"

#include <QSet>

namespace syncline::engine::warehouse {

bool pgCopyEnabled()
{
    return qEnvironmentVariable("SYNCLINE_PG_COPY") != QLatin1String("0");
}

bool pgCopyReadsType(const QString &typeName)
{
    static const QSet<QString> types = {
        QStringLiteral("int2"), QStringLiteral("int4"), QStringLiteral("int8"), QStringLiteral("numeric"),
        QStringLiteral("float4"), QStringLiteral("float8"), QStringLiteral("bool"), QStringLiteral("text"),
        QStringLiteral("varchar"), QStringLiteral("bpchar"), QStringLiteral("char"), QStringLiteral("name"),
        QStringLiteral("date"), QStringLiteral("time"), QStringLiteral("timestamp"), QStringLiteral("timestamptz"),
        QStringLiteral("bytea"), QStringLiteral("uuid"), QStringLiteral("json"), QStringLiteral("jsonb"),
        QStringLiteral("timestamp without time zone"), QStringLiteral("timestamp with time zone"),
        QStringLiteral("time without time zone"),
        // psqlODBC's name for types it has no mapping for (json, jsonb, arrays, ...): it hands out
        // the server's text for them, which is what COPY's text format holds too.
        QStringLiteral("unknown"),
    };
    return types.contains(typeName.toLower());
}

Result<std::unique_ptr<QueryCursor>> openModelQuery(OdbcConnection &connection, const ConnectionSpec &spec,
                                                    const QString &sql, const QueryOptions &options)
{
    if (options.limit || !pgCopyEnabled() || recogniseDriverName(connection.driverName()) != DriverFamily::PostgreSQL)
        return connection.execute(sql, options);
    const std::optional<QByteArray> conninfo = libpqConninfo(spec);
    if (!conninfo)
        return connection.execute(sql, options);
    QString body = sql.trimmed();
    while (body.endsWith(QLatin1Char(';')))
        body = body.chopped(1).trimmed();
    // The columns and their kinds exactly as the ODBC cursor would report them.
    auto described = connection.execute(QStringLiteral("SELECT * FROM (%1\n) AS syncline_model LIMIT 0").arg(body), options);
    if (!described)
        return std::unexpected(described.error());
    std::vector<Column> columns = (*described)->columns();
    described->reset();
    if (columns.empty() || !std::all_of(columns.begin(), columns.end(), [](const Column &c) { return pgCopyReadsType(c.typeName); }))
        return connection.execute(sql, options);
    OdbcErrorContext errors;
    errors.password = spec.password;
    return PgCopyCursor::open(*conninfo, std::move(columns), body, options, errors);
}

} // namespace syncline::engine::warehouse
