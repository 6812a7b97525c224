#include "ui/widgets/errortext.h"

#include <QCoreApplication>

namespace syncline::ui {

using engine::Error;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("syncline::ui::ErrorText", text);
}

bool containsAny(const QString &text, std::initializer_list<const char *> needles)
{
    for (const char *needle : needles)
        if (text.contains(QLatin1String(needle), Qt::CaseInsensitive))
            return true;
    return false;
}

QString detailsOf(const Error &error)
{
    // What a support person asks for first: SQLSTATE, native code, the driver's own words.
    QStringList lines;
    const QStringList first{QStringLiteral("sqlstate"), QStringLiteral("native_code"), QStringLiteral("driver_message")};
    for (const QString &key : first)
        if (error.details.contains(key))
            lines << key + QStringLiteral(": ") + error.details.value(key);
    if (!error.code.isEmpty())
        lines << QStringLiteral("code: ") + error.code;
    for (auto it = error.details.cbegin(); it != error.details.cend(); ++it)
        if (!first.contains(it.key()))
            lines << it.key() + QStringLiteral(": ") + it.value();
    if (!error.message.isEmpty())
        lines << QStringLiteral("message: ") + error.message;
    return lines.join(QLatin1Char('\n'));
}

} // namespace

ErrorText ErrorText::forConnection(const Error &error)
{
    ErrorText text;
    text.details = detailsOf(error);
    const QString state = error.detail(QStringLiteral("sqlstate"));
    const QString words = error.detail(QStringLiteral("driver_message")) + QLatin1Char(' ') + error.message;

    const auto is = [&](const char *code) { return error.code == QLatin1String(code); };
    if (is("query.cancelled")) {
        text.cause = Cause::Cancelled;
        text.summary = tr("The query was cancelled.");
    } else if (is("odbc.driver_missing") || is("odbc.dsn_missing") || state == QStringLiteral("IM002") || state == QStringLiteral("IM003")
               || containsAny(words, {"can't open lib", "driver not found", "data source name not found",
                                      "no default driver", "file not found"})) {
        text.cause = Cause::DriverMissing;
        text.summary = tr("The ODBC driver (or data source) named in the connection is not installed on this computer.");
        text.hint = tr("Install the driver (for example odbc-postgresql, odbc-mariadb or libsqliteodbc on Debian), "
                       "or pick one of the installed drivers above.");
    } else if (is("odbc.auth") || state == QStringLiteral("28P01") || state.startsWith(QStringLiteral("28"))
               || containsAny(words, {"password authentication failed", "access denied", "login failed",
                                      "authentication failed", "invalid password", "incorrect username or password"})) {
        text.cause = Cause::WrongPassword;
        text.summary = tr("The server rejected the user name or password.");
        text.hint = tr("Check the user name and type the password again.");
    } else if (containsAny(words, {"does not exist", "unknown database", "cannot open database"})
               && !containsAny(words, {"role"})) {
        text.cause = Cause::UnknownDatabase;
        text.summary = tr("The server is reachable, but the database does not exist.");
        text.hint = tr("Check the database name (names can be case-sensitive).");
    } else if (is("query.timeout") || state == QStringLiteral("HYT00") || state == QStringLiteral("HYT01") || containsAny(words, {"timeout expired", "timed out"})) {
        text.cause = Cause::Timeout;
        text.summary = tr("The server did not answer in time.");
        text.hint = tr("Check the host name and port, and whether a VPN or firewall is in the way.");
    } else if (is("odbc.unreachable") || state.startsWith(QStringLiteral("08"))
               || containsAny(words, {"could not connect", "connection refused", "could not translate host name",
                                      "unknown host", "can't connect", "name or service not known", "no route to host",
                                      "unable to open database", "network is unreachable"})) {
        text.cause = Cause::HostUnreachable;
        text.summary = tr("Syncline could not reach the database server.");
        text.hint = tr("Check the host name and port, that the server is running, and whether a VPN or firewall is in the way.");
    } else {
        text.summary = error.message.isEmpty() ? tr("The connection failed.") : error.message;
        if (is("secret.missing") || is("secret.denied") || is("secret.keychain_unavailable"))
            text.hint = tr("Edit the source and type its password again.");
    }
    return text;
}

ErrorText ErrorText::forQuery(const Error &error)
{
    if (error.code.startsWith(QStringLiteral("odbc.")) || error.code.startsWith(QStringLiteral("secret.")))
        return forConnection(error);
    ErrorText text;
    text.cause = error.code == QStringLiteral("query.cancelled") ? Cause::Cancelled
               : error.code == QStringLiteral("query.timeout")   ? Cause::Timeout
                                                                 : Cause::Other;
    text.summary = error.message;
    text.details = detailsOf(error);
    return text;
}

QString ErrorText::html() const
{
    QString out = QStringLiteral("<b>") + summary.toHtmlEscaped() + QStringLiteral("</b>");
    if (!hint.isEmpty())
        out += QStringLiteral("<br>") + hint.toHtmlEscaped();
    return out;
}

} // namespace syncline::ui
