#pragma once
// Shared pieces of the HubSpot connector tests: a `hubspot` destination pointing at a HubSpot
// fake (private-app token or OAuth secrets, as keychain references) and the secrets it accepts.

#include "engine/definitions/definitions.h"
#include "tests/fakes/hubspot/hubspotfake.h"
#include "tests/http/httptestsupport.h"

namespace syncline::hubspottests {

using namespace syncline::engine;
using syncline::httptests::MapSecrets;
using syncline::testfakes::hubspot::HubSpotFake;

inline DestinationDef hubspotDestination(const HubSpotFake &fake, const QVariantMap &extra = {}, bool oauth = false)
{
    DestinationDef destination;
    destination.name = QStringLiteral("crm");
    destination.type = QStringLiteral("hubspot");
    destination.settings = { { QStringLiteral("base_url"), fake.url().toString() },
        { QStringLiteral("retry_delay"), QStringLiteral("10ms") } };
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        destination.settings.insert(it.key(), it.value());
    using Ref = SecretRef;
    if (oauth) {
        destination.settings.insert(QStringLiteral("token_url"), fake.tokenUrl().toString());
        destination.secrets = { { QStringLiteral("client_id"), Ref { Ref::Kind::Keychain, QStringLiteral("hub-id") } },
            { QStringLiteral("client_secret"), Ref { Ref::Kind::Keychain, QStringLiteral("hub-secret") } },
            { QStringLiteral("refresh_token"), Ref { Ref::Kind::Keychain, QStringLiteral("hub-refresh") } } };
    } else {
        destination.secrets = { { QStringLiteral("token"), Ref { Ref::Kind::Keychain, QStringLiteral("hub-token") } } };
    }
    return destination;
}

inline MapSecrets secretsFor(const HubSpotFake &fake)
{
    MapSecrets secrets;
    secrets.values = { { QStringLiteral("hub-token"), fake.config().privateAppToken },
        { QStringLiteral("hub-id"), fake.config().clientId },
        { QStringLiteral("hub-secret"), fake.config().clientSecret },
        { QStringLiteral("hub-refresh"), fake.config().refreshToken } };
    return secrets;
}

} // namespace syncline::hubspottests
