#pragma once

#include "engine/secrets/secretresolver.h"
#include "ui/secretwriter.h"

namespace syncline::ui {

// The OS keychain through QtKeychain (Secret Service, macOS Keychain, Windows Credential Store).
// resolve() blocks its (worker) thread until the keychain answers; never call it on the GUI thread.
class KeychainSecrets final : public engine::SecretResolver, public SecretWriter
{
public:
    static QString serviceName();
    engine::Result<QString> resolve(const engine::SecretRef &ref) override;
    void store(const QString &name, const QString &secret, QObject *context,
               std::function<void(engine::Result<void>)> done) override;
};

} // namespace syncline::ui
