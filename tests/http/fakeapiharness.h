#pragma once
// A loopback fake API (tests/fakes) with a destination of type http pointed at it, and the
// resolver, recorder and diagnostics a run would give it: the set-up of the HTTP destination tests.

#include "tests/fakes/fakeapi.h"

#include <QJsonDocument>

#include "httptestsupport.h"

namespace syncline::httptests {

using syncline::connectors::http::HttpDestination;
using syncline::connectors::http::RateLimiterPool;
using syncline::testfakes::FakeApi;
using syncline::testfakes::FakeApiConfig;

struct Harness
{
    FakeApi api;
    MapSecrets secrets;
    KeepingRecorder recorder;
    KeepingDiagnostics diagnostics;
    std::shared_ptr<RateLimiterPool> pool = std::make_shared<RateLimiterPool>();

    explicit Harness(FakeApiConfig config = {})
        : api(std::move(config))
    {
        QString error;
        if (!api.start(0, &error))
            qFatal("fake API did not start: %s", qPrintable(error));
    }

    std::unique_ptr<Connector> open(const QVariantMap &settings = {}, const QMap<QString, SecretRef> &secretRefs = {})
    {
        DestinationDef destination = httpDestination(api.url(), settings);
        destination.secrets = secretRefs;
        auto created = HttpDestination::connectorType(pool).create(destination, secrets);
        if (!created)
            qFatal("destination refused: %s", qPrintable(created.error().message));
        RunContext context;
        context.runId = 1;
        context.destinationName = destination.name;
        context.object = QStringLiteral("people");
        context.matchField = QStringLiteral("id");
        context.exchanges = &recorder;
        context.diagnostics = &diagnostics;
        (*created)->setRunContext(context);
        if (auto begun = (*created)->beginRun(context.object); !begun)
            qFatal("beginRun failed: %s", qPrintable(begun.error().message));
        return std::move(*created);
    }

    std::vector<RecordOutcome> deliver(Connector &connector, std::vector<OutgoingRecord> records,
        const CancellationToken &cancellation = CancellationToken())
    {
        auto outcomes = connector.deliver(Batch { QStringLiteral("people"), std::move(records) }, cancellation);
        if (!outcomes)
            qFatal("deliver failed: %s", qPrintable(outcomes.error().message));
        return *outcomes;
    }
};

inline QJsonDocument bodyOf(const syncline::testfakes::FakeRequest &request)
{
    return QJsonDocument::fromJson(request.body);
}

} // namespace syncline::httptests
