// `syncline-cli show-plan PLAN [--rows]`: a plan's counts and, with --rows, each row with the
// fields that change (before -> after).
#include "app/cli/commands/plancommon.h"

#include "engine/sync/syncbundle.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncline::cli {
namespace {

QString valueText(const QJsonValue &value)
{
    if (value.isUndefined())
        return QStringLiteral("(absent)");
    if (value.isString())
        return QLatin1Char('"') + value.toString() + QLatin1Char('"');
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

QJsonObject parse(const std::string &json)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

void printRow(QTextStream &out, const engine::state::PlanRow &row)
{
    using engine::state::DiffOp;
    const QString key = QString::fromStdString(row.key);
    const QString action = row.action ? engine::connector::operationName(*row.action) : QStringLiteral("not sent");
    const char *mark = row.op == DiffOp::Add ? "+" : row.op == DiffOp::Change ? "~" : row.op == DiffOp::Remove ? "-" : "=";
    out << mark << " key " << key << "  (" << engine::state::diffOpName(row.op) << ", " << action << ")\n";
    if (row.op == DiffOp::Remove)
        return;
    const QJsonObject after = parse(row.payload);
    const QJsonObject before = parse(row.beforePayload);
    for (auto it = after.begin(); it != after.end(); ++it) {
        if (row.op == DiffOp::Change) {
            if (before.value(it.key()) == it.value())
                continue;
            out << "    " << it.key() << ": " << valueText(before.value(it.key())) << " -> " << valueText(it.value()) << "\n";
        } else {
            out << "    " << it.key() << ": " << valueText(it.value()) << "\n";
        }
    }
    if (row.op == DiffOp::Change)
        for (auto it = before.begin(); it != before.end(); ++it)
            if (!after.contains(it.key()))
                out << "    " << it.key() << ": " << valueText(it.value()) << " -> (absent)\n";
}

int runShowPlan(CommandContext &context)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("rows"), QStringLiteral("list the rows with before/after per field")));
    parser.addOption(QCommandLineOption(QStringLiteral("limit"), QStringLiteral("at most N rows (default 100)"),
                                        QStringLiteral("N"), QStringLiteral("100")));
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print the counts as one JSON object")));
    if (!parseSyncOptions(context, parser, QStringLiteral("show-plan"), 1))
        return 2;
    bool numeric = false;
    const qint64 planId = parser.positionalArguments().first().toLongLong(&numeric);
    if (!numeric)
        return failWith(context, QStringLiteral("show-plan: PLAN is a plan number, as 'syncline-cli plan' prints it"), 2);
    StreamDiagnosticSink sink(context.err);
    auto engine = openEngine(context, parser, sink);
    if (!engine)
        return 1;
    engine::state::PlanStore plans(engine->workspace());
    auto plan = plans.plan(planId);
    if (!plan)
        return failWith(context, plan.error().toString());
    const QString syncName = engine::sync::syncNameById(engine->workspace(), plan->syncId).value_or(QStringLiteral("?"));
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject object = planJson(*plan, syncName);
        object.insert(QStringLiteral("status"), plan->status);
        printJson(context, object);
        return 0;
    }
    printPlan(context, *plan, syncName);
    context.out << "Status: " << plan->status << ", made " << formatTime(plan->createdAtMs) << "\n";
    if (!parser.isSet(QStringLiteral("rows")))
        return 0;
    auto hasRows = plans.hasRows(planId);
    if (hasRows && !*hasRows && plan->counts.added + plan->counts.changed + plan->counts.removed > 0) {
        context.out << "The rows of this plan are no longer kept (an applied plan's rows are dropped when its run ends; "
                       "the run's history keeps each row's outcome)." << Qt::endl;
        return 0;
    }
    const qint64 limit = parser.value(QStringLiteral("limit")).toLongLong();
    qint64 shown = 0;
    qint64 afterSeq = 0;
    while (shown < limit) {
        auto rows = plans.rows(planId, afterSeq, int(std::min<qint64>(1000, limit - shown)), false);
        if (!rows)
            return failWith(context, rows.error().toString());
        if (rows->empty())
            break;
        for (const auto &row : *rows)
            printRow(context.out, row);
        shown += qint64(rows->size());
        afterSeq = rows->back().seq;
    }
    context.out.flush();
    return 0;
}
} // namespace

SYNCLINE_CLI_COMMAND(Command{QStringLiteral("show-plan"),
                             QStringLiteral("show-plan PLAN [--rows] [--limit N] [--json] [--workspace FILE]"),
                             QStringLiteral("show a plan's counts and, with --rows, every field it changes (before -> after)"),
                             &runShowPlan});

} // namespace syncline::cli
