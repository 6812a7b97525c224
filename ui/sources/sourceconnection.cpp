#include "ui/sources/sourceconnection.h"

namespace syncline::ui {

using engine::Result;
using engine::warehouse::ConnectionSpec;
using engine::warehouse::OdbcConnection;

ConnectionSpec connectionSpec(const QString &connection, const std::optional<QString> &password)
{
    ConnectionSpec spec = connection.contains(QLatin1Char('=')) ? ConnectionSpec{connection} : ConnectionSpec::fromDsn(connection);
    if (password && !password->isEmpty())
        spec.password = password;
    return spec;
}

ConnectionOpener connectionOpener(ConnectionSpec spec)
{
    return [spec = std::move(spec)] { return OdbcConnection::open(spec); };
}

ConnectionOpener connectionOpener(const engine::SourceDef &source, std::shared_ptr<engine::SecretResolver> secrets)
{
    return [source, secrets]() -> Result<std::unique_ptr<OdbcConnection>> {
        std::optional<QString> password;
        if (source.password.kind != engine::SecretRef::Kind::None) {
            if (!secrets)
                return engine::fail(QStringLiteral("secret.missing"),
                                    QStringLiteral("No keychain is available to read the password of source \"%1\".").arg(source.name));
            Result<QString> resolved = secrets->resolve(source.password);
            if (!resolved)
                return std::unexpected(resolved.error());
            password = *resolved;
        }
        return OdbcConnection::open(connectionSpec(source.connection, password));
    };
}

} // namespace syncline::ui
