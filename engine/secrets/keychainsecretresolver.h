#pragma once
// Resolves { keychain: ENTRY } references from the OS keychain (QtKeychain: Secret Service on
// Linux, Keychain on macOS, Credential Manager on Windows), and stores or deletes entries for the UI.
// Every entry lives under one service name ("Syncline"). Calls block the calling thread until the
// keychain answers (a local event loop); call them from a worker thread in the GUI.
// Needs a QCoreApplication. Failures: "secret.missing" (no such entry), "secret.denied",
// "secret.keychain_unavailable" (no keychain, e.g. a server: use { env: NAME } there).

#include "engine/secrets/secretresolver.h"

namespace syncline::engine::secrets {

class KeychainSecretResolver : public SecretResolver
{
public:
    explicit KeychainSecretResolver(QString service = QStringLiteral("Syncline"));

    Result<QString> resolve(const SecretRef &ref) override;
    Result<void> store(const SecretRef &ref, const QString &value) override;

    Result<QString> read(const QString &entry);
    Result<void> store(const QString &entry, const QString &secret);
    Result<void> remove(const QString &entry); // removing a missing entry succeeds

    QString service() const { return m_service; }

private:
    QString m_service;
};

} // namespace syncline::engine::secrets
