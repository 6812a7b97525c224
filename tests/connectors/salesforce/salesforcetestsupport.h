#pragma once
// Shared pieces of the Salesforce connector tests: a destination pointed at a fake org (its login
// host under /login, so that only the token's instance_url leads to the API), a run context, and
// Contact payloads.

#include "connectors/http/ratelimiterpool.h"
#include "connectors/salesforce/salesforcedestination.h"
#include "tests/fakes/salesforce/fakesalesforce.h"
#include "tests/http/httptestsupport.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace syncline::salesforcetests {

using namespace syncline::engine;
using namespace syncline::engine::connector;
using namespace syncline::httptests;
using syncline::connectors::salesforce::SalesforceDestination;
using syncline::testfakes::FakeSalesforce;

inline DestinationDef salesforceDestination(const FakeSalesforce &fake, const QVariantMap &extra = {})
{
    DestinationDef destination;
    destination.name = QStringLiteral("crm");
    destination.type = QStringLiteral("salesforce");
    destination.settings = { { QStringLiteral("login_url"), fake.url(QStringLiteral("/login")).toString() },
        { QStringLiteral("retry_delay"), QStringLiteral("10ms") }, { QStringLiteral("poll_interval"), QStringLiteral("10ms") } };
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        destination.settings.insert(it.key(), it.value());
    destination.secrets = { { QStringLiteral("client_id"), keychain(QStringLiteral("sf-client-id")) },
        { QStringLiteral("client_secret"), keychain(QStringLiteral("sf-client-secret")) },
        { QStringLiteral("refresh_token"), keychain(QStringLiteral("sf-refresh")) } };
    return destination;
}

inline void fillSecrets(MapSecrets &secrets, const FakeSalesforce &fake)
{
    const auto config = fake.config();
    secrets.values = { { QStringLiteral("sf-client-id"), config.clientId },
        { QStringLiteral("sf-client-secret"), config.clientSecret },
        { QStringLiteral("sf-refresh"), config.refreshToken } };
}

struct Harness
{
    MapSecrets secrets;
    KeepingRecorder recorder;
    KeepingDiagnostics diagnostics;
    std::shared_ptr<connectors::http::RateLimiterPool> limiters = std::make_shared<connectors::http::RateLimiterPool>();

    std::unique_ptr<SalesforceDestination> create(const FakeSalesforce &fake, const QVariantMap &extra = {},
        const QString &matchField = QStringLiteral("Ext_Id__c"))
    {
        if (secrets.values.isEmpty())
            fillSecrets(secrets, fake);
        auto created = SalesforceDestination::connectorType(limiters).create(salesforceDestination(fake, extra), secrets);
        if (!created)
            qFatal("%s", qPrintable(created.error().message));
        auto destination = std::unique_ptr<SalesforceDestination>(static_cast<SalesforceDestination *>(created->release()));
        RunContext context;
        context.runId = 1;
        context.object = QStringLiteral("Contact");
        context.matchField = matchField;
        context.exchanges = &recorder;
        context.diagnostics = &diagnostics;
        destination->setRunContext(context);
        if (auto begun = destination->beginRun(context.object); !begun)
            qFatal("%s", qPrintable(begun.error().message));
        return destination;
    }
};

inline OutgoingRecord contact(Operation operation, const QJsonObject &fields, const QString &destinationId = {})
{
    OutgoingRecord record;
    record.operation = operation;
    record.key = fields.value(QStringLiteral("Ext_Id__c")).toString().toStdString();
    record.payload = QJsonDocument(fields).toJson(QJsonDocument::Compact).toStdString();
    record.destinationId = destinationId;
    return record;
}

inline QJsonObject person(int i, const QString &lastName = {})
{
    return QJsonObject { { QStringLiteral("Ext_Id__c"), QStringLiteral("EXT-%1").arg(i) },
        { QStringLiteral("LastName"), lastName.isEmpty() ? QStringLiteral("Person %1").arg(i) : lastName },
        { QStringLiteral("Email"), QStringLiteral("p%1@example.com").arg(i) }, { QStringLiteral("Score__c"), i * 1.5 } };
}

inline Batch contacts(std::vector<OutgoingRecord> records)
{
    Batch batch;
    batch.object = QStringLiteral("Contact");
    batch.records = std::move(records);
    return batch;
}

} // namespace syncline::salesforcetests
