#include "connectors/http/authfactory.h"

#include "connectors/http/oauth2refreshauth.h"
#include "connectors/http/settingspecs.h"
#include "connectors/http/settingvalues.h"
#include "connectors/http/staticauth.h"
#include "engine/secrets/secretresolver.h"

namespace syncline::connectors::http {

using engine::Result;
using engine::connector::SettingSpec;

std::vector<SettingSpec> authSettingSpecs()
{
    using Type = SettingSpec::Type;
    return {
        settingSpec("token", "Token", Type::Secret, "A static token, sent as Authorization: Bearer"),
        settingSpec("api_key", "API key", Type::Secret,
            "An API key, sent in the header api_key_header or the query parameter api_key_query"),
        settingSpec("api_key_header", "API key header", Type::Text, "The header that carries api_key",
            QStringLiteral("X-API-Key")),
        settingSpec("api_key_query", "API key query parameter", Type::Text,
            "Send api_key as this query parameter instead of a header"),
        settingSpec("username", "User name", Type::Secret, "HTTP basic authentication, with password"),
        settingSpec("password", "Password", Type::Secret, "HTTP basic authentication, with username"),
        settingSpec("token_url", "OAuth token URL", Type::Url,
            "OAuth 2.0: where a refresh token is exchanged for an access token"),
        settingSpec("client_id", "OAuth client id", Type::Secret, "OAuth 2.0 client id"),
        settingSpec("client_secret", "OAuth client secret", Type::Secret, "OAuth 2.0 client secret"),
        settingSpec("refresh_token", "OAuth refresh token", Type::Secret,
            "OAuth 2.0 refresh token; a rotated one is saved back to the keychain"),
    };
}

Result<std::unique_ptr<HttpAuth>> authFromDestination(
    const engine::DestinationDef &destination, engine::SecretResolver &resolver)
{
    const SettingReader settings(destination.name, destination.settings);
    auto secret = [&](const char *key) -> Result<QString> {
        return resolver.resolve(destination.secrets.value(QString::fromLatin1(key)));
    };
    auto has = [&](const char *key) { return destination.secrets.contains(QString::fromLatin1(key)); };
    auto conflict = [&](const QString &what) {
        return engine::fail(QStringLiteral("http.settings"),
            QStringLiteral("Destination '%1': %2; keep the secrets of one scheme only (token, api_key, username + "
                           "password, or token_url with client_id and refresh_token)")
                .arg(destination.name, what));
    };
    const int schemes = int(has("token")) + int(has("api_key")) + int(has("username") || has("password"))
        + int(settings.has(QStringLiteral("token_url")) || has("refresh_token"));
    if (schemes > 1)
        return conflict(QStringLiteral("its secrets name more than one way to authenticate"));

    if (settings.has(QStringLiteral("token_url")) || has("refresh_token")) {
        auto tokenUrl = settings.url(QStringLiteral("token_url"), true);
        if (!tokenUrl)
            return std::unexpected(tokenUrl.error());
        if (!has("client_id") || !has("refresh_token"))
            return conflict(
                QStringLiteral("OAuth needs the secrets client_id and refresh_token (and usually client_secret)"));
        OAuth2RefreshAuth::Config config;
        config.tokenUrl = *tokenUrl;
        config.where = QStringLiteral("destination '%1'").arg(destination.name);
        config.refreshTokenRef = destination.secrets.value(QStringLiteral("refresh_token"));
        auto clientId = secret("client_id");
        if (!clientId)
            return std::unexpected(clientId.error());
        auto refreshToken = secret("refresh_token");
        if (!refreshToken)
            return std::unexpected(refreshToken.error());
        config.clientId = *clientId;
        config.refreshToken = *refreshToken;
        if (has("client_secret")) {
            auto clientSecret = secret("client_secret");
            if (!clientSecret)
                return std::unexpected(clientSecret.error());
            config.clientSecret = *clientSecret;
        }
        return std::make_unique<OAuth2RefreshAuth>(std::move(config), &resolver);
    }
    if (has("token")) {
        auto token = secret("token");
        if (!token)
            return std::unexpected(token.error());
        return std::make_unique<BearerTokenAuth>(*token);
    }
    if (has("api_key")) {
        auto key = secret("api_key");
        if (!key)
            return std::unexpected(key.error());
        auto header = settings.text(QStringLiteral("api_key_header"), QStringLiteral("X-API-Key"));
        auto query = settings.text(QStringLiteral("api_key_query"));
        if (!header || !query)
            return std::unexpected(!header ? header.error() : query.error());
        return std::make_unique<ApiKeyAuth>(*key, header->toLatin1(), *query);
    }
    if (has("username") || has("password")) {
        if (!has("username") || !has("password"))
            return conflict(QStringLiteral("basic authentication needs both secrets username and password"));
        auto user = secret("username");
        if (!user)
            return std::unexpected(user.error());
        auto password = secret("password");
        if (!password)
            return std::unexpected(password.error());
        return std::make_unique<BasicAuth>(*user, *password);
    }
    return std::make_unique<NoAuth>();
}

} // namespace syncline::connectors::http
