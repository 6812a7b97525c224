#include "connectors/builtinconnectors.h"

#include "connectors/database/tabledestination.h"
#include "connectors/file/filedestination.h"
#include "connectors/googlesheets/googlesheetsdestination.h"
#include "connectors/http/httpdestination.h"
#include "connectors/http/ratelimiterpool.h"
#include "connectors/hubspot/hubspotdestination.h"
#include "connectors/klaviyo/klaviyodestination.h"
#include "connectors/mailchimp/mailchimpdestination.h"
#include "connectors/salesforce/salesforcedestination.h"
#include "engine/connector/connectorregistry.h"

namespace syncline::connectors {

void registerBuiltinConnectors(engine::connector::ConnectorRegistry &registry)
{
    registry.add(file::FileDestination::connectorType());
    registry.add(database::TableDestination::connectorType(database::Flavor::PostgreSQL));
    registry.add(database::TableDestination::connectorType(database::Flavor::MariaDB));
    registry.add(database::TableDestination::connectorType(database::Flavor::SQLite));
    // One pool per registry: every run of this process that sends to the same API account
    // (host + credential) shares its rate limiter.
    auto limiters = std::make_shared<http::RateLimiterPool>();
    registry.add(http::HttpDestination::connectorType(limiters));
    registry.add(hubspot::HubSpotDestination::connectorType(limiters));
    registry.add(salesforce::SalesforceDestination::connectorType(limiters));
    registry.add(mailchimp::MailchimpDestination::connectorType(limiters));
    registry.add(klaviyo::KlaviyoDestination::connectorType(limiters));
    registry.add(googlesheets::GoogleSheetsDestination::connectorType(limiters));
}

} // namespace syncline::connectors
