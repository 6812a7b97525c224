// `syncline-cli ledger SYNC --key K`: what the destination last accepted for one key, and the
// key's recent outcomes.
#include "app/cli/commands/plancommon.h"

#include "engine/state/definitionstore.h"
#include "engine/state/ledgerstore.h"

#include <QJsonArray>

namespace syncline::cli {
namespace {
int runLedger(CommandContext &context)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("key"), QStringLiteral("the record's key as the plan shows it"),
                                        QStringLiteral("K")));
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print one JSON object")));
    if (!parseSyncOptions(context, parser, QStringLiteral("ledger"), 1))
        return 2;
    if (!parser.isSet(QStringLiteral("key")))
        return failWith(context, QStringLiteral("ledger: --key K is required"), 2);
    StreamDiagnosticSink sink(context.err);
    auto engine = openEngine(context, parser, sink);
    if (!engine)
        return 1;
    const QString syncName = parser.positionalArguments().first();
    auto syncId = engine::state::DefinitionStore(engine->workspace()).syncId(syncName);
    if (!syncId)
        return failWith(context, syncId.error().toString());
    const std::string key = parser.value(QStringLiteral("key")).toStdString();
    auto entry = engine::state::LedgerStore(engine->workspace()).find(*syncId, key);
    if (!entry)
        return failWith(context, entry.error().toString());
    auto outcomes = engine::state::RunStore(engine->workspace()).outcomesForKey(*syncId, key, 10);
    if (!outcomes)
        return failWith(context, outcomes.error().toString());

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject object{{QStringLiteral("sync"), syncName}, {QStringLiteral("key"), QString::fromStdString(key)}};
        if (*entry) {
            const auto &e = **entry;
            object.insert(QStringLiteral("status"), e.status);
            object.insert(QStringLiteral("delivered"), e.payloadHash.has_value());
            object.insert(QStringLiteral("payload"), QString::fromStdString(e.payload));
            object.insert(QStringLiteral("destination_id"), e.destinationId);
            object.insert(QStringLiteral("attempts"), e.attempts);
            object.insert(QStringLiteral("last_error"), e.lastError);
            object.insert(QStringLiteral("in_flight_run"), e.inFlightRun ? QJsonValue(*e.inFlightRun) : QJsonValue());
        }
        QJsonArray history;
        for (const auto &o : *outcomes)
            history.append(QJsonObject{{QStringLiteral("run"), o.runId},
                                       {QStringLiteral("operation"), o.operation},
                                       {QStringLiteral("outcome"), o.accepted ? QStringLiteral("accepted") : QStringLiteral("rejected")},
                                       {QStringLiteral("error"), o.error}});
        object.insert(QStringLiteral("outcomes"), history);
        printJson(context, object);
        return *entry ? 0 : 1;
    }
    QTextStream &out = context.out;
    if (!*entry) {
        out << "Key " << QString::fromStdString(key) << " is not in the ledger of sync '" << syncName
            << "': it was never sent, or it was deleted from the destination." << Qt::endl;
    } else {
        const auto &e = **entry;
        out << "Key " << QString::fromStdString(key) << " in sync '" << syncName << "'\n";
        out << "  status          " << e.status << (e.inFlightRun ? QStringLiteral(" (run %1)").arg(*e.inFlightRun) : QString())
            << "\n";
        out << "  delivered       " << (e.payloadHash ? "yes" : "no") << "\n";
        out << "  payload         " << QString::fromStdString(e.payload) << "\n";
        out << "  destination id  " << (e.destinationId.isEmpty() ? QStringLiteral("-") : e.destinationId) << "\n";
        out << "  attempts        " << e.attempts << "\n";
        if (!e.lastError.isEmpty())
            out << "  last error      " << e.lastError << "\n";
        out << "  updated         " << formatTime(e.updatedAtMs) << "\n";
    }
    if (!outcomes->empty()) {
        out << "Recent outcomes:\n";
        for (const auto &o : *outcomes)
            out << "  run " << o.runId << "  " << formatTime(o.atMs) << "  " << o.operation.leftJustified(7) << " "
                << (o.accepted ? "accepted" : "rejected") << (o.error.isEmpty() ? QString() : QStringLiteral(": ") + o.error)
                << "\n";
    }
    out.flush();
    return *entry ? 0 : 1;
}
} // namespace

SYNCLINE_CLI_COMMAND(Command{QStringLiteral("ledger"), QStringLiteral("ledger SYNC --key K [--json] [--workspace FILE]"),
                             QStringLiteral("show what the destination last accepted for key K and its recent outcomes"),
                             &runLedger});

} // namespace syncline::cli
