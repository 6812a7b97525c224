// `syncline-cli query`: runs SQL on a warehouse and streams its rows to stdout.
#include "app/cli/command.h"
#include "app/cli/commands/queryoutput.h"

#include "engine/warehouse/odbcconnection.h"

#include <QCommandLineParser>
#include <QElapsedTimer>

#include <cstdio>

namespace syncline::cli {
namespace {

using namespace syncline::engine::warehouse;

int runQuery(CommandContext &context)
{
    QCommandLineParser parser;
    const QCommandLineOption connectionOption(QStringLiteral("connection"), QStringLiteral("ODBC connection string or DSN name"), QStringLiteral("STR"));
    const QCommandLineOption sqlOption(QStringLiteral("sql"), QStringLiteral("the query"), QStringLiteral("SQL"));
    const QCommandLineOption limitOption(QStringLiteral("limit"), QStringLiteral("stop after N rows"), QStringLiteral("N"));
    const QCommandLineOption formatOption(QStringLiteral("format"), QStringLiteral("table, csv, jsonl or none"), QStringLiteral("FORMAT"), QStringLiteral("table"));
    const QCommandLineOption passwordOption(QStringLiteral("password-env"), QStringLiteral("environment variable holding the password"), QStringLiteral("VAR"));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"), QStringLiteral("query timeout in seconds"), QStringLiteral("S"));
    const QCommandLineOption rowsetOption(QStringLiteral("rowset"), QStringLiteral("rows per block fetch"), QStringLiteral("N"));
    parser.addOptions({connectionOption, sqlOption, limitOption, formatOption, passwordOption, timeoutOption, rowsetOption});
    if (!parser.parse(QStringList{QStringLiteral("query")} + context.arguments))
        return failWith(context, parser.errorText(), 2);
    if (!parser.positionalArguments().isEmpty())
        return failWith(context, QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()), 2);
    if (!parser.isSet(connectionOption) || !parser.isSet(sqlOption))
        return failWith(context, QStringLiteral("query needs --connection STR and --sql SQL"), 2);

    std::unique_ptr<QueryOutput> output = makeQueryOutput(parser.value(formatOption));
    if (!output)
        return failWith(context, QStringLiteral("unknown --format '%1'; use table, csv, jsonl or none").arg(parser.value(formatOption)), 2);

    ConnectionSpec spec;
    spec.connectionString = parser.value(connectionOption);
    if (parser.isSet(passwordOption)) {
        const QString variable = parser.value(passwordOption);
        if (!qEnvironmentVariableIsSet(variable.toLocal8Bit().constData()))
            return failWith(context, QStringLiteral("--password-env names %1, which is not set").arg(variable), 2);
        spec.password = qEnvironmentVariable(variable.toLocal8Bit().constData());
    }
    QueryOptions options;
    bool ok = true;
    if (parser.isSet(limitOption)) {
        options.limit = parser.value(limitOption).toLongLong(&ok);
        if (!ok || *options.limit < 0)
            return failWith(context, QStringLiteral("--limit needs a whole number of rows"), 2);
    }
    if (parser.isSet(timeoutOption)) {
        options.timeout = std::chrono::seconds(parser.value(timeoutOption).toLongLong(&ok));
        if (!ok)
            return failWith(context, QStringLiteral("--timeout needs a whole number of seconds"), 2);
    }
    if (parser.isSet(rowsetOption)) {
        options.rowsetSize = parser.value(rowsetOption).toInt(&ok);
        if (!ok)
            return failWith(context, QStringLiteral("--rowset needs a whole number of rows"), 2);
    }

    QElapsedTimer timer;
    timer.start();
    auto connection = OdbcConnection::open(spec);
    if (!connection)
        return failWith(context, connection.error().toString());
    if (options.limit && *options.limit == 0) {
        QByteArray out;
        output->begin({}, out);
        output->end(0, out);
        context.out << QString::fromUtf8(out);
        return 0;
    }
    auto cursor = (*connection)->execute(parser.value(sqlOption), options);
    if (!cursor)
        return failWith(context, cursor.error().toString());

    // Rows go straight to stdout as UTF-8 bytes, one write per batch.
    context.out.flush();
    QByteArray out;
    output->begin((*cursor)->columns(), out);
    RowBatch batch;
    qint64 rows = 0;
    for (;;) {
        auto more = (*cursor)->fetch(batch);
        if (!more) {
            std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
            std::fflush(stdout);
            return failWith(context, more.error().toString());
        }
        if (!*more)
            break;
        output->rows(batch, out);
        rows += batch.rowCount();
        if (out.size() > (1 << 20)) {
            std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
            out.clear();
        }
    }
    output->end(rows, out);
    std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
    std::fflush(stdout);
    if (parser.value(formatOption) == QLatin1String("none")) {
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        context.err << rows << " rows in " << QString::number(seconds, 'f', 3) << " s ("
                    << QString::number(seconds > 0 ? double(rows) / seconds : 0.0, 'f', 0) << " rows/s)" << Qt::endl;
    }
    return 0;
}

} // namespace

SYNCLINE_CLI_COMMAND(Command{QStringLiteral("query"),
                             QStringLiteral("query --connection STR --sql SQL [--limit N] [--format table|csv|jsonl|none] [--password-env VAR] [--timeout S]"),
                             QStringLiteral("run SQL on a warehouse and stream its rows (none: count them and print rows/s on stderr)"), &runQuery});

} // namespace syncline::cli
