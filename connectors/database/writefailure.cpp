#include "connectors/database/writefailure.h"

#include <QRegularExpression>

namespace syncline::connectors::database {

QString databaseMessage(const engine::Error &error)
{
    QString text = error.detail(QStringLiteral("driver_message"));
    if (text.isEmpty())
        return error.message;
    static const QRegularExpression prefixes(QStringLiteral("^(\\s*\\[[^\\]]*\\])+\\s*"));
    text.remove(prefixes);
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    if (newline >= 0)
        text.truncate(newline);
    static const QRegularExpression severity(QStringLiteral("^(ERROR|FATAL):\\s*"));
    text.remove(severity);
    text = text.trimmed();
    while (text.endsWith(QLatin1Char(';')) || text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

FailureScope failureScope(const SqlDialect &dialect, const engine::Error &error)
{
    const QString sqlstate = error.detail(QStringLiteral("sqlstate"));
    const int native = error.detail(QStringLiteral("native_code")).toInt();
    const QString lower = error.detail(QStringLiteral("diagnostics")).toLower() + QLatin1Char('\n') + error.message.toLower();
    if (error.retryable || dialect.isRetryable(sqlstate, native, lower))
        return FailureScope::Transient;
    if (error.code == QLatin1String("query.cancelled"))
        return FailureScope::Batch;
    // Statement-level: the table, a column or a permission is wrong for every row alike.
    if (sqlstate.startsWith(QLatin1String("42")) || sqlstate.startsWith(QLatin1String("3F"))
        || sqlstate.startsWith(QLatin1String("0A")) || sqlstate.startsWith(QLatin1String("IM"))
        || sqlstate.startsWith(QLatin1String("25")) || sqlstate == QLatin1String("HY010"))
        return FailureScope::Batch;
    for (const char *needle : {"no such table", "no such column", "has no column", "unknown column", "doesn't exist",
                               "syntax error", "permission denied", "command denied", "read-only", "readonly"})
        if (lower.contains(QLatin1String(needle)))
            return FailureScope::Batch;
    return FailureScope::Row;
}

engine::Error batchFailure(const SqlDialect &dialect, const engine::Error &error, const QString &what)
{
    const FailureScope scope = failureScope(dialect, error);
    engine::Error out;
    out.code = scope == FailureScope::Transient ? QStringLiteral("database.transient") : QStringLiteral("database.write");
    out.retryable = scope == FailureScope::Transient;
    out.message = QStringLiteral("%1: %2").arg(what, databaseMessage(error));
    if (out.retryable)
        out.message += QStringLiteral(" (temporary; the batch is tried again)");
    out.details = error.details;
    return out;
}

engine::Error catalogFailure(const engine::Error &error, const QString &what)
{
    engine::Error out = error;
    out.code = QStringLiteral("database.catalog");
    out.message = QStringLiteral("%1: %2").arg(what, databaseMessage(error));
    return out;
}

} // namespace syncline::connectors::database
