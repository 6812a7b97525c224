#pragma once
// Turns a SecretRef (env variable or keychain entry) into the secret's value at run time.
// The workspace only ever stores the reference. Implementations: EnvSecretResolver (headless),
// KeychainSecretResolver (QtKeychain; OS keychain), and fakes in tests.
// Failure: "secret.missing" naming the reference (never a value) and how to provide it.

#include "engine/core/error.h"
#include "engine/definitions/definitions.h"

namespace syncline::engine {

class SecretResolver
{
public:
    virtual ~SecretResolver() = default;
    virtual Result<QString> resolve(const SecretRef &ref) = 0;
    // Replaces the secret's value (e.g. an OAuth refresh token the provider rotated), so the next
    // run uses it. Only the keychain can be written: an env reference fails with "secret.read_only"
    // saying how to move the secret to the keychain.
    virtual Result<void> store(const SecretRef &ref, const QString &value);
};

} // namespace syncline::engine
