#include "engine/secrets/compositesecretresolver.h"

namespace syncline::engine::secrets {

CompositeSecretResolver::CompositeSecretResolver(SecretResolver &env, SecretResolver &keychain)
    : m_env(env)
    , m_keychain(keychain)
{ }

Result<QString> CompositeSecretResolver::resolve(const SecretRef &ref)
{
    switch (ref.kind) {
    case SecretRef::Kind::Env:
        return m_env.resolve(ref);
    case SecretRef::Kind::Keychain:
        return m_keychain.resolve(ref);
    case SecretRef::Kind::None:
        break;
    }
    return QString();
}

Result<void> CompositeSecretResolver::store(const SecretRef &ref, const QString &value)
{
    switch (ref.kind) {
    case SecretRef::Kind::Env:
        return m_env.store(ref, value);
    case SecretRef::Kind::Keychain:
        return m_keychain.store(ref, value);
    case SecretRef::Kind::None:
        break;
    }
    return fail(QStringLiteral("secret.read_only"), QStringLiteral("there is no secret reference to write to"));
}

} // namespace syncline::engine::secrets
