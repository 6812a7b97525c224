// `syncline-cli inspect RUN [--failed] [--json]`: the HTTP requests and responses a run made, as the
// request inspector kept them (redacted; every failed exchange and a sample of the others).
#include "app/cli/commands/plancommon.h"
#include "engine/state/exchangelog.h"
#include "engine/state/exchangestore.h"
#include "engine/sync/syncbundle.h"
#include "engine/sync/syncplanner.h"

#include <QJsonArray>

namespace syncline::cli {
namespace {

using engine::state::ExchangeStore;
using engine::state::ExchangeTotals;
using engine::state::StoredExchange;
using engine::sync::formatCount;

constexpr qsizetype kShownChars = 2000; // per body in the text output; --json gives what is stored

QJsonObject messageJson(const StoredExchange::Message &message)
{
    QJsonArray headers;
    for (const auto &[name, value] : message.headers)
        headers.append(QJsonArray { QString::fromLatin1(name), QString::fromUtf8(value) });
    return QJsonObject { { QStringLiteral("headers"), headers },
        { QStringLiteral("body"), QString::fromUtf8(message.body) }, { QStringLiteral("body_bytes"), message.bytes },
        { QStringLiteral("body_truncated"), message.truncated } };
}

QJsonObject exchangeJson(const StoredExchange &exchange)
{
    return QJsonObject { { QStringLiteral("seq"), exchange.seq }, { QStringLiteral("method"), exchange.method },
        { QStringLiteral("url"), exchange.url }, { QStringLiteral("status"), exchange.status },
        { QStringLiteral("error"), exchange.error }, { QStringLiteral("failed"), exchange.failed },
        { QStringLiteral("started_at"), formatTime(exchange.startedAtMs) },
        { QStringLiteral("duration_ms"), exchange.durationMs },
        { QStringLiteral("request"), messageJson(exchange.request) },
        { QStringLiteral("response"), messageJson(exchange.response) } };
}

void printMessage(QTextStream &out, const char *what, const StoredExchange::Message &message)
{
    for (const auto &[name, value] : message.headers)
        out << "    " << QString::fromLatin1(name) << ": " << QString::fromUtf8(value) << "\n";
    if (message.bytes == 0) {
        out << "    (" << what << " without a body)\n";
        return;
    }
    const QString body = QString::fromUtf8(message.body);
    if (message.body.contains('\0')) {
        out << "    (binary " << what << " body, " << formatCount(message.bytes) << " bytes)\n";
        return;
    }
    out << "    " << QString(body.left(kShownChars)).replace(QLatin1Char('\n'), QStringLiteral("\n    ")) << "\n";
    if (body.size() > kShownChars || message.truncated)
        out << "    [cut at " << formatCount(std::min<qint64>(body.size(), kShownChars)) << " characters; the body had "
            << formatCount(message.bytes) << " bytes, --json shows the first " << formatCount(message.body.size())
            << "]\n";
}

void printExchange(QTextStream &out, const StoredExchange &exchange)
{
    out << "#" << exchange.seq << "  " << exchange.method << " " << exchange.url << "\n";
    out << "    " << (exchange.status ? QString::number(exchange.status) : QStringLiteral("no response")) << "  "
        << formatMs(double(exchange.durationMs)) << "  at " << formatTime(exchange.startedAtMs)
        << (exchange.failed ? "  FAILED" : "") << "\n";
    if (!exchange.error.isEmpty())
        out << "    error: " << exchange.error << "\n";
    out << "  request:\n";
    printMessage(out, "request", exchange.request);
    out << "  response:\n";
    printMessage(out, "response", exchange.response);
}

QString totalsText(const ExchangeTotals &totals)
{
    QString text = QStringLiteral("%1 exchanges made, %2 failed; %3 kept (every failed one, a sample of the others)")
                       .arg(formatCount(totals.recorded), formatCount(totals.failed), formatCount(totals.kept));
    if (totals.overCap > 0)
        text += QStringLiteral("; %1 not kept: the run reached the inspector's cap of %2 MB")
                    .arg(formatCount(totals.overCap))
                    .arg(engine::state::ExchangeLogLimits::WorkspaceBytes / (1024 * 1024));
    return text;
}

int runInspect(CommandContext &context)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("failed"), QStringLiteral("only the failed exchanges")));
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print one JSON object")));
    if (!parseSyncOptions(context, parser, QStringLiteral("inspect"), 1))
        return 2;
    bool isNumber = false;
    const qint64 runId = parser.positionalArguments().first().toLongLong(&isNumber);
    if (!isNumber || runId <= 0)
        return failWith(context,
            QStringLiteral("inspect: '%1' is not a run number; 'syncline-cli runs' lists them")
                .arg(parser.positionalArguments().first()),
            2);
    StreamDiagnosticSink sink(context.err);
    auto engine = openEngine(context, parser, sink);
    if (!engine)
        return 1;
    engine::state::Workspace &workspace = engine->workspace();
    auto run = engine::state::RunStore(workspace).run(runId);
    if (!run)
        return failWith(context, run.error().toString() + QStringLiteral("; 'syncline-cli runs' lists the runs"));
    const QString syncName = engine::sync::syncNameById(workspace, run->syncId).value_or(QStringLiteral("?"));
    QString destinationType;
    if (auto bundle = engine::sync::loadSyncBundle(workspace, syncName))
        destinationType = bundle->destination.type;

    ExchangeStore store(workspace);
    auto totals = store.totals(runId);
    if (!totals)
        return failWith(context, totals.error().toString());
    const bool failedOnly = parser.isSet(QStringLiteral("failed"));
    auto exchanges = store.exchanges(runId, failedOnly);
    if (!exchanges)
        return failWith(context, exchanges.error().toString());

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const StoredExchange &exchange : *exchanges)
            list.append(exchangeJson(exchange));
        printJson(context,
            QJsonObject { { QStringLiteral("run"), runId }, { QStringLiteral("sync"), syncName },
                { QStringLiteral("destination_type"), destinationType },
                { QStringLiteral("recorded"), totals->recorded }, { QStringLiteral("failed"), totals->failed },
                { QStringLiteral("kept"), totals->kept }, { QStringLiteral("over_cap"), totals->overCap },
                { QStringLiteral("pruned"), totals->pruned }, { QStringLiteral("exchanges"), list } });
        return 0;
    }

    QTextStream &out = context.out;
    if (totals->recorded == 0) {
        if (destinationType == QLatin1String("file"))
            out << "run " << runId << " sent to a file destination; the inspector records HTTP exchanges only\n";
        else
            out << "run " << runId << " of sync '" << syncName << "' recorded no exchanges\n";
        out.flush();
        return 0;
    }
    out << "run " << runId << " of sync '" << syncName << "' (" << run->status << "): " << totalsText(*totals) << "\n";
    if (totals->pruned)
        out << "its exchanges were deleted to keep the workspace's inspector within "
            << engine::state::ExchangeLogLimits::WorkspaceBytes / (1024 * 1024) << " MB\n";
    else if (exchanges->empty() && failedOnly)
        out << "no exchange of run " << runId << " failed\n";
    for (const StoredExchange &exchange : *exchanges) {
        out << "\n";
        printExchange(out, exchange);
    }
    out.flush();
    return 0;
}

} // namespace

SYNCLINE_CLI_COMMAND(
    Command { QStringLiteral("inspect"), QStringLiteral("inspect RUN [--failed] [--json] [--workspace FILE]"),
        QStringLiteral("show the HTTP requests and responses of a run (redacted; failed ones and a sample)"),
        &runInspect });

} // namespace syncline::cli
