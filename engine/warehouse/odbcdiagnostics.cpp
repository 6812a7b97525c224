#include "engine/warehouse/odbcdiagnostics.h"

#include "engine/warehouse/odbctext.h"

#include <QRegularExpression>
#include <QStringList>

#include <sqlext.h>
#include <sqlucode.h>

namespace syncline::engine::warehouse {

std::vector<OdbcDiagnostic> readDiagnostics(SQLSMALLINT handleType, SQLHANDLE handle)
{
    std::vector<OdbcDiagnostic> records;
    if (!handle)
        return records;
    for (SQLSMALLINT i = 1; i < 64; ++i) {
        SQLWCHAR state[8] = {};
        SQLINTEGER native = 0;
        std::vector<SQLWCHAR> message(1024, 0);
        SQLSMALLINT length = 0;
        SQLRETURN rc = SQLGetDiagRecW(handleType, handle, i, state, &native, message.data(),
                                      SQLSMALLINT(message.size()), &length);
        if (rc == SQL_SUCCESS_WITH_INFO && length >= SQLSMALLINT(message.size())) {
            message.assign(size_t(length) + 1, 0);
            rc = SQLGetDiagRecW(handleType, handle, i, state, &native, message.data(), SQLSMALLINT(message.size()), &length);
        }
        if (!SQL_SUCCEEDED(rc))
            break;
        records.push_back({fromSqlWide(state, 5), int(native), fromSqlWide(message.data(), qMin<qsizetype>(length, qsizetype(message.size()) - 1)).trimmed()});
    }
    return records;
}

QString redactSecrets(QString text, const std::optional<QString> &password)
{
    if (password && !password->isEmpty())
        text.replace(*password, QStringLiteral("****"));
    static const QRegularExpression pwd(QStringLiteral("\\b(pwd|password)(\\s*=\\s*)(\\{(?:[^}]|\\}\\})*\\}|[^;]*)"),
                                        QRegularExpression::CaseInsensitiveOption);
    text.replace(pwd, QStringLiteral("\\1\\2****"));
    return text;
}

namespace {

// "[unixODBC][Driver Manager]Data source ..." -> "Data source ..."; first line only.
QString shortMessage(const QString &message)
{
    QString text = message;
    static const QRegularExpression prefixes(QStringLiteral("^(\\s*\\[[^\\]]*\\])+\\s*"));
    text.remove(prefixes);
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    if (newline >= 0)
        text.truncate(newline);
    text = text.trimmed();
    while (text.endsWith(QLatin1Char('.')) || text.endsWith(QLatin1Char(';')))
        text.chop(1);
    return text;
}

bool anyState(const std::vector<OdbcDiagnostic> &records, std::initializer_list<const char *> states)
{
    for (const auto &record : records)
        for (const char *state : states)
            if (record.sqlstate == QLatin1String(state))
                return true;
    return false;
}

bool anyStatePrefix(const std::vector<OdbcDiagnostic> &records, const char *prefix)
{
    for (const auto &record : records)
        if (record.sqlstate.startsWith(QLatin1String(prefix)))
            return true;
    return false;
}

bool mentions(const QString &lowerText, std::initializer_list<const char *> needles)
{
    for (const char *needle : needles)
        if (lowerText.contains(QLatin1String(needle)))
            return true;
    return false;
}

struct Verdict
{
    const char *code;
    QString message;
    bool retryable = false;
};

Verdict classifyConnect(const std::vector<OdbcDiagnostic> &records, const QString &lower, const QString &first,
                        const OdbcErrorContext &context)
{
    if (anyState(records, {"IM002"}) || (mentions(lower, {"can't open lib"}) && mentions(lower, {"file not found"}))) {
        if (!context.driver.isEmpty())
            return {"odbc.driver_missing", QStringLiteral("The ODBC driver \"%1\" is not installed on this machine; install it or pick one listed by 'syncline-cli drivers'").arg(context.driver)};
        if (!context.dsn.isEmpty())
            return {"odbc.dsn_missing", QStringLiteral("The ODBC data source \"%1\" is not defined; define it in odbc.ini or pick one listed by 'syncline-cli drivers'").arg(context.dsn)};
        return {"odbc.bad_connection_string", QStringLiteral("The connection string names no driver or data source; write Driver={name};... or DSN=name")};
    }
    if (anyState(records, {"IM003", "IM004", "IM005"}) || mentions(lower, {"can't open lib"}))
        return {"odbc.driver_missing", QStringLiteral("The ODBC driver \"%1\" is registered but could not be loaded (%2); reinstall it").arg(context.driver, first)};
    if (anyState(records, {"28000", "28P01"})
        || mentions(lower, {"password authentication failed", "access denied", "authentication failed", "no password supplied", "password is wrong"}))
        return {"odbc.auth", QStringLiteral("The warehouse rejected the user name or password; check the credentials of this source")};
    if (mentions(lower, {"connection refused", "could not connect to server", "can't connect", "cannot connect", "no route to host",
                         "could not translate host name", "unknown host", "name or service not known", "timeout expired",
                         "timed out", "network is unreachable", "unknown mysql server host"}))
        return {"odbc.unreachable", QStringLiteral("Could not reach the warehouse server (%1); check the host and port and that the server is running").arg(first), true};
    if (anyState(records, {"01S00", "IM007", "IM008", "IM010", "IM011", "IM012", "HY024", "HY090"})
        || mentions(lower, {"invalid connection string", "invalid attribute", "connection string"}))
        return {"odbc.bad_connection_string", QStringLiteral("The connection string is not valid (%1); check its Key=Value pairs").arg(first)};
    if (anyStatePrefix(records, "08") || anyState(records, {"HYT00", "HYT01"}))
        return {"odbc.connect", QStringLiteral("The warehouse refused the connection: %1").arg(first), true};
    return {"odbc.connect", QStringLiteral("Could not connect to the warehouse: %1").arg(first)};
}

Verdict classifyQuery(const std::vector<OdbcDiagnostic> &records, const QString &lower, const QString &first,
                      const OdbcErrorContext &context)
{
    if (context.cancelled)
        return {"query.cancelled", QStringLiteral("The query was cancelled")};
    if (anyState(records, {"HYT00", "HYT01"}) || mentions(lower, {"statement timeout", "query execution was interrupted, maximum statement execution time"}))
        return {"query.timeout", QStringLiteral("The query ran longer than its timeout and was stopped; raise the timeout or make the query cheaper"), true};
    if (anyState(records, {"57014", "HY008", "70100"}) || mentions(lower, {"interrupted", "canceling statement"}))
        return {"query.cancelled", QStringLiteral("The query was cancelled by the server: %1").arg(first)};
    if (anyState(records, {"42601"}) || mentions(lower, {"syntax error", "error in your sql syntax", "syntax_error"}))
        return {"query.syntax", QStringLiteral("The SQL has a syntax error: %1").arg(first)};
    if (anyState(records, {"42703", "42S22"}) || mentions(lower, {"no such column", "unknown column"}))
        return {"query.missing_column", QStringLiteral("The query names a column that does not exist: %1").arg(first)};
    if (anyState(records, {"42P01", "42S02"}) || mentions(lower, {"no such table", "does not exist", "doesn't exist"}))
        return {"query.missing_table", QStringLiteral("The query names a table or view that does not exist: %1").arg(first)};
    if (anyState(records, {"42501"}) || mentions(lower, {"permission denied", "command denied"}))
        return {"query.permission", QStringLiteral("The warehouse user may not run this query: %1").arg(first)};
    if (anyStatePrefix(records, "08"))
        return {"odbc.connection_lost", QStringLiteral("The connection to the warehouse was lost: %1").arg(first), true};
    return {"query.failed", QStringLiteral("The warehouse could not run the query: %1").arg(first)};
}

} // namespace

Error classifyOdbcError(OdbcStep step, const std::vector<OdbcDiagnostic> &rawRecords, const OdbcErrorContext &context)
{
    std::vector<OdbcDiagnostic> records = rawRecords;
    for (auto &record : records)
        record.message = redactSecrets(record.message, context.password);
    // The most telling record: the first that is not a mere warning (01xxx).
    const OdbcDiagnostic *main = records.empty() ? nullptr : &records.front();
    for (const auto &record : records)
        if (!record.sqlstate.startsWith(QLatin1String("01"))) {
            main = &record;
            break;
        }
    QStringList lowerTexts;
    for (const auto &record : records)
        lowerTexts << record.message.toLower();
    const QString lower = lowerTexts.join(QLatin1Char('\n'));
    const QString first = main ? shortMessage(main->message) : QStringLiteral("no diagnostic from the driver");

    Verdict verdict;
    switch (step) {
    case OdbcStep::Connect: verdict = classifyConnect(records, lower, first, context); break;
    case OdbcStep::Execute:
    case OdbcStep::Fetch: verdict = classifyQuery(records, lower, first, context); break;
    case OdbcStep::Catalog:
        verdict = {"odbc.catalog", QStringLiteral("Could not read the warehouse catalog: %1").arg(first)};
        break;
    case OdbcStep::Drivers:
        verdict = {"odbc.drivers", QStringLiteral("Could not list the ODBC drivers: %1").arg(first)};
        break;
    }

    QMap<QString, QString> details;
    if (main) {
        details.insert(QStringLiteral("sqlstate"), main->sqlstate);
        details.insert(QStringLiteral("native_code"), QString::number(main->nativeCode));
        details.insert(QStringLiteral("driver_message"), main->message);
    }
    QStringList all;
    for (const auto &record : records)
        all << QStringLiteral("%1 (%2): %3").arg(record.sqlstate).arg(record.nativeCode).arg(record.message);
    if (!all.isEmpty())
        details.insert(QStringLiteral("diagnostics"), all.join(QLatin1Char('\n')));
    return Error{QString::fromLatin1(verdict.code), redactSecrets(verdict.message, context.password), verdict.retryable, details};
}

Error odbcError(OdbcStep step, SQLSMALLINT handleType, SQLHANDLE handle, const OdbcErrorContext &context)
{
    return classifyOdbcError(step, readDiagnostics(handleType, handle), context);
}

} // namespace syncline::engine::warehouse
