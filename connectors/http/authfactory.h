#pragma once
// Picks a destination's HttpAuth from its secrets and settings, for every HTTP connector:
//   secrets.token                                  -> Authorization: Bearer <token>
//   secrets.api_key (+ settings api_key_header, default X-API-Key, or api_key_query)
//   secrets.username + secrets.password            -> HTTP basic
//   settings.token_url + secrets client_id, client_secret, refresh_token -> OAuth 2.0 refresh flow
//   nothing                                        -> no credential
// Failure: "http.settings" for a conflicting or incomplete set; the resolver's own error
// (naming the reference, never a value) when a secret cannot be read.

#include "connectors/http/httpauth.h"
#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"

#include <memory>
#include <vector>

namespace syncline::engine {
class SecretResolver;
}

namespace syncline::connectors::http {

// The schema entries of the secrets and settings above, to append to a connector's settings.
std::vector<engine::connector::SettingSpec> authSettingSpecs();

// `resolver` is kept by OAuth (to save a rotated refresh token) and must outlive the result.
engine::Result<std::unique_ptr<HttpAuth>> authFromDestination(
    const engine::DestinationDef &destination, engine::SecretResolver &resolver);

} // namespace syncline::connectors::http
