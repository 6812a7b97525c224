#include "engine/secrets/secretresolver.h"

namespace syncline::engine {

Result<void> SecretResolver::store(const SecretRef &ref, const QString &)
{
    if (ref.kind == SecretRef::Kind::Env)
        return fail(QStringLiteral("secret.read_only"),
            QStringLiteral("the secret in environment variable %1 changed (the provider rotated it) and cannot be "
                           "written back to the environment; store it in the keychain instead ({ keychain: NAME })")
                .arg(ref.name));
    return fail(QStringLiteral("secret.read_only"),
        QStringLiteral("secret '%1' (%2) cannot be written").arg(ref.name, secretKindName(ref.kind)));
}

} // namespace syncline::engine
