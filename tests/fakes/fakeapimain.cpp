// syncline-fakeapi: the tests' fake JSON HTTP API as a process, for CLI-level tests and
// benchmarks. Prints "port N" on its first line of output, then serves until killed.
#include "tests/fakes/fakeapi.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace syncline::testfakes;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A fake JSON HTTP API on 127.0.0.1. POST a JSON array (or object) to upsert records keyed by the match field, "
        "DELETE /<path>/<key> to remove one. GET /_fake/stats and /_fake/records read its state; "
        "POST /_fake/reset and /_fake/reset-counters clear it."));
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port to listen on (0: any free port)."), QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption match(QStringLiteral("match-field"), QStringLiteral("Field that keys the records."), QStringLiteral("name"), QStringLiteral("id"));
    const QCommandLineOption latency(QStringLiteral("latency-ms"), QStringLiteral("Delay of every reply."), QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("Requests allowed per second, then 429 (0: unlimited)."), QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption retryAfter(QStringLiteral("retry-after"), QStringLiteral("Retry-After seconds of injected 429s."), QStringLiteral("s"), QStringLiteral("1"));
    const QCommandLineOption faultRate(QStringLiteral("fault-rate"), QStringLiteral("Share of write requests failing at random (0..1)."), QStringLiteral("p"), QStringLiteral("0"));
    const QCommandLineOption faults(QStringLiteral("faults"),
                                    QStringLiteral("Comma-separated random faults: 429,500,502,503,timeout,reset,lostack,malformed."),
                                    QStringLiteral("list"), QStringLiteral("500,502,503,429,reset,lostack"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Random seed."), QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption rejectField(QStringLiteral("reject-field"), QStringLiteral("Refuse records whose FIELD contains --reject-contains."), QStringLiteral("field"));
    const QCommandLineOption rejectContains(QStringLiteral("reject-contains"), QStringLiteral("Text that makes a record refused."), QStringLiteral("text"));
    const QCommandLineOption rejectStyle(QStringLiteral("reject-style"), QStringLiteral("400, 422 (whole batch) or 207 (per record)."), QStringLiteral("style"), QStringLiteral("422"));
    const QCommandLineOption idempotency(QStringLiteral("idempotency-keys"), QStringLiteral("Honour Idempotency-Key: a repeated key applies nothing."));
    parser.addOptions({port, match, latency, rate, retryAfter, faultRate, faults, seed, rejectField, rejectContains, rejectStyle, idempotency});
    parser.process(app);

    FakeApiConfig config;
    config.matchField = parser.value(match);
    config.latencyMs = parser.value(latency).toInt();
    config.rateLimitPerSecond = parser.value(rate).toInt();
    config.retryAfterSeconds = parser.value(retryAfter).toInt();
    config.randomFaultRate = parser.value(faultRate).toDouble();
    config.seed = parser.value(seed).toUInt();
    for (const QString &name : parser.value(faults).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto fault = faultFromName(name);
        if (!fault) {
            std::fprintf(stderr, "unknown fault '%s'; use 429,500,502,503,timeout,reset,lostack,malformed\n", qPrintable(name));
            return 2;
        }
        config.randomFaults.append(*fault);
    }
    if (parser.isSet(rejectField)) {
        const QString field = parser.value(rejectField);
        const QString text = parser.value(rejectContains);
        config.rejectRecord = [field, text](const QJsonObject &record) {
            return record.value(field).toVariant().toString().contains(text);
        };
    }
    const QString style = parser.value(rejectStyle);
    config.rejectStyle = style == QStringLiteral("400") ? RejectStyle::WholeBatch400
                         : style == QStringLiteral("207") ? RejectStyle::PerRecord207
                                                          : RejectStyle::WholeBatch422;
    config.honourIdempotencyKeys = parser.isSet(idempotency);
    config.maxLoggedRequests = 0; // a long-running process keeps no request log

    FakeApi api(config);
    QString error;
    if (!api.start(quint16(parser.value(port).toUInt()), &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    std::printf("port %u\n", unsigned(api.port()));
    std::fflush(stdout);
    return app.exec();
}
