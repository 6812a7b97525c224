#pragma once
// Maps a destination type ("file", "hubspot", ...) to its settings schema and a factory.
// Built once at start-up (connectors/builtinconnectors.cpp) and passed to whoever needs it;
// no global instance. Thread: read-only after registration, safe to share.

#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"
#include "engine/secrets/secretresolver.h"

#include <functional>
#include <memory>
#include <vector>

namespace syncline::engine::connector {

// Where a user signs in, for types whose refresh token comes from a browser sign-in (OAuth 2.0
// authorization code flow; the app's "Sign in" button). Empty authorizeUrl: the app asks for it.
struct OAuthSignIn
{
    QString authorizeUrl; // e.g. "https://app.hubspot.com/oauth/authorize"
    QString scope;        // space-separated scopes to ask for, may be empty
};

struct ConnectorType
{
    QString id;          // "file"
    QString label;       // "Files (CSV or JSON Lines)"
    std::vector<SettingSpec> settings;
    // Creates an instance for one run; validates settings and resolves secrets.
    std::function<Result<std::unique_ptr<Connector>>(const DestinationDef &, SecretResolver &)> create;
    // What every instance of the type can do, known without creating one (`syncline-cli
    // connectors`); an instance's capabilities() may only narrow it. Last, so { id, label,
    // settings, create } initialisers keep compiling.
    Capabilities capabilities;
    // Optional, for OAuth types (secrets client_id, client_secret, refresh_token and a token_url setting).
    OAuthSignIn oauth;
};

class ConnectorRegistry
{
public:
    void add(ConnectorType type);
    const ConnectorType *find(const QString &id) const;
    const std::vector<ConnectorType> &types() const { return m_types; }
    // "destination.unknown_type" listing the known types when `id` is not registered.
    Result<std::unique_ptr<Connector>> create(const DestinationDef &destination, SecretResolver &secrets) const;

private:
    std::vector<ConnectorType> m_types;
};

} // namespace syncline::engine::connector
