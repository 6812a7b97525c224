#pragma once
// Dispatches a SecretRef by kind: env references to one resolver, keychain references to another.
// A reference of kind None means "no secret" and resolves to an empty string.
// Does not own the resolvers; they must outlive it.

#include "engine/secrets/secretresolver.h"

namespace syncline::engine::secrets {

class CompositeSecretResolver : public SecretResolver
{
public:
    CompositeSecretResolver(SecretResolver &env, SecretResolver &keychain);
    Result<QString> resolve(const SecretRef &ref) override;
    Result<void> store(const SecretRef &ref, const QString &value) override;

private:
    SecretResolver &m_env;
    SecretResolver &m_keychain;
};

} // namespace syncline::engine::secrets
