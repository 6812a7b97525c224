#pragma once

#include "ui/services/secretwriter.h"

namespace syncline::ui {

// Stores secrets with the engine's KeychainSecretResolver on a pool thread (the keychain call
// blocks until the OS keychain answers) and reports back on the context's thread.
class KeychainSecretWriter final : public SecretWriter
{
public:
    void store(const QString &name, const QString &secret, QObject *context,
               std::function<void(engine::Result<void>)> done) override;
};

} // namespace syncline::ui
