#pragma once
// Reads each secret once for the length of one run: the runner hands it to the connector's factory
// and uses the same values to scrub the request inspector, so a keychain is asked (and may prompt)
// once per secret, not once per use. A value stored through it (a rotated token) replaces the
// cached one. Does not own `inner`. Thread: the run's.

#include "engine/secrets/secretresolver.h"

#include <QHash>
#include <QStringList>

namespace syncline::engine::secrets {

class CachingSecretResolver final : public SecretResolver
{
public:
    explicit CachingSecretResolver(SecretResolver &inner) : m_inner(inner) {}

    Result<QString> resolve(const SecretRef &ref) override;
    Result<void> store(const SecretRef &ref, const QString &value) override;

    // Every non-empty value read or stored so far.
    QStringList values() const;

private:
    static QString keyOf(const SecretRef &ref);

    SecretResolver &m_inner;
    QHash<QString, Result<QString>> m_cache;
};

} // namespace syncline::engine::secrets
