#include "engine/secrets/cachingsecretresolver.h"

namespace syncline::engine::secrets {

QString CachingSecretResolver::keyOf(const SecretRef &ref)
{
    return secretKindName(ref.kind) + QLatin1Char(':') + ref.name;
}

Result<QString> CachingSecretResolver::resolve(const SecretRef &ref)
{
    const QString key = keyOf(ref);
    if (auto cached = m_cache.constFind(key); cached != m_cache.constEnd())
        return *cached;
    Result<QString> value = m_inner.resolve(ref);
    m_cache.insert(key, value);
    return value;
}

Result<void> CachingSecretResolver::store(const SecretRef &ref, const QString &value)
{
    auto stored = m_inner.store(ref, value);
    // Even when it could not be written back (an env reference), this run goes on with the new
    // value, and the inspector scrubs it.
    m_cache.insert(keyOf(ref), value);
    return stored;
}

QStringList CachingSecretResolver::values() const
{
    QStringList found;
    for (const Result<QString> &value : m_cache)
        if (value && !value->isEmpty())
            found << *value;
    return found;
}

} // namespace syncline::engine::secrets
